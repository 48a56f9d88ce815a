"""The outbox contract the sync worker relies on, and biometric deletion."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from kiosk import threadguard
from kiosk.store import (
    ConsentEvent,
    DeletionReceiptEvent,
    NotFound,
    PersonIn,
    Store,
    TemplateEvent,
    Verdict,
)
from tests.store.conftest import consent, enroll

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _template_item(store: Store, uid: str, now: datetime | None = None) -> int:
    items = [
        i
        for i in store.outbox.due(now or T0 + timedelta(days=1), limit=100)
        if i.aggregate_uuid == uid
    ]
    assert len(items) == 1
    return items[0].id


def test_outbox_lifecycle(store: Store) -> None:
    consent(store, "S-001")
    uid = store.enrollments.record(
        external_id="S-001",
        finger=2,
        slot=1,
        template=b"\x11" * 512,
        sensor_model="R307",
        template_format="r307-char",
        match_score=80,
        operator="desk",
        at=T0,
    )
    oid = _template_item(store, uid)
    assert store.outbox.due(T0 - timedelta(seconds=1), limit=100) == []

    store.outbox.mark_sent(oid, at=T0)
    assert all(i.id != oid for i in store.outbox.due(T0 + timedelta(hours=1), limit=100))
    stats = store.outbox.stats(at=T0 + timedelta(minutes=10))
    assert stats.sent_unacked == 1
    assert stats.oldest_pending_age_s is not None and stats.oldest_pending_age_s >= 600

    # No ack in time: the worker reschedules with backoff.
    retry_at = T0 + timedelta(minutes=2)
    assert store.outbox.reschedule(oid, "no ack within 30 s", retry_at) == 1
    assert all(i.id != oid for i in store.outbox.due(retry_at - timedelta(seconds=1)))
    item = next(i for i in store.outbox.due(retry_at) if i.id == oid)
    assert item.state == "pending" and item.attempts == 1 and item.last_error.startswith("no ack")

    store.outbox.mark_sent(oid, at=retry_at)
    assert store.outbox.mark_acked(uid, at=retry_at) is True
    assert store.outbox.mark_acked(uid, at=retry_at) is False  # duplicate ack: harmless
    done = store.outbox.item(oid)
    assert done is not None and done.state == "acked" and done.acked_at == retry_at
    status = store.people.status("S-001")
    assert status.fingers[0].sync_state == "synced" and status.all_synced
    assert store.enrollments.template_bytes(uid) == b"\x11" * 512  # kept: shred was not asked for
    stats = store.outbox.stats(at=retry_at)
    assert stats.last_sync_at == retry_at and stats.acked == 1


def test_ack_with_shredding_keeps_metadata(store: Store) -> None:
    consent(store, "S-001")
    uid = enroll(store, "S-001", slot=2)
    oid = _template_item(store, uid, datetime.now(UTC))
    store.outbox.mark_sent(oid)
    assert store.outbox.mark_acked(uid, shred=True)
    assert store.enrollments.template_bytes(uid) is None
    finger = store.people.status("S-001").fingers[0]
    assert finger.shredded and finger.sync_state == "synced" and finger.sensor_slot == 2
    tpl = store.slots.template_for_slot(2)
    assert tpl is not None and tpl.data is None and tpl.sha256
    assert "template-shredded" in [a.action for a in store.audit.entries()]


def test_rejected_is_final(store: Store) -> None:
    consent(store, "S-001")
    uid = enroll(store, "S-001")
    oid = _template_item(store, uid, datetime.now(UTC))
    store.outbox.mark_rejected(oid, "schema version not accepted")
    assert store.people.status("S-001").fingers[0].sync_state == "rejected"
    assert store.outbox.stats().rejected == 1
    assert store.outbox.reschedule(oid, "late", datetime.now(UTC)) == 0  # stays rejected
    item = store.outbox.item(oid)
    assert item is not None and item.state == "rejected"
    with pytest.raises(NotFound):
        store.outbox.mark_sent(999_999)


def test_delete_person_biometrics(store: Store) -> None:
    consent(store, "S-001")
    a = enroll(store, "S-001", "right-index", slot=4)
    b = enroll(store, "S-001", "left-index", slot=9)
    store.outbox.mark_sent(_template_item(store, a, datetime.now(UTC)))

    slots = store.deletions.delete_person("S-001", actor="desk", reason="consent withdrawn")
    assert slots == [4, 9]
    assert (
        store.enrollments.template_bytes(a) is None and store.enrollments.template_bytes(b) is None
    )
    assert store.people.status("S-001").fingers == ()
    assert store.slots.pending_releases() == {4, 9}
    assert store.slots.in_use() == {4, 9}  # not reusable until cleared on the sensor
    assert store.slots.template_slots() == {}
    due = store.outbox.due(limit=100)
    # Unsent/unacked template messages are gone; a deletion receipt announces the deletion.
    assert not [i for i in due if i.kind == "template"]
    receipts = [i for i in due if i.kind == "deletion-receipt"]
    assert len(receipts) == 1
    receipt = receipts[0].payload
    assert isinstance(receipt, DeletionReceiptEvent)
    assert sorted(receipt.template_uuids) == sorted([a, b])
    audit = store.audit.entries()[0]
    assert audit.action == "biometrics-deleted" and audit.subject == "S-001"
    assert store.outbox.mark_acked(receipts[0].aggregate_uuid)

    store.slots.confirm_released([4])
    assert store.slots.pending_releases() == {9}
    # Enrolling into a slot still on the release list takes it off the list.
    uid = enroll(store, "S-001", "right-index", slot=9)
    assert store.slots.pending_releases() == set()
    assert store.slots.template_slots() == {9: uid}
    assert store.maintenance.counts()["consents"] == 1  # proof of consent stays


def test_sync_state(store: Store) -> None:
    assert store.state.get("roster_version") == "r1"
    store.state.set("roster_version", "r2")
    assert store.state.get("roster_version") == "r2"
    assert store.state.get("nope") is None


def test_consent_outbox_messages(store: Store) -> None:
    cid = consent(store, "S-002")
    assert store.consents.withdraw("S-002", operator="desk")
    assert store.consents.withdraw("S-002", operator="desk") is False
    events = [
        i.payload.event
        for i in store.outbox.due(limit=100)
        if isinstance(i.payload, ConsentEvent) and i.aggregate_uuid == cid
    ]
    assert events == ["given", "withdrawn"]
    assert store.consents.active("S-002") is None


def test_requeue_unacked_after_restart(store: Store) -> None:
    consent(store, "S-001")
    uid = enroll(store, "S-001")
    oid = _template_item(store, uid, datetime.now(UTC))
    store.outbox.mark_sent(oid, at=T0)
    assert store.outbox.requeue_unacked(T0 - timedelta(seconds=1)) == 0
    assert store.outbox.requeue_unacked(T0 + timedelta(seconds=31), next_at=T0) == 1
    item = store.outbox.item(oid)
    assert item is not None and (item.state, item.attempts) == ("pending", 1)
    assert oid in [i.id for i in store.outbox.due(T0)]


def test_store_refuses_the_gui_thread(store: Store) -> None:
    threadguard.set_gui_thread(threading.get_ident(), strict=True)
    try:
        with pytest.raises(threadguard.GuiThreadIOError):
            store.people.search("anna")
        with pytest.raises(threadguard.GuiThreadIOError):
            store.outbox.due()
    finally:
        threadguard.set_gui_thread(None)
        threadguard.violations.clear()
    assert store.people.search("anna")


def test_queue_slot_release_never_targets_a_recorded_template(store: Store) -> None:
    consent(store, "S-001")
    enroll(store, "S-001", slot=12)
    assert store.slots.queue_release(12) is False
    assert store.slots.queue_release(13) is True
    assert store.slots.pending_releases() == {13}
    assert 13 in store.slots.in_use()
    assert store.slots.reconcile([12, 13]).to_release == {13}


def test_ack_by_outbox_id_settles_only_that_event(store: Store) -> None:
    """A consent given then withdrawn: the ack for "given" must not settle "withdrawn"."""
    store.people.upsert([PersonIn("C-1", "Consenting Person")], "1")
    consent = store.consents.record(
        "C-1", notice_version="1", notice_text="n", method="on-screen", operator=None
    )
    assert store.consents.withdraw("C-1", operator=None)
    rows = [i for i in store.outbox.due(limit=100) if i.aggregate_uuid == consent]
    assert len(rows) == 2
    given, withdrawn = sorted(rows, key=lambda i: i.id)
    assert store.outbox.mark_acked(consent, outbox_id=given.id) is True
    left = [i for i in store.outbox.due(limit=100) if i.aggregate_uuid == consent]
    assert [i.id for i in left] == [withdrawn.id]
    assert store.outbox.mark_acked(consent, outbox_id=given.id) is False  # duplicate: nothing else
    assert store.outbox.mark_acked(consent, outbox_id=withdrawn.id) is True


def test_settle_many_in_one_call(store: Store) -> None:
    """One batch of acks: templates synced and shredded (one audit entry each, in the order
    their events were written), a rejection kept for good, an unknown msg_id only reported,
    and the same batch again changes nothing."""
    consent(store, "S-001")
    uids = [enroll(store, "S-001", f, slot=i) for i, f in
            enumerate(("right-index", "left-index", "right-thumb"), start=1)]
    items = {i.aggregate_uuid: i for i in store.outbox.due(limit=100)
             if isinstance(i.payload, TemplateEvent)}
    store.outbox.mark_sent_many(i.id for i in items.values())
    first, second, third = (items[u] for u in uids)
    verdicts = [Verdict(third.msg_id), Verdict(second.msg_id, rejected=True, reason="bad"),
                Verdict(first.msg_id), Verdict("no-such-msg")]
    done = store.outbox.settle(verdicts, shred=True)
    assert done.acked == (first.id, third.id) and done.rejected == (second.id,)
    assert done.unknown == ("no-such-msg",)
    assert [store.enrollments.template_bytes(u) is None for u in uids] == [True, False, True]
    states = {f.finger: f.sync_state for f in store.people.status("S-001").fingers}
    assert states == {"right-index": "synced", "left-index": "rejected",
                      "right-thumb": "synced"}
    shredded = [a.subject for a in reversed(store.audit.entries())
                if a.action == "template-shredded"]
    assert shredded == [uids[0], uids[2]]
    again = store.outbox.settle(verdicts, shred=True)
    assert again.acked == () and again.rejected == () and len(again.unknown) == 4


def test_template_source_answers_as_template_bytes(store: Store) -> None:
    """The read-ahead the sync worker seals from: the same bytes, None for a shredded or
    deleted template, and a uuid not read ahead still answered."""
    consent(store, "S-001")
    kept = enroll(store, "S-001", "right-index", slot=1, data=b"\x01" * 512)
    shredded = enroll(store, "S-001", "left-index", slot=2)
    later = enroll(store, "S-001", "right-thumb", slot=3, data=b"\x03" * 512)
    store.outbox.mark_acked(shredded, shred=True)
    batch = store.enrollments.template_source([kept, shredded, "gone"])
    assert batch.template_bytes(kept) == b"\x01" * 512
    assert batch.template_bytes(shredded) is None
    assert batch.template_bytes("gone") is None
    assert batch.template_bytes(later) == b"\x03" * 512
