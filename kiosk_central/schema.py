"""Central's tables (SQLite or PostgreSQL through SQLAlchemy Core).

Written so a later HTTP API can read them directly: every table a client pages through has an
ascending integer ``id`` or a time column with an index (``attempts.id``, ``heartbeats.id``,
``templates.received_at``, ``central_audit.seq``), people and stations are keyed by their
external ids, and nothing needs the ingest to interpret it. Template bytes exist only sealed
(``templates.sealed`` under a data key wrapped by the master key, see :mod:`.vault`).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

TS = DateTime(timezone=True)

templates = Table(
    "templates", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("station", String(64), nullable=False, index=True),
    Column("person", String(128), nullable=False, index=True),
    Column("finger", String(16), nullable=False),
    Column("operator", String(128), nullable=False),
    Column("sensor_model", String(64), nullable=False),
    Column("template_format", String(64), nullable=False),
    Column("template_length", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("quality", JSON, nullable=False),
    Column("captured_at", String(40), nullable=False),
    Column("enrolled_at", String(40), nullable=False),
    Column("received_at", TS, nullable=False, index=True),
    Column("msg_id", String(36)),
    Column("schema", Integer),
    #: nonce + AES-256-GCM ciphertext of the template under the batch's data key
    Column("sealed", LargeBinary),
    #: the data key, wrapped by the master key ``key_id``
    Column("wrapped_key", LargeBinary),
    Column("key_id", String(64)),
)

#: What central once held and deleted: the uuid, never the bytes. A template re-delivered
#: after its deletion is refused instead of stored again, and ownership stays checkable.
template_tombstones = Table(
    "template_tombstones", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("station", String(64), nullable=False),
    Column("person", String(128), nullable=False, index=True),
    Column("finger", String(16), nullable=False),
    Column("enrolled_at", String(40), nullable=False),
    Column("deleted_at", TS, nullable=False),
    Column("cause", String(32), nullable=False),
    Column("reference", String(64), nullable=False, default=""),
)

people = Table(
    "people", metadata,
    Column("external_id", String(128), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    #: roster version of the person's last change (deltas are "people changed in version v")
    Column("roster_version", Integer, nullable=False, index=True),
    Column("group_name", String(100), nullable=False, server_default=""),
    Column("role", String(32), nullable=False, server_default=""),
    #: False once an import no longer lists the person (kept, inactive: "removed")
    Column("listed", Boolean, nullable=False, server_default="1"),
)

roster_versions = Table(
    "roster_versions", metadata,
    Column("version", Integer, primary_key=True),
    Column("base_version", Integer, nullable=False),
    Column("issued_at", TS, nullable=False),
    Column("upserts", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("source", String(200), nullable=False),
)

consents = Table(
    "consents", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("event", String(16), primary_key=True),
    Column("person", String(128), nullable=False, index=True),
    Column("station", String(64), nullable=False),
    Column("operator", String(128), nullable=False),
    Column("at", String(40), nullable=False),
    Column("details", JSON, nullable=False),
    Column("received_at", TS, nullable=False),
    Column("msg_id", String(36)),
)

#: Deletion requests central sent (or will send when the station comes online).
deletions = Table(
    "deletions", metadata,
    Column("request_id", String(36), primary_key=True),
    Column("person", String(128), nullable=False, index=True),
    Column("station", String(64), nullable=False, index=True),
    Column("issued_at", String(40), nullable=False),
    Column("receipt_at", TS),
    Column("templates_removed", Integer),
    Column("cause", String(32)),
    Column("receipt_uuid", String(36)),
)

#: Receipts per place; "complete" = station_db, sensor and central all done (or not held).
deletion_receipts = Table(
    "deletion_receipts", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("station", String(64), nullable=False, index=True),
    Column("person", String(128), nullable=False, index=True),
    Column("request_id", String(36)),
    Column("cause", String(32), nullable=False),
    Column("template_uuids", JSON, nullable=False),
    Column("station_db", String(16), nullable=False),
    #: done | pending | not-held, or "unreported" for a schema-1 receipt
    Column("sensor", String(16), nullable=False),
    Column("central", String(16), nullable=False),
    Column("completed_at", String(40), nullable=False),
    Column("received_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("last_msg_id", String(36)),
    Column("schema", Integer, nullable=False),
)

stations = Table(
    "stations", metadata,
    Column("station", String(64), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("software", String(64), nullable=False),
    Column("seen_at", TS, nullable=False),
    #: payload schema the station speaks (its status/heartbeat), for its deletion requests
    Column("schema", Integer, nullable=False, server_default="1"),
)

#: The latest heartbeat of each station (the fleet view).
station_health = Table(
    "station_health", metadata,
    Column("station", String(64), primary_key=True),
    Column("software", String(64), nullable=False),
    Column("sent_at", String(40), nullable=False),
    Column("received_at", TS, nullable=False),
    #: station clock minus central clock, seconds (includes the transit time)
    Column("clock_skew_s", Float, nullable=False),
    Column("uptime_s", Integer, nullable=False),
    Column("pending", Integer, nullable=False),
    Column("oldest_pending_age_s", Float),
    Column("rejected", Integer, nullable=False),
    Column("sensor_state", String(16), nullable=False),
    Column("sensor_model", String(64), nullable=False),
    Column("sensor_templates", Integer),
    Column("sensor_capacity", Integer),
    Column("roster_version", Integer, nullable=False),
    Column("last_error", String(200), nullable=False),
)

#: Every heartbeat received, for history (page by id or by station and time).
heartbeats = Table(
    "heartbeats", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("station", String(64), nullable=False),
    Column("received_at", TS, nullable=False),
    Column("sent_at", String(40), nullable=False),
    Column("clock_skew_s", Float, nullable=False),
    Column("pending", Integer, nullable=False),
    Column("sensor_state", String(16), nullable=False),
    Column("last_error", String(200), nullable=False),
    Index("ix_heartbeats_station_time", "station", "received_at"),
)

attempts = Table(
    "attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("station", String(64), nullable=False),
    Column("person", String(128), nullable=False, index=True),
    Column("finger", String(16)),
    Column("operator", String(128), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("reason", String(64)),
    Column("retries", Integer, nullable=False),
    Column("captures", Integer, nullable=False),
    Column("started_at", String(40), nullable=False),
    Column("ended_at", String(40), nullable=False),
    Column("duration_ms", Integer, nullable=False),
    #: UTC day of started_at (YYYY-MM-DD) for the per-day figures
    Column("day", String(10), nullable=False),
    Column("template_uuid", String(36)),
    Column("msg_id", String(36), nullable=False),
    Column("received_at", TS, nullable=False),
    Index("ix_attempts_station_day", "station", "day"),
    Index("ix_attempts_operator_day", "operator", "day"),
)

#: The audit entries stations synced, exactly as received (evidence, verified on demand).
station_audit = Table(
    "station_audit", metadata,
    Column("station", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("received_at", TS, nullable=False),
    Column("msg_id", String(36), nullable=False),
)

#: A second, different copy of an audit entry central already held: the chain was rewritten.
audit_anomalies = Table(
    "audit_anomalies", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("station", String(64), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("held_hash", String(64), nullable=False),
    Column("received_hash", String(64), nullable=False),
    Column("received_at", TS, nullable=False),
    Column("msg_id", String(36), nullable=False),
    UniqueConstraint("station", "seq", "received_hash", name="uq_anomaly"),
)

#: Central's own audit log, hash-chained with the contract's rule (station = "central").
central_audit = Table(
    "central_audit", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(64), nullable=False, index=True),
    Column("subject", String(200), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# -- the HTTP API (kiosk_central.api) -----------------------------------------------------------

#: API tokens: only a SHA-256 of the token is stored; the token itself is shown once.
api_tokens = Table(
    "api_tokens", metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False),
    #: list of scopes (read:status, write:roster, write:deletion, read:audit)
    Column("scopes", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS),
    Column("revoked_at", TS),
)

#: Changes to a person's enrollment status, in commit order (``seq`` is assigned under the
#: same lock as central's audit chain, so a reader never sees a later seq before an earlier
#: one). Read by ``since=`` polling and delivered to webhook subscribers. Never template bytes.
events = Table(
    "events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    #: the idempotency key a webhook receiver stores
    Column("id", String(36), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("person", String(128), nullable=False, index=True),
    Column("occurred_at", TS, nullable=False, index=True),
    Column("payload", JSON, nullable=False),
)

#: Webhook subscribers; each is delivered the events of its kinds in seq order from ``cursor``.
webhook_subscribers = Table(
    "webhook_subscribers", metadata,
    Column("id", String(16), primary_key=True),
    Column("url", String(500), nullable=False),
    Column("secret", Text, nullable=False),
    Column("kinds", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("active", Boolean, nullable=False),
    #: the last event seq delivered (or dead-lettered)
    Column("cursor", Integer, nullable=False),
    Column("delivered", Integer, nullable=False, server_default="0"),
    #: the head event's failed attempts so far, when to try next and since when it fails
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", TS),
    Column("failing_since", TS),
    Column("last_error", String(300), nullable=False, server_default=""),
    #: which dispatcher delivers to it right now (several API processes share the work)
    Column("lease_owner", String(64)),
    Column("lease_until", TS),
)

#: Events a subscriber did not accept within the retry window; replayable.
webhook_dead_letters = Table(
    "webhook_dead_letters", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscriber", String(16), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", String(300), nullable=False),
    Column("dead_at", TS, nullable=False),
    Column("replay", Boolean, nullable=False, server_default="0"),
    Column("replayed_at", TS),
    UniqueConstraint("subscriber", "seq", name="uq_dead_letter"),
)

#: A deletion or consent withdrawal requested through the API: central's copies go at once,
#: and the station requests it created are listed so the receipt can be followed per place.
erasures = Table(
    "erasures", metadata,
    Column("id", String(36), primary_key=True),
    Column("person", String(128), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("requested_at", TS, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("request_ids", JSON, nullable=False),
    Column("central_templates_deleted", Integer, nullable=False),
)
