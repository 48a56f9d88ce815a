"""Hostile input on the serial line: bytes flipped, dropped and inserted at random between the
station's driver and the virtual sensor, in both directions (a pty proxy between them).

Desk enrollments run through the real station (sensor worker, driver, engine, store) while the
line is damaged at a different level for each one. Whatever each enrollment ends with:

* every enrollment reported complete is in the database, and nothing damaged is
  committed: every template there is byte for byte the one in its sensor slot;
* a slot a failed enrollment could not clear (its Delete was damaged too) is the only
  difference allowed between sensor and database, and it is cleared before the next
  enrollment starts;
* with the line clean again, every person whose enrollment failed enrolls at the first try
  (not refused as a duplicate of their own half-finished template), and the sensor holds
  exactly the database's templates;
* no exception is logged.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.app import ConsentMethod, Finger, Station
from kiosk.app.sensor_service import SensorState
from kiosk.config import Config, EnrollmentPolicy, SensorConfig, StationConfig
from kiosk.enrollment.events import Prompt, PromptKind, Result
from kiosk.paths import DataPaths
from kiosk.sensor.errors import SensorError
from kiosk.sim import AutoPerson, PtyServer, SimConfig, VirtualR307
from kiosk.store import PersonIn
from tests.fixtures.broker import wait_until
from tests.hardening.conftest import Counts, pick, timeout
from tests.hardening.serialproxy import SerialProxy

pytestmark = [pytest.mark.hardening, pytest.mark.slow]

ENROLLMENTS = pick(10, 120)
NOISE_LEVELS = (0.01, 0.03, 0.06, 0.12)


@dataclass
class FuzzRig:
    sim: VirtualR307
    server: PtyServer
    proxy: SerialProxy
    station: Station

    def on_event(self, event: object) -> None:
        if isinstance(event, Prompt) and event.kind is PromptKind.LIFT:
            self.sim.lift()

    def slots(self) -> set[int] | None:
        if self.station.sensor_status.state is not SensorState.READY:
            return None
        try:
            return self.station.sensor_service.call(lambda s: s.index_table())
        except SensorError:
            return None

    def settled_slots(self) -> set[int]:
        got: list[set[int]] = []

        def ready() -> bool:
            s = self.slots()
            if s is not None:
                got.append(s)
            return s is not None

        wait_until(ready, 60, what="the station to talk to the sensor on a clean line")
        return got[-1]

    def enroll(self, person: str) -> Result:
        auto = AutoPerson(self.sim, f"{person}:right-index").install()
        done = threading.Event()
        results: list[Result] = []

        def finished(r: Result) -> None:
            results.append(r)
            done.set()

        wait_until(lambda: self.station.sensor_status.state is SensorState.READY, 60,
                   what="sensor ready")
        self.sim.lift()
        self.station.desk.enroll(person, Finger.RIGHT_INDEX, None, done=finished)
        assert done.wait(120), "the enrollment never ended"
        auto.uninstall()
        return results[0]


@pytest.fixture
def rig(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[FuzzRig]:
    caplog.set_level(logging.INFO)
    sim = VirtualR307(SimConfig(seed=5))
    server = PtyServer(sim, link=tmp_path / "ttySIM")
    proxy = SerialProxy(server.port, tmp_path / "ttyR307", seed=9)
    cfg = Config(station=StationConfig(id="desk-01"), sensor=SensorConfig(port=proxy.port),
                 enrollment=EnrollmentPolicy(idle_timeout_s=10))
    station = Station.open(DataPaths(tmp_path / "data"), cfg, sensor_url=proxy.port,
                           start_sync=False)
    rig = FuzzRig(sim, server, proxy, station)
    station.add_sensor_listener(rig.on_event)
    people = [PersonIn(f"P-{i:04d}", f"Person {i}") for i in range(ENROLLMENTS)]
    station.store.people.upsert(people, "1")
    for p in people:
        station.desk.record_consent(p.external_id, ConsentMethod.ON_SCREEN, None)
    try:
        yield rig
    finally:
        station.close()
        proxy.close()
        server.close()


@timeout(180, 3600)
def test_hostile_serial(rig: FuzzRig, counts: Counts, caplog: pytest.LogCaptureFixture) -> None:
    rng = random.Random(17)
    store = rig.station.store
    outcomes: Counter[str] = Counter()
    failed: list[str] = []
    reported: list[str] = []  # template uuids of the enrollments reported completed
    left_to_clear = 0
    for i in range(ENROLLMENTS):
        person = f"P-{i:04d}"
        rig.proxy.noise = rng.choice(NOISE_LEVELS)
        result = rig.enroll(person)
        outcomes[result.outcome.value if result.ok else
                 f"{result.outcome.value}:{result.reason_code}"] += 1
        if result.ok:
            assert result.template_uuid
            reported.append(result.template_uuid)
        else:
            failed.append(person)
        rig.proxy.noise = 0.0
        on_sensor = rig.settled_slots()
        in_db = store.slots.template_slots()
        pending = store.slots.pending_releases()
        # A slot whose clearing waits is allowed only while it is really still to clear.
        assert on_sensor - pending == set(in_db), (i, on_sensor, in_db, pending)
        left_to_clear += bool(pending)
        counts.iterations += 1
    # The line is clean: those who failed enroll at once; sensor and database agree exactly.
    retried = failed[:pick(3, 20)]
    for person in retried:
        result = rig.enroll(person)
        assert result.ok, (person, result)
    assert not store.slots.pending_releases() or not retried
    wait_until(lambda: rig.settled_slots() == set(store.slots.template_slots()), 60,
               what="sensor = database")
    counts.notes["enrollments that left a slot to clear"] = left_to_clear
    counts.notes["re-enrolled on a clean line"] = len(retried)
    library = rig.sim.library
    in_db = store.slots.template_slots()
    counts.lost += len(set(reported) - set(in_db.values()))  # reported, yet not there
    for slot, uid in in_db.items():
        counts.checked += 1
        if library.get(slot) != store.enrollments.template_bytes(uid):
            counts.lost += 1  # a damaged template was committed
    for i in range(ENROLLMENTS):  # one template per person and finger, never two
        fingers = rig.station.desk.person(f"P-{i:04d}").fingers
        counts.duplicated += max(0, len(fingers) - 1)
    for kind, n in rig.proxy.faults.items():
        counts.fault(kind, n)
    errors = [r for r in caplog.records if r.exc_info]
    counts.tracebacks += len(errors)
    if errors:
        counts.notes["first_traceback"] = errors[0].getMessage()
    counts.notes["outcomes"] = dict(outcomes)
    counts.assert_clean()
    assert outcomes["completed"] >= ENROLLMENTS // 3, outcomes
