"""The virtual ESP32 bridge behaves like the board: auto-reset circuit, boot, hold, baud.

Each test drives it with pyserial's own RFC 2217 client over real TCP, setting DTR/RTS the
way a program would on a COM port, and checks what the board did (its event log) and what
came back on the wire.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import serial

from kiosk.sensor.packet import Deframer, encode
from kiosk.sim import SimConfig, VirtualR307
from kiosk.sim.bridge import ROM_BANNER, VirtualBridge

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:serial.rfc2217")

VFY_PWD = encode(0xFFFFFFFF, 0x01, bytes([0x13, 0, 0, 0, 0]))


@pytest.fixture
def bridges() -> Iterator[Any]:
    made: list[VirtualBridge] = []

    def make(**kw: Any) -> VirtualBridge:
        sim = VirtualR307(SimConfig(seed=3, startup_byte=False))
        b = VirtualBridge(sim, **kw)
        made.append(b)
        return b

    yield make
    for b in made:
        b.close()


def open_port(url: str, *, dtr: bool | None, rts: bool | None, baud: int = 57600) -> Any:
    """A pyserial RFC 2217 port, lines preset before open (``None``: pyserial's default)."""
    ser = serial.serial_for_url(url, baudrate=baud, timeout=0.02, do_not_open=True)
    if dtr is not None:
        ser.dtr = dtr
    if rts is not None:
        ser.rts = rts
    ser.open()
    return ser


def read_for(ser: Any, seconds: float) -> bytes:
    """Everything that arrives within ``seconds`` (a deadline, not a sleep)."""
    end = time.monotonic() + seconds
    out = bytearray()
    while time.monotonic() < end:
        out += ser.read(4096)
    return bytes(out)


def answer(ser: Any, timeout: float) -> bool:
    """Send VfyPwd; True if a well-formed acknowledge arrives before the deadline."""
    ser.write(VFY_PWD)
    df = Deframer(0xFFFFFFFF)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        data = ser.read(64)
        if data:
            df.feed(data)
            try:
                if df.next() is not None:
                    return True
            except ValueError:
                return False
    return False


def what(b: VirtualBridge) -> list[str]:
    return [e.what for e in b.events]


def test_windows_open_with_pyserial_defaults_resets_and_loses_the_first_command(
    bridges: Any,
) -> None:
    b = bridges(host_os="windows")
    ser = open_port(b.url, dtr=None, rts=None)
    try:
        assert b.resets == 1 and "boot" in what(b)
        assert not answer(ser, 0.5), "a command sent during the boot must be lost"
        assert b.lost_to_sensor > 0
    finally:
        ser.close()


def test_windows_open_with_both_lines_released_does_not_reset(bridges: Any) -> None:
    b = bridges(host_os="windows")
    ser = open_port(b.url, dtr=False, rts=False)
    try:
        assert b.resets == 0
        assert answer(ser, 0.5)
    finally:
        ser.close()


def test_posix_releasing_both_lines_naively_passes_through_reset(bridges: Any) -> None:
    """The tty raises both on open; pyserial then releases DTR before RTS: "RTS only"."""
    b = bridges(host_os="posix")
    ser = open_port(b.url, dtr=False, rts=False)
    try:
        assert b.resets == 1
    finally:
        ser.close()


def test_posix_dtr_then_release_never_resets(bridges: Any) -> None:
    b = bridges(host_os="posix")
    ser = open_port(b.url, dtr=True, rts=False)
    try:
        ser.dtr = False
        assert b.resets == 0
        assert answer(ser, 0.5)
    finally:
        ser.close()


def test_boot_noise_is_the_rom_banner_at_115200_and_garbage_at_57600(bridges: Any) -> None:
    for baud, readable in ((115200, True), (57600, False)):
        b = bridges(host_os="windows", uart_baud=baud)
        ser = open_port(b.url, dtr=False, rts=False, baud=baud)
        try:
            ser.rts = True  # EN low: reset
            ser.rts = False  # EN high: boot
            noise = read_for(ser, 0.2)
            assert noise, "no boot output"
            assert (b"rst:0x1" in noise) is readable, noise[:80]
            if not readable:
                assert len(noise) < len(ROM_BANNER)  # fewer, wrong bits per byte
        finally:
            ser.close()


def test_hold_buffers_host_bytes_then_answers(bridges: Any) -> None:
    b = bridges(host_os="windows", boot_s=0.1, hold_s=0.4)
    ser = open_port(b.url, dtr=False, rts=False)
    try:
        ser.rts = True
        ser.rts = False
        assert b.wait_state("hold", 2.0)
        t0 = time.monotonic()
        assert answer(ser, 2.0), "a command sent during the hold is answered after it"
        assert time.monotonic() - t0 >= 0.2
    finally:
        ser.close()


def test_wrong_host_baud_through_a_devkit_is_garbage(bridges: Any) -> None:
    b = bridges(host_os="windows", uart_baud=57600)
    ser = open_port(b.url, dtr=False, rts=False, baud=115200)
    try:
        assert not answer(ser, 0.4)
        ser.baudrate = 57600
        assert answer(ser, 0.5)
        assert b.resets == 0, "a baud change on an open port does not touch the lines"
    finally:
        ser.close()


def test_native_usb_sends_only_with_dtr_and_follows_the_host_baud(bridges: Any) -> None:
    b = bridges(kind="native-usb", host_os="windows")
    ser = open_port(b.url, dtr=False, rts=False)
    try:
        ser.write(VFY_PWD)
        assert read_for(ser, 0.2) == b"", "the CDC must not send without DTR"
        ser.dtr = True
        assert read_for(ser, 0.3), "the held answer arrives once DTR is asserted"
        ser.baudrate = 115200
        assert b.sensor_baud == 115200
        ser.baudrate = 1200  # not a sensor rate: ignored (reboot disabled)
        assert b.sensor_baud == 115200 and b.state == "running"
    finally:
        ser.close()


def test_native_usb_with_the_cores_default_reboots_on_1200_baud(bridges: Any) -> None:
    b = bridges(kind="native-usb", host_os="windows", reboot_on_1200=True)
    ser = open_port(b.url, dtr=True, rts=False)
    try:
        ser.baudrate = 1200
        assert b.state == "rebooted"
    finally:
        ser.close()
