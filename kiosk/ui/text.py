"""Turning the application's words into translated text, and the status bar's short words.

:func:`render` is the one place a :class:`kiosk.app.Text` becomes a string on screen: the
template is looked up in Qt's translator (context ``kiosk``), then filled with its values,
each rendered the same way (a finger becomes its translated words).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication

from kiosk.app import (
    ConsentStatus,
    Finger,
    LinkState,
    PersonStatus,
    SensorState,
    SensorStatus,
    SyncState,
    Text,
    wording,
)

_C = wording.CONTEXT


def tr(text: str) -> str:
    return QCoreApplication.translate(_C, text)


def render(value: object) -> str:
    """A :class:`Text` (or a finger, or any value) in the operator's language."""
    if isinstance(value, Text):
        if not value.template:
            return ""
        params = {k: render(v) for k, v in value.params.items()}
        return tr(value.template).format(**params)
    if isinstance(value, Finger):
        return render(wording.finger_words(value))
    return str(value)


def finger_name(finger: Finger | str | None) -> str:
    """'right-index' -> 'right index finger' (translated); '' for no finger."""
    if not finger:
        return ""
    return render(Finger(finger))


def is_done(p: PersonStatus, required: int) -> bool:
    """Every finger the policy asks for is enrolled."""
    return len(p.fingers) >= required


def enrollment_state(p: PersonStatus, required: int) -> str:
    """One vocabulary on every row — Not enrolled · 1 of 2 fingers · Done: 2 of 2 fingers —
    and whether the central server has them."""
    n = len(p.fingers)
    if n == 0:
        if p.consent_status is ConsentStatus.REFUSED:
            return tr("Refused · alternative offered")
        if p.consent_status is ConsentStatus.WITHDRAWN:
            return tr("Consent withdrawn")
        return tr("Not enrolled")
    if n < required:
        words = tr("{n} of {m} fingers").format(n=n, m=required)
    elif n == required:
        words = tr("Done: {n} of {m} fingers").format(n=n, m=required)
    else:
        words = tr("Done: {n} fingers").format(n=n)
    if len(p.synced_fingers) >= n:
        return words + " · " + tr("synced")
    return words + " · " + tr("waiting to sync")


def sensor_words(s: SensorStatus) -> tuple[str, str]:
    """(text, tone) for the status bar."""
    if s.simulated:
        if s.state is SensorState.DISCONNECTED:
            return tr("SIMULATED sensor · unplugged"), "error"
        busy = " · " + tr("busy") if s.state is SensorState.BUSY else ""
        return tr("SIMULATED sensor") + busy, "sim"
    if s.state is SensorState.DISCONNECTED:
        return tr("Sensor unplugged — plug it in"), "error"
    if s.state in (SensorState.SEARCHING, SensorState.STARTING):
        return tr("Looking for the sensor…"), "warn"
    if s.state is SensorState.ERROR:
        return tr("Sensor problem — open the self-test"), "error"
    where = " · ".join(x for x in (s.model, s.port) if x)
    return tr("Sensor ready") + (f" · {where}" if where else ""), "ok"


def sync_words(s: SyncState) -> tuple[str, str]:
    if s.reason is LinkState.DISABLED:
        return tr("Central server: not set up"), "neutral"
    if s.reason is LinkState.ONLINE:
        return tr("Central server: online"), "ok"
    if s.reason is LinkState.AUTH_REFUSED:
        return tr("Central server refused the login — check the credentials"), "error"
    if s.reason is LinkState.TLS_ERROR:
        return tr("Central server certificate problem — check the TLS files"), "error"
    if s.reason is LinkState.CONFIG_ERROR:
        return tr("Central server settings are incomplete — open the admin area"), "error"
    since = time.strftime("%H:%M", time.localtime(s.offline_since)) if s.offline_since else "?"
    return tr("Central server: offline since {t}").format(t=since), "warn"


def pending_words(s: SyncState) -> tuple[str, str]:
    if s.reason is LinkState.DISABLED:
        return tr("Saved on this station only"), "neutral"
    if s.rejected:
        return tr("{n} waiting · {r} rejected").format(n=s.pending, r=s.rejected), "error"
    if s.pending:
        return tr("{n} waiting to sync").format(n=s.pending), "warn"
    return tr("Everything synced"), "ok"


__all__ = ["enrollment_state", "finger_name", "is_done", "pending_words", "render",
           "sensor_words", "sync_words", "tr"]
