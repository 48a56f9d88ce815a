"""Saved: the finger is on this station, the check's verdict, and the sync badge that turns
green live."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.app import Finger, LinkState, PersonStatus, Result, SyncState, VerifyResult, wording
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import finger_name, render
from kiosk.ui.widgets import set_role, set_tone


class ResultScreen(Screen):
    """Fingerprint saved (and checked), saved on this station, and the live sync badge."""

    nextFinger = Signal()
    nextPerson = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.big = label(self.tr("Fingerprint saved"), "bigOk")
        self.what = label("", "message")
        self.check = label("", "message")
        self.check.setAccessibleName(self.tr("Check"))
        self.check.hide()
        self.saved = label(self.tr("Saved on this station."), "message")
        self.badge = label("", "badge", wrap=False)
        self.badge.setAccessibleName(self.tr("Central server"))
        self.more = label("", "hint")
        self.body.addStretch(1)
        self.body.addWidget(self.big)
        self.body.addWidget(self.what)
        self.body.addWidget(self.check)
        self.body.addWidget(self.saved)
        self.body.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.more)
        self.body.addStretch(2)
        self.template_uuid: str | None = None
        self.synced = False
        self._needs_more = False
        self.primary.clicked.connect(self._primary)
        self.secondary.clicked.connect(self.nextPerson)

    def show_result(self, person: PersonStatus, finger: Finger, result: Result,
                    enrolled_now: int, required: int, sync: SyncState) -> None:
        self.template_uuid = result.template_uuid
        self.synced = False
        self.title.setText(person.name)
        self.big.setText(self.tr("Fingerprint saved"))
        set_role(self.big, "bigOk")
        self.check.hide()
        self.what.setText(self.tr("{finger} — {n} of {m} fingers done.").format(
            finger=finger_name(finger).capitalize(), n=enrolled_now, m=required))
        self._needs_more = enrolled_now < required
        if self._needs_more:
            self.primary.setText(self.tr("Next finger"))
            self.primary.setAccessibleDescription(self.tr("Chooses the next finger of this "
                                                          "person."))
            self.secondary.setText(self.tr("Stop here, next person"))
            self.secondary.setAccessibleDescription(self.tr(
                "Leaves this person with fewer fingers than asked, for the next person."))
            self.secondary.show()
            self.more.setText(self.tr("One more finger is needed so a cut or plaster does not "
                                      "lock the person out."))
        else:
            self.primary.setText(self.tr("Next person"))
            self.primary.setAccessibleDescription(self.tr("Back to the search for the next "
                                                          "person."))
            self.secondary.hide()
            self.more.clear()
        self.update_sync(sync)

    def show_check(self, check: VerifyResult) -> None:
        """The check after enrollment: passed, or not done (a failure has its own screen)."""
        words = wording.verify_outcome(check)
        self.big.setText(render(words.headline))
        set_role(self.big, "bigOk" if check.passed else "bigWarn")
        self.check.setText(("✓ " if check.passed else "") + render(words.body))
        self.check.show()

    def set_synced(self, synced: bool, sync: SyncState) -> None:
        """The store says central has acknowledged this template (checked off-thread)."""
        self.synced = self.synced or synced
        self.update_sync(sync)

    def update_sync(self, sync: SyncState) -> None:
        if self.synced:
            self.badge.setText(self.tr("✓ Synced with the central server"))
            set_tone(self.badge, "ok")
        elif sync.reason is LinkState.DISABLED:
            self.badge.setText(self.tr("Not sent: no central server is set up"))
            set_tone(self.badge, "neutral")
        elif sync.reason is LinkState.ONLINE:
            self.badge.setText(self.tr("Queued — sending to the central server…"))
            set_tone(self.badge, "warn")
        else:
            self.badge.setText(self.tr("Queued — will be sent when the server is back"))
            set_tone(self.badge, "warn")

    def is_synced(self) -> bool:
        return bool(self.badge.property("tone") == "ok")

    def entered(self) -> None:
        self.primary.setFocus()

    def _primary(self) -> None:
        (self.nextFinger if self._needs_more else self.nextPerson).emit()

    def reset(self) -> None:
        super().reset()
        self.template_uuid = None
        self.synced = False
