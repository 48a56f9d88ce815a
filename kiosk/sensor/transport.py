"""Byte transport to the sensor: pyserial URLs, deadlines, and fast unplug detection.

``serial_for_url`` lets the same code open ``COM5``, ``/dev/ttyUSB0``, ``socket://host:port``,
``spy://…`` and ``loop://``. Reads poll in short slices so that a vanished device (EIO on a
USB-serial adapter or a pty, a closed socket) is noticed within a fraction of a second and
reported as :class:`DisconnectedError` — never as a timeout many seconds later.

Every pyserial/OS error is translated here; nothing above this module sees a
``SerialException``.
"""

from __future__ import annotations

import contextlib
import errno
import sys
import time
from typing import Any, Protocol

import serial

from kiosk.sensor.errors import DisconnectedError, PortUnavailableError, SensorTimeout

try:  # termios.error is not an OSError; tcflush/tcgetattr raise it on a vanished pty.
    import termios

    _TERMIOS_ERRORS: tuple[type[BaseException], ...] = (termios.error,)
except ImportError:  # Windows
    _TERMIOS_ERRORS = ()

_IO_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError, *_TERMIOS_ERRORS)

#: How long one blocking read may wait before re-checking deadlines (and the device).
POLL_INTERVAL = 0.02
#: A write that cannot drain within this time means the other side stopped reading.
WRITE_TIMEOUT = 10.0
_MAX_READ = 4096


class Transport(Protocol):
    """What the driver needs from a byte pipe; tests may supply their own."""

    @property
    def baud(self) -> int: ...

    @property
    def url(self) -> str: ...

    def write(self, data: bytes) -> None: ...

    def read(self, deadline: float) -> bytes: ...

    def flush_input(self) -> bytes: ...

    def reopen(self, baud: int | None = None) -> None: ...

    def close(self) -> None: ...


def _open_reason(exc: BaseException) -> str:
    """Classify an open failure for a diagnosis (missing / busy / permission / other)."""
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO) or "no such file" in text or (
        "filenotfound" in text or "cannot find the file" in text
    ):
        return PortUnavailableError.MISSING
    if "connection refused" in text or code == errno.ECONNREFUSED:
        return PortUnavailableError.MISSING
    if code == errno.EBUSY or "exclusively lock" in text or "resource busy" in text:
        return PortUnavailableError.BUSY
    if code in (errno.EACCES, errno.EPERM) or "permission" in text or "access is denied" in text:
        # Windows reports a port held by another program as "Access is denied".
        return PortUnavailableError.BUSY if sys.platform == "win32" else (
            PortUnavailableError.PERMISSION
        )
    return PortUnavailableError.OTHER


class SerialTransport:
    """One serial port (or pyserial URL), opened exclusively where the platform supports it.

    Not thread-safe: the driver that owns it runs on one worker thread.
    """

    def __init__(self, url: str, baud: int = 57600, *, exclusive: bool = True) -> None:
        self._url = url
        self._baud = baud
        self._exclusive = exclusive
        self._ser: Any = None
        #: URL handlers (socket://, loop://) where changing the timeout costs nothing.
        self._cheap_timeouts = False
        self.open()

    @property
    def url(self) -> str:
        return self._url

    @property
    def baud(self) -> int:
        return self._baud

    @property
    def is_open(self) -> bool:
        return self._ser is not None

    def open(self) -> None:
        """Open the port; raise :class:`PortUnavailableError` saying why it cannot be."""
        if self._ser is not None:
            return
        kwargs: dict[str, Any] = {
            "baudrate": self._baud,
            "timeout": POLL_INTERVAL,
            "write_timeout": WRITE_TIMEOUT,
            "do_not_open": True,
        }
        try:
            ser = serial.serial_for_url(self._url, **kwargs)
            # Exclusive access (flock on POSIX; Windows ports are always exclusive).
            if self._exclusive and hasattr(ser, "exclusive"):
                with contextlib.suppress(ValueError, NotImplementedError):
                    ser.exclusive = True
            ser.open()
        except _IO_ERRORS as exc:
            raise PortUnavailableError(
                f"cannot open {self._url}: {exc}", reason=_open_reason(exc)
            ) from exc
        except ValueError as exc:  # malformed URL / unknown scheme
            raise PortUnavailableError(f"cannot open {self._url}: {exc}") from exc
        self._ser = ser
        # A real serial port (also behind spy://) reconfigures the tty on every timeout change.
        self._cheap_timeouts = not isinstance(ser, serial.Serial)

    def close(self) -> None:
        ser, self._ser = self._ser, None
        if ser is not None:
            with contextlib.suppress(*_IO_ERRORS):
                ser.close()

    def reopen(self, baud: int | None = None) -> None:
        """Close and open again (after an unplug, a power cycle or a baud change)."""
        self.close()
        if baud is not None:
            self._baud = baud
        self.open()

    def _lost(self, exc: BaseException, what: str) -> DisconnectedError:
        self.close()
        return DisconnectedError(f"sensor port {self._url} lost during {what}: {exc}")

    def _port(self) -> Any:
        if self._ser is None:
            raise DisconnectedError(f"sensor port {self._url} is not open")
        return self._ser

    def write(self, data: bytes) -> None:
        ser = self._port()
        try:
            ser.write(data)
        except serial.SerialTimeoutException as exc:
            raise SensorTimeout(f"could not send to {self._url} within {WRITE_TIMEOUT} s") from exc
        except _IO_ERRORS as exc:
            raise self._lost(exc, "write") from exc

    def read(self, deadline: float) -> bytes:
        """Bytes that arrive before ``deadline`` (monotonic); ``b""`` if none did.

        Returns as soon as anything is there; waits at most one poll slice past the deadline.
        """
        ser = self._port()
        while True:
            try:
                waiting = ser.in_waiting
                data: bytes = ser.read(min(max(waiting, 1), _MAX_READ))
                if data and self._cheap_timeouts:
                    # socket:// reports in_waiting as 0/1; fetch the rest without waiting.
                    ser.timeout = 0
                    try:
                        data += ser.read(_MAX_READ)
                    finally:
                        ser.timeout = POLL_INTERVAL
            except _IO_ERRORS as exc:
                raise self._lost(exc, "read") from exc
            if data or time.monotonic() >= deadline:
                return data

    def flush_input(self) -> bytes:
        """Discard (and return, for counting) whatever is already waiting."""
        ser = self._port()
        out = bytearray()
        try:
            for _ in range(64):  # bounded: a runaway stream cannot keep us here
                waiting = ser.in_waiting
                if not waiting:
                    break
                out += ser.read(min(waiting, _MAX_READ))
        except _IO_ERRORS as exc:
            raise self._lost(exc, "flush") from exc
        return bytes(out)

    def __repr__(self) -> str:
        return f"SerialTransport({self._url!r}, {self._baud})"
