"""A deliberately small host for the simulator tests: raw frames over a real serial port.

It uses the project's codec (``kiosk.sensor.packet``) and pyserial directly, not the kiosk
driver, so the simulator is tested on its own terms. Every read has a deadline.
"""

from __future__ import annotations

import struct
import time

import serial

from kiosk.sensor.packet import PID, Deframer, Packet, encode

DEFAULT = 0xFFFFFFFF


class RawClient:
    def __init__(self, port: str, baud: int = 57600, address: int = DEFAULT) -> None:
        self.ser = serial.Serial(port, baud, timeout=0.05)
        self.address = address
        self.deframer = Deframer(address=None)

    def close(self) -> None:
        self.ser.close()

    def send(self, pid: int, payload: bytes, address: int | None = None) -> None:
        self.ser.write(encode(self.address if address is None else address, pid, payload))

    def read_packet(self, deadline_s: float = 2.0) -> Packet | None:
        """Next packet, or None when nothing whole arrives before the deadline."""
        end = time.monotonic() + deadline_s
        while True:
            pkt = self.deframer.next()
            if pkt is not None:
                return pkt
            if time.monotonic() >= end:
                return None
            chunk = self.ser.read(self.ser.in_waiting or 1)
            if chunk:
                self.deframer.feed(chunk)

    def cmd(self, payload: bytes, address: int | None = None, deadline_s: float = 2.0) -> Packet:
        self.send(PID.COMMAND, payload, address)
        pkt = self.read_packet(deadline_s)
        assert pkt is not None, f"no reply to {payload[:1].hex()}"
        assert pkt.pid == PID.ACK
        return pkt

    def read_data(self, deadline_s: float = 5.0) -> tuple[bytes, list[int]]:
        """Data packets up to and including END: (bytes, payload length of each packet)."""
        data, sizes = bytearray(), []
        while True:
            pkt = self.read_packet(deadline_s)
            assert pkt is not None, "data stream stopped before END"
            assert pkt.pid in (PID.DATA, PID.END)
            data += pkt.payload
            sizes.append(len(pkt.payload))
            if pkt.pid == PID.END:
                return bytes(data), sizes

    def send_data(self, data: bytes, packet_size: int) -> None:
        chunks = [data[i : i + packet_size] for i in range(0, len(data), packet_size)]
        for i, chunk in enumerate(chunks):
            self.send(PID.END if i == len(chunks) - 1 else PID.DATA, chunk)

    def silent(self, window_s: float = 0.3) -> bool:
        """True when nothing at all arrives within ``window_s``."""
        end = time.monotonic() + window_s
        while time.monotonic() < end:
            if self.ser.read(1):
                return False
        return True

    # Conveniences ---------------------------------------------------------------------

    def capture(self, buf: int) -> None:
        assert self.cmd(b"\x01").code == 0x00
        assert self.cmd(bytes((0x02, buf))).code == 0x00

    def up_char(self, buf: int) -> bytes:
        assert self.cmd(bytes((0x08, buf))).code == 0x00
        return self.read_data()[0]

    def down_char(self, buf: int, data: bytes, packet_size: int) -> None:
        assert self.cmd(bytes((0x09, buf))).code == 0x00
        self.send_data(data, packet_size)

    def match(self) -> tuple[int, int]:
        pkt = self.cmd(b"\x03")
        score = struct.unpack(">H", pkt.payload[1:3])[0] if len(pkt.payload) == 3 else -1
        return pkt.code, score
