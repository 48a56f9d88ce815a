"""The transactional outbox: everything central must hear, written with the change itself.

A row is written in the same transaction as the record it announces (a template, a consent, a
deletion) and stays until central's application ack. The sync layer reads due rows, seals and
sends them, and reports back here; acks are idempotent.

Long on purpose (a little over 400 lines): marking sent, settling acks, rescheduling and the
queue views all change the same rows, and their transactions must be read together to see that
no row is settled twice or lost.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kiosk.store import models as m
from kiosk.store.audit import AuditLog
from kiosk.store.db import Database, new_uuid, now
from kiosk.store.errors import NotFound
from kiosk.store.payloads import AuditEvent, OutboxPayload, PayloadError, parse_payload
from kiosk.store.records import OutboxItem, OutboxStats
from kiosk.store.state import KEY_AUDIT_QUEUED, KEY_LAST_SYNC, SyncStateStore
from kiosk.store.vocab import OutboxKind, OutboxState, TemplateSync
from kiosk.threadguard import check_io

_OPEN = (OutboxState.PENDING, OutboxState.SENT)


def _item(o: m.OutboxMessage) -> OutboxItem:
    try:
        payload: OutboxPayload | None = parse_payload(o.kind, dict(o.payload))
        damage = ""
    except PayloadError as exc:
        payload, damage = None, str(exc)
    return OutboxItem(
        id=o.id, msg_id=o.msg_id, kind=OutboxKind(o.kind), aggregate_uuid=o.aggregate_uuid,
        payload=payload,
        state=OutboxState(o.state), attempts=o.attempts, next_attempt_at=o.next_attempt_at,
        last_error=o.last_error or damage, created_at=o.created_at, sent_at=o.sent_at,
        acked_at=o.acked_at,
    )


@dataclass(frozen=True)
class Verdict:
    """Central's answer to one event."""

    msg_id: str
    rejected: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Settled:
    acked: tuple[int, ...]
    rejected: tuple[int, ...]
    #: msg_ids no open event carries (already settled, or unknown): nothing was changed.
    unknown: tuple[str, ...]


class Outbox:
    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit

    def enqueue(self, s: Session, payload: OutboxPayload, at: datetime) -> int:
        """Add a row inside the caller's unit of work (the change it announces)."""
        msg = m.OutboxMessage(
            msg_id=new_uuid(), kind=payload.kind.value, aggregate_uuid=payload.aggregate_uuid,
            payload=payload.to_json(), state=OutboxState.PENDING.value, attempts=0,
            next_attempt_at=at, last_error="", created_at=at,
        )
        s.add(msg)
        s.flush()
        return msg.id

    def drop_open(self, s: Session, kind: OutboxKind, aggregate_uuids: list[str]) -> None:
        """Remove not-yet-acknowledged rows (their records were deleted before sending)."""
        if aggregate_uuids:
            s.execute(delete(m.OutboxMessage).where(
                m.OutboxMessage.kind == kind.value,
                m.OutboxMessage.aggregate_uuid.in_(aggregate_uuids),
                m.OutboxMessage.state.in_([st.value for st in _OPEN]),
            ))

    def due(self, at: datetime | None = None, limit: int = 20) -> list[OutboxItem]:
        """Pending messages whose next attempt time has come, oldest first."""
        check_io("db", "outbox.due")
        at = at or now()
        with self.db.read() as s:
            rows = s.scalars(
                select(m.OutboxMessage)
                .where(m.OutboxMessage.state == OutboxState.PENDING.value,
                       m.OutboxMessage.next_attempt_at <= at)
                .order_by(m.OutboxMessage.next_attempt_at, m.OutboxMessage.id).limit(limit)
            ).all()
            return [_item(r) for r in rows]

    def next_due_at(self) -> datetime | None:
        """When the earliest pending message falls due (None: nothing pending), so the sync
        worker sleeps exactly until then instead of polling."""
        check_io("db", "outbox.next_due_at")
        with self.db.read() as s:
            raw = s.scalar(select(func.min(m.OutboxMessage.next_attempt_at)).where(
                m.OutboxMessage.state == OutboxState.PENDING.value))
        # min() keeps the column's type, so this is already an aware UTC datetime.
        return raw if isinstance(raw, datetime) else None

    def item(self, outbox_id: int) -> OutboxItem | None:
        check_io("db", "outbox.item")
        with self.db.read() as s:
            row = s.get(m.OutboxMessage, outbox_id)
            return _item(row) if row else None

    def rows(
        self, states: Iterable[OutboxState] = (OutboxState.PENDING, OutboxState.SENT,
                                               OutboxState.REJECTED),
        limit: int = 200,
    ) -> list[OutboxItem]:
        """Messages in ``states``, oldest first, for the admin's sync-queue view."""
        check_io("db", "outbox.rows")
        with self.db.read() as s:
            rows = s.scalars(
                select(m.OutboxMessage)
                .where(m.OutboxMessage.state.in_([OutboxState(x).value for x in states]))
                .order_by(m.OutboxMessage.created_at, m.OutboxMessage.id).limit(limit)
            ).all()
            return [_item(r) for r in rows]

    def _row(self, s: Session, outbox_id: int) -> m.OutboxMessage:
        row = s.get(m.OutboxMessage, outbox_id)
        if row is None:
            raise NotFound(f"No outbox message {outbox_id}.", hint="It may have been dropped.")
        return row

    # -- the sync worker's bookkeeping, in batches (one transaction for many rows) ----------

    def mark_sent_many(self, outbox_ids: Iterable[int], *, at: datetime | None = None) -> int:
        """Published (the broker has them); waiting for central's ack. Returns how many."""
        check_io("db", "outbox.mark_sent_many")
        ids = sorted(set(outbox_ids))
        if not ids:
            return 0
        with self.db.transaction() as s:
            res = s.execute(update(m.OutboxMessage).where(
                m.OutboxMessage.id.in_(ids),
                m.OutboxMessage.state.in_([st.value for st in _OPEN]))
                .values(state=OutboxState.SENT.value, sent_at=at or now()))
            return int(res.rowcount or 0)  # type: ignore[attr-defined]

    def settle(self, verdicts: Iterable[Verdict], *, shred: bool = False,
               at: datetime | None = None) -> Settled:
        """Central's acks, many at once: each settles exactly the event it names (msg_id).

        ``stored``/``duplicate`` → acked (a template becomes synced, and is shredded with
        ``shred``; a deletion receipt's tombstone acked); ``rejected`` → rejected for good.
        Unknown or already settled msg_ids are reported, never applied to another event.
        """
        check_io("db", "outbox.settle")
        todo = {v.msg_id: v for v in verdicts}
        if not todo:
            return Settled((), (), ())
        at = at or now()
        acked: list[int] = []
        rejected: list[int] = []
        shredded = False
        with self.db.transaction() as s:
            rows = s.scalars(select(m.OutboxMessage).where(
                m.OutboxMessage.msg_id.in_(list(todo)),
                m.OutboxMessage.state.in_([st.value for st in _OPEN]))).all()
            for row in rows:
                v = todo[row.msg_id]
                if v.rejected:
                    self._reject_row(s, row, v.reason, at)
                    rejected.append(row.id)
                    continue
                row.state, row.acked_at = OutboxState.ACKED.value, at
                acked.append(row.id)
                if row.kind == OutboxKind.TEMPLATE:
                    shredded |= self._template_synced(s, row.aggregate_uuid, shred, at)
                elif row.kind == OutboxKind.DELETION_RECEIPT:
                    s.execute(update(m.Tombstone).where(m.Tombstone.uuid == row.aggregate_uuid)
                              .values(acked_at=at))
            if acked:
                SyncStateStore.write_in(s, KEY_LAST_SYNC, at.isoformat(), at)
        if shredded:
            self.db.checkpoint()
        known = {r.msg_id for r in rows}
        return Settled(tuple(acked), tuple(rejected),
                       tuple(sorted(mid for mid in todo if mid not in known)))

    def reschedule_many(self, items: Iterable[tuple[int, str, datetime]]) -> None:
        """Failed deliveries (id, error, next attempt) back to pending, attempts + 1."""
        check_io("db", "outbox.reschedule_many")
        todo = {i: (err, when) for i, err, when in items}
        if not todo:
            return
        with self.db.transaction() as s:
            for row in s.scalars(select(m.OutboxMessage).where(
                    m.OutboxMessage.id.in_(list(todo)),
                    m.OutboxMessage.state.in_([st.value for st in _OPEN]))).all():
                err, when = todo[row.id]
                row.state, row.attempts = OutboxState.PENDING.value, row.attempts + 1
                row.last_error, row.next_attempt_at = err, when

    def open_count(self) -> int:
        """Rows not yet acknowledged (pending or sent): what "waiting to sync" counts."""
        with self.db.read() as s:
            return int(s.scalar(select(func.count()).select_from(m.OutboxMessage).where(
                m.OutboxMessage.state.in_([st.value for st in _OPEN]))) or 0)

    def enqueue_audit(self, *, max_entries: int = 100, max_bytes: int = 40_000,
                      max_events: int = 50) -> int:
        """Put the audit entries not yet queued for central into audit events (runs of
        consecutive entries, each small enough for one message). Returns events queued."""
        check_io("db", "outbox.enqueue_audit")
        at = now()
        made = 0
        with self.db.transaction() as s:
            done = int(SyncStateStore.read_in(s, KEY_AUDIT_QUEUED) or 0)
            rows = s.execute(select(m.AuditEntry.seq, m.AuditEntry.before, m.AuditEntry.after,
                                    m.AuditEntry.action, m.AuditEntry.subject)
                             .where(m.AuditEntry.seq > done).order_by(m.AuditEntry.seq)
                             .limit(max_entries * max_events)).all()
            first, size, count = None, 0, 0
            for r in rows:
                est = 300 + len(json.dumps(r.before)) + len(json.dumps(r.after)) + \
                    len(r.action) + len(r.subject)
                if first is not None and (count >= max_entries or size + est > max_bytes):
                    self._audit_event(s, first, first + count - 1, at)
                    made += 1
                    first, size, count = None, 0, 0
                if first is None:
                    first = r.seq
                size, count = size + est, count + 1
            if first is not None:
                self._audit_event(s, first, first + count - 1, at)
                made += 1
                done = first + count - 1
            if made:
                SyncStateStore.write_in(s, KEY_AUDIT_QUEUED, str(done), at)
        return made

    def _audit_event(self, s: Session, first: int, last: int, at: datetime) -> None:
        rid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"fpk-audit:{self.db.station_id}:{first}"))
        self.enqueue(s, AuditEvent(first, last, rid), at)

    def mark_sent(self, outbox_id: int, *, at: datetime | None = None) -> None:
        """Published (transport-acked by the broker); waiting for the central ack."""
        check_io("db", "outbox.mark_sent")
        with self.db.transaction() as s:
            row = self._row(s, outbox_id)
            if row.state in _OPEN:
                row.state = OutboxState.SENT.value
                row.sent_at = at or now()

    def mark_acked(
        self, aggregate_uuid: str, *, outbox_id: int | None = None, shred: bool = False,
        at: datetime | None = None,
    ) -> bool:
        """Central confirmed it stored ``aggregate_uuid``. Returns False if nothing was waiting.

        With ``outbox_id`` only that row is acknowledged: several rows may announce the same
        aggregate (a consent given, then withdrawn), and an ack for one must not settle another
        that central has not received.

        For a template: marks it synced and, with ``shred=True`` (retention setting
        ``keep_templates_after_sync = false``), erases its bytes while the metadata row stays.
        Also records the last successful sync time.
        """
        check_io("db", "outbox.mark_acked")
        at = at or now()
        shredded = False
        with self.db.transaction() as s:
            query = select(m.OutboxMessage).where(
                m.OutboxMessage.aggregate_uuid == aggregate_uuid,
                m.OutboxMessage.state.in_([st.value for st in _OPEN]),
            )
            if outbox_id is not None:
                query = query.where(m.OutboxMessage.id == outbox_id)
            rows = s.scalars(query).all()
            if not rows:
                return False
            for row in rows:
                row.state = OutboxState.ACKED.value
                row.acked_at = at
            kinds = {OutboxKind(r.kind) for r in rows}
            if OutboxKind.TEMPLATE in kinds:
                shredded = self._template_synced(s, aggregate_uuid, shred, at)
            if OutboxKind.DELETION_RECEIPT in kinds:
                s.execute(update(m.Tombstone).where(m.Tombstone.uuid == aggregate_uuid)
                          .values(acked_at=at))
            SyncStateStore.write_in(s, KEY_LAST_SYNC, at.isoformat(), at)
        if shredded:
            self.db.checkpoint()
        return True

    def _template_synced(self, s: Session, uuid: str, shred: bool, at: datetime) -> bool:
        t = s.scalar(select(m.Template).where(m.Template.uuid == uuid))
        if t is None:
            return False
        t.sync_state = TemplateSync.SYNCED.value
        t.synced_at = at
        if shred and not t.shredded:
            t.template = None
            t.shredded = True
            self.audit.append(s, "sync", "template-shredded", uuid,
                              after={"reason": "acknowledged by central; retention setting"},
                              at=at)
            return True
        return False

    def mark_rejected(self, outbox_id: int, reason: str, *, at: datetime | None = None) -> None:
        """Central refused the message for good (it will not be retried)."""
        check_io("db", "outbox.mark_rejected")
        at = at or now()
        with self.db.transaction() as s:
            self._reject_row(s, self._row(s, outbox_id), reason, at)

    def _reject_row(self, s: Session, row: m.OutboxMessage, reason: str, at: datetime) -> None:
        row.state = OutboxState.REJECTED.value
        row.last_error = reason
        if row.kind == OutboxKind.TEMPLATE:
            s.execute(update(m.Template).where(m.Template.uuid == row.aggregate_uuid)
                      .values(sync_state=TemplateSync.REJECTED.value))
        self.audit.append(s, "sync", "sync-rejected", row.aggregate_uuid, after={
            "outbox_id": row.id, "kind": row.kind, "reason": reason}, at=at)

    def reschedule(self, outbox_id: int, error: str, next_at: datetime) -> int:
        """A delivery attempt failed: back to pending at ``next_at``. Returns the new number
        of failed attempts (``attempts``), which the sync layer's backoff is based on."""
        check_io("db", "outbox.reschedule")
        with self.db.transaction() as s:
            row = self._row(s, outbox_id)
            if row.state in (OutboxState.ACKED, OutboxState.REJECTED):
                return row.attempts
            row.state = OutboxState.PENDING.value
            row.attempts += 1
            row.last_error = error
            row.next_attempt_at = next_at
            return row.attempts

    def requeue_unacked(
        self, sent_before: datetime, *, error: str = "no acknowledgement from central",
        next_at: datetime | None = None,
    ) -> int:
        """Put messages sent before ``sent_before`` and still unacknowledged back to pending
        (counted as a failed attempt); central de-duplicates, so a re-send is harmless."""
        check_io("db", "outbox.requeue_unacked")
        when = next_at or now()
        with self.db.transaction() as s:
            rows = s.scalars(select(m.OutboxMessage).where(
                m.OutboxMessage.state == OutboxState.SENT.value,
                m.OutboxMessage.sent_at < sent_before)).all()
            for row in rows:
                row.state, row.attempts = OutboxState.PENDING.value, row.attempts + 1
                row.last_error, row.next_attempt_at = error, when
            return len(rows)

    def retry(self, ids: Iterable[int], *, actor: str, at: datetime | None = None) -> int:
        """An administrator asks to send these again now: rejected or backed-off pending rows
        become pending and due at once (sent and acked rows are left alone). Returns how many."""
        check_io("db", "outbox.retry")
        at = at or now()
        wanted = sorted(set(ids))
        with self.db.transaction() as s:
            rows = s.scalars(select(m.OutboxMessage).where(
                m.OutboxMessage.id.in_(wanted),
                m.OutboxMessage.state.in_([OutboxState.PENDING.value,
                                           OutboxState.REJECTED.value]))).all()
            for row in rows:
                if row.state == OutboxState.REJECTED and row.kind == OutboxKind.TEMPLATE:
                    s.execute(update(m.Template).where(
                        m.Template.uuid == row.aggregate_uuid,
                        m.Template.sync_state == TemplateSync.REJECTED.value,
                    ).values(sync_state=TemplateSync.QUEUED.value))
                row.state, row.next_attempt_at = OutboxState.PENDING.value, at
            if rows:
                self.audit.append(s, actor, "sync-retry", ",".join(str(r.id) for r in rows),
                                  after={"outbox_ids": [r.id for r in rows]}, at=at)
            return len(rows)

    def stats(self, at: datetime | None = None) -> OutboxStats:
        check_io("db", "outbox.stats")
        at = at or now()
        with self.db.read() as s:
            counts = dict(s.execute(select(m.OutboxMessage.state, func.count())
                                    .group_by(m.OutboxMessage.state)).all())
            oldest = s.scalar(select(func.min(m.OutboxMessage.created_at)).where(
                m.OutboxMessage.state.in_([st.value for st in _OPEN])))
            last = SyncStateStore.read_in(s, KEY_LAST_SYNC)
        oldest_dt = m.UtcDateTime().process_result_value(oldest, None)  # type: ignore[arg-type]
        return OutboxStats(
            pending=int(counts.get(OutboxState.PENDING.value, 0)),
            sent_unacked=int(counts.get(OutboxState.SENT.value, 0)),
            rejected=int(counts.get(OutboxState.REJECTED.value, 0)),
            acked=int(counts.get(OutboxState.ACKED.value, 0)),
            oldest_pending_age_s=(at - oldest_dt).total_seconds() if oldest_dt else None,
            last_sync_at=datetime.fromisoformat(last) if last else None,
        )


__all__ = ["Outbox", "Settled", "Verdict"]
