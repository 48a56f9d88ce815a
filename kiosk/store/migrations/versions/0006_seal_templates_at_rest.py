"""Templates at rest are sealed (AES-256-GCM with the station's data key).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Every template still stored in clear is sealed in place (``kiosk.store.cipher``), in the same
transaction as the rest of the upgrade; the copy taken before the upgrade is sealed the same
way before the upgrade starts (:func:`kiosk.store.db.open_database`), so no file the program
writes keeps a template in clear. The data key comes from the station's key store through
``config.attributes["data_key"]``; without it, an upgrade of a database holding templates
stops before changing anything.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from kiosk.store.cipher import seal_clear_templates

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    held = conn.execute(sa.text("SELECT count(*) FROM templates WHERE template IS NOT NULL"))
    if not held.scalar():
        return
    key = context.config.attributes.get("data_key")
    if not isinstance(key, bytes):
        raise RuntimeError("sealing the stored templates needs the station's data key")
    seal_clear_templates(conn, key)


def downgrade() -> None:
    raise NotImplementedError("templates are not written back in clear")
