"""Full disk: the station's data folder on a small filesystem of its own (a tmpfs mounted for
the test; skipped where mounting is not allowed) that fills up

* mid-enrollment — after the captures, before the template is written — and
* mid-sync — acks from central on their way while the disk is full.

Each time: the desk gets a clear message in clerk words (the enrollment result's wording),
the sync state says what is wrong, no traceback is logged, nothing committed before is lost
(integrity ok, every template byte for byte, sensor = database), and once space is back the
next enrollment works and the outbox drains, exactly once at central.
"""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.app import ConsentMethod, Finger, Station, wording
from kiosk.app.sensor_service import SensorState
from kiosk.config import Config, EnrollmentPolicy, SensorConfig, StationConfig
from kiosk.enrollment.events import Prompt, PromptKind, Result
from kiosk.paths import DataPaths
from kiosk.sim import AutoPerson, PtyServer, SimConfig, VirtualR307
from kiosk.store import PersonIn
from kiosk.sync.worker import SyncWorker
from kiosk_central.ingest import Ingest
from tests.fixtures.broker import wait_until
from tests.hardening.conftest import Counts, pick, timeout
from tests.hardening.station import central_rows, station_rows, tally_exactly_once
from tests.sync.conftest import STATION

pytestmark = [pytest.mark.hardening, pytest.mark.slow]

ROUNDS = pick(2, 12)  # fill → refuse → free → recover, each way
FS_MB = 48  # the station refuses to start below 20 MB free; the ballast takes the rest


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "fs"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem for the data folder needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={FS_MB}m,mode=0700", "tmpfs",
                        str(mount)], check=False, capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip() or r.returncode})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True,
                       timeout=30)


class Ballast:
    """A file that takes every free byte of the filesystem, and gives them back."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "ballast.bin"

    def fill(self) -> None:
        chunk = b"\0" * (1 << 20)
        with self.file.open("ab", buffering=0) as fh:
            for size in (1 << 20, 1 << 12, 1):
                try:
                    while True:
                        fh.write(chunk[:size])
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
        assert os.statvfs(self.file.parent).f_bfree == 0

    def free(self) -> None:
        self.file.unlink(missing_ok=True)


@dataclass
class Desk:
    sim: VirtualR307
    server: PtyServer
    station: Station
    fill_at_working: Callable[[], None] | None = None

    def on_event(self, event: object) -> None:
        if isinstance(event, Prompt) and event.kind is PromptKind.LIFT:
            self.sim.lift()
        if isinstance(event, Prompt) and event.kind is PromptKind.WORKING:
            hook, self.fill_at_working = self.fill_at_working, None
            if hook is not None:
                hook()  # the captures are done; the template is about to be written

    def enroll(self, person: str) -> Result:
        auto = AutoPerson(self.sim, f"{person}:right-index").install()
        done = threading.Event()
        results: list[Result] = []

        def finished(r: Result) -> None:
            results.append(r)
            done.set()

        wait_until(lambda: self.station.sensor_status.state is SensorState.READY, 60,
                   what="sensor ready")
        self.station.desk.enroll(person, Finger.RIGHT_INDEX, None, done=finished)
        assert done.wait(120), "the enrollment never ended"
        auto.uninstall()
        return results[0]


@pytest.fixture
def desk(small_fs: Path, tmp_path: Path) -> Iterator[Desk]:
    sim = VirtualR307(SimConfig(seed=3))
    server = PtyServer(sim, link=tmp_path / "ttySIM")
    cfg = Config(station=StationConfig(id=STATION), sensor=SensorConfig(port=server.port),
                 enrollment=EnrollmentPolicy(idle_timeout_s=10))
    station = Station.open(DataPaths(small_fs / "data"), cfg, sensor_url=server.port,
                           start_sync=False)
    d = Desk(sim, server, station)
    station.add_sensor_listener(d.on_event)
    people = [PersonIn(f"P-{i:05d}", f"Person {i}") for i in range(1000)]
    station.store.people.upsert(people, "1")
    for p in people:
        station.desk.record_consent(p.external_id, ConsentMethod.ON_SCREEN, None)
    try:
        yield d
    finally:
        station.close()
        server.close()


def _logged_tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


@timeout(240, 1200)
def test_full_disk(desk: Desk, small_fs: Path, central_factory: Callable[..., Ingest],
                   worker_factory: Callable[..., SyncWorker], counts: Counts,
                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    store = desk.station.store
    ballast = Ballast(small_fs)
    ing = central_factory(require_known_person=False)
    committed: dict[str, bytes | None] = {}
    person = iter(range(1000))
    messages: set[str] = set()

    def enroll_ok() -> None:
        r = desk.enroll(f"P-{next(person):05d}")
        assert r.ok and r.template_uuid, r
        committed[r.template_uuid] = store.enrollments.template_bytes(r.template_uuid)

    def drained() -> bool:
        st = store.outbox.stats()
        return st.pending == 0 and st.sent_unacked == 0

    worker = worker_factory(store, ack_timeout_s=2)
    enroll_ok()
    wait_until(drained, 60, what="first drain")
    sync_saw_full = 0
    for _ in range(ROUNDS):
        # Mid-enrollment, sync stopped (so the database has to grow: no pages freed by acks
        # to reuse). The disk fills after the captures; what SQLite still finds room for is
        # committed (checked at the end); enrollments go on until one meets the full disk.
        worker.stop()
        desk.fill_at_working = ballast.fill
        for _ in range(200):
            r = desk.enroll(f"P-{next(person):05d}")
            if not r.ok:
                break
            assert r.template_uuid
            committed[r.template_uuid] = store.enrollments.template_bytes(r.template_uuid)
            counts.notes["committed on a full disk"] = int(str(
                counts.notes.get("committed on a full disk", 0))) + 1
            ballast.fill()  # and whatever a checkpoint gave back
        counts.fault("full-mid-enrollment")
        assert not r.ok, r
        said = _words(wording.outcome(r, Finger.RIGHT_INDEX))
        messages.add(said)
        assert "disk" in said.lower() and "full" in said.lower(), said
        # Mid-sync: the backlog goes out while the disk is still full.
        worker = worker_factory(store, ack_timeout_s=2)
        counts.fault("full-mid-sync")
        wait_until(lambda w=worker: "full" in w.snapshot().last_error or drained(),  # type: ignore[misc]
                   60,
                   what=f"the sync to finish or say the disk is full ({store.outbox.stats()})")
        if "full" in worker.snapshot().last_error:
            sync_saw_full += 1
            messages.add(f"sync: {worker.snapshot().last_error}")
        ballast.free()
        counts.iterations += 1
        enroll_ok()  # space is back: enrolling works
        wait_until(drained, 60, what=f"the drain after space came back ({store.outbox.stats()})")
        counts.iterations += 1
    counts.notes["syncs that met the full disk"] = sync_saw_full
    # Nothing committed was lost; sensor and database agree; central holds each event once.
    assert store.maintenance.integrity_check().ok
    for uid, data in committed.items():
        counts.checked += 1
        if store.enrollments.template_bytes(uid) != data:
            counts.lost += 1
    wait_until(lambda: set(desk.sim.library) == set(store.slots.template_slots()), 30,
               what="sensor = database")
    tally_exactly_once(counts, station_rows(DataPaths(small_fs / "data").database),
                       central_rows(Path(ing.cfg.db_url.removeprefix("sqlite:///"))))
    errors = _logged_tracebacks(caplog)
    counts.tracebacks += len(errors)
    if errors:
        counts.notes["first_traceback"] = f"{errors[0].name}: {errors[0].getMessage()}"
    counts.notes["messages"] = sorted(messages)
    counts.assert_clean()


def _words(text: wording.OutcomeText) -> str:
    return " / ".join(t.english() for t in (text.headline, text.body, text.next_step) if t)
