"""Initial schema: people, templates, attempts, consent, operators, audit, outbox, sync.

Revision ID: 0001
Revises: -
Create Date: 2026-11-25

The audit log is made append-only here with triggers that RAISE on UPDATE and DELETE. A later
batch operation on ``audit_log`` would drop them, so it must re-create them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


AUDIT_TRIGGERS = (
    "CREATE TRIGGER trg_audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER trg_audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), server_default="", nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("station_id", sa.String(length=64), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "operators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('staff', 'admin')", name=op.f("ck_operators_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operators")),
        sa.UniqueConstraint("name", name=op.f("uq_operators_name")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("aggregate_uuid", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('template', 'deletion-receipt', 'consent')", name=op.f("ck_outbox_kind")
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'acked', 'rejected')", name=op.f("ck_outbox_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_aggregate_uuid"), ["aggregate_uuid"], unique=False
        )
        batch_op.create_index(
            "ix_outbox_state_next_attempt_at", ["state", "next_attempt_at"], unique=False
        )

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), server_default="", nullable=False),
        sa.Column("group_name", sa.String(length=100), server_default="", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("roster_version", sa.String(length=64), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("external_id", name=op.f("uq_people_external_id")),
    )
    op.create_table(
        "slot_releases",
        sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("template_uuid", sa.String(length=36), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("slot", name=op.f("pk_slot_releases")),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("notice_version", sa.String(length=64), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "method IN ('signed-paper', 'on-screen', 'operator-attestation', 'refused')",
            name=op.f("ck_consents_method"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=op.f("fk_consents_operator_id_operators")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_consents_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
        sa.UniqueConstraint("uuid", name=op.f("uq_consents_uuid")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_person_id"), ["person_id"], unique=False)

    op.create_table(
        "deletion_tombstones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("template_uuids", sa.JSON(), nullable=False),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_deletion_tombstones_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion_tombstones")),
        sa.UniqueConstraint("uuid", name=op.f("uq_deletion_tombstones_uuid")),
    )
    with op.batch_alter_table("deletion_tombstones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deletion_tombstones_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "enrollment_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("finger", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("captures", sa.JSON(), nullable=False),
        sa.Column("template_uuid", sa.String(length=36), nullable=True),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('enrolled', 'failed', 'cancelled')",
            name=op.f("ck_enrollment_attempts_outcome"),
        ),
        sa.CheckConstraint(
            "finger IS NULL OR finger BETWEEN 1 AND 10", name=op.f("ck_enrollment_attempts_finger")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.id"],
            name=op.f("fk_enrollment_attempts_operator_id_operators"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_enrollment_attempts_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_attempts")),
        sa.UniqueConstraint("uuid", name=op.f("uq_enrollment_attempts_uuid")),
    )
    with op.batch_alter_table("enrollment_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrollment_attempts_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("finger", sa.Integer(), nullable=False),
        sa.Column("sensor_slot", sa.Integer(), nullable=True),
        sa.Column("template", sa.LargeBinary(), nullable=True),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("sensor_model", sa.String(length=64), nullable=False),
        sa.Column("template_format", sa.String(length=64), nullable=False),
        sa.Column("match_score", sa.Integer(), nullable=True),
        sa.Column("retries", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("sync_state", sa.String(length=16), server_default="queued", nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.Column("shredded", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint(
            "sync_state IN ('queued', 'synced', 'rejected')", name=op.f("ck_templates_sync_state")
        ),
        sa.CheckConstraint("finger BETWEEN 1 AND 10", name=op.f("ck_templates_finger")),
        sa.CheckConstraint(
            "shredded = 0 OR template IS NULL", name=op.f("ck_templates_shredded_has_no_bytes")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=op.f("fk_templates_operator_id_operators")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_templates_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_templates")),
        sa.UniqueConstraint("uuid", name=op.f("uq_templates_uuid")),
    )
    with op.batch_alter_table("templates", schema=None) as batch_op:
        batch_op.create_index("uq_templates_person_id_finger", ["person_id", "finger"], unique=True)
        batch_op.create_index(
            "uq_templates_sensor_slot",
            ["sensor_slot"],
            unique=True,
            sqlite_where=sa.text("sensor_slot IS NOT NULL"),
        )

    for ddl in AUDIT_TRIGGERS:
        op.execute(ddl)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS trg_audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS trg_audit_log_no_delete")
    with op.batch_alter_table("templates", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_templates_sensor_slot", sqlite_where=sa.text("sensor_slot IS NOT NULL")
        )
        batch_op.drop_index("uq_templates_person_id_finger")

    op.drop_table("templates")
    with op.batch_alter_table("enrollment_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrollment_attempts_person_id"))

    op.drop_table("enrollment_attempts")
    with op.batch_alter_table("deletion_tombstones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deletion_tombstones_person_id"))

    op.drop_table("deletion_tombstones")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_person_id"))

    op.drop_table("consents")
    op.drop_table("sync_state")
    op.drop_table("slot_releases")
    op.drop_table("people")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_outbox_aggregate_uuid"))

    op.drop_table("outbox")
    op.drop_table("operators")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
