"""The database schema as SQLAlchemy 2.x typed ORM classes.

These classes are private to ``kiosk.store``: the rest of the app sees the frozen dataclasses in
:mod:`kiosk.store.records`. The migrations in ``kiosk/store/migrations`` create exactly this
schema (a test compares the two), so a change here always comes with a new migration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.store.vocab import (
    AttemptOutcome,
    ConsentMethod,
    OutboxKind,
    OutboxState,
    Role,
    TemplateSync,
    values,
)

#: Every constraint and index gets a predictable name, so migrations can drop them later
#: (SQLite keeps unnamed constraints forever).
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SYNC_STATES = values(TemplateSync)
OUTBOX_STATES = values(OutboxState)
OUTBOX_KINDS = values(OutboxKind)
ATTEMPT_OUTCOMES = values(AttemptOutcome)
CONSENT_METHODS = values(ConsentMethod)
OPERATOR_ROLES = values(Role)


def _in(col: str, values: tuple[str, ...]) -> str:
    return f"{col} IN ({', '.join(repr(v) for v in values)})"


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite itself has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (
        # Covers name-ordered search: a short query walks this index in order, checks name, id
        # and active without touching the table, and stops after ``limit`` hits.
        Index("ix_people_search", "display_name", "id", "search_key", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), default="", server_default="")
    group_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("1"))
    roster_version: Mapped[str] = mapped_column(String(64), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: When the person left the roster (became inactive); the retention clock starts here.
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Folded name and id (kiosk.store.folding), what the search matches.
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")


class Operator(Base):
    __tablename__ = "operators"
    __table_args__ = (CheckConstraint(_in("role", OPERATOR_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("1"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Template(Base):
    __tablename__ = "templates"
    __table_args__ = (
        CheckConstraint("finger BETWEEN 1 AND 10", name="finger"),
        CheckConstraint(_in("sync_state", SYNC_STATES), name="sync_state"),
        CheckConstraint("shredded = 0 OR template IS NULL", name="shredded_has_no_bytes"),
        Index("uq_templates_person_id_finger", "person_id", "finger", unique=True),
        Index(
            "uq_templates_sensor_slot",
            "sensor_slot",
            unique=True,
            sqlite_where=text("sensor_slot IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    finger: Mapped[int] = mapped_column(Integer)
    sensor_slot: Mapped[int | None] = mapped_column(Integer)
    template: Mapped[bytes | None] = mapped_column(LargeBinary)
    length: Mapped[int] = mapped_column(Integer)
    sensor_model: Mapped[str] = mapped_column(String(64))
    template_format: Mapped[str] = mapped_column(String(64))
    match_score: Mapped[int | None] = mapped_column(Integer)
    retries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    station_id: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    sync_state: Mapped[str] = mapped_column(String(16), default="queued", server_default="queued")
    synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    shredded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))


class EnrollmentAttempt(Base):
    __tablename__ = "enrollment_attempts"
    __table_args__ = (
        CheckConstraint(_in("outcome", ATTEMPT_OUTCOMES), name="outcome"),
        CheckConstraint("finger IS NULL OR finger BETWEEN 1 AND 10", name="finger"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    finger: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: One object per capture: {"ms": int, "retries": [reason, ...], ...}
    captures: Mapped[list[Any]] = mapped_column(JSON, default=list)
    template_uuid: Mapped[str | None] = mapped_column(String(36))
    station_id: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))


class Consent(Base):
    __tablename__ = "consents"
    __table_args__ = (CheckConstraint(_in("method", CONSENT_METHODS), name="method"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    notice_version: Mapped[str] = mapped_column(String(64))
    text_sha256: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16), default="", server_default="")
    method: Mapped[str] = mapped_column(String(32))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    station_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """Append-only (triggers refuse UPDATE and DELETE) and hash-chained: a trigger dropped
    and a row deleted or edited still shows, as a break in the chain."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("uq_audit_log_seq", "seq", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: Position in the hash chain (1, 2, 3 …; kiosk_contract.audit).
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200), default="", server_default="")
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    station_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(_in("state", OUTBOX_STATES), name="state"),
        CheckConstraint(_in("kind", OUTBOX_KINDS), name="kind"),
        Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),
        Index("uq_outbox_msg_id", "msg_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: This event's id, the same on every re-send; central's ack names it.
    msg_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))
    aggregate_uuid: Mapped[str] = mapped_column(String(36), index=True)
    #: Metadata only: never template bytes (the sync layer reads and seals them at send time).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Tombstone(Base):
    """Proof that a person's biometric data was deleted here (the templates are gone)."""

    __tablename__ = "deletion_tombstones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    external_id: Mapped[str] = mapped_column(String(64))
    template_uuids: Mapped[list[str]] = mapped_column(JSON)
    slots: Mapped[list[int]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    station_id: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Central's deletion request this answers; NULL for a deletion started at the station.
    request_id: Mapped[str | None] = mapped_column(String(36))
    #: Why: central-request, withdrawal, desk, finger-removed or retention.
    cause: Mapped[str] = mapped_column(String(32), default="desk", server_default="desk")
    #: When every slot of the deleted templates was cleared on the sensor (receipt "done").
    sensor_done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SlotRelease(Base):
    """Sensor slots whose template was deleted here and must still be cleared on the sensor."""

    __tablename__ = "slot_releases"

    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    template_uuid: Mapped[str] = mapped_column(String(36))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SyncStateEntry(Base):
    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class UpgradeRecord(Base):
    """One schema upgrade: the revision reached, the program that did it, when (support)."""

    __tablename__ = "upgrade_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[str] = mapped_column(String(32))
    program_version: Mapped[str] = mapped_column(String(32))
    upgraded_at: Mapped[datetime] = mapped_column(UtcDateTime)
