"""Helpers for the provisioning tests: central's key folder, issuing files, running the CLIs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main as kiosk_main
from kiosk_central.cli import main as central_main
from tests.fixtures.broker import MosquittoBroker

REPO = Path(__file__).resolve().parents[2]


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str],
            entry: Callable[[list[str]], int] = kiosk_main) -> tuple[int, dict[str, Any], str]:
    """Run a CLI in-process with --json; (exit code, parsed stdout, stderr)."""
    rc = entry([*argv, "--json"])
    cap = capsys.readouterr()
    return rc, (json.loads(cap.out) if cap.out.strip() else {}), cap.err


def run_sub(module: str, *argv: str, timeout: float = 60,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *argv], capture_output=True, text=True,
                          timeout=timeout, check=False, cwd=REPO,
                          env={**os.environ, **(env or {})})


@dataclass
class Central:
    """A central key folder (sealing + signing key, registry) in ``tmp_path``."""

    root: Path
    capsys: pytest.CaptureFixture[str]

    @property
    def key_file(self) -> Path:
        return self.root / "central.key"

    def keygen(self) -> dict[str, Any]:
        self.root.mkdir(parents=True, exist_ok=True)
        rc, out, err = run_cli(["keygen", "--out", str(self.key_file)], self.capsys,
                               central_main)
        assert rc == 0, err
        return out

    def provision(self, station: str, *extra: str, expect: int = 0) -> dict[str, Any]:
        rc, out, err = run_cli(
            ["provision", station, "--key-file", str(self.key_file),
             "--out", str(self.root / f"{station}.SECRET.kioskprov"), *extra],
            self.capsys, central_main)
        assert rc == expect, (out, err)
        return out

    def revoke(self, station: str, *extra: str) -> dict[str, Any]:
        rc, out, err = run_cli(["provision", "--revoke", station, "--key-file",
                                str(self.key_file), *extra], self.capsys, central_main)
        assert rc == 0, (out, err)
        return out


@pytest.fixture
def central(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Central:
    c = Central(tmp_path / "central", capsys)
    c.keygen()
    return c


def snapshot(data_dir: Path) -> dict[str, bytes]:
    """Every file of the data folder except the database, logs and backups, byte for byte."""
    out: dict[str, bytes] = {}
    if data_dir.exists():
        for f in sorted(data_dir.rglob("*")):
            rel = f.relative_to(data_dir).as_posix()
            if f.is_file() and not rel.startswith(("logs/", "backups/", "kiosk.sqlite3")):
                out[rel] = f.read_bytes()
    return out


def password_in(file: Path) -> str:
    return str(json.loads(file.read_text())["payload"]["password"])


def broker_pid(broker: MosquittoBroker) -> str:
    assert broker.proc is not None, "broker not started"
    return str(broker.proc.pid)
