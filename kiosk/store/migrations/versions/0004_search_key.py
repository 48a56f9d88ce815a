"""Accent- and case-insensitive people search: a folded search key, indexed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

``people.search_key`` holds the folded name and id (:mod:`kiosk.store.folding`); the trigram
index and the covering index for short queries move onto it, so "lefevre" finds "Lefèvre"
and a one- or two-letter query ignores case and accents too (SQLite's LIKE folds only ASCII).
Tombstones also record why the deletion happened (``cause``: central-request, withdrawal,
desk, finger-removed, retention), which the receipt central gets now states.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kiosk.store.folding import search_key

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_DDL = (
    "CREATE VIRTUAL TABLE people_fts USING fts5("
    "search_key, content='people', content_rowid='id', tokenize='trigram')"
)
FTS_TRIGGERS = (
    "CREATE TRIGGER trg_people_fts_insert AFTER INSERT ON people BEGIN "
    "INSERT INTO people_fts(rowid, search_key) VALUES (new.id, new.search_key); END",
    "CREATE TRIGGER trg_people_fts_delete AFTER DELETE ON people BEGIN "
    "INSERT INTO people_fts(people_fts, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); END",
    "CREATE TRIGGER trg_people_fts_update AFTER UPDATE OF search_key ON people BEGIN "
    "INSERT INTO people_fts(people_fts, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); "
    "INSERT INTO people_fts(rowid, search_key) VALUES (new.id, new.search_key); END",
)


def _has_fts() -> bool:
    bind = op.get_bind()
    return bind.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE name = 'people_fts'").scalar() == 1


def upgrade() -> None:
    had_fts = _has_fts()
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_people_fts_{name}")
    op.execute("DROP TABLE IF EXISTS people_fts")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.Text(), server_default="",
                                      nullable=False))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, display_name, external_id FROM people")).all()
    for row in rows:
        bind.execute(sa.text("UPDATE people SET search_key = :k WHERE id = :i"),
                     {"k": search_key(row.display_name, row.external_id), "i": row.id})
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_search")
        batch_op.create_index("ix_people_search",
                              ["display_name", "id", "search_key", "active"], unique=False)
    if had_fts:
        op.execute(FTS_DDL)
        for ddl in FTS_TRIGGERS:
            op.execute(ddl)
        op.execute("INSERT INTO people_fts(people_fts) VALUES ('rebuild')")
    with op.batch_alter_table("deletion_tombstones", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cause", sa.String(length=32), server_default="desk",
                                      nullable=False))
    op.execute("UPDATE deletion_tombstones SET cause = 'central-request' "
               "WHERE request_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("deletion_tombstones", schema=None) as batch_op:
        batch_op.drop_column("cause")
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_people_fts_{name}")
    op.execute("DROP TABLE IF EXISTS people_fts")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_search")
        batch_op.create_index("ix_people_search",
                              ["display_name", "id", "external_id", "active"], unique=False)
        batch_op.drop_column("search_key")
