"""The duplicate gate: a neutral screen for the person, the details for an administrator only.

The person being enrolled can see this screen, so it never names anybody: "this finger is
already registered — please ask the supervisor". An administrator types their PIN to see
whose finger the sensor found; in the rare legitimate case (the same person holds two
records, a record was merged) they can enroll anyway with a reason, which the desk puts in the
audit log before the capture starts. Leaving the screen hides the details again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.app import Finger, Operator, OperatorAdmin, PinCheck, Result, Role, wording
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import render
from kiosk.ui.widgets import button, describe, submit_on_enter
from kiosk.ui.worker import run_async


class DuplicateScreen(Screen):
    """Neutral words, "Next person"; a supervisor's PIN shows whose finger and allows an
    override with a reason."""

    nextPerson = Signal()
    #: (administrator, reason): enroll this finger although the sensor holds a match.
    override = Signal(str, str)

    def __init__(self, operators: OperatorAdmin, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.operators = operators
        self.headline = label("", "bigWarn")
        self.text = label("", "message")
        self.detail = label("", "hint")
        self.body.addStretch(1)
        self.body.addWidget(self.headline)
        self.body.addWidget(self.text)
        self.body.addWidget(self.detail)
        # the supervisor's part: PIN first, then the details and the override
        self.panel = QFrame()
        self.panel.setObjectName("card")
        pv = QVBoxLayout(self.panel)
        pv.setContentsMargins(20, 14, 20, 14)
        pin_row = QHBoxLayout()
        self.admin = QComboBox()
        describe(self.admin, self.tr("Administrator"), self.tr("The supervisor signing this "
                                                               "decision."))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setPlaceholderText(self.tr("Administrator PIN"))
        describe(self.pin, self.tr("Administrator PIN"),
                 self.tr("Enter shows whose finger the sensor found."))
        self.show_details = button(self.tr("Show the details"), description=self.tr(
            "Checks the administrator PIN, then shows whose finger this is."))
        submit_on_enter(self.pin, self._check_pin)
        self.show_details.clicked.connect(self._check_pin)
        pin_row.addWidget(self.admin)
        pin_row.addWidget(self.pin, 1)
        pin_row.addWidget(self.show_details)
        self.pin_row = QWidget()
        self.pin_row.setLayout(pin_row)
        pin_row.setContentsMargins(0, 0, 0, 0)
        self.pin_message = label("", "error")
        self.details = label("", "message")
        self.details.setAccessibleName(self.tr("Details for the administrator"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why this finger may be enrolled anyway"))
        describe(self.reason, self.tr("Reason for the override"),
                 self.tr("Recorded in the audit log with your name."))
        self.enroll_anyway = button(self.tr("Enroll anyway"), "danger", description=self.tr(
            "Enrolls this finger although the sensor holds a matching one (after a "
            "confirmation)."))
        self.enroll_anyway.clicked.connect(self._ask_override)
        submit_on_enter(self.reason, self._ask_override)
        self.reason.textChanged.connect(
            lambda t: self.enroll_anyway.setEnabled(bool(t.strip())))
        override_row = QHBoxLayout()
        override_row.addWidget(self.reason, 1)
        override_row.addWidget(self.enroll_anyway)
        self.override_box = QWidget()
        ov = QVBoxLayout(self.override_box)
        ov.setContentsMargins(0, 0, 0, 0)
        ov.addWidget(self.details)
        ov.addLayout(override_row)
        pv.addWidget(self.pin_row)
        pv.addWidget(self.pin_message)
        pv.addWidget(self.override_box)
        self.body.addWidget(self.panel)
        self.body.addStretch(2)
        self.supervisor = button(self.tr("Supervisor…"), description=self.tr(
            "For the supervisor: type the administrator PIN to see the details."))
        self.supervisor.clicked.connect(self._open_panel)
        self.extra.addWidget(self.supervisor)
        self.primary.setText(self.tr("Next person"))
        self.primary.setAccessibleDescription(self.tr("Nothing was saved; back to the search."))
        self.primary.clicked.connect(self.nextPerson)
        self.result: Result | None = None
        self.admin_name = ""
        self._signed_in = ""
        self._hide_details()

    def show_duplicate(self, result: Result, finger: Finger, signed_in: str) -> None:
        words = wording.outcome(result, finger)
        self.result = result
        self.title.setText("")
        self.headline.setText(render(words.headline))
        self.text.setText(render(words.body))
        self.detail.setText(render(words.next_step))
        self._hide_details()
        self._signed_in = signed_in
        self.admin.clear()

    def _hide_details(self) -> None:
        self.panel.hide()
        self.pin_row.show()
        self.override_box.hide()
        self.details.clear()
        self.pin.clear()
        self.pin_message.clear()
        self.reason.clear()
        self.enroll_anyway.setEnabled(False)
        self.admin_name = ""
        self.supervisor.show()

    def _open_panel(self) -> None:
        ops = self.operators
        run_async(ops.list, self._fill_admins)
        self.panel.show()
        self.supervisor.hide()
        self.pin.setFocus()

    def _fill_admins(self, ops: list[Operator]) -> None:
        names = [o.name for o in ops if o.role is Role.ADMIN and o.active]
        self.admin.clear()
        self.admin.addItems(names)
        if self._signed_in in names:
            self.admin.setCurrentText(self._signed_in)

    def _check_pin(self) -> None:
        name, pin = self.admin.currentText(), self.pin.text()
        if not name or not pin:
            self.pin_message.setText(self.tr("Choose the administrator and type the PIN."))
            return
        self.pin.clear()
        run_async(lambda: self.operators.verify_pin(name, pin), self._pin_checked,
                  lambda _e: self.pin_message.setText(self.tr("The PIN could not be checked.")))

    def _pin_checked(self, check: PinCheck) -> None:
        if not check.ok or check.operator is None:
            self.pin_message.setText(self.tr("Wrong PIN.") if check.locked_until is None
                                     else self.tr("Too many wrong PINs; try again later."))
            self.pin.setFocus()
            return
        if check.operator.role is not Role.ADMIN:
            self.pin_message.setText(self.tr("Only an administrator can see the details."))
            return
        self.admin_name = check.operator.name
        self.pin_message.clear()
        self.pin_row.hide()  # signed: the details and the decision take its place
        if self.result is not None:
            self.details.setText(render(wording.duplicate_detail(self.result)))
        self.override_box.show()
        self.reason.setFocus()

    def _ask_override(self) -> None:
        reason = self.reason.text().strip()
        if not self.admin_name or not reason:
            return
        admin = self.admin_name
        self.ask(self.tr("Enroll this finger anyway? {admin} is recorded as having decided it, "
                         "with the reason given.").format(admin=admin),
                 self.tr("Yes, enroll anyway"), lambda: self.override.emit(admin, reason))

    def details_visible(self) -> bool:
        return self.override_box.isVisible() and bool(self.details.text())

    def entered(self) -> None:
        self.primary.setFocus()

    def reset(self) -> None:
        super().reset()
        self.result = None
        self._hide_details()


__all__ = ["DuplicateScreen"]
