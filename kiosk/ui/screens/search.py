"""Type-ahead search over the roster, with each person's enrollment state; group queues.

Picking a group (a class, a team) lists its people with a count of who is done and who is
still to come, and selects the next person not enrolled, so a clerk working through a class
presses Enter instead of typing each name; after each person the desk comes back here with
the next one selected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import ConsentStatus, EnrollmentDesk, PersonStatus
from kiosk.config import Config
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import enrollment_state, is_done
from kiosk.ui.widgets import button, describe, submit_on_enter
from kiosk.ui.worker import run_async

SEARCH_DEBOUNCE_MS = 150


def _open(p: PersonStatus, required: int) -> bool:
    """Still to enroll in a queue: not done, and not someone who refused."""
    return not is_done(p, required) and p.consent_status is not ConsentStatus.REFUSED


class SearchScreen(Screen):
    """Type-ahead search over the roster, with each person's enrollment state."""

    personChosen = Signal(object)  # PersonStatus
    syncRequested = Signal()

    @property
    def config(self) -> Config:
        """The station's settings now (provisioning may change them while the desk runs)."""
        return self._config()

    def __init__(self, desk: EnrollmentDesk, config: Callable[[], Config],
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.setText(self.tr("Find the person"))
        self.desk = desk
        self._config = config
        self._ticket = 0
        self._answered = 0
        #: False when no central server is set up: then only the CSV import is offered.
        self.can_sync = True
        self._rows: list[PersonStatus] = []
        #: Enter was pressed while this search was on its way: open its first match.
        self._choose_when_answered = 0
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Type a name or an ID"))
        self.query.setClearButtonEnabled(True)
        describe(self.query, self.tr("Search"), self.tr(
            "Type part of a name or an ID; accents and capitals do not matter. Enter opens "
            "the person selected below."))
        self.group = QComboBox()
        self.group.setMinimumWidth(300)
        describe(self.group, self.tr("Group"), self.tr(
            "Work through a class or group: lists its people and selects the next one not "
            "enrolled."))
        self.group.addItem(self.tr("Everyone"), "")
        self.group.activated.connect(lambda _i: self._group_changed())
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.group)
        self.summary = label("", "hint")
        self.summary.setAccessibleName(self.tr("Group progress"))
        self.summary.hide()
        columns = (self.tr("Name"), self.tr("ID"), self.tr("Group"), self.tr("Fingerprints"))
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels(list(columns))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(52)
        describe(self.table, self.tr("People"), self.tr(
            "The people found, with their fingerprints. Up and Down choose; Enter opens."))
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
        self.sync_button = button(self.tr("Get the roster from the central server"),
                                  description=self.tr("Asks the central server for the list "
                                                      "of people now."))
        self.sync_button.clicked.connect(self.syncRequested)
        ev.addWidget(self.empty_title)
        ev.addWidget(self.empty_text)
        ev.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignLeft)
        ev.addStretch(1)
        self.body.addLayout(top)
        self.body.addWidget(self.summary)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.empty, 1)
        self.empty.hide()
        self.next_open = button(self.tr("Next not enrolled"), description=self.tr(
            "Selects the next person of the group who is not enrolled yet."))
        self.next_open.clicked.connect(self.select_next_open)
        self.next_open.hide()
        self.extra.addWidget(self.next_open)
        self.primary.setText(self.tr("Continue"))
        self.primary.setAccessibleDescription(self.tr("Opens the selected person."))
        self.primary.setEnabled(False)
        self.primary.clicked.connect(self._choose)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search)
        self.query.textChanged.connect(lambda _t: self._debounce.start())
        self.table.itemSelectionChanged.connect(self._selection)
        self.table.itemDoubleClicked.connect(lambda _i: self._choose())
        submit_on_enter(self.query, self._enter)
        self.setTabOrder(self.query, self.group)
        self.setTabOrder(self.group, self.table)
        self.setTabOrder(self.table, self.primary)

    def entered(self) -> None:
        self.query.setFocus()
        self.query.selectAll()
        self._load_groups()
        self._search()

    # -- groups ---------------------------------------------------------------------------
    def current_group(self) -> str:
        g = self.group.currentData()
        return g if isinstance(g, str) else ""

    def set_group(self, name: str) -> None:
        """Work through ``name`` ("" = everyone); the list follows at once."""
        i = self.group.findData(name)
        if i < 0:
            self.group.addItem(name, name)
            i = self.group.count() - 1
        self.group.setCurrentIndex(i)
        self._group_changed()

    def _group_changed(self) -> None:
        self.query.blockSignals(True)
        self.query.clear()
        self.query.blockSignals(False)
        self._debounce.stop()
        self._search()
        self.query.setFocus()

    def _load_groups(self) -> None:
        run_async(self.desk.groups, self._show_groups, lambda _e: None)

    def _show_groups(self, groups: list[tuple[str, int, int]]) -> None:
        keep = self.current_group()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(self.tr("Everyone"), "")
        for name, people, _enrolled in groups:
            self.group.addItem(self.tr("{group} ({n})").format(group=name, n=people), name)
        self.group.setCurrentIndex(max(0, self.group.findData(keep)))
        self.group.blockSignals(False)

    # -- searching ------------------------------------------------------------------------
    def _search(self) -> None:
        self._ticket += 1
        ticket = self._ticket
        text = self.query.text()
        group = self.current_group() if not text.strip() else ""
        desk = self.desk

        def query() -> tuple[int, list[PersonStatus]]:
            rows = desk.group(group) if group else desk.search(text)
            # the roster size only matters when nothing matched (empty roster or no match)
            return (len(rows) if rows else desk.roster_size()), rows

        run_async(query, lambda v: self._show(ticket, text, group, v), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._answered = self._ticket
        self._show_empty(self.tr("The roster cannot be read"), str(exc), sync=False)

    def _show(self, ticket: int, text: str, group: str, value: Any) -> None:
        if ticket != self._ticket:
            return  # a newer keystroke is on its way
        self._answered = ticket
        choose = self._choose_when_answered == ticket
        self._choose_when_answered = 0
        size, rows = value
        self._rows = list(rows)
        self._show_summary(group)
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
            for c, value_ in enumerate((p.name, p.external_id, p.person.group,
                                        enrollment_state(p, required))):
                self.table.setItem(r, c, QTableWidgetItem(value_))
        if group:
            self.select_next_open(from_start=True)
        else:
            self.table.selectRow(0)
        if choose:
            self._choose()

    def _show_summary(self, group: str) -> None:
        """Done / still to come for the group being worked through."""
        self.next_open.setVisible(bool(group))
        self.summary.setVisible(bool(group))
        if not group:
            return
        required = self.config.enrollment.fingers_per_person
        done = sum(1 for p in self._rows if is_done(p, required))
        refused = sum(1 for p in self._rows
                      if not is_done(p, required)
                      and p.consent_status is ConsentStatus.REFUSED)
        left = len(self._rows) - done - refused
        parts = [self.tr("{group}: {done} done").format(group=group, done=done)]
        if refused:
            parts.append(self.tr("{n} refused").format(n=refused))
        parts.append(self.tr("{n} to go").format(n=left) if left
                     else self.tr("everyone is done"))
        self.summary.setText(" · ".join(parts))
        self.next_open.setEnabled(left > 0)

    def remaining(self) -> int:
        required = self.config.enrollment.fingers_per_person
        return sum(1 for p in self._rows if _open(p, required))

    def select_next_open(self, *, from_start: bool = False) -> None:
        """Select the next person still to enroll (after the selected one, wrapping)."""
        required = self.config.enrollment.fingers_per_person
        n = len(self._rows)
        if not n:
            return
        rows = self.table.selectionModel().selectedRows()
        start = 0 if from_start or not rows else rows[0].row() + 1
        for k in range(n):
            r = (start + k) % n
            if _open(self._rows[r], required):
                self.table.selectRow(r)
                item = self.table.item(r, 0)
                if item is not None:
                    self.table.scrollToItem(item)
                return
        self.table.clearSelection()
        self._selection()

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

    def selected(self) -> PersonStatus | None:
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
        """Enter right after typing opens the first match as soon as it is found."""
        if self._debounce.isActive():
            self._debounce.stop()
            self._search()
        if self.is_settled():
            self._choose()
        else:
            self._choose_when_answered = self._ticket

    def _choose(self) -> None:
        if not self.is_settled():
            return  # the list is about to change under the selection
        p = self.selected()
        if p is not None:
            self.personChosen.emit(p)

    def reset(self) -> None:
        """Sign-out: the next operator starts from an empty search, everyone, nothing shown."""
        super().reset()
        self._debounce.stop()
        self.query.blockSignals(True)
        self.query.clear()
        self.query.blockSignals(False)
        self.group.setCurrentIndex(0)
        self._ticket += 1  # an answer still on its way is dropped
        self._answered = self._ticket
        self._choose_when_answered = 0
        self._rows = []
        self.table.setRowCount(0)
        self.summary.hide()
        self.next_open.hide()
        self.primary.setEnabled(False)
