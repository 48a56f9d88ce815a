"""Timestamped hex trace of every serial frame, for field diagnostics.

One line per frame, e.g. ``2026-11-25T19:01:02.123 +0.012 TX EF01 FFFFFFFF 01 0003 01 0005``:
wall-clock time (to match other logs), the monotonic gap since the previous line (to see
latency without clock jumps), the direction and the frame grouped by field.

Data packets (PID 02/08) carry templates and images — biometric data — so their payload is
replaced by its length; only the framing fields and the checksum are written.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from kiosk.sensor.packet import HEADER, PID, hexdump

_PREFIX = 9
_DATA_PIDS = frozenset((PID.DATA, PID.END))


def describe_frame(frame: bytes) -> str:
    """Hex of ``frame`` with the payload of data packets elided (length only)."""
    if len(frame) >= _PREFIX + 2 and frame.startswith(HEADER) and frame[6] in _DATA_PIDS:
        h = frame.hex().upper()
        n = len(frame) - _PREFIX - 2
        return f"{h[0:4]} {h[4:12]} {h[12:14]} {h[14:18]} <{n} data bytes> {h[-4:]}"
    if len(frame) >= _PREFIX + 3 and frame.startswith(HEADER):
        # Command/ack: the instruction or confirmation byte apart from its parameters.
        h = frame.hex().upper()
        fields = [h[0:4], h[4:12], h[12:14], h[14:18], h[18:20], h[20:-4], h[-4:]]
        return " ".join(f for f in fields if f)
    return hexdump(frame)


class FrameTrace:
    """Writes trace lines to a file (appending), a text stream or a callback.

    Thread-safe so one trace file can be shared by a driver and a reconnect helper.
    """

    def __init__(self, sink: str | Path | TextIO | Callable[[str], None]) -> None:
        self._lock = threading.Lock()
        self._owned: TextIO | None = None
        self._write: Callable[[str], None]
        if isinstance(sink, str | Path):
            Path(sink).parent.mkdir(parents=True, exist_ok=True)
            self._owned = open(sink, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
            fh = self._owned

            def _to_file(line: str) -> None:
                fh.write(line + "\n")
                fh.flush()

            self._write = _to_file
        elif callable(sink):
            self._write = sink
        else:
            stream = sink

            def _to_stream(line: str) -> None:
                stream.write(line + "\n")
                stream.flush()

            self._write = _to_stream
        self._last = time.monotonic()

    def _line(self, text: str) -> None:
        now = time.monotonic()
        wall = datetime.now().isoformat(timespec="milliseconds")
        with self._lock:
            delta, self._last = now - self._last, now
            # A trace must never break the conversation it records.
            with contextlib.suppress(OSError, ValueError):
                self._write(f"{wall} +{delta:.3f} {text}")

    def frame(self, direction: str, frame: bytes) -> None:
        """Record one whole frame; ``direction`` is ``TX`` or ``RX``."""
        self._line(f"{direction} {describe_frame(frame)}")

    def note(self, text: str) -> None:
        """Record an event that is not a frame (flush, noise, reopen, timeout)."""
        self._line(f"-- {text}")

    def close(self) -> None:
        if self._owned is not None:
            # What a full disk kept in the buffer is lost with the trace, not the shutdown.
            with contextlib.suppress(OSError):
                self._owned.close()
            self._owned = None
