"""Put a :class:`~kiosk.sim.core.VirtualR307` on a real pseudo-terminal or a TCP socket.

Host code then opens the sim exactly like a USB-serial adapter (``serial.Serial(server.port)``
or ``serial_for_url(server.url)``), so every byte goes through the same OS paths as with
hardware. ``unplug()``/``replug()`` emulate pulling the USB cable: host reads and writes fail,
and after the replug the module has been power-cycled (it sends 0x55 if enabled).

Baud rate. A pty carries no real baud rate, but it does remember the speed the host set with
``tcsetattr``. With ``check_baud=True`` (default) a :class:`PtyServer` compares that speed with
the module's baud in effect; when both are known and differ, the module cannot understand the
host: its bytes are ignored and the host receives line garbage instead, as on a real wire.
Non-standard speeds (custom divisors) cannot be read back and are assumed to match. TCP carries
no speed at all, so both servers also take ``wire_baud_mismatch=True`` (settable at run time)
to force that behaviour.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import random
import select
import socket
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Self

from kiosk.sim.core import VirtualR307

if sys.platform != "win32":  # pseudo-terminals are POSIX-only; TcpServer works everywhere
    import termios
    import tty

log = logging.getLogger(__name__)

_POLL_S = 0.05
_GARBAGE = bytes((0x00, 0x80, 0xF8, 0xFE, 0xE0, 0xFC, 0xC0, 0x1E))


def _speed_table() -> dict[int, int]:
    table: dict[int, int] = {}
    if sys.platform == "win32":
        return table
    for rate in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400):
        const = getattr(termios, f"B{rate}", None)
        if isinstance(const, int):
            table[const] = rate
    return table


_SPEEDS = _speed_table()


class _Server:
    """Shared serving loop: one background thread per "plugged-in" period."""

    def __init__(self, sim: VirtualR307, *, wire_baud_mismatch: bool = False) -> None:
        self.sim = sim
        self.wire_baud_mismatch = wire_baud_mismatch
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._noise = random.Random(0x5EED)
        #: Chance that a reply has one byte flipped on the way (a noisy cable; tests).
        self.reply_noise = 0.0
        self.replies_corrupted = 0
        self._closed = False
        self.bytes_in = 0
        self.bytes_out = 0

    # Subclass hooks ----------------------------------------------------------------------

    def _open(self) -> None:
        raise NotImplementedError

    def _close_transport(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        raise NotImplementedError

    def _host_baud_mismatch(self) -> bool:
        return False

    # Lifecycle ---------------------------------------------------------------------------

    def _start(self) -> None:
        self._stop = threading.Event()
        self._open()
        self._thread = threading.Thread(target=self._run_guarded, name=self._name(), daemon=True)
        self._thread.start()

    def _name(self) -> str:
        return f"sim-{type(self).__name__}"

    def _run_guarded(self) -> None:
        try:
            self._run()
        except Exception:  # a server thread must never die silently
            log.exception("simulator server thread failed")

    def _halt(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)
        self._thread = None
        self._close_transport()

    def unplug(self) -> None:
        """Pull the cable: the host's reads and writes start failing."""
        self._halt()

    def replug(self) -> None:
        """Plug back in: a fresh connection to a freshly powered-on module."""
        if self._closed:
            raise RuntimeError("server is closed")
        self._halt()
        self.sim.power_cycle()
        self._start()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._halt()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Byte handling -----------------------------------------------------------------------

    def _respond(self, data: bytes) -> bytes:
        """What goes back to the host for ``data`` (garbage when the speeds differ)."""
        self.bytes_in += len(data)
        if self.wire_baud_mismatch or self._host_baud_mismatch():
            n = max(1, len(data) // 2)
            return bytes(self._noise.choice(_GARBAGE) for _ in range(n))
        delay = self.sim.wire_time(len(data))
        if delay and self._stop.wait(delay):
            return b""
        out = self.sim.handle(data)
        if out and self.reply_noise and self._noise.random() < self.reply_noise:
            i = self._noise.randrange(len(out))
            out = out[:i] + bytes((out[i] ^ (1 << self._noise.randrange(8)),)) + out[i + 1:]
            self.replies_corrupted += 1
        return out


class PtyServer(_Server):
    """Serve the sim on a pseudo-terminal; ``port`` is the path a host opens.

    ``link``: a symlink kept pointing at the current pty, so the path survives replugs (the
    pty itself gets a new name each time, like a USB adapter re-enumerating).
    """

    def __init__(
        self,
        sim: VirtualR307,
        link: Path | None = None,
        *,
        check_baud: bool = True,
        wire_baud_mismatch: bool = False,
    ) -> None:
        if sys.platform == "win32":
            raise OSError("Windows has no pseudo-terminals; use TcpServer (socket://) instead.")
        super().__init__(sim, wire_baud_mismatch=wire_baud_mismatch)
        self.link = link
        self.check_baud = check_baud
        self._master = -1
        self._slave = -1
        self._slave_path = ""
        self._start()

    @property
    def port(self) -> str:
        return str(self.link) if self.link is not None else self._slave_path

    @property
    def device(self) -> str:
        """The real pty path (changes on every replug)."""
        return self._slave_path

    def _open(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        attrs = termios.tcgetattr(slave)
        speed = next((c for c, r in _SPEEDS.items() if r == self.sim.baud), None)
        if speed is not None:
            attrs[4] = attrs[5] = speed
            termios.tcsetattr(slave, termios.TCSANOW, attrs)
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self._slave_path = os.ttyname(slave)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".tmp")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self._slave_path)
            os.replace(tmp, self.link)

    def _close_transport(self) -> None:
        # The master goes first: that is what makes the host's fd report a hang-up.
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1
        if self.link is not None:
            with contextlib.suppress(FileNotFoundError):
                if self.link.is_symlink():
                    self.link.unlink()

    def _host_baud_mismatch(self) -> bool:
        if not self.check_baud or self._slave < 0:
            return False
        try:
            ispeed = termios.tcgetattr(self._slave)[4]
        except termios.error:
            return False
        rate = _SPEEDS.get(ispeed) if isinstance(ispeed, int) else None
        return rate is not None and rate != self.sim.baud

    def _write(self, fd: int, data: bytes) -> bool:
        """Write everything, paced at the baud rate in real timing; False once unplugged."""
        view = memoryview(data)
        while view:
            if self._stop.is_set():
                return False
            _, w, _ = select.select([], [fd], [], _POLL_S)
            if not w:
                continue
            chunk = view[:256]
            try:
                n = os.write(fd, chunk)
            except BlockingIOError:
                continue
            except OSError:
                return False
            self.bytes_out += n
            view = view[n:]
            delay = self.sim.wire_time(n)
            if delay and self._stop.wait(delay):
                return False
        return True

    def _run(self) -> None:
        fd = self._master
        while not self._stop.is_set():
            pending = self.sim.take_output()
            if pending and not self._write(fd, pending):
                return
            r, _, _ = select.select([fd], [], [], _POLL_S)
            if not r:
                continue
            try:
                data = os.read(fd, 4096)
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno == errno.EIO:  # no slave open right now; keep waiting
                    self._stop.wait(_POLL_S)
                    continue
                return
            if not data:
                continue
            reply = self._respond(data)
            if reply and not self._write(fd, reply):
                return


class TcpServer(_Server):
    """Serve the sim on TCP for ``socket://`` URLs (Windows has no pty).

    One host at a time; a new connection replaces the old one. ``unplug()`` drops the client
    and stops listening; ``replug()`` listens again on the same port.
    """

    def __init__(
        self,
        sim: VirtualR307,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        wire_baud_mismatch: bool = False,
    ) -> None:
        super().__init__(sim, wire_baud_mismatch=wire_baud_mismatch)
        self.host = host
        self._port = port
        self._listener: socket.socket | None = None
        self._client: socket.socket | None = None
        self._start()

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"socket://{self.host}:{self._port}"

    def _open(self) -> None:
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((self.host, self._port))
        ls.listen(1)
        self._port = ls.getsockname()[1]
        self._listener = ls

    def _close_transport(self) -> None:
        for s in (self._client, self._listener):
            if s is not None:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    s.close()
        self._client = self._listener = None

    def _send(self, sock: socket.socket, data: bytes) -> bool:
        view = memoryview(data)
        while view:
            if self._stop.is_set():
                return False
            chunk = view[:256]
            try:
                sock.sendall(chunk)
            except OSError:
                return False
            self.bytes_out += len(chunk)
            view = view[len(chunk) :]
            delay = self.sim.wire_time(len(chunk))
            if delay and self._stop.wait(delay):
                return False
        return True

    def _run(self) -> None:
        ls = self._listener
        assert ls is not None
        while not self._stop.is_set():
            watch: list[socket.socket] = [ls]
            if self._client is not None:
                watch.append(self._client)
            try:
                r, _, _ = select.select(watch, [], [], _POLL_S)
            except (OSError, ValueError):
                return
            client = self._client
            if ls in r:
                try:
                    new, _ = ls.accept()
                except OSError:
                    return
                new.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if client is not None:
                    with contextlib.suppress(OSError):
                        client.close()
                self._client = client = new
            if client is None:
                continue
            pending = self.sim.take_output()
            if pending and not self._send(client, pending):
                self._drop_client()
                continue
            if client not in r:
                continue
            try:
                data = client.recv(4096)
            except OSError:
                data = b""
            if not data:
                self._drop_client()
                continue
            reply = self._respond(data)
            if reply and not self._send(client, reply):
                self._drop_client()

    def _drop_client(self) -> None:
        if self._client is not None:
            with contextlib.suppress(OSError):
                self._client.close()
            self._client = None
