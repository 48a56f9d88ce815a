"""``kiosk-sim``: run the virtual R307 on a pty or a TCP port, driven from standard input.

The first line of standard output is the address to open (the pty path, or
``socket://HOST:PORT``), printed and flushed before anything else, so a script can read it and
connect. Standard input then takes one command a line:

    place FINGER     put FINGER (any label, e.g. alice:right-index) on the glass
    lift             take it off
    status           print the module state as one JSON line
    fail CODE [N]    make the next N commands that can produce CODE fail with it (hex or dec)
    auto FINGER|off  start/stop the cooperative person
    powercycle       switch the module off and on (sends 0x55 if enabled)
    unplug / replug  pull / reinsert the cable
    quit             stop serving

End of input: with ``--auto`` the simulator keeps serving (until SIGINT/SIGTERM), because an
automated person needs no operator; without it, end of input means quit.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TextIO

from kiosk import __version__
from kiosk.sensor.packet import PID, Deframer, hexdump
from kiosk.sim.auto import AutoPerson
from kiosk.sim.core import PACKET_SIZES, TEMPLATE_SIZES, SimConfig, VirtualR307
from kiosk.sim.server import PtyServer, TcpServer

EXIT_OK = 0
EXIT_USAGE = 2


def _int(text: str) -> int:
    return int(text, 0)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kiosk-sim",
        description="Virtual R307 fingerprint module on a pseudo-terminal or a TCP port.",
        epilog="Commands on standard input: place FINGER, lift, status, fail CODE [N], "
        "auto FINGER|off, powercycle, unplug, replug, quit.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--pty", action="store_true", help="serve on a pseudo-terminal (default)")
    where.add_argument("--listen", metavar="HOST:PORT", help="serve on TCP (socket:// URL)")
    p.add_argument("--link", type=Path, help="with --pty: keep a symlink at this path")
    p.add_argument("--auto", metavar="FINGER", help="a cooperative person presenting FINGER")
    p.add_argument("--capacity", type=int, default=1000, help="library slots (default 1000)")
    p.add_argument("--template-size", type=int, choices=TEMPLATE_SIZES, default=512)
    p.add_argument("--packet-size", type=int, choices=PACKET_SIZES, default=128)
    p.add_argument("--security-level", type=int, choices=range(1, 6), default=3)
    p.add_argument("--baud", type=int, default=57600, help="9600 × N, N = 1..12")
    p.add_argument("--password", type=_int, default=0, help="module password (0 = none)")
    p.add_argument("--address", type=_int, default=0xFFFFFFFF, help="module address")
    p.add_argument("--timing", choices=("fast", "real"), default="fast")
    p.add_argument("--failure-rate", type=float, default=0.0, help="random capture failures")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--no-startup-byte", action="store_true", help="no 0x55 at power-on")
    p.add_argument("--trace", action="store_true", help="hex trace of frames on stderr")
    return p


def _config(args: argparse.Namespace) -> SimConfig:
    if args.baud % 9600 or not 1 <= args.baud // 9600 <= 12:
        raise ValueError(f"--baud {args.baud}: use 9600 × N with N from 1 to 12")
    return SimConfig(
        capacity=args.capacity,
        security_level=args.security_level,
        packet_size_code=PACKET_SIZES.index(args.packet_size),
        baud_n=args.baud // 9600,
        address=args.address,
        password=args.password,
        template_size=args.template_size,
        timing=args.timing,
        startup_byte=not args.no_startup_byte,
        failure_rate=args.failure_rate,
        seed=args.seed,
    )


def _tracer(stream: TextIO) -> Callable[[str, bytes], None]:
    """Frame trace for ``--trace``; data-packet payloads are never printed (templates)."""
    lock = threading.Lock()

    def trace(direction: str, frame: bytes) -> None:
        d = Deframer(address=None)
        d.feed(frame)
        pkt = d.next()
        if pkt is not None and pkt.pid in (PID.DATA, PID.END):
            text = f"{pkt.address:08X} {pkt.pid.name} <{len(pkt.payload)} data bytes>"
        else:
            text = hexdump(frame)
        with lock:
            print(f"{direction} {text}", file=stream, flush=True)

    return trace


class _Session:
    """The running simulator plus what the stdin commands act on."""

    def __init__(self, sim: VirtualR307, server: PtyServer | TcpServer) -> None:
        self.sim = sim
        self.server = server
        self.auto: AutoPerson | None = None

    def set_auto(self, finger: str | None) -> None:
        if self.auto is not None:
            self.auto.uninstall()
            self.auto = None
        if finger:
            self.auto = AutoPerson(self.sim, finger).install()

    def command(self, line: str, out: TextIO) -> bool:
        """Run one stdin command; False means quit."""
        words = line.split()
        if not words:
            return True
        cmd, rest = words[0].lower(), words[1:]
        try:
            if cmd in {"quit", "exit"}:
                return False
            if cmd == "place" and len(rest) == 1:
                self.sim.place(rest[0])
            elif cmd == "lift" and not rest:
                self.sim.lift()
            elif cmd == "status" and not rest:
                st = self.sim.status()
                st["auto"] = self.auto.finger if self.auto else None
                print(json.dumps(st), file=out, flush=True)
                return True
            elif cmd == "fail" and 1 <= len(rest) <= 2:
                self.sim.fail_next(
                    int(rest[0], 16 if rest[0].lower().startswith("0x") else 0),
                    int(rest[1]) if len(rest) == 2 else 1,
                )
            elif cmd == "auto" and len(rest) == 1:
                self.set_auto(None if rest[0].lower() == "off" else rest[0])
            elif cmd == "powercycle" and not rest:
                self.sim.power_cycle()
            elif cmd == "unplug" and not rest:
                self.server.unplug()
            elif cmd == "replug" and not rest:
                self.server.replug()
            else:
                print(f"error: unknown command {line.strip()!r}", file=out, flush=True)
                return True
        except ValueError as exc:
            print(f"error: {exc}", file=out, flush=True)
            return True
        print("ok", file=out, flush=True)
        return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = _config(args)
    except ValueError as exc:
        parser.error(str(exc))
    sim = VirtualR307(config)
    if args.trace:
        sim.trace = _tracer(sys.stderr)
    server: PtyServer | TcpServer
    if args.listen:
        host, _, port = args.listen.rpartition(":")
        if not host or not port.isdigit():
            parser.error("--listen takes HOST:PORT, e.g. 127.0.0.1:5555")
        server = TcpServer(sim, host, int(port))
        where = server.url
    else:
        server = PtyServer(sim, link=args.link)
        where = server.port
    print(where, flush=True)
    session = _Session(sim, server)
    session.set_auto(args.auto)

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()
        raise SystemExit(EXIT_OK)

    signal.signal(signal.SIGTERM, on_signal)
    try:
        for line in sys.stdin:
            if not session.command(line, sys.stdout):
                return EXIT_OK
        if args.auto:
            stop.wait()
        return EXIT_OK
    except (KeyboardInterrupt, SystemExit):
        return EXIT_OK
    finally:
        server.close()


if __name__ == "__main__":
    sys.exit(main())
