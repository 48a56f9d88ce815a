"""The screens of the enrollment flow, one task each.

Every screen has one primary action (bottom-right, Enter) and at most one secondary
(bottom-left, Esc). Screens never call blocking services on the GUI thread: store calls go
through :func:`kiosk.ui.worker.run_async`, the sensor through the bridge's signals.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.enrollment.events import Outcome, Progress, Prompt, PromptKind, Result, Retry
from kiosk.ui.ports import (
    CONSENT_REFUSED,
    ROLE_ADMIN,
    ConsentRecord,
    Operator,
    Person,
    PinCheck,
    StorePort,
    SyncState,
)
from kiosk.ui.text import enrollment_state, finger_name
from kiosk.ui.widgets import HandDiagram, Illustration, SegmentedProgress, button, set_tone
from kiosk.ui.worker import run_async
from kiosk_contract.fingers import Finger

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 150
#: Rows shown for a search: more than fit on the screen is only slower (each row carries its
#: enrollment and sync state); typing more narrows it down.
ROWS = 20
MIN_PIN = 4


def label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    w = QLabel(text)
    if name:
        w.setObjectName(name)
    w.setWordWrap(wrap)
    return w


class Screen(QWidget):
    """A card with a title, a body and the primary/secondary button row."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 20, 32, 20)
        outer.setSpacing(16)
        self.title = label(title, "title")
        outer.addWidget(self.title)
        self.body = QVBoxLayout()
        self.body.setSpacing(14)
        outer.addLayout(self.body, 1)
        row = QHBoxLayout()
        self.secondary = button("")
        self.primary = button("", "primary")
        self.extra = QHBoxLayout()
        row.addWidget(self.secondary)
        row.addLayout(self.extra)
        row.addStretch(1)
        row.addWidget(self.primary)
        outer.addLayout(row)
        self.secondary.hide()

    def activate_primary(self) -> None:
        if self.primary.isVisible() and self.primary.isEnabled():
            self.primary.click()

    def activate_secondary(self) -> None:
        if self.secondary.isVisible() and self.secondary.isEnabled():
            self.secondary.click()

    def entered(self) -> None:
        """Called when the screen becomes current; sets the initial focus."""


# ---------------------------------------------------------------------------------------
class SignInScreen(Screen):
    """PIN sign-in, or creating the first administrator on a new station."""

    signedIn = Signal(object)  # Operator

    def __init__(self, store: StorePort, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.store = store
        self._first_run = False
        self._lock_left = 0
        self.intro = label("", "hint")
        self.name_label = label(self.tr("Operator"))
        self.name_combo = QComboBox()
        self.name_edit = QLineEdit()
        self.pin_label = label(self.tr("PIN"))
        self.pin = QLineEdit()
        self.pin2_label = label(self.tr("PIN again"))
        self.pin2 = QLineEdit()
        for e in (self.pin, self.pin2):
            e.setEchoMode(QLineEdit.EchoMode.Password)
            e.setMaxLength(12)
            e.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.message = label("", "error")
        form = QFormLayout()
        form.setVerticalSpacing(18)
        form.setHorizontalSpacing(16)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        name_cell = QHBoxLayout()
        name_cell.setContentsMargins(0, 0, 0, 0)
        name_cell.addWidget(self.name_combo)
        name_cell.addWidget(self.name_edit)
        for lab in (self.name_label, self.pin_label, self.pin2_label):
            lab.setWordWrap(False)
        form.addRow(self.name_label, name_cell)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.pin2_label, self.pin2)
        box = QWidget()
        box.setMinimumWidth(520)
        box.setMaximumWidth(720)
        v = QVBoxLayout(box)
        v.addWidget(self.intro)
        v.addLayout(form)
        v.addWidget(self.message)
        self.body.addStretch(1)
        self.body.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        self.body.addStretch(2)
        for w in (self.name_edit, self.pin2, self.pin2_label):
            w.hide()
        self.primary.setText(self.tr("Sign in"))
        self.primary.clicked.connect(self._submit)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._countdown)
        self.setTabOrder(self.name_combo, self.name_edit)
        self.setTabOrder(self.name_edit, self.pin)
        self.setTabOrder(self.pin, self.pin2)
        self.setTabOrder(self.pin2, self.primary)

    def entered(self) -> None:
        self.pin.clear()
        self.pin2.clear()
        self.primary.setEnabled(self._lock_left <= 0)
        run_async(lambda: (self.store.has_operators(), self.store.operator_names()),
                  self._loaded, self._failed)

    def _loaded(self, value: Any) -> None:
        has_ops, names = value
        self._first_run = not has_ops
        first = self._first_run
        self.title.setText(self.tr("Create the first administrator") if first
                           else self.tr("Sign in"))
        self.intro.setText(
            self.tr("This station has no operators yet. The first account is an administrator "
                    "who can add the others.") if first
            else self.tr("Choose your name and type your PIN."))
        self.name_combo.setVisible(not first)
        self.name_edit.setVisible(first)
        self.name_label.setText(self.tr("Your name") if first else self.tr("Operator"))
        self.pin2.setVisible(first)
        self.pin2_label.setVisible(first)
        self.primary.setText(self.tr("Create administrator") if first else self.tr("Sign in"))
        if not first:
            current = self.name_combo.currentText()
            self.name_combo.clear()
            self.name_combo.addItems(names)
            if current in names:
                self.name_combo.setCurrentText(current)
        (self.name_edit if first else self.pin).setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(self.tr("The station database cannot be read: {e}").format(e=exc))

    def _submit(self) -> None:
        pin = self.pin.text()
        if len(pin) < MIN_PIN or not pin.isdigit():
            self.message.setText(self.tr("The PIN is at least 4 digits."))
            return
        self.primary.setEnabled(False)
        if self._first_run:
            name = self.name_edit.text().strip()
            if not name:
                self.message.setText(self.tr("Type your name."))
                self.primary.setEnabled(True)
                return
            if pin != self.pin2.text():
                self.message.setText(self.tr("The two PINs are different. Type them again."))
                self.pin.clear()
                self.pin2.clear()
                self.primary.setEnabled(True)
                return
            run_async(lambda: self.store.create_operator(name, pin, ROLE_ADMIN),
                      self._done_op, self._failed)
        else:
            name = self.name_combo.currentText()
            run_async(lambda: self.store.verify_pin(name, pin), self._checked, self._failed)

    def _done_op(self, op: Operator) -> None:
        self.message.clear()
        self.primary.setEnabled(True)
        self.signedIn.emit(op)

    def _checked(self, check: PinCheck) -> None:
        self.pin.clear()
        if check.operator is not None:
            self._done_op(check.operator)
            return
        if check.locked_for_s > 0:
            self._lock_left = int(check.locked_for_s + 0.999)
            self._countdown()
            self._tick.start()
            return
        self.primary.setEnabled(True)
        left = check.attempts_left
        self.message.setText(
            self.tr("Wrong PIN. {n} tries left before a short lock.").format(n=left)
            if left is not None else self.tr("Wrong PIN."))
        self.pin.setFocus()

    def _countdown(self) -> None:
        if self._lock_left <= 0:
            self._tick.stop()
            self.message.clear()
            self.primary.setEnabled(True)
            return
        self.primary.setEnabled(False)
        self.message.setText(self.tr("Too many wrong PINs. Try again in {s} seconds, or ask "
                                     "an administrator.").format(s=self._lock_left))
        self._lock_left -= 1

    def is_locked(self) -> bool:
        return self._tick.isActive()

    @property
    def first_run(self) -> bool:
        """The screen is (or just was) creating the station's first administrator."""
        return self._first_run


# ---------------------------------------------------------------------------------------
class SearchScreen(Screen):
    """Type-ahead search over the roster, with each person's enrollment state."""

    personChosen = Signal(object)  # Person
    syncRequested = Signal()

    COLUMNS = ("Name", "ID", "Group", "Fingerprints")

    def __init__(self, store: StorePort, config: Config, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.setText(self.tr("Find the person"))
        self.store = store
        self.config = config
        self._ticket = 0
        self._answered = 0
        #: False when no central server is set up: then only the CSV import is offered.
        self.can_sync = True
        self._rows: list[Person] = []
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Type a name or an ID"))
        self.query.setClearButtonEnabled(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(52)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QFrame()
        self.empty.setObjectName("card")
        ev = QVBoxLayout(self.empty)
        ev.setContentsMargins(24, 24, 24, 24)
        self.empty_title = label("", "message")
        self.empty_text = label("", "hint")
        self.empty_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_button = button(self.tr("Get the roster from the central server"))
        self.sync_button.clicked.connect(self.syncRequested)
        ev.addWidget(self.empty_title)
        ev.addWidget(self.empty_text)
        ev.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignLeft)
        ev.addStretch(1)
        self.body.addWidget(self.query)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.empty, 1)
        self.empty.hide()
        self.primary.setText(self.tr("Continue"))
        self.primary.setEnabled(False)
        self.primary.clicked.connect(self._choose)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search)
        self.query.textChanged.connect(lambda _t: self._debounce.start())
        self.table.itemSelectionChanged.connect(self._selection)
        self.table.itemDoubleClicked.connect(lambda _i: self._choose())
        self.query.returnPressed.connect(self._enter)
        self.setTabOrder(self.query, self.table)
        self.setTabOrder(self.table, self.primary)

    def entered(self) -> None:
        self.query.setFocus()
        self.query.selectAll()
        self._search()

    def _search(self) -> None:
        self._ticket += 1
        ticket = self._ticket
        text = self.query.text()
        store = self.store

        def query() -> tuple[int, list[Person]]:
            rows = store.search_people(text, ROWS)
            # the roster size only matters when nothing matched (empty roster or no match)
            return (len(rows) if rows else store.roster_size()), rows

        run_async(query, lambda v: self._show(ticket, text, v), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._answered = self._ticket
        self._show_empty(self.tr("The roster cannot be read"), str(exc), sync=False)

    def _show(self, ticket: int, text: str, value: Any) -> None:
        if ticket != self._ticket:
            return  # a newer keystroke is on its way
        self._answered = ticket
        size, rows = value
        self._rows = list(rows)
        if size == 0:
            how = self.tr("Before enrolling, this station needs the list of people. Get it from "
                          "the central server with the button below, or ask an administrator "
                          "to import a CSV file with:") if self.can_sync else self.tr(
                "Before enrolling, this station needs the list of people. No central server "
                "is set up, so ask an administrator to import a CSV file with:")
            self._show_empty(self.tr("The roster is empty"),
                             how + "\n    kiosk roster import FILE.csv", sync=self.can_sync)
            return
        if not rows:
            self._show_empty(self.tr("No one matches “{q}”").format(q=text.strip()),
                             self.tr("Check the spelling, or search by ID."), sync=False)
            return
        self.empty.hide()
        self.table.show()
        required = self.config.enrollment.fingers_per_person
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            for c, value_ in enumerate((p.name, p.external_id, p.group,
                                        enrollment_state(p, required))):
                self.table.setItem(r, c, QTableWidgetItem(value_))
        self.table.selectRow(0)

    def _show_empty(self, title: str, text: str, *, sync: bool) -> None:
        self._rows = []
        self.table.setRowCount(0)
        self.table.hide()
        self.empty_title.setText(title)
        self.empty_text.setText(text)
        self.sync_button.setVisible(sync)
        self.empty.show()
        self.primary.setEnabled(False)

    def _selection(self) -> None:
        self.primary.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def selected(self) -> Person | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def is_settled(self) -> bool:
        """The list shows the answer to what is typed now (no query waiting or running)."""
        return not self._debounce.isActive() and self._answered == self._ticket

    def result_count(self) -> int:
        return len(self._rows)

    def _enter(self) -> None:
        if self._debounce.isActive():
            self._debounce.stop()
            self._search()
            return
        self._choose()

    def _choose(self) -> None:
        p = self.selected()
        if p is not None:
            self.personChosen.emit(p)


# ---------------------------------------------------------------------------------------
class ConsentScreen(Screen):
    """The versioned notice, the method, and consent or refusal recorded as such."""

    decided = Signal(bool)  # True = consent given

    METHODS = (
        ("signed-paper", "Signed the paper form"),
        ("on-screen", "Accepted on this screen"),
        ("operator-attestation", "Said yes; I confirm as the operator"),
    )

    def __init__(self, store: StorePort, config: Config, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.store = store
        self.config = config
        self.person: Person | None = None
        self.operator: Operator | None = None
        c = config.consent
        self.notice = label(c.notice_text, "notice")
        self.version = label(self.tr("Notice version {v}").format(v=c.notice_version), "hint")
        self.alt = label(self.tr("If the person says no: {alt}. Saying no has no other "
                                 "consequence.").format(alt=c.alternative), "hint")
        self.method_group = QButtonGroup(self)
        methods = QVBoxLayout()
        methods.setSpacing(0)
        methods.addWidget(label(self.tr("How was consent given?")))
        self.method_buttons: dict[str, QRadioButton] = {}
        for i, (key, text) in enumerate(self.METHODS):
            rb = QRadioButton(self.tr(text))
            self.method_group.addButton(rb, i)
            self.method_buttons[key] = rb
            methods.addWidget(rb)
        self.message = label("", "error")
        self.body.addWidget(self.notice)
        self.body.addWidget(self.version)
        self.body.addLayout(methods)
        self.body.addWidget(self.alt)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.secondary.setText(self.tr("Back"))
        self.secondary.show()
        self.refuse = button(self.tr("Person refuses"), "danger")
        self.extra.addWidget(self.refuse)
        self.primary.setText(self.tr("Consent given"))
        self.primary.setEnabled(False)
        self.method_group.idToggled.connect(lambda _i, _on: self.primary.setEnabled(
            self.method_group.checkedId() >= 0))
        self.primary.clicked.connect(lambda: self._record(True))
        self.refuse.clicked.connect(lambda: self._record(False))

    def start(self, person: Person, operator: Operator) -> None:
        self.person = person
        self.operator = operator
        self.title.setText(self.tr("Consent — {name}").format(name=person.name))
        self.method_group.setExclusive(False)
        for b in self.method_buttons.values():
            b.setChecked(False)
        self.method_group.setExclusive(True)
        self.primary.setEnabled(False)
        self.message.clear()

    def entered(self) -> None:
        self.method_buttons["signed-paper"].setFocus()

    def method(self) -> str:
        i = self.method_group.checkedId()
        return self.METHODS[i][0] if i >= 0 else ""

    def _record(self, granted: bool) -> None:
        if self.person is None or self.operator is None:
            return
        c = self.config.consent
        rec = ConsentRecord(
            external_id=self.person.external_id,
            method=self.method() if granted else CONSENT_REFUSED,
            notice_version=c.notice_version, notice_text=c.notice_text,
            operator=self.operator.name, alternative_offered=True,
            language=self.config.ui.language,
        )
        self.primary.setEnabled(False)
        self.refuse.setEnabled(False)
        run_async(lambda: self.store.record_consent(rec), lambda _v: self._recorded(granted),
                  self._failed)

    def _recorded(self, granted: bool) -> None:
        self.refuse.setEnabled(True)
        self.decided.emit(granted)

    def _failed(self, exc: BaseException) -> None:
        self.refuse.setEnabled(True)
        self.primary.setEnabled(self.method_group.checkedId() >= 0)
        self.message.setText(self.tr("The consent could not be saved: {e}").format(e=exc))


# ---------------------------------------------------------------------------------------
def suggest_finger(config: Config, enrolled: tuple[str, ...]) -> str | None:
    """The policy's next finger: first suggestion not enrolled, on the other hand if asked."""
    policy = config.enrollment
    free = [f for f in policy.suggested_fingers if f not in enrolled]
    if policy.prefer_different_hands and enrolled:
        used = {f.split("-")[0] for f in enrolled}
        other = [f for f in free if f.split("-")[0] not in used]
        if other:
            return other[0]
    if free:
        return free[0]
    rest = [f.value for f in Finger if f not in enrolled]
    return rest[0] if rest else None


class FingerScreen(Screen):
    """Choose the finger on the hand diagram; policy suggestion preselected."""

    fingerChosen = Signal(str)

    def __init__(self, config: Config, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.config = config
        self.hands = HandDiagram()
        self.hands.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hands.fingerChosen.connect(self._picked)
        self.legend = label("", "hint")
        self.choice = label("", "message")
        self.body.addWidget(self.hands, 1)
        self.body.addWidget(self.choice)
        self.body.addWidget(self.legend)
        self.secondary.setText(self.tr("Back"))
        self.secondary.show()
        self.primary.setText(self.tr("Start capture"))
        self.primary.clicked.connect(self._go)
        self.sensor_note = label("", "warn")
        self.body.addWidget(self.sensor_note)
        self._sensor_ok = True
        self._finger: str | None = None

    def set_sensor_ready(self, ready: bool, message: str = "") -> None:
        """No capture can start without a sensor: say so here instead of failing later."""
        self._sensor_ok = ready
        self.sensor_note.setText("" if ready else self.tr(
            "The sensor is not connected. Plug it in; this button turns on by itself.")
            + (f" ({message})" if message and not ready else ""))
        self._update_primary()

    def _update_primary(self) -> None:
        self.primary.setEnabled(self._finger is not None and self._sensor_ok)
        self.primary.setText(self.tr("Start capture") if self._sensor_ok
                             else self.tr("Waiting for the sensor…"))

    def start(self, person: Person) -> None:
        self.title.setText(self.tr("Choose the finger — {name}").format(name=person.name))
        suggestion = suggest_finger(self.config, person.enrolled)
        self.hands.set_state(done=set(person.enrolled),
                             suggested=set(self.config.enrollment.suggested_fingers),
                             chosen=suggestion)
        self.legend.setText(self.tr("Green: already enrolled. Light blue: recommended. "
                                    "Tap another finger to change."))
        self._picked(suggestion)

    def _picked(self, finger: str | None) -> None:
        self._finger = finger
        self._update_primary()
        self.choice.setText(self.tr("Chosen: {finger}").format(finger=finger_name(finger))
                            if finger else self.tr("Every finger is enrolled."))

    def choose(self, finger: str) -> None:
        """Keyboard/test path equal to a tap on the diagram."""
        self.hands.set_state(chosen=finger)
        self._picked(finger)

    def entered(self) -> None:
        self.primary.setFocus()

    def _go(self) -> None:
        f = self.hands.chosen()
        if f:
            self.fingerChosen.emit(f)


# ---------------------------------------------------------------------------------------
class CaptureScreen(Screen):
    """What the sensor wants, how far along it is, and why to repeat — readable from afar."""

    cancelRequested = Signal()
    finished = Signal(object)  # Result

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.finger = ""
        self.hands = HandDiagram(interactive=False)
        self.picture = Illustration()
        left = QVBoxLayout()
        left.addWidget(self.hands, 2)
        left.addWidget(self.picture, 3)
        self.instruction = label("", "instruction")
        self.instruction.setMinimumHeight(120)
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.bar = SegmentedProgress()
        self.percent = label("0 %", "percent", wrap=False)
        self.retry = label("", "retry")
        self.retry.setMinimumHeight(80)
        self.retry.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        right = QVBoxLayout()
        right.addStretch(1)
        right.addWidget(self.instruction)
        right.addSpacing(12)
        right.addWidget(self.bar)
        right.addWidget(self.percent)
        right.addWidget(self.retry)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left, 2)
        row.addSpacing(24)
        row.addLayout(right, 3)
        self.body.addLayout(row, 1)
        self.secondary.setText(self.tr("Cancel"))
        self.secondary.show()
        self.secondary.clicked.connect(self._cancel)
        self.primary.hide()
        self.running = False
        #: Prompts shown so far and the last one's kind (tests and the simulated person wait
        #: for "place" before pressing again, as a real person would).
        self.prompts = 0
        self.last_prompt: PromptKind | None = None

    def start(self, person: Person, finger: str) -> None:
        self.finger = finger
        self.running = True
        self.title.setText(self.tr("{name} — {finger}").format(
            name=person.name, finger=finger_name(finger)))
        self.hands.set_state(done=set(person.enrolled), suggested=set(), chosen=finger)
        self.bar.setValue(0)
        self.percent.setText("0 %")
        self.retry.clear()
        self.secondary.setEnabled(True)
        self.secondary.setText(self.tr("Cancel"))
        self._prompt(Prompt(PromptKind.PLACE, ""))
        self.prompts, self.last_prompt = 0, None  # count only what the engine asks for

    def entered(self) -> None:
        self.secondary.setFocus()

    def _cancel(self) -> None:
        if self.running:
            self.secondary.setEnabled(False)
            self.secondary.setText(self.tr("Cancelling…"))
            self.cancelRequested.emit()

    def on_event(self, ev: object) -> None:
        """One engine event; runs on the GUI thread (queued from the sensor worker)."""
        if not self.running:
            return
        if isinstance(ev, Prompt):
            self._prompt(ev)
        elif isinstance(ev, Progress):
            self.bar.setValue(ev.percent)
            self.percent.setText(f"{ev.percent} %")
            if ev.step > 0:
                self.retry.clear()
        elif isinstance(ev, Retry):
            self.retry.setText(self.tr(ev.text))
        elif isinstance(ev, Result):
            self.running = False
            self.hands.set_pulsing(False)
            self.finished.emit(ev)

    def _prompt(self, ev: Prompt) -> None:
        self.prompts += 1
        self.last_prompt = ev.kind
        words = finger_name(self.finger)
        if ev.kind is PromptKind.LIFT:
            text, pic = self.tr("Lift your finger"), "lift"
        elif ev.kind is PromptKind.WORKING:
            text, pic = self.tr("Saving…"), "working"
        elif ev.kind is PromptKind.AGAIN:
            text, pic = self.tr("Again: place your {finger}").format(finger=words), "place"
        else:
            text, pic = self.tr("Place your {finger}").format(finger=words), "place"
        self.instruction.setText(text)
        self.picture.show_picture(pic)
        self.hands.set_pulsing(ev.kind in (PromptKind.PLACE, PromptKind.AGAIN))


# ---------------------------------------------------------------------------------------
class MessageScreen(Screen):
    """Full-screen outcome that stops the task: what happened, what was kept, what next."""

    action = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.headline = label("", "bigError")
        self.text = label("", "message")
        self.detail = label("", "hint")
        self.body.addStretch(1)
        self.body.addWidget(self.headline)
        self.body.addWidget(self.text)
        self.body.addWidget(self.detail)
        self.body.addStretch(2)
        self._primary_key = ""
        self._secondary_key = ""
        self.primary.clicked.connect(lambda: self.action.emit(self._primary_key))
        self.secondary.clicked.connect(lambda: self.action.emit(self._secondary_key))
        self.kind = ""

    def show_message(self, kind: str, headline: str, text: str, *, tone: str = "bigError",
                     primary: tuple[str, str], secondary: tuple[str, str] | None = None,
                     detail: str = "") -> None:
        self.kind = kind
        self.title.setText("")
        self.headline.setObjectName(tone)
        self.headline.style().unpolish(self.headline)
        self.headline.style().polish(self.headline)
        self.headline.setText(headline)
        self.text.setText(text)
        self.detail.setText(detail)
        self._primary_key, ptext = primary
        self.primary.setText(ptext)
        self.primary.setEnabled(True)
        if secondary:
            self._secondary_key, stext = secondary
            self.secondary.setText(stext)
            self.secondary.show()
        else:
            self.secondary.hide()

    def entered(self) -> None:
        (self.primary if self.primary.isEnabled() else self.secondary).setFocus()


def outcome_message(result: Result) -> tuple[str, str]:
    """(kind, headline) for a terminal result that is not a success."""
    words = {
        Outcome.DUPLICATE: ("duplicate", "This finger is already enrolled"),
        Outcome.DISCONNECTED: ("unplugged", "The sensor was unplugged"),
        Outcome.TIMED_OUT: ("timeout", "No finger was placed in time"),
        Outcome.FAILED: ("failed", "This finger could not be enrolled"),
        Outcome.CANCELLED: ("cancelled", "Cancelled"),
    }
    kind, headline = words.get(result.outcome, ("failed", "This finger could not be enrolled"))
    return kind, headline


# ---------------------------------------------------------------------------------------
class ResultScreen(Screen):
    """Registered, saved on this station, and the sync badge that turns green live."""

    nextFinger = Signal()
    nextPerson = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.big = label(self.tr("Biometric: Registered"), "bigOk")
        self.what = label("", "message")
        self.saved = label(self.tr("Saved on this station."), "message")
        self.badge = label("", "badge", wrap=False)
        self.more = label("", "hint")
        self.body.addStretch(1)
        self.body.addWidget(self.big)
        self.body.addWidget(self.what)
        self.body.addWidget(self.saved)
        self.body.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.more)
        self.body.addStretch(2)
        self.template_uuid: str | None = None
        self.synced = False
        self._needs_more = False
        self.primary.clicked.connect(self._primary)
        self.secondary.clicked.connect(self.nextPerson)

    def show_result(self, person: Person, finger: str, result: Result, enrolled_now: int,
                    required: int, sync: SyncState | None) -> None:
        self.template_uuid = result.template_uuid
        self.synced = False
        self.title.setText(person.name)
        self.what.setText(self.tr("{finger} — {n} of {m} fingers done.").format(
            finger=finger_name(finger).capitalize(), n=enrolled_now, m=required))
        self._needs_more = enrolled_now < required
        if self._needs_more:
            self.primary.setText(self.tr("Next finger"))
            self.secondary.setText(self.tr("Stop here, next person"))
            self.secondary.show()
            self.more.setText(self.tr("One more finger is needed so a cut or plaster does not "
                                      "lock the person out."))
        else:
            self.primary.setText(self.tr("Next person"))
            self.secondary.hide()
            self.more.clear()
        self.update_sync(sync)

    def set_synced(self, synced: bool, sync: SyncState | None) -> None:
        """The store says central has acknowledged this template (checked off-thread)."""
        self.synced = self.synced or synced
        self.update_sync(sync)

    def update_sync(self, sync: SyncState | None) -> None:
        if self.synced or (self.template_uuid and sync is not None
                           and self.template_uuid in sync.acked):
            self.badge.setText(self.tr("✓ Synced with the central server"))
            set_tone(self.badge, "ok")
        elif sync is None or sync.state == "disabled":
            self.badge.setText(self.tr("Not sent: no central server is set up"))
            set_tone(self.badge, "neutral")
        elif sync.state == "online":
            self.badge.setText(self.tr("Queued — sending to the central server…"))
            set_tone(self.badge, "warn")
        else:
            self.badge.setText(self.tr("Queued — will be sent when the server is back"))
            set_tone(self.badge, "warn")

    def is_synced(self) -> bool:
        return bool(self.badge.property("tone") == "ok")

    def entered(self) -> None:
        self.primary.setFocus()

    def _primary(self) -> None:
        (self.nextFinger if self._needs_more else self.nextPerson).emit()


__all__ = [
    "CaptureScreen", "ConsentScreen", "FingerScreen", "MessageScreen", "ResultScreen",
    "Screen", "SearchScreen", "SignInScreen", "label", "outcome_message", "suggest_finger",
]

