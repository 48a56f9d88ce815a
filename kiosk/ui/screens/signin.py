"""Sign-in with a PIN, or creating the first administrator on a new station; the language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import Operator, OperatorAdmin, PinCheck
from kiosk.ui.i18n import LANGUAGES
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.widgets import describe, submit_on_enter
from kiosk.ui.worker import run_async

MIN_PIN = 4


class SignInScreen(Screen):
    """PIN sign-in, or creating the first administrator on a new station."""

    signedIn = Signal(object)  # Operator
    #: The operator picked another language (a language code).
    languageChosen = Signal(str)

    def __init__(self, operators: OperatorAdmin, language: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.operators = operators
        self._first_run = False
        self._lock_left = 0
        self.intro = label("", "hint")
        self.name_label = label(self.tr("Operator"))
        self.name_combo = QComboBox()
        describe(self.name_combo, self.tr("Operator"), self.tr("Your name in the list of "
                                                               "operators."))
        self.name_edit = QLineEdit()
        describe(self.name_edit, self.tr("Your name"),
                 self.tr("The first administrator's name, as colleagues will see it."))
        self.pin_label = label(self.tr("PIN"))
        self.pin = QLineEdit()
        describe(self.pin, self.tr("PIN"), self.tr("At least 4 digits. Enter signs in."))
        self.pin2_label = label(self.tr("PIN again"))
        self.pin2 = QLineEdit()
        describe(self.pin2, self.tr("PIN again"), self.tr("The same PIN once more."))
        for e in (self.pin, self.pin2):
            e.setEchoMode(QLineEdit.EchoMode.Password)
            e.setMaxLength(12)
            e.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        for e in (self.name_edit, self.pin, self.pin2):
            submit_on_enter(e, self._submit)
        self.language_label = label(self.tr("Language"))
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        describe(self.language, self.tr("Language"),
                 self.tr("The language of the desk for this session."))
        self.language.activated.connect(self._language)
        # The message has its own reserved room under the form: it never covers a field.
        self.message = label("", "error")
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 8)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message.setAccessibleName(self.tr("Message"))
        form = QFormLayout()
        form.setVerticalSpacing(18)
        form.setHorizontalSpacing(16)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        name_cell = QHBoxLayout()
        name_cell.setContentsMargins(0, 0, 0, 0)
        name_cell.addWidget(self.name_combo)
        name_cell.addWidget(self.name_edit)
        for lab in (self.name_label, self.pin_label, self.pin2_label, self.language_label):
            lab.setWordWrap(False)
        form.addRow(self.name_label, name_cell)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.pin2_label, self.pin2)
        form.addRow(self.language_label, self.language)
        self.name_label.setBuddy(self.name_combo)
        self.pin_label.setBuddy(self.pin)
        self.pin2_label.setBuddy(self.pin2)
        self.language_label.setBuddy(self.language)
        box = QWidget()
        box.setMinimumWidth(560)
        box.setMaximumWidth(760)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(14)
        v.addWidget(self.intro)
        v.addLayout(form)
        v.addWidget(self.message)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(box, 3)
        centre.addStretch(1)
        self.body.addStretch(1)
        self.body.addLayout(centre)
        self.body.addStretch(2)
        for w in (self.name_edit, self.pin2, self.pin2_label):
            w.hide()
        self.primary.setText(self.tr("Sign in"))
        # Described before the operators are read, so a screen reader has words at once.
        self.primary.setAccessibleDescription(self.tr("Signs in with the chosen name and PIN."))
        self.primary.clicked.connect(self._submit)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._countdown)
        self.setTabOrder(self.name_combo, self.name_edit)
        self.setTabOrder(self.name_edit, self.pin)
        self.setTabOrder(self.pin, self.pin2)
        self.setTabOrder(self.pin2, self.language)
        self.setTabOrder(self.language, self.primary)

    def entered(self) -> None:
        self.pin.clear()
        self.pin2.clear()
        self.primary.setEnabled(self._lock_left <= 0)
        ops = self.operators
        run_async(lambda: (ops.has_admin(), ops.names()), self._loaded, self._failed)

    def _language(self, _index: int) -> None:
        code = self.language.currentData()
        if isinstance(code, str):
            self.languageChosen.emit(code)

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
        self.name_label.setBuddy(self.name_edit if first else self.name_combo)
        self.pin2.setVisible(first)
        self.pin2_label.setVisible(first)
        self.primary.setText(self.tr("Create administrator") if first else self.tr("Sign in"))
        self.primary.setAccessibleDescription(
            self.tr("Creates the account and signs it in.") if first
            else self.tr("Signs in with the chosen name and PIN."))
        if not first:
            current = self.name_combo.currentText()
            self.name_combo.clear()
            self.name_combo.addItems(names)
            if current in names:
                self.name_combo.setCurrentText(current)
        (self.name_edit if first else self.pin).setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.primary.setEnabled(True)
        self.message.setText(self.tr("That did not work: {e}").format(e=exc))

    def _submit(self) -> None:
        if not self.primary.isEnabled():
            return  # locked out, or a check is running
        pin = self.pin.text()
        if len(pin) < MIN_PIN or not pin.isdigit():
            self.message.setText(self.tr("The PIN is at least 4 digits."))
            self.pin.setFocus()
            return
        self.primary.setEnabled(False)
        if self._first_run:
            name = self.name_edit.text().strip()
            if not name:
                self.message.setText(self.tr("Type your name."))
                self.primary.setEnabled(True)
                self.name_edit.setFocus()
                return
            if pin != self.pin2.text():
                self.message.setText(self.tr("The two PINs are different. Type them again."))
                self.pin.clear()
                self.pin2.clear()
                self.primary.setEnabled(True)
                self.pin.setFocus()
                return
            run_async(lambda: self.operators.create_first_admin(name, pin),
                      self._done_op, self._failed)
        else:
            name = self.name_combo.currentText()
            run_async(lambda: self.operators.verify_pin(name, pin), self._checked, self._failed)

    def _done_op(self, op: Operator) -> None:
        self.message.clear()
        self.primary.setEnabled(True)
        self.signedIn.emit(op)

    def _checked(self, check: PinCheck) -> None:
        self.pin.clear()
        if check.ok and check.operator is not None:
            self._done_op(check.operator)
            return
        locked_for = 0.0
        if check.locked_until is not None:
            locked_for = (check.locked_until - datetime.now(UTC)).total_seconds()
        if locked_for > 0:
            self._lock_left = int(locked_for + 0.999)
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

    def reset(self) -> None:
        super().reset()
        self.pin.clear()
        self.pin2.clear()
        self.name_edit.clear()
        if not self.is_locked():
            self.message.clear()

    @property
    def first_run(self) -> bool:
        """The screen is (or just was) creating the station's first administrator."""
        return self._first_run
