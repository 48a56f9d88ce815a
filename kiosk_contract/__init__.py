"""The wire contract between stations and central: one package both sides import.

It holds what must be identical on both ends and nothing else: up messages and deletion
requests (:mod:`.messages`), acks (:mod:`.acks`), the roster (:mod:`.roster`), heartbeats
and attempts (:mod:`.telemetry`), the audit hash chain (:mod:`.audit`), strict field checks
and size limits (:mod:`.fields`), topic names (:mod:`.topics`), the finger vocabulary
(:mod:`.fingers`), template sealing (:mod:`.sealing`), MQTT client settings with the
project's security defaults (:mod:`.mqtt`), the signed provisioning file
(:mod:`.provisioning`) and log redaction (:mod:`.redaction`). It imports nothing of the
station (``kiosk``) or of central (``kiosk_central``); ``tests/central/test_boundaries.py``
keeps it that way. ``docs/asyncapi.yaml`` documents the same.

The message API is re-exported here, so callers write ``import kiosk_contract as c`` and
``c.TemplateMessage.parse(...)``.
"""

from kiosk_contract.acks import (
    ACK_STATUSES,
    MAX_BATCH,
    REJECT_REASONS,
    V1_REJECT_REASONS,
    AckItem,
    AckMessage,
    AcksMessage,
    AckStatus,
    RejectReason,
    pack_acks,
    v1_reason,
)
from kiosk_contract.audit import (
    GENESIS,
    AuditEntry,
    AuditMessage,
    ChainBreak,
    entry_hash,
    verify_chain,
)
from kiosk_contract.fields import (
    DEFAULT_MAX_PACKET_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_PAYLOAD_BYTES,
    MAX_ROSTER_BYTES,
    MAX_ROSTER_PAGE_BYTES,
    MIN_SCHEMA_VERSION,
    SCHEMA_VERSION,
    ContractError,
    PayloadTooLarge,
    UnsupportedSchema,
    clean_text,
    is_station_id,
    peek_schema,
    utc_now_iso,
)
from kiosk_contract.fingers import Finger
from kiosk_contract.messages import (
    CONSENT_EVENTS,
    REQUEST_CAUSES,
    ConsentEvent,
    ConsentMessage,
    DeletionCause,
    DeletionReceipt,
    DeletionRequest,
    ReceiptPlaces,
    SensorPlace,
    StatusMessage,
    TemplateMessage,
    TemplateMeta,
    correlation_for,
    uuid_from_correlation,
)
from kiosk_contract.roster import (
    RosterAssembler,
    RosterDelta,
    RosterManifest,
    RosterMessage,
    RosterPage,
    RosterPerson,
    RosterSnapshot,
    assemble,
    paginate,
    split_delta,
)
from kiosk_contract.telemetry import (
    AttemptMessage,
    AttemptOutcome,
    Backlog,
    HeartbeatMessage,
    SensorReport,
    SensorState,
)
from kiosk_contract.topics import (
    ACKED_KINDS,
    DOWN_KINDS,
    TOPIC_KINDS,
    UP_KINDS,
    RosterTopics,
    TopicKind,
    Topics,
    parse_topic,
)

__all__ = [
    "ACKED_KINDS", "ACK_STATUSES", "CONSENT_EVENTS", "DEFAULT_MAX_PACKET_BYTES", "DOWN_KINDS",
    "GENESIS", "MAX_BATCH", "MAX_MANIFEST_BYTES", "MAX_PAYLOAD_BYTES", "MAX_ROSTER_BYTES",
    "MAX_ROSTER_PAGE_BYTES", "MIN_SCHEMA_VERSION", "REJECT_REASONS", "REQUEST_CAUSES",
    "SCHEMA_VERSION", "TOPIC_KINDS", "UP_KINDS", "V1_REJECT_REASONS", "AckItem", "AckMessage",
    "AckStatus", "AcksMessage", "AttemptMessage", "AttemptOutcome", "AuditEntry",
    "AuditMessage", "Backlog", "ChainBreak", "ConsentEvent", "ConsentMessage", "ContractError",
    "DeletionCause", "DeletionReceipt", "DeletionRequest", "Finger", "HeartbeatMessage",
    "PayloadTooLarge", "ReceiptPlaces", "RejectReason", "RosterAssembler", "RosterDelta",
    "RosterManifest", "RosterMessage", "RosterPage", "RosterPerson", "RosterSnapshot",
    "RosterTopics", "SensorPlace", "SensorReport", "SensorState", "StatusMessage",
    "TemplateMessage", "TemplateMeta", "TopicKind", "Topics", "UnsupportedSchema", "assemble",
    "clean_text", "correlation_for", "entry_hash", "is_station_id", "pack_acks", "paginate",
    "parse_topic", "peek_schema", "split_delta", "utc_now_iso", "uuid_from_correlation",
    "v1_reason", "verify_chain",
]
