"""Typed outbox payloads: what each outbox row announces, as records instead of dicts.

The outbox table stores them as JSON (metadata only, never template bytes: the sync layer
reads and seals those at send time). ``to_json``/``from_json`` are the only places that know
the JSON keys, so the store writes and the sync layer reads the same fields by name, and a
row that does not fit raises :class:`PayloadError` instead of yielding half a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from kiosk.store.vocab import AttemptOutcome, DeletionCause, OutboxKind, SensorPlace
from kiosk_contract.fingers import Finger
from kiosk_contract.messages import SENSOR_PLACES

ConsentEventKind = Literal["given", "refused", "withdrawn"]


class PayloadError(ValueError):
    """An outbox row's JSON does not describe a valid event (local damage or a bug)."""


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat()


def _time(d: dict[str, Any], key: str) -> datetime:
    raw = d.get(key)
    try:
        dt = datetime.fromisoformat(str(raw))
    except ValueError:
        raise PayloadError(f"{key} is not a timestamp: {str(raw)[:40]!r}") from None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _str(d: dict[str, Any], key: str) -> str:
    v = d.get(key)
    if not isinstance(v, str):
        raise PayloadError(f"{key} is missing or not text")
    return v


def _opt_str(d: dict[str, Any], key: str) -> str | None:
    v = d.get(key)
    if v is not None and not isinstance(v, str):
        raise PayloadError(f"{key} is not text")
    return v


def _opt_int(d: dict[str, Any], key: str) -> int | None:
    v = d.get(key)
    if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
        raise PayloadError(f"{key} is not a whole number")
    return v


def _cause(d: dict[str, Any]) -> DeletionCause:
    raw = _opt_str(d, "cause")
    if raw is None:  # rows written before causes were recorded
        return DeletionCause.CENTRAL_REQUEST if d.get("request_id") else DeletionCause.DESK
    try:
        return DeletionCause(raw)
    except ValueError:
        raise PayloadError(f"unknown deletion cause {raw[:40]!r}") from None


def _place(d: dict[str, Any]) -> SensorPlace:
    raw = _opt_str(d, "sensor") or "done"
    for place in SENSOR_PLACES:
        if raw == place:
            return place
    raise PayloadError(f"unknown sensor place {raw[:40]!r}")


def _outcome(d: dict[str, Any]) -> AttemptOutcome:
    raw = _str(d, "outcome")
    try:
        return AttemptOutcome(raw)
    except ValueError:
        raise PayloadError(f"unknown attempt outcome {raw[:40]!r}") from None


@dataclass(frozen=True)
class TemplateEvent:
    """A template was enrolled here; central must receive its sealed bytes."""

    kind: ClassVar[OutboxKind] = OutboxKind.TEMPLATE

    template_uuid: str
    external_id: str
    finger: Finger
    sensor_slot: int | None
    length: int
    sha256: str
    sensor_model: str
    template_format: str
    match_score: int | None
    retries: int
    consent_uuid: str
    created_at: datetime
    station_id: str
    operator: str | None

    @property
    def aggregate_uuid(self) -> str:
        return self.template_uuid

    def to_json(self) -> dict[str, Any]:
        return {
            "template_uuid": self.template_uuid, "external_id": self.external_id,
            "finger": self.finger.code, "finger_name": self.finger.value,
            "sensor_slot": self.sensor_slot, "length": self.length, "sha256": self.sha256,
            "sensor_model": self.sensor_model, "template_format": self.template_format,
            "match_score": self.match_score, "retries": self.retries,
            "consent_uuid": self.consent_uuid, "created_at": _iso(self.created_at),
            "station_id": self.station_id, "operator": self.operator,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TemplateEvent:
        try:
            finger = Finger.parse(d.get("finger_name") or int(d.get("finger", 0)))
        except (TypeError, ValueError) as exc:
            raise PayloadError(f"finger: {exc}") from None
        return cls(
            template_uuid=_str(d, "template_uuid"), external_id=_str(d, "external_id"),
            finger=finger, sensor_slot=_opt_int(d, "sensor_slot"),
            length=_opt_int(d, "length") or 0, sha256=_str(d, "sha256"),
            sensor_model=_str(d, "sensor_model"), template_format=_str(d, "template_format"),
            match_score=_opt_int(d, "match_score"), retries=_opt_int(d, "retries") or 0,
            consent_uuid=_str(d, "consent_uuid"), created_at=_time(d, "created_at"),
            station_id=_str(d, "station_id"), operator=_opt_str(d, "operator"),
        )


@dataclass(frozen=True)
class ConsentEvent:
    """A consent was given, refused or withdrawn at the desk."""

    kind: ClassVar[OutboxKind] = OutboxKind.CONSENT

    event: ConsentEventKind
    external_id: str
    consent_uuid: str
    operator: str | None
    station_id: str
    at: datetime
    method: str | None = None
    notice_version: str | None = None
    text_sha256: str | None = None
    language: str | None = None

    @property
    def aggregate_uuid(self) -> str:
        return self.consent_uuid

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "event": self.event, "external_id": self.external_id,
            "consent_uuid": self.consent_uuid, "operator": self.operator,
            "station_id": self.station_id, "at": _iso(self.at),
        }
        for key in ("method", "notice_version", "text_sha256", "language"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ConsentEvent:
        event = d.get("event")
        if event not in ("given", "refused", "withdrawn"):
            raise PayloadError(f"consent event {str(event)[:20]!r} is not given/refused/withdrawn")
        return cls(
            event=event, external_id=_str(d, "external_id"),
            consent_uuid=_str(d, "consent_uuid"), operator=_opt_str(d, "operator"),
            station_id=_str(d, "station_id"), at=_time(d, "at"),
            method=_opt_str(d, "method"), notice_version=_opt_str(d, "notice_version"),
            text_sha256=_opt_str(d, "text_sha256"), language=_opt_str(d, "language"),
        )


@dataclass(frozen=True)
class DeletionReceiptEvent:
    """A person's templates were deleted here; central learns which, and why."""

    kind: ClassVar[OutboxKind] = OutboxKind.DELETION_RECEIPT

    tombstone_uuid: str
    external_id: str
    template_uuids: tuple[str, ...]
    reason: str
    actor: str
    station_id: str
    deleted_at: datetime
    #: Central's deletion request this answers; None for a deletion started at the station.
    request_id: str | None = None
    cause: DeletionCause = DeletionCause.DESK
    #: The sensor's place: "done", "pending" (slots still to clear) or "not-held".
    sensor: SensorPlace = "done"

    @property
    def aggregate_uuid(self) -> str:
        return self.tombstone_uuid

    def to_json(self) -> dict[str, Any]:
        return {
            "tombstone_uuid": self.tombstone_uuid, "external_id": self.external_id,
            "template_uuids": list(self.template_uuids), "reason": self.reason,
            "actor": self.actor, "station_id": self.station_id,
            "deleted_at": _iso(self.deleted_at), "request_id": self.request_id,
            "cause": self.cause.value, "sensor": self.sensor,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DeletionReceiptEvent:
        uuids = d.get("template_uuids")
        if not isinstance(uuids, list) or not all(isinstance(u, str) for u in uuids):
            raise PayloadError("template_uuids is not a list of ids")
        return cls(
            tombstone_uuid=_str(d, "tombstone_uuid"), external_id=_str(d, "external_id"),
            template_uuids=tuple(uuids), reason=_str(d, "reason"), actor=_str(d, "actor"),
            station_id=_str(d, "station_id"), deleted_at=_time(d, "deleted_at"),
            request_id=_opt_str(d, "request_id"),
            cause=_cause(d), sensor=_place(d),
        )


@dataclass(frozen=True)
class AttemptEvent:
    """One enrollment attempt, for central's figures (never template bytes)."""

    kind: ClassVar[OutboxKind] = OutboxKind.ATTEMPT

    attempt_uuid: str
    external_id: str
    finger: Finger | None
    outcome: AttemptOutcome
    reason: str
    retries: int
    captures: int
    started_at: datetime
    ended_at: datetime
    operator: str | None
    template_uuid: str | None
    station_id: str

    @property
    def aggregate_uuid(self) -> str:
        return self.attempt_uuid

    def to_json(self) -> dict[str, Any]:
        return {
            "attempt_uuid": self.attempt_uuid, "external_id": self.external_id,
            "finger": self.finger.value if self.finger else None,
            "outcome": self.outcome.value,
            "reason": self.reason, "retries": self.retries, "captures": self.captures,
            "started_at": _iso(self.started_at), "ended_at": _iso(self.ended_at),
            "operator": self.operator, "template_uuid": self.template_uuid,
            "station_id": self.station_id,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AttemptEvent:
        finger = d.get("finger")
        try:
            f = Finger.parse(finger) if finger else None
        except ValueError as exc:
            raise PayloadError(f"finger: {exc}") from None
        return cls(
            attempt_uuid=_str(d, "attempt_uuid"), external_id=_str(d, "external_id"),
            finger=f, outcome=_outcome(d), reason=_opt_str(d, "reason") or "",
            retries=_opt_int(d, "retries") or 0, captures=_opt_int(d, "captures") or 0,
            started_at=_time(d, "started_at"), ended_at=_time(d, "ended_at"),
            operator=_opt_str(d, "operator"), template_uuid=_opt_str(d, "template_uuid"),
            station_id=_str(d, "station_id"),
        )


@dataclass(frozen=True)
class AuditEvent:
    """Audit entries ``first_seq..last_seq`` are to reach central (read at send time)."""

    kind: ClassVar[OutboxKind] = OutboxKind.AUDIT

    first_seq: int
    last_seq: int
    #: Stable per range, so a re-enqueued range is the same aggregate.
    range_uuid: str

    @property
    def aggregate_uuid(self) -> str:
        return self.range_uuid

    @property
    def external_id(self) -> str:
        return ""

    def to_json(self) -> dict[str, Any]:
        return {"first_seq": self.first_seq, "last_seq": self.last_seq,
                "range_uuid": self.range_uuid}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AuditEvent:
        first, last = _opt_int(d, "first_seq"), _opt_int(d, "last_seq")
        if first is None or last is None or not 1 <= first <= last:
            raise PayloadError("audit range is not first_seq <= last_seq")
        return cls(first, last, _str(d, "range_uuid"))


OutboxPayload = TemplateEvent | ConsentEvent | DeletionReceiptEvent | AttemptEvent | AuditEvent

_BY_KIND: dict[str, type[TemplateEvent] | type[ConsentEvent] | type[DeletionReceiptEvent]
               | type[AttemptEvent] | type[AuditEvent]] = {
    OutboxKind.TEMPLATE: TemplateEvent,
    OutboxKind.CONSENT: ConsentEvent,
    OutboxKind.DELETION_RECEIPT: DeletionReceiptEvent,
    OutboxKind.ATTEMPT: AttemptEvent,
    OutboxKind.AUDIT: AuditEvent,
}


def parse_payload(kind: str, data: dict[str, Any]) -> OutboxPayload:
    """The typed payload of an outbox row; raises :class:`PayloadError`."""
    cls = _BY_KIND.get(kind)
    if cls is None:
        raise PayloadError(f"outbox kind {kind[:32]!r} is unknown")
    return cls.from_json(data)


__all__ = [
    "AttemptEvent",
    "AuditEvent",
    "ConsentEvent",
    "ConsentEventKind",
    "DeletionReceiptEvent",
    "OutboxPayload",
    "PayloadError",
    "TemplateEvent",
    "parse_payload",
]
