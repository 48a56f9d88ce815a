"""Plain frozen dataclasses the store hands out, so no caller ever holds a Session or ORM row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.store.payloads import OutboxPayload
from kiosk.store.vocab import (
    AttemptOutcome,
    ConsentMethod,
    ConsentStatus,
    OutboxKind,
    OutboxState,
    Role,
    TemplateSync,
)
from kiosk_contract.fingers import Finger


@dataclass(frozen=True)
class PersonIn:
    """One roster row to insert or update (the roster is owned by the central server)."""

    external_id: str
    display_name: str
    role: str = ""
    group: str = ""
    active: bool = True


@dataclass(frozen=True)
class Person:
    external_id: str
    display_name: str
    role: str
    group: str
    active: bool
    roster_version: str
    updated_at: datetime


@dataclass(frozen=True)
class UpsertResult:
    inserted: int
    updated: int
    unchanged: int
    deactivated: int


@dataclass(frozen=True)
class FingerStatus:
    template_uuid: str
    finger: Finger
    sensor_slot: int | None
    sync_state: TemplateSync
    created_at: datetime
    synced_at: datetime | None
    shredded: bool


@dataclass(frozen=True)
class ConsentRecord:
    uuid: str
    external_id: str
    notice_version: str
    text_sha256: str
    language: str
    method: ConsentMethod
    operator: str | None
    station_id: str
    at: datetime
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class PersonStatus:
    person: Person
    fingers: tuple[FingerStatus, ...]
    #: The consent in force (given, not withdrawn); None otherwise.
    consent: ConsentRecord | None
    consent_status: ConsentStatus = ConsentStatus.NONE

    @property
    def enrolled(self) -> bool:
        return bool(self.fingers)

    @property
    def external_id(self) -> str:
        return self.person.external_id

    @property
    def name(self) -> str:
        return self.person.display_name

    @property
    def enrolled_fingers(self) -> tuple[Finger, ...]:
        return tuple(f.finger for f in self.fingers)

    @property
    def synced_fingers(self) -> tuple[Finger, ...]:
        return tuple(f.finger for f in self.fingers if f.sync_state is TemplateSync.SYNCED)

    @property
    def all_synced(self) -> bool:
        return bool(self.fingers) and all(f.sync_state is TemplateSync.SYNCED for f in self.fingers)


@dataclass(frozen=True)
class StoredTemplate:
    """A template with its bytes; ``data`` is None once shredded. Never log ``data``."""

    uuid: str
    external_id: str
    finger: Finger
    sensor_slot: int | None
    sha256: str
    length: int
    sensor_model: str
    template_format: str
    data: bytes | None = field(repr=False)


@dataclass(frozen=True)
class Operator:
    name: str
    role: Role
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class PinCheck:
    """Result of :meth:`Store.verify_pin`. ``locked_until`` is set while locked out."""

    ok: bool
    operator: Operator | None
    locked_until: datetime | None = None
    attempts_left: int | None = None


@dataclass(frozen=True)
class OutboxItem:
    """One message to send. ``payload`` never holds template bytes (the sync layer reads and
    seals them at send time); it is None when the stored row is damaged (``last_error`` says
    why), so the sync layer can reject that row instead of sending half a message."""

    id: int
    #: The event's id on the wire (stable across re-sends); central's ack names it.
    msg_id: str
    kind: OutboxKind
    aggregate_uuid: str
    payload: OutboxPayload | None
    state: OutboxState
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    acked_at: datetime | None


@dataclass(frozen=True)
class OutboxStats:
    pending: int
    sent_unacked: int
    rejected: int
    acked: int
    oldest_pending_age_s: float | None
    last_sync_at: datetime | None


@dataclass(frozen=True)
class AttemptRow:
    """One enrollment attempt (for figures: failure-to-enroll, time per enrollment)."""

    uuid: str
    external_id: str
    finger: Finger | None
    outcome: AttemptOutcome
    reason: str
    started_at: datetime
    ended_at: datetime
    operator: str | None
    template_uuid: str | None
    captures: list[Any]


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    before: Any
    after: Any
    station_id: str


@dataclass(frozen=True)
class IntegrityReport:
    ok: bool
    messages: tuple[str, ...]
    foreign_key_violations: int
    schema_revision: str | None
    head_revision: str
    counts: dict[str, int]
