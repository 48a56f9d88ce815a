"""The card every screen is: a title, a body, one primary and at most one secondary action.

The primary action sits bottom-right (Enter), the secondary bottom-left (Esc). Screens never
call blocking services on the GUI thread: service calls go through
:func:`kiosk.ui.worker.run_async`, the sensor through the bridge's signals.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.widgets import button


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


__all__ = ["Screen", "label"]
