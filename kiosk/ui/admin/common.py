"""Small building blocks the admin pages share (page layout, tables, result labels)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import Station
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import set_role

#: Who is signed in (named in the audit log for every change an admin page makes).
ActorFn = Callable[[], str]


class Page(QWidget):
    """One admin page: built once, :meth:`refresh` whenever it is shown or the station changes."""

    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.actor = actor
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(12, 10, 12, 8)
        self.column.setSpacing(12)

    def refresh(self) -> None:
        """Reload what the page shows (off the GUI thread where it needs the station)."""

    def activate_default(self) -> None:
        """Enter on the page (outside a field with a form of its own): the page's own
        action, if it has one; never leaving the admin area."""

    def reset(self) -> None:
        """Sign-out: forget what the last administrator typed or was shown."""


def ask(page: QWidget, question: str, yes: str, on_yes: Callable[[], None]) -> None:
    """Confirm in place, on the screen that holds ``page`` (a page outside any screen, as
    in a unit test, does it at once)."""
    w = page.parentWidget()
    while w is not None and not isinstance(w, Screen):
        w = w.parentWidget()
    if w is None:
        on_yes()
        return
    w.ask(question, yes, on_yes)


def table(columns: list[str], multi: bool = False) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels(columns)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                       else QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(44)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t


def selected_rows(t: QTableWidget) -> list[int]:
    return sorted({i.row() for i in t.selectionModel().selectedRows()})


def clear_grid(grid: QGridLayout) -> None:
    while grid.count():
        item = grid.takeAt(0)
        if item is not None and item.widget() is not None:
            item.widget().deleteLater()


def error_words(exc: BaseException) -> str:
    """An exception's message and, for station errors, the hint on what to do."""
    hint = getattr(exc, "hint", "")
    return f"{exc} {hint}".strip()


__all__ = ["ActorFn", "Page", "ask", "clear_grid", "error_words", "selected_rows", "set_role",
           "table"]
