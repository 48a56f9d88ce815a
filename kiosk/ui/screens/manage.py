"""One enrolled finger: enroll it again (replace it) or remove it, always with a reason.

Both delete the finger's template through the biometrics service: the store writes the
tombstone, the audit entry and the deletion receipt for central in one transaction and the
sensor slot is cleared (at once, or when the sensor is back). "Enroll it again" then starts
the capture of the same finger. Both are confirmed first.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from kiosk.app import Finger, FingerStatus, PersonStatus, TemplateSync
from kiosk.app.wording import QT_TRANSLATE_NOOP
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import finger_name
from kiosk.ui.widgets import button, describe, submit_on_enter


class ManageFingerScreen(Screen):
    """Why, then enroll again or remove (each confirmed)."""

    #: (finger, reason): delete it, then capture it again.
    reEnroll = Signal(object, str)
    #: (finger, reason): delete it.
    remove = Signal(object, str)

    #: The reasons offered; the English words go to the audit log and the deletion receipt.
    REASONS = (
        ("wrong-finger", QT_TRANSLATE_NOOP("ManageFingerScreen",
                                           "The wrong finger was enrolled")),
        ("injured", QT_TRANSLATE_NOOP("ManageFingerScreen", "The finger is injured or worn")),
        ("check-failed", QT_TRANSLATE_NOOP("ManageFingerScreen",
                                           "The check after enrollment failed")),
        ("asked", QT_TRANSLATE_NOOP("ManageFingerScreen", "The person asked for it")),
        ("other", QT_TRANSLATE_NOOP("ManageFingerScreen", "Another reason:")),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.info = label("", "message")
        self.info.setAccessibleName(self.tr("About this finger"))
        self.group = QButtonGroup(self)
        reasons = QVBoxLayout()
        reasons.setSpacing(0)
        reasons.addWidget(label(self.tr("Why?")))
        self.reason_buttons: dict[str, QRadioButton] = {}
        for i, (key, text) in enumerate(self.REASONS):
            rb = QRadioButton(self.tr(text))
            rb.setAccessibleDescription(self.tr("The reason recorded with the change."))
            self.group.addButton(rb, i)
            self.reason_buttons[key] = rb
            reasons.addWidget(rb)
        self.other = QLineEdit()
        self.other.setPlaceholderText(self.tr("Type the reason"))
        describe(self.other, self.tr("Another reason"), self.tr("The reason, in a few words."))
        submit_on_enter(self.other, self.activate_primary)
        reasons.addWidget(self.other)
        self.note = label(self.tr("The old print is deleted on this station, on the sensor and "
                                  "at the central server; the change is recorded."), "hint")
        self.body.addWidget(self.info)
        self.body.addLayout(reasons)
        self.body.addWidget(self.note)
        self.body.addStretch(1)
        self.secondary.setText(self.tr("Back"))
        self.secondary.setAccessibleDescription(self.tr("Back without changing anything."))
        self.secondary.show()
        self.remove_button = button(self.tr("Remove this finger"), "danger",
                                    description=self.tr("Deletes this finger's print (after a "
                                                        "confirmation)."))
        self.extra.addWidget(self.remove_button)
        self.primary.setText(self.tr("Enroll it again"))
        self.primary.setAccessibleDescription(self.tr(
            "Deletes the old print and captures the finger again (after a confirmation)."))
        self.group.idToggled.connect(lambda _i, _on: self._update())
        self.other.textChanged.connect(lambda _t: self._update())
        self.primary.clicked.connect(self._ask_re_enroll)
        self.remove_button.clicked.connect(self._ask_remove)
        self.person: PersonStatus | None = None
        self.finger: Finger | None = None

    def show_finger(self, person: PersonStatus, finger: Finger, *,
                    reason: str | None = None) -> None:
        self.person, self.finger = person, finger
        self.title.setText(self.tr("{finger} — {name}").format(
            finger=finger_name(finger).capitalize(), name=person.name))
        status = next((f for f in person.fingers if f.finger is finger), None)
        self.info.setText(self._about(status))
        self.group.setExclusive(False)
        for b in self.reason_buttons.values():
            b.setChecked(False)
        self.group.setExclusive(True)
        self.other.clear()
        if reason in self.reason_buttons:
            self.reason_buttons[reason].setChecked(True)
        self._update()

    def _about(self, status: FingerStatus | None) -> str:
        if status is None:
            return ""
        when = status.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if status.sync_state is TemplateSync.SYNCED:
            return self.tr("Enrolled on {when}; the central server has it.").format(when=when)
        return self.tr("Enrolled on {when}; not yet at the central server.").format(when=when)

    def reason(self) -> str:
        """The reason in the audit log's words ("" until one is chosen)."""
        i = self.group.checkedId()
        if i < 0:
            return ""
        key, text = self.REASONS[i]
        if key == "other":
            typed = self.other.text().strip()
            return f"Other: {typed}" if typed else ""
        return text

    def _update(self) -> None:
        other = self.group.checkedId() == len(self.REASONS) - 1
        self.other.setEnabled(other)
        ok = bool(self.reason())
        self.primary.setEnabled(ok)
        self.remove_button.setEnabled(ok)

    def _ask_re_enroll(self) -> None:
        if self.person is None or self.finger is None or not self.reason():
            return
        finger, reason = self.finger, self.reason()
        self.ask(self.tr("Delete the old print of the {finger} and capture it again?").format(
            finger=finger_name(finger)), self.tr("Yes, enroll it again"),
            lambda: self.reEnroll.emit(finger, reason))

    def _ask_remove(self) -> None:
        if self.person is None or self.finger is None or not self.reason():
            return
        finger, reason = self.finger, self.reason()
        self.ask(self.tr("Remove the {finger} of {name}? Its print is deleted everywhere.")
                 .format(finger=finger_name(finger), name=self.person.name),
                 self.tr("Yes, remove it"), lambda: self.remove.emit(finger, reason))

    def entered(self) -> None:
        checked = self.group.checkedButton()
        (checked or self.reason_buttons["wrong-finger"]).setFocus()

    def reset(self) -> None:
        super().reset()
        self.person = None
        self.finger = None
        self.other.clear()
