"""User-visible words shared by several screens, all through Qt's translation functions."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication

from kiosk.ui.ports import Person, SensorState, SyncState

_C = "kiosk"


def tr(text: str) -> str:
    return QCoreApplication.translate(_C, text)


_FINGER_NAMES = {
    "right-thumb": "right thumb", "right-index": "right index finger",
    "right-middle": "right middle finger", "right-ring": "right ring finger",
    "right-little": "right little finger", "left-thumb": "left thumb",
    "left-index": "left index finger", "left-middle": "left middle finger",
    "left-ring": "left ring finger", "left-little": "left little finger",
}


def finger_name(finger: str) -> str:
    """'right-index' -> 'right index finger' (translated)."""
    return QCoreApplication.translate(_C, _FINGER_NAMES.get(finger, "finger"))


def enrollment_state(p: Person, required: int) -> str:
    """Not enrolled / 1 of 2 fingers / Registered, plus whether central has it."""
    n = len(p.enrolled)
    if p.consent == "refused":
        return tr("Refused (alternative)")
    if n == 0:
        return tr("Not enrolled")
    words = tr("{n} of {m} fingers").format(n=n, m=required) if n < required \
        else tr("Registered")
    if len(p.synced) >= n:
        return words + " · " + tr("synced")
    return words + " · " + tr("waiting to sync")


def sensor_words(s: SensorState) -> tuple[str, str]:
    """(text, tone) for the status bar."""
    if s.simulated:
        extra = tr("busy") if s.state == "busy" else ""
        if s.state == "disconnected":
            return tr("SIMULATED sensor · unplugged"), "error"
        return (tr("SIMULATED sensor") + (f" · {extra}" if extra else "")), "sim"
    if s.state == "disconnected":
        return tr("Sensor unplugged — plug it in"), "error"
    if s.state in ("searching", "starting"):
        return tr("Looking for the sensor…"), "warn"
    if s.state == "error":
        return tr("Sensor problem — open the self-test"), "error"
    where = " · ".join(x for x in (s.model, s.port) if x)
    return tr("Sensor ready") + (f" · {where}" if where else ""), "ok"


def sync_words(s: SyncState | None) -> tuple[str, str]:
    if s is None or s.state == "disabled":
        return tr("Central server: not set up"), "neutral"
    if s.state == "online":
        return tr("Central server: online"), "ok"
    if s.state == "auth":
        return tr("Central server refused the login — check the credentials"), "error"
    if s.state == "tls":
        return tr("Central server certificate problem — check the TLS files"), "error"
    since = time.strftime("%H:%M", time.localtime(s.since)) if s.since else "?"
    return tr("Central server: offline since {t}").format(t=since), "warn"


def pending_words(s: SyncState | None) -> tuple[str, str]:
    if s is None:
        return tr("Saved on this station only"), "neutral"
    if s.rejected:
        return tr("{n} waiting · {r} rejected").format(n=s.pending, r=s.rejected), "error"
    if s.pending:
        return tr("{n} waiting to sync").format(n=s.pending), "warn"
    return tr("Everything synced"), "ok"
