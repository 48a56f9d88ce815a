"""Applying station messages to the database, many at a time, inside ONE transaction.

:class:`Batch` works on the caller's connection; nothing is acknowledged until the caller
commits. Every write is insert-if-absent (``INSERT … ON CONFLICT DO NOTHING``) keyed on the
message's idempotency key, so a re-sent or redelivered message, or one that another worker
committed a moment earlier, becomes ``duplicate``, never a second row. A message central must
refuse gets a ``rejected`` verdict and changes nothing: naming another station's template
(``not-owner``), re-sending a template central deleted (``deleted``) or one enrolled before the
person's consent withdrawal (``consent-withdrawn``), a person not on the roster
(``unknown-person``).

Long on purpose, one module: these rules decide together what one transaction does (a withdrawal
deletes templates a receipt in the same batch names), and splitting them would hide that.
"""

from __future__ import annotations

import logging
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

import kiosk_contract as c
from kiosk_central import audit_log
from kiosk_central import events as ev
from kiosk_central.clock import iso, now
from kiosk_central.schema import (
    attempts,
    audit_anomalies,
    consents,
    deletion_receipts,
    deletions,
    heartbeats,
    people,
    station_audit,
    station_health,
    stations,
    template_tombstones,
    templates,
)
from kiosk_central.vault import Vault
from kiosk_contract.fields import parse_ts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    status: c.AckStatus
    reason: str | None = None
    detail: str = ""


STORED, DUPLICATE = Verdict("stored"), Verdict("duplicate")


def reject(reason: str, detail: str) -> Verdict:
    return Verdict("rejected", reason, detail)


@dataclass(frozen=True)
class TemplateIn:
    """A template already opened and checked (sha256, length) by the ingest."""

    meta: c.TemplateMeta
    data: bytes
    msg_id: str
    schema: int | None


@dataclass(frozen=True)
class NewRequest:
    request_id: str
    person: str
    station: str
    issued_at: str
    cause: c.DeletionCause


def _insert(dialect: str, table: Any) -> Any:
    return (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table))


def tombstone(conn: Connection, dialect: str, rows: Sequence[dict[str, Any]]) -> None:
    """Record deleted templates; each newly deleted one is an ``enrollment.deleted`` event."""
    if not rows:
        return
    new = {r[0] for r in conn.execute(_insert(dialect, template_tombstones)
                                      .on_conflict_do_nothing(index_elements=["uuid"])
                                      .returning(template_tombstones.c.uuid), list(rows))}
    ev.emit_many(conn, [(ev.ENROLLMENT_DELETED, r["person"], {
        "template": r["uuid"], "finger": r["finger"] or None, "station": r["station"],
        "cause": r["cause"], "deleted_at": iso(r["deleted_at"])})
        for r in rows if r["uuid"] in new])


def delete_person_templates(conn: Connection, person: str, cause: c.DeletionCause,
                            reference: str) -> list[tuple[str, str]]:
    """Delete central's copies of ``person``'s templates (tombstoned); ``(uuid, station)``."""
    rows = conn.execute(select(templates.c.uuid, templates.c.station, templates.c.finger,
                               templates.c.enrolled_at).where(templates.c.person == person)
                        ).all()
    when = now()
    tombstone(conn, conn.dialect.name, [
        {"uuid": r[0], "station": r[1], "person": person, "finger": r[2], "enrolled_at": r[3],
         "deleted_at": when, "cause": str(cause), "reference": reference[:64]} for r in rows])
    conn.execute(delete(templates).where(templates.c.person == person))
    return [(r[0], r[1]) for r in rows]


@dataclass
class Batch:
    """The writes of one ingest transaction; ``requests`` lists deletion requests it created
    (to publish after the commit). Call :meth:`flush_events` before committing."""

    conn: Connection
    dialect: str
    vault: Vault | None
    require_known_person: bool = True
    requests: list[NewRequest] = field(default_factory=list)
    #: enrollment events waiting for :meth:`flush_events`
    events: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    # -- templates -------------------------------------------------------------------------
    def templates(self, items: Sequence[TemplateIn]) -> list[Verdict]:
        if not items:
            return []
        assert self.vault is not None, "storing templates needs the vault"
        conn = self.conn
        uuids = [t.meta.uuid for t in items]
        held = {r[0]: (r[1], r[2]) for r in conn.execute(select(
            templates.c.uuid, templates.c.station, templates.c.sha256).where(
            templates.c.uuid.in_(uuids)))}
        gone = {r[0]: r[1] for r in conn.execute(select(
            template_tombstones.c.uuid, template_tombstones.c.station).where(
            template_tombstones.c.uuid.in_(uuids)))}
        persons = sorted({t.meta.person for t in items})
        known = {r[0] for r in conn.execute(select(people.c.external_id).where(
            people.c.external_id.in_(persons)))}
        withdrawn = {r[0]: str(r[1]) for r in conn.execute(
            select(consents.c.person, func.max(consents.c.at)).where(
                consents.c.person.in_(persons), consents.c.event == "withdrawn")
            .group_by(consents.c.person))}
        verdicts: list[Verdict | None] = []
        rows: list[dict[str, Any]] = []
        key = self.vault.batch()
        when = now()
        for t in items:
            m = t.meta
            v = self._template_verdict(t, held, gone, known, withdrawn)
            verdicts.append(v)
            if v is None:
                rec = key.seal(m.uuid, m.station, m.sha256, t.data)
                held[m.uuid] = (m.station, m.sha256)  # a repeat later in this batch
                rows.append({
                    "uuid": m.uuid, "station": m.station, "person": m.person,
                    "finger": m.finger, "operator": m.operator, "sensor_model": m.sensor_model,
                    "template_format": m.template_format,
                    "template_length": m.template_length, "sha256": m.sha256,
                    "quality": dict(m.quality), "captured_at": m.captured_at,
                    "enrolled_at": m.enrolled_at, "received_at": when, "msg_id": t.msg_id or None,
                    "schema": t.schema, "sealed": rec.sealed, "wrapped_key": rec.wrapped_key,
                    "key_id": rec.key_id,
                })
        inserted: set[str] = set()
        if rows:
            stmt = _insert(self.dialect, templates).on_conflict_do_nothing(
                index_elements=["uuid"]).returning(templates.c.uuid)
            inserted = {r[0] for r in conn.execute(stmt, rows)}
        out: list[Verdict] = []
        completed: list[c.TemplateMeta] = []
        now_held: dict[str, tuple[str, str]] = {}
        raced = [t.meta.uuid for t, v in zip(items, verdicts, strict=True)
                 if v is None and t.meta.uuid not in inserted]
        if raced:  # another worker committed the same uuid between our read and our insert
            now_held = {r[0]: (r[1], r[2]) for r in conn.execute(select(
                templates.c.uuid, templates.c.station, templates.c.sha256).where(
                templates.c.uuid.in_(raced)))}
        for t, v in zip(items, verdicts, strict=True):
            if v is not None:
                out.append(v)
            elif t.meta.uuid in inserted:
                inserted.discard(t.meta.uuid)
                out.append(STORED)
                completed.append(t.meta)
            else:
                st, sha = now_held.get(t.meta.uuid, (t.meta.station, t.meta.sha256))
                out.append(self._held_verdict(t.meta, st, sha))
        self.events += [(ev.ENROLLMENT_COMPLETED, m.person, {
            "template": m.uuid, "finger": m.finger, "station": m.station,
            "operator": m.operator, "enrolled_at": m.enrolled_at}) for m in completed]
        return out

    def flush_events(self) -> None:
        """Append the batch's enrollment events to the feed. Called last before the commit:
        the feed's sequencing lock is then held only for the commit itself."""
        ev.emit_many(self.conn, self.events)
        self.events = []

    def _held_verdict(self, m: c.TemplateMeta, station: str, sha: str) -> Verdict:
        if station != m.station:
            return self._not_owner("template", m.station, m.uuid, station)
        return DUPLICATE if sha == m.sha256 else reject(
            "conflict", "uuid already stored with different content")

    def _template_verdict(self, t: TemplateIn, held: dict[str, tuple[str, str]],
                          gone: dict[str, str], known: set[str],
                          withdrawn: dict[str, str]) -> Verdict | None:
        m = t.meta
        if m.uuid in held:
            return self._held_verdict(m, *held[m.uuid])
        if m.uuid in gone:
            if gone[m.uuid] != m.station:
                return self._not_owner("template", m.station, m.uuid, gone[m.uuid])
            return reject("deleted", "central deleted this template; it is not stored again")
        if self.require_known_person and m.person not in known:
            return reject("unknown-person", "person is not in the central roster")
        w = withdrawn.get(m.person)
        if w is not None and parse_ts(m.enrolled_at) <= parse_ts(w):
            self._request_deletion(m.person, m.station, c.DeletionCause.WITHDRAWAL)
            return reject("consent-withdrawn", "the person withdrew consent after this "
                          "enrollment; a deletion request was sent")
        return None

    def _not_owner(self, what: str, sender: str, uuid: str, owner: str) -> Verdict:
        log.warning("refused %s from %s naming %s, which belongs to another station", what,
                    sender, uuid)
        audit_log.append(self.conn, "ingest", "refused-not-owner", uuid,
                         after={"sender": sender, "owner": owner, "message": what})
        return reject("not-owner", f"{uuid} belongs to another station")

    # -- deletion requests -------------------------------------------------------------------
    def _request_deletion(self, person: str, station: str, cause: c.DeletionCause) -> None:
        """One open request per (person, station, cause): repeats are not multiplied."""
        if any(r.person == person and r.station == station and r.cause == cause
               for r in self.requests):
            return
        open_ = self.conn.execute(select(deletions.c.request_id).where(
            deletions.c.person == person, deletions.c.station == station,
            deletions.c.cause == str(cause), deletions.c.receipt_at.is_(None))).first()
        if open_ is not None:
            return
        req = NewRequest(str(uuidlib.uuid4()), person, station, iso(), cause)
        self.conn.execute(deletions.insert().values(
            request_id=req.request_id, person=person, station=station,
            issued_at=req.issued_at, cause=str(cause)))
        self.requests.append(req)

    def _withdrawal(self, person: str, sender: str, reference: str) -> None:
        """Consent withdrawn at ``sender``: delete central's copies of the person's templates
        and ask every other station that held one to delete its copies too."""
        removed = delete_person_templates(self.conn, person, c.DeletionCause.WITHDRAWAL,
                                          reference)
        others = sorted({st for _, st in removed if st != sender})
        for st in others:
            self._request_deletion(person, st, c.DeletionCause.WITHDRAWAL)
        if removed or others:
            audit_log.append(self.conn, "ingest", "consent-withdrawal-applied", person,
                             after={"station": sender, "central_templates_deleted":
                                    len(removed), "requests": others})

    # -- consents ------------------------------------------------------------------------------
    def consent(self, m: c.ConsentMessage) -> Verdict:
        conn = self.conn
        owners = {r[0] for r in conn.execute(select(consents.c.station).where(
            consents.c.uuid == m.uuid))}
        if owners and owners != {m.station}:
            return self._not_owner("consent", m.station, m.uuid, sorted(owners)[0])
        res = conn.execute(_insert(self.dialect, consents).on_conflict_do_nothing(
            index_elements=["uuid", "event"]).returning(consents.c.uuid).values(
            uuid=m.uuid, event=m.event, person=m.person, station=m.station,
            operator=m.operator, at=m.at, details=dict(m.details), received_at=now(),
            msg_id=m.msg_id)).first()
        if res is None:
            return DUPLICATE
        ev.emit(conn, f"consent.{m.event}", m.person, {
            "consent": m.uuid, "station": m.station, "at": m.at,
            "notice_version": m.details.get("notice_version")})
        if m.event == "withdrawn":
            self._withdrawal(m.person, m.station, m.uuid)
        return STORED

    # -- deletion receipts ---------------------------------------------------------------------
    def receipt(self, r: c.DeletionReceipt) -> Verdict:
        conn = self.conn
        names = list(r.template_uuids)
        held = conn.execute(select(templates.c.uuid, templates.c.station, templates.c.person,
                                   templates.c.finger, templates.c.enrolled_at).where(
            templates.c.uuid.in_(names))).all()
        gone = conn.execute(select(template_tombstones.c.uuid, template_tombstones.c.station,
                                   template_tombstones.c.person).where(
            template_tombstones.c.uuid.in_(names))).all()
        for u, st, *_ in [*held, *gone]:
            if st != r.station:
                return self._not_owner("deletion receipt", r.station, u, st)
        if any(row[2] != r.person for row in [*held, *gone]):
            return reject("conflict", "the receipt names a template of another person")
        prior = conn.execute(select(deletion_receipts).where(
            deletion_receipts.c.uuid == r.uuid)).mappings().first()
        if prior is not None and prior["station"] != r.station:
            return self._not_owner("deletion receipt", r.station, r.uuid, prior["station"])
        req_station = None
        if r.request_id is not None:
            req_station = conn.execute(select(deletions.c.station).where(
                deletions.c.request_id == r.request_id)).scalar()
            if req_station is not None and req_station != r.station:
                return self._not_owner("deletion receipt", r.station, r.request_id,
                                       req_station)
        when = now()
        cause = r.cause or (c.DeletionCause.CENTRAL_REQUEST if r.request_id
                            else c.DeletionCause.DESK)
        tombstone(conn, self.dialect, [
            {"uuid": u, "station": st, "person": p, "finger": f, "enrolled_at": e,
             "deleted_at": when, "cause": str(cause), "reference": r.uuid}
            for u, st, p, f, e in held] + [
            {"uuid": u, "station": r.station, "person": r.person, "finger": "",
             "enrolled_at": "", "deleted_at": when, "cause": str(cause), "reference": r.uuid}
            for u in names if u not in {h[0] for h in held} | {g[0] for g in gone}])
        if held:
            conn.execute(delete(templates).where(templates.c.uuid.in_([h[0] for h in held])))
        sensor = r.places.sensor if r.places else "unreported"
        if prior is None:
            conn.execute(deletion_receipts.insert().values(
                uuid=r.uuid, station=r.station, person=r.person, request_id=r.request_id,
                cause=str(cause), template_uuids=names, station_db="done", sensor=sensor,
                central="done", completed_at=r.completed_at, received_at=when,
                updated_at=when, last_msg_id=r.msg_id, schema=r.schema))
        else:
            if prior["last_msg_id"] == r.msg_id or not _progress(prior["sensor"], sensor):
                return DUPLICATE
            conn.execute(update(deletion_receipts).where(deletion_receipts.c.uuid == r.uuid)
                         .values(sensor=sensor, updated_at=when, last_msg_id=r.msg_id,
                                 completed_at=r.completed_at))
        if req_station is not None:
            conn.execute(update(deletions).where(
                deletions.c.request_id == r.request_id, deletions.c.receipt_at.is_(None))
                .values(receipt_at=when, templates_removed=len(names), receipt_uuid=r.uuid))
        elif r.request_id is not None:
            log.info("receipt %s from %s names request %s, which central does not know",
                     r.uuid, r.station, r.request_id)
        if cause == c.DeletionCause.WITHDRAWAL and r.request_id is None:
            self._withdrawal(r.person, r.station, r.uuid)
        audit_log.append(conn, "ingest", "deletion-receipt", r.person, after={
            "station": r.station, "receipt": r.uuid, "cause": str(cause), "templates": names,
            "sensor": sensor, "central_copies_deleted": len(held)})
        return STORED

    # -- attempts, audit, heartbeats, status ---------------------------------------------------
    def attempt(self, a: c.AttemptMessage) -> Verdict:
        owner = self.conn.execute(select(attempts.c.station).where(
            attempts.c.uuid == a.uuid)).scalar()
        if owner is not None:
            return DUPLICATE if owner == a.station else self._not_owner(
                "attempt", a.station, a.uuid, str(owner))
        start, end = parse_ts(a.started_at), parse_ts(a.ended_at)
        res = self.conn.execute(_insert(self.dialect, attempts).on_conflict_do_nothing(
            index_elements=["uuid"]).returning(attempts.c.id).values(
            uuid=a.uuid, station=a.station, person=a.person,
            finger=None if a.finger is None else str(a.finger), operator=a.operator,
            outcome=str(a.outcome), reason=a.reason, retries=a.retries, captures=a.captures,
            started_at=a.started_at, ended_at=a.ended_at,
            duration_ms=int((end - start).total_seconds() * 1000),
            day=start.astimezone(UTC).strftime("%Y-%m-%d"),
            template_uuid=a.template_uuid, msg_id=a.msg_id, received_at=now())).first()
        return STORED if res is not None else DUPLICATE

    def audit(self, m: c.AuditMessage) -> Verdict:
        conn = self.conn
        seqs = [e.seq for e in m.entries]
        held = {int(r[0]): str(r[1]) for r in conn.execute(select(
            station_audit.c.seq, station_audit.c.hash).where(
            station_audit.c.station == m.station, station_audit.c.seq.in_(seqs)))}
        when = now()
        new = [{**e.to_json(), "station": m.station, "received_at": when, "msg_id": m.msg_id}
               for e in m.entries if e.seq not in held]
        clashes = [e for e in m.entries if e.seq in held and held[e.seq] != e.hash]
        if new:
            conn.execute(_insert(self.dialect, station_audit).on_conflict_do_nothing(
                index_elements=["station", "seq"]), new)
        if clashes:
            conn.execute(_insert(self.dialect, audit_anomalies).on_conflict_do_nothing(
                index_elements=["station", "seq", "received_hash"]), [
                {"station": m.station, "seq": e.seq, "held_hash": held[e.seq],
                 "received_hash": e.hash, "received_at": when, "msg_id": m.msg_id}
                for e in clashes])
            log.warning("station %s sent audit entries %s that differ from the copies "
                        "central holds: its audit log was rewritten", m.station,
                        [e.seq for e in clashes][:10])
            return reject("conflict", f"audit entry {clashes[0].seq} differs from the copy "
                          "central received before")
        return STORED if new else DUPLICATE

    def heartbeat(self, h: c.HeartbeatMessage) -> None:
        when = now()
        skew = (parse_ts(h.sent_at) - when).total_seconds()
        values = {
            "software": h.software, "sent_at": h.sent_at, "received_at": when,
            "clock_skew_s": skew, "uptime_s": h.uptime_s, "pending": h.backlog.pending,
            "oldest_pending_age_s": h.backlog.oldest_pending_age_s,
            "rejected": h.backlog.rejected, "sensor_state": str(h.sensor.state),
            "sensor_model": h.sensor.model, "sensor_templates": h.sensor.templates,
            "sensor_capacity": h.sensor.capacity, "roster_version": h.roster_version,
            "last_error": h.last_error,
        }
        ins = _insert(self.dialect, station_health).values(station=h.station, **values)
        self.conn.execute(ins.on_conflict_do_update(index_elements=["station"], set_=values))
        self.conn.execute(heartbeats.insert().values(
            station=h.station, received_at=when, sent_at=h.sent_at, clock_skew_s=skew,
            pending=h.backlog.pending, sensor_state=str(h.sensor.state),
            last_error=h.last_error))
        self.station_seen(h.station, "online", h.software, 2)

    def prune_heartbeats(self, keep_days: int) -> int:
        """Drop heartbeat history older than ``keep_days`` (the latest per station stays in
        station_health); returns the number of rows removed."""
        cutoff = now() - timedelta(days=keep_days)
        res = self.conn.execute(delete(heartbeats).where(heartbeats.c.received_at < cutoff))
        return int(res.rowcount or 0)

    def station_seen(self, station: str, state: str, software: str, schema: int) -> None:
        values = {"state": state, "software": software, "seen_at": now(), "schema": schema}
        ins = _insert(self.dialect, stations).values(station=station, **values)
        self.conn.execute(ins.on_conflict_do_update(index_elements=["station"], set_=values))


def _progress(old: str, new: str) -> bool:
    """A receipt update only moves forward: pending → done/not-held (never back)."""
    rank = {"unreported": 0, "pending": 1, "not-held": 2, "done": 2}
    return rank.get(new, 0) > rank.get(old, 0)


