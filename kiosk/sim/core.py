"""The virtual R307: a byte-in, byte-out model of the module, with no threads of its own.

``VirtualR307.handle(data)`` takes whatever bytes the host wrote and returns whatever the
module would send back, so the same core serves a pty, a TCP socket or a unit test. Frames are
parsed with the project's own EF01 :class:`~kiosk.sensor.packet.Deframer` and replies built
with :func:`~kiosk.sensor.packet.encode` (one codec for host and simulator).

Choices where the reference leaves room (documented so hosts know what to expect):

* Result codes that carry data keep the full reply: Match 0x08 still carries the score and
  Search/HighSpeedSearch 0x09 carries PageID = score = 0. Every other non-OK ack is short.
* Unknown instructions get a short 0x19 ("no definition").
* ReadSysPara reports the settings *in effect*; baud and packet size written with SetSysPara
  are stored at once but only used (and reported) after :meth:`VirtualR307.power_cycle`.
  The security level applies immediately.
* With a non-zero password every command other than VfyPwd gets a short 0x21 until VfyPwd
  succeeds; a power cycle forgets the verification.
* A buffer whose data transfer was broken (bad checksum, wrong length, interrupted) or whose
  bytes are not a valid template makes Match/Search/RegModel/Store answer 0x01; LoadChar of an
  empty or invalid slot answers 0x0C.
* PortControl accepts 0/1 and only records the value (turning the UART off would strand the
  host); other values get 0x1D.

Long on purpose: the virtual module is one state machine (buffers, library, parameters,
quirks); splitting it would spread one command's behaviour over several files.
"""

from __future__ import annotations

import logging
import random
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from kiosk.sensor.codes import Confirmation as C
from kiosk.sensor.codes import Instruction as I
from kiosk.sensor.errors import TransportError
from kiosk.sensor.packet import HEADER, PID, Deframer, Packet, encode
from kiosk.sim import fingers
from kiosk.sim.fingers import IMAGE_BYTES, Features

log = logging.getLogger(__name__)

TEMPLATE_SIZES = fingers.TEMPLATE_SIZES
PACKET_SIZES = (32, 64, 128, 256)
STARTUP_BYTE = b"\x55"
NOTEPAD_PAGES = 16
NOTEPAD_PAGE_SIZE = 32

#: Which instructions an injected failure code applies to (see ``fail_next``).
_FAIL_TARGETS: dict[int, frozenset[int]] = {
    C.NO_FINGER: frozenset({I.GEN_IMG}),
    C.IMAGE_FAIL: frozenset({I.GEN_IMG}),
    C.IMAGE_TOO_DRY: frozenset({I.IMG2TZ}),
    C.IMAGE_TOO_WET: frozenset({I.IMG2TZ}),
    C.IMAGE_MESSY: frozenset({I.IMG2TZ}),
    C.FEATURE_FAIL: frozenset({I.IMG2TZ}),
    C.NO_MATCH: frozenset({I.MATCH}),
    C.NOT_FOUND: frozenset({I.SEARCH, I.HIGH_SPEED_SEARCH}),
    C.ENROLL_MISMATCH: frozenset({I.REG_MODEL}),
    C.DB_READ_FAIL: frozenset({I.LOAD_CHAR}),
    C.UPLOAD_FEATURE_FAIL: frozenset({I.UP_CHAR}),
    C.PACKET_RESPONSE_FAIL: frozenset({I.DOWN_CHAR, I.DOWN_IMAGE}),
    C.UPLOAD_IMAGE_FAIL: frozenset({I.UP_IMAGE}),
    C.DELETE_FAIL: frozenset({I.DELET_CHAR}),
    C.DB_CLEAR_FAIL: frozenset({I.EMPTY}),
    C.FLASH_ERROR: frozenset({I.STORE, I.WRITE_NOTEPAD, I.SET_PWD, I.SET_ADDER, I.SET_SYS_PARA}),
    C.PORT_OP_FAIL: frozenset({I.PORT_CONTROL}),
    C.LIBRARY_FULL: frozenset({I.STORE}),
}
#: Codes whose failure reply keeps the full (zeroed) result fields.
_LONG_FAILS = {(I.MATCH, C.NO_MATCH), (I.SEARCH, C.NOT_FOUND), (I.HIGH_SPEED_SEARCH, C.NOT_FOUND)}


#: A handler's outcome: reply bytes, processing delay (s), hook to run after the lock is freed.
Result = tuple[bytes, float, "Callable[[VirtualR307], None] | None"]


@dataclass
class SimConfig:
    """Settings of the simulated module; the fields that live in flash change with commands.

    ``baud_n`` and ``packet_size_code`` hold the *stored* values (what takes effect at the
    next power cycle); :class:`VirtualR307` keeps the values in effect separately.
    """

    capacity: int = 1000
    security_level: int = 3
    packet_size_code: int = 2
    baud_n: int = 6
    address: int = 0xFFFFFFFF
    password: int = 0
    template_size: int = 512
    timing: Literal["fast", "real"] = "fast"
    startup_byte: bool = True
    #: Probability that a capture fails on its own (GenImg 0x03, Img2Tz 0x06/0x07).
    failure_rate: float = 0.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.capacity <= 0xFFFF:
            raise ValueError("capacity must be 1..65535")
        if self.security_level not in fingers.THRESHOLDS:
            raise ValueError("security_level must be 1..5")
        if self.packet_size_code not in range(4):
            raise ValueError("packet_size_code must be 0..3 (32/64/128/256 bytes)")
        if not 1 <= self.baud_n <= 12:
            raise ValueError("baud_n must be 1..12 (9600 × N)")
        if self.template_size not in TEMPLATE_SIZES:
            raise ValueError(f"template_size must be one of {TEMPLATE_SIZES}")
        if self.timing not in ("fast", "real"):
            raise ValueError("timing must be 'fast' or 'real'")
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError("failure_rate must be 0..1")
        if not 0 <= self.address <= 0xFFFFFFFF or not 0 <= self.password <= 0xFFFFFFFF:
            raise ValueError("address and password are 32-bit numbers")

    @property
    def baud(self) -> int:
        return 9600 * self.baud_n

    @property
    def packet_size(self) -> int:
        return PACKET_SIZES[self.packet_size_code]


class _SimDeframer(Deframer):
    """The shared deframer plus a peek at the pending frame's address.

    The module must answer a bad-checksum command with 0x01 but stay silent for a foreign
    address, so it needs the address of a frame the codec is about to reject.
    """

    def pending_address(self) -> int | None:
        buf = self._buf
        start = buf.find(HEADER)
        if start < 0 or len(buf) < start + 6:
            return None
        return int.from_bytes(buf[start + 2 : start + 6], "big")

    def pending_is_command(self) -> bool:
        buf = self._buf
        start = buf.find(HEADER)
        return start >= 0 and len(buf) > start + 6 and buf[start + 6] == PID.COMMAND


@dataclass
class _Buffer:
    """A CharBuffer: raw bytes, plus whether the transfer that filled it was intact."""

    data: bytes = b""
    broken: bool = False

    def features(self) -> Features | None:
        return None if self.broken or not self.data else fingers.decode_buffer(self.data)


@dataclass
class _Download:
    """State of a host→module data transfer (DownChar/DownImage)."""

    target: int  # 1/2 = CharBuffer, 0 = image buffer
    expected: int
    data: bytearray = field(default_factory=bytearray)
    broken: bool = False


class VirtualR307:
    """A simulated R307 module. Thread-safe: one lock around all state."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self._lock = threading.RLock()
        self._rng = random.Random(self.config.seed)
        self._library: dict[int, bytes] = {}
        self._notepad = [bytes(NOTEPAD_PAGE_SIZE) for _ in range(NOTEPAD_PAGES)]
        self._failures: list[tuple[int, int]] = []  # (code, remaining)
        self._finger: str | None = None
        self._finger_noise = fingers.DEFAULT_NOISE
        self._deframer = _SimDeframer(address=None)
        self._pending_out = bytearray()
        self.port_enabled = True
        #: Called (outside the lock) when GenImg finds no finger: a scripted person may place one.
        self.on_wait_for_finger: Callable[[VirtualR307], None] | None = None
        #: Called (outside the lock) after Img2Tz accepted a capture: a person would lift.
        self.on_capture_accepted: Callable[[VirtualR307], None] | None = None
        #: Called (outside the lock) when GenImg finds the finger still resting after a rejected
        #: capture: the host is waiting for the lift it asked for.
        self.on_finger_resting: Callable[[VirtualR307], None] | None = None
        self._capture_rejected = False
        #: Optional frame trace: called with ("rx"|"tx", frame bytes).
        self.trace: Callable[[str, bytes], None] | None = None
        self.stats: dict[str, int] = {"commands": 0, "bad_checksum": 0, "foreign": 0}
        self._power_on()

    # --- power and state ------------------------------------------------------------------

    def _power_on(self) -> None:
        self._active_baud_n = self.config.baud_n
        self._active_packet_code = self.config.packet_size_code
        self._verified = False
        self._buffers = {1: _Buffer(), 2: _Buffer()}
        self._image: bytes = bytes(IMAGE_BYTES)
        self._image_valid = False
        self._image_features: Features | None = None
        self._pass = False
        self._download: _Download | None = None
        self._deframer.clear()
        if self.config.startup_byte:
            self._pending_out += STARTUP_BYTE

    def power_cycle(self) -> None:
        """Switch off and on: RAM state lost, stored baud/packet size applied, 0x55 queued."""
        with self._lock:
            self._pending_out.clear()
            self._power_on()

    def take_output(self) -> bytes:
        """Unsolicited bytes waiting to go out (the 0x55 after power-on)."""
        with self._lock:
            out = bytes(self._pending_out)
            self._pending_out.clear()
            return out

    @property
    def baud(self) -> int:
        """The baud rate in effect (stored changes apply after a power cycle)."""
        return 9600 * self._active_baud_n

    def wire_time(self, nbytes: int) -> float:
        """Seconds ``nbytes`` take on the wire at the baud in effect (0 in fast timing)."""
        return nbytes * 10 / self.baud if self.config.timing == "real" else 0.0

    @property
    def packet_size(self) -> int:
        """The data-packet size in effect."""
        return PACKET_SIZES[self._active_packet_code]

    @property
    def library(self) -> dict[int, bytes]:
        """A copy of the flash library: slot → template bytes."""
        with self._lock:
            return dict(self._library)

    def set_template(self, slot: int, template: bytes | None) -> None:
        """Write (or with ``None`` erase) a library slot directly, e.g. to preload a demo."""
        if not 0 <= slot < self.config.capacity:
            raise ValueError(f"slot {slot} is outside the library (0..{self.config.capacity - 1})")
        with self._lock:
            if template is None:
                self._library.pop(slot, None)
            else:
                self._library[slot] = bytes(template)

    def make_template(self, finger: str) -> bytes:
        """A merged template of ``finger`` as RegModel would build it (two noisy captures)."""
        with self._lock:
            a = fingers.capture(finger, self._rng)
            b = fingers.capture(finger, self._rng)
            return fingers.encode_buffer(fingers.merge(a, b), b, self.config.template_size)

    @property
    def notepad(self) -> list[bytes]:
        with self._lock:
            return list(self._notepad)

    def buffer(self, n: int) -> bytes:
        """CharBuffer ``n`` (1 or 2) contents, for tests."""
        with self._lock:
            return self._buffers[1 if n == 1 else 2].data

    # --- the person at the glass ----------------------------------------------------------

    def place(self, finger: str, *, noise: float = fingers.DEFAULT_NOISE) -> None:
        """Put ``finger`` on the glass; it stays until :meth:`lift`. ``noise`` = sloppiness."""
        if not finger:
            raise ValueError("finger label must not be empty")
        with self._lock:
            self._finger = finger
            self._finger_noise = noise
            self._capture_rejected = False

    def lift(self) -> None:
        with self._lock:
            self._finger = None

    @property
    def finger_present(self) -> bool:
        with self._lock:
            return self._finger is not None

    @property
    def finger(self) -> str | None:
        with self._lock:
            return self._finger

    def fail_next(self, code: int, count: int = 1) -> None:
        """Make the next ``count`` commands that can produce ``code`` fail with it.

        Capture codes (0x02/0x03 on GenImg, 0x04–0x07 on Img2Tz) are the usual ones; 0x01 hits
        any command, and the other codes hit the command that documents them (e.g. 0x1F and
        0x18 on Store, 0x0D on UpChar, 0x0E on DownChar).
        """
        if code != C.PACKET_RECEIVE_ERROR and code not in _FAIL_TARGETS:
            raise ValueError(f"cannot inject code 0x{code:02X}")
        if count < 1:
            raise ValueError("count must be ≥ 1")
        with self._lock:
            self._failures.append((code, count))

    def _injected(self, instruction: int) -> int | None:
        for i, (code, left) in enumerate(self._failures):
            if code == C.PACKET_RECEIVE_ERROR or instruction in _FAIL_TARGETS[code]:
                if left <= 1:
                    del self._failures[i]
                else:
                    self._failures[i] = (code, left - 1)
                return code
        return None

    def status(self) -> dict[str, object]:
        """A snapshot for the CLI and tests (no template bytes)."""
        with self._lock:
            return {
                "finger": self._finger,
                "templates": len(self._library),
                "capacity": self.config.capacity,
                "security_level": self.config.security_level,
                "baud": self.baud,
                "packet_size": self.packet_size,
                "address": f"{self.config.address:08X}",
                "password_set": self.config.password != 0,
                "verified": self._verified,
                "template_size": self.config.template_size,
                "pending_failures": list(self._failures),
            }

    # --- byte interface -------------------------------------------------------------------

    def handle(self, data: bytes) -> bytes:
        """Feed raw host bytes; return the raw bytes the module sends back (maybe none)."""
        hooks: list[Callable[[VirtualR307], None]] = []
        delay = 0.0
        with self._lock:
            out = bytearray(self._pending_out)
            self._pending_out.clear()
            self._deframer.feed(data)
            while True:
                addr = self._deframer.pending_address()
                is_cmd = self._deframer.pending_is_command()
                try:
                    pkt = self._deframer.next()
                except TransportError:
                    self.stats["bad_checksum"] += 1
                    if self._download is not None:
                        self._download.broken = True
                    elif addr == self.config.address and is_cmd:
                        out += self._ack(C.PACKET_RECEIVE_ERROR)
                    continue
                if pkt is None:
                    break
                if pkt.address != self.config.address:
                    self.stats["foreign"] += 1
                    continue
                if self.trace is not None:
                    self.trace("rx", pkt.encode())
                reply, d, hook = self._dispatch(pkt)
                delay += d
                if hook is not None:
                    hooks.append(hook)
                out += reply
        for h in hooks:
            h(self)
        if delay > 0:
            time.sleep(delay)
        return bytes(out)

    def _frame(self, pid: int, payload: bytes, address: int | None = None) -> bytes:
        frame = encode(self.config.address if address is None else address, pid, payload)
        if self.trace is not None:
            self.trace("tx", frame)
        return frame

    def _ack(self, code: int, extra: bytes = b"", address: int | None = None) -> bytes:
        return self._frame(PID.ACK, bytes((code,)) + extra, address)

    def _data_packets(self, data: bytes) -> bytes:
        size = self.packet_size
        out = bytearray()
        for off in range(0, len(data), size):
            last = off + size >= len(data)
            out += self._frame(PID.END if last else PID.DATA, data[off : off + size])
        return bytes(out)

    # --- dispatch -------------------------------------------------------------------------

    def _dispatch(self, pkt: Packet) -> Result:
        if pkt.pid in (PID.DATA, PID.END):
            return self._receive_data(pkt), 0.0, None
        if pkt.pid != PID.COMMAND:
            return b"", 0.0, None  # an ack from the host: nothing to do
        if self._download is not None:
            # A command in the middle of a download: the transfer is abandoned.
            self._finish_download(force_broken=True)
        self.stats["commands"] += 1
        if not pkt.payload:
            return self._ack(C.PACKET_RECEIVE_ERROR), 0.0, None
        ins, args = pkt.payload[0], pkt.payload[1:]
        if self.config.password and not self._verified and ins != I.VFY_PWD:
            return self._ack(C.PASSWORD_REQUIRED), 0.0, None
        handler = self._HANDLERS.get(ins)
        if handler is None:
            return self._ack(C.NO_DEFINITION), 0.0, None
        injected = self._injected(ins)
        if injected is not None:
            self._note_capture(ins, injected)
            if (ins, injected) in _LONG_FAILS:
                extra = b"\x00\x00" if ins == I.MATCH else b"\x00\x00\x00\x00"
                return self._ack(injected, extra), 0.0, None
            return self._ack(injected), 0.0, None
        try:
            result = handler(self, args)
        except _BadArgs:
            return self._ack(C.PACKET_RECEIVE_ERROR), 0.0, None
        if ins in (I.GEN_IMG, I.IMG2TZ) and len(result[0]) > 9:
            self._note_capture(ins, result[0][9])
            if ins == I.GEN_IMG and result[0][9] == C.OK and self._capture_rejected:
                return result[0], result[1], self.on_finger_resting
        return result

    def _note_capture(self, ins: int, code: int) -> None:
        """Remember a rejected capture: a cooperative person lifts when the host says so."""
        if ins == I.IMG2TZ:
            self._capture_rejected = code != C.OK
        elif ins == I.GEN_IMG and code not in (C.OK, C.NO_FINGER):
            self._capture_rejected = True

    def _t(self, seconds: float) -> float:
        return seconds if self.config.timing == "real" else 0.0

    def _chance(self) -> bool:
        return self.config.failure_rate > 0 and self._rng.random() < self.config.failure_rate

    def _buf_id(self, args: bytes) -> int:
        _need(args, 1)
        return 1 if args[0] == 1 else 2

    # Capture ----------------------------------------------------------------------------

    def _gen_img(self, args: bytes) -> Result:
        if self._finger is None:
            return self._ack(C.NO_FINGER), self._t(0.05), self._wait_hook()
        if self._chance():
            self._image_valid = False
            return self._ack(C.IMAGE_FAIL), self._t(0.3), None
        self._image_features = fingers.capture(self._finger, self._rng, self._finger_noise)
        self._image_valid = True
        self._image = b""  # rendered lazily by UpImage
        return self._ack(C.OK), self._t(0.3), None

    def _wait_hook(self) -> Callable[[VirtualR307], None] | None:
        return self.on_wait_for_finger

    def _img2tz(self, args: bytes) -> Result:
        n = self._buf_id(args)
        if not self._image_valid:
            return self._ack(C.INVALID_IMAGE), 0.0, None
        if self._chance():
            return self._ack(self._rng.choice((C.IMAGE_MESSY, C.FEATURE_FAIL))), self._t(0.4), None
        f = self._image_features
        if f is None:
            f = fingers.features_from_image(self._image, self._rng)
            if f is None:
                return self._ack(C.FEATURE_FAIL), self._t(0.4), None
            self._image_features = f
        self._buffers[n] = _Buffer(fingers.encode_buffer(f, None, self.config.template_size))
        return self._ack(C.OK), self._t(0.4), self.on_capture_accepted

    # Matching ---------------------------------------------------------------------------

    def _threshold(self) -> int:
        return fingers.THRESHOLDS[self.config.security_level]

    def _match(self, args: bytes) -> Result:
        a, b = self._buffers[1], self._buffers[2]
        if a.broken or b.broken:
            return self._ack(C.PACKET_RECEIVE_ERROR), 0.0, None
        fa, fb = a.features(), b.features()
        if fa is None or fb is None:
            return self._ack(C.PACKET_RECEIVE_ERROR), 0.0, None
        s = fingers.score(fa, fb)
        self._pass = s >= self._threshold()
        code = C.OK if self._pass else C.NO_MATCH
        return self._ack(code, struct.pack(">H", s)), self._t(0.1), None

    def _search(self, args: bytes) -> Result:
        _need(args, 5)
        n = 1 if args[0] == 1 else 2
        start, count = struct.unpack_from(">HH", args, 1)
        f = self._buffers[n].features()
        if f is None:
            return self._ack(C.PACKET_RECEIVE_ERROR), 0.0, None
        if start >= self.config.capacity:
            return self._ack(C.BAD_LOCATION), 0.0, None
        end = min(self.config.capacity, start + count)
        best, best_slot = 0, 0
        scanned = 0
        for slot in range(start, end):
            tpl = self._library.get(slot)
            if tpl is None:
                continue
            scanned += 1
            g = fingers.decode_buffer(tpl)
            if g is None:
                continue
            s = fingers.score(f, g)
            if s > best:
                best, best_slot = s, slot
        delay = self._t(0.05 + 0.95 * (end - start) / 1000)
        self._pass = best >= self._threshold()
        if not self._pass:
            return self._ack(C.NOT_FOUND, bytes(4)), delay, None
        return self._ack(C.OK, struct.pack(">HH", best_slot, best)), delay, None

    def _reg_model(self, args: bytes) -> Result:
        a, b = self._buffers[1], self._buffers[2]
        if a.broken or b.broken:
            return self._ack(C.PACKET_RECEIVE_ERROR), 0.0, None
        fa, fb = a.features(), b.features()
        if fa is None or fb is None or fingers.score(fa, fb) < fingers.MERGE_THRESHOLD:
            return self._ack(C.ENROLL_MISMATCH), self._t(0.2), None
        merged = fingers.encode_buffer(fingers.merge(fa, fb), fb, self.config.template_size)
        self._buffers[1] = _Buffer(merged)
        self._buffers[2] = _Buffer(merged)
        return self._ack(C.OK), self._t(0.2), None

    # Library ----------------------------------------------------------------------------

    def _store(self, args: bytes) -> Result:
        _need(args, 3)
        n = 1 if args[0] == 1 else 2
        (page,) = struct.unpack_from(">H", args, 1)
        if page >= self.config.capacity:
            return self._ack(C.BAD_LOCATION), 0.0, None
        buf = self._buffers[n]
        if buf.features() is None:
            return self._ack(C.PACKET_RECEIVE_ERROR), 0.0, None
        self._library[page] = buf.data
        return self._ack(C.OK), self._t(0.05), None

    def _load_char(self, args: bytes) -> Result:
        _need(args, 3)
        n = 1 if args[0] == 1 else 2
        (page,) = struct.unpack_from(">H", args, 1)
        if page >= self.config.capacity:
            return self._ack(C.BAD_LOCATION), 0.0, None
        tpl = self._library.get(page)
        if tpl is None or fingers.decode_buffer(tpl) is None:
            return self._ack(C.DB_READ_FAIL), 0.0, None
        self._buffers[n] = _Buffer(tpl)
        return self._ack(C.OK), self._t(0.02), None

    def _delet_char(self, args: bytes) -> Result:
        _need(args, 4)
        page, n = struct.unpack_from(">HH", args)
        if page >= self.config.capacity:
            return self._ack(C.BAD_LOCATION), 0.0, None
        if n == 0 or page + n > self.config.capacity:
            return self._ack(C.DELETE_FAIL), 0.0, None
        for slot in range(page, page + n):
            self._library.pop(slot, None)
        return self._ack(C.OK), self._t(0.05), None

    def _empty(self, args: bytes) -> Result:
        self._library.clear()
        return self._ack(C.OK), self._t(0.2), None

    def _templete_num(self, args: bytes) -> Result:
        return self._ack(C.OK, struct.pack(">H", len(self._library))), 0.0, None

    def _read_index_table(self, args: bytes) -> Result:
        _need(args, 1)
        page = args[0]
        if page > max(3, (self.config.capacity - 1) // 256):
            return self._ack(C.BAD_LOCATION), 0.0, None
        table = bytearray(32)
        for slot in self._library:
            if page * 256 <= slot < (page + 1) * 256:
                off = slot - page * 256
                table[off // 8] |= 1 << (off % 8)
        return self._ack(C.OK, bytes(table)), 0.0, None

    # Transfers --------------------------------------------------------------------------

    def _up_char(self, args: bytes) -> Result:
        n = self._buf_id(args)
        data = self._buffers[n].data or bytes(self.config.template_size)
        return self._ack(C.OK) + self._data_packets(data), 0.0, None

    def _down_char(self, args: bytes) -> Result:
        n = self._buf_id(args)
        self._download = _Download(n, self.config.template_size)
        return self._ack(C.OK), 0.0, None

    def _up_image(self, args: bytes) -> Result:
        if self._image_valid and not self._image and self._image_features is not None:
            self._image = fingers.render_image(self._image_features)
        data = self._image or bytes(IMAGE_BYTES)
        return self._ack(C.OK) + self._data_packets(data), 0.0, None

    def _down_image(self, args: bytes) -> Result:
        self._download = _Download(0, IMAGE_BYTES)
        return self._ack(C.OK), 0.0, None

    def _receive_data(self, pkt: Packet) -> bytes:
        dl = self._download
        if dl is None:
            return b""  # stray data packet: the module ignores it
        dl.data += pkt.payload
        if len(dl.data) > dl.expected:
            dl.broken = True
            del dl.data[dl.expected :]
        if pkt.pid == PID.END:
            self._finish_download()
        return b""  # no ack after host data packets

    def _finish_download(self, force_broken: bool = False) -> None:
        dl = self._download
        self._download = None
        if dl is None:
            return
        ok = not (force_broken or dl.broken) and len(dl.data) == dl.expected
        if dl.target == 0:
            self._image = bytes(dl.data) if ok else bytes(IMAGE_BYTES)
            self._image_valid = ok
            self._image_features = None
        else:
            self._buffers[dl.target] = _Buffer(bytes(dl.data), broken=not ok)

    # System -----------------------------------------------------------------------------

    def _set_sys_para(self, args: bytes) -> Result:
        _need(args, 2)
        param, value = args[0], args[1]
        cfg = self.config
        if param == 4:
            if not 1 <= value <= 12:
                return self._ack(C.BAD_REGISTER_CONFIG), 0.0, None
            cfg.baud_n = value
        elif param == 5:
            if value not in fingers.THRESHOLDS:
                return self._ack(C.BAD_REGISTER_CONFIG), 0.0, None
            cfg.security_level = value
        elif param == 6:
            if value > 3:
                return self._ack(C.BAD_REGISTER_CONFIG), 0.0, None
            cfg.packet_size_code = value
        else:
            return self._ack(C.INVALID_REGISTER), 0.0, None
        return self._ack(C.OK), self._t(0.05), None

    def _read_sys_para(self, args: bytes) -> Result:
        status = (
            (0x2 if self._pass else 0)
            | (0x4 if self._verified else 0)
            | (0x8 if self._image_valid else 0)
        )
        body = struct.pack(
            ">HHHHIHH",
            status,
            0,
            self.config.capacity,
            self.config.security_level,
            self.config.address,
            self._active_packet_code,
            self._active_baud_n,
        )
        return self._ack(C.OK, body), 0.0, None

    def _set_pwd(self, args: bytes) -> Result:
        _need(args, 4)
        (self.config.password,) = struct.unpack_from(">I", args)
        return self._ack(C.OK), self._t(0.05), None

    def _vfy_pwd(self, args: bytes) -> Result:
        _need(args, 4)
        (pwd,) = struct.unpack_from(">I", args)
        self._verified = pwd == self.config.password
        return self._ack(C.OK if self._verified else C.WRONG_PASSWORD), 0.0, None

    def _set_adder(self, args: bytes) -> Result:
        _need(args, 4)
        (addr,) = struct.unpack_from(">I", args)
        self.config.address = addr
        return self._ack(C.OK, address=addr), self._t(0.05), None

    def _get_random_code(self, args: bytes) -> Result:
        return self._ack(C.OK, self._rng.randbytes(4)), 0.0, None

    def _port_control(self, args: bytes) -> Result:
        _need(args, 1)
        if args[0] not in (0, 1):
            return self._ack(C.PORT_OP_FAIL), 0.0, None
        self.port_enabled = bool(args[0])
        return self._ack(C.OK), 0.0, None

    def _write_notepad(self, args: bytes) -> Result:
        _need(args, 1)
        page = args[0]
        if page >= NOTEPAD_PAGES:
            return self._ack(C.BAD_NOTEPAD_PAGE), 0.0, None
        if len(args) != 1 + NOTEPAD_PAGE_SIZE:
            raise _BadArgs
        self._notepad[page] = bytes(args[1:])
        return self._ack(C.OK), self._t(0.05), None

    def _read_notepad(self, args: bytes) -> Result:
        _need(args, 1)
        page = args[0]
        if page >= NOTEPAD_PAGES:
            return self._ack(C.BAD_NOTEPAD_PAGE), 0.0, None
        return self._ack(C.OK, self._notepad[page]), 0.0, None

    _HANDLERS: ClassVar[dict[int, Callable[[VirtualR307, bytes], Result]]] = {
        I.GEN_IMG: _gen_img,
        I.IMG2TZ: _img2tz,
        I.MATCH: _match,
        I.SEARCH: _search,
        I.HIGH_SPEED_SEARCH: _search,
        I.REG_MODEL: _reg_model,
        I.STORE: _store,
        I.LOAD_CHAR: _load_char,
        I.UP_CHAR: _up_char,
        I.DOWN_CHAR: _down_char,
        I.UP_IMAGE: _up_image,
        I.DOWN_IMAGE: _down_image,
        I.DELET_CHAR: _delet_char,
        I.EMPTY: _empty,
        I.SET_SYS_PARA: _set_sys_para,
        I.READ_SYS_PARA: _read_sys_para,
        I.SET_PWD: _set_pwd,
        I.VFY_PWD: _vfy_pwd,
        I.GET_RANDOM_CODE: _get_random_code,
        I.SET_ADDER: _set_adder,
        I.PORT_CONTROL: _port_control,
        I.WRITE_NOTEPAD: _write_notepad,
        I.READ_NOTEPAD: _read_notepad,
        I.TEMPLETE_NUM: _templete_num,
        I.READ_INDEX_TABLE: _read_index_table,
    }


class _BadArgs(Exception):
    """A command arrived with too few parameter bytes."""


def _need(args: bytes, n: int) -> None:
    if len(args) < n:
        raise _BadArgs


__all__ = ["PACKET_SIZES", "TEMPLATE_SIZES", "SimConfig", "VirtualR307"]
