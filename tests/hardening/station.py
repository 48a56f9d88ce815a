"""The station as separate OS processes, for the suites that kill it.

* :class:`SimProcess` — ``kiosk-sim --pty``: the virtual sensor in a process of its own, so
  its library outlives every station process the suites kill.
* :func:`start_kiosk` / :class:`KioskRun` — ``kiosk …`` (command line or GUI) with stdout and
  stderr in files, so a SIGKILL loses nothing of what the process wrote.
* :class:`StationFiles` — the data folder and what a suite reads back from it with plain
  ``sqlite3`` (integrity, templates, slots, outbox): no product code between the test and
  the file.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kiosk.config import Config, EnrollmentPolicy, SensorConfig, StationConfig, SyncConfig
from kiosk.config import save_config as _save_config
from kiosk.sensor.driver import R307
from tests.hardening.conftest import Counts

REPO = Path(__file__).resolve().parents[2]


def _entry(name: str, module: str) -> list[str]:
    exe = Path(sys.executable).with_name(name)
    return [str(exe)] if exe.exists() else [sys.executable, "-m", module]


class SimProcess:
    """``kiosk-sim --pty --link LINK``, driven through its standard input."""

    def __init__(self, workdir: Path, *, seed: int = 1, extra: tuple[str, ...] = ()) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.link = workdir / "ttySIM"
        self.err_file = workdir / "kiosk-sim.err"
        self._err: IO[bytes] = self.err_file.open("wb")
        self.proc = subprocess.Popen(
            [*_entry("kiosk-sim", "kiosk.sim.cli"), "--pty", "--link", str(self.link),
             "--seed", str(seed), *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err, text=True,
            bufsize=1, cwd=REPO,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._reader, daemon=True).start()
        self.port = self._line(20)

    def _reader(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))

    def _line(self, timeout: float) -> str:
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"kiosk-sim said nothing for {timeout} s: "
                                 f"{self.stderr()[-2000:]}") from None

    def command(self, line: str, timeout: float = 20) -> str:
        assert self.proc.stdin is not None and self.proc.poll() is None, self.stderr()
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self._line(timeout)

    def auto(self, finger: str | None) -> None:
        assert self.command(f"auto {finger or 'off'}") == "ok"

    def status(self) -> dict[str, Any]:
        out: dict[str, Any] = json.loads(self.command("status"))
        return out

    def stderr(self) -> str:
        if not self._err.closed:
            self._err.flush()
        return self.err_file.read_text(errors="replace")

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(AssertionError, OSError):
                self.command("quit", timeout=5)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._err.close()


@dataclass
class KioskRun:
    """One ``kiosk`` process; its output lands in files next to the data folder."""

    name: str
    proc: subprocess.Popen[bytes]
    out_file: Path
    err_file: Path
    killed: bool = False
    started: float = field(default_factory=time.monotonic)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL, unless it already ended."""
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.killed = True
            except ProcessLookupError:
                pass
        self.proc.wait(30)
        self.killed = self.killed and self.proc.returncode == -signal.SIGKILL

    def wait(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"{self.name} did not finish in {timeout} s; stderr: "
                                 f"{self.stderr()[-2000:]}") from None

    def stdout(self) -> str:
        return self.out_file.read_text(errors="replace") if self.out_file.exists() else ""

    def stderr(self) -> str:
        return self.err_file.read_text(errors="replace") if self.err_file.exists() else ""

    def json(self) -> Any:
        """The ``--json`` document the command printed (None if it printed none)."""
        text = self.stdout().strip()
        start = text.find("{")
        if start < 0:
            return None
        try:
            return json.loads(text[start:])
        except json.JSONDecodeError:
            return None


_RUNS = itertools.count(1)


def kiosk_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "KIOSK_KEYSTORE": "file", "QT_QPA_PLATFORM": "offscreen",
           "PYTHONUNBUFFERED": "1", **extra}
    env.pop("KIOSK_DATA_DIR", None)
    return env


def start_kiosk(data_dir: Path, *args: str, env: dict[str, str] | None = None,
                name: str = "kiosk") -> KioskRun:
    """``kiosk --data-dir DATA_DIR ARGS…`` (no ARGS: the desk GUI)."""
    n = next(_RUNS)
    logs = data_dir.parent / "runs"
    logs.mkdir(parents=True, exist_ok=True)
    out_file = logs / f"{n:05d}-{name}.out"
    err_file = logs / f"{n:05d}-{name}.err"
    with out_file.open("wb") as out, err_file.open("wb") as err:
        proc = subprocess.Popen(
            [*_entry("kiosk", "kiosk"), "--data-dir", str(data_dir), *args],
            stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env or kiosk_env(),
            cwd=REPO,
        )
    return KioskRun(name, proc, out_file, err_file)


def run_kiosk(data_dir: Path, *args: str, timeout: float = 120,
              env: dict[str, str] | None = None, name: str = "kiosk") -> KioskRun:
    run = start_kiosk(data_dir, *args, env=env, name=name)
    run.wait(timeout)
    return run


def save_config(path: Path, *, station_id: str = "station-01", port: str = "auto",
                broker_url: str = "", central_key: str = "", ack_timeout_s: float = 3.0,
                idle_timeout_s: float = 15.0, trace: bool = True) -> Config:
    cfg = Config(
        station=StationConfig(id=station_id),
        sensor=SensorConfig(port=port, trace=trace),
        sync=SyncConfig(broker_url=broker_url, central_public_key=central_key,
                        ack_timeout_s=ack_timeout_s, keepalive_s=5),
        enrollment=EnrollmentPolicy(idle_timeout_s=idle_timeout_s),
    )
    _save_config(cfg, path)
    return cfg


class StationFiles:
    """A station's data folder, read back with plain sqlite3."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    @property
    def database(self) -> Path:
        return self.root / "kiosk.sqlite3"

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(self.database, timeout=30)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def integrity(self) -> str:
        rows = self._query("PRAGMA integrity_check")
        return "; ".join(str(r[0]) for r in rows)

    def templates(self) -> dict[str, tuple[str, str, int | None]]:
        """uuid -> (person, finger code, slot)."""
        rows = self._query(
            "SELECT t.uuid, p.external_id, t.finger, t.sensor_slot FROM templates t "
            "JOIN people p ON p.id = t.person_id")
        return {str(u): (str(p), str(f), s) for u, p, f, s in rows}

    def template_slots(self) -> set[int]:
        return {int(s) for _p, _f, s in self.templates().values() if s is not None}

    def slot_releases(self) -> set[int]:
        return {int(r[0]) for r in self._query("SELECT slot FROM slot_releases")}

    def outbox(self) -> dict[str, int]:
        return {str(s): int(n) for s, n in
                self._query("SELECT state, count(*) FROM outbox GROUP BY state")}

    def outbox_waiting(self) -> int:
        o = self.outbox()
        return o.get("pending", 0) + o.get("sent", 0)

    def revision(self) -> str | None:
        rows = self._query("SELECT version_num FROM alembic_version")
        return str(rows[0][0]) if rows else None


def sensor_slots(port: str) -> set[int]:
    """The sensor's used slots, read by the test's own driver (no station in between)."""
    deadline = time.monotonic() + 20
    while True:
        try:
            drv = R307.open(port)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
            continue
        try:
            return drv.index_table()
        finally:
            drv.close()


def central_rows(db_file: Path) -> dict[str, list[str]]:
    """Central's template, consent-given and attempt uuids (duplicates kept, to count them)."""
    conn = sqlite3.connect(db_file, timeout=30)
    try:
        return {
            "templates": [r[0] for r in conn.execute("SELECT uuid FROM templates")],
            "consents": [r[0] for r in conn.execute(
                "SELECT uuid FROM consents WHERE event = 'given'")],
            "attempts": [r[0] for r in conn.execute("SELECT uuid FROM attempts")],
        }
    finally:
        conn.close()


def station_rows(db_file: Path) -> dict[str, list[str]]:
    """The station's template, consent and attempt uuids: what central must hold once."""
    conn = sqlite3.connect(db_file, timeout=30)
    try:
        return {
            "templates": [r[0] for r in conn.execute("SELECT uuid FROM templates")],
            "consents": [r[0] for r in conn.execute("SELECT uuid FROM consents")],
            "attempts": [r[0] for r in conn.execute("SELECT uuid FROM enrollment_attempts")],
        }
    finally:
        conn.close()


def tally_exactly_once(counts: Counts, station: dict[str, list[str]],
                       central: dict[str, list[str]]) -> None:
    """Lost: a station event central does not hold; duplicated: one it holds twice, or one
    the station never sent."""
    for kind, uuids in station.items():
        at_central = central[kind]
        counts.checked += len(uuids)
        counts.lost += len(set(uuids) - set(at_central))
        counts.duplicated += len(at_central) - len(set(at_central))
        counts.duplicated += len(set(at_central) - set(uuids))
