"""Upgrade history: which program version moved the database to which schema, and when.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Support reads it to tell what ran on a station before a problem (``kiosk db check`` shows the
schema; this shows the path it took). The migration records its own step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from kiosk import __version__

    table = op.create_table(
        "upgrade_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.String(length=32), nullable=False),
        sa.Column("program_version", sa.String(length=32), nullable=False),
        sa.Column("upgraded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upgrade_history")),
    )
    op.bulk_insert(table, [{
        "revision": revision, "program_version": __version__,
        # Naive UTC, as every other timestamp column stores it.
        "upgraded_at": datetime.now(UTC).replace(tzinfo=None),
    }])


def downgrade() -> None:
    op.drop_table("upgrade_history")
