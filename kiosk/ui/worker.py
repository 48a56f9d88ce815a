"""Run blocking calls (database queries) on a thread pool and hand the answer back as a signal.

The GUI thread must never wait on SQLite. :func:`run_async` submits a callable to a small
``QThreadPool`` and calls ``done`` (or ``failed``) on the GUI thread through a queued signal.
Results of superseded requests (a newer keystroke) are dropped by the caller's ``ticket``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

log = logging.getLogger(__name__)

@functools.cache
def pool() -> QThreadPool:
    """A few threads: a slow call (a sensor job, a big export) must not hold up a search."""
    p = QThreadPool()
    p.setMaxThreadCount(4)
    return p


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn: Callable[[], Any] | None = fn
        self.relay: _Relay | None = relay

    def run(self) -> None:
        fn, relay = self.fn, self.relay
        # The pool's Python side may keep a finished job for a while: it must not keep the
        # call's closure and relay with it.
        self.fn = self.relay = None
        assert fn is not None and relay is not None
        try:
            value = fn()
        except Exception as exc:
            log.exception("background call failed")
            relay.failed.emit(exc)
        else:
            relay.done.emit(value)


_live: set[_Relay] = set()


def _owners(fn: Callable[[Any], None]) -> list[QObject]:
    """The Qt objects a callback acts on: a bound method's object, a closure's captures."""
    found: list[QObject] = []
    owner = getattr(fn, "__self__", None)
    if isinstance(owner, QObject):
        found.append(owner)
    for c in getattr(fn, "__closure__", None) or ():
        try:
            value = c.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(value, QObject):
            found.append(value)
    return found


def _deliver(fn: Callable[[Any], None], value: Any) -> None:
    """Call ``fn``; an answer for a screen that was closed meanwhile is dropped quietly."""
    if not all(shiboken6.isValid(o) for o in _owners(fn)):
        log.debug("dropped a background result: its widget is gone")
        return
    fn(value)


def run_async(
    fn: Callable[[], Any],
    done: Callable[[Any], None],
    failed: Callable[[BaseException], None] | None = None,
) -> None:
    """Call ``fn()`` off the GUI thread; ``done(result)`` / ``failed(exc)`` run on it."""
    relay = _Relay()  # created on the GUI thread, so queued slots run there
    _live.add(relay)

    # The connections below hold these closures, and the closures hold the relay: a cycle
    # through Qt that Python's collector cannot see. Deleting the relay once it has answered
    # breaks it (without it every call stayed in memory for good).
    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        _live.discard(relay)
        try:
            if callback is not None:
                _deliver(callback, value)
        finally:
            relay.deleteLater()

    relay.done.connect(lambda v: finish(done, v), Qt.ConnectionType.QueuedConnection)
    relay.failed.connect(lambda e: finish(failed, e), Qt.ConnectionType.QueuedConnection)
    pool().start(_Job(fn, relay))
