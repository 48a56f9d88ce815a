"""The station's up messages (templates, consents, deletion receipts, status) and central's
deletion requests, in both payload schemas (see ``docs/asyncapi.yaml``).

Schema 1 is what stations send today. Schema 2 adds ``msg_id`` to every message a station
sends through its outbox: the UUID of that outbox *event*, stable across re-sends, carried as
the CorrelationData and named by every ack, so an ack settles exactly the event it answers (a
consent given and then withdrawn share the aggregate ``uuid`` but not the ``msg_id``). A
message is schema 2 exactly when it carries a ``msg_id`` (deletion requests: a ``cause``);
central answers each message in the schema it came in, so old stations keep working against a
new central ("upgrade central first").

Long on purpose: the station's up messages stay in one module (slightly over 400 lines) so
the schema-1/2 rule reads the same for each of them.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Literal

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from kiosk_contract.fields import (
    HEX64_RE,
    MAX_PAYLOAD_BYTES,
    ContractError,
    check_keys,
    check_size,
    dump,
    envelope,
    fail,
    req_enum,
    req_int,
    req_list,
    req_obj,
    req_station,
    req_str,
    req_ts,
    req_uuid,
    utc_now_iso,
    verified,
)
from kiosk_contract.fingers import is_finger
from kiosk_contract.sealing import CryptoError, Sealed, canonical_json, seal

_QUALITY_KEYS = frozenset({"score", "captures", "match_score", "retries", "image_quality"})


def _schema_for(msg_id: str | None) -> int:
    return 1 if msg_id is None else 2


def _msg_id(obj: Mapping[str, Any]) -> str | None:
    """``msg_id`` is required in schema 2 and absent in schema 1."""
    if obj["schema"] == 1:
        if "msg_id" in obj:
            raise fail("msg_id belongs to schema 2")
        return None
    if "msg_id" not in obj:
        raise fail("missing field(s) ['msg_id']")
    return req_uuid(obj, "msg_id")


def _with_msg_id(obj: dict[str, Any], msg_id: str | None) -> dict[str, Any]:
    if msg_id is not None:
        obj["msg_id"] = msg_id
    return obj


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

    def to_json(self, schema: int = 1) -> dict[str, Any]:
        return {
            "schema": schema, "type": "template", "uuid": self.uuid, "station": self.station,
            "operator": self.operator, "person": self.person, "finger": self.finger,
            "sensor_model": self.sensor_model, "template_format": self.template_format,
            "template_length": self.template_length, "sha256": self.sha256,
            "quality": dict(self.quality), "captured_at": self.captured_at,
            "enrolled_at": self.enrolled_at,
        }

    def aad(self, schema: int = 1) -> bytes:
        """The AEAD associated data: canonical JSON of every field but ``sealed``/``msg_id``.

        The default of 1 is what stations not yet on schema 2 seal with; schema-2 senders use
        :meth:`TemplateMessage.build`, which passes 2.
        """
        return canonical_json(self.to_json(schema))


@dataclass(frozen=True)
class TemplateMessage:
    """Up: one sealed template. ``meta.uuid`` is the idempotency key end to end."""

    meta: TemplateMeta
    sealed: Sealed
    msg_id: str | None = None

    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "schema", "type", "uuid", "station", "operator", "person", "finger", "sensor_model",
        "template_format", "template_length", "sha256", "quality", "captured_at", "enrolled_at",
        "sealed",
    })

    @property
    def schema(self) -> int:
        return _schema_for(self.msg_id)

    @classmethod
    def build(cls, meta: TemplateMeta, data: bytes, central_key: X25519PublicKey,
              msg_id: str) -> TemplateMessage:
        """A schema-2 message: ``data`` sealed to central with the schema-2 AAD."""
        return cls(meta, seal(central_key, data, meta.aad(2)), msg_id)

    def to_bytes(self) -> bytes:
        obj = _with_msg_id(self.meta.to_json(self.schema), self.msg_id)
        obj["sealed"] = self.sealed.to_json()
        raw = check_size(dump(obj), MAX_PAYLOAD_BYTES, "template message")
        return verified(raw, self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> TemplateMessage:
        obj = envelope(payload, "template")
        check_keys(obj, cls.FIELDS, {"msg_id"})
        msg_id = _msg_id(obj)
        finger = req_str(obj, "finger", max_len=16)
        if not is_finger(finger):
            raise fail("finger is not a known finger name")
        sha = req_str(obj, "sha256", max_len=64, min_len=64)
        if not HEX64_RE.match(sha):
            raise fail("sha256 must be 64 lowercase hex digits")
        meta = TemplateMeta(
            uuid=req_uuid(obj, "uuid"), station=req_station(obj),
            operator=req_str(obj, "operator"), person=req_str(obj, "person"), finger=finger,
            sensor_model=req_str(obj, "sensor_model", max_len=64),
            template_format=req_str(obj, "template_format", max_len=64),
            template_length=req_int(obj, "template_length", 1, 16384), sha256=sha,
            quality=_quality(obj), captured_at=req_ts(obj, "captured_at"),
            enrolled_at=req_ts(obj, "enrolled_at"),
        )
        s = obj["sealed"]
        if not isinstance(s, dict) or set(s) != {"alg", "kid", "epk", "nonce", "ct"}:
            raise fail("sealed must have exactly alg, kid, epk, nonce, ct")
        if not all(isinstance(v, str) and len(v) <= 32768 for v in s.values()):
            raise fail("sealed fields must be strings")
        try:
            sealed = Sealed.from_json(s)
        except CryptoError as exc:
            raise fail(f"sealed: {exc}") from None
        if len(sealed.ct) != meta.template_length + 16:
            raise fail("sealed ciphertext length does not match template_length")
        return cls(meta, sealed, msg_id)


ConsentEvent = Literal["given", "refused", "withdrawn"]
CONSENT_EVENTS: tuple[ConsentEvent, ...] = ("given", "refused", "withdrawn")
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
    msg_id: str | None = None

    @property
    def schema(self) -> int:
        return _schema_for(self.msg_id)

    def to_bytes(self) -> bytes:
        obj = _with_msg_id({
            "schema": self.schema, "type": "consent", "uuid": self.uuid, "event": self.event,
            "person": self.person, "station": self.station, "operator": self.operator,
            "at": self.at, **{k: v for k, v in self.details.items() if k in _CONSENT_OPTIONAL},
        }, self.msg_id)
        raw = check_size(dump(obj), MAX_PAYLOAD_BYTES, "consent message")
        return verified(raw, self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> ConsentMessage:
        obj = envelope(payload, "consent")
        check_keys(obj, {"schema", "type", "uuid", "event", "person", "station", "operator",
                         "at"}, _CONSENT_OPTIONAL | {"msg_id"})
        msg_id = _msg_id(obj)
        event = req_enum(obj, "event", CONSENT_EVENTS)
        details = {k: req_str(obj, k, max_len=128, min_len=0)
                   for k in sorted(_CONSENT_OPTIONAL & obj.keys())}
        return cls(req_uuid(obj, "uuid"), event, req_str(obj, "person"),  # type: ignore[arg-type]
                   req_station(obj), req_str(obj, "operator"), req_ts(obj, "at"), details,
                   msg_id)


class DeletionCause(StrEnum):
    """Why biometrics were deleted; one vocabulary for requests, receipts and reports."""

    CENTRAL_REQUEST = "central-request"
    WITHDRAWAL = "withdrawal"
    DESK = "desk"
    FINGER_REMOVED = "finger-removed"
    RETENTION = "retention"


#: Causes central may put in a deletion request (the others start at a station).
REQUEST_CAUSES = frozenset({DeletionCause.CENTRAL_REQUEST, DeletionCause.WITHDRAWAL,
                            DeletionCause.RETENTION})
SensorPlace = Literal["done", "pending", "not-held"]
SENSOR_PLACES: tuple[SensorPlace, ...] = ("done", "pending", "not-held")


@dataclass(frozen=True)
class ReceiptPlaces:
    """Where a deletion stands at the station: the database always first, the sensor slot
    as soon as the sensor is connected (``pending`` until then, ``not-held`` if no slot)."""

    sensor: SensorPlace
    station_db: Literal["done"] = "done"

    def to_json(self) -> dict[str, str]:
        return {"station_db": self.station_db, "sensor": self.sensor}

    @property
    def complete(self) -> bool:
        return self.sensor != "pending"


@dataclass(frozen=True)
class DeletionRequest:
    """Down: remove a person's biometrics from this station (answered by a receipt).

    Schema 2 (``cause`` given) goes only to stations known to speak schema 2."""

    request_id: str
    person: str
    station: str
    issued_at: str = field(default_factory=utc_now_iso)
    cause: DeletionCause | None = None

    def __post_init__(self) -> None:
        if self.cause is not None and self.cause not in REQUEST_CAUSES:
            raise ContractError(f"central does not request deletions with cause {self.cause}")

    @property
    def schema(self) -> int:
        return 1 if self.cause is None else 2

    def to_bytes(self) -> bytes:
        obj: dict[str, Any] = {
            "schema": self.schema, "type": "deletion", "request_id": self.request_id,
            "person": self.person, "station": self.station, "issued_at": self.issued_at,
        }
        if self.cause is not None:
            obj["cause"] = str(self.cause)
        raw = check_size(dump(obj), MAX_PAYLOAD_BYTES, "deletion request")
        return verified(raw, self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> DeletionRequest:
        obj = envelope(payload, "deletion")
        base = {"schema", "type", "request_id", "person", "station", "issued_at"}
        check_keys(obj, base | ({"cause"} if obj["schema"] == 2 else set()))
        cause = None
        if obj["schema"] == 2:
            cause = DeletionCause(req_enum(obj, "cause", {str(c) for c in REQUEST_CAUSES}))
        return cls(req_uuid(obj, "request_id"), req_str(obj, "person"), req_station(obj),
                   req_ts(obj, "issued_at"), cause)


@dataclass(frozen=True)
class DeletionReceipt:
    """Up: the station removed a person's templates. ``uuid`` is the receipt's own id;
    ``request_id`` is central's request, or None for a deletion started at the station.

    Schema 2 adds ``msg_id``, ``cause`` and ``places``. The same receipt ``uuid`` may come
    again with a new ``msg_id`` once a pending sensor slot is cleared: an update."""

    uuid: str
    request_id: str | None
    person: str
    station: str
    template_uuids: tuple[str, ...]
    completed_at: str = field(default_factory=utc_now_iso)
    msg_id: str | None = None
    cause: DeletionCause | None = None
    places: ReceiptPlaces | None = None

    def __post_init__(self) -> None:
        v2 = (self.msg_id is not None, self.cause is not None, self.places is not None)
        if len(set(v2)) != 1:
            raise ContractError("msg_id, cause and places come together (schema 2) or not at all")
        if len(self.template_uuids) > 10:
            raise ContractError("a receipt names at most 10 templates")

    @property
    def schema(self) -> int:
        return _schema_for(self.msg_id)

    def to_bytes(self) -> bytes:
        obj: dict[str, Any] = {
            "schema": self.schema, "type": "deletion-receipt", "uuid": self.uuid,
            "request_id": self.request_id, "person": self.person, "station": self.station,
            "template_uuids": list(self.template_uuids), "completed_at": self.completed_at,
        }
        if self.places is None:
            obj["templates_removed"] = len(self.template_uuids)
        else:
            obj["msg_id"] = self.msg_id
            obj["cause"] = str(self.cause)
            obj["places"] = self.places.to_json()
        raw = check_size(dump(obj), MAX_PAYLOAD_BYTES, "deletion receipt")
        return verified(raw, self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> DeletionReceipt:
        obj = envelope(payload, "deletion-receipt")
        base = {"schema", "type", "uuid", "request_id", "person", "station", "template_uuids",
                "completed_at"}
        v2 = obj["schema"] == 2
        check_keys(obj, base | ({"msg_id", "cause", "places"} if v2 else {"templates_removed"}))
        tu = req_list(obj, "template_uuids", 0, 10)
        uuids = tuple(req_uuid({"template_uuids[]": t}, "template_uuids[]") for t in tu)
        if len(set(uuids)) != len(uuids):
            raise fail("template_uuids must not repeat")
        rid = None if obj["request_id"] is None else req_uuid(obj, "request_id")
        msg_id = cause = places = None
        if v2:
            msg_id = req_uuid(obj, "msg_id")
            cause = DeletionCause(req_enum(obj, "cause", {str(c) for c in DeletionCause}))
            p = req_obj(obj, "places")
            check_keys(p, {"station_db", "sensor"})
            req_enum(p, "station_db", ("done",))
            places = ReceiptPlaces(req_enum(p, "sensor", SENSOR_PLACES))  # type: ignore[arg-type]
            if cause == DeletionCause.CENTRAL_REQUEST and rid is None:
                raise fail("a central-request receipt needs its request_id")
            if cause in (DeletionCause.DESK, DeletionCause.FINGER_REMOVED) and rid is not None:
                raise fail(f"a {cause} deletion has no central request_id")
        elif req_int(obj, "templates_removed", 0, 10) != len(uuids):
            raise fail("templates_removed must equal the number of template_uuids")
        return cls(req_uuid(obj, "uuid"), rid, req_str(obj, "person"), req_station(obj), uuids,
                   req_ts(obj, "completed_at"), msg_id, cause, places)


@dataclass(frozen=True)
class StatusMessage:
    """Up, retained: birth ("online") and last will ("offline") of a station. Its ``schema``
    tells central which payload schema the station speaks (for its deletion requests)."""

    station: str
    state: Literal["online", "offline"]
    software: str
    at: str = field(default_factory=utc_now_iso)
    schema: int = 1

    def to_bytes(self) -> bytes:
        if self.schema not in (1, 2):
            raise ContractError("status schema must be 1 or 2")
        return verified(check_size(dump({
            "schema": self.schema, "type": "status", "station": self.station,
            "state": self.state, "software": self.software, "at": self.at,
        }), MAX_PAYLOAD_BYTES, "status message"), self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> StatusMessage:
        obj = envelope(payload, "status")
        check_keys(obj, {"schema", "type", "station", "state", "software", "at"})
        state = req_enum(obj, "state", ("online", "offline"))
        return cls(req_station(obj), state,  # type: ignore[arg-type]
                   req_str(obj, "software", max_len=64), req_ts(obj, "at"), obj["schema"])


def correlation_for(uuid: str) -> bytes:
    """CorrelationData of a request: the 16 raw bytes of its UUID (schema 2: the msg_id)."""
    return uuidlib.UUID(uuid).bytes


def uuid_from_correlation(data: bytes | None) -> str | None:
    if not isinstance(data, bytes | bytearray) or len(data) != 16:
        return None
    return str(uuidlib.UUID(bytes=bytes(data)))
