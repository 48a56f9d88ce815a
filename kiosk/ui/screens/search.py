"""Type-ahead search over the roster, with each person's enrollment state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import EnrollmentDesk, PersonStatus
from kiosk.config import Config
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import enrollment_state
from kiosk.ui.widgets import button
from kiosk.ui.worker import run_async

SEARCH_DEBOUNCE_MS = 150


class SearchScreen(Screen):
    """Type-ahead search over the roster, with each person's enrollment state."""

    personChosen = Signal(object)  # PersonStatus
    syncRequested = Signal()

    COLUMNS = ("Name", "ID", "Group", "Fingerprints")

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
        desk = self.desk

        def query() -> tuple[int, list[PersonStatus]]:
            rows = desk.search(text)
            # the roster size only matters when nothing matched (empty roster or no match)
            return (len(rows) if rows else desk.roster_size()), rows

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
            for c, value_ in enumerate((p.name, p.external_id, p.person.group,
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
        if self._debounce.isActive():
            self._debounce.stop()
            self._search()
            return
        self._choose()

    def _choose(self) -> None:
        p = self.selected()
        if p is not None:
            self.personChosen.emit(p)
