"""Central's answers on a station's ``acks`` topic: ``ack`` (one message) and ``acks`` (batch).

Every ack is sent only after central committed what it answers. Schema 1 (``ack`` with
CorrelationData = the message's ``uuid``) answers schema-1 messages exactly as before. Schema
2 names ``msg_id`` (the outbox event) and ``uuid`` (the aggregate; messages without one, such
as audit batches or unreadable payloads, repeat the ``msg_id``), so a station settles exactly
the event an ack answers. Central answers everything one database transaction committed for a
station with one message: ``ack`` (CorrelationData = ``msg_id``) when that is a single message,
``acks`` (no CorrelationData; each item names its ``msg_id``) when it is several.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from kiosk_contract.fields import (
    MAX_PAYLOAD_BYTES,
    ContractError,
    check_keys,
    check_size,
    clean_text,
    dump,
    envelope,
    fail,
    req_enum,
    req_list,
    req_ts,
    req_uuid,
    utc_now_iso,
    verified,
)

AckStatus = Literal["stored", "duplicate", "rejected"]
ACK_STATUSES: tuple[AckStatus, ...] = get_args(AckStatus)
#: Reasons a schema-1 ack may carry (what stations not yet on schema 2 understand).
V1RejectReason = Literal[
    "malformed", "schema-too-old", "schema-unsupported", "bad-hash", "unknown-person",
    "decrypt-failed", "wrong-key", "station-mismatch", "conflict",
]
V1_REJECT_REASONS: tuple[V1RejectReason, ...] = get_args(V1RejectReason)
#: Every reason for rejecting a message for good (the station stops retrying it).
RejectReason = Literal[
    "malformed", "schema-too-old", "schema-unsupported", "bad-hash", "unknown-person",
    "decrypt-failed", "wrong-key", "station-mismatch", "conflict",
    # schema 2 only:
    "not-owner", "deleted", "consent-withdrawn", "too-large",
]
REJECT_REASONS: tuple[RejectReason, ...] = get_args(RejectReason)
_V1_FALLBACK: dict[str, V1RejectReason] = {
    "not-owner": "station-mismatch", "deleted": "conflict", "consent-withdrawn": "conflict",
    "too-large": "malformed",
}
MAX_DETAIL = 500
MAX_BATCH = 500


def v1_reason(reason: str) -> V1RejectReason:
    """The closest schema-1 reason for any reason (answering a station not on schema 2)."""
    if reason in V1_REJECT_REASONS:
        return reason
    return _V1_FALLBACK.get(reason, "malformed")


def _check_verdict(status: str, reason: str | None, detail: str, schema: int) -> None:
    if status not in ACK_STATUSES:
        raise ContractError("status must be stored, duplicate or rejected")
    if (status == "rejected") != (reason is not None):
        raise ContractError("reason is required exactly when status is rejected")
    allowed = V1_REJECT_REASONS if schema == 1 else REJECT_REASONS
    if reason is not None and reason not in allowed:
        raise ContractError(f"reason {reason!r} is not a schema-{schema} rejection reason")
    if not isinstance(detail, str) or len(detail) > MAX_DETAIL:
        raise ContractError(f"detail must be a string of at most {MAX_DETAIL} characters")


def _verdict(obj: dict[str, Any], schema: int) -> tuple[AckStatus, str | None, str]:
    status = req_enum(obj, "status", ACK_STATUSES)
    reason = obj["reason"]
    if reason is not None:
        reason = req_enum(obj, "reason", V1_REJECT_REASONS if schema == 1 else REJECT_REASONS)
    detail = obj.get("detail", "")
    if not isinstance(detail, str) or len(detail) > MAX_DETAIL:
        raise fail(f"detail must be a string of at most {MAX_DETAIL} characters")
    try:
        _check_verdict(status, reason, detail, schema)
    except ContractError as exc:
        raise fail(str(exc)) from None
    return status, reason, detail  # type: ignore[return-value]


@dataclass(frozen=True)
class AckMessage:
    """Down: central's verdict on one message (schema 2 exactly when ``msg_id`` is given)."""

    uuid: str
    status: AckStatus
    reason: str | None = None
    detail: str = ""
    acked_at: str = field(default_factory=utc_now_iso)
    msg_id: str | None = None

    def __post_init__(self) -> None:
        _check_verdict(self.status, self.reason, self.detail, self.schema)

    @property
    def schema(self) -> int:
        return 1 if self.msg_id is None else 2

    @property
    def correlation_id(self) -> str:
        """What the CorrelationData carries: ``msg_id`` (schema 2) or ``uuid`` (schema 1)."""
        return self.msg_id or self.uuid

    def to_bytes(self) -> bytes:
        obj: dict[str, Any] = {"schema": self.schema, "type": "ack"}
        if self.msg_id is not None:
            obj["msg_id"] = self.msg_id
        obj.update({"uuid": self.uuid, "status": self.status, "reason": self.reason,
                    "detail": self.detail, "acked_at": self.acked_at})
        raw = check_size(dump(obj), MAX_PAYLOAD_BYTES, "ack")
        return verified(raw, self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> AckMessage:
        obj = envelope(payload, "ack")
        schema = obj["schema"]
        req = {"schema", "type", "uuid", "status", "reason", "acked_at"}
        check_keys(obj, req | ({"msg_id"} if schema == 2 else set()), {"detail"})
        msg_id = req_uuid(obj, "msg_id") if schema == 2 else None
        status, reason, detail = _verdict(obj, schema)
        return cls(req_uuid(obj, "uuid"), status, reason, detail, req_ts(obj, "acked_at"),
                   msg_id)


@dataclass(frozen=True)
class AckItem:
    """One verdict inside an ``acks`` batch."""

    msg_id: str
    uuid: str
    status: AckStatus
    reason: str | None = None
    detail: str = ""

    def __post_init__(self) -> None:
        _check_verdict(self.status, self.reason, self.detail, 2)

    @classmethod
    def of(cls, msg_id: str, uuid: str, status: AckStatus, reason: str | None = None,
           detail: str = "") -> AckItem:
        """Like the constructor, with ``detail`` cleaned and cut to fit."""
        return cls(msg_id, uuid, status, reason, clean_text(detail, MAX_DETAIL))

    def to_json(self) -> dict[str, Any]:
        return {"msg_id": self.msg_id, "uuid": self.uuid, "status": self.status,
                "reason": self.reason, "detail": self.detail}

    def single(self, acked_at: str | None = None) -> AckMessage:
        """The same verdict as a schema-2 ``ack`` of its own."""
        return AckMessage(self.uuid, self.status, self.reason, self.detail,
                          acked_at or utc_now_iso(), self.msg_id)


@dataclass(frozen=True)
class AcksMessage:
    """Down: the verdicts on several messages of one station, committed together."""

    acks: tuple[AckItem, ...]
    acked_at: str = field(default_factory=utc_now_iso)

    def __post_init__(self) -> None:
        if not 1 <= len(self.acks) <= MAX_BATCH:
            raise ContractError(f"an acks batch holds 1..{MAX_BATCH} items")

    def encode(self) -> bytes:
        """The payload without the size check (for callers sizing a batch)."""
        return dump({"schema": 2, "type": "acks", "acks": [a.to_json() for a in self.acks],
                     "acked_at": self.acked_at})

    def to_bytes(self) -> bytes:
        raw = check_size(self.encode(), MAX_PAYLOAD_BYTES, "acks batch")
        return verified(raw, self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> AcksMessage:
        obj = envelope(payload, "acks", schemas=(2,))
        check_keys(obj, {"schema", "type", "acks", "acked_at"})
        items = []
        for raw in req_list(obj, "acks", 1, MAX_BATCH):
            if not isinstance(raw, dict):
                raise fail("acks[] entries must be objects")
            check_keys(raw, {"msg_id", "uuid", "status", "reason", "detail"})
            status, reason, detail = _verdict(raw, 2)
            items.append(AckItem(req_uuid(raw, "msg_id"), req_uuid(raw, "uuid"), status,
                                 reason, detail))
        if len({i.msg_id for i in items}) != len(items):
            raise fail("acks[] names a msg_id twice")
        return cls(tuple(items), req_ts(obj, "acked_at"))


def pack_acks(items: Iterable[AckItem], limit: int = MAX_PAYLOAD_BYTES,
              acked_at: str | None = None) -> list[AckMessage | AcksMessage]:
    """The fewest messages carrying ``items``: one ``ack`` for a single item, else ``acks``
    batches of at most :data:`MAX_BATCH` items and ``limit`` bytes each, in order."""
    todo: Sequence[AckItem] = list(items)
    when = acked_at or utc_now_iso()
    if len(todo) == 1:
        return [todo[0].single(when)]
    out: list[AckMessage | AcksMessage] = []
    start = 0
    while start < len(todo):
        # Grow a chunk greedily; an item is at most ~700 bytes, so at least 80 always fit.
        end = min(len(todo), start + MAX_BATCH)
        while True:
            msg = AcksMessage(tuple(todo[start:end]), when)
            if len(msg.encode()) <= limit or end - start == 1:
                break
            end = start + max(1, (end - start) * 3 // 4)
        out.append(msg)
        start = end
    return out

