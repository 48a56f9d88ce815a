"""``kiosk sensor info`` / ``list`` against the virtual sensor, dead ports and wrong settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from tests.sensor.conftest import SimFactory


def run(tmp_path: Path, *argv: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *argv])


def test_info_prints_parameters(
    sim_pty: SimFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, server = sim_pty(capacity=300, security_level=4, packet_size_code=3)
    assert run(tmp_path, "sensor", "info", "--port", server.port) == 0
    out = capsys.readouterr().out
    for fragment in ("capacity        300", "security level  4", "packet size     256",
                     "baud            57600", "0xFFFFFFFF", "0 stored"):
        assert fragment in out, out
    # The trace file is written by default (sensor.trace = true) and holds frames.
    trace = (tmp_path / "data" / "logs" / "serial-trace.log").read_text()
    assert " TX EF01 FFFFFFFF 01 0007 13 " in trace


def test_info_json(sim_pty: SimFactory, tmp_path: Path,
                   capsys: pytest.CaptureFixture[str]) -> None:
    _, server = sim_pty()
    assert run(tmp_path, "--json", "sensor", "info", "--port", server.port) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["problem"] == "ok"
    assert data["parameters"]["capacity"] == 1000 and data["templates"] == 0


@pytest.fixture
def silent_pty() -> Iterator[str]:
    master, slave = os.openpty()
    yield os.ttyname(slave)
    os.close(master)
    os.close(slave)


@pytest.mark.parametrize(
    ("port_kind", "problem", "fragment"),
    [
        ("missing", "port-missing", "There is no port"),
        ("silent", "no-answer", "Nothing answers"),
    ],
)
def test_info_diagnoses_dead_ports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], silent_pty: str,
    port_kind: str, problem: str, fragment: str,
) -> None:
    port = str(tmp_path / "ttyNOPE") if port_kind == "missing" else silent_pty
    assert run(tmp_path, "sensor", "info", "--port", port, "--no-scan") == 1
    assert fragment in capsys.readouterr().err
    assert run(tmp_path, "--json", "sensor", "info", "--port", port, "--no-scan") == 1
    assert json.loads(capsys.readouterr().out)["problem"] == problem


def test_info_diagnoses_wrong_baud(
    sim_pty: SimFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, server = sim_pty(baud_n=12)
    assert run(tmp_path, "--json", "sensor", "info", "--port", server.port) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["problem"] == "wrong-baud" and data["baud"] == 115200
    assert "sensor.baud = 115200" in data["message"]
    assert data["parameters"]["baud"] == 115200  # parameters still shown


def test_info_diagnoses_wrong_password(
    sim_pty: SimFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, server = sim_pty(password=99)
    assert run(tmp_path, "sensor", "info", "--port", server.port) == 1
    assert "refuses the password" in capsys.readouterr().err
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "config.toml").write_text("[sensor]\npassword = 99\n")
    assert run(tmp_path, "sensor", "info", "--port", server.port) == 0


def test_info_port_busy(
    sim_pty: SimFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.sensor.transport import SerialTransport

    _, server = sim_pty()
    holder = SerialTransport(server.port)  # exclusive open by "another program"
    try:
        assert run(tmp_path, "--json", "sensor", "info", "--port", server.port) == 1
        assert json.loads(capsys.readouterr().out)["problem"] == "port-busy"
    finally:
        holder.close()


def test_info_as_a_real_process(sim_pty: SimFactory, tmp_path: Path) -> None:
    _, server = sim_pty()
    code = "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))"
    base = [sys.executable, "-c", code, "--data-dir", str(tmp_path / "d"), "sensor", "info"]
    ok = subprocess.run([*base, "--port", server.port], capture_output=True, text=True,
                        timeout=60, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "capacity        1000" in ok.stdout
    bad = subprocess.run([*base, "--port", str(tmp_path / "gone"), "--no-scan"],
                         capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 1 and "There is no port" in bad.stderr


def test_list_without_adapters(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    from serial.tools import list_ports

    monkeypatch.setattr(list_ports, "comports", lambda: [])
    assert run(tmp_path, "--json", "sensor", "list") == 1
    assert json.loads(capsys.readouterr().out) == {"ok": False, "ports": []}
    assert run(tmp_path, "--json", "--config", str(tmp_path / "c.toml"), "sensor", "info",
               "--port", "auto") == 1
    assert json.loads(capsys.readouterr().out)["problem"] == "no-port"


def test_list_probes_known_adapters(
    sim_pty: SimFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from serial.tools import list_ports
    from serial.tools.list_ports_common import ListPortInfo

    _, server = sim_pty()
    info = ListPortInfo(server.port, skip_link_detection=True)
    info.vid, info.pid, info.description = 0x1A86, 0x7523, "USB Serial"
    other = ListPortInfo("/dev/ttyS99", skip_link_detection=True)
    monkeypatch.setattr(list_ports, "comports", lambda: [info, other])
    assert run(tmp_path, "--json", "sensor", "list") == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["device"] for p in data["ports"]] == [server.port]  # unknown adapter skipped
    assert data["ports"][0]["adapter"] == "WCH CH340"
    assert data["ports"][0]["probe"]["parameters"]["capacity"] == 1000
    assert run(tmp_path, "--json", "sensor", "info", "--port", "auto") == 0
