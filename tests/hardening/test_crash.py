"""Crash suite: SIGKILL of ``kiosk enroll``, ``kiosk sync`` and the desk GUI, at random points
and in the named windows (sensor Store → database commit, publish → central's ack, the
schema migration).

The virtual sensor is a ``kiosk-sim`` process of its own, reached through a pty proxy
(tests/hardening/serialproxy.py), so its library outlives every killed station process; the
broker is a real Mosquitto and central the real ingest. After every kill:

* ``PRAGMA integrity_check`` is ok;
* every enrollment the program reported as completed is in the database;
* after a start-up (``kiosk sensor reconcile``) the sensor holds exactly the database's
  templates, read back by the test's own driver, and nothing waits to be cleared;
* no traceback on any process's stderr.

At the end one ``kiosk sync`` drains everything: the outbox is empty and central holds exactly
one row per station template.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kiosk.sensor.codes import Instruction as I
from kiosk.store import PersonIn, Store
from kiosk.store import engine as eng
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.hardening.conftest import Counts, pick, timeout
from tests.hardening.serialproxy import SerialProxy
from tests.hardening.station import (
    KioskRun,
    SimProcess,
    StationFiles,
    kiosk_env,
    run_kiosk,
    save_config,
    sensor_slots,
    start_kiosk,
)

pytestmark = [pytest.mark.hardening, pytest.mark.slow]

STATION = "station-01"
PEOPLE = 1000


class AckHold:
    """Makes central hold its acks after a commit (the publish → ack window), on demand."""

    def __init__(self, ingest: Ingest) -> None:
        self.armed = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()
        ingest.after_commit = self._after_commit

    def _after_commit(self, _uuid: str) -> None:
        if self.armed.is_set():
            self.armed.clear()
            self.holding.set()
            self.release.wait(120)

    def arm(self) -> None:
        self.release.clear()
        self.holding.clear()
        self.armed.set()

    def let_go(self) -> None:
        self.armed.clear()
        self.release.set()


@dataclass
class CrashRig:
    tmp: Path
    sim: SimProcess
    proxy: SerialProxy
    files: StationFiles
    env: dict[str, str]
    ingest: Ingest
    hold: AckHold
    counts: Counts
    rng: random.Random
    #: template uuid -> person, for every enrollment a process reported as completed
    completed: dict[str, str] = field(default_factory=dict)
    people_used: int = 0
    #: calibration: a clean enrollment's duration and number of sensor commands
    enroll_s: float = 3.0
    enroll_commands: int = 60
    windows: Counter[str] = field(default_factory=Counter)

    # -- the station processes ----------------------------------------------------------------
    def kiosk(self, *args: str, name: str) -> KioskRun:
        return start_kiosk(self.files.root, *args, env=self.env, name=name)

    def _untrap(self) -> None:
        self.proxy.on_command = None
        self.proxy.after_forward = None

    def enroll(self, how: str) -> KioskRun:
        """One ``kiosk enroll`` of a new person; ``how`` says where it is killed."""
        person = f"P-{self.people_used:05d}"
        self.people_used += 1
        # The person before walked away (a kill may have left their finger on the glass).
        assert self.sim.command("lift") == "ok"
        self.sim.auto(f"{person}:right-index")
        run_box: list[KioskRun] = []
        fired = threading.Event()

        def kill_now() -> None:
            if run_box and not fired.is_set():
                fired.set()
                run_box[0].proc.send_signal(signal.SIGKILL)

        start_commands = self.proxy.commands
        seen_store = [False]
        window = self.rng.choice(("store", "up-char", "down-char", "verify"))
        target = start_commands + self.rng.randint(1, max(2, self.enroll_commands))

        def on_command(instr: int) -> bool:
            if not run_box or fired.is_set():
                return True
            if how == "frame" and self.proxy.commands >= target:
                kill_now()
                return False
            if how != "window":
                return True
            if instr == I.STORE:
                seen_store[0] = True
                return True
            if not seen_store[0]:
                return True
            if (window == "up-char" and instr == I.UP_CHAR) or (
                    window == "down-char" and instr == I.DOWN_CHAR) or (
                    window == "verify" and instr == I.MATCH):
                kill_now()
                return False
            return True

        def after_forward(instrs: list[int]) -> None:
            if how == "window" and window == "store" and I.STORE in instrs:
                kill_now()

        self.proxy.on_command = on_command
        self.proxy.after_forward = after_forward
        run = self.kiosk("enroll", "--person", person, "--finger", "right-index",
                         "--consent", "on-screen", "--json", "--connect-timeout", "30",
                         name=f"enroll-{how}")
        run_box.append(run)
        try:
            if how == "time":
                try:
                    run.proc.wait(self.rng.uniform(0.0, self.enroll_s * 1.5))
                except subprocess.TimeoutExpired:
                    kill_now()
            run.wait(90)
        finally:
            self._untrap()
        run.killed = fired.is_set() and run.proc.returncode == -signal.SIGKILL
        if run.killed:
            self.counts.fault(f"kill-enroll-{how}")
            if how == "window":
                self.windows[f"store-commit:{window}"] += 1
        else:
            assert run.proc.returncode == 0, (run.stdout(), run.stderr())
        self._reported(run)
        return run

    def _reported(self, run: KioskRun) -> None:
        doc = run.json()
        if isinstance(doc, dict) and doc.get("ok") and doc.get("template_uuid"):
            self.completed[str(doc["template_uuid"])] = run.name

    def sync(self, how: str) -> KioskRun:
        """``kiosk sync`` (drain and exit), killed at a random time or in the ack window."""
        if how == "ack-window":
            self.hold.arm()
        run = self.kiosk("sync", "--timeout", "60", name=f"sync-{how}")
        try:
            if how == "ack-window":
                wait_until(lambda: self.hold.holding.is_set() or not run.alive(), 60,
                           what="central to commit a batch and hold its ack")
                if self.hold.holding.is_set():
                    run.kill()
                    self.windows["publish-ack"] += 1
            else:
                try:
                    run.proc.wait(self.rng.uniform(0.0, 4.0))
                except subprocess.TimeoutExpired:
                    run.kill()
            run.wait(90)
        finally:
            self.hold.let_go()
        if run.killed:
            self.counts.fault(f"kill-sync-{how}")
        else:
            assert run.proc.returncode == 0, (run.stdout(), run.stderr())
        return run

    def gui(self, simulate: bool) -> KioskRun:
        """The desk GUI (offscreen), killed at a random moment of its start-up or sync."""
        run = self.kiosk(*(["--simulate"] if simulate else []),
                         name="gui-sim" if simulate else "gui")
        try:
            run.proc.wait(self.rng.uniform(0.3, 6.0))
        except subprocess.TimeoutExpired:
            run.kill()
        assert run.killed, f"the GUI ended by itself ({run.proc.returncode}): {run.stderr()}"
        self.counts.fault("kill-gui-simulate" if simulate else "kill-gui")
        return run

    # -- the invariants after every kill -------------------------------------------------------
    def check(self, run: KioskRun) -> None:
        c = self.counts
        c.saw(run.stderr(), run.name)
        assert self.files.integrity() == "ok"
        templates = self.files.templates()
        missing = [u for u in self.completed if u not in templates]
        c.lost += len(missing)
        assert not missing, f"reported completed but not in the database: {missing}"
        per_finger = Counter((p, f) for p, f, _s in templates.values())
        c.duplicated += sum(n - 1 for n in per_finger.values() if n > 1)
        # Start-up: the station connects the sensor and settles what a kill left behind.
        rec = run_kiosk(self.files.root, "sensor", "reconcile", "--json", "--connect-timeout",
                        "30", env=self.env, name="reconcile")
        c.saw(rec.stderr(), rec.name)
        doc = rec.json()
        assert rec.proc.returncode == 0 and doc and doc["agree"], (doc, rec.stderr())
        on_sensor = sensor_slots(self.proxy.port)
        in_db = self.files.template_slots()
        assert on_sensor == in_db, (on_sensor, in_db)
        assert self.files.slot_releases() == set()
        c.checked += len(templates)
        c.iterations += 1


@pytest.fixture
def rig(tmp_path: Path, broker: MosquittoBroker, central_key: KeyPair,
        central_factory: Callable[..., Ingest], counts: Counts) -> Iterator[CrashRig]:
    sim = SimProcess(tmp_path / "sim", seed=7)
    proxy = SerialProxy(sim.port, tmp_path / "ttyKIOSK")
    files = StationFiles(tmp_path / "data")
    save_config(files.config, station_id=STATION, port=proxy.port, broker_url=broker.url,
                central_key=central_key.public_b64, ack_timeout_s=3.0)
    with Store.open(files.database, station_id=STATION) as store:
        store.people.upsert([PersonIn(f"P-{i:05d}", f"Person {i}") for i in range(PEOPLE)],
                            "1")
    ingest = central_factory(require_known_person=False)
    rig = CrashRig(tmp_path, sim, proxy, files,
                   kiosk_env(KIOSK_MQTT_PASSWORD=broker.password(STATION)), ingest,
                   AckHold(ingest), counts, random.Random(12))
    try:
        yield rig
    finally:
        rig.hold.let_go()
        proxy.close()
        sim.close()
        counts.saw(sim.stderr(), "kiosk-sim")


ITERATIONS = pick(9, 200)
#: What each iteration kills, and how often (enrollment windows weigh most).
PLAN: list[tuple[str, int]] = [
    ("enroll-window", 5), ("enroll-frame", 3), ("enroll-time", 3), ("enroll-none", 3),
    ("sync-ack-window", 2), ("sync-time", 2), ("gui", 1), ("gui-simulate", 1),
]


@timeout(300, 7200)
def test_crash(rig: CrashRig, counts: Counts) -> None:
    # Calibrate on one clean enrollment: how long it takes, how many commands it sends.
    t0 = time.monotonic()
    before = rig.proxy.commands
    first = rig.enroll("none")
    rig.enroll_s = time.monotonic() - t0
    rig.enroll_commands = rig.proxy.commands - before
    assert first.json()["ok"], first.stdout()
    rig.check(first)
    kinds = [k for k, w in PLAN for _ in range(w)]
    # The quick run covers every kind once before it draws at random.
    order = [k for k, _ in PLAN] + [rig.rng.choice(kinds) for _ in range(ITERATIONS)]
    for kind in order[:max(ITERATIONS, len(PLAN))]:
        if kind.startswith("enroll-"):
            run = rig.enroll(kind.removeprefix("enroll-"))
        elif kind.startswith("sync-"):
            run = rig.sync(kind.removeprefix("sync-"))
        else:
            run = rig.gui(simulate=kind == "gui-simulate")
        rig.check(run)
    # The final drain: everything reaches central exactly once, the outbox empties.
    final = run_kiosk(rig.files.root, "sync", "--timeout", "180", env=rig.env, name="drain",
                      timeout=240)
    counts.saw(final.stderr(), "final drain")
    assert final.proc.returncode == 0, (final.stdout(), final.stderr())
    assert rig.files.outbox_waiting() == 0, rig.files.outbox()
    assert rig.files.outbox().get("rejected", 0) == 0, rig.files.outbox()
    station = rig.files.templates()
    rows = rig.ingest.db.template_rows()
    central = Counter(r.uuid for r in rows)
    counts.duplicated += sum(n - 1 for n in central.values() if n > 1)
    counts.lost += len(set(station) - set(central))
    counts.checked += len(rows)
    assert set(central) == set(station), (set(station) ^ set(central))
    counts.notes["templates"] = len(station)
    counts.notes["reported completed"] = len(rig.completed)
    counts.notes["windows hit"] = dict(rig.windows)
    counts.assert_clean()
    assert rig.windows["publish-ack"] >= 1
    assert sum(v for k, v in rig.windows.items() if k.startswith("store-commit")) >= 1


# -- the migration window ---------------------------------------------------------------------

OLD_TEMPLATES = 400


def _old_database(path: Path) -> dict[str, bytes]:
    """A database as release 0.1 left it (schema 0001, templates in clear), by plain SQL."""
    eng.migrate(path, "0001")
    rng = random.Random(3)
    conn = sqlite3.connect(path)
    now = "2026-01-05 10:00:00.000000"
    people = [(f"S-{i:04d}", f"Person {i}", now) for i in range(OLD_TEMPLATES)]
    conn.executemany(
        "INSERT INTO people (external_id, display_name, role, group_name, active, "
        "roster_version, updated_at) VALUES (?, ?, 'student', '', 1, 'r1', ?)", people)
    data: dict[str, bytes] = {}
    for i in range(OLD_TEMPLATES):
        uid = f"00000000-0000-4000-8000-{i:012d}"
        data[uid] = rng.randbytes(512)
        conn.execute(
            "INSERT INTO consents (uuid, person_id, notice_version, text_sha256, method, "
            "station_id, at) VALUES (?, ?, '2025-1', 'ab', 'signed-paper', ?, ?)",
            (f"c-{i}", i + 1, STATION, now))
        conn.execute(
            "INSERT INTO templates (uuid, person_id, finger, sensor_slot, template, length, "
            "sensor_model, template_format, sha256, created_at, station_id, sync_state, "
            "shredded) VALUES (?, ?, 2, ?, ?, 512, 'R307', 'r307-char', 'x', ?, ?, 'synced', 0)",
            (uid, i + 1, i, data[uid], now, STATION))
    conn.commit()
    conn.close()
    return data


def _clear_copies(folder: Path, data: dict[str, bytes]) -> list[str]:
    """Files under ``folder`` that hold any of the templates in clear."""
    needles = [t[:64] for t in data.values()]
    hits = []
    for f in folder.rglob("*"):
        if f.is_file():
            blob = f.read_bytes()
            if any(n in blob for n in needles):
                hits.append(f.name)
    return hits


MIGRATIONS = pick(4, 30)


def _kill_point(run: KioskRun, backups: Path, window: str, delay: float) -> None:
    """Wait for the moment to kill a start-up that upgrades: a random one, while the
    pre-upgrade copy is written and sealed (``copy``), or once it is complete and the upgrade's
    own transaction runs (``upgrade``)."""
    if window == "random":
        with contextlib.suppress(subprocess.TimeoutExpired):
            run.proc.wait(delay)
        return

    def reached() -> bool:
        if not backups.is_dir():
            return False
        pattern = "*.part" if window == "copy" else "*-pre-*.sqlite3"
        return any(backups.glob(pattern))

    wait_until(lambda: not run.alive() or reached(), 60, interval=0.005,
               what=f"the {window} window")


@timeout(240, 3600)
def test_crash_migration(tmp_path: Path, counts: Counts) -> None:
    """SIGKILL while ``kiosk db migrate`` or the GUI (``kiosk --simulate``) upgrades a release
    0.1 database: the file is either still the old schema or fully upgraded, every template
    opens to its bytes after the next start, and no copy in clear stays behind."""
    pristine = tmp_path / "pristine.sqlite3"
    data = _old_database(pristine)
    rng = random.Random(5)
    # Calibrate: how long an uninterrupted upgrade takes in a process.
    calib = StationFiles(tmp_path / "calib")
    save_config(calib.config, station_id=STATION)
    shutil.copyfile(pristine, calib.database)
    t0 = time.monotonic()
    run = run_kiosk(calib.root, "db", "migrate", "--json", name="migrate")
    full = time.monotonic() - t0
    assert run.proc.returncode == 0, run.stderr()
    head = eng.head_revision()
    outcomes: Counter[str] = Counter()
    windows = ("random", "copy", "upgrade")
    for i in range(MIGRATIONS):
        files = StationFiles(tmp_path / f"m{i}")
        save_config(files.config, station_id=STATION)
        shutil.copyfile(pristine, files.database)
        gui = i % 2 == 1
        window = windows[i % 3]
        run = start_kiosk(files.root, *(["--simulate"] if gui else ["db", "migrate"]),
                          name="gui-migrate" if gui else "migrate")
        _kill_point(run, files.root / "backups", window, rng.uniform(0.05, full * 1.1))
        run.kill()
        if run.killed:
            counts.fault(f"kill-{'gui-' if gui else ''}migration-{window}")
        counts.saw(run.stderr(), run.name)
        assert files.integrity() == "ok"
        rev = files.revision()
        assert rev in ("0001", head), rev
        outcomes["old schema" if rev == "0001" else "upgraded"] += 1
        # The next start finishes the job; every template opens to its bytes.
        for step in ("migrate", "check"):
            after = run_kiosk(files.root, "db", step, "--json", name=step)
            counts.saw(after.stderr(), after.name)
            assert after.proc.returncode == 0, (after.stdout(), after.stderr())
        with Store.open(files.database, station_id=STATION) as store:
            assert store.maintenance.schema_revision() == head
            for uid, blob in data.items():
                got = store.enrollments.template_bytes(uid)
                if got != blob:
                    counts.lost += 1
                counts.checked += 1
        leftovers = _clear_copies(files.root, data)
        assert leftovers == [], f"templates in clear left behind in {leftovers}"
        counts.iterations += 1
    counts.notes["outcomes"] = dict(outcomes)
    counts.assert_clean()
