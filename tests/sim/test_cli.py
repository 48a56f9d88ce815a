"""``kiosk-sim`` as a separate process: first line is the address, stdin drives the person."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from kiosk.sensor.packet import PID, encode
from tests.sim.rawclient import RawClient


def _command() -> list[str]:
    script = Path(sys.executable).with_name("kiosk-sim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kiosk.sim.cli"]


class Proc:
    """A running kiosk-sim with a line reader that never blocks the test past a deadline."""

    def __init__(self, *args: str) -> None:
        self.p = subprocess.Popen(
            [*_command(), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.p.stdout is not None
        for line in self.p.stdout:
            self.lines.put(line.rstrip("\n"))

    def line(self, deadline_s: float = 10.0) -> str:
        return self.lines.get(timeout=deadline_s)

    def send(self, text: str) -> str:
        assert self.p.stdin is not None
        self.p.stdin.write(text + "\n")
        self.p.stdin.flush()
        return self.line()

    def stop(self) -> int:
        if self.p.poll() is None:
            self.p.terminate()
        return self.p.wait(timeout=10)


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    running: list[Proc] = []
    yield running
    for pr in running:
        pr.stop()


def wait_code(host: RawClient, payload: bytes, want: int, deadline_s: float = 5.0) -> None:
    end = time.monotonic() + deadline_s
    while True:
        code = host.cmd(payload).code
        if code == want:
            return
        assert time.monotonic() < end, f"never got 0x{want:02X} from {payload.hex()}"


def test_pty_auto_enrollment_unattended(procs: list[Proc]) -> None:
    pr = Proc("--pty", "--auto", "alice:right-index", "--seed", "1")
    procs.append(pr)
    port = pr.line()
    assert port.startswith("/dev/")
    host = RawClient(port)
    try:
        for buf in (1, 2):
            wait_code(host, b"\x01", 0x02)  # wait for the finger to be removed…
            wait_code(host, b"\x01", 0x00)  # …then placed again
            assert host.cmd(bytes((0x02, buf))).code == 0x00
        assert host.cmd(b"\x05").code == 0x00
        assert host.cmd(b"\x06\x01\x00\x00").code == 0x00
        st = json.loads(pr.send("status"))
        assert st["templates"] == 1 and st["auto"] == "alice:right-index"
        assert pr.send("fail 0x03") == "ok"
        assert host.cmd(b"\x01").code == 0x03
        assert pr.send("auto off") == "ok"
        assert pr.send("place bob:left-thumb") == "ok"
        assert host.cmd(b"\x01").code == 0x00 and host.cmd(b"\x02\x01").code == 0x00
        pkt = host.cmd(b"\x04\x01\x00\x00\x03\xe8")
        assert pkt.payload == b"\x09\x00\x00\x00\x00"
        assert pr.send("lift") == "ok"
        assert host.cmd(b"\x01").code == 0x02
        assert pr.send("bogus").startswith("error:")
    finally:
        host.close()
    assert pr.p.stdin is not None
    pr.p.stdin.write("quit\n")
    pr.p.stdin.flush()
    assert pr.p.wait(timeout=10) == 0


def test_listen_tcp_and_options(procs: list[Proc]) -> None:
    pr = Proc(
        "--listen", "127.0.0.1:0", "--capacity", "200", "--packet-size", "256",
        "--template-size", "768", "--security-level", "4", "--password", "0x1234",
        "--trace", "--no-startup-byte",
    )  # fmt: skip
    procs.append(pr)
    url = pr.line()
    assert url.startswith("socket://127.0.0.1:")
    port = serial.serial_for_url(url, timeout=0.05)
    try:

        def ask(payload: bytes) -> bytes:
            port.write(encode(0xFFFFFFFF, PID.COMMAND, payload))
            got = b""
            end = time.monotonic() + 5
            while time.monotonic() < end:
                got += port.read(64)
                if len(got) >= 9 and len(got) >= 9 + int.from_bytes(got[7:9], "big"):
                    return bytes(got[9:-2])
            raise AssertionError("no reply")

        assert ask(b"\x0f") == b"\x21"
        assert ask(b"\x13\x00\x00\x12\x34") == b"\x00"
        sys_para = ask(b"\x0f")
        assert sys_para[5:9] == b"\x00\xc8\x00\x04" and sys_para[13:17] == b"\x00\x03\x00\x06"
    finally:
        port.close()
    assert pr.stop() == 0
    assert pr.p.stderr is not None
    assert "rx EF01 FFFFFFFF 01" in pr.p.stderr.read()


def test_eof_without_auto_quits() -> None:
    p = subprocess.run(
        [*_command(), "--pty"],
        check=False,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert p.returncode == 0 and p.stdout.startswith("/dev/")
