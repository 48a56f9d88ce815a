"""The MQTT contract between stations and the central ingest (see ``docs/asyncapi.yaml``).

Topics live under a configurable, versioned prefix (``SyncConfig.topic_prefix``, default
``fpk/v1``), one namespace per station so the broker ACL can confine each station to its own.
Every payload is a JSON object with ``schema`` (its version) and ``type``; parsing is strict —
unknown fields, wrong types and oversize payloads raise a :class:`ContractError` whose
``reason`` is the code sent back in a negative ack — because a lenient parser on either side is
how a bad station or a bad central silently corrupts data.
"""
from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, get_args

from kiosk_contract.fields import (
    HEX64_RE,
    MAX_ROSTER_BYTES,
    SCHEMA_VERSION,
    ContractError,
    check_keys,
    dump,
    envelope,
    fail,
    req_int,
    req_station,
    req_str,
    req_ts,
    req_uuid,
    utc_now_iso,
)
from kiosk_contract.fingers import is_finger
from kiosk_contract.sealing import Sealed, canonical_json

AckStatus = Literal["stored", "duplicate", "rejected"]
#: Reasons a central ingest may reject a message for good (the station stops retrying).
RejectReason = Literal[
    "malformed",
    "schema-too-old",
    "schema-unsupported",
    "bad-hash",
    "unknown-person",
    "decrypt-failed",
    "wrong-key",
    "station-mismatch",
    "conflict",
]
REJECT_REASONS: tuple[RejectReason, ...] = get_args(RejectReason)

# -- messages ---------------------------------------------------------------------------------
_QUALITY_KEYS = frozenset({"score", "captures", "match_score", "retries", "image_quality"})


def _quality(obj: Mapping[str, Any]) -> dict[str, int | None]:
    q = obj.get("quality")
    if not isinstance(q, dict) or not q or not q.keys() <= _QUALITY_KEYS:
        raise fail(f"quality must be an object with keys from {sorted(_QUALITY_KEYS)}")
    out: dict[str, int | None] = {}
    for k, v in q.items():
        bad = isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 100000
        if v is not None and bad:
            raise fail(f"quality.{k} must be a whole number or null")
        out[k] = v
    return out


@dataclass(frozen=True)
class TemplateMeta:
    """Everything about a template except its bytes; bound to the ciphertext as AAD."""

    uuid: str
    station: str
    operator: str
    person: str
    finger: str
    sensor_model: str
    template_format: str
    template_length: int
    sha256: str
    quality: dict[str, int | None]
    captured_at: str
    enrolled_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "type": "template",
            "uuid": self.uuid,
            "station": self.station,
            "operator": self.operator,
            "person": self.person,
            "finger": self.finger,
            "sensor_model": self.sensor_model,
            "template_format": self.template_format,
            "template_length": self.template_length,
            "sha256": self.sha256,
            "quality": dict(self.quality),
            "captured_at": self.captured_at,
            "enrolled_at": self.enrolled_at,
        }

    def aad(self) -> bytes:
        return canonical_json(self.to_json())


@dataclass(frozen=True)
class TemplateMessage:
    """Up: one sealed template. ``meta.uuid`` is the idempotency key end to end."""

    meta: TemplateMeta
    sealed: Sealed
    schema: int = SCHEMA_VERSION

    FIELDS: ClassVar[set[str]] = {
        "schema", "type", "uuid", "station", "operator", "person", "finger", "sensor_model",
        "template_format", "template_length", "sha256", "quality", "captured_at", "enrolled_at",
        "sealed",
    }

    def to_bytes(self) -> bytes:
        obj = self.meta.to_json()
        obj["schema"] = self.schema
        obj["sealed"] = self.sealed.to_json()
        return dump(obj)

    @classmethod
    def parse(cls, payload: bytes) -> TemplateMessage:
        obj = envelope(payload, "template")
        check_keys(obj, cls.FIELDS)
        finger = req_str(obj, "finger", max_len=16)
        if not is_finger(finger):
            raise fail("finger is not a known finger name")
        sha = req_str(obj, "sha256", max_len=64, min_len=64)
        if not HEX64_RE.match(sha):
            raise fail("sha256 must be 64 lowercase hex digits")
        meta = TemplateMeta(
            uuid=req_uuid(obj, "uuid"),
            station=req_station(obj),
            operator=req_str(obj, "operator"),
            person=req_str(obj, "person"),
            finger=finger,
            sensor_model=req_str(obj, "sensor_model", max_len=64),
            template_format=req_str(obj, "template_format", max_len=64),
            template_length=req_int(obj, "template_length", 1, 16384),
            sha256=sha,
            quality=_quality(obj),
            captured_at=req_ts(obj, "captured_at"),
            enrolled_at=req_ts(obj, "enrolled_at"),
        )
        s = obj["sealed"]
        if not isinstance(s, dict) or set(s) != {"alg", "kid", "epk", "nonce", "ct"}:
            raise fail("sealed must have exactly alg, kid, epk, nonce, ct")
        try:
            sealed = Sealed.from_json(s)
        except ValueError as exc:
            raise fail(f"sealed: {exc}") from None
        if len(sealed.ct) != meta.template_length + 16:
            raise fail("sealed ciphertext length does not match template_length")
        return cls(meta, sealed, obj["schema"])


@dataclass(frozen=True)
class AckMessage:
    """Down: central's verdict on one template, sent only after its commit."""

    uuid: str
    status: AckStatus
    reason: str | None = None
    detail: str = ""
    acked_at: str = field(default_factory=utc_now_iso)

    def __post_init__(self) -> None:
        if (self.status == "rejected") != (self.reason is not None):
            raise ContractError("reason is required exactly when status is rejected")

    def to_bytes(self) -> bytes:
        return dump({
            "schema": SCHEMA_VERSION, "type": "ack", "uuid": self.uuid, "status": self.status,
            "reason": self.reason, "detail": self.detail, "acked_at": self.acked_at,
        })

    @classmethod
    def parse(cls, payload: bytes) -> AckMessage:
        obj = envelope(payload, "ack")
        check_keys(obj, {"schema", "type", "uuid", "status", "reason", "acked_at"},
              frozenset({"detail"}))
        status = obj["status"]
        if status not in ("stored", "duplicate", "rejected"):
            raise fail("status must be stored, duplicate or rejected")
        reason = obj["reason"]
        if reason is not None and reason not in REJECT_REASONS:
            raise fail("reason is not a known rejection reason")
        detail = obj.get("detail", "")
        if not isinstance(detail, str) or len(detail) > 500:
            raise fail("detail must be a string of at most 500 characters")
        return cls(req_uuid(obj, "uuid"), status, reason, detail, req_ts(obj, "acked_at"))


@dataclass(frozen=True)
class RosterPerson:
    external_id: str
    display_name: str
    active: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"external_id": self.external_id, "display_name": self.display_name,
                "active": self.active}


@dataclass(frozen=True)
class RosterMessage:
    """Down: the people a station may enroll — a retained snapshot, or a delta on a version."""

    kind: Literal["snapshot", "delta"]
    version: int
    people: tuple[RosterPerson, ...]
    removed: tuple[str, ...] = ()
    base_version: int | None = None
    issued_at: str = field(default_factory=utc_now_iso)

    def to_bytes(self) -> bytes:
        obj: dict[str, Any] = {
            "schema": SCHEMA_VERSION, "type": "roster", "kind": self.kind,
            "version": self.version, "people": [p.to_json() for p in self.people],
            "issued_at": self.issued_at,
        }
        if self.kind == "delta":
            obj["base_version"] = self.base_version
            obj["removed"] = list(self.removed)
        return dump(obj)

    @classmethod
    def parse(cls, payload: bytes) -> RosterMessage:
        obj = envelope(payload, "roster", MAX_ROSTER_BYTES)
        kind = obj.get("kind")
        base = {"schema", "type", "kind", "version", "people", "issued_at"}
        if kind == "snapshot":
            check_keys(obj, base)
        elif kind == "delta":
            check_keys(obj, base | {"base_version", "removed"})
        else:
            raise fail("kind must be snapshot or delta")
        version = req_int(obj, "version", 1, 2**53)
        people_raw = obj["people"]
        if not isinstance(people_raw, list):
            raise fail("people must be a list")
        people = []
        for p in people_raw:
            if not isinstance(p, dict):
                raise fail("people entries must be objects")
            check_keys(p, {"external_id", "display_name", "active"})
            if not isinstance(p["active"], bool):
                raise fail("people[].active must be true or false")
            people.append(RosterPerson(
                req_str(p, "external_id"), req_str(p, "display_name", max_len=200), p["active"]
            ))
        removed: tuple[str, ...] = ()
        base_version: int | None = None
        if kind == "delta":
            base_version = req_int(obj, "base_version", 0, version - 1)
            r = obj["removed"]
            ok = isinstance(r, list) and all(isinstance(x, str) and 0 < len(x) <= 128 for x in r)
            if not ok:
                raise fail("removed must be a list of external ids")
            removed = tuple(r)
        return cls(kind, version, tuple(people), removed, base_version, req_ts(obj, "issued_at"))


@dataclass(frozen=True)
class DeletionRequest:
    """Down: remove a person's biometrics from this station (answered by a receipt)."""

    request_id: str
    person: str
    station: str
    issued_at: str = field(default_factory=utc_now_iso)

    def to_bytes(self) -> bytes:
        return dump({
            "schema": SCHEMA_VERSION, "type": "deletion", "request_id": self.request_id,
            "person": self.person, "station": self.station, "issued_at": self.issued_at,
        })

    @classmethod
    def parse(cls, payload: bytes) -> DeletionRequest:
        obj = envelope(payload, "deletion")
        check_keys(obj, {"schema", "type", "request_id", "person", "station", "issued_at"})
        return cls(req_uuid(obj, "request_id"), req_str(obj, "person"), req_station(obj),
                   req_ts(obj, "issued_at"))


@dataclass(frozen=True)
class DeletionReceipt:
    """Up: the station removed a person's templates. ``uuid`` is the receipt's own id (acked by
    central); ``request_id`` is central's request, or None for a deletion made at the desk."""

    uuid: str
    request_id: str | None
    person: str
    station: str
    template_uuids: tuple[str, ...]
    completed_at: str = field(default_factory=utc_now_iso)

    def to_bytes(self) -> bytes:
        return dump({
            "schema": SCHEMA_VERSION, "type": "deletion-receipt", "uuid": self.uuid,
            "request_id": self.request_id, "person": self.person, "station": self.station,
            "template_uuids": list(self.template_uuids),
            "templates_removed": len(self.template_uuids), "completed_at": self.completed_at,
        })

    @classmethod
    def parse(cls, payload: bytes) -> DeletionReceipt:
        obj = envelope(payload, "deletion-receipt")
        check_keys(obj, {"schema", "type", "uuid", "request_id", "person", "station",
                    "template_uuids", "templates_removed", "completed_at"})
        tu = obj["template_uuids"]
        if not isinstance(tu, list) or len(tu) > 10:
            raise fail("template_uuids must be a list of at most 10 UUIDs")
        uuids = tuple(req_uuid({"t": t}, "t") for t in tu)
        if req_int(obj, "templates_removed", 0, 10) != len(uuids):
            raise fail("templates_removed must equal the number of template_uuids")
        rid = None if obj["request_id"] is None else req_uuid(obj, "request_id")
        return cls(req_uuid(obj, "uuid"), rid, req_str(obj, "person"), req_station(obj), uuids,
                   req_ts(obj, "completed_at"))


ConsentEvent = Literal["given", "refused", "withdrawn"]
_CONSENT_OPTIONAL = frozenset({"method", "notice_version", "text_sha256", "language"})


@dataclass(frozen=True)
class ConsentMessage:
    """Up: a consent given, refused or withdrawn at the desk; (uuid, event) is the key."""

    uuid: str
    event: ConsentEvent
    person: str
    station: str
    operator: str
    at: str
    details: dict[str, str] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return dump({
            "schema": SCHEMA_VERSION, "type": "consent", "uuid": self.uuid, "event": self.event,
            "person": self.person, "station": self.station, "operator": self.operator,
            "at": self.at, **{k: v for k, v in self.details.items() if k in _CONSENT_OPTIONAL},
        })

    @classmethod
    def parse(cls, payload: bytes) -> ConsentMessage:
        obj = envelope(payload, "consent")
        check_keys(obj, {"schema", "type", "uuid", "event", "person", "station", "operator", "at"},
              _CONSENT_OPTIONAL)
        event = obj["event"]
        if event not in ("given", "refused", "withdrawn"):
            raise fail("event must be given, refused or withdrawn")
        details = {k: req_str(obj, k, max_len=128, min_len=0)
                   for k in _CONSENT_OPTIONAL & obj.keys()}
        return cls(req_uuid(obj, "uuid"), event, req_str(obj, "person"), req_station(obj),
                   req_str(obj, "operator"), req_ts(obj, "at"), details)


@dataclass(frozen=True)
class StatusMessage:
    """Up, retained: birth ("online") and last will ("offline") of a station."""

    station: str
    state: Literal["online", "offline"]
    software: str
    at: str = field(default_factory=utc_now_iso)

    def to_bytes(self) -> bytes:
        return dump({
            "schema": SCHEMA_VERSION, "type": "status", "station": self.station,
            "state": self.state, "software": self.software, "at": self.at,
        })

    @classmethod
    def parse(cls, payload: bytes) -> StatusMessage:
        obj = envelope(payload, "status")
        check_keys(obj, {"schema", "type", "station", "state", "software", "at"})
        state = obj["state"]
        if state not in ("online", "offline"):
            raise fail("state must be online or offline")
        return cls(req_station(obj), state, req_str(obj, "software", max_len=64), req_ts(obj, "at"))


def correlation_for(uuid: str) -> bytes:
    """CorrelationData of a request: the 16 raw bytes of its UUID."""
    return uuidlib.UUID(uuid).bytes


def uuid_from_correlation(data: bytes | None) -> str | None:
    if data is None or len(data) != 16:
        return None
    return str(uuidlib.UUID(bytes=data))

