"""The MQTT contract between stations and the central ingest (see ``docs/asyncapi.yaml``).

Topics live under a configurable, versioned prefix (``SyncConfig.topic_prefix``, default
``fpk/v1``), one namespace per station so the broker ACL can confine each station to its own.
Every payload is a JSON object with ``schema`` (its version) and ``type``; parsing is strict —
unknown fields, wrong types and oversize payloads raise a :class:`ContractError` whose
``reason`` is the code sent back in a negative ack — because a lenient parser on either side is
how a bad station or a bad central silently corrupts data.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from kiosk.config import FINGERS
from kiosk.sync.crypto import Sealed, canonical_json

SCHEMA_VERSION = 1
#: Oldest payload schema this code still accepts (older ones get reason "schema-too-old").
MIN_SCHEMA_VERSION = 1
#: Any payload larger than this is rejected before JSON parsing.
MAX_PAYLOAD_BYTES = 64 * 1024
MAX_ROSTER_BYTES = 4 * 1024 * 1024

_STATION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
_TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")

AckStatus = Literal["stored", "duplicate", "rejected"]
#: Reasons a central ingest may reject a template for good (the station stops retrying).
REJECT_REASONS = (
    "malformed",
    "schema-too-old",
    "schema-unsupported",
    "bad-hash",
    "unknown-person",
    "decrypt-failed",
    "wrong-key",
    "station-mismatch",
    "conflict",
)


class ContractError(ValueError):
    """A payload or topic does not follow the contract; ``reason`` is the nack code."""

    reason = "malformed"


class UnsupportedSchema(ContractError):
    def __init__(self, version: object) -> None:
        too_old = isinstance(version, int) and version < MIN_SCHEMA_VERSION
        super().__init__(f"schema version {version!r} is not supported")
        self.reason = "schema-too-old" if too_old else "schema-unsupported"


class PayloadTooLarge(ContractError):
    pass


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def is_station_id(value: str) -> bool:
    return bool(_STATION_RE.match(value))


# -- topics -----------------------------------------------------------------------------------
TopicKind = Literal[
    "templates", "consents", "acks", "roster", "deletions", "deletion-receipts", "status"
]
TOPIC_KINDS: tuple[TopicKind, ...] = (
    "templates", "consents", "acks", "roster", "deletions", "deletion-receipts", "status",
)


@dataclass(frozen=True)
class Topics:
    """Topic names for one station (or the ``+`` wildcard for central's subscriptions)."""

    prefix: str
    station: str

    def __post_init__(self) -> None:
        if not self.prefix or self.prefix.endswith("/") or any(c in self.prefix for c in "+#"):
            raise ContractError(f"bad topic prefix {self.prefix!r}")
        if self.station != "+" and not is_station_id(self.station):
            raise ContractError(f"bad station id {self.station!r}")

    def of(self, kind: TopicKind) -> str:
        return f"{self.prefix}/stations/{self.station}/{kind}"

    templates = property(lambda self: self.of("templates"))
    consents = property(lambda self: self.of("consents"))
    acks = property(lambda self: self.of("acks"))
    roster = property(lambda self: self.of("roster"))
    deletions = property(lambda self: self.of("deletions"))
    deletion_receipts = property(lambda self: self.of("deletion-receipts"))
    status = property(lambda self: self.of("status"))


def parse_topic(prefix: str, topic: str) -> tuple[str, TopicKind]:
    """``{prefix}/stations/{station}/{kind}`` → ``(station, kind)``."""
    head = f"{prefix}/stations/"
    if not topic.startswith(head):
        raise ContractError(f"topic outside {prefix!r}")
    parts = topic[len(head):].split("/")
    if len(parts) != 2 or not is_station_id(parts[0]) or parts[1] not in TOPIC_KINDS:
        raise ContractError("unknown topic")
    kind: TopicKind = parts[1]
    return parts[0], kind


# -- field checks -----------------------------------------------------------------------------


def _fail(msg: str) -> ContractError:
    return ContractError(msg)


def _str(obj: Mapping[str, Any], key: str, *, max_len: int = 128, min_len: int = 1) -> str:
    v = obj.get(key)
    if not isinstance(v, str) or not min_len <= len(v) <= max_len:
        raise _fail(f"{key} must be a string of {min_len}..{max_len} characters")
    return v


def _int(obj: Mapping[str, Any], key: str, lo: int, hi: int) -> int:
    v = obj.get(key)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise _fail(f"{key} must be a whole number in {lo}..{hi}")
    return v


def _uuid(obj: Mapping[str, Any], key: str) -> str:
    v = _str(obj, key, max_len=36, min_len=36)
    try:
        parsed = uuidlib.UUID(v)
    except ValueError:
        raise _fail(f"{key} is not a UUID") from None
    if str(parsed) != v:
        raise _fail(f"{key} must be a lowercase hyphenated UUID")
    return v


def _ts(obj: Mapping[str, Any], key: str) -> str:
    v = _str(obj, key, max_len=40)
    if not _TS_RE.match(v):
        raise _fail(f"{key} must be an RFC 3339 timestamp")
    try:
        datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(f"{key} must be an RFC 3339 timestamp") from None
    return v


def _station(obj: Mapping[str, Any], key: str = "station") -> str:
    v = _str(obj, key, max_len=64)
    if not is_station_id(v):
        raise _fail(f"{key} is not a valid station id")
    return v


def _keys(
    obj: Mapping[str, Any], required: set[str], optional: frozenset[str] = frozenset()
) -> None:
    missing = required - obj.keys()
    if missing:
        raise _fail(f"missing field(s) {sorted(missing)}")
    extra = obj.keys() - required - optional
    if extra:
        raise _fail(f"unknown field(s) {sorted(extra)[:5]}")


def _envelope(payload: bytes, type_: str, limit: int = MAX_PAYLOAD_BYTES) -> dict[str, Any]:
    if len(payload) > limit:
        raise PayloadTooLarge(f"payload of {len(payload)} bytes exceeds {limit}")
    try:
        obj = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise _fail("payload is not JSON") from None
    if not isinstance(obj, dict):
        raise _fail("payload must be a JSON object")
    version = obj.get("schema")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _fail("schema must be a whole number")
    if not MIN_SCHEMA_VERSION <= version <= SCHEMA_VERSION:
        raise UnsupportedSchema(version)
    if obj.get("type") != type_:
        raise _fail(f"type must be {type_!r}")
    return obj


def _dump(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


# -- messages ---------------------------------------------------------------------------------
_QUALITY_KEYS = frozenset({"score", "captures", "match_score", "retries", "image_quality"})


def _quality(obj: Mapping[str, Any]) -> dict[str, int | None]:
    q = obj.get("quality")
    if not isinstance(q, dict) or not q or not q.keys() <= _QUALITY_KEYS:
        raise _fail(f"quality must be an object with keys from {sorted(_QUALITY_KEYS)}")
    out: dict[str, int | None] = {}
    for k, v in q.items():
        bad = isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 100000
        if v is not None and bad:
            raise _fail(f"quality.{k} must be a whole number or null")
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
        return _dump(obj)

    @classmethod
    def parse(cls, payload: bytes) -> TemplateMessage:
        obj = _envelope(payload, "template")
        _keys(obj, cls.FIELDS)
        finger = _str(obj, "finger", max_len=16)
        if finger not in FINGERS:
            raise _fail("finger is not a known finger name")
        sha = _str(obj, "sha256", max_len=64, min_len=64)
        if not _HEX64_RE.match(sha):
            raise _fail("sha256 must be 64 lowercase hex digits")
        meta = TemplateMeta(
            uuid=_uuid(obj, "uuid"),
            station=_station(obj),
            operator=_str(obj, "operator"),
            person=_str(obj, "person"),
            finger=finger,
            sensor_model=_str(obj, "sensor_model", max_len=64),
            template_format=_str(obj, "template_format", max_len=64),
            template_length=_int(obj, "template_length", 1, 16384),
            sha256=sha,
            quality=_quality(obj),
            captured_at=_ts(obj, "captured_at"),
            enrolled_at=_ts(obj, "enrolled_at"),
        )
        s = obj["sealed"]
        if not isinstance(s, dict) or set(s) != {"alg", "kid", "epk", "nonce", "ct"}:
            raise _fail("sealed must have exactly alg, kid, epk, nonce, ct")
        try:
            sealed = Sealed.from_json(s)
        except ValueError as exc:
            raise _fail(f"sealed: {exc}") from None
        if len(sealed.ct) != meta.template_length + 16:
            raise _fail("sealed ciphertext length does not match template_length")
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
        return _dump({
            "schema": SCHEMA_VERSION, "type": "ack", "uuid": self.uuid, "status": self.status,
            "reason": self.reason, "detail": self.detail, "acked_at": self.acked_at,
        })

    @classmethod
    def parse(cls, payload: bytes) -> AckMessage:
        obj = _envelope(payload, "ack")
        _keys(obj, {"schema", "type", "uuid", "status", "reason", "acked_at"},
              frozenset({"detail"}))
        status = obj["status"]
        if status not in ("stored", "duplicate", "rejected"):
            raise _fail("status must be stored, duplicate or rejected")
        reason = obj["reason"]
        if reason is not None and reason not in REJECT_REASONS:
            raise _fail("reason is not a known rejection reason")
        detail = obj.get("detail", "")
        if not isinstance(detail, str) or len(detail) > 500:
            raise _fail("detail must be a string of at most 500 characters")
        return cls(_uuid(obj, "uuid"), status, reason, detail, _ts(obj, "acked_at"))


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
        return _dump(obj)

    @classmethod
    def parse(cls, payload: bytes) -> RosterMessage:
        obj = _envelope(payload, "roster", MAX_ROSTER_BYTES)
        kind = obj.get("kind")
        base = {"schema", "type", "kind", "version", "people", "issued_at"}
        if kind == "snapshot":
            _keys(obj, base)
        elif kind == "delta":
            _keys(obj, base | {"base_version", "removed"})
        else:
            raise _fail("kind must be snapshot or delta")
        version = _int(obj, "version", 1, 2**53)
        people_raw = obj["people"]
        if not isinstance(people_raw, list):
            raise _fail("people must be a list")
        people = []
        for p in people_raw:
            if not isinstance(p, dict):
                raise _fail("people entries must be objects")
            _keys(p, {"external_id", "display_name", "active"})
            if not isinstance(p["active"], bool):
                raise _fail("people[].active must be true or false")
            people.append(RosterPerson(
                _str(p, "external_id"), _str(p, "display_name", max_len=200), p["active"]
            ))
        removed: tuple[str, ...] = ()
        base_version: int | None = None
        if kind == "delta":
            base_version = _int(obj, "base_version", 0, version - 1)
            r = obj["removed"]
            ok = isinstance(r, list) and all(isinstance(x, str) and 0 < len(x) <= 128 for x in r)
            if not ok:
                raise _fail("removed must be a list of external ids")
            removed = tuple(r)
        return cls(kind, version, tuple(people), removed, base_version, _ts(obj, "issued_at"))


@dataclass(frozen=True)
class DeletionRequest:
    """Down: remove a person's biometrics from this station (answered by a receipt)."""

    request_id: str
    person: str
    station: str
    issued_at: str = field(default_factory=utc_now_iso)

    def to_bytes(self) -> bytes:
        return _dump({
            "schema": SCHEMA_VERSION, "type": "deletion", "request_id": self.request_id,
            "person": self.person, "station": self.station, "issued_at": self.issued_at,
        })

    @classmethod
    def parse(cls, payload: bytes) -> DeletionRequest:
        obj = _envelope(payload, "deletion")
        _keys(obj, {"schema", "type", "request_id", "person", "station", "issued_at"})
        return cls(_uuid(obj, "request_id"), _str(obj, "person"), _station(obj),
                   _ts(obj, "issued_at"))


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
        return _dump({
            "schema": SCHEMA_VERSION, "type": "deletion-receipt", "uuid": self.uuid,
            "request_id": self.request_id, "person": self.person, "station": self.station,
            "template_uuids": list(self.template_uuids),
            "templates_removed": len(self.template_uuids), "completed_at": self.completed_at,
        })

    @classmethod
    def parse(cls, payload: bytes) -> DeletionReceipt:
        obj = _envelope(payload, "deletion-receipt")
        _keys(obj, {"schema", "type", "uuid", "request_id", "person", "station",
                    "template_uuids", "templates_removed", "completed_at"})
        tu = obj["template_uuids"]
        if not isinstance(tu, list) or len(tu) > 10:
            raise _fail("template_uuids must be a list of at most 10 UUIDs")
        uuids = tuple(_uuid({"t": t}, "t") for t in tu)
        if _int(obj, "templates_removed", 0, 10) != len(uuids):
            raise _fail("templates_removed must equal the number of template_uuids")
        rid = None if obj["request_id"] is None else _uuid(obj, "request_id")
        return cls(_uuid(obj, "uuid"), rid, _str(obj, "person"), _station(obj), uuids,
                   _ts(obj, "completed_at"))


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
        return _dump({
            "schema": SCHEMA_VERSION, "type": "consent", "uuid": self.uuid, "event": self.event,
            "person": self.person, "station": self.station, "operator": self.operator,
            "at": self.at, **{k: v for k, v in self.details.items() if k in _CONSENT_OPTIONAL},
        })

    @classmethod
    def parse(cls, payload: bytes) -> ConsentMessage:
        obj = _envelope(payload, "consent")
        _keys(obj, {"schema", "type", "uuid", "event", "person", "station", "operator", "at"},
              _CONSENT_OPTIONAL)
        event = obj["event"]
        if event not in ("given", "refused", "withdrawn"):
            raise _fail("event must be given, refused or withdrawn")
        details = {k: _str(obj, k, max_len=128, min_len=0) for k in _CONSENT_OPTIONAL & obj.keys()}
        return cls(_uuid(obj, "uuid"), event, _str(obj, "person"), _station(obj),
                   _str(obj, "operator"), _ts(obj, "at"), details)


@dataclass(frozen=True)
class StatusMessage:
    """Up, retained: birth ("online") and last will ("offline") of a station."""

    station: str
    state: Literal["online", "offline"]
    software: str
    at: str = field(default_factory=utc_now_iso)

    def to_bytes(self) -> bytes:
        return _dump({
            "schema": SCHEMA_VERSION, "type": "status", "station": self.station,
            "state": self.state, "software": self.software, "at": self.at,
        })

    @classmethod
    def parse(cls, payload: bytes) -> StatusMessage:
        obj = _envelope(payload, "status")
        _keys(obj, {"schema", "type", "station", "state", "software", "at"})
        state = obj["state"]
        if state not in ("online", "offline"):
            raise _fail("state must be online or offline")
        return cls(_station(obj), state, _str(obj, "software", max_len=64), _ts(obj, "at"))


def correlation_for(uuid: str) -> bytes:
    """CorrelationData of a request: the 16 raw bytes of its UUID."""
    return uuidlib.UUID(uuid).bytes


def uuid_from_correlation(data: bytes | None) -> str | None:
    if data is None or len(data) != 16:
        return None
    return str(uuidlib.UUID(bytes=data))

