"""The ingest on schema 2: batched commits and acks, per-event settling, ownership, hostile
input on every subscribed topic — against a real Mosquitto and a real SQLite file."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

import kiosk_contract as c
from kiosk_central.ingest import Ingest
from kiosk_central.schema import attempts, central_audit, consents, templates
from kiosk_contract.sealing import KeyPair
from tests.central.conftest import Sender
from tests.central.samples import new_id, template_v1, template_v2
from tests.fixtures.broker import wait_until

pytestmark = pytest.mark.timeout(120)


def _count(ing: Ingest, table: object) -> int:
    with ing.db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_templates_are_committed_in_batches_and_each_event_is_answered(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair,
) -> None:
    ing = ingest_factory(batch_size=100)
    s1, s2 = sender_factory("station-01"), sender_factory("station-02")
    sent: dict[Sender, dict[str, str]] = {s1: {}, s2: {}}
    for i in range(150):
        for s in (s1, s2):
            tm, _ = template_v2(central_key, station=s.station, person=f"P-{i:05d}")
            s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
            sent[s][tm.msg_id or ""] = tm.meta.uuid
    for s, ids in sent.items():
        got = s.wait_verdicts(list(ids), 60)
        assert {m: (v.uuid, v.status) for m, v in got.items()} == {
            m: (u, "stored") for m, u in ids.items()}
        # Batches: far fewer ack messages than messages, none over the limits.
        msgs = s.ack_messages()
        assert len(msgs) < 150 and any(m["type"] == "acks" for m in msgs)
        assert all(len(m.get("acks", [1])) <= c.MAX_BATCH for m in msgs)
    assert ing.db.template_count() == 300 and ing.counts["stored"] == 300
    assert s1.assert_valid() and s2.assert_valid()
    # A re-sent event (same msg_id) is recognised, never stored twice.
    tm, data = template_v2(central_key)
    s1.send("templates", tm.to_bytes(), tm.msg_id)
    s1.send("templates", tm.to_bytes(), tm.msg_id)
    wait_until(lambda: len(s1.verdicts.get(tm.msg_id or "", [])) == 2, 10, what="two verdicts")
    assert [v.status for v in s1.verdicts[tm.msg_id or ""]] == ["stored", "duplicate"]
    assert ing.db.template_bytes(tm.meta.uuid) == data


def test_an_ack_settles_exactly_the_event_it_answers(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
) -> None:
    """Issue #12 defect 2 at the contract level: given and withdrawn share the consent uuid,
    each gets its own verdict naming its own msg_id, also when the first one comes late."""
    ing = ingest_factory()
    s = sender_factory()
    consent = new_id()
    given = c.ConsentMessage(consent, "given", "P-00001", s.station, "op", c.utc_now_iso(),
                             {"notice_version": "2026-1"}, new_id())
    withdrawn = c.ConsentMessage(consent, "withdrawn", "P-00001", s.station, "op",
                                 c.utc_now_iso(), {}, new_id())
    s.send("consents", withdrawn.to_bytes(), withdrawn.msg_id)
    s.send("consents", given.to_bytes(), given.msg_id)
    got = s.wait_verdicts([given.msg_id or "", withdrawn.msg_id or ""])
    assert got[withdrawn.msg_id or ""].uuid == got[given.msg_id or ""].uuid == consent
    assert {v.status for v in got.values()} == {"stored"}
    s.send("consents", given.to_bytes(), given.msg_id)  # the late re-send of "given"
    wait_until(lambda: len(s.verdicts[given.msg_id or ""]) == 2, 10, what="re-send answered")
    assert s.verdicts[given.msg_id or ""][-1].status == "duplicate"
    assert len(s.verdicts[withdrawn.msg_id or ""]) == 1  # nothing else was settled
    assert _count(ing, consents) == 2


def test_schema_1_and_2_stations_side_by_side(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair,
) -> None:
    ingest_factory()
    old, new = sender_factory("station-01"), sender_factory("station-02")
    v1 = template_v1(central_key)
    old.send("templates", v1.to_bytes(), v1.meta.uuid)  # schema 1: correlation = uuid
    v2, _ = template_v2(central_key, station="station-02")
    new.send("templates", v2.to_bytes(), v2.msg_id)
    old.wait_verdicts([v1.meta.uuid])
    new.wait_verdicts([v2.msg_id or ""])
    raw, corr = old.raw_acks[0]
    a = json.loads(raw)
    assert a["schema"] == 1 and a["uuid"] == v1.meta.uuid and "msg_id" not in a
    assert c.uuid_from_correlation(corr) == v1.meta.uuid
    b = json.loads(new.raw_acks[0][0])
    assert b["schema"] == 2 and b["msg_id"] == v2.msg_id and b["uuid"] == v2.meta.uuid


def test_a_station_cannot_touch_another_stations_templates(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair, caplog: pytest.LogCaptureFixture,
) -> None:
    """Issue #12 defect 6: receipts, re-sent templates and attempts naming another station's
    uuid are refused; nothing changes; it is logged and in central's audit log."""
    caplog.set_level(logging.WARNING, logger="kiosk_central")
    ing = ingest_factory()
    victim, rogue = sender_factory("station-01"), sender_factory("station-02")
    tm, data = template_v2(central_key, station="station-01", person="P-00007")
    victim.send("templates", tm.to_bytes(), tm.msg_id)
    victim.wait_verdicts([tm.msg_id or ""])
    receipt = c.DeletionReceipt(new_id(), None, "P-00007", "station-02", (tm.meta.uuid,),
                                c.utc_now_iso(), new_id(), c.DeletionCause.DESK,
                                c.ReceiptPlaces("done"))
    forged, _ = template_v2(central_key, data, station="station-02", person="P-00007",
                            u=tm.meta.uuid)
    attempt_uuid = new_id()
    mine = c.AttemptMessage(attempt_uuid, new_id(), "station-01", "P-00007", None, "op",
                            c.AttemptOutcome.FAILED, "no-finger", 0, 1, c.utc_now_iso(),
                            c.utc_now_iso())
    theirs = c.AttemptMessage(attempt_uuid, new_id(), "station-02", "P-00007", None, "op",
                              c.AttemptOutcome.FAILED, "no-finger", 0, 1, c.utc_now_iso(),
                              c.utc_now_iso())
    victim.send("attempts", mine.to_bytes(), mine.msg_id)
    victim.wait_verdicts([mine.msg_id])
    for kind, msg, mid in (("deletion-receipts", receipt.to_bytes(), receipt.msg_id),
                           ("templates", forged.to_bytes(), forged.msg_id),
                           ("attempts", theirs.to_bytes(), theirs.msg_id)):
        rogue.send(kind, msg, mid)  # type: ignore[arg-type]
    got = rogue.wait_verdicts([receipt.msg_id or "", forged.msg_id or "", theirs.msg_id])
    assert {(v.status, v.reason) for v in got.values()} == {("rejected", "not-owner")}
    assert ing.db.template_bytes(tm.meta.uuid) == data  # still there, unchanged
    with ing.db.engine.connect() as conn:
        refused = conn.execute(select(central_audit.c.subject).where(
            central_audit.c.action == "refused-not-owner")).scalars().all()
        owner = conn.execute(select(attempts.c.station).where(
            attempts.c.uuid == attempt_uuid)).scalar()
    assert sorted(refused) == sorted([tm.meta.uuid, tm.meta.uuid, attempt_uuid])
    assert owner == "station-01"
    assert sum("another station" in r.getMessage() for r in caplog.records) >= 3


HOSTILE: list[bytes] = [
    b"{not json", b"", b"\x00\x01\x02" * 50, os.urandom(2000), b"[" * 60_000,
    b'{"schema":2,"type":"template","uuid":' + b"9" * 5000 + b"}",
    b'{"schema":2,"type":"x","n":1e999}', b'{"schema":2,"type":"x","n":NaN}',
    json.dumps({"schema": 2, "type": "audit", "msg_id": "0" * 36, "station": "station-01",
                "entries": [{"x": [[[[[[[[[[[[1]]]]]]]]]]]]}]}).encode(),
    json.dumps({"schema": 2, "type": "heartbeat", "station": "station-01\u0000"}).encode(),
    json.dumps({"schema": 2, "type": "consent", "pad": "x" * 70_000}).encode(),
    json.dumps({"schema": 1, "type": "template", "uuid": 5}).encode(),
    json.dumps([{"schema": 2}]).encode(),
]


def test_hostile_input_on_every_subscribed_topic_changes_nothing(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    ing = ingest_factory()
    s = sender_factory()
    for kind in c.UP_KINDS:
        for payload in HOSTILE:
            s.send(kind, payload, new_id(), wait=False)
    tm, _ = template_v2(central_key)
    s.send("templates", tm.to_bytes(), tm.msg_id)  # a good message after all of that
    s.wait_verdicts([tm.msg_id or ""], 30)
    assert s.verdict(tm.msg_id or "").status == "stored"  # type: ignore[union-attr]
    with ing.db.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(templates)).scalar_one()
    assert n == 1 and ing.db.consent_count() == 0 and _count(ing, attempts) == 0
    n_acked = len(c.ACKED_KINDS) * len(HOSTILE)
    wait_until(lambda: ing.counts["malformed"] >= len(c.UP_KINDS) * len(HOSTILE) - 7, 10,
               what=f"malformed counted ({dict(ing.counts)})")
    rejected = [v for vs in s.verdicts.values() for v in vs if v.status == "rejected"]
    assert len(rejected) >= n_acked - len(c.ACKED_KINDS)  # empty payloads may be dropped
    assert all(v.reason in c.REJECT_REASONS for v in rejected)
    text = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "Traceback" not in text and ing.counts["worker-error"] == 0
    assert ing.client.is_connected()
    assert s.assert_valid() > 0  # the answers follow the contract (the inputs did not)


def test_an_event_twice_in_one_batch_is_answered_once(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair,
) -> None:
    """Hostile MQTT suite: a station re-sending an event while its first copy still waits in
    the ingest's queue (or the broker redelivering it) put the same msg_id twice in one acks
    batch; building that batch failed ("acks[] names a msg_id twice"), a worker error, and no
    event of the batch was answered."""
    ing = ingest_factory()
    s = sender_factory()
    held, go = threading.Event(), threading.Event()

    def hold_first(_uuid: str) -> None:
        if not held.is_set():
            held.set()
            go.wait(10)

    ing.after_any_commit = hold_first
    first, _ = template_v2(central_key, person="P-00001")
    s.send("templates", first.to_bytes(), first.msg_id)
    assert held.wait(10)  # the worker is busy with the first commit; the rest queues up
    tm, _ = template_v2(central_key, person="P-00002")
    other, _ = template_v2(central_key, person="P-00003")
    for m in (tm, tm, other):
        s.send("templates", m.to_bytes(), m.msg_id)
    go.set()
    got = s.wait_verdicts([first.msg_id or "", tm.msg_id or "", other.msg_id or ""])
    assert {v.status for v in got.values()} == {"stored"}
    assert len(s.verdicts[tm.msg_id or ""]) == 1
    assert ing.counts["worker-error"] == 0 and ing.db.template_count() == 3
    assert s.assert_valid() > 0
