"""A rig for enrollment scenarios: virtual R307 on a real pty, the real driver, a real store."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kiosk.app.store_sink import StoreSink
from kiosk.config import EnrollmentPolicy
from kiosk.enrollment.engine import CancelToken, EnrollmentEngine, EnrollmentRequest
from kiosk.enrollment.events import Event, Prompt, PromptKind, Result
from kiosk.sensor.driver import R307
from kiosk.sim import PtyServer, SimConfig, VirtualR307
from kiosk.store import Store
from kiosk.store.records import PersonIn
from kiosk_contract.fingers import Finger

PEOPLE = [PersonIn("P1", "Ada Lovelace"), PersonIn("P2", "Alan Turing")]
FAST_POLICY = EnrollmentPolicy(idle_timeout_s=5.0, retries_per_capture=3, retries_total=8)


class Person:
    """Someone at the sensor who follows the prompts: places on PLACE/AGAIN, lifts on LIFT.

    ``fingers`` are the finger labels used for successive placements (the last repeats).
    """

    def __init__(self, sim: VirtualR307, fingers: list[str], *, lifts: bool = True) -> None:
        self.sim = sim
        self.fingers = list(fingers)
        self.lifts = lifts
        self.placements = 0

    def __call__(self, event: Event) -> None:
        if isinstance(event, Prompt) and event.kind in (PromptKind.PLACE, PromptKind.AGAIN):
            finger = self.fingers[min(self.placements, len(self.fingers) - 1)]
            self.placements += 1
            self.sim.place(finger)
        elif isinstance(event, Prompt) and event.kind is PromptKind.LIFT and self.lifts:
            self.sim.lift()


@dataclass
class Rig:
    tmp: Path
    sim: VirtualR307
    server: PtyServer
    driver: R307
    store: Store
    events: list[Event] = field(default_factory=list)

    @property
    def sink(self) -> StoreSink:
        return StoreSink(self.store)

    def enroll(
        self,
        person: Callable[[Event], None],
        *,
        external_id: str = "P1",
        finger: str = "right-index",
        policy: EnrollmentPolicy = FAST_POLICY,
        sensor: Any = None,
        cancel: CancelToken | None = None,
        also: Callable[[Event], None] | None = None,
    ) -> Result:
        self.events = []

        def on_event(ev: Event) -> None:
            self.events.append(ev)
            person(ev)
            if also is not None:
                also(ev)

        engine = EnrollmentEngine(sensor or self.driver, self.sink, policy,
                                  poll_interval_s=0.01)
        request = EnrollmentRequest(external_id, Finger(finger), operator=None)
        return engine.run(request, on_event, cancel)

    def reconnect(self) -> None:
        self.driver.close()
        self.driver = R307.open(self.server.port)

    def assert_consistent(self) -> None:
        """The sensor's index table and the database agree (the scenario invariant)."""
        sensor_slots = self.driver.index_table()
        db_slots = set(self.store.slots.template_slots())
        pending = self.store.slots.pending_releases()
        assert sensor_slots - pending == db_slots, (sensor_slots, db_slots, pending)


def make_rig(tmp_path: Path, config: SimConfig | None = None) -> Generator[Rig, None, None]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    sim = VirtualR307(config or SimConfig())
    server = PtyServer(sim, link=tmp_path / "ttyR307")
    driver = R307.open(server.port)
    store = Store.open(tmp_path / "kiosk.sqlite3", station_id="test-desk")
    store.people.upsert(PEOPLE, "1")
    for p in PEOPLE:
        store.consents.record(p.external_id, notice_version="t", notice_text="notice",
                             method="on-screen", operator=None)
    rig = Rig(tmp_path, sim, server, driver, store)
    try:
        yield rig
    finally:
        rig.driver.close()
        server.close()
        store.close()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    yield from make_rig(tmp_path)
