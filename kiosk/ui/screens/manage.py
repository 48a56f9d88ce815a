"""One enrolled finger: enroll it again (replace it) or remove it, always with a reason.

Both delete the finger's template through the biometrics service: the store writes the
tombstone, the audit entry and the deletion receipt for central in one transaction and the
sensor slot is cleared (at once, or when the sensor is back). "Enroll it again" then starts
the capture of the same finger. Both are confirmed first.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.app import Finger, FingerStatus, PersonStatus, TemplateSync
from kiosk.app.wording import QT_TRANSLATE_NOOP
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.screens.reasons import ReasonChoice
from kiosk.ui.text import finger_name
from kiosk.ui.widgets import button


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
        self.reasons = ReasonChoice(self.REASONS, "ManageFingerScreen",
                                    self.tr("The reason recorded with the change."),
                                    self.activate_primary)
        self.reason_buttons = self.reasons.buttons
        self.other = self.reasons.other
        self.note = label(self.tr("The old print is deleted on this station, on the sensor and "
                                  "at the central server; the change is recorded."), "hint")
        self.body.addWidget(self.info)
        self.body.addWidget(self.reasons)
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
        self.reasons.changed.connect(self._update)
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
        self.reasons.choose(reason)

    def _about(self, status: FingerStatus | None) -> str:
        if status is None:
            return ""
        when = status.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if status.sync_state is TemplateSync.SYNCED:
            return self.tr("Enrolled on {when}; the central server has it.").format(when=when)
        return self.tr("Enrolled on {when}; not yet at the central server.").format(when=when)

    def reason(self) -> str:
        """The reason in the audit log's words ("" until one is chosen)."""
        return self.reasons.reason()

    def _update(self) -> None:
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
        self.reasons.focus_target("wrong-finger").setFocus()

    def reset(self) -> None:
        super().reset()
        self.person = None
        self.finger = None
        self.other.clear()
