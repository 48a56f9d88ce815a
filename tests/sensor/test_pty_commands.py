"""Driver ↔ virtual R307 over a real pty: every command, codes, sizes, stateful commands."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.sensor.codes import Confirmation as C
from kiosk.sensor.codes import Instruction
from kiosk.sensor.driver import IMAGE_BYTES, R307, MatchResult, SearchResult
from kiosk.sensor.errors import SensorCommandError, SensorTimeout
from tests.sensor.conftest import SimFactory, wait_for


def enroll(drv: R307, sim: Any, finger: str, slot: int) -> None:
    """Two captures of ``finger``, merged and stored in ``slot``."""
    sim.place(finger)
    for buf in (1, 2):
        assert drv.gen_img()
        drv.img2tz(buf)
    drv.reg_model()
    drv.store(1, slot)
    sim.lift()


def capture(drv: R307, sim: Any, finger: str, buf: int) -> None:
    sim.place(finger)
    assert drv.gen_img()
    drv.img2tz(buf)
    sim.lift()


def test_every_command_round_trip(driver: tuple[R307, Any, Any]) -> None:
    drv, sim, _ = driver
    p = drv.params
    assert p is not None
    assert (p.capacity, p.security_level, p.packet_size, p.baud, p.address) == (
        1000, 3, 128, 57600, 0xFFFFFFFF,
    )
    assert p.password_verified
    assert drv.capacity == 1000 and drv.port_name
    assert drv.template_count() == 0
    assert drv.index_table() == set()
    assert drv.find_free_slot() == 0
    assert isinstance(drv.random_code(), int)

    assert drv.gen_img() is False  # no finger
    enroll(drv, sim, "alice-right-index", 5)
    enroll(drv, sim, "bob-left-thumb", 300)  # page 1 of the index table
    assert drv.template_count() == 2
    assert drv.index_table() == {5, 300}
    assert drv.find_free_slot() == 0
    assert drv.find_free_slot(5) == 6

    capture(drv, sim, "alice-right-index", 1)
    hit = drv.search(1, 0, 1000)
    assert isinstance(hit, SearchResult) and hit.slot == 5 and hit.score > 0
    fast = drv.high_speed_search(1)
    assert fast is not None and fast.slot == 5
    assert drv.search(1, 6, 100) is None  # not in that range

    drv.load_char(2, 5)
    m = drv.match()
    assert isinstance(m, MatchResult) and m.matched and m.score > 0
    drv.load_char(2, 300)
    assert drv.match().matched is False

    tpl = drv.up_char(1)
    assert len(tpl) == 512
    assert tpl == sim.buffer(1)
    drv.down_char(2, tpl)
    wait_for(lambda: sim.buffer(2) == tpl, what="the sim to take the template")
    assert drv.match().matched

    image = drv.up_image()
    assert len(image) == IMAGE_BYTES

    drv.notepad_write(3, b"station-01")
    assert drv.notepad_read(3) == b"station-01".ljust(32, b"\0")

    drv.set_security_level(5)
    assert drv.read_sys_para().security_level == 5

    drv.delete(5)
    assert drv.index_table() == {300}
    drv.empty()
    assert drv.template_count() == 0
    assert drv.stats.garbage_bytes == 0 and drv.stats.retries == 0


@pytest.mark.parametrize("template_size", [512, 768, 1536])
@pytest.mark.parametrize("packet_code", [0, 1, 2, 3])
def test_template_and_packet_sizes(
    sim_pty: SimFactory, template_size: int, packet_code: int
) -> None:
    sim, server = sim_pty(template_size=template_size, packet_size_code=packet_code, seed=1)
    with R307.open(server.port) as drv:
        assert drv.packet_size == (32, 64, 128, 256)[packet_code]
        capture(drv, sim, "carol", 1)
        tpl = drv.up_char(1)
        assert len(tpl) == template_size  # read until END, not a fixed 512
        capture(drv, sim, "carol", 1)
        drv.down_char(2, tpl)  # split by the module's packet size, short END chunk
        wait_for(lambda: sim.buffer(2) == tpl, what="the sim to take the template")
        assert drv.match().matched
        if template_size == 512 and packet_code in (0, 3):
            assert len(drv.up_image()) == IMAGE_BYTES


def test_confirmation_codes(driver: tuple[R307, Any, Any]) -> None:
    drv, sim, _ = driver

    def code_of(call: Any) -> int:
        with pytest.raises(SensorCommandError) as info:
            call()
        assert info.value.hint  # every code has an operator message
        return info.value.code

    # Natural failures.
    assert code_of(lambda: drv.img2tz(1)) == C.INVALID_IMAGE
    assert code_of(lambda: drv.store(1, 1000)) == C.BAD_LOCATION
    assert code_of(lambda: drv.load_char(1, 10)) == C.DB_READ_FAIL
    assert code_of(drv.match) == C.PACKET_RECEIVE_ERROR  # empty buffers
    assert code_of(lambda: drv.set_sys_para(7, 1)) == C.INVALID_REGISTER
    assert code_of(lambda: drv.command(Instruction.READ_NOTEPAD, b"\x10")) == (
        C.BAD_NOTEPAD_PAGE
    )
    assert code_of(lambda: drv.command(Instruction.SET_SYS_PARA, b"\x05\x09")) == (
        C.BAD_REGISTER_CONFIG
    )
    assert code_of(lambda: drv.command(Instruction.PORT_CONTROL, b"\x05")) == C.PORT_OP_FAIL
    assert code_of(lambda: drv.command(0x53)) == C.NO_DEFINITION  # not an R307 command
    assert drv.command(Instruction.PORT_CONTROL, b"\x01") == b""
    capture(drv, sim, "dave", 1)
    capture(drv, sim, "erin", 2)
    assert code_of(drv.reg_model) == C.ENROLL_MISMATCH
    # A broken DownChar shows on the next command (no ack after data packets).
    drv.down_char(2, b"\x03\x01" + bytes(100))
    assert code_of(drv.match) == C.PACKET_RECEIVE_ERROR
    assert code_of(lambda: drv.delete(999, 5)) == C.DELETE_FAIL

    # Injected failures, each on the command that documents it.
    capture(drv, sim, "dave", 1)
    capture(drv, sim, "dave", 2)
    sim.place("dave")
    cases: list[tuple[int, Any]] = [
        (C.IMAGE_FAIL, drv.gen_img),
        (C.IMAGE_TOO_DRY, lambda: drv.img2tz(1)),
        (C.IMAGE_TOO_WET, lambda: drv.img2tz(1)),
        (C.IMAGE_MESSY, lambda: drv.img2tz(1)),
        (C.FEATURE_FAIL, lambda: drv.img2tz(1)),
        (C.ENROLL_MISMATCH, drv.reg_model),
        (C.DB_READ_FAIL, lambda: drv.load_char(1, 0)),
        (C.UPLOAD_FEATURE_FAIL, lambda: drv.up_char(1)),
        (C.PACKET_RESPONSE_FAIL, lambda: drv.down_char(1, bytes(512))),
        (C.UPLOAD_IMAGE_FAIL, drv.up_image),
        (C.DELETE_FAIL, lambda: drv.delete(0)),
        (C.DB_CLEAR_FAIL, drv.empty),
        (C.FLASH_ERROR, lambda: drv.store(1, 0)),
        (C.LIBRARY_FULL, lambda: drv.store(1, 0)),
        (C.FLASH_ERROR, lambda: drv.notepad_write(0, b"x")),
        (C.PACKET_RECEIVE_ERROR, drv.random_code),
    ]
    for code, call in cases:
        sim.fail_next(code)
        assert code_of(call) == code, f"0x{code:02X}"
    # Codes that are answers, not failures.
    sim.fail_next(C.NO_FINGER)
    assert drv.gen_img() is False
    sim.fail_next(C.NO_MATCH)
    assert drv.match() == MatchResult(False, 0)
    sim.fail_next(C.NOT_FOUND)
    assert drv.search(1) is None
    # A 01 on an idempotent read is retried once, transparently.
    before = drv.stats.retries
    sim.fail_next(C.PACKET_RECEIVE_ERROR)
    assert drv.template_count() == 0
    assert drv.stats.retries == before + 1


def test_wrong_password_and_password_change(sim_pty: SimFactory) -> None:
    _, server = sim_pty(password=0x1234)
    with pytest.raises(SensorCommandError) as info:
        R307.open(server.port)
    assert info.value.code == C.WRONG_PASSWORD
    drv = R307.open(server.port, password=0x1234)
    drv.set_password(0x5678)
    server.unplug()
    server.replug()  # power cycle: verification forgotten
    drv.reopen()  # VfyPwd with the new password first
    assert drv.template_count() == 0
    drv.close()
    server.unplug()
    server.replug()
    with pytest.raises(SensorCommandError) as info2:
        R307.open(server.port, verify=False)  # ReadSysPara before VfyPwd
    assert info2.value.code == C.PASSWORD_REQUIRED


def test_foreign_address_times_out_typed(sim_pty: SimFactory) -> None:
    _, server = sim_pty(address=0x12345678)
    with pytest.raises(SensorTimeout):
        R307.open(server.port, reply_timeout=0.3)
    drv = R307.open(server.port, address=0x12345678)
    assert drv.params is not None and drv.params.address == 0x12345678
    drv.close()


def test_set_address_ack_comes_from_new_address(driver: tuple[R307, Any, Any]) -> None:
    drv, sim, _ = driver
    drv.set_address(0xCAFEBABE)
    assert drv.address == 0xCAFEBABE
    assert sim.config.address == 0xCAFEBABE
    assert drv.template_count() == 0
    assert drv.read_sys_para().address == 0xCAFEBABE


def test_baud_change_takes_effect_after_power_cycle(sim_pty: SimFactory) -> None:
    sim, server = sim_pty()
    drv = R307.open(server.port)
    drv.set_baud(115200)
    assert drv.pending_baud == 115200
    assert drv.template_count() == 0  # still the old rate until the power cycle
    drv.set_packet_size(32)
    assert drv.packet_size == 128  # the module reports the size in effect
    server.unplug()
    server.replug()
    params = drv.reopen()
    assert (params.baud, drv.baud, params.packet_size, drv.packet_size) == (
        115200, 115200, 32, 32,
    )
    capture(drv, sim, "frank", 1)
    assert len(drv.up_char(1)) == 512
    drv.close()


def test_auto_baud_finds_a_module_left_at_another_speed(sim_pty: SimFactory) -> None:
    _, server = sim_pty(baud_n=2)  # 19 200
    drv = R307(__import__("kiosk.sensor.transport", fromlist=["x"]).SerialTransport(server.port))
    assert drv.auto_baud() == 19200
    assert drv.read_sys_para().baud == 19200
    drv.close()
