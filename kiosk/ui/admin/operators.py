"""Operators page: who may sign in, enable/disable, unlock, reset a PIN, add someone."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import Operator, Role, Station
from kiosk.ui.admin.common import ActorFn, Page, error_words, selected_rows, table
from kiosk.ui.screens.base import label
from kiosk.ui.widgets import button, describe, submit_on_enter
from kiosk.ui.worker import run_async


def _locked_for(o: Operator) -> float:
    if o.locked_until is None:
        return 0.0
    return max(0.0, (o.locked_until - datetime.now(UTC)).total_seconds())


class OperatorsPage(Page):
    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        v = self.column
        top = QHBoxLayout()
        self.op_table = table([self.tr("Name"), self.tr("Role"), self.tr("State")])
        self.op_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.op_table.itemSelectionChanged.connect(self._op_selection)
        top.addWidget(self.op_table, 1)
        actions = QVBoxLayout()
        describe(self.op_table, self.tr("Operators"), self.tr("Who may sign in at this desk."))
        self.op_toggle = button(self.tr("Disable"), description=self.tr(
            "Stops or allows the selected operator signing in."))
        self.op_toggle.clicked.connect(self.toggle_operator)
        self.op_unlock = button(self.tr("Unlock"), description=self.tr(
            "Lifts the lock after too many wrong PINs."))
        self.op_unlock.clicked.connect(self.unlock_operator)
        self.op_new_pin = QLineEdit()
        self.op_new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.op_new_pin.setMaxLength(12)
        self.op_new_pin.setPlaceholderText(self.tr("New PIN"))
        describe(self.op_new_pin, self.tr("New PIN"), self.tr(
            "4 to 12 digits for the selected operator; Enter sets it."))
        self.op_reset = button(self.tr("Reset PIN"), description=self.tr(
            "Gives the selected operator the new PIN."))
        self.op_reset.clicked.connect(self.reset_pin)
        for x in (self.op_toggle, self.op_unlock, self.op_new_pin, self.op_reset):
            actions.addWidget(x)
        actions.addStretch(1)
        top.addLayout(actions)
        v.addLayout(top, 1)
        v.addWidget(label(self.tr("Add an operator (PIN: 4 to 12 digits). Operators enroll; "
                                  "administrators also see this area."), "hint"))
        add = QHBoxLayout()
        self.op_name = QLineEdit()
        self.op_name.setPlaceholderText(self.tr("Name"))
        describe(self.op_name, self.tr("New operator's name"), self.tr(
            "Enter adds the operator once the PIN is typed."))
        self.op_pin = QLineEdit()
        self.op_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.op_pin.setMaxLength(12)
        self.op_pin.setPlaceholderText(self.tr("PIN"))
        describe(self.op_pin, self.tr("New operator's PIN"), self.tr(
            "4 to 12 digits; Enter adds the operator."))
        self.op_role = QComboBox()
        self.op_role.addItem(self.tr("Operator"), Role.STAFF)
        self.op_role.addItem(self.tr("Administrator"), Role.ADMIN)
        describe(self.op_role, self.tr("Role"), self.tr(
            "Operators enroll; administrators also see the admin area."))
        self.op_add = button(self.tr("Add operator"), "primary", description=self.tr(
            "Adds the operator with this name, PIN and role."))
        self.op_add.clicked.connect(self._add_operator)
        # Enter in the form's fields adds the operator (it used to press "Done" and leave)
        submit_on_enter(self.op_name, self._name_entered)
        submit_on_enter(self.op_pin, self._add_operator)
        submit_on_enter(self.op_new_pin, self.reset_pin)
        add.addWidget(self.op_name, 3)
        add.addWidget(self.op_pin, 2)
        add.addWidget(self.op_role)
        add.addWidget(self.op_add)
        v.addLayout(add)
        self.op_result = label("", "message")
        v.addWidget(self.op_result)
        self.ops: list[Operator] = []
        self._op_selection()

    def refresh(self) -> None:
        run_async(self.station.operators.list, self._show_operators)

    def reset(self) -> None:
        for e in (self.op_name, self.op_pin, self.op_new_pin):
            e.clear()
        self.op_result.clear()

    def _show_operators(self, ops: list[Operator]) -> None:
        current = self.selected_operator()
        self.ops = ops
        t = self.op_table
        t.blockSignals(True)
        t.clearSelection()
        t.setRowCount(len(ops))
        for r, o in enumerate(ops):
            locked = _locked_for(o)
            if locked > 0:
                state = self.tr("Locked for {n} min").format(n=int(locked // 60) + 1)
            else:
                state = self.tr("Active") if o.active else self.tr("Disabled")
            role = self.tr("Administrator") if o.role is Role.ADMIN else self.tr("Operator")
            for c, text in enumerate((o.name, role, state)):
                t.setItem(r, c, QTableWidgetItem(text))
            if current is not None and o.name == current.name:
                t.selectRow(r)
        t.blockSignals(False)
        self._op_selection()

    def selected_operator(self) -> Operator | None:
        rows = selected_rows(self.op_table)
        return self.ops[rows[0]] if rows and rows[0] < len(self.ops) else None

    def select_operator(self, name: str) -> None:
        for r, o in enumerate(self.ops):
            if o.name == name:
                self.op_table.selectRow(r)

    def _op_selection(self) -> None:
        op = self.selected_operator()
        self.op_toggle.setEnabled(op is not None)
        self.op_toggle.setText(self.tr("Enable") if op is not None and not op.active
                               else self.tr("Disable"))
        self.op_unlock.setEnabled(op is not None and _locked_for(op) > 0)
        self.op_reset.setEnabled(op is not None)
        self.op_new_pin.setEnabled(op is not None)

    def _op_call(self, fn: object, done_text: str) -> None:
        """Run a store change off the GUI thread, then say what happened and reload."""
        def ok(_v: object) -> None:
            self.op_result.setText(done_text)
            self.refresh()

        def failed(e: BaseException) -> None:
            self.op_result.setText(error_words(e))

        run_async(fn, ok, failed)  # type: ignore[arg-type]

    def toggle_operator(self) -> None:
        op = self.selected_operator()
        if op is None:
            return
        name, active, actor = op.name, not op.active, self.actor() or "admin"
        text = (self.tr("{name} can sign in again.") if active
                else self.tr("{name} can no longer sign in.")).format(name=name)
        ops = self.station.operators
        self._op_call(lambda: ops.set_active(name, active, actor=actor), text)

    def unlock_operator(self) -> None:
        op = self.selected_operator()
        if op is None:
            return
        name, actor = op.name, self.actor() or "admin"
        ops = self.station.operators
        self._op_call(lambda: ops.unlock(name, actor=actor),
                      self.tr("{name} is unlocked.").format(name=name))

    def reset_pin(self) -> None:
        op = self.selected_operator()
        pin = self.op_new_pin.text()
        if op is None:
            return
        if not (4 <= len(pin) <= 12 and pin.isdigit()):
            self.op_result.setText(self.tr("Type a new PIN of 4 to 12 digits."))
            return
        self.op_new_pin.clear()
        name, actor = op.name, self.actor() or "admin"
        ops = self.station.operators
        self._op_call(lambda: ops.reset_pin(name, pin, actor=actor),
                      self.tr("{name}'s PIN was changed.").format(name=name))

    def _name_entered(self) -> None:
        if self.op_name.text().strip() and not self.op_pin.text():
            self.op_pin.setFocus()
            return
        self._add_operator()

    def _add_operator(self) -> None:
        name, pin = self.op_name.text().strip(), self.op_pin.text()
        role = Role(self.op_role.currentData())
        if not name or not (4 <= len(pin) <= 12 and pin.isdigit()):
            self.op_result.setText(self.tr("Type a name and a PIN of 4 to 12 digits."))
            return
        ops, actor = self.station.operators, self.actor() or "admin"
        run_async(lambda: ops.create(name, pin, role, actor=actor), self._added,
                  lambda e: self.op_result.setText(error_words(e)))

    def _added(self, op: Operator) -> None:
        self.op_name.clear()
        self.op_pin.clear()
        self.op_result.setText(self.tr("{name} can now sign in.").format(name=op.name))
        self.refresh()
