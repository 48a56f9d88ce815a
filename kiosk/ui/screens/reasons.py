"""The "Why?" question of a deletion: a fixed list of reasons plus "Another reason:" with words.

Finger management and the person's deletion ask it the same way; the reason goes to the audit
log and the deletion receipt in English (the list's source text), whatever language the desk
shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.screens.base import label
from kiosk.ui.widgets import describe, submit_on_enter


class ReasonChoice(QWidget):
    """Radio buttons for ``reasons`` ((key, English text), the last one "other") and a field
    for the words of "other"; :meth:`reason` is "" until a complete reason is chosen."""

    changed = Signal()

    def __init__(self, reasons: tuple[tuple[str, str], ...], context: str, description: str,
                 submit: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reasons = reasons
        # never squeezed below its rows (the screen's stretch gives way instead)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(label(self.tr("Why?")))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for i, (key, text) in enumerate(reasons):
            rb = QRadioButton(QCoreApplication.translate(context, text))
            rb.setAccessibleDescription(description)
            self.group.addButton(rb, i)
            self.buttons[key] = rb
            box.addWidget(rb)
        self.other = QLineEdit()
        self.other.setPlaceholderText(self.tr("Type the reason"))
        describe(self.other, self.tr("Another reason"), self.tr("The reason, in a few words."))
        submit_on_enter(self.other, submit)
        box.addWidget(self.other)
        self.group.idToggled.connect(lambda _i, _on: self._update())
        self.other.textChanged.connect(lambda _t: self._update())
        self._update()

    def reason(self) -> str:
        """The reason in the audit log's words ("" until one is chosen)."""
        i = self.group.checkedId()
        if i < 0:
            return ""
        key, text = self._reasons[i]
        if key == "other":
            typed = self.other.text().strip()
            return f"Other: {typed}" if typed else ""
        return text

    def choose(self, key: str | None) -> None:
        """Start over with ``key`` chosen (None: nothing chosen) and the words cleared."""
        self.group.setExclusive(False)
        for b in self.buttons.values():
            b.setChecked(False)
        self.group.setExclusive(True)
        self.other.clear()
        if key in self.buttons:
            self.buttons[key].setChecked(True)
        self._update()

    def focus_target(self, default: str) -> QRadioButton:
        """The chosen reason's button, or ``default``'s."""
        checked = self.group.checkedButton()
        return checked if isinstance(checked, QRadioButton) else self.buttons[default]

    def _update(self) -> None:
        other = self.group.checkedId() == len(self._reasons) - 1
        self.other.setEnabled(other)
        self.other.setVisible(other)  # shown for "another reason" only: the screens fit 768 px
        self.changed.emit()
