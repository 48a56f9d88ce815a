"""Contract v2 end to end: the shared paged roster, deletion causes and receipts per place,
heartbeats, attempts and the audit trail reaching central, status schema 2."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

import kiosk_contract as c
from kiosk.store import KEY_ROSTER_VERSION
from kiosk.sync.worker import SyncWorker
from kiosk_central.ingest import Ingest, publish_pending_deletions
from kiosk_central.roster import import_roster, publish_paged
from kiosk_central.schema import attempts, station_audit, station_health
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.sync.conftest import STATION, Enrolled, Observers
from tests.sync.mqtt_helpers import connect

pytestmark = pytest.mark.timeout(120)
PREFIX = "fpk/v1"


def _people(n: int, *, group: str = "1A") -> list[c.RosterPerson]:
    return [c.RosterPerson(f"P-{i:05d}", f"Person {i} Müller", True, group, "student")
            for i in range(n)]


def test_paged_roster_of_5000_then_a_delta_reach_the_station(
    station_store: Callable[..., Enrolled], central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(1)
    ing = central_factory()
    first = import_roster(ing.db, _people(5000), "test")
    sent = publish_paged(ing.client, ing.db, PREFIX, c.DEFAULT_MAX_PACKET_BYTES)
    assert sent.pages > 3  # really paged
    worker_factory(e.store)
    wait_until(lambda: e.store.state.get(KEY_ROSTER_VERSION) == str(first.version), 30,
               what="paged snapshot applied")
    p = e.store.people.get("P-04999")
    assert p is not None and (p.group, p.role, p.active) == ("1A", "student", True)
    # A change: one moves class, one leaves; it travels as a delta on the version held.
    changed = _people(5000)
    changed[7] = c.RosterPerson("P-00007", "Person 7 Müller", True, "2B", "student")
    del changed[9]
    second = import_roster(ing.db, changed, "test")
    assert second.base_version == first.version
    publish_paged(ing.client, ing.db, PREFIX, c.DEFAULT_MAX_PACKET_BYTES)
    wait_until(lambda: e.store.state.get(KEY_ROSTER_VERSION) == str(second.version), 30,
               what="delta applied")
    moved, left = e.store.people.get("P-00007"), e.store.people.get("P-00009")
    assert moved is not None and moved.group == "2B"
    assert left is not None and not left.active  # inactive, records kept


def test_a_page_that_does_not_match_its_manifest_is_not_applied(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    worker_factory: Callable[..., SyncWorker], caplog: pytest.LogCaptureFixture,
) -> None:
    e = station_store(1)
    worker_factory(e.store)
    before = e.store.state.get(KEY_ROSTER_VERSION)
    topics = c.RosterTopics(PREFIX)
    real = c.RosterPage(9, 0, 1, tuple(_people(3))).to_bytes()
    forged = c.RosterPage(9, 0, 1, (c.RosterPerson("EVIL", "Mallory"),)).to_bytes()
    manifest = c.RosterManifest(9, 1, 3, (hashlib.sha256(real).hexdigest(),))
    central = connect(broker, "central")
    central.publish(topics.page(0), forged, retain=True)
    central.publish(topics.manifest, manifest.to_bytes(), retain=True)
    # The forged page is held but never applied; the real one completes the snapshot.
    central.publish(topics.page(0), real, retain=True)
    wait_until(lambda: e.store.state.get(KEY_ROSTER_VERSION) == "9", 15, what="real page")
    central.close()
    assert before != "9"
    assert e.store.people.get("EVIL") is None
    assert e.store.people.get("P-00002") is not None


def test_withdrawal_request_and_unknown_person_are_receipted_per_place(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest], worker_factory: Callable[..., SyncWorker],
    observers: Observers,
) -> None:
    e = station_store(2)
    ing = central_factory()
    worker_factory(e.store)
    wait_until(e.outbox_empty, 30, what="initial drain")
    wait_until(lambda: ing.db.station_schemas().get(STATION) == 2, 10, what="schema 2 known")
    requests = ing.db.forget("P-00001", [STATION])
    publish_pending_deletions(ing.client, ing.db, PREFIX)
    wait_until(lambda: not ing.db.pending_deletions(), 15, what="receipt at central")
    receipts = [c.DeletionReceipt.parse(m.payload)
                for m in observers.up.received("deletion-receipts")]
    (r,) = receipts
    assert r.request_id == requests[0][0] and r.schema == 2
    assert r.cause is c.DeletionCause.CENTRAL_REQUEST and len(r.template_uuids) == 2
    assert r.places is not None and r.places.sensor == "pending"  # no sensor connected
    # Someone this station never had: answered at once, "not held".
    rid = "3f2b0c9e-1d4a-4b8e-9c7d-6a5b4c3d2e1f"
    st = connect(broker, "central")
    st.publish(f"{PREFIX}/stations/{STATION}/deletions",
               c.DeletionRequest(rid, "NOBODY", STATION, cause=c.DeletionCause.WITHDRAWAL)
               .to_bytes(), correlation=c.correlation_for(rid))
    st.close()
    wait_until(lambda: len(observers.up.received("deletion-receipts")) == 2, 10,
               what="direct receipt")
    direct = c.DeletionReceipt.parse(observers.up.received("deletion-receipts")[-1].payload)
    assert direct.request_id == rid and direct.cause is c.DeletionCause.WITHDRAWAL
    assert direct.places == c.ReceiptPlaces("not-held") and direct.template_uuids == ()
    observers.assert_all_valid()


def test_heartbeat_attempts_and_audit_trail_reach_central(
    station_store: Callable[..., Enrolled], central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker], observers: Observers,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    e = station_store(3)
    ing = central_factory()
    report = c.SensorReport(c.SensorState.READY, "R307", 6, 1000)
    worker_factory(e.store, sensor_report=lambda: report)
    wait_until(e.outbox_empty, 30, what="drained")

    def central_count(q: object) -> int:
        with ing.db.engine.connect() as conn:
            return int(conn.execute(q).scalar() or 0)  # type: ignore[call-overload]

    wait_until(lambda: central_count(select(func.count()).select_from(station_health)) == 1,
               10, what="heartbeat stored")
    with ing.db.engine.connect() as conn:
        h = conn.execute(select(station_health)).one()
    assert (h.sensor_state, h.sensor_model, h.sensor_templates) == ("ready", "R307", 6)
    assert abs(h.clock_skew_s) < 5
    assert central_count(select(func.count()).select_from(attempts)) == 6
    seq, _ = e.store.audit.head()
    assert central_count(select(func.max(station_audit.c.seq)).where(
        station_audit.c.station == STATION)) == seq
    status = c.StatusMessage.parse(observers.up.received("status")[0].payload)
    assert status.schema == 2 and status.state == "online"
    observers.assert_all_valid()
