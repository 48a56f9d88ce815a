"""The station's local database: the system of record until central acknowledges a template.

Plain Python (no Qt). Everything goes through :class:`Store`; no SQL outside ``kiosk.store``.
Every method is one transaction, returns frozen dataclasses (``kiosk.store.records``), may be
called from any thread (not the GUI thread: each calls ``threadguard.check_io("db", ...)``), and
raises a typed :class:`StoreError` (``str(err)`` + ``err.hint`` are for the technician). Times
are aware UTC datetimes; every ``now=`` argument defaults to the current time.

Opening::

    Store.open(path, *, backups_dir=None, migrate=True, station_id="", min_free_bytes=20 MB)
    store.close()  /  with Store.open(...) as store: ...

Refuses with CorruptDatabase, ForeignDatabase, NewerDatabase, ReadOnlyLocation, DiskFull; a
database that is behind is backed up to ``backups_dir`` and upgraded (Alembic, in-package) in
one transaction (MigrationFailed if that fails: rolled back, file as before).

People (roster from central)::

    upsert_people(rows: Iterable[PersonIn], roster_version, *, deactivate_missing=False)
        -> UpsertResult
    search_people(text, limit=50, *, include_inactive=False) -> list[Person]
    get_person(external_id) -> Person | None
    person_status(external_id) -> PersonStatus          # fingers, slots, sync state, consent

Consent (required before a template may be stored)::

    record_consent(external_id, *, notice_version, notice_text, method, operator,
                   language="") -> uuid
    withdraw_consent(external_id, *, operator) -> bool
    active_consent(external_id) -> ConsentRecord | None

Enrollment and sensor slots::

    record_enrollment(*, external_id, finger, slot, template, sensor_model, template_format,
                      match_score, retries=0, operator=None, started_at=None, captures=()) -> uuid
        # template + attempt + audit + outbox("template") in ONE transaction
    record_attempt(*, external_id, outcome "failed"|"cancelled", reason, started_at,
                   finger=None, captures=(), operator=None) -> uuid
    slots_in_use() -> set[int]          # templates + slots waiting to be cleared
    template_slots() -> dict[int, str]  # slot -> template uuid
    template_for_slot(slot) -> StoredTemplate | None
    pending_slot_releases() -> set[int];  confirm_slots_released(slots)
    queue_slot_release(slot, *, reason=...) -> bool    # orphan left by an aborted enrollment
    delete_person_biometrics(external_id, *, actor, reason) -> list[int]   # slots to clear

Outbox (for the sync worker; payloads are JSON metadata, never template bytes)::

    outbox_due(now=None, limit=20) -> list[OutboxItem]   # state pending, next_attempt_at <= now
    template_bytes(template_uuid) -> bytes | None         # read + seal at send time
    mark_sent(outbox_id)                                  # pending -> sent
    mark_acked(aggregate_uuid, *, outbox_id=None, shred=False) -> bool  # -> acked (+shred)
    mark_rejected(outbox_id, reason)                      # -> rejected (final)
    reschedule(outbox_id, error, next_at) -> attempts     # -> pending, attempts += 1
    requeue_unacked(sent_before, *, error=..., next_at=None) -> int   # sent -> pending
    outbox_stats() -> OutboxStats
    outbox_item(outbox_id) -> OutboxItem | None

  Kinds: "template" (aggregate = template uuid), "deletion-receipt" (aggregate = tombstone
  uuid), "consent" (aggregate = consent uuid). Ack by aggregate uuid is idempotent.

Sync state: ``get_sync_state(key) -> str | None``, ``set_sync_state(key, value)``
(keys ``roster_version``, ``last_sync_at``).

Operators::

    create_operator(name, pin, *, role="staff", actor="system") -> Operator
    verify_pin(name, pin) -> PinCheck        # lockout after 5 failures for 5 minutes
    set_operator_pin(name, pin, *, actor);  list_operators() -> list[Operator];  has_admin()

Audit and maintenance::

    audit(actor, action, subject="", *, before=None, after=None) -> int     # append-only
    audit_entries(limit=100) -> list[AuditRecord];  export_audit_csv(path) -> int
    backup_to(path) -> Path;  integrity_check() -> IntegrityReport
    schema_revision() -> str | None;  counts() -> dict[str, int]

Sensor reconciliation lives in :mod:`kiosk.store.reconcile`.
"""

from __future__ import annotations

from kiosk.store.errors import (
    Conflict,
    ConsentMissing,
    CorruptDatabase,
    DatabaseBusy,
    DiskFull,
    ForeignDatabase,
    InvalidInput,
    MigrationFailed,
    NewerDatabase,
    NotFound,
    ReadOnlyLocation,
    SchemaBehind,
    StoreError,
)
from kiosk.store.records import (
    AuditRecord,
    ConsentRecord,
    FingerStatus,
    IntegrityReport,
    Operator,
    OutboxItem,
    OutboxStats,
    Person,
    PersonIn,
    PersonStatus,
    PinCheck,
    StoredTemplate,
    UpsertResult,
)
from kiosk.store.store import FINGER_NAMES, KEY_LAST_SYNC, KEY_ROSTER_VERSION, Store, finger_code

__all__ = [
    "FINGER_NAMES",
    "KEY_LAST_SYNC",
    "KEY_ROSTER_VERSION",
    "AuditRecord",
    "Conflict",
    "ConsentMissing",
    "ConsentRecord",
    "CorruptDatabase",
    "DatabaseBusy",
    "DiskFull",
    "FingerStatus",
    "ForeignDatabase",
    "IntegrityReport",
    "InvalidInput",
    "MigrationFailed",
    "NewerDatabase",
    "NotFound",
    "Operator",
    "OutboxItem",
    "OutboxStats",
    "Person",
    "PersonIn",
    "PersonStatus",
    "PinCheck",
    "ReadOnlyLocation",
    "SchemaBehind",
    "Store",
    "StoreError",
    "StoredTemplate",
    "UpsertResult",
    "finger_code",
]
