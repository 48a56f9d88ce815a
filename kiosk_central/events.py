"""The event feed: every change to a person's enrollment status, numbered in commit order.

The ingest appends events inside the transaction that makes the change (a template stored, a
template deleted, a consent given or withdrawn), so an event exists exactly when its change
was committed. ``seq`` is assigned under central's sequencing lock (:func:`audit_log.
lock_head`), which every writer holds until it commits: a reader that has seen seq ``n`` has
seen every event below ``n`` — what makes ``since=`` polling and ordered webhook delivery
exact. Events carry identifiers and dates, never template bytes.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from kiosk_central import audit_log
from kiosk_central.clock import iso, now
from kiosk_central.schema import events

ENROLLMENT_COMPLETED = "enrollment.completed"
ENROLLMENT_DELETED = "enrollment.deleted"
CONSENT_GIVEN = "consent.given"
CONSENT_REFUSED = "consent.refused"
CONSENT_WITHDRAWN = "consent.withdrawn"
KINDS = (ENROLLMENT_COMPLETED, ENROLLMENT_DELETED, CONSENT_GIVEN, CONSENT_REFUSED,
         CONSENT_WITHDRAWN)
#: What a webhook subscriber gets unless it names other kinds.
WEBHOOK_DEFAULT = (ENROLLMENT_COMPLETED, ENROLLMENT_DELETED)


@dataclass(frozen=True)
class Event:
    seq: int
    id: str
    kind: str
    person: str
    occurred_at: datetime
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The body a webhook receives (and ``GET /v1/events`` lists)."""
        return {"id": self.id, "seq": self.seq, "type": self.kind, "person": self.person,
                "occurred_at": iso(self.occurred_at), "data": self.payload}


def emit(conn: Connection, kind: str, person: str, payload: dict[str, Any]) -> int:
    """Append one event in the caller's transaction; returns its seq."""
    return emit_many(conn, [(kind, person, payload)])[0]


def emit_many(conn: Connection, items: Sequence[tuple[str, str, dict[str, Any]]]) -> list[int]:
    if not items:
        return []
    audit_log.lock_head(conn)
    head = int(conn.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one())
    when = now()
    rows: list[dict[str, Any]] = [
        {"seq": head + i + 1, "id": str(uuidlib.uuid4()), "kind": kind, "person": person,
         "occurred_at": when, "payload": payload}
        for i, (kind, person, payload) in enumerate(items)]
    conn.execute(insert(events), rows)
    return [int(r["seq"]) for r in rows]


def head(conn: Connection) -> int:
    """The newest seq (0 when there is none)."""
    return int(conn.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one())


def _event(r: Any) -> Event:
    return Event(int(r.seq), r.id, r.kind, r.person, r.occurred_at, dict(r.payload))


def after(conn: Connection, seq: int, limit: int, kinds: Sequence[str] | None = None,
          ) -> list[Event]:
    """Events with a seq above ``seq``, oldest first."""
    q = select(events).where(events.c.seq > seq)
    if kinds is not None:
        q = q.where(events.c.kind.in_(list(kinds)))
    return [_event(r) for r in conn.execute(q.order_by(events.c.seq).limit(limit))]


def by_seq(conn: Connection, seqs: Sequence[int]) -> list[Event]:
    q = select(events).where(events.c.seq.in_(list(seqs))).order_by(events.c.seq)
    return [_event(r) for r in conn.execute(q)]


def changed_people(conn: Connection, since: int, limit: int) -> list[tuple[str, int]]:
    """``(person, newest seq)`` of everyone with an event above ``since``, in the order of
    their newest event: a page ending at seq ``s`` holds everyone whose newest event is at or
    below ``s``, so ``since=s`` continues exactly where it stopped."""
    m = func.max(events.c.seq).label("m")
    q = (select(events.c.person, m).where(events.c.seq > since).group_by(events.c.person)
         .order_by(m).limit(limit))
    return [(str(p), int(s)) for p, s in conn.execute(q)]
