"""A person's prints deleted at the desk: consent withdrawn, or deletion asked for.

GDPR Art. 7(3) lets a person withdraw consent as easily as they gave it, so this is a desk
action, not an administrator's: the clerk chooses what the person asks for and why, confirms,
and the biometrics service records the withdrawal (when chosen), deletes every template on this
station, queues the deletion receipt for central and clears the sensor slots (at once, or when
the sensor is back). Every step is audited with the operator's name and the reason.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout, QWidget

from kiosk.app import PersonStatus
from kiosk.app.wording import QT_TRANSLATE_NOOP
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.screens.reasons import ReasonChoice


class ForgetPersonScreen(Screen):
    """What the person asks for, why, then delete (confirmed)."""

    #: (withdraw consent?, reason)
    forget = Signal(bool, str)

    #: The reasons offered; the English words go to the audit log and the deletion receipt.
    REASONS = (
        ("asked", QT_TRANSLATE_NOOP("ForgetPersonScreen",
                                    "The person asked for it at the desk")),
        ("wrong-person", QT_TRANSLATE_NOOP("ForgetPersonScreen",
                                           "The prints were enrolled under the wrong name")),
        ("other", QT_TRANSLATE_NOOP("ForgetPersonScreen", "Another reason:")),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.info = label("", "message")
        self.info.setAccessibleName(self.tr("What is held about this person"))
        self.withdraw = QRadioButton(self.tr("The person withdraws their consent"))
        self.withdraw.setAccessibleDescription(self.tr(
            "Records the withdrawal and deletes every print; they need to consent again "
            "before any new enrollment."))
        self.only_prints = QRadioButton(self.tr("Delete the prints, the consent stays"))
        self.only_prints.setAccessibleDescription(self.tr(
            "Deletes every print, for example to enroll the person again from the start."))
        self.what = QButtonGroup(self)
        self.what.addButton(self.withdraw, 0)
        self.what.addButton(self.only_prints, 1)
        choices = QVBoxLayout()
        choices.setSpacing(0)
        choices.addWidget(label(self.tr("What does the person ask for?")))
        choices.addWidget(self.withdraw)
        choices.addWidget(self.only_prints)
        self.reasons = ReasonChoice(self.REASONS, "ForgetPersonScreen",
                                    self.tr("The reason recorded with the deletion."),
                                    self.activate_primary)
        self.reason_buttons = self.reasons.buttons
        self.other = self.reasons.other
        choices.addWidget(self.reasons)
        self.note = label(self.tr("Every print of this person is deleted on this station, on "
                                  "the sensor and at the central server; the deletion is "
                                  "recorded."), "hint")
        self.body.addWidget(self.info)
        self.body.addLayout(choices)
        self.body.addWidget(self.note)
        self.body.addStretch(1)
        self.secondary.setText(self.tr("Back"))
        self.secondary.setAccessibleDescription(self.tr("Back without changing anything."))
        self.secondary.show()
        self.primary.setText(self.tr("Delete the prints"))
        self.primary.setProperty("role", "danger")
        self.primary.setAccessibleDescription(self.tr(
            "Deletes every print of this person (after a confirmation)."))
        self.what.idToggled.connect(lambda _i, _on: self._update())
        self.reasons.changed.connect(self._update)
        self.primary.clicked.connect(self._ask)
        self.person: PersonStatus | None = None

    def show_person(self, person: PersonStatus) -> None:
        self.person = person
        self.title.setText(self.tr("Delete the prints — {name} ({id})").format(
            name=person.name, id=person.external_id))
        n = len(person.fingers)
        consent = person.consent is not None
        self.info.setText(
            (self.tr("Fingers enrolled on this station: {n}.").format(n=n) if n
             else self.tr("No finger is enrolled on this station."))
            + " " + (self.tr("Consent is on record.") if consent
                     else self.tr("No consent is in force.")))
        self.what.setExclusive(False)
        for b in self.what.buttons():
            b.setChecked(False)
        self.what.setExclusive(True)
        self.withdraw.setEnabled(consent)
        self.only_prints.setEnabled(bool(n))
        self.reasons.choose(None)

    def reason(self) -> str:
        """The reason in the audit log's words ("" until one is chosen)."""
        return self.reasons.reason()

    def _update(self) -> None:
        self.primary.setEnabled(self.what.checkedId() >= 0 and bool(self.reason()))

    def _ask(self) -> None:
        if self.person is None or self.what.checkedId() < 0 or not self.reason():
            return
        withdraw, reason = self.withdraw.isChecked(), self.reason()
        question = (self.tr("Record that {name} withdraws consent and delete every print?")
                    if withdraw else self.tr("Delete every print of {name}?"))
        self.ask(question.format(name=self.person.name), self.tr("Yes, delete them"),
                 lambda: self.forget.emit(withdraw, reason))

    def entered(self) -> None:
        (self.withdraw if self.withdraw.isEnabled() else self.only_prints).setFocus()

    def reset(self) -> None:
        super().reset()
        self.person = None
        self.other.clear()
