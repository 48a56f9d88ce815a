"""Turning a store outbox row into the schema-2 MQTT message the contract specifies.

The outbox holds metadata only; template bytes are read from the store (opened with the data
key) and sealed to central here, at send time, so the sealed blob exists only in memory and on
the wire. Every message carries its outbox event's ``msg_id``, which is also its
CorrelationData: central's ack names it, so an ack settles exactly the event it answers.
"""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

import kiosk_contract as c
from kiosk.store import (
    AttemptEvent,
    AuditEvent,
    ConsentEvent,
    DeletionReceiptEvent,
    OutboxItem,
    TemplateDamaged,
    TemplateEvent,
)
from kiosk_contract.audit import AuditEntry


class TemplateSource(Protocol):
    def template_bytes(self, template_uuid: str) -> bytes | None: ...


class AuditSource(Protocol):
    def chain(self, first_seq: int, last_seq: int) -> list[AuditEntry]: ...


class Unsendable(Exception):
    """The row can never be sent as it is (the reason is stored with the row)."""


@dataclass(frozen=True)
class Outgoing:
    kind: c.TopicKind
    #: The outbox event (CorrelationData; what the ack names).
    msg_id: str
    #: The aggregate (template, consent, receipt…), for logs.
    uuid: str
    payload: bytes


def iso_z(dt: datetime) -> str:
    """The contract's RFC 3339 form (UTC, ``Z``)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Sources:
    templates: TemplateSource
    audit: AuditSource


def build(row: OutboxItem, *, station: str, central_key: X25519PublicKey | None,
          sources: Sources) -> Outgoing:
    """Build the wire message of one outbox row; raises :class:`Unsendable` for bad rows."""
    p = row.payload
    try:
        if isinstance(p, TemplateEvent):
            return _template(row.msg_id, p, station, central_key, sources.templates)
        if isinstance(p, ConsentEvent):
            return _consent(row.msg_id, p, station)
        if isinstance(p, DeletionReceiptEvent):
            return _receipt(row.msg_id, p, station)
        if isinstance(p, AttemptEvent):
            return _attempt(row.msg_id, p, station)
        if isinstance(p, AuditEvent):
            return _audit(row.msg_id, p, station, sources.audit)
    except c.ContractError as exc:
        raise Unsendable(f"outbox row does not fit the contract: {exc}") from exc
    raise Unsendable(f"outbox row {row.id} ({row.kind}) is damaged: {row.last_error}")


def _template(msg_id: str, p: TemplateEvent, station: str, key: X25519PublicKey | None,
              templates: TemplateSource) -> Outgoing:
    if key is None:
        raise Unsendable("no central public key configured (sync.central_public_key)")
    try:
        data = templates.template_bytes(p.template_uuid)
    except TemplateDamaged as exc:
        raise Unsendable(f"the stored template does not open: {exc}") from exc
    if data is None:
        raise Unsendable("template bytes are no longer on this station")
    sha = hashlib.sha256(data).hexdigest()
    if sha != p.sha256:
        raise Unsendable("stored template does not match its recorded sha256 (local damage)")
    when = iso_z(p.created_at)
    meta = c.TemplateMeta(
        uuid=p.template_uuid, station=station, operator=p.operator or "system",
        person=p.external_id, finger=p.finger.value, sensor_model=p.sensor_model,
        template_format=p.template_format, template_length=len(data), sha256=sha,
        quality={"match_score": p.match_score, "retries": p.retries},
        captured_at=when, enrolled_at=when,
    )
    # to_bytes() parses what it produced with the strict parser before returning it.
    raw = c.TemplateMessage.build(meta, data, key, msg_id).to_bytes()
    return Outgoing("templates", msg_id, p.template_uuid, raw)


def _consent(msg_id: str, p: ConsentEvent, station: str) -> Outgoing:
    details = {k: v for k in ("method", "notice_version", "text_sha256", "language")
               if (v := getattr(p, k)) is not None}
    msg = c.ConsentMessage(
        uuid=p.consent_uuid, event=p.event, person=p.external_id, station=station,
        operator=p.operator or "system", at=iso_z(p.at), details=details, msg_id=msg_id,
    )
    return Outgoing("consents", msg_id, p.consent_uuid, msg.to_bytes())


def _receipt(msg_id: str, p: DeletionReceiptEvent, station: str) -> Outgoing:
    msg = c.DeletionReceipt(
        uuid=p.tombstone_uuid, request_id=p.request_id, person=p.external_id, station=station,
        template_uuids=p.template_uuids, completed_at=iso_z(p.deleted_at), msg_id=msg_id,
        cause=p.cause, places=c.ReceiptPlaces(p.sensor),
    )
    return Outgoing("deletion-receipts", msg_id, p.tombstone_uuid, msg.to_bytes())


def _attempt(msg_id: str, p: AttemptEvent, station: str) -> Outgoing:
    msg = c.AttemptMessage(
        uuid=p.attempt_uuid, msg_id=msg_id, station=station, person=p.external_id,
        finger=p.finger, operator=p.operator or "system", outcome=p.outcome,
        reason=p.reason or None, retries=p.retries, captures=p.captures,
        started_at=iso_z(p.started_at), ended_at=iso_z(max(p.ended_at, p.started_at)),
        template_uuid=p.template_uuid,
    )
    return Outgoing("attempts", msg_id, p.attempt_uuid, msg.to_bytes())


def _audit(msg_id: str, p: AuditEvent, station: str, audit: AuditSource) -> Outgoing:
    entries: Sequence[AuditEntry] = audit.chain(p.first_seq, p.last_seq)
    if [e.seq for e in entries] != list(range(p.first_seq, p.last_seq + 1)):
        raise Unsendable(f"audit entries {p.first_seq}..{p.last_seq} are no longer all here "
                         "(the local audit log was cut)")
    msg = c.AuditMessage(msg_id, station, tuple(entries))
    return Outgoing("audit", msg_id, msg_id, msg.to_bytes())


def direct_receipt(req: c.DeletionRequest, station: str) -> Outgoing:
    """Receipt for a request about a person this station never held (nothing to delete):
    published at once, not through the outbox (central asks again if it is lost)."""
    rid = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"fpk-receipt:{station}:{req.request_id}"))
    msg_id = str(uuidlib.uuid4())
    cause = req.cause or c.DeletionCause.CENTRAL_REQUEST
    msg = c.DeletionReceipt(rid, req.request_id, req.person, station, (), msg_id=msg_id,
                            cause=cause, places=c.ReceiptPlaces("not-held"))
    return Outgoing("deletion-receipts", msg_id, rid, msg.to_bytes())


__all__ = ["Outgoing", "Sources", "Unsendable", "build", "direct_receipt", "iso_z"]
