"""The application layer: one door for every front end, and the defects found on the way."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from kiosk.app import (
    EnrollmentBusy,
    Finger,
    Outcome,
    Result,
    SensorState,
    Station,
)
from kiosk.app.station import Simulation
from kiosk.app.sync_service import SyncService
from kiosk.cli import main
from kiosk.config import Config, save_config
from kiosk.enrollment.engine import CancelToken, EnrollmentGate, EnrollmentRequest
from kiosk.paths import DataPaths
from kiosk.store import PersonIn, Store
from tests.fixtures.broker import wait_until

DEADLINE = 20.0


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    st = Station.open(DataPaths(tmp_path / "data"), Config(), simulate=True, demo_roster=True)
    yield st
    st.close()


def test_gate_release_ends_only_its_own_run() -> None:
    gate = EnrollmentGate()
    a, b = CancelToken(), CancelToken()
    gate.acquire(EnrollmentRequest("A", Finger.RIGHT_INDEX), a)
    assert gate.release(a)
    gate.acquire(EnrollmentRequest("B", Finger.LEFT_INDEX), b)
    assert not gate.release(a)  # the first run's late second release
    running = gate.running
    assert running is not None and running.person_external_id == "B"


def test_next_enrollment_started_on_the_result_keeps_its_gate(station: Station) -> None:
    """A listener that starts the next finger when it hears the result must not lose the
    sensor to the previous job's clean-up."""
    wait_until(lambda: station.sensor_status.state is SensorState.READY, DEADLINE)
    desk = station.desk
    desk.record_consent("S-1001", "on-screen", None)  # type: ignore[arg-type]
    first_done = threading.Event()
    started: list[object] = []

    def on_event(ev: object) -> None:
        if isinstance(ev, Result) and not started:
            try:
                started.append(desk.enroll("S-1001", Finger.LEFT_INDEX, None))
            except EnrollmentBusy as exc:  # would be the symptom of a gate freed too late
                started.append(exc)

    station.add_sensor_listener(on_event)
    first = desk.enroll("S-1001", Finger.RIGHT_INDEX, None, done=lambda r: first_done.set())
    first.cancel()
    assert first_done.wait(DEADLINE)
    second = started[0] if started else None
    assert isinstance(second, CancelToken), started
    # the first job has finished its clean-up: the second run still owns the sensor
    running = desk.running
    assert running is not None and running.finger is Finger.LEFT_INDEX
    second.cancel()
    wait_until(lambda: desk.running is None, DEADLINE)


def test_open_closes_what_it_opened_when_sync_cannot_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[str] = []
    real_store_close, real_sim_close = Store.close, Simulation.close

    def store_close(self: Store) -> None:
        closed.append("store")
        real_store_close(self)

    def sim_close(self: Simulation) -> None:
        closed.append("simulator")
        real_sim_close(self)

    def boom(self: SyncService) -> None:
        raise RuntimeError("the sync worker could not start")

    monkeypatch.setattr(Store, "close", store_close)
    monkeypatch.setattr(Simulation, "close", sim_close)
    monkeypatch.setattr(SyncService, "start", boom)
    with pytest.raises(RuntimeError, match="could not start"):
        Station.open(DataPaths(tmp_path / "data"), Config(), simulate=True)
    assert {"store", "simulator"} <= set(closed)


def test_search_reads_every_row_in_one_transaction(station: Station) -> None:
    me = threading.get_ident()
    begins: list[int] = []
    event.listen(station.store.db.engine, "begin",
                 lambda _conn: begins.append(1) if threading.get_ident() == me else None)
    rows = station.desk.search("S-100")
    assert len(rows) == 8 and all(r.person.external_id for r in rows)
    assert len(begins) == 1  # the sensor worker's own reads are on its thread


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    rc = main([*args, "--json"])
    out = capsys.readouterr().out
    return rc, json.loads(out[out.index("{"):])


def test_global_simulate_reaches_doctor(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _rc, out = _cli(["--simulate", "--data-dir", str(tmp_path / "d"), "doctor", "--wait",
                     "5"], capsys)
    checks = {c["name"]: c for c in out["checks"]}  # type: ignore[attr-defined]
    sensor = checks["Fingerprint sensor"]
    assert sensor["ok"] and "Simulated sensor answers" in sensor["verdict"], sensor


def test_doctor_diagnoses_a_bad_station_id_instead_of_crashing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "config.toml").write_text('[station]\nid = "desk 7 / hall"\n', encoding="utf-8")
    rc, out = _cli(["--data-dir", str(data), "doctor"], capsys)
    assert rc == 1 and out["ok"] is False
    check = out["checks"][0]  # type: ignore[index]
    assert check["name"] == "Settings file" and "station.id" in check["verdict"]


def test_enroll_with_an_unknown_operator_is_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d"
    paths = DataPaths(data)
    Station.open(paths, Config(), start_sensor=False, start_sync=False).close()
    with Store.open(paths.database) as store:
        store.people.upsert([PersonIn("S-1", "Ada")], "0")
    rc, out = _cli(["--data-dir", str(data), "enroll", "--person", "S-1", "--finger",
                    "right-index", "--operator", "Nobody", "--consent", "on-screen",
                    "--port", "loop://"], capsys)
    assert rc == 1 and out["error"] == "unknown-operator"
    assert "Nobody" in str(out["message"])


def test_doctor_and_reconcile_see_a_sensor_that_lost_its_templates(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The virtual sensor starts empty on every run: a template the database places on it is
    missing there, exactly what a replaced sensor looks like."""
    data = tmp_path / "d"
    paths = DataPaths(data)
    save_config(Config(), paths.ensure().config_file)
    with Store.open(paths.database) as store:
        store.people.upsert([PersonIn("S-1", "Ada")], "0")
        store.consents.record("S-1", notice_version="1", notice_text="n", method="on-screen",
                              operator=None)
        from kiosk.sim import VirtualR307

        template = VirtualR307().make_template("ada:right-index")
        store.enrollments.record(external_id="S-1", finger="right-index", slot=3,
                                 template=template, sensor_model="R307",
                                 template_format="r30x-char-512", match_score=90)
    rc, out = _cli(["--simulate", "--data-dir", str(data), "doctor", "--wait", "5"], capsys)
    agree = {c["name"]: c for c in out["checks"]}["Sensor and database"]  # type: ignore[attr-defined]
    assert rc == 1 and not agree["ok"] and "missing on the sensor" in agree["verdict"]
    assert "reconcile" in agree["fix"]
    rc, out = _cli(["--simulate", "--data-dir", str(data), "sensor", "reconcile"], capsys)
    assert rc == 1 and out["missing_on_sensor"] == [3] and out["repair"] is None
    rc, out = _cli(["--simulate", "--data-dir", str(data), "sensor", "reconcile", "--repair"],
                   capsys)
    assert rc == 0 and out["repair"] == {"restored": [3], "cleared": [], "failed": []}


def test_enroll_events_come_without_words(station: Station) -> None:
    """The engine names what happened; only the front ends hold sentences."""
    import dataclasses

    from kiosk.enrollment import events

    for cls in (events.Prompt, events.Progress, events.Retry, events.Result):
        names = {f.name for f in dataclasses.fields(cls)}
        assert not names & {"text", "message"}, cls
    r = Result(Outcome.CANCELLED)
    assert r.reason_code == ""


def test_cancel_reaches_an_enrollment_still_queued(station: Station) -> None:
    """Cancel pressed the moment the capture screen appears, while the sensor worker is still
    busy with another job: the enrollment must end as cancelled, not wait for a finger."""
    wait_until(lambda: station.sensor_status.state is SensorState.READY, DEADLINE)
    station.desk.record_consent("S-1002", "on-screen", None)  # type: ignore[arg-type]
    hold = threading.Event()
    station.sensor_service.submit(lambda _sensor: hold.wait(DEADLINE))  # the worker is busy
    results: list[Result] = []
    done = threading.Event()

    def finished(r: Result) -> None:
        results.append(r)
        done.set()

    station.desk.enroll("S-1002", Finger.RIGHT_INDEX, None, done=finished)
    station.desk.cancel()  # before the job has started
    hold.set()
    assert done.wait(DEADLINE)
    assert results[0].outcome is Outcome.CANCELLED
