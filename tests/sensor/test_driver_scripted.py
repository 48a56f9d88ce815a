"""Driver behaviour that no well-behaved module shows, against a scripted link."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from kiosk.sensor.driver import R307
from kiosk.sensor.errors import StreamOverrunError, WrongAddressError
from kiosk.sensor.packet import PID, Deframer, Packet, encode

ADDR = 0xFFFFFFFF


class ScriptedLink:
    """A Transport whose module is a Python function: command packet -> reply bytes."""

    def __init__(self, respond: Callable[[Packet], bytes | Iterator[bytes]]) -> None:
        self.respond = respond
        self.rx = bytearray()
        self.stream: Iterator[bytes] | None = None
        self.sent: list[Packet] = []
        self._df = Deframer(None)
        self.baud = 57600
        self.url = "scripted://"
        #: (monotonic time, bytes): replies that arrive late, whatever the host does.
        self.late: list[tuple[float, bytes]] = []

    def _release_late(self) -> None:
        now = time.monotonic()
        for item in [x for x in self.late if x[0] <= now]:
            self.late.remove(item)
            self.rx += item[1]

    def write(self, data: bytes) -> None:
        self._df.feed(data)
        while (pkt := self._df.next()) is not None:
            self.sent.append(pkt)
            if pkt.pid == PID.COMMAND:
                reply = self.respond(pkt)
                if isinstance(reply, bytes):
                    self.rx += reply
                else:
                    self.stream = reply

    def read(self, deadline: float) -> bytes:
        self._release_late()
        if not self.rx and self.stream is not None:
            self.rx += next(self.stream, b"")
        if self.rx:
            out = bytes(self.rx)
            self.rx.clear()
            return out
        # A quiet wire: the read blocks until the deadline, as a serial read would.
        time.sleep(max(0.0, min(0.01, deadline - time.monotonic())))
        return b""

    def flush_input(self) -> bytes:
        self._release_late()
        out = bytes(self.rx)
        self.rx.clear()
        return out

    def reopen(self, baud: int | None = None) -> None:
        self.baud = baud or self.baud

    def close(self) -> None:
        pass


def ack(code: int = 0, extra: bytes = b"", address: int = ADDR) -> bytes:
    return encode(address, PID.ACK, bytes([code]) + extra)


def test_runaway_upload_stream_is_capped() -> None:
    """DY50-style: the module never sends END; the driver stops at the cap."""

    def respond(pkt: Packet) -> bytes | Iterator[bytes]:
        if pkt.code == 0x08:
            def endless() -> Iterator[bytes]:
                yield ack()
                for _ in range(400):  # 12.8 KB of DATA packets, no END
                    yield encode(ADDR, PID.DATA, bytes(32))
            return endless()
        return ack(0, b"\x00\x07")

    link = ScriptedLink(respond)
    drv = R307(link)
    with pytest.raises(StreamOverrunError):
        drv.up_char(1)
    assert drv.template_count() == 7  # the link recovers after the drain


def test_down_char_chunks_by_packet_size_with_short_end() -> None:
    link = ScriptedLink(lambda pkt: ack())
    drv = R307(link, packet_size=128)
    drv.down_char(1, bytes(range(256)) * 2 + b"tail")
    data = [p for p in link.sent if p.pid in (PID.DATA, PID.END)]
    assert [len(p.payload) for p in data] == [128, 128, 128, 128, 4]
    assert [p.pid for p in data] == [PID.DATA] * 4 + [PID.END]
    with pytest.raises(ValueError):
        drv.down_char(1, b"")
    with pytest.raises(ValueError):
        drv.down_char(1, bytes(5000))


def test_down_char_waits_for_the_ack_before_sending_data() -> None:
    from kiosk.sensor.errors import SensorCommandError

    link = ScriptedLink(lambda pkt: ack(0x0E))
    drv = R307(link)
    with pytest.raises(SensorCommandError) as info:
        drv.down_char(1, bytes(512))
    assert info.value.code == 0x0E
    assert all(p.pid == PID.COMMAND for p in link.sent)  # no data after a refusal


def test_index_table_reads_every_page_capacity_limited() -> None:
    pages = {0: bytes([0xFF] * 32), 1: bytes([0x01] + [0] * 31), 2: bytes(32), 3: bytes(32)}
    params = bytes.fromhex("0000 0000 0200 0003 FFFFFFFF 0002 0006".replace(" ", ""))  # 512

    def respond(pkt: Packet) -> bytes:
        if pkt.code == 0x0F:
            return ack(0, params)
        if pkt.code == 0x1F:
            return ack(0, pages[pkt.payload[1]])
        return ack()

    link = ScriptedLink(respond)
    drv = R307(link)
    assert drv.index_table() == set(range(256)) | {256}
    assert drv.find_free_slot() == 257
    asked = [p.payload[1] for p in link.sent if p.code == 0x1F]
    assert asked == [0, 1, 0, 1]  # capacity 512 = two pages per scan, no more


def test_full_library_has_no_free_slot() -> None:
    params = bytes.fromhex("0000 0000 0008 0003 FFFFFFFF 0002 0006".replace(" ", ""))  # 8 slots
    link = ScriptedLink(lambda p: ack(0, params) if p.code == 0x0F else ack(0, b"\xff" + bytes(31)))
    assert R307(link).find_free_slot() is None


def test_set_address_failure_from_old_address_and_stray_address() -> None:
    from kiosk.sensor.errors import SensorCommandError

    link = ScriptedLink(lambda pkt: ack(0x18))
    drv = R307(link)
    with pytest.raises(SensorCommandError):
        drv.set_address(0x11111111)
    assert drv.address == ADDR
    link.respond = lambda pkt: ack(0, address=0x22222222)
    with pytest.raises(WrongAddressError):
        drv.set_address(0x11111111)


def test_short_ok_reply_is_a_framing_error() -> None:
    from kiosk.sensor.errors import FramingError

    link = ScriptedLink(lambda pkt: ack(0, b"\x00"))  # TempleteNum needs two bytes
    with pytest.raises(FramingError):
        R307(link).template_count()


def test_argument_validation() -> None:
    drv = R307(ScriptedLink(lambda pkt: ack()))
    for call in (lambda: drv.img2tz(3), lambda: drv.store(1, 70000), lambda: drv.set_baud(1234),
                 lambda: drv.notepad_write(16, b""), lambda: drv.notepad_write(0, bytes(33)),
                 lambda: drv.set_packet_size(100), lambda: drv.set_security_level(6),
                 lambda: drv.read_index_page(4), lambda: drv.set_password(-1)):
        with pytest.raises(ValueError):
            call()


def test_late_reply_after_a_timeout_is_not_taken_for_the_next_answer() -> None:
    link = ScriptedLink(lambda pkt: ack(0, b"\x00\x03"))

    def slow_gen_img(pkt: Packet) -> bytes:
        if pkt.code == 0x01:
            link.late.append((time.monotonic() + 0.23, ack(0)))  # after our 0.2 s budget
            return b""
        if link.late:  # still busy with GenImg: this answer queues up behind the late ack
            link.late.append((link.late[-1][0], ack(0, b"\x00\x03")))
            return b""
        return ack(0, b"\x00\x03")

    link.respond = slow_gen_img
    drv = R307(link, reply_timeout=0.2)
    drv._deadline = lambda budget: time.monotonic() + 0.2  # type: ignore[method-assign]
    from kiosk.sensor.errors import SensorTimeout

    with pytest.raises(SensorTimeout):
        drv.gen_img()
    # The late GenImg ack is drained, never misread as Match's answer (Match is not retried).
    assert drv.match().score == 3
