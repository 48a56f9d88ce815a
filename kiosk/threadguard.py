"""Catch blocking I/O on the GUI thread.

The GUI registers its thread with :func:`set_gui_thread`. Every layer that does serial, MQTT or
heavy database work calls :func:`check_io` at its entry points. When the GUI thread calls one of
them, the violation is recorded (and, in strict mode — used by the tests — raised), so a test
can prove that a full enrollment flow never blocks the event loop on I/O.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)

_gui_thread: int | None = None
_strict = False
_lock = threading.Lock()


@dataclass(frozen=True)
class Violation:
    layer: str
    what: str
    thread: str


violations: list[Violation] = []


class GuiThreadIOError(RuntimeError):
    """Blocking I/O was attempted on the GUI thread."""


def set_gui_thread(ident: int | None, *, strict: bool = False) -> None:
    global _gui_thread, _strict
    _gui_thread, _strict = ident, strict


def check_io(layer: str, what: str = "") -> None:
    """Record (or, in strict mode, refuse) I/O of ``layer`` when called on the GUI thread."""
    if _gui_thread is None or threading.get_ident() != _gui_thread:
        return
    v = Violation(layer, what, threading.current_thread().name)
    with _lock:
        violations.append(v)
    log.error("blocking %s I/O (%s) on the GUI thread", layer, what)
    if _strict:
        raise GuiThreadIOError(f"{layer} I/O ({what}) on the GUI thread")
