"""Golden frames from the protocol reference's worked examples, fed through ``sim.handle``."""

from __future__ import annotations

import pytest

from kiosk.sensor.packet import Deframer, encode
from kiosk.sim import SimConfig, VirtualR307

VFY_PWD_0 = bytes.fromhex("EF01FFFFFFFF0100071300000000001B")
GEN_IMG = bytes.fromhex("EF01FFFFFFFF0100030100 05".replace(" ", ""))
IMG2TZ_1 = bytes.fromhex("EF01FFFFFFFF010004020100 08".replace(" ", ""))
ACK_OK = bytes.fromhex("EF01FFFFFFFF07000300000A")
#: Reference A1: ReadSysPara reply of a 200-slot module at 57 600 baud, 128-byte packets.
SYSPARA_200 = bytes.fromhex("EF01FFFFFFFF070013000000000000C80003FFFFFFFF0002000604E9")


@pytest.fixture
def sim() -> VirtualR307:
    return VirtualR307(SimConfig(startup_byte=False, seed=1))


def test_encoder_agrees_with_reference_examples() -> None:
    assert encode(0xFFFFFFFF, 1, bytes.fromhex("1300000000")) == VFY_PWD_0
    assert encode(0xFFFFFFFF, 1, b"\x01") == GEN_IMG
    assert encode(0xFFFFFFFF, 1, b"\x02\x01") == IMG2TZ_1


def test_vfypwd_zero_gets_plain_ok(sim: VirtualR307) -> None:
    assert sim.handle(VFY_PWD_0) == ACK_OK


def test_genimg_then_img2tz(sim: VirtualR307) -> None:
    assert sim.handle(GEN_IMG) == bytes.fromhex("EF01FFFFFFFF07000302000C")  # 02 no finger
    sim.place("alice:right-index")
    assert sim.handle(GEN_IMG) == ACK_OK
    assert sim.handle(IMG2TZ_1) == ACK_OK


def test_img2tz_without_image_is_0x15(sim: VirtualR307) -> None:
    assert sim.handle(IMG2TZ_1) == encode(0xFFFFFFFF, 7, b"\x15")


def test_readsyspara_reproduces_reference_frame() -> None:
    sim = VirtualR307(SimConfig(capacity=200, startup_byte=False))
    assert sim.handle(VFY_PWD_0) == ACK_OK
    sim.power_cycle()  # forget the verification so the status register reads 0 as in A1
    assert sim.handle(encode(0xFFFFFFFF, 1, b"\x0f")) == SYSPARA_200


def test_startup_byte_precedes_first_reply() -> None:
    sim = VirtualR307()
    assert sim.handle(VFY_PWD_0) == b"\x55" + ACK_OK
    sim.power_cycle()
    assert sim.take_output() == b"\x55"
    assert VirtualR307(SimConfig(startup_byte=False)).take_output() == b""


def test_fragmented_input_byte_by_byte(sim: VirtualR307) -> None:
    out = b"".join(sim.handle(bytes([b])) for b in VFY_PWD_0 + VFY_PWD_0)
    assert out == ACK_OK + ACK_OK


def test_garbage_and_noise_between_frames_are_skipped(sim: VirtualR307) -> None:
    assert sim.handle(b"\x00\x55\x12\x34" + VFY_PWD_0 + b"\xef") == ACK_OK
    assert sim.handle(VFY_PWD_0) == ACK_OK


def test_replies_decode_with_the_shared_deframer(sim: VirtualR307) -> None:
    d = Deframer()
    d.feed(sim.handle(VFY_PWD_0 + encode(0xFFFFFFFF, 1, b"\x1d")))
    first, second = d.next(), d.next()
    assert first is not None and first.payload == b"\x00"
    assert second is not None and second.payload == b"\x00\x00\x00"
