"""A full-screen outcome that stops the task: what happened, what was kept, what next."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui.screens.base import Screen, label


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
