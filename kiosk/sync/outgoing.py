"""Turning a store outbox row into the MQTT message the contract specifies.

The outbox holds metadata only; template bytes are read from the store and sealed here, at
send time, so the sealed blob exists only in memory and on the wire.
"""

from __future__ import annotations

import hashlib
import re
import uuid as uuidlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

import kiosk_contract as c
from kiosk_contract.fingers import Finger
from kiosk_contract.sealing import seal

#: The ``reason`` the station gives the store for a deletion central asked for.
_REQUEST_REASON = "central deletion request "
_REQUEST_RE = re.compile(r"central deletion request ([0-9a-f-]{36})")


class TemplateSource(Protocol):
    def template_bytes(self, template_uuid: str) -> bytes | None: ...


class Unsendable(Exception):
    """The row can never be sent as it is (the reason is stored with the row)."""


@dataclass(frozen=True)
class Outgoing:
    kind: c.TopicKind
    uuid: str
    payload: bytes


def deletion_reason(request_id: str) -> str:
    return _REQUEST_REASON + request_id


def request_id_from_reason(reason: str) -> str | None:
    m = _REQUEST_RE.fullmatch(reason or "")
    return m.group(1) if m else None


def iso_z(value: Any) -> str:
    """Normalise the store's ISO timestamps to the contract's RFC 3339 form (UTC, ``Z``)."""
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise Unsendable(f"bad timestamp in outbox row: {str(value)[:40]!r}") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _text(p: dict[str, Any], key: str, default: str = "") -> str:
    v = p.get(key)
    return str(v) if v not in (None, "") else default


def build(
    kind: str,
    aggregate_uuid: str,
    payload: dict[str, Any],
    *,
    station: str,
    central_key: X25519PublicKey | None,
    templates: TemplateSource,
) -> Outgoing:
    """Build the wire message of one outbox row; raises :class:`Unsendable` for bad rows."""
    try:
        if kind == "template":
            return _template(aggregate_uuid, payload, station, central_key, templates)
        if kind == "consent":
            return _consent(aggregate_uuid, payload, station)
        if kind == "deletion-receipt":
            return _receipt(aggregate_uuid, payload, station)
    except c.ContractError as exc:
        raise Unsendable(f"outbox row does not fit the contract: {exc}") from exc
    raise Unsendable(f"outbox kind {kind!r} is not part of the sync contract")


def _template(
    uuid: str, p: dict[str, Any], station: str, key: X25519PublicKey | None,
    templates: TemplateSource,
) -> Outgoing:
    if key is None:
        raise Unsendable("no central public key configured (sync.central_public_key)")
    data = templates.template_bytes(uuid)
    if data is None:
        raise Unsendable("template bytes are no longer on this station")
    sha = hashlib.sha256(data).hexdigest()
    if sha != p.get("sha256"):
        raise Unsendable("stored template does not match its recorded sha256 (local damage)")
    finger = p.get("finger_name") or Finger.from_code(int(p.get("finger", 0))).value
    quality = {"match_score": p.get("match_score"), "retries": p.get("retries")}
    when = iso_z(p.get("created_at"))
    meta = c.TemplateMeta(
        uuid=uuid, station=station, operator=_text(p, "operator", "system"),
        person=_text(p, "external_id"), finger=str(finger),
        sensor_model=_text(p, "sensor_model"), template_format=_text(p, "template_format"),
        template_length=len(data), sha256=sha,
        quality={k: (int(v) if v is not None else None) for k, v in quality.items()},
        captured_at=when, enrolled_at=when,
    )
    msg = c.TemplateMessage(meta, seal(key, data, meta.aad()))
    raw = msg.to_bytes()
    c.TemplateMessage.parse(raw)  # what we send must pass our own strict parser
    return Outgoing("templates", uuid, raw)


def _consent(uuid: str, p: dict[str, Any], station: str) -> Outgoing:
    event = _text(p, "event")
    keys = ("method", "notice_version", "text_sha256", "language")
    details: dict[str, str] = {k: _text(p, k) for k in keys if p.get(k) is not None}
    msg = c.ConsentMessage(
        uuid=_text(p, "consent_uuid", uuid), event=event,  # type: ignore[arg-type]
        person=_text(p, "external_id"), station=station,
        operator=_text(p, "operator", "system"), at=iso_z(p.get("at")), details=details,
    )
    raw = msg.to_bytes()
    c.ConsentMessage.parse(raw)
    # The ack is matched on the outbox aggregate, which is the consent record's uuid.
    return Outgoing("consents", uuid, raw)


def _receipt(uuid: str, p: dict[str, Any], station: str) -> Outgoing:
    tpl = p.get("template_uuids") or []
    msg = c.DeletionReceipt(
        uuid=uuid, request_id=request_id_from_reason(_text(p, "reason")),
        person=_text(p, "external_id"), station=station,
        template_uuids=tuple(str(t) for t in tpl), completed_at=iso_z(p.get("deleted_at")),
    )
    raw = msg.to_bytes()
    c.DeletionReceipt.parse(raw)
    return Outgoing("deletion-receipts", uuid, raw)


def direct_receipt(request_id: str, person: str, station: str) -> Outgoing:
    """Receipt for a request about a person this station never held (nothing to delete)."""
    rid = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"fpk-receipt:{station}:{request_id}"))
    msg = c.DeletionReceipt(rid, request_id, person, station, ())
    return Outgoing("deletion-receipts", rid, msg.to_bytes())
