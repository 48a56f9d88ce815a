"""A pseudo-terminal between the station's driver and a sensor port, for fault injection.

The host (``kiosk enroll``, the GUI, the test's own driver) opens :attr:`SerialProxy.port`
exactly like a USB-serial adapter; every byte is piped to and from ``upstream`` (the pty of a
``kiosk-sim`` process, or of an in-process :class:`~kiosk.sim.PtyServer`). On the way the
proxy can

* watch the host's command frames (``on_command`` sees each instruction byte before it is
  forwarded and may swallow it: the crash suite kills the host there), and
* damage the stream in either direction (``noise``: the chance that a chunk gets one random
  byte flipped, dropped or inserted).

The proxy keeps its side of the pty open, so a host that dies and a new one that opens the
port later meet the same line, stale bytes and all, as on a real adapter.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import select
import termios
import threading
import tty
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from kiosk.sensor.errors import TransportError
from kiosk.sensor.packet import PID, Deframer

_POLL_S = 0.05
_B57600 = termios.B57600


def _raw(fd: int) -> None:
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[4] = attrs[5] = _B57600
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


class SerialProxy:
    """Pipe ``link`` (a pty the host opens) to ``upstream``; see the module docstring."""

    def __init__(self, upstream: str | Path, link: Path, *, seed: int = 0) -> None:
        self.upstream = str(upstream)
        self.link = link
        self.rng = random.Random(seed)
        #: Chance per chunk and direction that one byte is flipped, dropped or inserted.
        self.noise = 0.0
        #: Called with each host command's instruction byte; False swallows the command.
        self.on_command: Callable[[int], bool] | None = None
        #: Called with the instructions of a chunk just forwarded to the sensor.
        self.after_forward: Callable[[list[int]], None] | None = None
        #: Injected damage by kind and direction, e.g. ``flip-to-sensor``.
        self.faults: Counter[str] = Counter()
        self.commands = 0
        self._frames = Deframer(address=None)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._master, slave = os.openpty()
        _raw(slave)
        self._slave = slave
        os.set_blocking(self._master, False)
        self._up = os.open(self.upstream, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        _raw(self._up)
        tmp = link.with_name(link.name + ".tmp")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(os.ttyname(slave))
        os.replace(tmp, link)
        self._thread = threading.Thread(target=self._run, name="serial-proxy", daemon=True)
        self._thread.start()

    @property
    def port(self) -> str:
        return str(self.link)

    # -- damage ------------------------------------------------------------------------------
    def _damage(self, data: bytes, direction: str) -> bytes:
        if not data or not self.noise or self.rng.random() >= self.noise:
            return data
        i = self.rng.randrange(len(data))
        kind = self.rng.choice(("flip", "drop", "insert"))
        self.faults[f"{kind}-{direction}"] += 1
        if kind == "flip":
            return data[:i] + bytes((data[i] ^ (1 << self.rng.randrange(8)),)) + data[i + 1:]
        if kind == "drop":
            return data[:i] + data[i + 1:]
        return data[:i] + bytes((self.rng.randrange(256),)) + data[i:]

    def _watch(self, data: bytes) -> tuple[bool, list[int]]:
        """Feed the host's bytes to a deframer: whether to forward them (``on_command`` may
        swallow them) and the instructions they complete."""
        self._frames.feed(data)
        forward = True
        seen: list[int] = []
        while True:
            try:
                pkt = self._frames.next()
            except TransportError:
                continue
            if pkt is None:
                return forward, seen
            if pkt.pid is PID.COMMAND and pkt.payload:
                self.commands += 1
                seen.append(pkt.payload[0])
                hook = self.on_command
                if hook is not None and not hook(pkt.payload[0]):
                    forward = False

    # -- pump --------------------------------------------------------------------------------
    def _write_all(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view and not self._stop.is_set():
            _, w, _ = select.select([], [fd], [], _POLL_S)
            if not w:
                continue
            try:
                n = os.write(fd, view[:512])
            except BlockingIOError:
                continue
            except OSError:
                return
            view = view[n:]

    def _read(self, fd: int) -> bytes:
        try:
            return os.read(fd, 4096)
        except BlockingIOError:
            return b""
        except OSError as exc:
            if exc.errno == errno.EIO:
                self._stop.wait(_POLL_S)
                return b""
            raise

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                r, _, _ = select.select([self._master, self._up], [], [], _POLL_S)
            except (OSError, ValueError):
                return
            try:
                if self._master in r and (data := self._read(self._master)):
                    with self._lock:
                        forward, seen = self._watch(data)
                    if forward:
                        self._write_all(self._up, self._damage(data, "to-sensor"))
                        after = self.after_forward
                        if seen and after is not None:
                            after(seen)
                if self._up in r and (data := self._read(self._up)):
                    self._write_all(self._master, self._damage(data, "to-host"))
            except OSError:
                if self._stop.is_set():
                    return
                raise

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for fd in (self._master, self._slave, self._up):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            self.link.unlink()
