"""Enrollment status per person and per finger: what the web application's person page shows.

A page of people is read in a fixed number of queries (people, templates held, templates
deleted, latest consent), whatever the page size. Paging is by external id (the whole roster)
or by event seq (``since``: only the people whose status changed, see :mod:`.events`).
Nothing here reads template bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from kiosk_central import events
from kiosk_central.clock import iso
from kiosk_central.schema import consents, people, template_tombstones, templates

MAX_PAGE = 500


def _ts(v: Any) -> str | None:
    return None if v is None else (v if isinstance(v, str) else iso(v))


def statuses(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The status of each person in ``ids`` that central knows anything about."""
    ids = list(ids)
    if not ids:
        return {}
    roster = {r.external_id: r for r in conn.execute(select(
        people.c.external_id, people.c.display_name, people.c.active, people.c.listed,
        people.c.group_name, people.c.role).where(people.c.external_id.in_(ids)))}
    held: dict[str, list[Any]] = {}
    for r in conn.execute(select(
            templates.c.person, templates.c.uuid, templates.c.finger, templates.c.station,
            templates.c.enrolled_at, templates.c.received_at).where(
            templates.c.person.in_(ids)).order_by(templates.c.enrolled_at)):
        held.setdefault(r.person, []).append(r)
    gone: dict[str, list[Any]] = {}
    for r in conn.execute(select(
            template_tombstones.c.person, template_tombstones.c.uuid,
            template_tombstones.c.finger, template_tombstones.c.station,
            template_tombstones.c.deleted_at, template_tombstones.c.cause).where(
            template_tombstones.c.person.in_(ids), template_tombstones.c.finger != "")
            .order_by(template_tombstones.c.deleted_at)):
        gone.setdefault(r.person, []).append(r)
    latest = (select(consents.c.person, func.max(consents.c.at).label("at"))
              .where(consents.c.person.in_(ids)).group_by(consents.c.person).subquery())
    consent = {r.person: r for r in conn.execute(select(
        consents.c.person, consents.c.event, consents.c.at, consents.c.station,
        consents.c.details).join(latest, (consents.c.person == latest.c.person)
                                 & (consents.c.at == latest.c.at)))}
    out = {}
    for pid in ids:
        if pid not in roster and pid not in held and pid not in gone and pid not in consent:
            continue
        out[pid] = _one(pid, roster.get(pid), held.get(pid, []), gone.get(pid, []),
                        consent.get(pid))
    return out


def _one(pid: str, p: Any, held: list[Any], gone: list[Any], consent: Any) -> dict[str, Any]:
    fingers: dict[str, dict[str, Any]] = {}
    for g in gone:  # oldest first; a later enrollment of the finger replaces it below
        fingers[g.finger] = {"finger": g.finger, "state": "deleted", "template": g.uuid,
                             "station": g.station, "deleted_at": _ts(g.deleted_at),
                             "cause": g.cause}
    for t in held:
        fingers[t.finger] = {"finger": t.finger, "state": "enrolled", "template": t.uuid,
                             "station": t.station, "enrolled_at": t.enrolled_at,
                             "received_at": _ts(t.received_at),
                             "templates": sum(1 for x in held if x.finger == t.finger)}
    enrolled = any(f["state"] == "enrolled" for f in fingers.values())
    return {
        "person": pid,
        "on_roster": p is not None and bool(p.listed),
        "display_name": None if p is None else p.display_name,
        "active": None if p is None else bool(p.active),
        "group": None if p is None else p.group_name,
        "role": None if p is None else p.role,
        "biometric": "registered" if enrolled else ("deleted" if fingers else
                                                     "not-registered"),
        "consent": None if consent is None else {
            "state": consent.event, "at": consent.at, "station": consent.station,
            "notice_version": (consent.details or {}).get("notice_version")},
        "fingers": sorted(fingers.values(), key=lambda f: str(f["finger"])),
    }


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    #: continue with ``after=`` (roster order) or ``since=`` (changes); None: nothing more
    next_after: str | None
    next_since: int | None
    #: the newest event seq when the page was read: poll ``since=`` from here
    cursor: int


def roster_page(conn: Connection, after: str | None, limit: int) -> Page:
    """People on the roster in external-id order."""
    cursor = events.head(conn)  # first: a change after this read shows up in since=cursor
    q = select(people.c.external_id).where(people.c.listed.is_(True))
    if after is not None:
        q = q.where(people.c.external_id > after)
    ids = [r[0] for r in conn.execute(q.order_by(people.c.external_id).limit(limit + 1))]
    more = len(ids) > limit
    ids = ids[:limit]
    st = statuses(conn, ids)
    return Page([st[i] for i in ids if i in st], ids[-1] if more and ids else None, None,
                cursor)


def changes_page(conn: Connection, since: int, limit: int) -> Page:
    """Everyone whose status changed after event ``since``, in the order of their change."""
    changed = events.changed_people(conn, since, limit + 1)
    more = len(changed) > limit
    changed = changed[:limit]
    st = statuses(conn, [p for p, _ in changed])
    items = [{**st[p], "changed_seq": seq} for p, seq in changed if p in st]
    last = changed[-1][1] if changed else since
    return Page(items, None, last if more else None, max(last, since))
