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

#: ``translate("kiosk", "…")`` with the words written out is how pyside6-lupdate finds them
#: (a plain ``tr("…")`` outside a class would land in a context with no name).
translate = QCoreApplication.translate


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
            return translate("kiosk", "Refused · alternative offered")
        if p.consent_status is ConsentStatus.WITHDRAWN:
            return translate("kiosk", "Consent withdrawn")
        return translate("kiosk", "Not enrolled")
    if n < required:
        words = translate("kiosk", "{n} of {m} fingers").format(n=n, m=required)
    elif n == required:
        words = translate("kiosk", "Done: {n} of {m} fingers").format(n=n, m=required)
    else:
        words = translate("kiosk", "Done: {n} fingers").format(n=n)
    if len(p.synced_fingers) >= n:
        return words + " · " + translate("kiosk", "synced")
    return words + " · " + translate("kiosk", "waiting to sync")


def sensor_words(s: SensorStatus) -> tuple[str, str]:
    """(text, tone) for the status bar."""
    if s.simulated:
        if s.state is SensorState.DISCONNECTED:
            return translate("kiosk", "SIMULATED sensor · unplugged"), "error"
        busy = " · " + translate("kiosk", "busy") if s.state is SensorState.BUSY else ""
        return translate("kiosk", "SIMULATED sensor") + busy, "sim"
    if s.state is SensorState.DISCONNECTED:
        return translate("kiosk", "Sensor unplugged — plug it in"), "error"
    if s.state in (SensorState.SEARCHING, SensorState.STARTING):
        return translate("kiosk", "Looking for the sensor…"), "warn"
    if s.state is SensorState.ERROR:
        return translate("kiosk", "Sensor problem — open the self-test"), "error"
    where = " · ".join(x for x in (s.model, s.port) if x)
    return translate("kiosk", "Sensor ready") + (f" · {where}" if where else ""), "ok"


def sync_words(s: SyncState) -> tuple[str, str]:
    if s.reason is LinkState.DISABLED:
        return translate("kiosk", "Central server: not set up"), "neutral"
    if s.reason is LinkState.ONLINE:
        return translate("kiosk", "Central server: online"), "ok"
    if s.reason is LinkState.AUTH_REFUSED:
        return translate(
            "kiosk", "Central server refused the login — check the credentials"), "error"
    if s.reason is LinkState.TLS_ERROR:
        return translate(
            "kiosk", "Central server certificate problem — check the TLS files"), "error"
    if s.reason is LinkState.CONFIG_ERROR:
        return translate(
            "kiosk", "Central server settings are incomplete — open the admin area"), "error"
    since = time.strftime("%H:%M", time.localtime(s.offline_since)) if s.offline_since else "?"
    return translate("kiosk", "Central server: offline since {t}").format(t=since), "warn"


def pending_words(s: SyncState) -> tuple[str, str]:
    if s.reason is LinkState.DISABLED:
        return translate("kiosk", "Saved on this station only"), "neutral"
    if s.rejected:
        return translate(
            "kiosk", "{n} waiting · {r} rejected").format(n=s.pending, r=s.rejected), "error"
    if s.pending:
        return translate("kiosk", "{n} waiting to sync").format(n=s.pending), "warn"
    return translate("kiosk", "Everything synced"), "ok"


__all__ = ["enrollment_state", "finger_name", "is_done", "pending_words", "render",
           "sensor_words", "sync_words", "tr"]
