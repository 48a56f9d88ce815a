"""The kiosk window: chrome around a stack of screens, the flow between them, idle sign-out.

All station events arrive through :class:`~kiosk.ui.bridge.StationBridge` on the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.enrollment.engine import EnrollmentBusy, EnrollmentRequest
from kiosk.enrollment.events import Outcome, Result
from kiosk.ui.admin import AdminScreen
from kiosk.ui.bridge import StationBridge
from kiosk.ui.chrome import SimPanel, StatusBar, TopBar, sim_banner
from kiosk.ui.ports import Operator, Person, SensorState, StationPort, SyncPort, SyncState
from kiosk.ui.screens import (
    CaptureScreen,
    ConsentScreen,
    FingerScreen,
    MessageScreen,
    ResultScreen,
    Screen,
    SearchScreen,
    SignInScreen,
    outcome_message,
)
from kiosk.ui.worker import run_async

log = logging.getLogger(__name__)

#: Exit code for "an administrator closed the kiosk on purpose" (the shell launcher is set to
#: do nothing on it, and to restart the kiosk on any other code).
ADMIN_EXIT_CODE = 3

#: Sensor states in which a capture can start ("busy" = the previous run is finishing).
_READY = ("ready", "busy")

_INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
                 QEvent.Type.Wheel}


class MainWindow(QMainWindow):
    """One window; screens are swapped in a stack, the chrome stays."""

    signedOut = Signal()

    def __init__(self, station: StationPort, *, simulate: bool = False) -> None:
        super().__init__()
        self.station = station
        self.config = station.config
        self.setWindowTitle(self.tr("Fingerprint enrollment — {name}").format(
            name=self.config.station.name))
        self.bridge = StationBridge(station, self)
        self.operator: Operator | None = None
        self.person: Person | None = None
        self.finger = ""
        self._pending_signout = False
        self._allow_close = not self.config.ui.kiosk_mode
        self.exit_code = 0

        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.banner = sim_banner() if simulate or station.sensor.status.simulated else None
        if self.banner is not None:
            col.addWidget(self.banner)
        self.topbar = TopBar(self.config.station.name)
        col.addWidget(self.topbar)
        mid = QHBoxLayout()
        mid.setSpacing(0)
        self.stack = QStackedWidget()
        mid.addWidget(self.stack, 1)
        self.sim_panel: SimPanel | None = None
        sim = station.sensor.simulator
        if sim is not None:
            plug = getattr(station.sensor, "replug", None) and self._plug
            self.sim_panel = SimPanel(sim, plug)
            mid.addWidget(self.sim_panel)
        col.addLayout(mid, 1)
        self.statusbar = StatusBar()
        col.addWidget(self.statusbar)
        self.setCentralWidget(central)

        store = station.store
        self.signin = SignInScreen(store)
        self.search = SearchScreen(store, self.config)
        self.search.can_sync = station.sync is not None
        self.consent = ConsentScreen(store, self.config)
        self.fingers = FingerScreen(self.config)
        self.capture = CaptureScreen()
        self.message = MessageScreen()
        self.result = ResultScreen()
        self.admin = AdminScreen(station)
        for s in (self.signin, self.search, self.consent, self.fingers, self.capture,
                  self.message, self.result, self.admin):
            self.stack.addWidget(s)

        # flow
        self.signin.signedIn.connect(self._signed_in)
        self.search.personChosen.connect(self._person_chosen)
        self.search.syncRequested.connect(self._sync_now)
        self.consent.secondary.clicked.connect(lambda: self.show_screen(self.search))
        self.consent.decided.connect(self._consent_decided)
        self.fingers.secondary.clicked.connect(lambda: self.show_screen(self.search))
        self.fingers.fingerChosen.connect(self.start_capture)
        self.capture.cancelRequested.connect(self.station.sensor.cancel)
        self.capture.finished.connect(self._capture_finished)
        self.message.action.connect(self._message_action)
        self.result.nextFinger.connect(self._next_finger)
        self.result.nextPerson.connect(lambda: self.show_screen(self.search))
        self.admin.primary.clicked.connect(self._leave_admin)
        self.admin.exitRequested.connect(self.request_exit)
        self.admin.syncRequested.connect(self._sync_now)
        self.admin.syncReloaded.connect(self._sync_reloaded)
        self.topbar.signOut.connect(self.sign_out)
        self.topbar.adminRequested.connect(lambda: self.open_admin("selftest"))
        self.statusbar.pageRequested.connect(self.open_admin)

        # station events, queued onto the GUI thread
        q = Qt.ConnectionType.QueuedConnection
        self.bridge.enrollmentEvent.connect(self.capture.on_event, q)
        self.bridge.sensorStatus.connect(self._sensor_status, q)
        self.bridge.syncState.connect(self._sync_state, q)
        self.statusbar.set_sensor(station.sensor.status)
        self.fingers.set_sensor_ready(station.sensor.status.state in _READY)
        self.statusbar.set_sync(station.sync.state if station.sync else None)

        # keyboard: Enter = primary, Esc = secondary/cancel
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(lambda: self.current().activate_primary())
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.activated.connect(lambda: self.current().activate_secondary())

        # idle sign-out
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(max(5, self.config.ui.idle_signout_s) * 1000)
        self.idle.timeout.connect(self._idle_timeout)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

        self.show_screen(self.signin)

    # -- helpers ------------------------------------------------------------------------
    def current(self) -> Screen:
        w = self.stack.currentWidget()
        assert isinstance(w, Screen)
        return w

    def show_screen(self, screen: Screen) -> None:
        self.stack.setCurrentWidget(screen)
        screen.entered()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.operator is not None:
            self.idle.start()
        return False

    # -- sign-in / out ------------------------------------------------------------------
    def _signed_in(self, op: Operator) -> None:
        first_run = self.signin.first_run
        self.operator = op
        log.info("operator %s signed in", op.name)
        self.topbar.set_operator(op.name, op.is_admin)
        self.idle.start()
        self.show_screen(self.search)
        if first_run and op.is_admin and not self.station.config.sync.broker_url:
            # optional next step on a new station: connect it to central ("Done" skips it)
            self.open_admin("central", first_run=True)

    def sign_out(self) -> None:
        """Return to sign-in; a running capture is cancelled first and waited for."""
        if self.capture.running:
            self._pending_signout = True
            self.station.sensor.cancel()
            QTimer.singleShot(10_000, self._finish_signout)  # safety net
            return
        self._finish_signout()

    def _finish_signout(self) -> None:
        if self.operator is None:
            return
        self._pending_signout = False
        self.capture.running = False
        self.operator = None
        self.person = None
        self.idle.stop()
        self.topbar.set_operator(None, False)
        self.show_screen(self.signin)
        self.signedOut.emit()

    def _idle_timeout(self) -> None:
        log.info("idle timeout: signing out")
        self.sign_out()

    # -- person, consent, finger ---------------------------------------------------------
    def _person_chosen(self, person: Person) -> None:
        self.person = person
        if person.consent == "granted":
            self.fingers.start(person)
            self.show_screen(self.fingers)
            return
        assert self.operator is not None
        self.consent.start(person, self.operator)
        self.show_screen(self.consent)

    def _consent_decided(self, granted: bool) -> None:
        assert self.person is not None
        if granted:
            self.person = replace(self.person, consent="granted")
            self.fingers.start(self.person)
            self.show_screen(self.fingers)
            return
        self.message.show_message(
            "refused", self.tr("Refusal recorded"),
            self.tr("{name} said no. Nothing was captured. Offer the alternative: {alt}.")
            .format(name=self.person.name, alt=self.config.consent.alternative),
            tone="bigWarn", primary=("next-person", self.tr("Next person")))
        self.show_screen(self.message)

    def _refresh_person(self, then: object = None) -> None:
        assert self.person is not None
        ext = self.person.external_id
        run_async(lambda: self.station.store.person(ext), self._person_loaded)

    def _person_loaded(self, p: Person) -> None:
        self.person = p

    # -- capture ------------------------------------------------------------------------
    def start_capture(self, finger: str) -> None:
        assert self.person is not None and self.operator is not None
        self.finger = finger
        req = EnrollmentRequest(self.person.external_id, finger, operator=self.operator.name,
                                station_id=self.config.station.id)
        self.capture.start(self.person, finger)
        if self.sim_panel is not None:
            self.sim_panel.set_target(self.person.external_id, finger)
        try:
            self.station.sensor.enroll(req)
        except EnrollmentBusy as exc:
            self.capture.running = False
            self.message.show_message(
                "busy", self.tr("Another capture is still running"), str(exc),
                primary=("cancel-running", self.tr("Stop it and try again")),
                secondary=("choose-finger", self.tr("Back")))
            self.show_screen(self.message)
            return
        self.show_screen(self.capture)

    def _capture_finished(self, result: Result) -> None:
        assert self.person is not None
        if self._pending_signout:
            self._finish_signout()
            return
        if result.outcome is Outcome.COMPLETED:
            self._sync_now()  # send it now rather than at the next poll
            enrolled = (*self.person.enrolled, self.finger)
            self.person = replace(self.person, enrolled=enrolled)
            if self.sim_panel is not None:
                self.sim_panel.remember_enrolled()
            self.result.show_result(self.person, self.finger, result, len(enrolled),
                                    self.config.enrollment.fingers_per_person,
                                    self.station.sync.state if self.station.sync else None)
            self.show_screen(self.result)
            return
        if result.outcome is Outcome.CANCELLED:
            self.fingers.start(self.person)
            self.fingers.choose(self.finger)
            self.show_screen(self.fingers)
            return
        kind, headline = outcome_message(result)
        kept = self.tr("The first finger is saved.") if self.person.enrolled else ""
        if kind == "duplicate":
            prim, sec = (("choose-finger", self.tr("Choose another finger")),
                         ("next-person", self.tr("Next person")))
        elif kind == "unplugged":
            prim, sec = (("retry", self.tr("Try again")),
                         ("choose-finger", self.tr("Choose another finger")))
        else:
            prim, sec = (("retry", self.tr("Try again")),
                         ("choose-finger", self.tr("Choose another finger")))
        self.message.show_message(kind, self.tr(headline), self.tr(result.message),
                                  primary=prim, secondary=sec, detail=kept)
        if kind == "unplugged":
            self.message.detail.setText(self.tr(
                "Plug the sensor back in. “Try again” turns on as soon as the station sees it.")
                + (" " + kept if kept else ""))
            self._unplugged_wait()
        self.show_screen(self.message)

    def _unplugged_wait(self) -> None:
        ready = self.station.sensor.status.state in _READY
        self.message.primary.setEnabled(ready)
        if not ready:
            self.message.primary.setText(self.tr("Waiting for the sensor…"))
        else:
            self.message.primary.setText(self.tr("Try again"))

    def _message_action(self, key: str) -> None:
        if key == "retry":
            self.start_capture(self.finger)
        elif key == "choose-finger" and self.person is not None:
            self.fingers.start(self.person)
            self.show_screen(self.fingers)
        elif key == "cancel-running":
            self.station.sensor.cancel()
            QTimer.singleShot(300, lambda: self.start_capture(self.finger))
        else:
            self.show_screen(self.search)

    def _next_finger(self) -> None:
        assert self.person is not None
        self.fingers.start(self.person)
        self.show_screen(self.fingers)

    # -- station state ------------------------------------------------------------------
    def _sensor_status(self, s: SensorState) -> None:
        self.statusbar.set_sensor(s)
        self.fingers.set_sensor_ready(s.state in _READY, s.message)
        if self.current() is self.message and self.message.kind == "unplugged":
            self._unplugged_wait()
        if self.current() is self.admin:
            self.admin.refresh()

    def _sync_state(self, s: SyncState) -> None:
        self.statusbar.set_sync(s)
        self.result.update_sync(s)
        if self.current() is self.result and not self.result.synced and self.person is not None:
            # Ask the store whether this finger is now acknowledged (off the GUI thread).
            ext, finger = self.person.external_id, self.finger
            run_async(lambda: finger in self.station.store.person(ext).synced,
                      lambda ok: self.result.set_synced(bool(ok), s))
        if self.current() is self.admin:
            self.admin.refresh()

    def _sync_reloaded(self, sync: SyncPort | None) -> None:
        """Provisioning restarted sync: listen to the new worker and show its state."""
        if sync is not None:
            self.bridge.attach_sync(sync)
        self.search.can_sync = sync is not None
        self.statusbar.set_sync(sync.state if sync is not None else None)

    def _sync_now(self) -> None:
        sync = self.station.sync
        if sync is not None:
            run_async(sync.sync_now, lambda _v: None)

    def _plug(self, plugged: bool) -> None:
        sensor = self.station.sensor
        fn = getattr(sensor, "replug" if plugged else "unplug", None)
        if callable(fn):
            fn()

    # -- admin and exit -----------------------------------------------------------------
    def open_admin(self, page: str, *, first_run: bool = False) -> None:
        if self.operator is None or not self.operator.is_admin or self.capture.running:
            return
        self._return_to = self.current()
        self.admin.actor = self.operator.name
        self.admin.open_page(page, first_run=first_run)
        self.show_screen(self.admin)

    def _leave_admin(self) -> None:
        back = getattr(self, "_return_to", self.search)
        self.show_screen(back if back is not self.admin else self.search)

    def request_exit(self) -> None:
        """Closing the kiosk needs an administrator's PIN, even when one is signed in."""
        if self.operator is None or not self.operator.is_admin:
            return
        if not self.config.ui.kiosk_mode:
            self._allow_close = True
            self.exit_code = ADMIN_EXIT_CODE
            self.close()
            return
        pin, ok = QInputDialog.getText(self, self.tr("Close the program"),
                                       self.tr("Administrator PIN"), QLineEdit.EchoMode.Password)
        if not ok:
            return
        name = self.operator.name
        run_async(lambda: self.station.store.verify_pin(name, pin), self._exit_checked)

    def _exit_checked(self, check: object) -> None:
        if getattr(check, "operator", None) is not None:
            self._allow_close = True
            self.exit_code = ADMIN_EXIT_CODE
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._allow_close:
            event.ignore()  # kiosk: Alt+F4 and the like do nothing
            return
        if self.capture.running:
            self.station.sensor.cancel()
        event.accept()
