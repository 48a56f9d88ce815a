"""Every command and every confirmation code of the virtual R307, over a real pty."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from kiosk.sensor.packet import PID, encode
from kiosk.sim import PtyServer, SimConfig, TcpServer, VirtualR307
from kiosk.sim.fingers import IMAGE_BYTES
from tests.sim.rawclient import RawClient

ALICE = "alice:right-index"
BOB = "bob:left-thumb"


@pytest.fixture
def sim() -> VirtualR307:
    return VirtualR307(SimConfig(seed=7, startup_byte=False))  # 0x55 has its own test


@pytest.fixture
def server(sim: VirtualR307) -> Iterator[PtyServer]:
    with PtyServer(sim) as srv:
        yield srv


@pytest.fixture
def host(server: PtyServer) -> Iterator[RawClient]:
    c = RawClient(server.port)
    yield c
    c.close()


def code_of(host: RawClient, payload: bytes) -> int:
    return host.cmd(payload).code


def test_capture_codes(sim: VirtualR307, host: RawClient) -> None:
    assert code_of(host, b"\x02\x01") == 0x15  # Img2Tz before any image
    assert code_of(host, b"\x01") == 0x02  # no finger
    sim.place(ALICE)
    assert sim.finger_present
    for code in (0x02, 0x03):
        sim.fail_next(code)
        assert code_of(host, b"\x01") == code
    assert code_of(host, b"\x01") == 0x00
    assert code_of(host, b"\x01") == 0x00  # a resting finger keeps being seen
    for code in (0x04, 0x05, 0x06, 0x07):
        sim.fail_next(code)
        assert code_of(host, b"\x02\x01") == code
    assert code_of(host, b"\x02\x01") == 0x00
    sim.lift()
    assert code_of(host, b"\x01") == 0x02
    sim.fail_next(0x03, count=2)
    sim.place(ALICE)
    assert [code_of(host, b"\x01") for _ in range(3)] == [0x03, 0x03, 0x00]


def test_enroll_match_store_search(sim: VirtualR307, host: RawClient) -> None:
    sim.place(ALICE)
    host.capture(1)
    host.capture(2)
    code, score = host.match()
    assert code == 0x00 and score >= 60
    assert code_of(host, b"\x05") == 0x00
    assert sim.buffer(1) == sim.buffer(2)  # RegModel writes into both buffers
    before = sim.buffer(1)
    assert host.match()[0] == 0x00  # Match leaves the buffers alone
    assert sim.buffer(1) == before
    assert code_of(host, b"\x06\x01\x00\x05") == 0x00
    assert sim.library == {5: before}
    # Search with a fresh capture, both opcodes; reply is ack + PageID + score.
    host.capture(1)
    for op in (0x04, 0x1B):
        pkt = host.cmd(bytes((op, 1)) + struct.pack(">HH", 0, 1000))
        assert pkt.code == 0x00 and len(pkt.payload) == 5
        page, score = struct.unpack(">HH", pkt.payload[1:])
        assert page == 5 and score >= 50
    # A different finger: Match 08 keeps its score field, Search 09 is zero-filled.
    sim.place(BOB)
    host.capture(2)
    pkt = host.cmd(b"\x03")
    assert pkt.code == 0x08 and len(pkt.payload) == 3 and pkt.payload[1:] != b"\xff\xff"
    pkt = host.cmd(b"\x04\x02" + struct.pack(">HH", 0, 1000))
    assert pkt.payload == b"\x09\x00\x00\x00\x00"
    assert code_of(host, b"\x04\x01" + struct.pack(">HH", 1000, 1)) == 0x0B
    # RegModel of two different fingers fails.
    assert code_of(host, b"\x05") == 0x0A


def test_library_management(sim: VirtualR307, host: RawClient) -> None:
    assert code_of(host, b"\x06\x01\x00\x00") == 0x01  # empty buffer cannot be stored
    sim.place(ALICE)
    host.capture(1)
    for slot in (0, 7, 255, 256, 999):
        assert code_of(host, b"\x06\x01" + struct.pack(">H", slot)) == 0x00
    assert code_of(host, b"\x06\x01" + struct.pack(">H", 1000)) == 0x0B
    sim.fail_next(0x1F)
    assert code_of(host, b"\x06\x01\x00\x01") == 0x1F
    sim.fail_next(0x18)
    assert code_of(host, b"\x06\x01\x00\x01") == 0x18
    pkt = host.cmd(b"\x1d")
    assert pkt.payload == b"\x00\x00\x05"
    tables = []
    for page in range(4):
        pkt = host.cmd(bytes((0x1F, page)))
        assert pkt.code == 0 and len(pkt.payload) == 33
        tables.append(pkt.payload[1:])
    assert tables[0][0] == 0b1000_0001 and tables[0][31] == 0x80  # slots 0, 7, 255
    assert tables[1][0] == 0x01 and tables[3][(999 - 768) // 8] == 1 << (999 % 8)
    assert code_of(host, b"\x1f\x04") == 0x0B
    assert code_of(host, b"\x07\x02\x00\x07") == 0x00
    assert code_of(host, b"\x07\x02\x00\x08") == 0x0C  # empty slot
    assert code_of(host, b"\x07\x02\x03\xe8") == 0x0B
    assert code_of(host, b"\x0c\x00\x07\x00\x01") == 0x00
    assert 7 not in sim.library
    assert code_of(host, b"\x0c\x03\xe8\x00\x01") == 0x0B
    assert code_of(host, b"\x0c\x03\xe7\x00\x02") == 0x10
    sim.fail_next(0x10)
    assert code_of(host, b"\x0c\x00\x00\x00\x01") == 0x10
    sim.fail_next(0x0C)
    assert code_of(host, b"\x07\x01\x00\x00") == 0x0C
    sim.fail_next(0x11)
    assert code_of(host, b"\x0d") == 0x11
    assert code_of(host, b"\x0d") == 0x00
    assert sim.library == {}


def test_sys_para_and_power_cycle(sim: VirtualR307, host: RawClient) -> None:
    pkt = host.cmd(b"\x0f")
    assert len(pkt.payload) == 17
    _status, sysid, cap, level, addr, pkt_code, baud_n = struct.unpack(">HHHHIHH", pkt.payload[1:])
    assert (sysid, cap, level, addr, pkt_code, baud_n) == (0, 1000, 3, 0xFFFFFFFF, 2, 6)
    assert code_of(host, b"\x0e\x07\x01") == 0x1A
    assert code_of(host, b"\x0e\x04\x0d") == 0x1B
    assert code_of(host, b"\x0e\x05\x06") == 0x1B
    assert code_of(host, b"\x0e\x06\x04") == 0x1B
    assert code_of(host, b"\x0e\x05\x05") == 0x00
    assert code_of(host, b"\x0e\x06\x00") == 0x00
    assert code_of(host, b"\x0e\x04\x0c") == 0x00
    sim.fail_next(0x18)
    assert code_of(host, b"\x0e\x05\x01") == 0x18
    # Security applies now; packet size and baud only after a power cycle.
    fields = struct.unpack(">HHHHIHH", host.cmd(b"\x0f").payload[1:])
    assert fields[3] == 5 and fields[5:] == (2, 6)
    assert sim.packet_size == 128 and sim.baud == 57600
    sim.power_cycle()
    assert sim.packet_size == 32 and sim.baud == 115200
    # The pty now speaks 115 200: a host still at 57 600 gets garbage, never a frame.
    host.send(PID.COMMAND, b"\x0f")
    assert host.read_packet(0.4) is None
    host.ser.baudrate = 115200
    host.ser.reset_input_buffer()
    host.deframer.clear()
    fields = struct.unpack(">HHHHIHH", host.cmd(b"\x0f").payload[1:])
    assert fields[5:] == (0, 12)


def test_password(sim: VirtualR307, host: RawClient) -> None:
    assert code_of(host, b"\x13\x00\x00\x00\x01") == 0x13
    assert code_of(host, b"\x13\x00\x00\x00\x00") == 0x00
    assert code_of(host, b"\x12\x12\x34\x56\x78") == 0x00
    assert sim.config.password == 0x12345678
    sim.power_cycle()
    pkt = host.cmd(b"\x0f")
    assert pkt.payload == b"\x21"  # refused, short ack
    assert code_of(host, b"\x01") == 0x21
    assert code_of(host, b"\x13\x00\x00\x00\x00") == 0x13
    assert code_of(host, b"\x1d") == 0x21
    assert code_of(host, b"\x13\x12\x34\x56\x78") == 0x00
    status = struct.unpack(">H", host.cmd(b"\x0f").payload[1:3])[0]
    assert status & 0x4  # PWD bit


def test_set_adder_and_foreign_address(sim: VirtualR307, host: RawClient) -> None:
    host.send(PID.COMMAND, b"\x1d", address=0x12345678)
    assert host.silent(0.3)
    host.send(PID.COMMAND, b"\x15\xca\xfe\x00\x01")
    pkt = host.read_packet()
    assert pkt is not None and pkt.address == 0xCAFE0001 and pkt.code == 0x00
    assert sim.config.address == 0xCAFE0001
    host.send(PID.COMMAND, b"\x1d")  # the old (default) address is now foreign
    assert host.silent(0.3)
    host.address = 0xCAFE0001
    assert code_of(host, b"\x1d") == 0x00
    sim.power_cycle()  # the address is in flash
    assert host.cmd(b"\x0f").payload[9:13] == b"\xca\xfe\x00\x01"


def test_bad_frames_unknown_and_misc(sim: VirtualR307, host: RawClient) -> None:
    frame = bytearray(encode(0xFFFFFFFF, PID.COMMAND, b"\x1d"))
    frame[-1] ^= 0x01
    host.ser.write(bytes(frame))
    assert host.read_packet().payload == b"\x01"  # type: ignore[union-attr]
    assert host.cmd(b"\x77").payload == b"\x19"  # unknown instruction: short 0x19
    assert host.cmd(b"\x02").payload == b"\x01"  # missing parameter
    host.send(PID.DATA, b"\x00" * 32)  # stray data packet: ignored, no ack
    assert host.silent(0.2)
    pkt = host.cmd(b"\x14")
    assert pkt.code == 0 and len(pkt.payload) == 5
    assert code_of(host, b"\x17\x01") == 0x00
    assert code_of(host, b"\x17\x00") == 0x00
    assert code_of(host, b"\x17\x02") == 0x1D
    sim.fail_next(0x1D)
    assert code_of(host, b"\x17\x01") == 0x1D
    note = bytes(range(32))
    assert code_of(host, b"\x18\x03" + note) == 0x00
    assert code_of(host, b"\x18\x10" + note) == 0x1C
    assert code_of(host, b"\x18\x03" + note[:5]) == 0x01
    assert host.cmd(b"\x19\x03").payload == b"\x00" + note
    assert code_of(host, b"\x19\x10") == 0x1C
    sim.power_cycle()
    assert host.cmd(b"\x19\x03").payload == b"\x00" + note  # notepad is flash
    sim.fail_next(0x01)
    assert code_of(host, b"\x1d") == 0x01


def test_transfer_codes_and_broken_downloads(sim: VirtualR307, host: RawClient) -> None:
    sim.fail_next(0x0D)
    assert host.cmd(b"\x08\x01").payload == b"\x0d"
    sim.fail_next(0x0E)
    assert host.cmd(b"\x09\x01").payload == b"\x0e"
    sim.fail_next(0x0F)
    assert host.cmd(b"\x0a").payload == b"\x0f"
    sim.fail_next(0x0E)
    assert host.cmd(b"\x0b").payload == b"\x0e"
    sim.place(ALICE)
    host.capture(1)
    host.capture(2)
    good = host.up_char(1)
    assert len(good) == 512 and good[:2] == b"\x03\x01" and not any(good[256:])
    # Garbage bytes downloaded: the next Match reports 01 (as real modules do).
    host.down_char(2, bytes(range(256)) * 2, 128)
    assert host.silent(0.2)  # no ack after data packets
    assert host.match()[0] == 0x01
    # A data packet with a bad checksum breaks the transfer as well.
    assert code_of(host, b"\x09\x02") == 0x00
    bad = bytearray(encode(0xFFFFFFFF, PID.DATA, good[:128]))
    bad[-2] ^= 0xFF
    host.ser.write(bytes(bad))
    host.send_data(good[128:], 128)
    assert host.match()[0] == 0x01
    # Short transfer (END too early) is broken too; a correct one works again.
    assert code_of(host, b"\x09\x02") == 0x00
    host.send(PID.END, good[:128])
    assert host.match()[0] == 0x01
    host.down_char(2, good, 128)
    assert host.match() == (0x00, host.match()[1])
    assert host.match()[1] > 200  # identical buffers


def test_image_upload_and_download(sim: VirtualR307, host: RawClient) -> None:
    sim.place(ALICE)
    assert code_of(host, b"\x01") == 0
    assert code_of(host, b"\x0a") == 0
    img, sizes = host.read_data(deadline_s=5)
    assert len(img) == IMAGE_BYTES == 36864
    assert sizes == [128] * 288
    assert len(set(img)) > 8  # a real-looking picture, not a constant
    # Into a second module: DownImage → Img2Tz yields the same finger.
    other = VirtualR307(SimConfig(seed=3))
    with PtyServer(other) as srv2:
        h2 = RawClient(srv2.port)
        try:
            assert code_of(h2, b"\x0b") == 0
            h2.send_data(img, 128)
            assert h2.silent(0.2)
            assert code_of(h2, b"\x02\x01") == 0
            other.place(ALICE)
            h2.capture(2)
            code, score = h2.match()
            assert code == 0 and score >= 60
            # A blank image has too few features.
            assert code_of(h2, b"\x0b") == 0
            h2.send_data(bytes(IMAGE_BYTES), 256)
            assert code_of(h2, b"\x02\x01") == 0x07
        finally:
            h2.close()


@pytest.mark.parametrize("template_size", [512, 768, 1536])
@pytest.mark.parametrize("packet_code", [0, 1, 2, 3])
def test_template_roundtrip_into_second_module(template_size: int, packet_code: int) -> None:
    psize = 32 << packet_code
    cfg = {"template_size": template_size, "packet_size_code": packet_code}
    a = VirtualR307(SimConfig(seed=1, **cfg))  # type: ignore[arg-type]
    b = VirtualR307(SimConfig(seed=2, **cfg))  # type: ignore[arg-type]
    with PtyServer(a) as sa, PtyServer(b) as sb:
        ha, hb = RawClient(sa.port), RawClient(sb.port)
        try:
            a.place(ALICE)
            ha.capture(1)
            ha.capture(2)
            assert code_of(ha, b"\x05") == 0
            assert code_of(ha, b"\x08\x01") == 0
            tpl, sizes = ha.read_data()
            assert len(tpl) == template_size
            assert sizes == [psize] * (template_size // psize)
            half = template_size // 2
            assert tpl[:2] == b"\x03\x01" and tpl[half : half + 2] == b"\x03\x01"
            hb.down_char(2, tpl, psize)
            assert hb.up_char(2) == tpl
            b.place(ALICE)
            hb.capture(1)
            code, score = hb.match()
            assert code == 0 and score >= 60
            assert code_of(hb, b"\x06\x02\x00\x03") == 0
            b.place(BOB)
            hb.capture(1)
            assert hb.match()[0] == 0x08
            pkt = hb.cmd(b"\x04\x01" + struct.pack(">HH", 0, 1000))
            assert pkt.payload == b"\x09\x00\x00\x00\x00"
        finally:
            ha.close()
            hb.close()


def test_unplug_replug_with_stable_link(sim: VirtualR307, tmp_path: Path) -> None:
    link = tmp_path / "ttyR307"
    with PtyServer(sim, link=link) as srv:
        assert srv.port == str(link) and link.is_symlink()
        host = RawClient(srv.port)
        assert code_of(host, b"\x1d") == 0
        srv.unplug()
        assert not link.exists()
        with pytest.raises((serial.SerialException, OSError)):
            host.send(PID.COMMAND, b"\x1d")
            host.read_packet(1.0)
        host.close()
        sim.place(ALICE)
        sim.lift()
        srv.replug()
        assert link.is_symlink() and Path(os.readlink(link)) == Path(srv.device)
        host = RawClient(srv.port)
        assert code_of(host, b"\x1d") == 0
        host.close()


def test_unplug_mid_upimage(sim: VirtualR307) -> None:
    sim.config.timing = "real"  # paced at 57 600 baud: ~7 s for a whole image
    with PtyServer(sim) as srv:
        host = RawClient(srv.port)
        host.send(PID.COMMAND, b"\x0a")
        assert host.read_packet(2.0) is not None  # the ack, then data starts flowing
        srv.unplug()
        with pytest.raises((serial.SerialException, OSError)):
            for _ in range(400):
                host.read_packet(0.5)
        host.close()


def test_replug_sends_startup_byte() -> None:
    sim = VirtualR307()
    with PtyServer(sim) as srv:
        host = RawClient(srv.port)
        srv.unplug()
        host.close()
        srv.replug()
        fd = serial.Serial(srv.port, 57600, timeout=1)
        try:
            # pyserial flushed on open; power-cycle again while the host listens.
            sim.power_cycle()
            assert fd.read(1) == b"\x55"
        finally:
            fd.close()


def test_tcp_server_and_forced_baud_mismatch() -> None:
    sim = VirtualR307()
    with TcpServer(sim) as srv:
        assert srv.url.startswith("socket://127.0.0.1:")
        port = serial.serial_for_url(srv.url, timeout=0.05)
        try:
            port.write(encode(0xFFFFFFFF, PID.COMMAND, b"\x1d"))
            got = b""
            for _ in range(40):
                got += port.read(64)
                if len(got) >= 13:
                    break
            assert got.endswith(encode(0xFFFFFFFF, PID.ACK, b"\x00\x00\x00"))
            srv.wire_baud_mismatch = True
            port.write(encode(0xFFFFFFFF, PID.COMMAND, b"\x1d"))
            junk = b""
            for _ in range(10):
                junk += port.read(64)
            assert junk and b"\xef\x01" not in junk
            srv.wire_baud_mismatch = False
            srv.unplug()
            with pytest.raises((serial.SerialException, OSError)):
                for _ in range(20):
                    port.write(b"\x00" * 64)
                    if port.read(1) == b"":
                        pass
        finally:
            port.close()
        srv.replug()
        port = serial.serial_for_url(srv.url, timeout=0.05)
        try:
            # pyserial drains the socket on open (as on a pty), so power-cycle while connected.
            sim.power_cycle()
            port.write(encode(0xFFFFFFFF, PID.COMMAND, b"\x1d"))
            got = b""
            for _ in range(40):
                got += port.read(64)
                if got.endswith(encode(0xFFFFFFFF, PID.ACK, b"\x00\x00\x00")):
                    break
            assert got.startswith(b"\x55")
        finally:
            port.close()
