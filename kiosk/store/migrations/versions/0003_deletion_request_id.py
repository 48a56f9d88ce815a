"""Deletion request ids get a field of their own (tombstones and deletion-receipt rows).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Up to 0002 the id of central's deletion request lived only inside the free-text ``reason``
("central deletion request <uuid>"). It is now a column of ``deletion_tombstones`` and a key
of the deletion-receipt outbox payload, so nothing ever parses it out of a sentence again.
This migration moves the ids of existing rows once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LEGACY = re.compile(r"central deletion request ([0-9a-f-]{36})")


def _request_id(reason: str | None) -> str | None:
    found = _LEGACY.fullmatch(reason or "")
    return found.group(1) if found else None


def upgrade() -> None:
    with op.batch_alter_table("deletion_tombstones") as batch:
        batch.add_column(sa.Column("request_id", sa.String(length=36), nullable=True))
    conn = op.get_bind()
    for row in conn.execute(sa.text("SELECT id, reason FROM deletion_tombstones")).all():
        rid = _request_id(row.reason)
        if rid:
            conn.execute(sa.text("UPDATE deletion_tombstones SET request_id = :r WHERE id = :i"),
                         {"r": rid, "i": row.id})
    rows = conn.execute(sa.text(
        "SELECT id, payload FROM outbox WHERE kind = 'deletion-receipt'")).all()
    for row in rows:
        payload = json.loads(row.payload) if isinstance(row.payload, str) else dict(row.payload)
        if "request_id" in payload:
            continue
        payload["request_id"] = _request_id(payload.get("reason"))
        conn.execute(sa.text("UPDATE outbox SET payload = :p WHERE id = :i"),
                     {"p": json.dumps(payload), "i": row.id})


def downgrade() -> None:
    with op.batch_alter_table("deletion_tombstones") as batch:
        batch.drop_column("request_id")
