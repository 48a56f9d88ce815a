"""The kiosk window: chrome around a stack of screens, the flow between them, idle sign-out.

All station events arrive through :class:`~kiosk.ui.bridge.StationBridge` on the GUI thread.

Long on purpose: the flow between the screens (sign-in → search → consent → finger →
capture → result/message) is one state machine and reads best in one place.
"""

from __future__ import annotations

import logging

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

from kiosk.app import (
    EnrollmentBusy,
    FailReason,
    Finger,
    Operator,
    Outcome,
    PersonStatus,
    PinCheck,
    Result,
    Role,
    SensorStatus,
    Station,
    SyncState,
    wording,
)
from kiosk.config import Config
from kiosk.ui.admin import AdminScreen
from kiosk.ui.bridge import StationBridge
from kiosk.ui.chrome import SimPanel, StatusBar, TopBar, sim_banner
from kiosk.ui.screens import (
    CaptureScreen,
    ConsentScreen,
    FingerScreen,
    MessageScreen,
    ResultScreen,
    Screen,
    SearchScreen,
    SignInScreen,
)
from kiosk.ui.text import render
from kiosk.ui.worker import run_async

log = logging.getLogger(__name__)

#: Exit code for "an administrator closed the kiosk on purpose" (the shell launcher is set to
#: do nothing on it, and to restart the kiosk on any other code).
ADMIN_EXIT_CODE = 3

_INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
                 QEvent.Type.Wheel}


class MainWindow(QMainWindow):
    """One window; screens are swapped in a stack, the chrome stays."""

    signedOut = Signal()

    def __init__(self, station: Station, *, simulate: bool = False) -> None:
        super().__init__()
        self.station = station
        self.setWindowTitle(self.tr("Fingerprint enrollment — {name}").format(
            name=self.config.station.name))
        self.bridge = StationBridge(station, self)
        self.operator: Operator | None = None
        self.person: PersonStatus | None = None
        self.finger = Finger.RIGHT_INDEX
        self._pending_signout = False
        self._allow_close = not self.config.ui.kiosk_mode
        self.exit_code = 0

        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.banner = sim_banner() if simulate or station.sensor_status.simulated else None
        if self.banner is not None:
            col.addWidget(self.banner)
        self.topbar = TopBar(self.config.station.name)
        col.addWidget(self.topbar)
        mid = QHBoxLayout()
        mid.setSpacing(0)
        self.stack = QStackedWidget()
        mid.addWidget(self.stack, 1)
        self.sim_panel: SimPanel | None = None
        if station.simulator is not None:
            self.sim_panel = SimPanel(station.simulator)
            mid.addWidget(self.sim_panel)
        col.addLayout(mid, 1)
        self.statusbar = StatusBar()
        col.addWidget(self.statusbar)
        self.setCentralWidget(central)

        def config() -> Config:
            return self.station.config

        self.signin = SignInScreen(station.operators)
        self.search = SearchScreen(station.desk, config)
        self.search.can_sync = station.sync.enabled
        self.consent = ConsentScreen(station.desk, config)
        self.fingers = FingerScreen(config)
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
        self.capture.cancelRequested.connect(self.station.desk.cancel)
        self.capture.finished.connect(self._capture_finished)
        self.message.action.connect(self._message_action)
        self.result.nextFinger.connect(self._next_finger)
        self.result.nextPerson.connect(lambda: self.show_screen(self.search))
        self.admin.primary.clicked.connect(self._leave_admin)
        self.admin.exitRequested.connect(self.request_exit)
        self.admin.settingsReloaded.connect(self._settings_reloaded)
        self.topbar.signOut.connect(self.sign_out)
        self.topbar.adminRequested.connect(lambda: self.open_admin("selftest"))
        self.statusbar.pageRequested.connect(self.open_admin)

        # station events, queued onto the GUI thread
        q = Qt.ConnectionType.QueuedConnection
        self.bridge.enrollmentEvent.connect(self.capture.on_event, q)
        self.bridge.sensorStatus.connect(self._sensor_status, q)
        self.bridge.syncState.connect(self._sync_state, q)
        self.statusbar.set_sensor(station.sensor_status)
        self.fingers.set_sensor_ready(station.sensor_status.state.usable)
        self.statusbar.set_sync(station.sync.state)

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
        self.topbar.set_operator(op.name, op.role is Role.ADMIN)
        self.idle.start()
        self.show_screen(self.search)
        if first_run and op.role is Role.ADMIN and not self.station.config.sync.broker_url:
            # optional next step on a new station: connect it to central ("Done" skips it)
            self.open_admin("central", first_run=True)

    def sign_out(self) -> None:
        """Return to sign-in; a running capture is cancelled first and waited for."""
        if self.capture.running:
            self._pending_signout = True
            self.station.desk.cancel()
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
    def _person_chosen(self, person: PersonStatus) -> None:
        self.person = person
        if person.consent is not None:
            self.fingers.start(person)
            self.show_screen(self.fingers)
            return
        assert self.operator is not None
        self.consent.start(person, self.operator)
        self.show_screen(self.consent)

    def _consent_decided(self, granted: bool) -> None:
        assert self.person is not None
        if granted:
            ext = self.person.external_id
            run_async(lambda: self.station.desk.person(ext), self._consented)
            return
        self.message.show_message(
            "refused", self.tr("Refusal recorded"),
            self.tr("{name} said no. Nothing was captured. Offer the alternative: {alt}.")
            .format(name=self.person.name, alt=self.config.consent.alternative),
            tone="bigWarn", primary=("next-person", self.tr("Next person")))
        self.show_screen(self.message)

    def _consented(self, person: PersonStatus) -> None:
        """Consent is on record: the person, as the database now has them, chooses a finger."""
        self.person = person
        self.fingers.start(person)
        self.show_screen(self.fingers)

    # -- capture ------------------------------------------------------------------------
    def start_capture(self, finger: Finger) -> None:
        assert self.person is not None and self.operator is not None
        self.finger = finger
        self.capture.start(self.person, finger)
        if self.sim_panel is not None:
            self.sim_panel.set_target(self.person.external_id, finger)
        try:
            self.station.desk.enroll(self.person.external_id, finger, self.operator.name)
        except EnrollmentBusy:
            self.capture.running = False
            self.message.show_message(
                "busy", self.tr("Another capture is still running"),
                self.tr("The previous capture has not finished yet."),
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
            # The desk already asked sync to send it; the badge follows the sync state.
            enrolled = len(self.person.fingers) + 1
            if self.sim_panel is not None:
                self.sim_panel.remember_enrolled()
            self.result.show_result(self.person, self.finger, result, enrolled,
                                    self.config.enrollment.fingers_per_person,
                                    self.station.sync.state)
            self.show_screen(self.result)
            return
        if result.outcome is Outcome.CANCELLED:
            self.fingers.start(self.person)
            self.fingers.choose(self.finger)
            self.show_screen(self.fingers)
            return
        kind = _KINDS.get(result.reason, "failed")
        words = wording.outcome(result, self.finger,
                                idle_timeout_s=self.config.enrollment.idle_timeout_s)
        kept = self.tr("The first finger is saved.") if self.person.fingers else ""
        if kind == "duplicate":
            prim, sec = (("choose-finger", self.tr("Choose another finger")),
                         ("next-person", self.tr("Next person")))
        elif kind == "unplugged":
            prim, sec = (("retry", self.tr("Try again")),
                         ("choose-finger", self.tr("Choose another finger")))
        else:
            prim, sec = (("retry", self.tr("Try again")),
                         ("choose-finger", self.tr("Choose another finger")))
        detail = " ".join(x for x in (render(words.next_step), kept) if x)
        self.message.show_message(kind, render(words.headline), render(words.body),
                                  primary=prim, secondary=sec, detail=detail)
        if kind == "unplugged":
            self._unplugged_wait()
        self.show_screen(self.message)

    def _unplugged_wait(self) -> None:
        ready = self.station.sensor_status.state.usable
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
            self.station.desk.cancel()
            QTimer.singleShot(300, lambda: self.start_capture(self.finger))
        else:
            self.show_screen(self.search)

    def _next_finger(self) -> None:
        """The finger picker, from the person as the database has them now."""
        assert self.person is not None
        ext = self.person.external_id
        run_async(lambda: self.station.desk.person(ext), self._consented)

    # -- station state ------------------------------------------------------------------
    def _sensor_status(self, s: SensorStatus) -> None:
        self.statusbar.set_sensor(s)
        problem = render(wording.sensor_problem(s.problem)) if s.problem else ""
        self.fingers.set_sensor_ready(s.state.usable, problem)
        if self.current() is self.message and self.message.kind == "unplugged":
            self._unplugged_wait()
        if self.current() is self.admin:
            self.admin.sensor_changed()

    def _sync_state(self, s: SyncState) -> None:
        self.statusbar.set_sync(s)
        self.result.update_sync(s)
        uuid = self.result.template_uuid
        if self.current() is self.result and not self.result.synced and uuid:
            # Ask the store whether this template is now acknowledged (off the GUI thread).
            run_async(lambda: self.station.sync.synced(uuid),
                      lambda ok: self.result.set_synced(bool(ok), s))
        if self.current() is self.admin:
            self.admin.sync_changed()

    def _settings_reloaded(self) -> None:
        """Provisioning brought new settings: sync already uses them; show its state."""
        self.search.can_sync = self.station.sync.enabled
        self.statusbar.set_sync(self.station.sync.state)

    def _sync_now(self) -> None:
        run_async(self.station.sync.sync_now, lambda _v: None)

    # -- admin and exit -----------------------------------------------------------------
    def open_admin(self, page: str, *, first_run: bool = False) -> None:
        if self.operator is None or self.operator.role is not Role.ADMIN or self.capture.running:
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
        if self.operator is None or self.operator.role is not Role.ADMIN:
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
        run_async(lambda: self.station.operators.verify_pin(name, pin), self._exit_checked)

    def _exit_checked(self, check: PinCheck) -> None:
        if check.ok:
            self._allow_close = True
            self.exit_code = ADMIN_EXIT_CODE
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._allow_close:
            event.ignore()  # kiosk: Alt+F4 and the like do nothing
            return
        if self.capture.running:
            self.station.desk.cancel()
        event.accept()

    @property
    def config(self) -> Config:
        return self.station.config


#: Which message screen a failed enrollment gets.
_KINDS: dict[FailReason, str] = {
    FailReason.DUPLICATE: "duplicate", FailReason.UNPLUGGED: "unplugged",
    FailReason.NOT_CONNECTED: "unplugged", FailReason.NO_FINGER: "timeout",
    FailReason.FINGER_NOT_LIFTED: "timeout", FailReason.CANCELLED: "cancelled",
}
