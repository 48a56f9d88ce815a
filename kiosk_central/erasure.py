"""Deletion and consent-withdrawal requests made through the API, and their receipts.

A request deletes central's copies at once (in the same transaction it is recorded in) and
creates one deletion request per station that may hold a copy — every known station, since a
station that never held one must still say so. The answer is the receipt per place: for each
station its database, its sensor and central. It is **complete** only when every station has
sent a receipt whose places are all done (the sensor ``done`` or ``not-held``) — a station
that is offline keeps it open until it comes back and answers.

A consent withdrawal differs from a deletion in what it leaves: the person stays on the
roster (active), and a ``withdrawn`` consent is recorded at central, so a template enrolled
before it that is still on its way from a station is refused (``consent-withdrawn``) instead
of stored.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, insert, select

import kiosk_contract as c
from kiosk_central import events
from kiosk_central.clock import iso, now
from kiosk_central.db import CentralDB, request_erasure
from kiosk_central.reports import receipt_complete
from kiosk_central.schema import (
    consents,
    deletion_receipts,
    deletions,
    erasures,
    people,
    template_tombstones,
    templates,
)

Kind = Literal["deletion", "withdrawal"]


class UnknownPerson(LookupError):
    """Central holds nothing about this person: no roster entry, template or consent."""


@dataclass(frozen=True)
class Requested:
    erasure_id: str
    #: ``(request_id, station)`` to publish
    requests: list[tuple[str, str]]


def known(conn: Connection, person: str) -> bool:
    for col in (people.c.external_id, templates.c.person, consents.c.person,
                template_tombstones.c.person):
        if conn.execute(select(col).where(col == person).limit(1)).first() is not None:
            return True
    return False


def request(db: CentralDB, person: str, kind: Kind, *, actor: str, reason: str) -> Requested:
    eid = str(uuidlib.uuid4())
    with db.engine.begin() as conn:
        if not known(conn, person):
            raise UnknownPerson(person)
        if kind == "withdrawal":
            cid, at = str(uuidlib.uuid4()), iso()
            conn.execute(insert(consents).values(
                uuid=cid, event="withdrawn", person=person, station="central",
                operator=actor[:128], at=at, details={"method": "api", "reason": reason},
                received_at=now(), msg_id=None))
            events.emit(conn, events.CONSENT_WITHDRAWN, person,
                        {"consent": cid, "station": "central", "at": at,
                         "notice_version": None})
        cause = (c.DeletionCause.WITHDRAWAL if kind == "withdrawal"
                 else c.DeletionCause.CENTRAL_REQUEST)
        before = len(conn.execute(select(templates.c.uuid).where(
            templates.c.person == person)).all())
        reqs = request_erasure(conn, person, cause, actor=actor)
        conn.execute(insert(erasures).values(
            id=eid, person=person, kind=kind, requested_at=now(), actor=actor[:100],
            reason=reason[:200], request_ids=[r for r, _ in reqs],
            central_templates_deleted=before))
    return Requested(eid, reqs)


def state(conn: Connection, erasure_id: str) -> dict[str, Any] | None:
    """The receipt as it stands: per station and place, and whether it is complete."""
    e = conn.execute(select(erasures).where(erasures.c.id == erasure_id)).mappings().first()
    if e is None:
        return None
    ids = list(e["request_ids"])
    reqs = conn.execute(select(deletions).where(deletions.c.request_id.in_(ids))
                        .order_by(deletions.c.station)).mappings().all()
    rids = [r["receipt_uuid"] for r in reqs if r["receipt_uuid"]]
    receipts = {r["uuid"]: r for r in conn.execute(select(deletion_receipts).where(
        deletion_receipts.c.uuid.in_(rids))).mappings()}
    stations = []
    for r in reqs:
        rc = receipts.get(r["receipt_uuid"]) if r["receipt_uuid"] else None
        places = None if rc is None else {"station_db": rc["station_db"],
                                          "sensor": rc["sensor"], "central": rc["central"]}
        stations.append({
            "station": r["station"], "request_id": r["request_id"],
            "issued_at": r["issued_at"],
            "receipt": None if rc is None else rc["uuid"],
            "places": places,
            "templates_deleted": None if rc is None else len(rc["template_uuids"]),
            "complete": rc is not None and receipt_complete(
                rc["station_db"], rc["sensor"], rc["central"]),
        })
    complete = all(s["complete"] for s in stations)
    return {
        "id": e["id"], "person": e["person"], "kind": e["kind"],
        "requested_at": iso(e["requested_at"]), "reason": e["reason"],
        "central": {"state": "done", "templates_deleted": e["central_templates_deleted"]},
        "stations": stations, "complete": complete,
        "waiting_for": [s["station"] for s in stations if not s["complete"]],
    }
