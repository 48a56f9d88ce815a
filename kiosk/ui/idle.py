"""Idle sign-out with a warning first: a desk left alone signs out, but never by surprise.

After ``idle - warn`` seconds without input the window shows a countdown; any touch, click or
key (or a finger on the sensor) clears it; at zero the operator is signed out (a running
capture is cancelled cleanly first, by the window).
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QObject, QTimer, Signal

#: How long the warning shows before an idle sign-out (at most a third of the idle time).
WARN_S = 30


class IdleWatch(QObject):
    """Quiet period → warning with seconds left → expired."""

    warning = Signal(int)  # seconds left
    cleared = Signal()
    expired = Signal()

    def __init__(self, parent: QObject | None = None, *, idle_s: int = 300) -> None:
        super().__init__(parent)
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.timeout.connect(self._warn)
        self._end = QTimer(self)
        self._end.setSingleShot(True)
        self._end.timeout.connect(self._expire)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._count)
        self._deadline = 0.0
        self.set_times(idle_s * 1000)

    def set_times(self, idle_ms: int, warn_ms: int | None = None) -> None:
        """Idle time in all, and how much of it is the warning (default: 30 s, or a third)."""
        warn = warn_ms if warn_ms is not None else min(WARN_S * 1000, idle_ms // 3)
        self._warn_ms = max(1, min(warn, idle_ms))
        self._quiet.setInterval(max(1, idle_ms - self._warn_ms))
        self._end.setInterval(self._warn_ms)

    @property
    def warn_ms(self) -> int:
        return self._warn_ms

    def start(self) -> None:
        """(Re)arm: the quiet period starts now."""
        was = self.is_warning()
        self._end.stop()
        self._tick.stop()
        self._quiet.start()
        if was:
            self.cleared.emit()

    def stop(self) -> None:
        was = self.is_warning()
        for t in (self._quiet, self._end, self._tick):
            t.stop()
        if was:
            self.cleared.emit()

    def poke(self) -> None:
        """Someone is there: start the quiet period again (and clear a warning)."""
        if self.is_active():
            self.start()

    def is_active(self) -> bool:
        return self._quiet.isActive() or self._end.isActive()

    def is_warning(self) -> bool:
        return self._end.isActive()

    def seconds_left(self) -> int:
        return max(0, math.ceil(self._deadline - time.monotonic())) if self.is_warning() else 0

    def _warn(self) -> None:
        self._deadline = time.monotonic() + self._warn_ms / 1000
        self._end.start()
        self._tick.start()
        self._count()

    def _count(self) -> None:
        if self.is_warning():
            self.warning.emit(self.seconds_left())

    def _expire(self) -> None:
        self._tick.stop()
        self.cleared.emit()
        self.expired.emit()


__all__ = ["WARN_S", "IdleWatch"]
