"""Saved: the finger is on this station, and the sync badge turns green live."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.app import Finger, LinkState, PersonStatus, Result, SyncState
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import finger_name
from kiosk.ui.widgets import set_tone


class ResultScreen(Screen):
    """Registered, saved on this station, and the sync badge that turns green live."""

    nextFinger = Signal()
    nextPerson = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.big = label(self.tr("Fingerprint saved"), "bigOk")
        self.what = label("", "message")
        self.saved = label(self.tr("Saved on this station."), "message")
        self.badge = label("", "badge", wrap=False)
        self.more = label("", "hint")
        self.body.addStretch(1)
        self.body.addWidget(self.big)
        self.body.addWidget(self.what)
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
        self.what.setText(self.tr("{finger} — {n} of {m} fingers done.").format(
            finger=finger_name(finger).capitalize(), n=enrolled_now, m=required))
        self._needs_more = enrolled_now < required
        if self._needs_more:
            self.primary.setText(self.tr("Next finger"))
            self.secondary.setText(self.tr("Stop here, next person"))
            self.secondary.show()
            self.more.setText(self.tr("One more finger is needed so a cut or plaster does not "
                                      "lock the person out."))
        else:
            self.primary.setText(self.tr("Next person"))
            self.secondary.hide()
            self.more.clear()
        self.update_sync(sync)

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
