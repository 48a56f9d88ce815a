"""Opening the sensor port never resets an ESP32 bridge, and survives one that resets anyway.

Everything goes through the virtual ESP32 bridge (kiosk.sim.bridge) over RFC 2217 on real TCP:
the transport sets DTR/RTS exactly as on a COM port, and the bridge reacts as a DevKit's
auto-reset circuit does. Both host-OS line models are driven with the matching recipe.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.sensor.discovery import CandidatePort, Problem, connect_sensor
from kiosk.sensor.driver import R307
from kiosk.sensor.errors import SensorTimeout
from kiosk.sensor.transport import (
    BRIDGE_BOOT_S,
    BRIDGE_HOLD_S,
    NATIVE_USB,
    NO_LINES,
    RELEASED,
    LineState,
    SerialTransport,
    line_state_for,
    lines_for_url,
)
from kiosk.sim import SimConfig, VirtualR307
from kiosk.sim.bridge import VirtualBridge

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:serial.rfc2217")

OS_MODELS = [("windows", "win32"), ("posix", "linux")]
CP210X = (0x10C4, 0xEA60)
#: What the station shipped in v0.1.0 did: pyserial's defaults (both lines asserted).
PYSERIAL_DEFAULT = LineState(dtr=True, rts=True, may_reset=False, name="pyserial default")


@pytest.fixture
def bridges() -> Iterator[Any]:
    made: list[VirtualBridge] = []

    def make(baud_n: int = 6, **kw: Any) -> VirtualBridge:
        sim = VirtualR307(SimConfig(seed=11, baud_n=baud_n, startup_byte=False))
        b = VirtualBridge(sim, **kw)
        made.append(b)
        return b

    yield make
    for b in made:
        b.close()


def candidate(b: VirtualBridge, usb: tuple[int, int] = CP210X) -> CandidatePort:
    return CandidatePort(b.url, "virtual bridge", vid=usb[0], pid=usb[1], adapter="test")


def test_line_states_per_usb_id() -> None:
    for vid, pid in [(0x10C4, 0xEA60), (0x1A86, 0x7523), (0x1A86, 0x55D4), (0x0403, 0x6001),
                     (0x0403, 0x6015)]:
        assert line_state_for(vid, pid) is RELEASED
    assert line_state_for(0x303A, 0x1001) is NATIVE_USB
    assert NATIVE_USB.dtr and not NATIVE_USB.rts and not NATIVE_USB.may_reset
    assert line_state_for(0x1234, 0x5678) is RELEASED  # an unknown USB adapter: play safe
    assert line_state_for(None, None) is NO_LINES
    assert lines_for_url("rfc2217://127.0.0.1:1") is RELEASED
    assert lines_for_url("socket://127.0.0.1:1") is NO_LINES
    assert lines_for_url("loop://") is NO_LINES


@pytest.mark.parametrize(("host_os", "platform"), OS_MODELS)
def test_open_does_not_reset_the_board(bridges: Any, host_os: str, platform: str) -> None:
    b = bridges(host_os=host_os)
    drv = R307(SerialTransport(b.url, lines=RELEASED, platform=platform), reply_timeout=0.5)
    try:
        drv.verify_password()
        assert drv.read_sys_para().capacity == 1000
    finally:
        drv.close()
    assert b.resets == 0, [(e.what, e.detail) for e in b.events]


def test_the_old_open_resets_the_board_and_loses_the_first_command(bridges: Any) -> None:
    """The failure the fix is for, reproduced: pyserial's default lines on Windows."""
    b = bridges(host_os="windows")
    drv = R307(SerialTransport(b.url, lines=PYSERIAL_DEFAULT, platform="win32"),
               reply_timeout=0.5)
    try:
        with pytest.raises(SensorTimeout):
            drv.verify_password()
    finally:
        drv.close()
    assert b.resets == 1


@pytest.mark.parametrize(("host_os", "platform"), OS_MODELS)
def test_a_board_that_resets_anyway_is_waited_for_once(
    bridges: Any, host_os: str, platform: str
) -> None:
    """A CH340 can pulse its lines on the first open after plug-in: wait, same port."""
    b = bridges(host_os=host_os, reset_on_first_open=True)
    t0 = time.monotonic()
    transport = SerialTransport(b.url, lines=RELEASED, platform=platform)
    drv = R307(transport, reply_timeout=0.5)  # shorter than boot + hold
    try:
        drv.verify_password()
        drv.read_sys_para()
    finally:
        drv.close()
    assert b.resets == 1 and b.opens == 1
    assert transport.boot_waits == 1
    assert transport.last_settle_s >= b.hold_s
    assert time.monotonic() - t0 < BRIDGE_BOOT_S + BRIDGE_HOLD_S + 2.0


def test_no_boot_wait_without_a_reset(bridges: Any) -> None:
    b = bridges(host_os="windows")
    transport = SerialTransport(b.url, lines=RELEASED, platform="win32")
    try:
        assert transport.boot_waits == 0
        assert transport.last_settle_s < 0.5
    finally:
        transport.close()


def test_discovery_connects_through_the_bridge_on_the_first_attempt(bridges: Any) -> None:
    b = bridges(host_os="windows", reset_on_first_open=True)
    verdict, drv = connect_sensor(57600, candidates=[candidate(b)])
    try:
        assert verdict.problem is Problem.OK, verdict.message
        assert drv is not None
        assert drv.template_count() == 0  # the probed driver is the connected one
    finally:
        if drv is not None:
            drv.close()
    assert b.opens == 1, "probe and connection share one open"


def test_silent_reset_is_recovered_on_the_same_port(bridges: Any) -> None:
    """No boot noise (GPIO15 strapped low): the lost first command is asked again once."""
    b = bridges(host_os="windows", reset_on_first_open=True, silent_rom=True)
    verdict, drv = connect_sensor(57600, candidates=[candidate(b)], auto_baud=False)
    try:
        assert verdict.problem is Problem.OK, verdict.message
    finally:
        if drv is not None:
            drv.close()
    assert b.resets == 1 and b.opens == 1


def test_baud_scan_retunes_the_open_port(bridges: Any) -> None:
    """A sensor at 115 200 behind a native-USB bridge that follows the host's baud: found
    by the scan without a single reopen (each reopen could reset a DevKit)."""
    b = bridges(baud_n=12, kind="native-usb", host_os="windows")
    verdict, drv = connect_sensor(57600, candidates=[candidate(b, (0x303A, 0x1001))])
    assert drv is None  # a wrong baud rate is reported, not silently used
    assert verdict.problem is Problem.WRONG_BAUD and verdict.baud == 115200, verdict.message
    assert b.opens == 1


def test_baud_scan_through_a_devkit_never_resets_it(bridges: Any) -> None:
    b = bridges(baud_n=12, host_os="posix", uart_baud=57600, sensor_baud=57600)
    verdict, drv = connect_sensor(57600, candidates=[candidate(b)])
    assert drv is None
    assert verdict.problem is not Problem.OK
    assert b.opens == 1 and b.resets == 0
