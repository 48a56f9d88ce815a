"""Contract v2 and the tamper-evident audit trail.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

* ``outbox.msg_id``: every outbox event has an id of its own (stable across re-sends), so an
  ack from central settles exactly the event it answers; new kinds ``attempt`` and ``audit``.
* ``enrollment_attempts.outcome`` keeps the engine's outcome (timed-out, duplicate,
  disconnected besides enrolled, failed, cancelled), for failure-to-enroll figures.
* ``audit_log`` gains ``seq``, ``prev_hash`` and ``hash``: each entry carries the hash of the
  previous one (``kiosk_contract.audit``); existing entries are chained here, in order.
* ``people.left_at`` (when someone left the roster, for retention) and
  ``deletion_tombstones.sensor_done_at`` (when the sensor slots were cleared, for receipts).

The audit log's append-only triggers are dropped for the chaining and re-created after it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from kiosk_contract.audit import GENESIS, entry_hash

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDIT_TRIGGERS = (
    "CREATE TRIGGER trg_audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER trg_audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
KINDS = "kind IN ('template', 'deletion-receipt', 'consent', 'attempt', 'audit')"
OUTCOMES = ("outcome IN ('enrolled', 'failed', 'cancelled', 'timed-out', 'duplicate', "
            "'disconnected')")


def audit_time(value: object) -> str:
    """The exact text an entry's time is hashed and sent as (UTC, microseconds, ``Z``)."""
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("msg_id", sa.String(length=36), nullable=True))
        batch_op.drop_constraint(op.f("ck_outbox_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_outbox_kind"), sa.text(KINDS))
    conn = op.get_bind()
    for (oid,) in conn.execute(sa.text("SELECT id FROM outbox")).all():
        conn.execute(sa.text("UPDATE outbox SET msg_id = :m WHERE id = :i"),
                     {"m": str(uuid.uuid4()), "i": oid})
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("msg_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_index("uq_outbox_msg_id", ["msg_id"], unique=True)

    with op.batch_alter_table("enrollment_attempts", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_enrollment_attempts_outcome"), type_="check")
        batch_op.create_check_constraint(op.f("ck_enrollment_attempts_outcome"),
                                         sa.text(OUTCOMES))

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("deletion_tombstones", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sensor_done_at", sa.DateTime(), nullable=True))
    # Deletions made before this revision: their slots were released by the old code path.
    conn.execute(sa.text("UPDATE deletion_tombstones SET sensor_done_at = deleted_at"))

    for name in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_audit_log_no_{name}")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    prev = GENESIS
    rows = conn.execute(sa.text(
        "SELECT id, at, actor, action, subject, before, after, station_id FROM audit_log "
        "ORDER BY id")).all()
    for seq, row in enumerate(rows, start=1):
        h = entry_hash(prev, seq=seq, at=audit_time(row.at), actor=row.actor,
                       action=row.action, subject=row.subject or "",
                       before=_json(row.before), after=_json(row.after),
                       station=row.station_id or "")
        conn.execute(sa.text("UPDATE audit_log SET seq = :s, prev_hash = :p, hash = :h "
                             "WHERE id = :i"), {"s": seq, "p": prev, "h": h, "i": row.id})
        prev = h
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index("uq_audit_log_seq", ["seq"], unique=True)
    for ddl in AUDIT_TRIGGERS:
        op.execute(ddl)


def downgrade() -> None:
    for name in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_audit_log_no_{name}")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("uq_audit_log_seq")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
    for ddl in AUDIT_TRIGGERS:
        op.execute(ddl)
    with op.batch_alter_table("deletion_tombstones", schema=None) as batch_op:
        batch_op.drop_column("sensor_done_at")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("left_at")
    with op.batch_alter_table("enrollment_attempts", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_enrollment_attempts_outcome"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_enrollment_attempts_outcome"),
            sa.text("outcome IN ('enrolled', 'failed', 'cancelled')"))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("uq_outbox_msg_id")
        batch_op.drop_constraint(op.f("ck_outbox_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_outbox_kind"), sa.text("kind IN ('template', 'deletion-receipt', 'consent')"))
        batch_op.drop_column("msg_id")
