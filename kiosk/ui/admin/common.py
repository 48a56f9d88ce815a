"""Small building blocks the admin pages share (page layout, tables, result labels)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import Station

#: Who is signed in (named in the audit log for every change an admin page makes).
ActorFn = Callable[[], str]


class Page(QWidget):
    """One admin page: built once, :meth:`refresh` whenever it is shown or the station changes."""

    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.actor = actor
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(12, 16, 12, 12)
        self.column.setSpacing(12)

    def refresh(self) -> None:
        """Reload what the page shows (off the GUI thread where it needs the station)."""


def set_role(w: QLabel, name: str) -> None:
    """Switch a label's stylesheet role (object name) and make the style re-apply."""
    if w.objectName() != name:
        w.setObjectName(name)
        w.style().unpolish(w)
        w.style().polish(w)


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


__all__ = ["ActorFn", "Page", "clear_grid", "error_words", "selected_rows", "set_role", "table"]
