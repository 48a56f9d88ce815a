"""The finger model and sensor behaviour through ``sim.handle`` (no transport)."""

from __future__ import annotations

import random
import struct
import time

import pytest

from kiosk.sensor.packet import PID, Deframer, Packet, encode
from kiosk.sim import AutoPerson, SimConfig, VirtualR307
from kiosk.sim import fingers as F


def ask(sim: VirtualR307, payload: bytes) -> Packet:
    d = Deframer(address=None)
    d.feed(sim.handle(encode(sim.config.address, PID.COMMAND, payload)))
    pkt = d.next()
    assert pkt is not None
    return pkt


def test_scores_separate_same_and_different_fingers() -> None:
    rng = random.Random(5)
    same, diff = [], []
    for i in range(100):
        a, b = F.capture(f"p{i}", rng), F.capture(f"p{i}", rng)
        same.append(F.score(a, b))
        diff.append(F.score(a, F.capture(f"q{i}", rng)))
    assert min(same) >= 60 and max(same) <= 320
    assert max(diff) <= 30


def test_identity_is_stable_and_recoverable_from_bytes() -> None:
    assert F.identity_vector("alice:right-index") == F.identity_vector("alice:right-index")
    assert F.identity_vector("alice:right-index") != F.identity_vector("alice:left-index")
    rng = random.Random(1)
    for size in (512, 768, 1536):
        f = F.capture("alice", rng)
        tpl = F.encode_buffer(F.merge(f, F.capture("alice", rng)), f, size)
        assert len(tpl) == size and tpl[:2] == tpl[size // 2 : size // 2 + 2] == b"\x03\x01"
        decoded = F.decode_buffer(tpl)
        assert decoded is not None and F.score(decoded, F.capture("alice", rng)) >= 60


def test_garbage_and_bit_flips_are_invalid() -> None:
    rng = random.Random(2)
    tpl = F.encode_buffer(F.capture("x", rng), None, 512)
    assert F.decode_buffer(tpl) is not None
    for pos in (0, 5, 20, 60, 100, 300):
        broken = bytearray(tpl)
        broken[pos] ^= 0x10
        assert F.decode_buffer(bytes(broken)) is None
    assert F.decode_buffer(bytes(512)) is None
    assert F.decode_buffer(random.Random(3).randbytes(512)) is None
    assert F.decode_buffer(tpl[:300]) is None


def test_security_level_moves_the_threshold() -> None:
    passed = {}
    for level in range(1, 6):
        sim = VirtualR307(SimConfig(security_level=level, seed=4, startup_byte=False))
        sim.place("sloppy", noise=20.0)  # a careless user: scores near the thresholds
        ok = 0
        for _ in range(60):
            for buf in (1, 2):
                assert ask(sim, b"\x01").code == 0
                assert ask(sim, bytes((2, buf))).code == 0
            ok += ask(sim, b"\x03").code == 0
        passed[level] = ok
    assert passed[1] > passed[3] > passed[5]
    assert all(passed[n] >= passed[n + 1] for n in range(1, 5))


def test_regmodel_rejects_two_fingers_and_merges_into_both_buffers() -> None:
    sim = VirtualR307(SimConfig(seed=1, startup_byte=False))
    sim.place("alice")
    ask(sim, b"\x01"), ask(sim, b"\x02\x01")
    sim.place("bob")
    ask(sim, b"\x01"), ask(sim, b"\x02\x07")  # buffer ids other than 1 act as 2
    assert ask(sim, b"\x05").payload == b"\x0a"
    sim.place("alice")
    ask(sim, b"\x01"), ask(sim, b"\x02\x02")
    assert ask(sim, b"\x05").code == 0
    assert sim.buffer(1) == sim.buffer(2)
    merged = F.decode_buffer(sim.buffer(1))
    assert merged is not None and merged.kind == F.KIND_MERGED


def test_failure_rate_is_seeded_and_reproducible() -> None:
    def codes(seed: int) -> list[int]:
        sim = VirtualR307(SimConfig(failure_rate=0.4, seed=seed, startup_byte=False))
        sim.place("alice")
        out = []
        for _ in range(40):
            out.append(ask(sim, b"\x01").code)
            out.append(ask(sim, b"\x02\x01").code)
        return out

    first = codes(9)
    assert first == codes(9)
    assert {0x03, 0x00} <= set(first) and set(first) & {0x06, 0x07}
    assert first != codes(10)


def test_fail_next_validation() -> None:
    sim = VirtualR307()
    with pytest.raises(ValueError):
        sim.fail_next(0x42)
    with pytest.raises(ValueError):
        sim.fail_next(0x02, 0)


def test_auto_person_place_then_lift_cycle() -> None:
    sim = VirtualR307(SimConfig(seed=3, startup_byte=False))
    auto = AutoPerson(sim, "alice:right-index").install()
    seen = []
    for _ in range(2):  # two captures, each: wait for finger, capture, wait for removal
        seen.append(ask(sim, b"\x01").code)  # glass empty → 02, the person places
        seen.append(ask(sim, b"\x01").code)  # 00
        seen.append(ask(sim, b"\x02\x01").code)  # accepted → the person lifts
        assert not sim.finger_present
    assert seen == [0x02, 0x00, 0x00] * 2
    assert (auto.placements, auto.lifts) == (2, 2)
    auto.uninstall()
    assert ask(sim, b"\x01").code == 0x02 and not sim.finger_present


def test_real_timing_delays_captures() -> None:
    sim = VirtualR307(SimConfig(timing="real", startup_byte=False))
    sim.place("alice")
    t0 = time.monotonic()
    assert ask(sim, b"\x01").code == 0
    t1 = time.monotonic()
    assert ask(sim, b"\x02\x01").code == 0
    t2 = time.monotonic()
    assert 0.25 <= t1 - t0 < 1.0 and 0.35 <= t2 - t1 < 1.0
    assert sim.wire_time(5760) == pytest.approx(1.0)
    assert VirtualR307().wire_time(5760) == 0.0


def test_config_validation_and_status() -> None:
    for bad in (
        {"template_size": 1024},
        {"security_level": 0},
        {"packet_size_code": 4},
        {"baud_n": 13},
        {"capacity": 0},
        {"failure_rate": 2.0},
    ):
        with pytest.raises(ValueError):
            SimConfig(**bad)
    sim = VirtualR307(SimConfig(capacity=162, password=0x1234))
    st = sim.status()
    assert st["capacity"] == 162 and st["password_set"] is True and st["finger"] is None
    assert struct.unpack(">H", ask(sim, b"\x13\x00\x00\x12\x34").payload[:1] + b"\x00")[0] == 0


def test_preloaded_template_is_found_by_search() -> None:
    sim = VirtualR307(SimConfig(seed=8, startup_byte=False, template_size=768))
    tpl = sim.make_template("carol:left-index")
    assert len(tpl) == 768
    sim.set_template(42, tpl)
    sim.place("carol:left-index")
    ask(sim, b"\x01"), ask(sim, b"\x02\x01")
    pkt = ask(sim, b"\x04\x01\x00\x00\x03\xe8")
    assert pkt.code == 0 and struct.unpack(">H", pkt.payload[1:3])[0] == 42
    sim.set_template(42, None)
    assert sim.library == {}
    with pytest.raises(ValueError):
        sim.set_template(1000, tpl)
