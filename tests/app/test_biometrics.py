"""Deleting biometric data at the desk, on the real station and the virtual sensor: database,
sensor slot and the receipt for central, each place checked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app import ConsentMethod, ConsentStatus, Finger, Result, SensorState, Station
from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.sensor.codes import Confirmation as C
from kiosk.sim import AutoPerson
from kiosk.store import DeletionReceiptEvent, NotFound
from tests.fixtures.broker import wait_until
from tests.fixtures.desk import enroll_cooperative

DEADLINE = 30.0


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    st = Station.open(DataPaths(tmp_path / "data"), Config(), simulate=True, demo_roster=True)
    wait_until(lambda: st.sensor_status.state is SensorState.READY, DEADLINE)
    yield st
    st.close()


def _library(st: Station) -> set[int]:
    assert st.simulation is not None
    return set(st.simulation.sim.library)


def _receipts(st: Station) -> list[DeletionReceiptEvent]:
    return [r.payload for r in st.store.outbox.rows()
            if isinstance(r.payload, DeletionReceiptEvent)]


def _receipt_done(st: Station) -> DeletionReceiptEvent:
    """The receipt (database done, sensor pending) and its update once the slot was cleared."""
    first, update = _receipts(st)
    assert (first.sensor, update.sensor) == ("pending", "done")
    assert first.tombstone_uuid == update.tombstone_uuid
    return update


def test_remove_one_finger_clears_its_slot_now(station: Station) -> None:
    station.desk.record_consent("S-1001", ConsentMethod.ON_SCREEN, None)
    right = enroll_cooperative(station, "S-1001", Finger.RIGHT_INDEX)
    left = enroll_cooperative(station, "S-1001", Finger.LEFT_INDEX)
    assert _library(station) == {right.slot, left.slot}
    done = station.biometrics.remove_finger("S-1001", Finger.RIGHT_INDEX, actor="Admin",
                                            reason="wrong finger enrolled")
    assert done.slots == (right.slot,) and done.sensor_done
    assert _library(station) == {left.slot}  # cleared on the sensor at once
    assert station.desk.person("S-1001").enrolled_fingers == (Finger.LEFT_INDEX,)
    receipt = _receipt_done(station)
    assert receipt.cause == "finger-removed" and receipt.template_uuids == (right.template_uuid,)
    with pytest.raises(NotFound):
        station.biometrics.remove_finger("S-1001", Finger.RIGHT_INDEX, actor="Admin",
                                         reason="again")


def test_withdrawal_deletes_everything_and_records_it(station: Station) -> None:
    station.desk.record_consent("S-1002", ConsentMethod.SIGNED_PAPER, None)
    enroll_cooperative(station, "S-1002", Finger.RIGHT_INDEX)
    done = station.biometrics.withdraw_consent("S-1002", actor="Admin",
                                               reason="asked at the desk")
    assert done.sensor_done and _library(station) == set()
    person = station.desk.person("S-1002")
    assert person.fingers == () and person.consent_status is ConsentStatus.WITHDRAWN
    receipt = _receipt_done(station)
    assert receipt.cause == "withdrawal"
    actions = [a.action for a in station.store.audit.entries(limit=10)]
    assert "consent-withdrawn" in actions and "biometrics-deleted" in actions


def test_with_the_sensor_unplugged_the_slot_waits_for_it(station: Station) -> None:
    station.desk.record_consent("S-1003", ConsentMethod.ON_SCREEN, None)
    enrolled = enroll_cooperative(station, "S-1003", Finger.RIGHT_INDEX)
    assert station.simulator is not None
    station.simulator.unplug()
    wait_until(lambda: not station.sensor_status.connected, DEADLINE)
    done = station.biometrics.forget("S-1003", actor="Admin", reason="left the school")
    assert done.sensor_pending == (enrolled.slot,) and not done.sensor_done
    assert station.desk.person("S-1003").fingers == ()  # the database is done already
    assert enrolled.slot in _library(station)  # the sensor still holds it …
    station.simulator.replug()
    wait_until(lambda: not station.store.slots.pending_releases(), DEADLINE)
    assert _library(station) == set()  # … until it is back


def test_a_slot_a_failed_enrollment_could_not_clear_is_cleared_before_the_next(
        station: Station) -> None:
    """Hostile serial suite: an enrollment failed after the sensor's Store and the slot could
    not be cleared either (a noisy line). With the sensor still connected, that slot waited
    for the next reconnection, and the same person's next try was refused as a duplicate of
    a template nobody owns."""
    assert station.simulation is not None
    sim = station.simulation.sim
    station.desk.record_consent("S-1004", ConsentMethod.ON_SCREEN, None)
    sim.fail_next(C.UPLOAD_FEATURE_FAIL)  # the template does not come back after Store …
    sim.fail_next(C.DELETE_FAIL)  # … and the slot does not clear either
    person = AutoPerson(sim, "S-1004:right-index").install()
    done = threading.Event()
    out: list[Result] = []

    def finished(r: Result) -> None:
        out.append(r)
        done.set()

    try:
        station.desk.enroll("S-1004", Finger.RIGHT_INDEX, None, done=finished)
        assert done.wait(DEADLINE)
    finally:
        person.uninstall()
    assert not out[0].ok
    orphan = station.store.slots.pending_releases()
    assert orphan and orphan <= _library(station)
    assert station.sensor_status.connected
    again = enroll_cooperative(station, "S-1004", Finger.RIGHT_INDEX)  # not a duplicate
    assert not station.store.slots.pending_releases()
    assert _library(station) == {again.slot}
