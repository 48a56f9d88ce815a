"""Roster, deletions, negative acks and malformed input on every subscribed topic."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable

import pytest

import kiosk_contract as c
from kiosk.store import KEY_ROSTER_VERSION
from kiosk.sync.worker import SyncWorker
from kiosk_central.ingest import Ingest, publish_pending_deletions
from kiosk_contract.sealing import KeyPair, load_public_key, seal
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.sync.asyncapi_check import payload_errors
from tests.sync.conftest import STATION, Enrolled, Observers, enroll, events_of
from tests.sync.mqtt_helpers import connect

pytestmark = pytest.mark.timeout(90)
T = f"fpk/v1/stations/{STATION}"


def test_roster_snapshot_reaches_the_station_on_birth(
    station_store: Callable[..., Enrolled], central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker], observers: Observers,
) -> None:
    e = station_store(1)
    ing = central_factory(legacy_roster=True)  # the schema-1 snapshot stations read today
    version = ing.db.import_people([("P-00000", "Person 0", True), ("NEW-1", "New Person", True)])
    worker_factory(e.store)
    wait_until(lambda: e.store.state.get(KEY_ROSTER_VERSION) == str(version), 15,
               what="roster applied")
    new = e.store.people.get("NEW-1")
    assert new is not None and new.active
    observers.assert_all_valid()


def test_roster_deltas_apply_only_on_their_base_version(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    worker_factory: Callable[..., SyncWorker], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.sync.worker")
    e = station_store(2)
    worker_factory(e.store)
    central = connect(broker, "central")
    snap = c.RosterMessage("snapshot", 5, (c.RosterPerson("P-00000", "Person 0"),
                                           c.RosterPerson("P-00001", "Person 1")))
    central.publish(f"{T}/roster", snap.to_bytes(), retain=True)
    wait_until(lambda: e.store.state.get(KEY_ROSTER_VERSION) == "5", 10, what="snapshot")
    stale = c.RosterMessage("delta", 7, (c.RosterPerson("GHOST", "Ghost"),), (), 6)
    central.publish(f"{T}/roster", stale.to_bytes())
    delta = c.RosterMessage("delta", 6, (c.RosterPerson("NEW-2", "New"),), ("P-00001",), 5)
    central.publish(f"{T}/roster", delta.to_bytes())
    wait_until(lambda: e.store.state.get(KEY_ROSTER_VERSION) == "6", 10, what="delta")
    central.close()
    assert any("waiting for a snapshot" in r.getMessage() for r in caplog.records)
    assert e.store.people.get("GHOST") is None
    new, gone = e.store.people.get("NEW-2"), e.store.people.get("P-00001")
    assert new is not None and new.active
    assert gone is not None and not gone.active  # deactivated, records kept


def test_deletion_request_removes_templates_and_is_receipted_once(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest], worker_factory: Callable[..., SyncWorker],
    observers: Observers, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.sync.worker")
    e = station_store(2)
    ing = central_factory()
    worker_factory(e.store)
    wait_until(e.outbox_empty, 20, what="initial drain")
    before = len(e.templates)
    requests = ing.db.forget("P-00001", [STATION])
    assert len(requests) == 1
    assert ing.db.template_count() == before - 2  # central copies gone at once
    publish_pending_deletions(ing.client, ing.db, "fpk/v1")
    wait_until(lambda: not ing.db.pending_deletions(), 15, what="deletion receipt at central")
    assert e.store.people.status("P-00001").fingers == ()
    assert len(e.store.slots.pending_releases()) == 2  # sensor slots queued for release
    wait_until(e.outbox_empty, 10, what="receipt acked")
    # A repeated request (e.g. re-sent at the next birth) changes nothing and sends nothing new.
    receipts = len(observers.up.received("deletion-receipts"))
    publish_pending_deletions(ing.client, ing.db, "fpk/v1")  # nothing pending: no-op
    rid, _ = requests[0]
    st = connect(broker, "central")
    st.publish(f"{T}/deletions", c.DeletionRequest(rid, "P-00001", STATION).to_bytes(),
               correlation=c.correlation_for(rid))
    wait_until(lambda: any("already carried out" in r.getMessage() for r in caplog.records), 10,
               what="repeat recognised")
    st.close()
    assert e.outbox_empty()
    assert len(observers.up.received("deletion-receipts")) == receipts
    observers.assert_all_valid()


def test_negative_ack_stops_retries_and_keeps_the_template(
    station_store: Callable[..., Enrolled], central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(1)
    stranger = enroll(e.store, 1, start=500)  # P-00500 is not in central's roster
    ing = central_factory()
    w = worker_factory(e.store)
    wait_until(lambda: e.stats().rejected == 2, 20, what="two negative acks")
    wait_until(e.outbox_empty, 10, what="everything else acked")
    assert "unknown-person" in w.snapshot().last_error
    for u, data in stranger.items():
        assert e.store.enrollments.template_bytes(u) == data  # nothing deleted
    assert ing.db.template_count() == 2
    assert ing.counts["rejected"] == 2


def _template_message(key: KeyPair, *, station: str = STATION) -> tuple[str, bytes]:
    data = bytes(range(200))
    meta = c.TemplateMeta(
        uuid=str(uuid.uuid4()), station=station, operator="x", person="P-00000",
        finger="left-ring", sensor_model="R307", template_format="f", template_length=len(data),
        sha256=hashlib.sha256(data).hexdigest(), quality={"score": 1},
        captured_at=c.utc_now_iso(), enrolled_at=c.utc_now_iso(),
    )
    return meta.uuid, c.TemplateMessage(meta, seal(load_public_key(key.public_b64), data,
                                                   meta.aad())).to_bytes()


HUGE = json.dumps({"schema": 1, "type": "ack", "pad": "x" * 100_000}).encode()


def test_malformed_messages_to_the_station_change_nothing(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    worker_factory: Callable[..., SyncWorker], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="kiosk.sync.worker")
    e = station_store(2)
    w = worker_factory(e.store)  # no central: rows stay sent, unacked
    wait_until(lambda: e.stats().pending == 0 and e.stats().sent_unacked > events_of(2), 15,
               what="rows sent (and the audit trail's)")
    sent = e.stats().sent_unacked
    some_uuid = next(iter(e.templates))
    people_before = e.store.maintenance.counts()
    roster_before = e.store.state.get(KEY_ROSTER_VERSION)
    good_ack = c.AckMessage(some_uuid, "stored").to_bytes()
    cases: list[tuple[str, bytes, bytes | None]] = []
    for kind in ("acks", "roster", "deletions"):
        cases += [
            (kind, b"{not json", None),
            (kind, json.dumps({"schema": 99, "type": kind}).encode(), None),
            (kind, json.dumps({"schema": 1, "type": "nonsense"}).encode(), None),
            (kind, HUGE, None),
            (kind, b"[1,2,3]", None),
            (kind, b'{"a":' * 3000 + b"1" + b"}" * 3000, None),  # nested past any limit
        ]
    cases.append(("acks", good_ack, c.correlation_for(str(uuid.uuid4()))))  # wrong correlation
    cases.append(("acks", good_ack, None))  # no correlation at all
    rid = str(uuid.uuid4())
    cases.append(("deletions", c.DeletionRequest(rid, "P-00000", STATION).to_bytes(),
                  c.correlation_for(str(uuid.uuid4()))))
    cases.append(("deletions", c.DeletionRequest(rid, "P-00000", "station-02").to_bytes(), None))
    central = connect(broker, "central")
    for kind, payload, corr in cases:
        rc = central.publish(f"{T}/{kind}", payload, correlation=corr)
        assert not rc.is_failure
    central.close()
    def rejected() -> list[logging.LogRecord]:
        return [r for r in caplog.records if "rejected message" in r.getMessage()]

    wait_until(lambda: len(rejected()) == len(cases), 10, what="one log line per bad message")
    st = e.stats()
    assert (st.sent_unacked, st.acked, st.rejected) == (sent, 0, 0)
    assert e.store.maintenance.counts() == people_before
    assert e.store.state.get(KEY_ROSTER_VERSION) == roster_before
    assert all(e.store.enrollments.template_bytes(u) == d for u, d in e.templates.items())
    assert w.snapshot().reason == "online"


def test_malformed_messages_to_the_ingest_change_nothing(
    broker: MosquittoBroker, central_factory: Callable[..., Ingest], central_key: KeyPair,
    observers: Observers, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="kiosk_central.ingest")
    ing = central_factory()
    st = connect(broker, STATION)
    acks = f"{T}/acks"
    u1 = str(uuid.uuid4())
    good_uuid, good = _template_message(central_key)
    _, other_station = _template_message(central_key, station="station-02")
    cases: list[tuple[str, bytes, str | None, bytes | None, bool]] = [
        # (topic kind, payload, response topic, correlation, expect a negative ack)
        ("templates", b"{not json", acks, c.correlation_for(u1), True),
        ("templates", json.dumps({"schema": 0, "type": "template"}).encode(), acks,
         c.correlation_for(u1), True),
        ("templates", HUGE, acks, c.correlation_for(u1), True),
        ("templates", good, acks, c.correlation_for(u1), False),  # wrong correlation: dropped
        ("templates", good, None, None, False),  # no response topic: dropped
        ("templates", good, "fpk/v1/stations/station-02/acks", c.correlation_for(good_uuid),
         False),
        ("templates", other_station, acks, None, False),
        ("consents", b"{not json", acks, c.correlation_for(u1), True),
        ("consents", json.dumps({"schema": 1, "type": "consent"}).encode(), acks,
         c.correlation_for(u1), True),
        ("deletion-receipts", HUGE, acks, c.correlation_for(u1), True),
        ("deletion-receipts", b"[]", acks, c.correlation_for(u1), True),
        ("status", b"{not json", None, None, False),
        ("status", json.dumps({"schema": 1, "type": "status"}).encode(), None, None, False),
    ]
    for kind, payload, resp, corr, _nack in cases:
        rc = st.publish(f"{T}/{kind}", payload, response_topic=resp, correlation=corr)
        assert not rc.is_failure, kind
    st.close()
    wait_until(lambda: ing.counts["malformed"] == len(cases), 10,
               what=f"{len(cases)} malformed counted (got {dict(ing.counts)})")
    nacks = sum(1 for case in cases if case[4])
    wait_until(lambda: len(observers.down.received("acks")) == nacks, 10, what="negative acks")
    for m in observers.down.received("acks"):
        a = c.AckMessage.parse(m.payload)
        assert a.status == "rejected" and a.reason in ("malformed", "schema-too-old")
    assert ing.db.template_count() == 0 and ing.db.consent_count() == 0
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) >= len(cases)
    # The ingest's own answers follow the contract (the inputs above deliberately do not).
    assert all(payload_errors("acks", m.payload) == [] for m in observers.down.received("acks"))
