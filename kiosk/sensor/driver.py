"""R30x host driver: every R307 command, typed results, deadlines, hygiene, telemetry.

Design (see the protocol reference, part C):

* every transaction flushes stale RX bytes first, then writes one command and reads through a
  :class:`~kiosk.sensor.packet.Deframer` that checks address, length and checksum, and a
  per-state PID whitelist (an ACK for the reply, DATA/END during an upload);
* every read has an inter-byte timeout (a frame that stops half-way is
  :class:`TruncatedError`) and an overall deadline that scales with the command's work and
  with the bytes on the wire at the current baud rate;
* data transfers use the packet size read from the module, send a short END chunk, and read
  until END with a hard cap (some clones never send END);
* a non-OK confirmation is a :class:`SensorCommandError`; a broken conversation is a
  :class:`TransportError` — never the same thing.

**Not thread-safe by design**: one worker thread owns a driver (and its port) for its whole
life; the GUI talks to that worker, never to the driver.

Long on purpose: the whole R30x command set in one class, each command's framing, deadline
and error mapping next to each other, so a protocol fix is made in one place.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import struct
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NoReturn, TypeVar

from kiosk import threadguard
from kiosk.sensor.codes import Confirmation, Instruction
from kiosk.sensor.errors import (
    ChecksumError,
    DisconnectedError,
    FramingError,
    SensorCommandError,
    SensorError,
    SensorTimeout,
    StreamOverrunError,
    TransportError,
    TruncatedError,
    UnexpectedPacketError,
    WrongAddressError,
)
from kiosk.sensor.packet import DEFAULT_ADDRESS, PID, Deframer, Packet, encode
from kiosk.sensor.trace import FrameTrace
from kiosk.sensor.transport import SerialTransport, Transport

log = logging.getLogger(__name__)

#: Packet-size code (ReadSysPara / SetSysPara 6) → data bytes per packet.
PACKET_SIZES: tuple[int, ...] = (32, 64, 128, 256)
#: Baud rates the R30x family accepts: 9600 × N, N = 1…12.
BAUD_RATES: tuple[int, ...] = tuple(9600 * n for n in range(1, 13))
#: Image over UART: 256 × 288 pixels, 4 bits each.
IMAGE_BYTES = 36_864
#: Hard caps on uploads. Real templates are 512/768/1536 bytes; anything near these caps is a
#: clone streaming forever (DY50 sends no END packet).
MAX_TEMPLATE_BYTES = 4096
MAX_IMAGE_BYTES = 64 * 1024
NOTEPAD_PAGES = 16
NOTEPAD_PAGE_BYTES = 32
INDEX_PAGE_SLOTS = 256

# SetSysPara parameter numbers.
PARAM_BAUD = 4
PARAM_SECURITY = 5
PARAM_PACKET_SIZE = 6

_ACK = frozenset({PID.ACK})
_DATA = frozenset({PID.DATA, PID.END})
_GARBLED = (ChecksumError, FramingError, TruncatedError, UnexpectedPacketError)
#: What a repeatable command is asked again for: a garbled reply, and a reply whose address
#: field (which the checksum does not cover) came back damaged. A sensor that really has
#: another address fails every try and is reported as such.
_RETRYABLE = (*_GARBLED, WrongAddressError)
#: Tries of a repeatable command whose reply arrived garbled (a noisy cable), in all.
GARBLED_ATTEMPTS = 3
_T = TypeVar("_T")


@dataclass(frozen=True)
class SystemParameters:
    """ReadSysPara, decoded (16 big-endian bytes, reference A4)."""

    status: int
    system_id: int
    capacity: int
    security_level: int
    address: int
    packet_size_code: int
    baud_multiplier: int

    @classmethod
    def decode(cls, data: bytes) -> SystemParameters:
        if len(data) < 16:
            raise FramingError(f"ReadSysPara returned {len(data)} bytes, expected 16")
        status, sysid, cap, level, addr, psize, n = struct.unpack(">HHHHIHH", data[:16])
        return cls(status, sysid, cap, level, addr, psize, n)

    @property
    def busy(self) -> bool:
        return bool(self.status & 0x01)

    @property
    def finger_matched(self) -> bool:
        return bool(self.status & 0x02)

    @property
    def password_verified(self) -> bool:
        return bool(self.status & 0x04)

    @property
    def image_buffer_valid(self) -> bool:
        return bool(self.status & 0x08)

    @property
    def packet_size(self) -> int:
        """Data bytes per packet; an out-of-range code falls back to the smallest (safe)."""
        if 0 <= self.packet_size_code < len(PACKET_SIZES):
            return PACKET_SIZES[self.packet_size_code]
        return PACKET_SIZES[0]

    @property
    def baud(self) -> int:
        return 9600 * self.baud_multiplier

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "busy": self.busy,
            "finger_matched": self.finger_matched,
            "password_verified": self.password_verified,
            "image_buffer_valid": self.image_buffer_valid,
            "system_id": self.system_id,
            "capacity": self.capacity,
            "security_level": self.security_level,
            "address": f"0x{self.address:08X}",
            "packet_size": self.packet_size,
            "baud": self.baud,
        }


@dataclass(frozen=True)
class MatchResult:
    matched: bool
    score: int


@dataclass(frozen=True)
class SearchResult:
    slot: int
    score: int


@dataclass
class DriverStats:
    """Counters for diagnostics: how healthy is the link?"""

    transactions: int = 0
    retries: int = 0
    resyncs: int = 0
    garbage_bytes: int = 0
    stale_bytes: int = 0
    checksum_errors: int = 0
    framing_errors: int = 0
    timeouts: int = 0
    unexpected_packets: int = 0
    bytes_tx: int = 0
    bytes_rx: int = 0
    reopens: int = 0


@dataclass(frozen=True)
class Budget:
    """How long a transaction may take: fixed processing time plus wire time."""

    processing: float
    rx_bytes: int = 0
    tx_bytes: int = 0


def wire_seconds(nbytes: int, baud: int) -> float:
    """Time to move ``nbytes`` at ``baud`` (8N1 = 10 bits per byte)."""
    return nbytes * 10 / baud


def data_wire_bytes(payload: int, packet_size: int) -> int:
    """Bytes on the wire for ``payload`` data bytes split into packets (11 bytes framing each)."""
    return payload + 11 * max(1, math.ceil(payload / packet_size))


class R307:
    """Driver for one R30x module behind a :class:`Transport`.

    ``address`` and ``password`` are the module's (factory: FFFFFFFF and 0). Construct with
    :meth:`open` to get a connected, verified driver. ``processing_scale`` stretches the fixed
    per-command budgets (slow clones); ``reply_timeout`` is the base budget for simple commands.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        address: int = DEFAULT_ADDRESS,
        password: int = 0,
        trace: FrameTrace | None = None,
        packet_size: int = 32,
        reply_timeout: float = 1.0,
        inter_byte_timeout: float = 0.5,
        processing_scale: float = 1.0,
        model: str = "R307",
    ) -> None:
        self.transport = transport
        #: Family name recorded with each template (templates only move between equals).
        self.model = model
        self.address = address
        self.password = password
        self.trace = trace
        #: Data bytes per packet; set from ReadSysPara (32 until read: always safe).
        self.packet_size = packet_size
        self.reply_timeout = reply_timeout
        self.inter_byte_timeout = inter_byte_timeout
        self.processing_scale = processing_scale
        self.params: SystemParameters | None = None
        #: Baud set with SetSysPara that takes effect after the next power cycle.
        self.pending_baud: int | None = None
        self.stats = DriverStats()
        self._deframer = Deframer(address)
        self._desynced = False

    # ----------------------------------------------------------------- connection helpers

    @classmethod
    def open(
        cls,
        url: str,
        baud: int = 57600,
        *,
        address: int = DEFAULT_ADDRESS,
        password: int = 0,
        trace: FrameTrace | None = None,
        reply_timeout: float = 1.0,
        verify: bool = True,
    ) -> R307:
        """Open ``url``, verify the password (VfyPwd) and read the parameters.

        The port is closed again if any of that fails, so a failed open leaks nothing.
        """
        transport = SerialTransport(url, baud)
        drv = cls(
            transport, address=address, password=password, trace=trace,
            reply_timeout=reply_timeout,
        )
        try:
            if trace is not None:
                trace.note(f"open {url} at {baud} baud")
            if verify:
                drv.verify_password()
            drv.read_sys_para()
        except BaseException:
            transport.close()
            raise
        return drv

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> R307:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def baud(self) -> int:
        return self.transport.baud

    @property
    def port_name(self) -> str:
        return self.transport.url

    @property
    def capacity(self) -> int:
        """Library size as read from the module (ReadSysPara), never assumed."""
        return self._capacity()

    def reopen(self, baud: int | None = None, *, verify: bool = True) -> SystemParameters:
        """Reopen the port (after an unplug or power cycle), then VfyPwd + ReadSysPara.

        ``baud`` defaults to a pending SetSysPara baud change, else the current rate. VfyPwd
        must be the first command after power-up when a password is set.
        """
        new_baud = baud or self.pending_baud or self.transport.baud
        if self.trace is not None:
            self.trace.note(f"reopen {self.transport.url} at {new_baud} baud")
        self.transport.reopen(new_baud)
        self.stats.reopens += 1
        self._deframer.clear()
        self._desynced = False
        self.pending_baud = None
        if verify:
            self.verify_password()
        return self.read_sys_para()

    def auto_baud(
        self, rates: Iterable[int] | None = None, *, probe_timeout: float = 0.3
    ) -> int | None:
        """Find the rate the module answers at (VfyPwd probe over 9600 × N); ``None`` if none.

        A rate counts when VfyPwd gets any well-formed answer (a wrong-password reply proves
        the rate too). It is confirmed with ReadSysPara where possible: a rate the module
        itself reports wins over one that merely seemed to work (adapters that cannot do a
        non-standard divisor fall back to a nearby rate). The port is left open at the rate
        returned (or at the last rate tried).
        """
        order = list(rates) if rates is not None else scan_order(self.transport.baud)
        saved = self.reply_timeout
        self.reply_timeout = probe_timeout
        fallback: int | None = None
        try:
            for rate in order:
                self.transport.reopen(rate)
                self._deframer.clear()
                self._desynced = False  # nothing late can arrive across a rate change
                self._note(f"auto-baud: trying {rate}")
                try:
                    self.verify_password()
                except SensorCommandError:
                    return rate
                except (SensorTimeout, *_GARBLED, WrongAddressError):
                    continue
                try:
                    reported = self.read_sys_para().baud
                except DisconnectedError:
                    raise
                except SensorError:
                    return rate
                if reported == rate:
                    return rate
                fallback = fallback or rate
            if fallback is not None:
                self.transport.reopen(fallback)
                self._deframer.clear()
            return fallback
        finally:
            self.reply_timeout = saved

    # ---------------------------------------------------------------------- transactions

    def _note(self, text: str) -> None:
        if self.trace is not None:
            self.trace.note(text)

    def _send(self, pid: int, payload: bytes) -> None:
        frame = encode(self.address, pid, payload)
        if self.trace is not None:
            self.trace.frame("TX", frame)
        self.transport.write(frame)
        self.stats.bytes_tx += len(frame)

    def _flush(self) -> None:
        if self._desynced:
            # The last exchange broke off: a late reply may still be on its way. Let the line
            # go quiet so it cannot be taken for the answer to the next command.
            self._desynced = False
            self._drain(quiet=0.05, limit=0.5)
        stale = self.transport.flush_input()
        self._deframer.clear()
        if stale:
            self.stats.stale_bytes += len(stale)
            noise = all(b in (0x55, 0x00) for b in stale)
            self._note(f"flushed {len(stale)} stale byte(s){' (power-on noise)' if noise else ''}")

    def _deadline(self, budget: Budget) -> float:
        baud = self.transport.baud
        return (
            time.monotonic()
            + budget.processing * self.processing_scale
            + 1.5 * wire_seconds(budget.rx_bytes + budget.tx_bytes + 12, baud)
        )

    def _receive(
        self, allowed: frozenset[PID], deadline: float, deframer: Deframer | None = None
    ) -> Packet:
        """Next verified packet with an allowed PID, or a typed error.

        Inter-byte timeout applies once a frame has started; the overall deadline always.
        Any failure marks the link out of step, so the next transaction drains it first.
        """
        try:
            return self._receive_one(allowed, deadline, deframer)
        except TransportError:
            self._desynced = True
            raise

    def _receive_one(
        self, allowed: frozenset[PID], deadline: float, deframer: Deframer | None
    ) -> Packet:
        df = deframer or self._deframer
        last_byte = time.monotonic()
        garbage_at_start = df.garbage_bytes
        while True:
            before_garbage, before_resync = df.garbage_bytes, df.resyncs
            try:
                pkt = df.next()
            except ChecksumError:
                self.stats.checksum_errors += 1
                raise
            except FramingError:
                self.stats.framing_errors += 1
                raise
            finally:
                self.stats.garbage_bytes += df.garbage_bytes - before_garbage
                self.stats.resyncs += df.resyncs - before_resync
            if pkt is not None:
                if self.trace is not None:
                    self.trace.frame("RX", pkt.encode())
                if pkt.pid not in allowed:
                    self.stats.unexpected_packets += 1
                    raise UnexpectedPacketError(
                        f"got a {pkt.pid.name} packet, expected "
                        f"{'/'.join(sorted(p.name for p in allowed))}"
                    )
                return pkt
            now = time.monotonic()
            partial = df.has_partial()
            if now >= deadline:
                self._deadline_passed(df, df.garbage_bytes - garbage_at_start)
            limit = min(deadline, last_byte + self.inter_byte_timeout) if partial else deadline
            if partial and now >= limit:
                if df.abandon_partial(only_if_another_header=True):
                    # A damaged length field swallowed the next frame: rescan from there.
                    self.stats.resyncs += 1
                    self._note("stalled frame abandoned; rescanning")
                    last_byte = now
                    continue
                self.stats.timeouts += 1
                self._note(f"inter-byte timeout ({df.buffered} bytes buffered)")
                raise TruncatedError(f"reply stalled after {df.buffered} byte(s) of a frame")
            data = self.transport.read(limit)
            if data:
                self.stats.bytes_rx += len(data)
                last_byte = time.monotonic()
                df.feed(data)

    def _deadline_passed(self, df: Deframer, stray: int) -> NoReturn:
        """No complete frame before the deadline: why, as the error a caller can act on."""
        self.stats.timeouts += 1
        if df.has_partial():
            self._note(f"truncated frame ({df.buffered} bytes buffered)")
            raise TruncatedError(f"reply stopped after {df.buffered} byte(s) of a frame")
        if stray:
            # Bytes came, but no frame: the reply's header was damaged on the wire.
            self._note("garbled reply")
            raise FramingError(f"{stray} byte(s) arrived but no valid frame before the deadline")
        self._note("timeout")
        raise SensorTimeout(f"no reply within the deadline at {self.baud} baud")

    def _transact(
        self,
        instruction: Instruction | int,
        params: bytes = b"",
        *,
        budget: Budget | None = None,
        reply_len: int = 0,
        ok: Iterable[int] = (Confirmation.OK,),
        deframer: Deframer | None = None,
    ) -> Packet:
        """Send one command and return its ack; non-OK codes raise SensorCommandError.

        ``reply_len`` is the number of return bytes after the confirmation code on success;
        a shorter OK ack is garbled. Error acks are short on real modules and accepted so.
        """
        name = _command_name(instruction)
        threadguard.check_io("serial", name)
        self.stats.transactions += 1
        self._flush()
        b = budget or Budget(self.reply_timeout)
        deadline = self._deadline(Budget(max(b.processing, self.reply_timeout), b.rx_bytes,
                                         b.tx_bytes))
        self._send(PID.COMMAND, bytes([instruction]) + params)
        ack = self._receive(_ACK, deadline, deframer)
        if not ack.payload:
            raise FramingError(f"{name}: empty acknowledge")
        code = ack.code
        if code not in set(ok):
            raise SensorCommandError(name, code)
        if code == Confirmation.OK and len(ack.payload) < 1 + reply_len:
            self._desynced = True  # maybe a late answer to an earlier command
            raise FramingError(
                f"{name}: acknowledge has {len(ack.payload) - 1} return byte(s), "
                f"expected {reply_len}"
            )
        return ack

    def _retrying(self, func: Callable[[], _T], attempts: int = 2, *,
                  receive_errors: bool = True, timeouts: bool = False) -> _T:
        """Retry an idempotent command when the reply was garbled (and, with
        ``receive_errors``, when the sensor said 01: it did not receive our packet; with
        ``timeouts``, when no reply came at all: the command was lost on the way)."""
        for attempt in range(attempts):
            try:
                return func()
            except _RETRYABLE:
                if attempt == attempts - 1:
                    raise
            except SensorTimeout:
                if not timeouts or attempt == attempts - 1:
                    raise
            except SensorCommandError as exc:
                if (not receive_errors or exc.code != Confirmation.PACKET_RECEIVE_ERROR
                        or attempt == attempts - 1):
                    raise
            self.stats.retries += 1
            self._note("retry")
        raise AssertionError("unreachable")  # pragma: no cover

    def _again(self, func: Callable[[], _T]) -> _T:
        """A repeatable command, asked again when the line damaged it: its reply arrived
        garbled, the sensor answered 01 (our packet reached it damaged), or no reply came
        (a damaged header makes the sensor ignore the command altogether). The number of
        tries is bounded, so a sensor that stays silent is still reported as such."""
        return self._retrying(func, GARBLED_ATTEMPTS, receive_errors=True, timeouts=True)

    def _upload(self, instruction: Instruction, params: bytes, cap: int, expected: int) -> bytes:
        """Up* commands: ack 00, then DATA… END from the module, read until END (≤ ``cap``)."""
        budget = Budget(
            self.reply_timeout, rx_bytes=data_wire_bytes(expected, self.packet_size)
        )
        deadline = self._deadline(budget)
        self._transact(instruction, params, budget=budget)
        out = bytearray()
        max_packets = cap // PACKET_SIZES[0] + 2
        for _ in range(max_packets):
            pkt = self._receive(_DATA, deadline)
            out += pkt.payload
            if len(out) > cap:
                self._drain()
                raise StreamOverrunError(
                    f"{instruction.name}: more than {cap} bytes without an END packet"
                )
            if pkt.pid == PID.END:
                return bytes(out)
        self._drain()
        raise StreamOverrunError(f"{instruction.name}: more than {max_packets} data packets")

    def _download(self, instruction: Instruction, params: bytes, data: bytes) -> None:
        """Down* commands: wait for ack 00, then send DATA… END (short last chunk, no ack)."""
        self._transact(instruction, params)
        size = self.packet_size
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        for i, chunk in enumerate(chunks):
            self._send(PID.END if i == len(chunks) - 1 else PID.DATA, chunk)

    def _drain(self, quiet: float = 0.1, limit: float = 2.0) -> None:
        """Swallow a runaway stream until the line has been quiet for ``quiet`` seconds."""
        end = time.monotonic() + limit
        quiet_until = time.monotonic() + quiet
        total = 0
        while time.monotonic() < min(end, quiet_until):
            data = self.transport.read(min(end, quiet_until))
            if data:
                total += len(data)
                quiet_until = time.monotonic() + quiet
        self._deframer.clear()
        self._note(f"drained {total} byte(s) of a runaway stream")

    # ------------------------------------------------------------------------- commands

    def verify_password(self, password: int | None = None) -> None:
        """VfyPwd. Raises SensorCommandError (code 0x13) for a wrong password."""
        pwd = self.password if password is None else password
        self._retrying(lambda: self._transact(Instruction.VFY_PWD, _u32(pwd)))

    def set_password(self, new: int) -> None:
        """SetPwd (stored in flash). Losing it locks the module: VfyPwd is then mandatory."""
        self._transact(Instruction.SET_PWD, _u32(new), budget=Budget(1.5))
        self.password = new

    def set_address(self, new: int) -> None:
        """SetAdder. The ack already comes from the NEW address, so switch before reading it."""
        ack_df = Deframer(None)  # accept any address, then check it ourselves
        self._flush()
        threadguard.check_io("serial", "SET_ADDER")
        self.stats.transactions += 1
        deadline = self._deadline(Budget(1.5))
        self._send(PID.COMMAND, bytes([Instruction.SET_ADDER]) + _u32(new))
        ack = self._receive(_ACK, deadline, ack_df)
        if ack.address == new and ack.code == Confirmation.OK:
            self.address = new
            self._deframer = Deframer(new)
            if self.params is not None:
                self.params = _replace_address(self.params, new)
            return
        if ack.address == self.address and ack.payload:
            raise SensorCommandError("SetAdder", ack.code)
        raise WrongAddressError(
            f"SetAdder ack from 0x{ack.address:08X}, expected 0x{new:08X}"
        )

    def read_sys_para(self) -> SystemParameters:
        """ReadSysPara; also adopts the module's packet size for data transfers."""
        ack = self._retrying(lambda: self._transact(Instruction.READ_SYS_PARA, reply_len=16))
        params = SystemParameters.decode(ack.payload[1:])
        self.params = params
        self.packet_size = params.packet_size
        return params

    def set_sys_para(self, param: int, value: int) -> None:
        """SetSysPara. The ack comes at the old settings.

        Baud (4): stored as :attr:`pending_baud`; it takes effect after a power cycle, then
        call :meth:`reopen`. Security level (5) and packet size (6): re-read afterwards so the
        driver uses what the module reports, never what we assumed.
        """
        if param == PARAM_BAUD and not 1 <= value <= 12:
            raise ValueError("baud multiplier must be 1…12 (9600 × N)")
        if param == PARAM_SECURITY and not 1 <= value <= 5:
            raise ValueError("security level must be 1…5")
        if param == PARAM_PACKET_SIZE and not 0 <= value <= 3:
            raise ValueError("packet size code must be 0…3 (32/64/128/256 bytes)")
        if not 0 <= param <= 0xFF or not 0 <= value <= 0xFF:
            raise ValueError("parameter number and value are single bytes")
        self._transact(Instruction.SET_SYS_PARA, bytes([param, value]), budget=Budget(1.5))
        if param == PARAM_BAUD:
            self.pending_baud = 9600 * value
            self._note(f"baud {9600 * value} pending until power cycle")
        else:
            self.read_sys_para()

    def set_baud(self, baud: int) -> None:
        """SetSysPara(4) by rate; effective after a power cycle (then :meth:`reopen`)."""
        if baud not in BAUD_RATES:
            raise ValueError(f"{baud} is not 9600 × N with N = 1…12")
        self.set_sys_para(PARAM_BAUD, baud // 9600)

    def set_security_level(self, level: int) -> None:
        self.set_sys_para(PARAM_SECURITY, level)

    def set_packet_size(self, size: int) -> None:
        if size not in PACKET_SIZES:
            raise ValueError(f"packet size must be one of {PACKET_SIZES}")
        self.set_sys_para(PARAM_PACKET_SIZE, PACKET_SIZES.index(size))

    # The commands below change nothing when repeated (a capture, a read, a write of the same
    # data to the same place), so a reply garbled on the wire is asked again, a bounded number
    # of times, instead of ending the enrollment. RegModel repeated merges the merged template
    # with itself, which gives it back; were a module to answer 0x0A instead, the engine
    # treats it as captures that do not combine and asks for them again.

    def gen_img(self) -> bool:
        """GenImg: True = image captured, False = no finger; other failures raise."""
        ack = self._again(lambda: self._transact(
            Instruction.GEN_IMG, budget=Budget(1.5), ok=(Confirmation.OK, Confirmation.NO_FINGER)
        ))
        return ack.code == Confirmation.OK

    def img2tz(self, buffer: int = 1) -> None:
        """Img2Tz into CharBuffer 1 or 2; 06/07/15… raise SensorCommandError with the code."""
        self._again(lambda: self._transact(Instruction.IMG2TZ, bytes([_buffer(buffer)]),
                                              budget=Budget(2.0)))

    def match(self) -> MatchResult:
        """Match CharBuffer1 with CharBuffer2 (buffers unchanged)."""
        ack = self._again(lambda: self._transact(
            Instruction.MATCH, budget=Budget(1.5), reply_len=2,
            ok=(Confirmation.OK, Confirmation.NO_MATCH),
        ))
        score = struct.unpack(">H", ack.payload[1:3])[0] if len(ack.payload) >= 3 else 0
        return MatchResult(ack.code == Confirmation.OK, score)

    def search(
        self, buffer: int = 1, start: int = 0, count: int | None = None, *, fast: bool = False
    ) -> SearchResult | None:
        """Search (or HighSpeedSearch) slots [start, start+count); None when not found (09).

        ``count`` defaults to the whole library from ``start`` (capacity as read).
        """
        if count is None:
            count = max(0, self._capacity() - start)
        _check_u16(start, "start")
        _check_u16(count, "count")
        ins = Instruction.HIGH_SPEED_SEARCH if fast else Instruction.SEARCH
        ack = self._again(lambda: self._transact(
            ins,
            bytes([_buffer(buffer)]) + struct.pack(">HH", start, count),
            budget=Budget(1.5 + 0.004 * min(count, self._capacity())),
            reply_len=4,
            ok=(Confirmation.OK, Confirmation.NOT_FOUND),
        ))
        if ack.code == Confirmation.NOT_FOUND:
            return None
        slot, score = struct.unpack(">HH", ack.payload[1:5])
        return SearchResult(slot, score)

    def high_speed_search(
        self, buffer: int = 1, start: int = 0, count: int | None = None
    ) -> SearchResult | None:
        return self.search(buffer, start, count, fast=True)

    def reg_model(self) -> None:
        """RegModel: merge CB1+CB2 into both buffers; 0x0A = the captures do not combine."""
        self._again(lambda: self._transact(Instruction.REG_MODEL, budget=Budget(2.0)))

    def store(self, buffer: int, slot: int) -> None:
        _check_u16(slot, "slot")
        self._again(lambda: self._transact(
            Instruction.STORE, bytes([_buffer(buffer)]) + struct.pack(">H", slot),
            budget=Budget(1.5),
        ))

    def load_char(self, buffer: int, slot: int) -> None:
        _check_u16(slot, "slot")
        self._transact(
            Instruction.LOAD_CHAR, bytes([_buffer(buffer)]) + struct.pack(">H", slot),
            budget=Budget(1.5),
        )

    def up_char(self, buffer: int = 1) -> bytes:
        """UpChar: the template in ``buffer`` as the module sends it (512/768/1536… bytes)."""
        data = self._again(lambda: self._upload(
            Instruction.UP_CHAR, bytes([_buffer(buffer)]), MAX_TEMPLATE_BYTES, 1536
        ))
        if not data:
            raise FramingError("UpChar: the module sent an empty template")
        return data

    def down_char(self, buffer: int, template: bytes) -> None:
        """DownChar: send a template into ``buffer``. The module does not ack the data:
        a bad transfer only shows as an error on the next command."""
        if not template:
            raise ValueError("template is empty")
        if len(template) > MAX_TEMPLATE_BYTES:
            raise ValueError(f"template of {len(template)} bytes exceeds {MAX_TEMPLATE_BYTES}")
        self._again(lambda: self._download(Instruction.DOWN_CHAR, bytes([_buffer(buffer)]),
                                              bytes(template)))

    def up_image(self) -> bytes:
        """UpImage: 36 864 bytes (256 × 288, 4 bits per pixel, left pixel in the high nibble)."""
        data = self._upload(Instruction.UP_IMAGE, b"", MAX_IMAGE_BYTES, IMAGE_BYTES)
        if len(data) != IMAGE_BYTES:
            log.warning("UpImage returned %d bytes, expected %d", len(data), IMAGE_BYTES)
        return data

    def delete(self, slot: int, count: int = 1) -> None:
        """DeletChar: remove ``count`` templates starting at ``slot``."""
        _check_u16(slot, "slot")
        if not 1 <= count <= 0xFFFF:
            raise ValueError("count must be 1…65535")
        self._again(lambda: self._transact(
            Instruction.DELET_CHAR, struct.pack(">HH", slot, count),
            budget=Budget(1.5 + 0.005 * count),
        ))

    def empty(self) -> None:
        """Empty: erase the whole library (flash; slow on a full 1000-slot module)."""
        self._transact(Instruction.EMPTY, budget=Budget(2.0 + 0.005 * self._capacity()))

    def template_count(self) -> int:
        ack = self._retrying(lambda: self._transact(Instruction.TEMPLETE_NUM, reply_len=2))
        count: int = struct.unpack(">H", ack.payload[1:3])[0]
        return count

    def read_index_page(self, page: int) -> bytes:
        """ReadIndexTable: the 32-byte bitmap of one page (256 slots)."""
        if not 0 <= page <= 3:
            raise ValueError("index page must be 0…3")
        # Asked before every Store (the free slot), so as patient as the capture steps.
        ack = self._again(
            lambda: self._transact(Instruction.READ_INDEX_TABLE, bytes([page]), reply_len=32)
        )
        return ack.payload[1:33]

    def index_table(self) -> set[int]:
        """Used slots, from every index page the capacity needs (LSB-first bit mapping)."""
        capacity = self._capacity()
        used: set[int] = set()
        for page in range(min(4, math.ceil(capacity / INDEX_PAGE_SLOTS))):
            used |= decode_index_page(page, self.read_index_page(page))
        return {s for s in used if s < capacity}

    def find_free_slot(self, start: int = 0) -> int | None:
        """Lowest free slot ≥ ``start`` below capacity, or None when the library is full."""
        used = self.index_table()
        for slot in range(start, self._capacity()):
            if slot not in used:
                return slot
        return None

    def random_code(self) -> int:
        ack = self._transact(Instruction.GET_RANDOM_CODE, reply_len=4)
        value: int = struct.unpack(">I", ack.payload[1:5])[0]
        return value

    def notepad_write(self, page: int, data: bytes) -> None:
        """WriteNotepad: 32 bytes of user flash (shorter data is zero-padded)."""
        _notepad_page(page)
        if len(data) > NOTEPAD_PAGE_BYTES:
            raise ValueError(f"a notepad page holds {NOTEPAD_PAGE_BYTES} bytes")
        self._transact(
            Instruction.WRITE_NOTEPAD,
            bytes([page]) + bytes(data).ljust(NOTEPAD_PAGE_BYTES, b"\0"),
            budget=Budget(1.5),
        )

    def notepad_read(self, page: int) -> bytes:
        _notepad_page(page)
        ack = self._retrying(
            lambda: self._transact(Instruction.READ_NOTEPAD, bytes([page]), reply_len=32)
        )
        return ack.payload[1:33]

    def command(
        self, instruction: int, params: bytes = b"", *, timeout: float | None = None
    ) -> bytes:
        """Any other single command/ack exchange (vendor extensions such as GetEcho 0x53).

        Returns the ack's return bytes; a non-OK confirmation raises SensorCommandError.
        Codes above 0x1F mean different things per module family: know yours first.
        """
        if not 0 <= instruction <= 0xFF:
            raise ValueError("instruction is one byte")
        ack = self._transact(instruction, bytes(params),
                             budget=Budget(timeout or self.reply_timeout))
        return ack.payload[1:]

    # ------------------------------------------------------------------------ internals

    def _capacity(self) -> int:
        if self.params is None:
            self.read_sys_para()
        assert self.params is not None
        return self.params.capacity


def decode_index_page(page: int, bitmap: bytes) -> set[int]:
    """Bit b (LSB = 0) of byte j on page p is slot p·256 + j·8 + b."""
    return {
        page * INDEX_PAGE_SLOTS + j * 8 + b
        for j, byte in enumerate(bitmap[:32])
        for b in range(8)
        if byte >> b & 1
    }


def scan_order(current: int) -> list[int]:
    """Most likely rates first: the current one, the factory 57 600, the standard UART rates,
    then the non-standard multiples (which not every USB adapter can produce exactly)."""
    order = [current, 57600, 115200, 9600, 19200, 38400, *reversed(BAUD_RATES)]
    return list(dict.fromkeys(r for r in order if r in BAUD_RATES))


def _u32(value: int) -> bytes:
    if not 0 <= value <= 0xFFFFFFFF:
        raise ValueError("value must be a 32-bit number")
    return struct.pack(">I", value)


def _check_u16(value: int, name: str) -> None:
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"{name} must be 0…65535")


def _buffer(buffer: int) -> int:
    if buffer not in (1, 2):
        raise ValueError("CharBuffer must be 1 or 2 (R30x has two)")
    return buffer


def _notepad_page(page: int) -> None:
    if not 0 <= page < NOTEPAD_PAGES:
        raise ValueError(f"notepad page must be 0…{NOTEPAD_PAGES - 1}")


def _replace_address(params: SystemParameters, address: int) -> SystemParameters:
    return dataclasses.replace(params, address=address)


_NAMES = {
    Instruction.GEN_IMG: "GenImg", Instruction.IMG2TZ: "Img2Tz", Instruction.MATCH: "Match",
    Instruction.SEARCH: "Search", Instruction.REG_MODEL: "RegModel", Instruction.STORE: "Store",
    Instruction.LOAD_CHAR: "LoadChar", Instruction.UP_CHAR: "UpChar",
    Instruction.DOWN_CHAR: "DownChar", Instruction.UP_IMAGE: "UpImage",
    Instruction.DELET_CHAR: "DeletChar", Instruction.EMPTY: "Empty",
    Instruction.SET_SYS_PARA: "SetSysPara", Instruction.READ_SYS_PARA: "ReadSysPara",
    Instruction.SET_PWD: "SetPwd", Instruction.VFY_PWD: "VfyPwd",
    Instruction.GET_RANDOM_CODE: "GetRandomCode", Instruction.SET_ADDER: "SetAdder",
    Instruction.WRITE_NOTEPAD: "WriteNotepad", Instruction.READ_NOTEPAD: "ReadNotepad",
    Instruction.HIGH_SPEED_SEARCH: "HighSpeedSearch", Instruction.TEMPLETE_NUM: "TempleteNum",
    Instruction.READ_INDEX_TABLE: "ReadIndexTable",
}


def _command_name(instruction: Instruction | int) -> str:
    if instruction in _NAMES:
        return _NAMES[Instruction(instruction)]
    return f"command 0x{instruction:02X}"


#: Alias: the enrollment engine speaks of "the sensor driver".
SensorDriver = R307
