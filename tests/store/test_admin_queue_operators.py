"""What the admin area needs from the store: the outbox as a list, "retry now", and operator
enable/disable/unlock with the last-administrator guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.store import Conflict, NotFound, OutboxState, Store
from tests.store.conftest import consent, enroll

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_outbox_rows_lists_pending_sent_and_rejected(store: Store) -> None:
    consent(store, "S-001")
    tid = enroll(store, "S-001")
    rows = store.outbox.rows()
    # The template travels before its attempt record (metadata for figures).
    assert [r.kind for r in rows] == ["consent", "template", "attempt"]
    tpl = rows[1]
    assert (
        tpl.aggregate_uuid == tid and tpl.payload is not None and tpl.payload.external_id == "S-001"
    )
    assert "template" not in tpl.payload.to_json()  # metadata only, never bytes
    store.outbox.mark_rejected(tpl.id, "unknown person at central")
    store.outbox.mark_sent(rows[0].id)
    assert [r.state for r in store.outbox.rows()] == ["sent", "rejected", "pending"]
    only = store.outbox.rows(states=(OutboxState.REJECTED,))
    assert [(r.id, r.last_error) for r in only] == [(tpl.id, "unknown person at central")]
    assert store.outbox.rows(limit=1)[0].kind == "consent"


def test_retry_outbox_makes_rejected_and_backed_off_rows_due_now(store: Store) -> None:
    consent(store, "S-001")
    tid = enroll(store, "S-001")
    c_row, t_row, _attempt = store.outbox.rows()
    store.outbox.mark_rejected(t_row.id, "unknown person at central")
    assert store.people.status("S-001").fingers[0].sync_state == "rejected"
    later = T0 + timedelta(days=400)
    store.outbox.reschedule(c_row.id, "broker offline", later)
    now = T0 + timedelta(days=1)
    assert store.outbox.due(now, limit=10) == []

    assert store.outbox.retry([c_row.id, t_row.id, 9999], actor="desk", at=now) == 2
    due = store.outbox.due(now, limit=10)
    assert {i.id for i in due} == {c_row.id, t_row.id}
    assert all(i.state == "pending" for i in due)
    # the finger is waiting again, not "rejected"
    status = store.people.status("S-001")
    assert status.fingers[0].template_uuid == tid
    assert status.fingers[0].sync_state == "queued"
    entry = store.audit.entries(limit=1)[0]
    assert (entry.actor, entry.action) == ("desk", "sync-retry")
    assert entry.after == {"outbox_ids": sorted([c_row.id, t_row.id])}


def test_retry_outbox_leaves_sent_and_acked_rows_alone(store: Store) -> None:
    consent(store, "S-001")
    (row,) = store.outbox.rows()
    store.outbox.mark_sent(row.id)
    before = len(store.audit.entries(limit=1000))
    assert store.outbox.retry([row.id], actor="desk") == 0
    assert store.outbox.rows()[0].state == "sent"
    assert len(store.audit.entries(limit=1000)) == before  # nothing done, nothing audited


def test_disable_enable_and_the_last_admin(store: Store) -> None:
    store.operators.create("sam", "1111")
    op = store.operators.set_active("sam", False, actor="desk")
    assert not op.active
    assert not store.operators.verify_pin("sam", "1111").ok
    assert "sam" not in [o.name for o in store.operators.list() if o.active]
    assert store.operators.set_active("sam", True, actor="desk").active
    assert store.operators.verify_pin("sam", "1111").ok

    with pytest.raises(Conflict, match="last active administrator"):
        store.operators.set_active("desk", False, actor="desk")
    assert store.operators.has_admin()
    store.operators.create("ines", "2222", role="admin")
    store.operators.set_active("desk", False, actor="ines")
    assert store.operators.has_admin()
    with pytest.raises(Conflict):
        store.operators.set_active("ines", False, actor="ines")
    actions = [e.action for e in store.audit.entries(limit=5)]
    assert "operator-disabled" in actions and "operator-enabled" in actions
    with pytest.raises(NotFound):
        store.operators.set_active("nobody", True, actor="desk")


def test_unlock_lifts_a_lockout(store: Store) -> None:
    store.operators.create("sam", "1111")
    for _ in range(store.operators.pin_max_failures):
        store.operators.verify_pin("sam", "0000")
    locked = store.operators.verify_pin("sam", "1111")
    assert not locked.ok and locked.locked_until is not None
    store.operators.unlock("sam", actor="desk")
    (sam,) = [o for o in store.operators.list() if o.name == "sam"]
    assert sam.locked_until is None and sam.failed_attempts == 0
    assert store.operators.verify_pin("sam", "1111").ok
    assert store.audit.entries(limit=1)[0].action == "operator-unlocked"
