"""Property tests and a fuzz run: the Deframer only ever raises typed errors, never hangs,
never grows without bound, and always finds a good frame again after damage."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.sensor.errors import TransportError
from kiosk.sensor.packet import MAX_PAYLOAD, PID, Deframer, Packet, encode

MAX_FRAME = 9 + MAX_PAYLOAD + 2

pids = st.sampled_from(list(PID))
payloads = st.binary(min_size=0, max_size=MAX_PAYLOAD)
addresses = st.integers(min_value=0, max_value=0xFFFFFFFF)


def drain(df: Deframer, chunk_limit: int) -> tuple[list[Packet], int]:
    """Pull packets until the deframer needs more bytes; count typed errors."""
    out: list[Packet] = []
    errors = 0
    for _ in range(10_000):  # a hang would exhaust this and fail
        try:
            pkt = df.next()
        except TransportError:
            errors += 1
            continue
        if pkt is None:
            assert df.buffered <= MAX_FRAME + chunk_limit
            return out, errors
        out.append(pkt)
    raise AssertionError("deframer did not settle: endless loop")


def feed_in_chunks(df: Deframer, data: bytes, sizes: list[int]) -> tuple[list[Packet], int]:
    packets: list[Packet] = []
    errors = 0
    i = 0
    k = 0
    biggest = max(sizes or [1])
    while i < len(data):
        n = sizes[k % len(sizes)] if sizes else 1
        k += 1
        df.feed(data[i : i + n])
        i += n
        got, errs = drain(df, biggest)
        packets += got
        errors += errs
    # End of stream: what a reader does when the inter-byte timeout fires on a stalled frame.
    while df.abandon_partial():
        got, errs = drain(df, biggest)
        packets += got
        errors += errs
    return packets, errors


@given(addresses, pids, payloads, st.lists(st.integers(1, 300), min_size=1, max_size=20))
def test_roundtrip_any_split(address: int, pid: PID, payload: bytes, sizes: list[int]) -> None:
    df = Deframer(address)
    pkts, errors = feed_in_chunks(df, encode(address, pid, payload), sizes)
    assert errors == 0
    assert pkts == [Packet(address, pid, payload)]


@given(st.binary(max_size=64).filter(lambda b: 0xEF not in b), pids, payloads)
def test_recovers_after_garbage(garbage: bytes, pid: PID, payload: bytes) -> None:
    df = Deframer()
    pkts, _ = feed_in_chunks(df, garbage + encode(0xFFFFFFFF, pid, payload), [7])
    assert pkts[-1] == Packet(0xFFFFFFFF, pid, payload)


@given(st.lists(st.sampled_from([0x55, 0x00]), max_size=30), payloads)
def test_power_on_noise_is_not_garbage(noise: list[int], payload: bytes) -> None:
    df = Deframer()
    pkts, errors = feed_in_chunks(df, bytes(noise) + encode(0xFFFFFFFF, PID.ACK, payload), [3])
    assert errors == 0 and df.garbage_bytes == 0
    assert pkts == [Packet(0xFFFFFFFF, PID.ACK, payload)]


@given(pids, payloads, st.data())
def test_single_byte_damage_is_reported_and_next_frame_survives(
    pid: PID, payload: bytes, data: st.DataObject
) -> None:
    frame = bytearray(encode(0xFFFFFFFF, pid, payload))
    pos = data.draw(st.integers(0, len(frame) - 1))
    frame[pos] ^= data.draw(st.integers(1, 255))
    good = encode(0xFFFFFFFF, PID.END, b"\xaa" * 5)
    df = Deframer()
    pkts, _ = feed_in_chunks(df, bytes(frame) + good, [16])
    # The damaged frame is never handed out (as it was or altered), and the good frame
    # after it is always recovered.
    assert pkts == [Packet(0xFFFFFFFF, PID.END, b"\xaa" * 5)]


@settings(max_examples=300)
@given(st.binary(max_size=2048), st.lists(st.integers(1, 512), min_size=1, max_size=8))
def test_random_streams_only_typed_errors(stream: bytes, sizes: list[int]) -> None:
    feed_in_chunks(Deframer(), stream, sizes)
    feed_in_chunks(Deframer(None), stream, sizes)


def test_fuzz_mutated_streams() -> None:
    """200 000 frames' worth of mutated traffic: typed errors only, bounded buffer."""
    rng = random.Random(1234)
    frames = [encode(0xFFFFFFFF, rng.choice(list(PID)), rng.randbytes(rng.randint(0, 256)))
              for _ in range(64)]
    df = Deframer()
    recovered = 0
    for _ in range(3000):
        chunk = bytearray(b"".join(rng.choice(frames) for _ in range(rng.randint(1, 4))))
        for _ in range(rng.randint(0, 4)):
            op = rng.random()
            i = rng.randrange(len(chunk))
            if op < 0.4:
                chunk[i] = rng.randrange(256)
            elif op < 0.7:
                del chunk[i : i + rng.randint(1, 20)]
            else:
                chunk[i:i] = rng.randbytes(rng.randint(1, 20))
        pkts, _ = feed_in_chunks(df, bytes(chunk), [rng.randint(1, 600)])
        recovered += len(pkts)
    assert recovered > 3000  # most frames survive local damage
