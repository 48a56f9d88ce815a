"""The kiosk window: chrome around a stack of screens, the flow between them, idle sign-out.

All station events arrive through :class:`~kiosk.ui.bridge.StationBridge` on the GUI thread.

Keyboard: Enter is the screen's primary action — unless the focus is on a button (Enter then
presses that button, as Space does) or on a field that submits its own form; Esc is the
secondary action (Back, Cancel). Nothing that deletes or records for good happens on one key:
those actions ask first, with "No" focused.

Long on purpose: the flow between the screens (sign-in → search → consent → finger →
capture → check → result/message, and the person, finger-management and duplicate screens)
is one state machine and reads best in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import (
    Deletion,
    DuplicateOverride,
    EnrollmentBusy,
    FailReason,
    Finger,
    Operator,
    Outcome,
    PersonStatus,
    PinCheck,
    Progress,
    Result,
    Role,
    SensorStatus,
    Station,
    SyncState,
    VerifyResult,
    wording,
)
from kiosk.config import Config
from kiosk.ui.admin import AdminScreen
from kiosk.ui.bridge import StationBridge
from kiosk.ui.chrome import IdleBanner, SimPanel, StatusBar, TopBar, sim_banner
from kiosk.ui.i18n import translations
from kiosk.ui.idle import IdleWatch
from kiosk.ui.screens import (
    CaptureScreen,
    ConsentScreen,
    DuplicateScreen,
    FingerScreen,
    ForgetPersonScreen,
    ManageFingerScreen,
    MessageScreen,
    PersonScreen,
    ResultScreen,
    Screen,
    SearchScreen,
    SignInScreen,
)
from kiosk.ui.sounds import Sounds
from kiosk.ui.text import finger_name, is_done, render
from kiosk.ui.widgets import OWNS_ENTER
from kiosk.ui.worker import run_async

log = logging.getLogger(__name__)

#: Exit code for "an administrator closed the kiosk on purpose" (the shell launcher is set to
#: do nothing on it, and to restart the kiosk on any other code).
ADMIN_EXIT_CODE = 3

#: A sign-out waits this long for a cancelled capture to end before it goes ahead anyway.
SIGNOUT_GRACE_MS = 10_000

_INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
                 QEvent.Type.Wheel}

#: The reason recorded when a finger is enrolled again because its check failed.
CHECK_FAILED_REASON = "The check after enrollment failed"


class MainWindow(QMainWindow):
    """One window; screens are swapped in a stack, the chrome stays."""

    signedOut = Signal()

    def __init__(self, station: Station, *, simulate: bool = False) -> None:
        super().__init__()
        self.station = station
        self.simulate = simulate
        self.bridge = StationBridge(station, self)
        self.operator: Operator | None = None
        self.person: PersonStatus | None = None
        self.finger = Finger.RIGHT_INDEX
        self._pending_signout = False
        self._allow_close = not self.config.ui.kiosk_mode
        self.exit_code = 0
        #: The enrollment just completed (the check after it needs its slot and template).
        self._completed: Result | None = None
        self._override_used = False
        self.sounds = Sounds(lambda: self.station.config.ui.sounds, self)
        # a sign-out that waits for a cancelled capture; stopped the moment it is done, so it
        # can never sign out the *next* operator
        self._signout_guard = QTimer(self)
        self._signout_guard.setSingleShot(True)
        self._signout_guard.setInterval(SIGNOUT_GRACE_MS)
        self._signout_guard.timeout.connect(self._finish_signout)
        self.idle = IdleWatch(self, idle_s=max(5, self.config.ui.idle_signout_s))
        self.idle.expired.connect(self._idle_timeout)
        q = Qt.ConnectionType.QueuedConnection
        self.bridge.enrollmentEvent.connect(self._on_event, q)
        self.bridge.sensorStatus.connect(self._sensor_status, q)
        self.bridge.syncState.connect(self._sync_state, q)
        self._build()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.show_screen(self.signin)

    # -- building (again after a change of language) --------------------------------------
    def _build(self) -> None:
        """Every widget of the window, in the current language (the old ones are deleted)."""
        station = self.station
        self.setWindowTitle(self.tr("Fingerprint enrollment — {name}").format(
            name=self.config.station.name))
        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.banner = (sim_banner() if self.simulate or station.sensor_status.simulated
                       else None)
        if self.banner is not None:
            col.addWidget(self.banner)
        self.topbar = TopBar(self.config.station.name)
        col.addWidget(self.topbar)
        self.idle_banner = IdleBanner()
        col.addWidget(self.idle_banner)
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
        self.setCentralWidget(central)  # deletes the previous one

        def config() -> Config:
            return self.station.config

        def language() -> str:
            return translations.language

        self.signin = SignInScreen(station.operators, translations.language)
        self.search = SearchScreen(station.desk, config)
        self.search.can_sync = station.sync.enabled
        self.consent = ConsentScreen(station.desk, config, language)
        self.fingers = FingerScreen(config)
        self.person_screen = PersonScreen()
        self.manage = ManageFingerScreen()
        self.forget = ForgetPersonScreen()
        self.capture = CaptureScreen()
        self.message = MessageScreen()
        self.duplicate = DuplicateScreen(station.operators)
        self.result = ResultScreen()
        self.admin = AdminScreen(station)
        for s in self.screens():
            self.stack.addWidget(s)
        self._wire()
        self.statusbar.set_sensor(station.sensor_status)
        self.fingers.set_sensor_ready(station.sensor_status.state.usable)
        self.statusbar.set_sync(station.sync.state)

    def screens(self) -> tuple[Screen, ...]:
        return (self.signin, self.search, self.consent, self.fingers, self.person_screen,
                self.manage, self.forget, self.capture, self.message, self.duplicate, self.result,
                self.admin)

    def _wire(self) -> None:
        self.signin.signedIn.connect(self._signed_in)
        self.signin.languageChosen.connect(self.set_language)
        self.search.personChosen.connect(self._person_chosen)
        self.search.syncRequested.connect(self._sync_now)
        self.consent.secondary.clicked.connect(lambda: self.show_screen(self.search))
        self.consent.decided.connect(self._consent_decided)
        self.fingers.secondary.clicked.connect(lambda: self.show_screen(self.search))
        self.fingers.fingerChosen.connect(self.start_capture)
        self.fingers.manageRequested.connect(self._manage)
        self.person_screen.nextPerson.connect(self._next_person)
        self.person_screen.extraFinger.connect(self._extra_finger)
        self.person_screen.manageRequested.connect(self._manage)
        self.manage.secondary.clicked.connect(self._back_to_person)
        self.manage.reEnroll.connect(self._replace_finger)
        self.manage.remove.connect(self._remove_finger)
        self.fingers.forgetRequested.connect(self._ask_forget)
        self.person_screen.forgetRequested.connect(self._ask_forget)
        self.forget.secondary.clicked.connect(self._back_to_person)
        self.forget.forget.connect(self._forget_person)
        self.capture.cancelRequested.connect(self.station.desk.cancel)
        self.capture.finished.connect(self._capture_finished)
        self.capture.verified.connect(self._verified)
        self.message.action.connect(self._message_action)
        self.duplicate.nextPerson.connect(self._next_person)
        self.duplicate.override.connect(self._duplicate_override)
        self.result.nextFinger.connect(self._next_finger)
        self.result.nextPerson.connect(self._next_person)
        self.admin.primary.clicked.connect(self._leave_admin)
        self.admin.exitRequested.connect(self.request_exit)
        self.admin.settingsReloaded.connect(self._settings_reloaded)
        self.topbar.signOut.connect(self.sign_out)
        self.topbar.adminRequested.connect(lambda: self.open_admin("selftest"))
        self.statusbar.pageRequested.connect(self.open_admin)
        self.idle.warning.connect(self.idle_banner.show_left)
        self.idle.cleared.connect(self.idle_banner.hide)
        self.idle_banner.stay.connect(self.idle.poke)

    def set_language(self, code: str) -> None:
        """The operator chose a language on the sign-in screen: the window is built again."""
        if self.operator is not None or translations.language == code:
            return
        translations.use(code)
        log.info("desk language: %s", translations.language)
        self._build()
        self.show_screen(self.signin)

    # -- helpers ------------------------------------------------------------------------
    def current(self) -> Screen:
        w = self.stack.currentWidget()
        assert isinstance(w, Screen)
        return w

    def show_screen(self, screen: Screen) -> None:
        if self.current() is not screen:
            self.current().close_question()
        self.stack.setCurrentWidget(screen)
        screen.entered()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.operator is not None:
            self.idle.poke()
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter and Esc that no control took (see the module notes)."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = QApplication.focusWidget()
            if focus is not None and focus.property(OWNS_ENTER):
                return  # the field has submitted its own form
            if isinstance(focus, QPushButton) and focus.isVisible() and focus.isEnabled() \
                    and self.isAncestorOf(focus):
                focus.click()
                return
            self.current().activate_primary()
            return
        if key == Qt.Key.Key_Escape:
            self.current().activate_secondary()
            return
        super().keyPressEvent(event)

    def _person_from_db(self, then: Callable[[PersonStatus], None]) -> None:
        """Reload the person (off the GUI thread), then ``then(person)``."""
        if self.person is None:
            return
        ext = self.person.external_id

        def done(p: PersonStatus) -> None:
            self.person = p
            then(p)

        run_async(lambda: self.station.desk.person(ext), done, self._service_failed)

    def _service_failed(self, exc: BaseException) -> None:
        hint = getattr(exc, "hint", "")
        self.message.show_message(
            "failed", self.tr("That did not work"), f"{exc} {hint}".strip(),
            primary=("next-person", self.tr("Next person")))
        self.show_screen(self.message)

    # -- sign-in / out ------------------------------------------------------------------
    def _signed_in(self, op: Operator) -> None:
        first_run = self.signin.first_run
        self.operator = op
        log.info("operator %s signed in", op.name)
        self.topbar.set_operator(op.name, op.role is Role.ADMIN)
        self.topbar.set_capturing(False)
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
            self._signout_guard.start()
            return
        self._finish_signout()

    def _finish_signout(self) -> None:
        self._signout_guard.stop()
        self._pending_signout = False
        if self.operator is None:
            return
        self.capture.running = False
        self.operator = None
        self.person = None
        self._completed = None
        self.idle.stop()
        for s in self.screens():
            s.reset()
        self.admin.actor = ""
        if self.sim_panel is not None:
            self.sim_panel.set_target("", "")
        self.topbar.set_operator(None, False)
        self.topbar.set_capturing(False)
        self.show_screen(self.signin)
        self.signedOut.emit()

    def _idle_timeout(self) -> None:
        log.info("idle timeout: signing out")
        self.sign_out()

    # -- person, consent, finger ---------------------------------------------------------
    def _person_chosen(self, person: PersonStatus) -> None:
        self.person = person
        if person.consent is None:
            assert self.operator is not None
            self.consent.start(person, self.operator)
            self.show_screen(self.consent)
            return
        self._route(person)

    def _route(self, person: PersonStatus) -> None:
        """Consent on record: done people are shown as done, the others choose a finger."""
        self.person = person
        if is_done(person, self.config.enrollment.fingers_per_person):
            self.person_screen.show_person(person, self.config.enrollment.fingers_per_person)
            self.show_screen(self.person_screen)
            return
        self.fingers.start(person)
        self.show_screen(self.fingers)

    def _consent_decided(self, granted: bool) -> None:
        assert self.person is not None
        if granted:
            self._person_from_db(self._route)
            return
        alternative = self.config.consent.notice_for(translations.language).alternative
        self.message.show_message(
            "refused", self.tr("Refusal recorded"),
            self.tr("{name} said no. Nothing was captured. Offer the alternative: {alt}.")
            .format(name=self.person.name, alt=alternative),
            tone="bigWarn", primary=("next-person", self.tr("Next person")))
        self.show_screen(self.message)

    def _extra_finger(self) -> None:
        """A done person: the clerk chose, on purpose, to enroll one more finger."""
        if self.person is not None:
            self.fingers.start(self.person, extra=True)
            self.show_screen(self.fingers)

    def _back_to_person(self) -> None:
        self._person_from_db(self._route)

    def _next_person(self) -> None:
        self.person = None
        self.show_screen(self.search)

    # -- managing an enrolled finger ----------------------------------------------------
    def _manage(self, finger: Finger, reason: str | None = None) -> None:
        def show(p: PersonStatus) -> None:
            if finger not in p.enrolled_fingers:
                self._route(p)
                return
            self.manage.show_finger(p, finger, reason=reason)
            self.show_screen(self.manage)

        self._person_from_db(show)

    def _replace_finger(self, finger: Finger, reason: str) -> None:
        """Enroll again: the old template is deleted (audited, receipt for central), then the
        same finger is captured."""
        self._delete_finger(finger, reason, lambda _d: self._person_from_db(
            lambda _p: self.start_capture(finger)))

    def _remove_finger(self, finger: Finger, reason: str) -> None:
        self._delete_finger(finger, reason, lambda d: self._removed(finger, d))

    def _delete_finger(self, finger: Finger, reason: str,
                       then: Callable[[Deletion], None]) -> None:
        if self.person is None or self.operator is None:
            return
        ext, actor = self.person.external_id, self.operator.name
        bio = self.station.biometrics
        run_async(lambda: bio.remove_finger(ext, finger, actor=actor, reason=reason), then,
                  self._service_failed)

    def _removed(self, finger: Finger, deletion: Deletion) -> None:
        assert self.person is not None
        sensor = (self.tr("The sensor is not connected: its copy is cleared as soon as it is "
                          "back.") if not deletion.sensor_done
                  else self.tr("The sensor's copy is cleared."))
        self.message.show_message(
            "removed", self.tr("Finger removed"),
            self.tr("The {finger} of {name} is deleted on this station, and the central server "
                    "is told to delete it.").format(finger=finger_name(finger),
                                                    name=self.person.name),
            tone="bigOk", detail=sensor,
            primary=("back-person", self.tr("Back to {name}").format(name=self.person.name)),
            secondary=("next-person", self.tr("Next person")))
        self.show_screen(self.message)

    # -- consent withdrawn, or every print deleted -------------------------------------
    def _ask_forget(self) -> None:
        def show(p: PersonStatus) -> None:
            self.forget.show_person(p)
            self.show_screen(self.forget)

        self._person_from_db(show)

    def _forget_person(self, withdraw: bool, reason: str) -> None:
        """Through the biometrics service, off the GUI thread: the withdrawal (if asked),
        every template deleted, the receipt queued for central, the slots cleared."""
        if self.person is None or self.operator is None:
            return
        ext, actor, bio = self.person.external_id, self.operator.name, self.station.biometrics
        name = self.person.name

        def work() -> Deletion:
            if withdraw:
                return bio.withdraw_consent(ext, actor=actor, reason=reason)
            return bio.forget(ext, actor=actor, reason=reason)

        run_async(work, lambda d: self._forgotten(name, withdraw, d), self._service_failed)

    def _forgotten(self, name: str, withdraw: bool, deletion: Deletion) -> None:
        n = len(deletion.slots)
        sensor = (self.tr("The sensor is not connected: its copies are cleared as soon as it is "
                          "back.") if not deletion.sensor_done
                  else self.tr("The sensor's copies are cleared."))
        heading = self.tr("Consent withdrawn") if withdraw else self.tr("Prints deleted")
        body = (self.tr("{n} print(s) of {name} are deleted on this station, and the central "
                        "server is told to delete them.").format(n=n, name=name) if n
                else self.tr("{name} had no print on this station.").format(name=name))
        if withdraw:
            body += " " + self.tr("A new enrollment needs their consent again.")
        self.message.show_message("forgotten", heading, body, tone="bigOk",
                                  detail=sensor if n else "",
                                  primary=("next-person", self.tr("Next person")))
        self.show_screen(self.message)

    # -- capture ------------------------------------------------------------------------
    def start_capture(self, finger: Finger, override: DuplicateOverride | None = None) -> None:
        assert self.person is not None and self.operator is not None
        self.finger = finger
        self._override_used = override is not None
        self.capture.start(self.person, finger,
                           timeout_s=self.config.enrollment.idle_timeout_s)
        self.topbar.set_capturing(True)
        if self.sim_panel is not None:
            self.sim_panel.set_target(self.person.external_id, finger)
        ext, operator, desk = self.person.external_id, self.operator.name, self.station.desk
        if override is not None:
            # the override goes to the audit log before the capture: off the GUI thread
            run_async(lambda: desk.enroll(ext, finger, operator, override=override),
                      lambda _t: None, self._enroll_refused)
            self.show_screen(self.capture)
            return
        try:
            desk.enroll(ext, finger, operator)
        except EnrollmentBusy:
            self._enroll_refused(None)
            return
        self.show_screen(self.capture)

    def _enroll_refused(self, exc: BaseException | None) -> None:
        self.capture.running = False
        self.topbar.set_capturing(False)
        if exc is not None and not isinstance(exc, EnrollmentBusy):
            self._service_failed(exc)
            return
        self.message.show_message(
            "busy", self.tr("Another capture is still running"),
            self.tr("The previous capture has not finished yet."),
            primary=("cancel-running", self.tr("Stop it and try again")),
            secondary=("choose-finger", self.tr("Back")))
        self.show_screen(self.message)

    def _on_event(self, ev: object) -> None:
        """Every enrollment event: the capture screen, the sounds, "someone is here"."""
        if self.operator is not None:
            self.idle.poke()
        if isinstance(ev, Progress) and 0 < ev.step < 3 and self.capture.running:
            self.sounds.play("accepted")
        self.capture.on_event(ev)
        if self.sim_panel is not None:
            self.sim_panel.refresh()

    def _capture_finished(self, result: Result) -> None:
        self.topbar.set_capturing(False)
        if self._pending_signout:
            self._finish_signout()
            return
        assert self.person is not None
        if result.outcome is Outcome.COMPLETED:
            self._completed = result
            if self.sim_panel is not None:
                self.sim_panel.remember_enrolled()
            if self._should_check():
                self.sounds.play("accepted")
                self._start_check()
                return
            self.sounds.play("success")
            self._show_result(result)
            return
        if result.outcome is Outcome.CANCELLED:
            self.fingers.start(self.person)
            self.fingers.choose(self.finger)
            self.show_screen(self.fingers)
            return
        self.sounds.play("failure")
        if result.outcome is Outcome.DUPLICATE:
            assert self.operator is not None
            self.duplicate.show_duplicate(result, self.finger, self.operator.name)
            self.show_screen(self.duplicate)
            return
        self._show_failure(result)

    def _show_result(self, result: Result, check: VerifyResult | None = None) -> None:
        assert self.person is not None
        enrolled = len(self.person.fingers) + 1
        self.result.show_result(self.person, self.finger, result, enrolled,
                                self.config.enrollment.fingers_per_person,
                                self.station.sync.state)
        if check is not None:
            self.result.show_check(check)
        self.show_screen(self.result)

    def _show_failure(self, result: Result) -> None:
        assert self.person is not None
        kind = _KINDS.get(result.reason, "failed")
        words = wording.outcome(result, self.finger,
                                idle_timeout_s=self.config.enrollment.idle_timeout_s)
        kept = self.tr("The fingers enrolled before are kept.") if self.person.fingers else ""
        detail = " ".join(x for x in (render(words.next_step), kept) if x)
        self.message.show_message(
            kind, render(words.headline), render(words.body),
            primary=("retry", self.tr("Try again")),
            secondary=("next-person", self.tr("Next person")),
            third=("choose-finger", self.tr("Choose another finger")), detail=detail)
        if kind == "unplugged":
            self._unplugged_wait()
        self.show_screen(self.message)

    def _unplugged_wait(self) -> None:
        """The unplugged screen follows the sensor: waiting, then "it is back"."""
        ready = self.station.sensor_status.state.usable
        self.message.primary.setEnabled(ready)
        self.message.primary.setText(self.tr("Try again") if ready
                                     else self.tr("Waiting for the sensor…"))
        if ready:
            self.message.detail.setText(render(wording.sensor_back()))

    # -- the check after enrollment -----------------------------------------------------
    def _should_check(self) -> bool:
        policy = self.config.enrollment.verify
        if policy == "off" or self._override_used or self.person is None:
            return False
        if policy == "every-finger":
            return True
        return len(self.person.fingers) + 1 >= self.config.enrollment.fingers_per_person

    def _start_check(self) -> None:
        result = self._completed
        assert self.person is not None and self.operator is not None and result is not None
        if result.slot is None:
            self._show_result(result)
            return
        self.capture.start(self.person, self.finger,
                           timeout_s=self.config.enrollment.idle_timeout_s, verify=True)
        self.topbar.set_capturing(True)
        try:
            self.station.desk.verify(self.person.external_id, self.finger, slot=result.slot,
                                     template_uuid=result.template_uuid or "",
                                     operator=self.operator.name)
        except EnrollmentBusy:
            self.capture.running = False
            self.topbar.set_capturing(False)
            self._show_result(result)
            return
        self.show_screen(self.capture)

    def _verified(self, check: VerifyResult) -> None:
        self.topbar.set_capturing(False)
        if self._pending_signout:
            self._finish_signout()
            return
        result = self._completed
        assert result is not None and self.person is not None
        if check.failed:
            self.sounds.play("failure")
            words = wording.verify_outcome(check)
            self.message.show_message(
                "check-failed", render(words.headline), render(words.body), tone="bigWarn",
                detail=render(words.next_step),
                primary=("check-again", self.tr("Check once more")),
                secondary=("next-person", self.tr("Keep it, next person")),
                third=("re-enroll", self.tr("Enroll this finger again")))
            self.show_screen(self.message)
            return
        self.sounds.play("success" if check.passed else "failure")
        self._show_result(result, check)

    # -- messages -----------------------------------------------------------------------
    def _message_action(self, key: str) -> None:
        if key == "retry":
            self.start_capture(self.finger)
        elif key == "choose-finger" and self.person is not None:
            failed = self.finger
            self._person_from_db(lambda p: self._choose_other(p, failed))
        elif key == "cancel-running":
            self.station.desk.cancel()
            self._when_sensor_free(lambda: self.start_capture(self.finger))
        elif key == "check-again":
            self._start_check()
        elif key == "re-enroll":
            finger = self.finger
            self.message.ask(
                self.tr("Delete the {finger} just saved and capture it again?").format(
                    finger=finger_name(finger)),
                self.tr("Yes, enroll it again"),
                lambda: self._replace_finger(finger, CHECK_FAILED_REASON))
        elif key == "back-person":
            self._back_to_person()
        else:
            self._next_person()

    def _choose_other(self, person: PersonStatus, failed: Finger) -> None:
        self.fingers.start(person, avoid=(failed,))
        self.show_screen(self.fingers)

    def _when_sensor_free(self, then: Callable[[], None], tries: int = 50) -> None:
        """Run ``then`` once the cancelled capture has let go of the sensor."""
        if self.station.desk.running is None or tries <= 0:
            then()
            return
        QTimer.singleShot(100, lambda: self._when_sensor_free(then, tries - 1))

    def _duplicate_override(self, admin: str, reason: str) -> None:
        self.start_capture(self.finger, DuplicateOverride(admin, reason))

    def _next_finger(self) -> None:
        """The finger picker, from the person as the database has them now."""
        self._person_from_db(self._route)

    # -- station state ------------------------------------------------------------------
    def _sensor_status(self, s: SensorStatus) -> None:
        self.statusbar.set_sensor(s)
        problem = render(wording.sensor_problem(s.problem)) if s.problem else ""
        self.fingers.set_sensor_ready(s.state.usable, problem)
        if self.current() is self.message and self.message.kind == "unplugged":
            self._unplugged_wait()
        if self.current() is self.admin:
            self.admin.sensor_changed()
        if self.sim_panel is not None:
            self.sim_panel.refresh()

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
    FailReason.UNPLUGGED: "unplugged", FailReason.NOT_CONNECTED: "unplugged",
    FailReason.NO_FINGER: "timeout", FailReason.FINGER_NOT_LIFTED: "not-lifted",
    FailReason.CANCELLED: "cancelled",
}
