"""Enrollment writes: template, attempt, audit and outbox row are one atomic unit."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event

from kiosk.store import Conflict, ConsentMissing, InvalidInput, NotFound, Store, TemplateEvent
from kiosk.store import models as m
from kiosk_contract.fingers import Finger
from tests.store.conftest import consent, enroll


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_record_enrollment_writes_everything(store: Store, db_path: Path) -> None:
    consent(store, "S-001")
    uid = enroll(store, "S-001", slot=7)
    assert _rows(db_path, "SELECT uuid, sensor_slot, length, sync_state FROM templates") == [
        (uid, 7, 512, "queued")
    ]
    assert _rows(db_path, "SELECT outcome, template_uuid FROM enrollment_attempts") == [
        ("enrolled", uid)
    ]
    due = [d for d in store.outbox.due() if d.kind == "template"]
    assert len(due) == 1 and due[0].aggregate_uuid == uid
    payload = due[0].payload
    assert isinstance(payload, TemplateEvent)
    assert payload.finger is Finger.RIGHT_INDEX and payload.finger.code == 2
    assert payload.sha256 and payload.external_id == "S-001"
    # The outbox never carries the template itself.
    assert "5a5a" not in str(payload.to_json()).lower() and "template" not in payload.to_json()
    assert store.enrollments.template_bytes(uid) == b"\x5a" * 512
    actions = [a.action for a in store.audit.entries()]
    assert "enroll" in actions
    status = store.people.status("S-001")
    assert status.enrolled and status.fingers[0].finger is Finger.RIGHT_INDEX
    assert store.slots.in_use() == {7}
    t = store.slots.template_for_slot(7)
    assert t is not None and t.data == b"\x5a" * 512 and "5a5a" not in repr(t)


def test_enrollment_needs_consent(store: Store) -> None:
    with pytest.raises(ConsentMissing):
        enroll(store, "S-002")
    store.consents.record("S-002", notice_version="1", notice_text="n", method="refused",
                         operator="desk")
    with pytest.raises(ConsentMissing):
        enroll(store, "S-002")
    consent(store, "S-002")
    assert store.consents.withdraw("S-002", operator="desk")
    with pytest.raises(ConsentMissing):
        enroll(store, "S-002")
    assert store.maintenance.counts()["templates"] == 0


def test_duplicate_finger_or_slot_refused(store: Store) -> None:
    consent(store, "S-001")
    consent(store, "S-002")
    enroll(store, "S-001", slot=1)
    with pytest.raises(Conflict, match="already enrolled"):
        enroll(store, "S-001", slot=2)
    with pytest.raises(Conflict, match="slot 1"):
        enroll(store, "S-002", slot=1)
    with pytest.raises(InvalidInput):
        enroll(store, "S-002", finger="sixth-finger", slot=3)
    with pytest.raises(NotFound):
        enroll(store, "NOBODY", slot=3)
    assert store.maintenance.counts()["templates"] == 1


def test_failure_mid_transaction_rolls_back_everything(store: Store, db_path: Path) -> None:
    """Inject a failure when the outbox row is flushed: no template, attempt or audit remains."""
    consent(store, "S-001")
    before = store.maintenance.counts()

    def boom(*_args: object) -> None:
        raise RuntimeError("injected failure while writing the outbox row")

    event.listen(m.OutboxMessage, "before_insert", boom)
    try:
        with pytest.raises(RuntimeError, match="injected"):
            enroll(store, "S-001", slot=4)
    finally:
        event.remove(m.OutboxMessage, "before_insert", boom)
    assert store.maintenance.counts() == before
    assert _rows(db_path, "SELECT count(*) FROM templates") == [(0,)]
    # And the reverse: a failing template insert leaves no outbox row.
    event.listen(m.EnrollmentAttempt, "before_insert", boom)
    try:
        with pytest.raises(RuntimeError):
            enroll(store, "S-001", slot=4)
    finally:
        event.remove(m.EnrollmentAttempt, "before_insert", boom)
    assert store.maintenance.counts() == before
    # Once the fault is gone the same enrollment goes through.
    enroll(store, "S-001", slot=4)
    assert store.maintenance.counts()["templates"] == 1
    # its template event and its attempt event
    assert store.maintenance.counts()["outbox"] == before["outbox"] + 2


def test_record_attempt(store: Store, db_path: Path) -> None:
    uid = store.enrollments.record_attempt(
        external_id="S-002", outcome="cancelled", reason="person left",
        started_at=datetime.now(UTC), finger=7, captures=[{"ms": 5000, "retries": ["no-finger"]}],
    )
    rows = _rows(db_path, "SELECT uuid, outcome, finger, captures FROM enrollment_attempts")
    assert rows[0][:3] == (uid, "cancelled", 7)
    assert "no-finger" in str(rows[0][3])
    with pytest.raises(InvalidInput):
        store.enrollments.record_attempt(external_id="S-002", outcome="enrolled", reason="",
                             started_at=datetime.now(UTC))
