"""The card every screen is: a title, a body, one primary and at most one secondary action.

The primary action sits bottom-right (Enter), the secondary bottom-left (Esc). Screens never
call blocking services on the GUI thread: service calls go through
:func:`kiosk.ui.worker.run_async`, the sensor through the bridge's signals.

Anything that deletes or records something for good is confirmed in place
(:meth:`Screen.ask`): the question replaces the button row, and "No" holds the focus, so no
single key press can do it by accident.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.widgets import button


def label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    w = QLabel(text)
    if name:
        w.setObjectName(name)
    w.setWordWrap(wrap)
    return w


class ConfirmPanel(QFrame):
    """A question in place of the button row: "No" on the left (focused), "Yes, …" right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirm")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        self.question = label("", "message")
        self.question.setAccessibleName(self.tr("Question"))
        self.no = button("", description=self.tr("Go back without doing it."))
        self.yes = button("", "danger")
        row.addWidget(self.question, 1)
        row.addWidget(self.no)
        row.addWidget(self.yes)
        self._on_yes: Callable[[], None] | None = None
        self._on_no: Callable[[], None] | None = None
        self.yes.clicked.connect(self._yes)
        self.no.clicked.connect(self._no)
        self.hide()

    def open(self, question: str, yes: str, on_yes: Callable[[], None], *, no: str,
             on_no: Callable[[], None], danger: bool) -> None:
        self.question.setText(question)
        self.yes.setText(yes)
        self.yes.setProperty("role", "danger" if danger else "primary")
        self.yes.style().unpolish(self.yes)
        self.yes.style().polish(self.yes)
        self.yes.setAccessibleDescription(question)
        self.no.setText(no)
        self._on_yes, self._on_no = on_yes, on_no
        self.show()
        self.no.setFocus(Qt.FocusReason.OtherFocusReason)

    def _yes(self) -> None:
        action, self._on_yes = self._on_yes, None
        on_no, self._on_no = self._on_no, None
        if on_no is not None:
            on_no()  # closes the panel and brings the button row back
        if action is not None:
            action()

    def _no(self) -> None:
        on_no, self._on_no = self._on_no, None
        self._on_yes = None
        if on_no is not None:
            on_no()


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
        self.action_row = QWidget()
        row = QHBoxLayout(self.action_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.secondary = button("")
        self.primary = button("", "primary")
        self.extra = QHBoxLayout()
        row.addWidget(self.secondary)
        row.addLayout(self.extra)
        row.addStretch(1)
        row.addWidget(self.primary)
        self.confirm = ConfirmPanel()
        outer.addWidget(self.confirm)
        outer.addWidget(self.action_row)
        self.secondary.hide()

    # -- confirmations --------------------------------------------------------------------
    def ask(self, question: str, yes: str, on_yes: Callable[[], None], *, no: str = "",
            danger: bool = True) -> None:
        """Confirm in place: the question replaces the buttons; "No" holds the focus."""
        focus_back = self.focusWidget()
        self.action_row.hide()

        def close() -> None:
            self.confirm.hide()
            self.action_row.show()
            if focus_back is not None and focus_back.isVisible() and focus_back.isEnabled():
                focus_back.setFocus(Qt.FocusReason.OtherFocusReason)

        self.confirm.open(question, yes, on_yes, no=no or self.tr("No, go back"), on_no=close,
                          danger=danger)

    def asking(self) -> bool:
        return self.confirm.isVisible()

    def close_question(self) -> None:
        if self.asking():
            self.confirm.no.click()

    # -- keyboard -------------------------------------------------------------------------
    def activate_primary(self) -> None:
        if self.asking():
            return
        if self.primary.isVisible() and self.primary.isEnabled():
            self.primary.click()

    def activate_secondary(self) -> None:
        if self.asking():
            self.close_question()
            return
        if self.secondary.isVisible() and self.secondary.isEnabled():
            self.secondary.click()

    def entered(self) -> None:
        """Called when the screen becomes current; sets the initial focus."""

    def reset(self) -> None:
        """Forget everything about the last person and operator (called at sign-out)."""
        if self.asking():
            self.confirm.hide()
            self.action_row.show()


__all__ = ["ConfirmPanel", "Screen", "label"]
