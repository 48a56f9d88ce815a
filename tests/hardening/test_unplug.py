"""Unplug suite: the cable pulled and put back at random points of enrollments, through the
real serial transport (a pty served by :class:`~kiosk.sim.PtyServer`, the station's own
driver, sensor worker and reconnection, a real database).

Each cycle starts an enrollment at the desk (``Station.desk.enroll``) and pulls the cable
after a random number of sensor commands or a random time, keeps it out for a random while
and plugs it back. Then, once the station has reconnected by itself:

* a completed enrollment is in the database, any other left nothing behind: the sensor
  holds exactly the database's templates (each byte for byte) and nothing waits to be
  cleared;
* the same finger enrolls cleanly right away when the cycle's attempt did not complete (an
  orphan on the sensor would trip the duplicate gate);
* no exception was logged.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kiosk.app import ConsentMethod, Finger, Station
from kiosk.app.sensor_service import SensorState
from kiosk.config import Config, EnrollmentPolicy, SensorConfig, StationConfig
from kiosk.enrollment.events import Outcome, Prompt, PromptKind, Result
from kiosk.paths import DataPaths
from kiosk.sensor.errors import DisconnectedError
from kiosk.sim import AutoPerson, PtyServer, SimConfig, VirtualR307
from kiosk.store import PersonIn
from tests.fixtures.broker import wait_until
from tests.hardening.conftest import Counts, pick, timeout

pytestmark = [pytest.mark.hardening, pytest.mark.slow]

CYCLES = pick(10, 100)


@dataclass
class UnplugRig:
    sim: VirtualR307
    server: PtyServer
    station: Station
    rng: random.Random
    frames: int = 0
    #: A clean enrollment's sensor commands and duration (calibrated first).
    enroll_frames: int = 40
    enroll_s: float = 1.0
    #: Commands that met a connection broken by an unplug the station had not noticed yet.
    stale: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    _unplug_at: int = -1
    _trigger: threading.Event = field(default_factory=threading.Event)

    def count_frame(self, direction: str, _frame: bytes) -> None:
        if direction == "rx":
            self.frames += 1
            if self.frames == self._unplug_at:
                self._trigger.set()

    def on_event(self, event: object) -> None:
        """The person also lifts when asked to (a finger left resting by an interrupted
        attempt is taken away, as a person at the desk would)."""
        if isinstance(event, Prompt) and event.kind is PromptKind.LIFT:
            self.sim.lift()

    def connected(self) -> bool:
        return self.station.sensor_status.state is SensorState.READY

    def index_table(self) -> set[int] | None:
        """The sensor's used slots, or None while the station still holds a connection the
        unplug broke (it notices at its next command and reconnects by itself)."""
        if not self.connected():
            return None
        try:
            return self.station.sensor_service.call(lambda s: s.index_table())
        except DisconnectedError:
            self.stale += 1
            return None

    def settle(self) -> set[int]:
        """Wait until the station talks to the sensor again; its used slots."""
        got: list[set[int]] = []

        def ready() -> bool:
            slots = self.index_table()
            if slots is not None:
                got.append(slots)
            return slots is not None

        wait_until(ready, 30, what="the station to reconnect the sensor")
        return got[-1]

    def enroll(self, person: str, *, unplug: str | None) -> tuple[Result, bool]:
        """One enrollment; with ``unplug`` ("frame" or "time") the cable is pulled during it.
        Returns the result and whether the cable really was pulled while it ran."""
        self.settle()
        auto = AutoPerson(self.sim, f"{person}:right-index").install()
        done = threading.Event()
        results: list[Result] = []

        def finished(r: Result) -> None:
            results.append(r)
            done.set()

        self._trigger.clear()
        self._unplug_at = (self.frames + self.rng.randint(1, self.enroll_frames)
                           if unplug == "frame" else -1)
        self.station.desk.enroll(person, Finger.RIGHT_INDEX, None, done=finished)
        pulled = False
        if unplug == "frame":
            fired = self._trigger.wait(30)
            pulled = fired and not done.is_set()
        elif unplug == "time":
            pulled = not done.wait(self.rng.uniform(0.0, self.enroll_s))
        if unplug is not None:
            self.server.unplug()
            # Out for a while: sometimes shorter than the driver needs to notice.
            done.wait(self.rng.uniform(0.0, 1.2))
            self.server.replug()
        assert done.wait(60), "the enrollment never ended"
        auto.uninstall()
        return results[0], pulled


@pytest.fixture
def rig(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[UnplugRig]:
    caplog.set_level(logging.INFO)
    sim = VirtualR307(SimConfig(seed=11))
    server = PtyServer(sim, link=tmp_path / "ttyR307")
    cfg = Config(station=StationConfig(id="desk-01"),
                 sensor=SensorConfig(port=server.port),
                 enrollment=EnrollmentPolicy(idle_timeout_s=10))
    station = Station.open(DataPaths(tmp_path / "data"), cfg, sensor_url=server.port,
                           start_sync=False)
    rig = UnplugRig(sim, server, station, random.Random(21))
    sim.trace = rig.count_frame
    station.add_sensor_listener(rig.on_event)
    people = [PersonIn(f"P-{i:04d}", f"Person {i}") for i in range(CYCLES + 1)]
    station.store.people.upsert(people, "1")
    for p in people:
        station.desk.record_consent(p.external_id, ConsentMethod.ON_SCREEN, None)
    try:
        yield rig
    finally:
        station.close()
        server.close()


def _logged_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@timeout(180, 2400)
def test_unplug(rig: UnplugRig, counts: Counts, caplog: pytest.LogCaptureFixture) -> None:
    store = rig.station.store
    completed: dict[str, str] = {}
    t0, f0 = time.monotonic(), rig.frames
    first, _ = rig.enroll(f"P-{CYCLES:04d}", unplug=None)
    assert first.ok and first.template_uuid is not None, first
    completed[first.template_uuid] = f"P-{CYCLES:04d}"
    rig.enroll_s, rig.enroll_frames = time.monotonic() - t0, rig.frames - f0
    for i in range(CYCLES):
        person = f"P-{i:04d}"
        how = ("frame", "time")[i % 2]
        result, pulled = rig.enroll(person, unplug=how)
        rig.outcomes[result.outcome.value] += 1
        if pulled:
            counts.fault(f"unplug-{how}")
        else:
            counts.fault("unplug-after-the-end")
        if result.ok:
            assert result.template_uuid is not None
            completed[result.template_uuid] = person
        else:
            assert result.outcome in (Outcome.DISCONNECTED, Outcome.FAILED), result
            # Plugged back in: the same finger enrolls at once (no orphan trips the gate).
            again, _ = rig.enroll(person, unplug=None)
            assert again.ok, (result, again)
            assert again.template_uuid is not None
            completed[again.template_uuid] = person
        on_sensor = rig.settle()
        in_db = store.slots.template_slots()
        assert on_sensor == set(in_db), (i, on_sensor, in_db)
        assert store.slots.pending_releases() == set()
        counts.iterations += 1
    # Every completed enrollment is in the database and on the sensor, byte for byte.
    library = rig.sim.library
    slots = store.slots.template_slots()
    for uid, _person in completed.items():
        counts.checked += 1
        slot = next((s for s, u in slots.items() if u == uid), None)
        if slot is None or library.get(slot) != store.enrollments.template_bytes(uid):
            counts.lost += 1
    per_person = Counter(store.slots.template_for_slot(s).external_id  # type: ignore[union-attr]
                         for s in slots)
    counts.duplicated += sum(n - 1 for n in per_person.values() if n > 1)
    errors = _logged_errors(caplog)
    counts.tracebacks += len(errors)
    if errors:
        counts.notes["first_traceback"] = errors[0]
    counts.notes["outcomes"] = dict(rig.outcomes)
    counts.notes["stale connections met"] = rig.stale
    counts.assert_clean()
    assert len(completed) == CYCLES + 1
