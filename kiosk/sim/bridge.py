"""A virtual ESP32 USB bridge in front of a :class:`~kiosk.sim.core.VirtualR307`, over RFC 2217.

The station reaches a real sensor through an ESP32 board running ``firmware/``. On DevKits
the USB-UART chip's DTR and RTS drive the two-transistor auto-reset circuit, so how the host
sets those lines decides whether opening the port resets the board. A pseudo-terminal has no
modem lines; RFC 2217 (telnet COM-port control, ``rfc2217://host:port`` in pyserial) carries
DTR, RTS and the baud rate over a real TCP connection, so the host-side code under test sets
them exactly as it would on a COM port, and this bridge reacts as the board does:

* **Auto-reset circuit** (``kind="devkit"``): EN is low (chip held in reset) while RTS is
  asserted and DTR released. When EN rises the chip boots the firmware. (Entering the ROM
  download mode needs GPIO0 low as EN rises, i.e. both lines changing within the EN RC
  delay, as esptool does; the model does not resolve that and has no download mode.)
  During ``boot_s`` every byte either way is lost and the ROM prints
  its banner at 115 200 baud (garbage at any other host baud). Then the firmware's power-up
  hold (``hold_s``): host bytes wait in the bridge, sensor bytes flow. Then it is transparent.
  The USB-UART link to the ESP32 runs at ``uart_baud`` (fixed at build time): a host at
  another baud gets garbage, as on a real wire.
* **Native USB** (``kind="native-usb"``, ESP32-S3 TinyUSB CDC): no reset circuit. The bridge
  only sends while DTR is asserted (bytes wait meanwhile); with ``follow_host_baud`` its
  sensor UART takes the host's baud rate (9600 × N only); with ``reboot_on_1200`` (the core's
  default, which the firmware turns off) a 1200-baud line coding reboots it into the
  bootloader and the port is gone.

How the host OS applies the lines when a port opens differs, and matters (``host_os``):
``"posix"``: the tty layer raises DTR and RTS together on open, then the program's settings
are applied one by one (pyserial: DTR, then RTS); ``"windows"``: both start released and the
open's DTR/RTS settings are applied RTS first, which reproduces the reset on open that esptool
avoids on Windows by releasing both lines before opening. Closing drops both together.

Long on purpose (about 500 lines): the RFC 2217 server, the auto-reset circuit and the boot
model are one simulated board; the tests drive them together.
"""

from __future__ import annotations

import contextlib
import logging
import random
import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, Self

from serial import rfc2217

from kiosk.sim.core import VirtualR307

log = logging.getLogger(__name__)

#: What an ESP32's ROM prints after a reset (UART0, 115 200 baud).
ROM_BANNER = (
    b"ets Jul 29 2019 12:21:46\r\n\r\n"
    b"rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"
    b"configsip: 0, SPIWP:0xee\r\n"
    b"clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00\r\n"
    b"mode:DIO, clock div:1\r\nload:0x3fff0030,len:1184\r\nload:0x40078000,len:13232\r\n"
    b"load:0x40080400,len:3028\r\nentry 0x400805e4\r\n"
)
ROM_BAUD = 115_200
#: The ROM starts printing this long after EN rises.
ROM_START_S = 0.01
#: When the first-open pulse comes, after the open (see ``reset_on_first_open``).
PULSE_AFTER_OPEN_S = 0.06
_TICK_S = 0.005
_GARBAGE = bytes((0x00, 0x80, 0xF8, 0xFE, 0xE0, 0xFC, 0xC0, 0x1E, 0x9C, 0x3F))

State = Literal["reset", "booting", "hold", "running", "rebooted"]


@dataclass
class BridgeEvent:
    """One thing the board did, for tests and the reset-model measurements."""

    at: float
    what: str
    detail: str = ""


@dataclass
class _Lines:
    dtr: bool = False
    rts: bool = False


class _PortSide:
    """What pyserial's RFC 2217 :class:`~serial.rfc2217.PortManager` drives: the bridge's
    end of the USB cable (line settings in, modem status out)."""

    def __init__(self, bridge: VirtualBridge) -> None:
        self._bridge = bridge
        self.bytesize = 8
        self.parity = "N"
        self.stopbits = 1
        self.xonxoff = False
        self.rtscts = False
        self.break_condition = False
        self.cts = self.dsr = self.ri = self.cd = False
        self._baudrate = bridge.uart_baud

    @property
    def baudrate(self) -> int:
        return self._baudrate

    @baudrate.setter
    def baudrate(self, value: int) -> None:
        self._baudrate = int(value)
        self._bridge._host_baud_set(int(value))

    @property
    def dtr(self) -> bool:
        return self._bridge._requested.dtr

    @dtr.setter
    def dtr(self, value: bool) -> None:
        self._bridge._line_request("dtr", bool(value))

    @property
    def rts(self) -> bool:
        return self._bridge._requested.rts

    @rts.setter
    def rts(self, value: bool) -> None:
        self._bridge._line_request("rts", bool(value))

    # RFC 2217 PURGE_DATA: "receive" is what came from the device, "transmit" what goes to it.
    def reset_input_buffer(self) -> None:
        self._bridge._purge_to_host()
        self._bridge._open_done()

    def reset_output_buffer(self) -> None:
        self._bridge._purge_to_sensor()


@dataclass
class _Conn:
    sock: socket.socket
    manager: Any = None
    opening: bool = True
    pending_dtr: bool | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def write(self, data: bytes) -> None:
        with self.lock, contextlib.suppress(OSError):
            self.sock.sendall(data)


class VirtualBridge:
    """An ESP32 bridge board on ``rfc2217://127.0.0.1:<port>``, with ``sim`` behind it."""

    def __init__(
        self,
        sim: VirtualR307,
        *,
        kind: Literal["devkit", "native-usb"] = "devkit",
        host_os: Literal["posix", "windows"] = "posix",
        boot_s: float = 0.3,
        hold_s: float = 1.0,
        uart_baud: int = 57_600,
        sensor_baud: int | None = None,
        follow_host_baud: bool = True,
        reboot_on_1200: bool = False,
        reset_on_first_open: bool = False,
        silent_rom: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sim = sim
        self.kind = kind
        self.host_os = host_os
        self.boot_s = boot_s
        self.hold_s = hold_s
        self.uart_baud = uart_baud
        self.sensor_baud = sensor_baud or sim.baud
        self.follow_host_baud = follow_host_baud
        self.reboot_on_1200 = reboot_on_1200
        self.reset_on_first_open = reset_on_first_open
        #: GPIO15 strapped low: the ROM prints nothing at boot (no noise to notice a reset by).
        self.silent_rom = silent_rom
        self._clock = clock
        self._lock = threading.RLock()
        self._noise = random.Random(0xB007)
        self._requested = _Lines()
        self._lines = _Lines()
        self.host_baud = uart_baud
        self.events: list[BridgeEvent] = []
        self.resets = 0
        self.opens = 0
        self.lost_to_sensor = 0
        self.lost_to_host = 0
        self._to_sensor_held = bytearray()
        self._to_host_held = bytearray()
        self._state: State = "running"
        self._phase_end = 0.0
        #: ROM output still to come: (due time of its first byte, bytes, seconds per byte).
        self._rom_out = bytearray()
        self._rom_next = 0.0
        self._rom_byte_s = 0.0
        self._conn: _Conn | None = None
        self._pulsed = False
        self._pulse_at: float | None = None
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, port))
        self._listener.listen(1)
        self.host, self.port = self._listener.getsockname()[:2]
        self._thread = threading.Thread(target=self._serve, name="sim-bridge", daemon=True)
        self._thread.start()

    # -- public ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"rfc2217://{self.host}:{self.port}"

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    def wait_state(self, state: State, timeout: float = 5.0) -> bool:
        """Block until the board is in ``state`` (tests); False when the deadline passed."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.state == state:
                return True
            time.sleep(_TICK_S)
        return self.state == state

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._drop_client()
        with contextlib.suppress(OSError):
            self._listener.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- the circuit -----------------------------------------------------------------------

    def _event(self, what: str, detail: str = "") -> None:
        self.events.append(BridgeEvent(self._clock(), what, detail))
        log.debug("bridge: %s %s", what, detail)

    def _line_request(self, name: str, value: bool) -> None:
        """A SET_CONTROL from the host, applied as the host OS's driver would."""
        with self._lock:
            setattr(self._requested, name, value)
            conn = self._conn
            if conn is not None and conn.opening and self.host_os == "windows":
                # The open's DCB: DTR arrives first from pyserial; apply RTS, then DTR.
                if name == "dtr":
                    conn.pending_dtr = value
                    return
                conn.opening = False
                self._apply(rts=value)
                if conn.pending_dtr is not None:
                    self._apply(dtr=conn.pending_dtr)
                return
            if conn is not None and name == "rts":
                conn.opening = False
            self._apply(**{name: value})

    def _apply(self, *, dtr: bool | None = None, rts: bool | None = None) -> None:
        before = _Lines(self._lines.dtr, self._lines.rts)
        if dtr is not None:
            self._lines.dtr = dtr
        if rts is not None:
            self._lines.rts = rts
        if (before.dtr, before.rts) == (self._lines.dtr, self._lines.rts):
            return
        self._event("lines", f"DTR={int(self._lines.dtr)} RTS={int(self._lines.rts)}")
        if self.kind != "devkit":
            if self._lines.dtr and self._to_host_held:
                self._flush_held_to_host()
            return
        was_reset = before.rts and not before.dtr
        in_reset = self._lines.rts and not self._lines.dtr
        if in_reset and not was_reset:
            self._enter_reset()
        elif was_reset and not in_reset:
            self._boot()

    def _enter_reset(self) -> None:
        self.resets += 1
        self._state = "reset"
        self._to_sensor_held.clear()
        self._rom_out.clear()
        self._event("reset")

    def _boot(self) -> None:
        self._state = "booting"
        self._phase_end = self._clock() + self.boot_s
        self._event("boot", "firmware")
        self._send_rom(ROM_BANNER)

    def _send_rom(self, text: bytes) -> None:
        """The ROM prints at 115 200 baud; at any other host baud that is line garbage.

        It is queued and goes out over time (as on the wire), starting just after the boot.
        """
        if self.silent_rom:
            return
        if self.host_baud == ROM_BAUD:
            out = text
        else:
            n = max(1, len(text) * self.host_baud // ROM_BAUD)
            out = bytes(self._noise.choice(_GARBAGE) for _ in range(n))
        self._rom_out = bytearray(out)
        self._rom_next = self._clock() + ROM_START_S
        self._rom_byte_s = 10 / ROM_BAUD * max(1.0, ROM_BAUD / self.host_baud)

    def _emit_rom(self, now: float) -> None:
        if not self._rom_out or now < self._rom_next:
            return
        n = min(len(self._rom_out), 1 + int((now - self._rom_next) / self._rom_byte_s))
        chunk, self._rom_out = bytes(self._rom_out[:n]), self._rom_out[n:]
        self._rom_next += n * self._rom_byte_s
        self._to_host(chunk, raw=True)

    def _host_baud_set(self, baud: int) -> None:
        with self._lock:
            self.host_baud = baud
            self._event("baud", str(baud))
            if self.kind != "native-usb":
                return
            if baud == 1200 and self.reboot_on_1200:
                self._state = "rebooted"
                self._event("reboot", "1200-baud touch: bootloader")
                return
            if self.follow_host_baud and baud % 9600 == 0 and 1 <= baud // 9600 <= 12:
                self.sensor_baud = baud

    def _tick(self) -> None:
        with self._lock:
            now = self._clock()
            if self._pulse_at is not None and now >= self._pulse_at:
                self._pulse_at = None
                self._event("pulse", "first open after plug-in")
                self._enter_reset()
                self._boot()
            self._emit_rom(now)
            if self._state == "booting" and now >= self._phase_end:
                self._state = "hold"
                self._phase_end = now + self.hold_s
                self._event("firmware", "power-up hold")
            elif self._state == "hold" and now >= self._phase_end:
                self._state = "running"
                self._event("running")
                held, self._to_sensor_held = bytes(self._to_sensor_held), bytearray()
                if held:
                    self._to_sensor(held)
            if self._state in ("hold", "running"):
                out = self.sim.take_output()
                if out:
                    self._sensor_sent(out)

    # -- bytes -----------------------------------------------------------------------------

    def _link_ok(self) -> bool:
        """Does the host's baud match the USB-UART link's (always, on native USB)?"""
        return self.kind == "native-usb" or self.host_baud == self.uart_baud

    def _garble(self, data: bytes) -> bytes:
        return bytes(self._noise.choice(_GARBAGE) for _ in range(max(1, len(data) // 2)))

    def _from_host(self, data: bytes) -> None:
        with self._lock:
            if self._state in ("reset", "booting", "rebooted"):
                self.lost_to_sensor += len(data)
                return
            if not self._link_ok():
                data = self._garble(data)
            if self._state == "hold":
                self._to_sensor_held += data
                return
            self._to_sensor(data)

    def _to_sensor(self, data: bytes) -> None:
        if self.sensor_baud != self.sim.baud:
            return  # the module sees only framing errors at the wrong rate
        reply = self.sim.handle(data)
        if reply:
            self._sensor_sent(reply)

    def _sensor_sent(self, data: bytes) -> None:
        if self.sensor_baud != self.sim.baud:
            data = self._garble(data)
        self._to_host(data)

    def _to_host(self, data: bytes, *, raw: bool = False) -> None:
        conn = self._conn
        if conn is None or conn.manager is None:
            self.lost_to_host += len(data)
            return
        if not raw and not self._link_ok():
            data = self._garble(data)
        if self.kind == "native-usb" and not self._lines.dtr:
            self._to_host_held += data  # the CDC only sends once DTR is asserted
            return
        conn.write(b"".join(conn.manager.escape(data)))

    def _flush_held_to_host(self) -> None:
        held, self._to_host_held = bytes(self._to_host_held), bytearray()
        self._to_host(held, raw=True)

    def _open_done(self) -> None:
        """pyserial purges as the last step of opening: the open is complete."""
        with self._lock:
            conn = self._conn
            if conn is not None:
                conn.opening = False
            if self.reset_on_first_open and not self._pulsed and self.kind == "devkit":
                # A CH340 can pulse the lines as its port is opened the first time after it
                # was plugged in, whatever the program asks for. A real open takes about a
                # millisecond, so the board's boot output reaches the program after its open
                # returns; pyserial's RFC 2217 open polls its acknowledgements every 50 ms, so
                # the pulse is modelled just after that.
                self._pulsed = True
                self._pulse_at = self._clock() + PULSE_AFTER_OPEN_S

    def _purge_to_sensor(self) -> None:
        with self._lock:
            self._to_sensor_held.clear()

    def _purge_to_host(self) -> None:
        with self._lock:
            self._to_host_held.clear()

    # -- the USB cable (TCP) ---------------------------------------------------------------

    def _accept(self) -> None:
        sock, _ = self._listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._drop_client()
        with self._lock:
            if self._state == "rebooted":
                sock.close()  # in the bootloader: this port is not there
                return
            self.opens += 1
            conn = _Conn(sock)
            conn.manager = rfc2217.PortManager(_PortSide(self), conn)
            self._conn = conn
            self._requested = _Lines()
            self._event("open", self.host_os)
            if self.host_os == "posix":
                self._apply(dtr=True, rts=True)  # the tty layer raises both on open

    def _drop_client(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            with contextlib.suppress(OSError):
                conn.sock.close()
            self._event("close")
            self._apply(dtr=False, rts=False)  # both drop together as the port closes

    def _serve(self) -> None:
        try:
            while not self._stop.is_set():
                conn = self._conn
                watch = [self._listener] + ([conn.sock] if conn is not None else [])
                try:
                    readable, _, _ = select.select(watch, [], [], _TICK_S)
                except (OSError, ValueError):
                    readable = []
                if self._listener in readable:
                    self._accept()
                    continue
                self._tick()
                if conn is None or conn.sock not in readable:
                    continue
                try:
                    data = conn.sock.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    self._drop_client()
                    continue
                payload = b"".join(conn.manager.filter(data)) if conn.manager else b""
                if payload:
                    self._from_host(payload)
        except Exception:  # a server thread must never die silently
            log.exception("virtual bridge failed")


__all__ = ["ROM_BANNER", "BridgeEvent", "VirtualBridge"]
