"""Link-level robustness over a real pty (and TCP): noise, damage, unplug, replug."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest

from kiosk.sensor.codes import Confirmation as C
from kiosk.sensor.driver import R307
from kiosk.sensor.errors import (
    DisconnectedError,
    PortUnavailableError,
    SensorTimeout,
    TruncatedError,
    UnexpectedPacketError,
)
from kiosk.sensor.trace import FrameTrace
from kiosk.sensor.transport import SerialTransport
from tests.sensor.conftest import SimFactory, wait_for


def wrap_replies(sim: Any, change: Any) -> list[int]:
    """Pass every reply of ``sim`` through ``change(reply, n)``; returns a call counter."""
    original = sim.handle
    calls = [0]

    def handle(data: bytes) -> bytes:
        out: bytes = original(data)
        if out:
            calls[0] += 1
            out = change(out, calls[0])
        return out

    sim.handle = handle
    return calls


def test_garbage_and_power_on_noise_before_replies(driver: tuple[R307, Any, Any]) -> None:
    drv, sim, _ = driver
    wrap_replies(sim, lambda out, n: b"\x55\x00\x00\x13\x37 line noise \xef" + out)
    for _ in range(5):
        assert drv.template_count() == 0
    sim.place("gina")
    assert drv.gen_img()
    drv.img2tz(1)
    assert len(drv.up_char(1)) == 512
    assert drv.stats.garbage_bytes > 0 and drv.stats.resyncs > 0
    assert drv.stats.retries == 0


def test_checksum_damage_is_retried_on_idempotent_reads(driver: tuple[R307, Any, Any]) -> None:
    drv, sim, _ = driver

    def damage_first(out: bytes, n: int) -> bytes:
        return out[:-1] + bytes([out[-1] ^ 0xFF]) if n == 1 else out

    wrap_replies(sim, damage_first)
    assert drv.template_count() == 0
    assert drv.stats.checksum_errors == 1 and drv.stats.retries == 1


def test_reply_that_stops_midway_is_truncated_quickly(driver: tuple[R307, Any, Any]) -> None:
    drv, sim, _ = driver
    wrap_replies(sim, lambda out, n: out[:7] if n in (1, 2, 3) else out)
    start = time.monotonic()
    with pytest.raises(TruncatedError):
        drv.gen_img()  # three stalled replies in a row: a typed error, not a hang
    assert time.monotonic() - start < 3 * (drv.inter_byte_timeout + 0.4)
    assert drv.stats.retries == 2  # GenImg is repeatable, so it was asked again (bounded)
    assert drv.gen_img() is False  # the link is usable again right away


def test_one_stalled_reply_is_asked_again(driver: tuple[R307, Any, Any]) -> None:
    drv, sim, _ = driver
    wrap_replies(sim, lambda out, n: out[:7] if n == 1 else out)
    start = time.monotonic()
    assert drv.gen_img() is False  # the second answer came through
    assert drv.stats.retries == 1
    assert time.monotonic() - start < drv.inter_byte_timeout + 0.6


def test_a_command_the_sensor_never_answered_is_sent_again(driver: tuple[R307, Any, Any]) -> None:
    """A damaged header makes the sensor ignore the command: a repeatable one is sent again
    instead of ending the enrollment (hostile serial suite)."""
    drv, sim, _ = driver
    wrap_replies(sim, lambda out, n: b"" if n == 1 else out)
    sim.place("ivan")
    assert drv.gen_img()
    assert drv.stats.retries == 1 and drv.stats.timeouts == 1


def test_a_sensor_that_stays_silent_is_still_reported(driver: tuple[R307, Any, Any]) -> None:
    drv, sim, _ = driver
    wrap_replies(sim, lambda out, n: b"")
    with pytest.raises(SensorTimeout):
        drv.gen_img()
    assert drv.stats.retries == 2  # bounded: three tries in all


def test_a_damaged_command_answered_01_is_sent_again(driver: tuple[R307, Any, Any]) -> None:
    """01 = the sensor received our packet damaged; a capture step is asked again."""
    drv, sim, _ = driver
    sim.place("ivan")
    assert drv.gen_img()
    sim.fail_next(C.PACKET_RECEIVE_ERROR)
    drv.img2tz(1)
    assert drv.stats.retries == 1
    assert len(drv.up_char(1)) == 512


def test_unplug_during_up_char_then_replug(sim_pty: SimFactory) -> None:
    sim, server = sim_pty(baud_n=1, template_size=1536, packet_size_code=0, seed=3)
    drv = R307.open(server.port, baud=9600)
    sim.place("hank")
    assert drv.gen_img()
    drv.img2tz(1)
    sim.config.timing = "real"  # 1536 B + framing at 9600 baud ≈ 2.1 s on the wire
    start_out = server.bytes_out
    unplugged_at: list[float] = []

    def pull_cable() -> None:
        wait_for(lambda: server.bytes_out - start_out > 300, what="upload to start")
        unplugged_at.append(time.monotonic())
        server.unplug()

    puller = threading.Thread(target=pull_cable)
    puller.start()
    with pytest.raises(DisconnectedError):
        drv.up_char(1)
    noticed = time.monotonic() - unplugged_at[0]
    puller.join(5)
    assert noticed < 1.0, f"unplug noticed after {noticed:.2f} s"
    with pytest.raises(DisconnectedError):
        drv.template_count()  # stays typed while unplugged
    with pytest.raises(PortUnavailableError) as info:
        drv.reopen()  # the port is gone, not "busy" or "broken"
    assert info.value.reason == PortUnavailableError.MISSING
    sim.config.timing = "fast"
    server.replug()
    params = drv.reopen()
    assert params.capacity == 1000
    assert drv.template_count() == 0


def test_unplug_while_idle_is_noticed_on_next_command(driver: tuple[R307, Any, Any]) -> None:
    drv, _, server = driver
    server.unplug()
    start = time.monotonic()
    with pytest.raises(DisconnectedError):
        drv.template_count()
    assert time.monotonic() - start < 1.0


def test_tcp_socket_url(sim_pty: SimFactory) -> None:
    from kiosk.sim import SimConfig, TcpServer, VirtualR307

    with TcpServer(VirtualR307(SimConfig(seed=2))) as server:
        drv = R307.open(server.url)
        assert drv.template_count() == 0
        server.unplug()
        start = time.monotonic()
        with pytest.raises(DisconnectedError):
            drv.template_count()
        assert time.monotonic() - start < 1.0
        drv.close()


def test_loop_url_echo_is_an_unexpected_packet() -> None:
    drv = R307(SerialTransport("loop://"), reply_timeout=0.2)
    with pytest.raises(UnexpectedPacketError):
        drv.template_count()  # our own COMMAND comes back: never taken for an ACK
    assert drv.stats.unexpected_packets == 2  # tried, retried
    drv.close()


def test_silent_port_times_out_within_budget() -> None:
    import os

    master, slave = os.openpty()
    try:
        drv = R307(SerialTransport(os.ttyname(slave)), reply_timeout=0.3)
        start = time.monotonic()
        with pytest.raises(SensorTimeout):
            drv.template_count()
        assert 0.3 <= time.monotonic() - start < 0.8
        drv.close()
    finally:
        os.close(master)
        os.close(slave)


LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} \+\d+\.\d{3} (TX|RX|--) .+$"
)


def test_trace_lines_and_biometric_payloads_elided(driver: tuple[R307, Any, Any]) -> None:
    drv, sim, _ = driver
    lines: list[str] = []
    drv.trace = FrameTrace(lines.append)
    drv.template_count()
    assert lines[0].endswith(" TX EF01 FFFFFFFF 01 0003 1D 0021")
    assert lines[1].endswith(" RX EF01 FFFFFFFF 07 0005 00 0000 000C")
    sim.place("ivy")
    drv.gen_img()
    drv.img2tz(1)
    tpl = drv.up_char(1)
    drv.down_char(2, tpl)
    assert all(LINE.match(x) for x in lines), lines
    data_lines = [x for x in lines if " 02 " in x or " 08 " in x]
    assert any("<128 data bytes>" in x for x in data_lines)
    text = "\n".join(lines)
    for i in range(0, len(tpl) - 8, 8):
        assert tpl[i : i + 8].hex().upper() not in text.replace(" ", "")


def test_spy_url_and_gui_thread_guard(sim_pty: SimFactory, tmp_path: Any) -> None:
    import threading as th

    from kiosk import threadguard

    _, server = sim_pty()
    log = tmp_path / "spy.txt"
    drv = R307.open(f"spy://{server.port}?file={log}")
    assert drv.template_count() == 0
    assert log.read_text()  # the spy saw the conversation
    threadguard.set_gui_thread(th.get_ident(), strict=True)
    try:
        with pytest.raises(threadguard.GuiThreadIOError):
            drv.template_count()
    finally:
        threadguard.set_gui_thread(None)
        threadguard.violations.clear()
    drv.close()
