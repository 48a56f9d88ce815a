"""Turning a store outbox row into the MQTT message the contract specifies.

The outbox holds metadata only; template bytes are read from the store and sealed here, at
send time, so the sealed blob exists only in memory and on the wire.
"""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

import kiosk_contract as c
from kiosk.store import ConsentEvent, DeletionReceiptEvent, OutboxItem, TemplateEvent
from kiosk_contract.sealing import seal


class TemplateSource(Protocol):
    def template_bytes(self, template_uuid: str) -> bytes | None: ...


class Unsendable(Exception):
    """The row can never be sent as it is (the reason is stored with the row)."""


@dataclass(frozen=True)
class Outgoing:
    kind: c.TopicKind
    uuid: str
    payload: bytes


def iso_z(dt: datetime) -> str:
    """The contract's RFC 3339 form (UTC, ``Z``)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build(
    row: OutboxItem,
    *,
    station: str,
    central_key: X25519PublicKey | None,
    templates: TemplateSource,
) -> Outgoing:
    """Build the wire message of one outbox row; raises :class:`Unsendable` for bad rows."""
    p = row.payload
    try:
        if isinstance(p, TemplateEvent):
            return _template(p, station, central_key, templates)
        if isinstance(p, ConsentEvent):
            return _consent(p, station)
        if isinstance(p, DeletionReceiptEvent):
            return _receipt(p, station)
    except c.ContractError as exc:
        raise Unsendable(f"outbox row does not fit the contract: {exc}") from exc
    raise Unsendable(f"outbox row {row.id} ({row.kind}) is damaged: {row.last_error}")


def _template(p: TemplateEvent, station: str, key: X25519PublicKey | None,
              templates: TemplateSource) -> Outgoing:
    if key is None:
        raise Unsendable("no central public key configured (sync.central_public_key)")
    data = templates.template_bytes(p.template_uuid)
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
    msg = c.TemplateMessage(meta, seal(key, data, meta.aad()))
    raw = msg.to_bytes()
    c.TemplateMessage.parse(raw)  # what we send must pass our own strict parser
    return Outgoing("templates", p.template_uuid, raw)


def _consent(p: ConsentEvent, station: str) -> Outgoing:
    details = {k: v for k in ("method", "notice_version", "text_sha256", "language")
               if (v := getattr(p, k)) is not None}
    msg = c.ConsentMessage(
        uuid=p.consent_uuid, event=p.event, person=p.external_id, station=station,
        operator=p.operator or "system", at=iso_z(p.at), details=details,
    )
    raw = msg.to_bytes()
    c.ConsentMessage.parse(raw)
    return Outgoing("consents", p.consent_uuid, raw)


def _receipt(p: DeletionReceiptEvent, station: str) -> Outgoing:
    msg = c.DeletionReceipt(
        uuid=p.tombstone_uuid, request_id=p.request_id, person=p.external_id, station=station,
        template_uuids=p.template_uuids, completed_at=iso_z(p.deleted_at),
    )
    raw = msg.to_bytes()
    c.DeletionReceipt.parse(raw)
    return Outgoing("deletion-receipts", p.tombstone_uuid, raw)


def direct_receipt(request_id: str, person: str, station: str) -> Outgoing:
    """Receipt for a request about a person this station never held (nothing to delete)."""
    rid = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"fpk-receipt:{station}:{request_id}"))
    msg = c.DeletionReceipt(rid, request_id, person, station, ())
    return Outgoing("deletion-receipts", rid, msg.to_bytes())
