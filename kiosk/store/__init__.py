"""The station's local database: the system of record until central acknowledges a template.

Plain Python (no Qt). ``Store.open(path, *, backups_dir=None, migrate=True, station_id="",
min_free_bytes=20 MB)`` checks, backs up, migrates (Alembic, in-package) and opens the file,
or refuses with CorruptDatabase, ForeignDatabase, NewerDatabase, ReadOnlyLocation, DiskFull,
MigrationFailed (rolled back, file as before). The store is a set of repositories, one per
aggregate, sharing one database handle (:mod:`.db`):

========================  ================================================================
``store.people``          roster: upsert, search, search_status, get, status, count
``store.consents``        record, withdraw, active (required before a template is stored)
``store.enrollments``     record (template + attempt + audit + outbox in ONE transaction),
                          record_attempt, template_bytes
``store.slots``           sensor slots: in_use, template_slots, template_for_slot,
                          pending_releases, queue_release, confirm_released, reconcile
``store.deletions``       delete_person (templates gone, tombstone + receipt, slots released)
``store.outbox``          due, item, rows, mark_sent, mark_acked, mark_rejected, reschedule,
                          requeue_unacked, retry, stats (typed payloads, never template bytes)
``store.operators``       create, verify_pin (lockout), set_pin, set_active, unlock, list
``store.audit``           append (inside a unit of work), record, entries, export_csv
``store.state``           small key/value state (roster version, last sync)
``store.maintenance``     backup_to, integrity_check, schema_revision, counts
========================  ================================================================

Every method is one transaction, returns frozen dataclasses (:mod:`.records`), may be called
from any thread (not the GUI thread: each calls ``threadguard.check_io("db", ...)``), and raises
a typed :class:`StoreError` (``str(err)`` + ``err.hint`` are for the technician). Times are
aware UTC datetimes; every ``at=`` argument defaults to the current time. Vocabularies are the
enums of :mod:`.vocab`. Sensor reconciliation lives in :mod:`.reconcile`.
"""

from __future__ import annotations

from kiosk.store.cipher import TemplateDamaged
from kiosk.store.errors import (
    Conflict,
    ConsentMissing,
    CorruptDatabase,
    DatabaseBusy,
    DiskFull,
    ForeignDatabase,
    InvalidInput,
    KeyUnavailable,
    MigrationFailed,
    NewerDatabase,
    NotFound,
    ReadOnlyLocation,
    SchemaBehind,
    StoreError,
)
from kiosk.store.outbox import Settled, Verdict
from kiosk.store.payloads import (
    AttemptEvent,
    AuditEvent,
    ConsentEvent,
    DeletionReceiptEvent,
    OutboxPayload,
    PayloadError,
    TemplateEvent,
)
from kiosk.store.records import (
    AttemptRow,
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
from kiosk.store.state import KEY_LAST_SYNC, KEY_ROSTER_VERSION
from kiosk.store.store import Store
from kiosk.store.vocab import (
    AttemptOutcome,
    ConsentMethod,
    ConsentStatus,
    DeletionCause,
    OutboxKind,
    OutboxState,
    Role,
    SensorPlace,
    TemplateSync,
)

__all__ = [
    "KEY_LAST_SYNC",
    "KEY_ROSTER_VERSION",
    "AttemptEvent",
    "AttemptOutcome",
    "AttemptRow",
    "AuditEvent",
    "AuditRecord",
    "Conflict",
    "ConsentEvent",
    "ConsentMethod",
    "ConsentMissing",
    "ConsentRecord",
    "ConsentStatus",
    "CorruptDatabase",
    "DatabaseBusy",
    "DeletionCause",
    "DeletionReceiptEvent",
    "DiskFull",
    "FingerStatus",
    "ForeignDatabase",
    "IntegrityReport",
    "InvalidInput",
    "KeyUnavailable",
    "MigrationFailed",
    "NewerDatabase",
    "NotFound",
    "Operator",
    "OutboxItem",
    "OutboxKind",
    "OutboxPayload",
    "OutboxState",
    "OutboxStats",
    "PayloadError",
    "Person",
    "PersonIn",
    "PersonStatus",
    "PinCheck",
    "ReadOnlyLocation",
    "Role",
    "SchemaBehind",
    "SensorPlace",
    "Settled",
    "Store",
    "StoreError",
    "StoredTemplate",
    "TemplateDamaged",
    "TemplateEvent",
    "TemplateSync",
    "UpsertResult",
    "Verdict",
]
