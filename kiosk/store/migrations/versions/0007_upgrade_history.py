"""Upgrade history: which program version moved the database to which schema, and when.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Support reads it to tell what ran on a station before a problem (``kiosk db check`` shows the
schema; this shows the path it took). :func:`kiosk.store.engine.migrate` adds a row for every
upgrade from this one on, in the upgrade's own transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "upgrade_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.String(length=32), nullable=False),
        sa.Column("program_version", sa.String(length=32), nullable=False),
        sa.Column("upgraded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upgrade_history")),
    )


def downgrade() -> None:
    op.drop_table("upgrade_history")
