"""Byte transport to the sensor: pyserial URLs, deadlines, and fast unplug detection.

``serial_for_url`` lets the same code open ``COM5``, ``/dev/ttyUSB0``, ``socket://host:port``,
``spy://…`` and ``loop://``. Reads poll in short slices so that a vanished device (EIO on a
USB-serial adapter or a pty, a closed socket) is noticed within a fraction of a second and
reported as :class:`DisconnectedError` — never as a timeout many seconds later.

Every pyserial/OS error is translated here; nothing above this module sees a
``SerialException``.

**Modem lines and the ESP32 auto-reset circuit.** ESP32 DevKits wire the USB-UART chip's DTR
and RTS to two transistors: RTS asserted with DTR released holds the chip in reset (EN low),
DTR asserted with RTS released selects the ROM download mode (GPIO0 low); both equal: no
effect. pyserial asserts both by default, and the OS may apply them one at a time, so a plain
open can pass through "RTS only" and reset the board: its first command is lost during the
boot, and the answer comes only after the bridge's power-up hold. So every port is opened with
the line state its adapter needs (:data:`LINE_STATES`, by USB VID/PID) and in an order that
never passes through the reset state on the host OS; a board that reset all the same (a CH340
can pulse on its first open) is recognised by its boot noise and waited for once, on the same
open port (:meth:`SerialTransport.open`). Nothing here opens a port twice.

Long on purpose (about 440 lines): every pyserial and OS error is translated in this one module,
next to the modem-line handling that decides whether an ESP32 resets on open; splitting it would
let a raw ``SerialException`` escape from the other half.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import sys
import time
from dataclasses import dataclass
from typing import Any, Protocol

import serial

from kiosk.sensor.errors import DisconnectedError, PortUnavailableError, SensorTimeout

try:  # termios.error is not an OSError; tcflush/tcgetattr raise it on a vanished pty.
    import termios

    _TERMIOS_ERRORS: tuple[type[BaseException], ...] = (termios.error,)
except ImportError:  # Windows
    _TERMIOS_ERRORS = ()

_IO_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError, *_TERMIOS_ERRORS)

log = logging.getLogger(__name__)

#: How long one blocking read may wait before re-checking deadlines (and the device).
POLL_INTERVAL = 0.02
#: A write that cannot drain within this time means the other side stopped reading.
WRITE_TIMEOUT = 10.0
_MAX_READ = 4096

#: The ESP32 bridge after a reset: ROM boot and firmware start-up (bytes sent then are lost) …
BRIDGE_BOOT_S = 0.4
#: … then its power-up hold (firmware R307_POWERUP_WAIT_MS): host bytes wait, then go through.
BRIDGE_HOLD_S = 1.0
#: How long after opening a port that can reset the board to watch for its boot noise: the ROM
#: starts printing within milliseconds of the reset; this covers USB latency timers (FTDI 16 ms).
BOOT_WATCH_S = 0.12
#: The boot noise has ended once the line stayed quiet this long.
BOOT_QUIET_S = 0.05
#: Bytes an R307 may send by itself at power-on (its ready byte, line idle glitches): not boot
#: noise of the bridge.
_SENSOR_IDLE_BYTES = frozenset({0x55, 0x00})


@dataclass(frozen=True)
class LineState:
    """DTR/RTS as a port must be held, and whether the board behind it can reset on open."""

    dtr: bool
    rts: bool
    #: The adapter drives an auto-reset circuit (or may): watch for boot noise after opening.
    may_reset: bool
    name: str


#: Both lines released: the auto-reset circuit neither resets nor selects download mode.
RELEASED = LineState(dtr=False, rts=False, may_reset=True, name="DTR and RTS released")
#: ESP32-S2/S3 native USB: its CDC only sends once DTR is asserted; RTS stays released so no
#: reset pattern is ever formed. No transistor circuit: nothing to wait for.
NATIVE_USB = LineState(dtr=True, rts=False, may_reset=False, name="DTR asserted, RTS released")
#: Not a USB adapter (pseudo-terminal, socket://, loop://): no modem lines that reset anything.
NO_LINES = LineState(dtr=False, rts=False, may_reset=False, name="no modem lines")

#: Line state per USB (VID, PID); PID ``None`` = any product of that vendor.
LINE_STATES: dict[tuple[int, int | None], LineState] = {
    (0x10C4, 0xEA60): RELEASED,  # Silicon Labs CP210x (ESP32 DevKit)
    (0x1A86, 0x7523): RELEASED,  # WCH CH340
    (0x1A86, 0x55D4): RELEASED,  # WCH CH9102
    (0x0403, 0x6001): RELEASED,  # FTDI FT232R
    (0x0403, 0x6015): RELEASED,  # FTDI FT-X
    (0x303A, None): NATIVE_USB,  # Espressif native USB (ESP32-S2/S3)
}


def line_state_for(vid: int | None, pid: int | None) -> LineState:
    """The line state for a USB adapter; unknown USB adapters are treated like a DevKit."""
    if vid is None:
        return NO_LINES
    return LINE_STATES.get((vid, pid)) or LINE_STATES.get((vid, None)) or RELEASED


def _usb_id(device: str) -> tuple[int | None, int | None] | None:
    """(VID, PID) of a local serial port by its name; ``None`` if it is not a USB port."""
    try:
        from serial.tools import list_ports

        for info in list_ports.comports():
            if info.device == device or getattr(info, "name", None) == device:
                vid = getattr(info, "vid", None)
                return (vid, getattr(info, "pid", None)) if vid is not None else None
    except Exception:  # port listing is best effort (Wine, odd drivers): fall back below
        log.debug("listing serial ports failed", exc_info=True)
    return None


def lines_for_url(url: str) -> LineState:
    """The line state for ``url``: by its USB id for a local port, by scheme for URLs.

    ``rfc2217://`` carries real modem lines to a remote port (and is how the tests reach the
    virtual ESP32 bridge), so it is treated like a DevKit; other URL schemes have no lines.
    """
    if url.startswith("rfc2217://"):
        return RELEASED
    if "://" in url:
        return NO_LINES
    usb = _usb_id(url)
    if usb is not None:
        return line_state_for(*usb)
    # Not listed as a USB port: a pseudo-terminal or a built-in UART, except on Windows, where
    # a COM port the listing missed is most likely a USB adapter all the same.
    return RELEASED if sys.platform == "win32" and url.upper().startswith("COM") else NO_LINES


def _release_dtr(ser: Any) -> None:
    """Release DTR on an open port; a port without modem lines (a pty) has nothing to do."""
    try:
        ser.dtr = False
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTTY):
            raise


def _preset_lines(ser: Any, lines: LineState, platform: str) -> bool:
    """Set DTR/RTS on an unopened port so ``open()`` applies them; True = DTR after open.

    Windows applies both with the port's settings in one call, starting from both released:
    set them as wanted. POSIX ttys raise both when the port opens, then pyserial sets DTR and
    then RTS: going straight to "both released" would pass through "RTS only" (reset). So on
    POSIX the port opens with DTR still asserted and RTS released (harmless: GPIO0 is only
    sampled at a reset), and DTR is released afterwards.
    """
    if platform == "win32":
        ser.dtr, ser.rts = lines.dtr, lines.rts
        return False
    ser.dtr, ser.rts = True, lines.rts
    return not lines.dtr


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

    def __init__(
        self,
        url: str,
        baud: int = 57600,
        *,
        exclusive: bool = True,
        lines: LineState | None = None,
        retune_on_reopen: bool = False,
        platform: str = sys.platform,
    ) -> None:
        """``lines``: how to hold DTR/RTS (default: by the port's USB id, :func:`lines_for_url`).

        ``retune_on_reopen``: :meth:`reopen` with a new baud rate only retunes a port that is
        still open instead of closing it (a baud scan through a board that resets on open).
        ``platform`` picks the line recipe of that OS (tests drive both).
        """
        self._url = url
        self._baud = baud
        self._exclusive = exclusive
        self._lines = lines
        self._retune = retune_on_reopen
        self._platform = platform
        self._ser: Any = None
        #: URL handlers (socket://, loop://) where changing the timeout costs nothing.
        self._cheap_timeouts = False
        #: How many times the board behind the port was seen to reset at open (boot noise).
        self.boot_waits = 0
        #: Seconds the last open spent watching for and waiting out a board reset.
        self.last_settle_s = 0.0
        self.opened_at = 0.0
        self.open()

    @property
    def lines(self) -> LineState:
        if self._lines is None:
            self._lines = lines_for_url(self._url)
        return self._lines

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
        if self._url.startswith("rfc2217://"):
            del kwargs["write_timeout"]  # pyserial's RFC 2217 client has none (TCP buffers)
        lines = self.lines
        try:
            ser = serial.serial_for_url(self._url, **kwargs)
            # Exclusive access (flock on POSIX; Windows ports are always exclusive).
            if self._exclusive and hasattr(ser, "exclusive"):
                with contextlib.suppress(ValueError, NotImplementedError):
                    ser.exclusive = True
            release_dtr = False
            if lines is not NO_LINES:
                release_dtr = _preset_lines(ser, lines, self._platform)
            ser.open()
            if release_dtr:
                _release_dtr(ser)
        except _IO_ERRORS as exc:
            raise PortUnavailableError(
                f"cannot open {self._url}: {exc}", reason=_open_reason(exc)
            ) from exc
        except ValueError as exc:  # malformed URL / unknown scheme
            raise PortUnavailableError(f"cannot open {self._url}: {exc}") from exc
        self._ser = ser
        # A real serial port (also behind spy://) reconfigures the tty on every timeout change,
        # and an RFC 2217 port renegotiates every setting over the network.
        self._cheap_timeouts = not isinstance(ser, serial.Serial) and not self._url.startswith(
            "rfc2217://"
        )
        self.opened_at = time.monotonic()
        if lines.may_reset:
            self._settle()

    def wait_out_silent_reset(self) -> bool:
        """After a first command went unanswered: let a reset that made no noise pass.

        Some boards print nothing at boot (ESP32 with GPIO15 strapped low), so a reset at open
        can only be inferred from a lost command. Waits (discarding input) until boot and
        power-up hold would be over, counted from the open; False for ports that cannot reset
        or when that time has passed already.
        """
        if not self.lines.may_reset or self._ser is None:
            return False
        end = self.opened_at + BRIDGE_BOOT_S + BRIDGE_HOLD_S
        if time.monotonic() >= end:
            return False
        while time.monotonic() < end:
            self.read(end)
        self.flush_input()
        return True

    def _settle(self) -> None:
        """If the board reset as the port opened, wait until it listens again (same port).

        A reset shows as boot noise (the ROM's banner at 115 200 baud) within a few ms. Then
        bytes sent during the boot are lost and later ones are held until the power-up hold
        ends; the hold ends invisibly, so the wait runs to its documented end. Without noise
        this costs one short watch.
        """
        t0 = time.monotonic()
        noise_at: float | None = None
        seen = bytearray()
        watch_end = t0 + BOOT_WATCH_S
        quiet_end = watch_end
        while True:
            now = time.monotonic()
            end = quiet_end if noise_at is None else max(quiet_end, noise_at + BRIDGE_BOOT_S
                                                          + BRIDGE_HOLD_S)
            if now >= end:
                break
            data = self.read(min(end, now + BOOT_QUIET_S))
            if not data:
                continue
            seen += data
            if noise_at is None and any(b not in _SENSOR_IDLE_BYTES for b in data):
                noise_at = time.monotonic()
            quiet_end = time.monotonic() + BOOT_QUIET_S
        self.last_settle_s = time.monotonic() - t0
        if noise_at is not None:
            self.boot_waits += 1
            log.info("the board on %s reset as the port opened (%d bytes of boot output); "
                     "waited %.2f s for it", self._url, len(seen), self.last_settle_s)

    def close(self) -> None:
        ser, self._ser = self._ser, None
        if ser is not None:
            with contextlib.suppress(*_IO_ERRORS):
                ser.close()

    def reopen(self, baud: int | None = None) -> None:
        """Close and open again (after an unplug, a power cycle or a baud change).

        With ``retune_on_reopen`` a baud change on a port that is still open only retunes it:
        closing and opening could reset the board behind it each time.
        """
        if self._retune and baud is not None and self._ser is not None:
            try:
                self.set_baud(baud)
                return
            except DisconnectedError:
                pass  # the port went away: open it afresh below
        self.close()
        if baud is not None:
            self._baud = baud
        self.open()

    def set_baud(self, baud: int) -> None:
        """Change the baud rate of the open port in place and drop what arrived before."""
        ser = self._port()
        try:
            ser.baudrate = baud
            ser.reset_input_buffer()
        except _IO_ERRORS as exc:
            raise self._lost(exc, "baud change") from exc
        except ValueError as exc:
            raise PortUnavailableError(f"{self._url} cannot run at {baud} baud: {exc}") from exc
        self._baud = baud

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
