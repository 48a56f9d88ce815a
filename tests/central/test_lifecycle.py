"""Withdrawal, deletion receipts per place, heartbeats, attempts and audit chains at central,
end to end through the broker and the real ingest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import kiosk_contract as c
from kiosk_central import audit_log
from kiosk_central.apply import Batch
from kiosk_central.ingest import Ingest
from kiosk_central.reports import subject_report
from kiosk_central.schema import attempts, heartbeats, station_health, template_tombstones
from kiosk_contract.sealing import KeyPair
from tests.central.conftest import Sender
from tests.central.samples import audit_entries, new_id, template_v2
from tests.fixtures.broker import wait_until

pytestmark = pytest.mark.timeout(120)
PERSON = "P-00042"


def _receipt(s: Sender, uuids: tuple[str, ...], sensor: c.SensorPlace, *, uuid: str | None = None,
             request_id: str | None = None,
             cause: c.DeletionCause = c.DeletionCause.WITHDRAWAL) -> c.DeletionReceipt:
    return c.DeletionReceipt(uuid or new_id(), request_id, PERSON, s.station, uuids,
                             c.utc_now_iso(), new_id(), cause, c.ReceiptPlaces(sensor))


def test_withdrawal_deletes_everywhere_and_receipts_complete_per_place(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair,
) -> None:
    ing = ingest_factory()
    a, b = sender_factory("station-01"), sender_factory("station-02")
    b.status()  # station-02 announces schema 2: its deletion requests carry a cause
    ta, _ = template_v2(central_key, station=a.station, person=PERSON)
    tb, _ = template_v2(central_key, station=b.station, person=PERSON, finger="left-thumb")
    a.send("templates", ta.to_bytes(), ta.msg_id)
    b.send("templates", tb.to_bytes(), tb.msg_id)
    a.wait_verdicts([ta.msg_id or ""])
    b.wait_verdicts([tb.msg_id or ""])
    late, _ = template_v2(central_key, station=b.station, person=PERSON, finger="left-ring")
    consent = new_id()
    w = c.ConsentMessage(consent, "withdrawn", PERSON, a.station, "op", c.utc_now_iso(),
                         {"notice_version": "2026-1"}, new_id())
    a.send("consents", w.to_bytes(), w.msg_id)
    assert a.wait_verdicts([w.msg_id or ""])[w.msg_id or ""].status == "stored"
    assert ing.db.template_rows(PERSON) == []  # central's copies: gone at once
    wait_until(lambda: any(t.endswith("/deletions") for t, _, _ in b.down), 10,
               what="deletion request to station-02")
    _topic, raw, corr = next(d for d in b.down if d[0].endswith("/deletions"))
    req = c.DeletionRequest.parse(raw)
    assert (req.person, req.station, req.cause) == (PERSON, b.station, "withdrawal")
    assert c.uuid_from_correlation(corr) == req.request_id
    assert not any(t.endswith("/deletions") for t, _, _ in a.down)  # the sender deletes itself
    # A template enrolled before the withdrawal arrives late: refused, not stored.
    b.send("templates", late.to_bytes(), late.msg_id)
    v = b.wait_verdicts([late.msg_id or ""])[late.msg_id or ""]
    assert (v.status, v.reason) == ("rejected", "consent-withdrawn")
    # Station-02 deletes; its sensor is unplugged: the receipt says so, not complete yet.
    rb = _receipt(b, (tb.meta.uuid,), "pending", request_id=req.request_id)
    b.send("deletion-receipts", rb.to_bytes(), rb.msg_id)
    b.wait_verdicts([rb.msg_id or ""])
    ra = _receipt(a, (ta.meta.uuid,), "done")
    a.send("deletion-receipts", ra.to_bytes(), ra.msg_id)
    a.wait_verdicts([ra.msg_id or ""])
    rep = subject_report(ing.db, PERSON)
    state = {r["station"]: r["complete"] for r in rep["deletion_receipts"]}
    assert state == {"station-01": True, "station-02": False}
    assert rep["deletion_requests"][0]["receipt"] == rb.uuid
    # The sensor comes back: the same receipt again, a new msg_id, sensor done: complete.
    again = replace(rb, msg_id=new_id(), places=c.ReceiptPlaces("done"))
    b.send("deletion-receipts", again.to_bytes(), again.msg_id)
    assert b.wait_verdicts([again.msg_id or ""])[again.msg_id or ""].status == "stored"
    b.send("deletion-receipts", rb.to_bytes(), rb.msg_id)  # an old copy: no step back
    wait_until(lambda: len(b.verdicts[rb.msg_id or ""]) == 2, 10, what="old copy answered")
    assert b.verdicts[rb.msg_id or ""][-1].status == "duplicate"
    rep = subject_report(ing.db, PERSON)
    assert all(r["complete"] for r in rep["deletion_receipts"])
    # Everything was deleted and stays deleted: a re-send of a template is refused.
    a.send("templates", ta.to_bytes(), ta.msg_id)
    wait_until(lambda: len(a.verdicts[ta.msg_id or ""]) == 2, 10, what="verdict on re-send")
    assert a.verdicts[ta.msg_id or ""][-1].reason == "deleted"
    with ing.db.engine.connect() as conn:
        gone = {r[0]: r[1] for r in conn.execute(select(template_tombstones.c.uuid,
                                                        template_tombstones.c.cause))}
    assert gone[ta.meta.uuid] == gone[tb.meta.uuid] == "withdrawal"
    assert ing.db.template_count() == 0
    fingers = rep["enrollments_by_finger"]
    assert {f: [e["held_at_central"] for e in es] for f, es in fingers.items()} == {
        "right-index": [False], "left-thumb": [False]}
    assert rep["consents"][0]["notice_version"] == "2026-1"
    assert a.assert_valid() >= 4 and b.assert_valid() >= 5  # acks, acks batches, deletions
    assert all("data" not in e for es in fingers.values() for e in es)


def test_heartbeats_give_the_fleet_view_and_clock_skew(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
) -> None:
    ing = ingest_factory()
    s = sender_factory()
    ahead = (datetime.now(UTC) + timedelta(seconds=30)).isoformat(timespec="milliseconds")
    for n in range(3):
        hb = c.HeartbeatMessage(s.station, "2.0.0", 100 + n, c.Backlog(7 - n, 3.5, 1),
                                c.SensorReport(c.SensorState.DISCONNECTED, "R307", None, 1000),
                                5, c.clean_text("sensor unplugged\nagain", 200),
                                ahead.replace("+00:00", "Z"))
        s.send("heartbeat", hb.to_bytes())
    with ing.db.engine.connect() as conn:
        wait_until(lambda: conn.execute(select(heartbeats.c.id)).all().__len__() == 3, 10,
                   what="three heartbeats stored")
        h = conn.execute(select(station_health)).mappings().one()
    assert h["station"] == s.station and h["pending"] == 5 and h["sensor_state"] == "disconnected"
    assert 25 < h["clock_skew_s"] < 31 and h["last_error"] == "sensor unplugged again"
    assert not any(t.endswith("/acks") for t, _, _ in s.down)  # heartbeats are not acked
    assert ing.db.station_schemas()[s.station] == 2
    with ing.db.engine.begin() as conn:  # history is pruned; the latest state stays
        assert Batch(conn, ing.db.dialect, None).prune_heartbeats(1) == 0
        assert Batch(conn, ing.db.dialect, None).prune_heartbeats(0) == 3
        assert conn.execute(select(station_health.c.station)).all() == [(s.station,)]


def test_attempts_are_stored_once_for_the_figures(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
) -> None:
    ing = ingest_factory()
    s = sender_factory()
    start = datetime(2026, 3, 2, 23, 59, 58, tzinfo=UTC)
    msgs = [c.AttemptMessage(new_id(), new_id(), s.station, f"P-{i:05d}", c.Finger.RIGHT_INDEX,
                             "alice" if i % 2 else "bob", outcome, reason, i % 3, 3,
                             start.isoformat().replace("+00:00", "Z"),
                             (start + timedelta(seconds=4)).isoformat().replace("+00:00", "Z"),
                             new_id() if outcome == c.AttemptOutcome.ENROLLED else None)
            for i, (outcome, reason) in enumerate([(c.AttemptOutcome.ENROLLED, None),
                                                   (c.AttemptOutcome.FAILED, "low-quality"),
                                                   (c.AttemptOutcome.TIMED_OUT, "no-finger")])]
    for m in msgs:
        s.send("attempts", m.to_bytes(), m.msg_id)
    again = replace(msgs[0], msg_id=new_id())  # the same attempt, another outbox event
    s.send("attempts", again.to_bytes(), again.msg_id)
    wait_until(lambda: len(s.verdicts) == 4, 10, what="four verdicts")
    assert sorted(v[-1].status for v in s.verdicts.values()) == ["duplicate"] + ["stored"] * 3
    with ing.db.engine.connect() as conn:
        rows = conn.execute(select(attempts.c.day, attempts.c.duration_ms, attempts.c.outcome)
                            .order_by(attempts.c.id)).all()
    assert rows == [("2026-03-02", 4000, "enrolled"), ("2026-03-02", 4000, "failed"),
                    ("2026-03-02", 4000, "timed-out")]


def test_audit_chains_verify_and_name_where_they_break(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
) -> None:
    ing = ingest_factory()
    good, cut = sender_factory("station-01"), sender_factory("station-02")
    chain = audit_entries(250, "station-01")
    ids = []
    for i in range(0, 250, 100):
        m = c.AuditMessage(new_id(), "station-01", tuple(chain[i:i + 100]))
        good.send("audit", m.to_bytes(), m.msg_id)
        ids.append(m.msg_id)
    assert {v.status for v in good.wait_verdicts(ids).values()} == {"stored"}
    with ing.db.engine.connect() as conn:
        rep = audit_log.verify_station(conn, "station-01")
    assert rep.ok and rep.entries == 250 and rep.last_seq == 250
    # Station-01 rewrites entry 7 and sends it again: central keeps both and says so.
    edited = c.AuditEntry.chained(chain[5].hash, "station-01", seq=7, at=chain[6].at,
                                  actor="mallory", action="enroll", subject="someone")
    m = c.AuditMessage(new_id(), "station-01", (edited,))
    good.send("audit", m.to_bytes(), m.msg_id)
    assert good.wait_verdicts([m.msg_id])[m.msg_id].reason == "conflict"
    # Station-02's chain was cut: entries 11..19 never arrive.
    other = audit_entries(30, "station-02")
    for part in (other[:10], other[19:]):
        m = c.AuditMessage(new_id(), "station-02", tuple(part))
        cut.send("audit", m.to_bytes(), m.msg_id)
        cut.wait_verdicts([m.msg_id])
    with ing.db.engine.connect() as conn:
        rewritten = audit_log.verify_station(conn, "station-01")
        gap = audit_log.verify_station(conn, "station-02")
        central = audit_log.verify_central(conn)
    assert (rewritten.ok, rewritten.seq, rewritten.kind) == (False, 7, "rewritten")
    assert (gap.ok, gap.seq, gap.kind, gap.entries) == (False, 11, "cut", 10)
    assert "11..19" in (gap.problem or "")
    assert central.ok  # central's own log is intact
