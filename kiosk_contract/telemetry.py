"""What a station reports about itself (schema 2 only): heartbeats and enrollment attempts.

A heartbeat is QoS 1, not retained and not acknowledged (the next one supersedes it); it gives
central the fleet view (last seen, software, clock skew, backlog, sensor state, last error).
An attempt is the record of one enrollment attempt, sent through the outbox and acked like any
outbox event, for figures (attempts per day, failure-to-enroll rate, time per enrollment). It
never carries template bytes, only the uuid of the template an attempt produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk_contract.fields import (
    MAX_PAYLOAD_BYTES,
    ContractError,
    check_keys,
    check_size,
    dump,
    envelope,
    fail,
    opt_int,
    opt_uuid,
    parse_ts,
    req_code,
    req_enum,
    req_int,
    req_number,
    req_obj,
    req_station,
    req_str,
    req_ts,
    req_uuid,
    text_ok,
    utc_now_iso,
    verified,
)
from kiosk_contract.fingers import Finger

MAX_LAST_ERROR = 200
_BIG = 10**12


class SensorState(StrEnum):
    """Where the station's sensor stands; one definition for the station and central."""

    STARTING = "starting"
    SEARCHING = "searching"
    READY = "ready"
    BUSY = "busy"
    DISCONNECTED = "disconnected"
    ERROR = "error"

    @property
    def usable(self) -> bool:
        """A capture can start (BUSY: the previous run is just finishing)."""
        return self in (SensorState.READY, SensorState.BUSY)


class AttemptOutcome(StrEnum):
    ENROLLED = "enrolled"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed-out"
    DUPLICATE = "duplicate"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True)
class Backlog:
    pending: int
    oldest_pending_age_s: float | None
    rejected: int

    def to_json(self) -> dict[str, Any]:
        return {"pending": self.pending, "oldest_pending_age_s": self.oldest_pending_age_s,
                "rejected": self.rejected}


@dataclass(frozen=True)
class SensorReport:
    state: SensorState
    model: str
    templates: int | None = None
    capacity: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"state": str(self.state), "model": self.model, "templates": self.templates,
                "capacity": self.capacity}


@dataclass(frozen=True)
class HeartbeatMessage:
    """Up, every heartbeat period: the station's health. ``sent_at`` is the station's clock,
    so central can compute the clock skew."""

    station: str
    software: str
    uptime_s: int
    backlog: Backlog
    sensor: SensorReport
    roster_version: int
    last_error: str = ""
    sent_at: str = field(default_factory=utc_now_iso)

    def to_bytes(self) -> bytes:
        if not text_ok(self.last_error, MAX_LAST_ERROR, 0):
            raise ContractError("last_error must be at most 200 characters without control "
                                "characters (use clean_text)")
        return verified(check_size(dump({
            "schema": 2, "type": "heartbeat", "station": self.station,
            "software": self.software, "sent_at": self.sent_at, "uptime_s": self.uptime_s,
            "backlog": self.backlog.to_json(), "sensor": self.sensor.to_json(),
            "roster_version": self.roster_version, "last_error": self.last_error,
        }), MAX_PAYLOAD_BYTES, "heartbeat"), self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> HeartbeatMessage:
        obj = envelope(payload, "heartbeat", schemas=(2,))
        check_keys(obj, {"schema", "type", "station", "software", "sent_at", "uptime_s",
                         "backlog", "sensor", "roster_version", "last_error"})
        b = req_obj(obj, "backlog")
        check_keys(b, {"pending", "oldest_pending_age_s", "rejected"})
        age = None if b["oldest_pending_age_s"] is None else req_number(
            b, "oldest_pending_age_s", 0, _BIG)
        s = req_obj(obj, "sensor")
        check_keys(s, {"state", "model", "templates", "capacity"})
        return cls(
            station=req_station(obj), software=req_str(obj, "software", max_len=64),
            uptime_s=req_int(obj, "uptime_s", 0, _BIG),
            backlog=Backlog(req_int(b, "pending", 0, _BIG), age, req_int(b, "rejected", 0, _BIG)),
            sensor=SensorReport(SensorState(req_enum(s, "state", {str(x) for x in SensorState})),
                                req_str(s, "model", max_len=64, min_len=0),
                                opt_int(s, "templates", 0, 100_000),
                                opt_int(s, "capacity", 0, 100_000)),
            roster_version=req_int(obj, "roster_version", 0, 2**53),
            last_error=req_str(obj, "last_error", max_len=MAX_LAST_ERROR, min_len=0),
            sent_at=req_ts(obj, "sent_at"),
        )


@dataclass(frozen=True)
class AttemptMessage:
    """Up, through the outbox: one enrollment attempt and how it ended. ``template_uuid`` is
    given exactly when the outcome is ``enrolled``; ``reason`` is a code (≤ 64), or None."""

    uuid: str
    msg_id: str
    station: str
    person: str
    finger: Finger | None
    operator: str
    outcome: AttemptOutcome
    reason: str | None
    retries: int
    captures: int
    started_at: str
    ended_at: str
    template_uuid: str | None = None

    def __post_init__(self) -> None:
        if (self.outcome == AttemptOutcome.ENROLLED) != (self.template_uuid is not None):
            raise ContractError("template_uuid is given exactly when the outcome is enrolled")
        if parse_ts(self.ended_at) < parse_ts(self.started_at):
            raise ContractError("ended_at is before started_at")

    def to_bytes(self) -> bytes:
        return verified(check_size(dump({
            "schema": 2, "type": "attempt", "uuid": self.uuid, "msg_id": self.msg_id,
            "station": self.station, "person": self.person,
            "finger": None if self.finger is None else str(self.finger),
            "operator": self.operator, "outcome": str(self.outcome), "reason": self.reason,
            "retries": self.retries, "captures": self.captures, "started_at": self.started_at,
            "ended_at": self.ended_at, "template_uuid": self.template_uuid,
        }), MAX_PAYLOAD_BYTES, "attempt"), self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> AttemptMessage:
        obj = envelope(payload, "attempt", schemas=(2,))
        check_keys(obj, {"schema", "type", "uuid", "msg_id", "station", "person", "finger",
                         "operator", "outcome", "reason", "retries", "captures", "started_at",
                         "ended_at", "template_uuid"})
        finger = None
        if obj["finger"] is not None:
            finger = Finger(req_enum(obj, "finger", {str(f) for f in Finger}))
        try:
            return cls(
                uuid=req_uuid(obj, "uuid"), msg_id=req_uuid(obj, "msg_id"),
                station=req_station(obj), person=req_str(obj, "person"), finger=finger,
                operator=req_str(obj, "operator"),
                outcome=AttemptOutcome(req_enum(obj, "outcome",
                                                {str(o) for o in AttemptOutcome})),
                reason=None if obj["reason"] is None else req_code(obj, "reason"),
                retries=req_int(obj, "retries", 0, 1000),
                captures=req_int(obj, "captures", 0, 1000),
                started_at=req_ts(obj, "started_at"), ended_at=req_ts(obj, "ended_at"),
                template_uuid=opt_uuid(obj, "template_uuid"),
            )
        except ContractError as exc:
            raise fail(str(exc)) from None
