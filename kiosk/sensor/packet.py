"""EF01 packet codec and a streaming deframer.

Frame: ``EF 01 | address(4) | PID(1) | length(2) | payload(n) | checksum(2)``, all big-endian;
``length = n + 2``; checksum = (PID + length bytes + payload bytes) & 0xFFFF.

The deframer is fed raw bytes as they arrive and hands out whole, verified packets. It
resynchronises on garbage (keeping whatever follows), silently skips the power-on 0x55 and
stray 0x00 bytes, and reports every malformed frame as a typed error *after* consuming it, so
the next call continues with the rest of the stream. Its buffer never holds more than one
maximal frame plus the last chunk fed.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

from kiosk.sensor.errors import ChecksumError, FramingError, WrongAddressError

HEADER = b"\xef\x01"
DEFAULT_ADDRESS = 0xFFFFFFFF
#: Largest payload a module sends (256-byte data packets); length field max = 258.
MAX_PAYLOAD = 256
_PREFIX = 9  # header(2) + address(4) + pid(1) + length(2)
_IGNORABLE = frozenset(b"\x55\x00")


class PID(IntEnum):
    COMMAND = 0x01
    DATA = 0x02
    ACK = 0x07
    END = 0x08


def checksum(pid: int, payload: bytes) -> int:
    length = len(payload) + 2
    return (pid + (length >> 8) + (length & 0xFF) + sum(payload)) & 0xFFFF


def encode(address: int, pid: int, payload: bytes) -> bytes:
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    return (
        HEADER
        + struct.pack(">IBH", address, pid, len(payload) + 2)
        + payload
        + struct.pack(">H", checksum(pid, payload))
    )


@dataclass(frozen=True)
class Packet:
    address: int
    pid: PID
    payload: bytes

    def encode(self) -> bytes:
        return encode(self.address, self.pid, self.payload)

    @property
    def code(self) -> int:
        """Instruction (command) or confirmation (ack) byte; -1 for an empty payload."""
        return self.payload[0] if self.payload else -1


class Deframer:
    """Incremental EF01 frame parser.

    ``address``: only packets from/to this address are accepted (others raise
    :class:`WrongAddressError` after being consumed); ``None`` accepts any address, for the
    simulator, which must stay silent for foreign addresses rather than fail.
    """

    def __init__(self, address: int | None = DEFAULT_ADDRESS, max_payload: int = MAX_PAYLOAD):
        self.address = address
        self.max_payload = max_payload
        self._buf = bytearray()
        #: Bytes thrown away while hunting for a header (excluding 0x55/0x00 noise).
        self.garbage_bytes = 0
        self.resyncs = 0

    def feed(self, data: bytes) -> None:
        self._buf += data

    def clear(self) -> None:
        self._buf.clear()

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def has_partial(self) -> bool:
        """True when a frame has started (header seen) but is not complete yet."""
        return self._buf.startswith(HEADER) or self._buf == HEADER[:1]

    def abandon_partial(self, *, only_if_another_header: bool = False) -> bool:
        """Give up on a frame that stalled (its length field may be damaged).

        Drops its first byte so the next :meth:`next` rescans the rest of the buffer, where a
        good frame may already be waiting. Called by the reader when the inter-byte timeout
        fires; returns False when there was no partial frame to abandon (or, with
        ``only_if_another_header``, when no later header could take its place).
        """
        if not self.has_partial():
            return False
        if only_if_another_header and self._buf.find(HEADER, 1) < 0:
            return False
        self._drop(1, noise_ok=False)
        self.resyncs += 1
        return True

    def _drop(self, n: int, *, noise_ok: bool) -> None:
        if n <= 0:
            return
        if not noise_ok or any(b not in _IGNORABLE for b in self._buf[:n]):
            self.garbage_bytes += n
        del self._buf[:n]

    def next(self) -> Packet | None:
        """Return the next verified packet, ``None`` if more bytes are needed.

        Raises a :class:`~kiosk.sensor.errors.TransportError` subclass for a malformed frame;
        the offending bytes are already consumed, so calling again continues the stream.
        """
        buf = self._buf
        start = buf.find(HEADER)
        if start < 0:
            # Keep a trailing 0xEF: it may be the first half of a header.
            keep = 1 if buf.endswith(HEADER[:1]) else 0
            self._drop(len(buf) - keep, noise_ok=True)
            return None
        if start:
            self.resyncs += any(b not in _IGNORABLE for b in buf[:start])
            self._drop(start, noise_ok=True)
        if len(buf) < _PREFIX:
            return None
        address, pid, length = struct.unpack_from(">IBH", buf, 2)
        if pid not in PID._value2member_map_:
            self._drop(1, noise_ok=False)
            self.resyncs += 1
            raise FramingError(f"invalid packet identifier 0x{pid:02X}")
        if length < 2 or length > self.max_payload + 2:
            self._drop(1, noise_ok=False)
            self.resyncs += 1
            raise FramingError(f"impossible length field {length}")
        total = _PREFIX + length
        if len(buf) < total:
            return None
        payload = bytes(buf[_PREFIX : total - 2])
        (received,) = struct.unpack_from(">H", buf, total - 2)
        expected = checksum(pid, payload)
        if received != expected:
            # Only the header is trusted to be wrong: resync from the next byte.
            self._drop(1, noise_ok=False)
            self.resyncs += 1
            raise ChecksumError(
                f"checksum 0x{received:04X} != computed 0x{expected:04X} (PID 0x{pid:02X})"
            )
        del buf[:total]
        if self.address is not None and address != self.address:
            raise WrongAddressError(
                f"packet for address 0x{address:08X}, expected 0x{self.address:08X}"
            )
        return Packet(address, PID(pid), payload)


def hexdump(data: bytes) -> str:
    """Compact hex for traces: ``EF01 FFFFFFFF 07 0003 00 000A`` style grouping."""
    if len(data) >= _PREFIX and data.startswith(HEADER):
        h = data.hex().upper()
        return " ".join((h[0:4], h[4:12], h[12:14], h[14:18], h[18:-4], h[-4:])).replace("  ", " ")
    return data.hex(" ").upper()
