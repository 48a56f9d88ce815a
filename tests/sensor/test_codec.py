"""Golden frames from the protocol reference's worked examples, and the Deframer's contract."""

from __future__ import annotations

import pytest

from kiosk.sensor.driver import SystemParameters, decode_index_page
from kiosk.sensor.errors import ChecksumError, FramingError, WrongAddressError
from kiosk.sensor.packet import PID, Deframer, encode

GOLDEN = [
    # (address, pid, payload, frame) — reference A1 worked examples.
    (0xFFFFFFFF, PID.COMMAND, bytes.fromhex("1300000000"), "EF01FFFFFFFF010007130000000000 1B"),
    (0xFFFFFFFF, PID.COMMAND, bytes.fromhex("01"), "EF01FFFFFFFF010003010005"),
    (0xFFFFFFFF, PID.COMMAND, bytes.fromhex("0201"), "EF01FFFFFFFF01000402010008"),
    (0xFFFFFFFF, PID.ACK, bytes.fromhex("00"), "EF01FFFFFFFF07000300000A"),
    (
        0xFFFFFFFF,
        PID.ACK,
        bytes.fromhex("00" "0000" "0000" "00C8" "0003" "FFFFFFFF" "0002" "0006"),
        "EF01FFFFFFFF070013 00 0000000000C80003FFFFFFFF00020006 04E9",
    ),
]


@pytest.mark.parametrize(("address", "pid", "payload", "frame"), GOLDEN)
def test_golden_frames_encode_and_decode(
    address: int, pid: PID, payload: bytes, frame: str
) -> None:
    raw = bytes.fromhex(frame.replace(" ", ""))
    assert encode(address, pid, payload) == raw
    df = Deframer(address)
    df.feed(raw)
    pkt = df.next()
    assert pkt is not None
    assert (pkt.address, pkt.pid, pkt.payload) == (address, pid, payload)
    assert df.next() is None
    assert df.buffered == 0


def test_read_sys_para_golden_decodes() -> None:
    p = SystemParameters.decode(bytes.fromhex("0000000000C80003FFFFFFFF00020006"))
    assert (p.capacity, p.security_level, p.address, p.packet_size, p.baud) == (
        200, 3, 0xFFFFFFFF, 128, 57600,
    )
    assert not p.busy and not p.password_verified
    assert SystemParameters.decode(bytes.fromhex("000C" + "00" * 14)).password_verified


def test_index_table_mapping_is_lsb_first() -> None:
    bitmap = bytearray(32)
    bitmap[0] = 0b0000_0101  # slots 0 and 2
    bitmap[31] = 0x80  # slot 255
    assert decode_index_page(0, bytes(bitmap)) == {0, 2, 255}
    assert decode_index_page(3, bytes(bitmap)) == {768, 770, 1023}


def test_noise_and_split_feeding() -> None:
    frame = encode(0xFFFFFFFF, PID.ACK, b"\x00")
    df = Deframer()
    for b in b"\x55\x00\x00" + frame:
        df.feed(bytes([b]))
    pkt = df.next()
    while pkt is None:
        pkt = df.next()
        break
    assert pkt is not None and pkt.code == 0
    assert df.garbage_bytes == 0


def test_bad_checksum_then_resync_keeps_following_frame() -> None:
    bad = bytearray(encode(0xFFFFFFFF, PID.ACK, b"\x00"))
    bad[-1] ^= 0xFF
    good = encode(0xFFFFFFFF, PID.ACK, b"\x08\x00\x00")
    df = Deframer()
    df.feed(bytes(bad) + good)
    with pytest.raises(ChecksumError):
        df.next()
    pkt = df.next()
    assert pkt is not None and pkt.payload == b"\x08\x00\x00"


def test_foreign_address_and_impossible_length_are_typed() -> None:
    df = Deframer(0x12345678)
    df.feed(encode(0xFFFFFFFF, PID.ACK, b"\x00"))
    with pytest.raises(WrongAddressError):
        df.next()
    df.feed(b"\xef\x01\xff\xff\xff\xff\x07\x01\x03")  # length 259: one byte too many
    with pytest.raises(FramingError):
        df.next()
    df.feed(b"\xef\x01\xff\xff\xff\xff\x09\x00\x03")  # PID 09 does not exist
    with pytest.raises(FramingError):
        df.next()
