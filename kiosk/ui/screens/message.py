"""A full-screen outcome that stops the task: what happened, what was kept, what next.

The headline, the text and the detail are three different sentences (the wording catalogue
keeps them apart); each action is a button — the primary one, the secondary (Esc), and at
most one more.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui.screens.base import Screen, label
from kiosk.ui.widgets import button


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
        self._third_key = ""
        self.third = button("")
        self.third.hide()
        self.extra.addWidget(self.third)
        self.primary.clicked.connect(lambda: self.action.emit(self._primary_key))
        self.secondary.clicked.connect(lambda: self.action.emit(self._secondary_key))
        self.third.clicked.connect(lambda: self.action.emit(self._third_key))
        self.kind = ""
        #: What each action does, for a screen reader (the button says only its name).
        self._descriptions = {
            "retry": self.tr("Starts the same finger again."),
            "choose-finger": self.tr("Back to the hand diagram to choose another finger."),
            "next-person": self.tr("Back to the search for the next person."),
            "cancel-running": self.tr("Stops the capture still running, then starts again."),
            "check-again": self.tr("One more press to check the finger just saved."),
            "re-enroll": self.tr("Deletes the finger just saved and captures it again."),
            "back-person": self.tr("Back to this person's fingers."),
        }

    def show_message(self, kind: str, headline: str, text: str, *, tone: str = "bigError",
                     primary: tuple[str, str], secondary: tuple[str, str] | None = None,
                     third: tuple[str, str] | None = None, detail: str = "") -> None:
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
        self.primary.setAccessibleDescription(self._descriptions.get(primary[0], ptext))
        for b, spec, attr in ((self.secondary, secondary, "_secondary_key"),
                              (self.third, third, "_third_key")):
            if spec:
                setattr(self, attr, spec[0])
                b.setText(spec[1])
                b.setAccessibleDescription(self._descriptions.get(spec[0], spec[1]))
                b.show()
            else:
                b.hide()

    def entered(self) -> None:
        (self.primary if self.primary.isEnabled() else self.secondary).setFocus()

    def reset(self) -> None:
        super().reset()
        self.kind = ""
        self.headline.clear()
        self.text.clear()
        self.detail.clear()
