"""The sensor worker (reconnects by itself, one enrollment at a time) and ``kiosk enroll``."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.sensor_service import SensorProblem, SensorService, SensorStatus
from kiosk.app.station import release_pending_slots
from kiosk.app.store_sink import StoreSink
from kiosk.config import Config, EnrollmentPolicy
from kiosk.enrollment.engine import EnrollmentBusy, EnrollmentRequest
from kiosk.enrollment.events import FailReason, Outcome, Result
from kiosk.sensor.driver import R307
from kiosk.store import OutboxKind, Store
from kiosk.store.records import PersonIn
from kiosk_contract.fingers import Finger
from kiosk_contract.telemetry import SensorState

from .conftest import Person, Rig, make_rig

DEADLINE = 15.0


class Collector:
    def __init__(self) -> None:
        self.events: list[object] = []
        self.cond = threading.Condition()

    def __call__(self, ev: object) -> None:
        with self.cond:
            self.events.append(ev)
            self.cond.notify_all()

    def wait_for(self, pred: object, timeout: float = DEADLINE) -> object:
        assert callable(pred)
        with self.cond:
            ok = self.cond.wait_for(lambda: any(pred(e) for e in self.events), timeout)
            assert ok, f"condition not met; events: {self.events[-5:]}"
            return next(e for e in self.events if pred(e))


@pytest.fixture
def service_rig(tmp_path: Path) -> Iterator[tuple[Rig, SensorService, Collector]]:
    rigs = make_rig(tmp_path)
    rig = next(rigs)
    rig.driver.close()  # the service owns the port from here on

    def connect() -> R307:
        return R307.open(rig.server.port)

    def housekeeping(handle: object) -> None:
        release_pending_slots(rig.store, handle)  # type: ignore[arg-type]

    service = SensorService(connect, retry_interval_s=0.1, health_interval_s=0.2,
                            on_connect=housekeeping)
    events = Collector()
    service.add_listener(events)
    service.add_listener(Person(rig.sim, ["ada:right-index"]))  # type: ignore[arg-type]
    service.start()
    try:
        yield rig, service, events
    finally:
        service.stop()
        rigs.close()


def _enroll(service: SensorService, rig: Rig, finger: str = "right-index") -> threading.Event:
    done = threading.Event()
    service.enroll(EnrollmentRequest("P1", Finger(finger)), StoreSink(rig.store),
                  EnrollmentPolicy(idle_timeout_s=5), done=lambda r: done.set())
    return done


def test_service_reconnects_after_unplug_and_enrolls(service_rig: tuple[Rig, SensorService,
                                                                        Collector]) -> None:
    rig, service, events = service_rig
    events.wait_for(lambda e: isinstance(e, SensorStatus) and e.connected)
    rig.server.unplug()
    events.wait_for(lambda e: isinstance(e, SensorStatus)
                    and e.state is SensorState.DISCONNECTED)
    assert service.status.problem is SensorProblem.UNPLUGGED
    rig.server.replug()
    def connects() -> int:
        return sum(1 for e in events.events if isinstance(e, SensorStatus) and e.connected)

    with events.cond:
        assert events.cond.wait_for(lambda: connects() >= 2, DEADLINE), events.events[-3:]
    assert _enroll(service, rig).wait(DEADLINE)
    result = events.wait_for(lambda e: isinstance(e, Result))
    assert isinstance(result, Result) and result.ok, result


def test_second_enrollment_is_refused_while_one_runs(service_rig: tuple[Rig, SensorService,
                                                                       Collector]) -> None:
    rig, service, events = service_rig
    rig.sim.on_wait_for_finger = None
    blocker = threading.Event()
    # Hold the first enrollment in "waiting for a finger": nobody places one.
    service._listeners.pop()  # the cooperative person leaves the desk
    done = _enroll(service, rig)
    events.wait_for(lambda e: getattr(e, "kind", None) is not None)
    with pytest.raises(EnrollmentBusy) as info:
        _enroll(service, rig, "left-index")
    assert "already running" in str(info.value)
    info.value.cancel_running()
    assert done.wait(DEADLINE)
    result = events.wait_for(lambda e: isinstance(e, Result))
    assert isinstance(result, Result) and result.outcome is Outcome.CANCELLED
    assert not blocker.is_set()
    assert service.gate.running is None


def test_enroll_without_sensor_reports_disconnected(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.sqlite3")
    store.people.upsert([PersonIn("P1", "Ada")], "1")

    def no_sensor() -> R307:
        return R307.open(str(tmp_path / "missing-port"))

    service = SensorService(no_sensor, retry_interval_s=0.1)
    results: list[Result] = []
    done = threading.Event()
    service.start()
    try:
        service.enroll(EnrollmentRequest("P1", Finger.RIGHT_INDEX), StoreSink(store),
                       EnrollmentPolicy(), done=lambda r: _finish(results, done, r))
        assert done.wait(DEADLINE)
    finally:
        service.stop()
        store.close()
    assert results[0].outcome is Outcome.DISCONNECTED
    assert results[0].reason is FailReason.NOT_CONNECTED


def _finish(results: list[Result], done: threading.Event, r: Result) -> None:
    results.append(r)
    done.set()


def test_kiosk_enroll_against_kiosk_sim_auto(tmp_path: Path) -> None:
    """`kiosk enroll` + `kiosk-sim --pty --auto` complete unattended; the store has it all."""
    data = tmp_path / "data"
    data.mkdir()
    store = Store.open(data / "kiosk.sqlite3")
    store.people.upsert([PersonIn("S-1001", "Grace Hopper")], "1")
    store.close()
    sim = subprocess.Popen(
        [sys.executable, "-m", "kiosk.sim.cli", "--pty", "--auto", "grace:right-index"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert sim.stdout is not None
        port = sim.stdout.readline().strip()
        assert port.startswith("/dev/"), port
        out = subprocess.run(
            [sys.executable, "-m", "kiosk", "--data-dir", str(data), "--json", "enroll",
             "--person", "S-1001", "--finger", "right-index", "--port", port,
             "--consent", "operator-attestation"],
            capture_output=True, text=True, timeout=60, check=False,
        )
    finally:
        sim.terminate()
        sim.wait(10)
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(out.stdout)
    assert report["outcome"] == "completed"
    store = Store.open(data / "kiosk.sqlite3")
    try:
        status = store.people.status("S-1001")
        assert status.fingers, status
        kinds = [o.kind for o in store.outbox.due(limit=10)]
        assert kinds.count(OutboxKind.TEMPLATE) == 1
    finally:
        store.close()


def test_kiosk_enroll_unknown_person_is_a_clear_error(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "enroll", "--person",
         "NOBODY", "--finger", "left-index", "--port", "loop://"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert out.returncode == 1
    assert "roster" in out.stderr and "Traceback" not in out.stderr


def test_config_defaults_are_the_policy_defaults() -> None:
    assert Config().enrollment.idle_timeout_s == 60.0
    assert Config().enrollment.fingers_per_person == 2


def test_sensor_is_free_when_the_result_is_heard(service_rig: tuple[Rig, SensorService,
                                                                    Collector]) -> None:
    """Whoever reacts to a result (next finger) can start at once: no spurious 'busy'."""
    rig, service, events = service_rig
    running_at_result: list[object] = []
    service.add_listener(
        lambda ev: running_at_result.append(service.gate.running)
        if isinstance(ev, Result) else None)
    events.wait_for(lambda e: isinstance(e, SensorStatus) and e.connected)
    assert _enroll(service, rig).wait(DEADLINE)
    assert running_at_result == [None]
