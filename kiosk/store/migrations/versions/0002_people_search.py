"""People search: FTS5 trigram index over name and id, covering name index, consent language.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

The trigram tokenizer (SQLite >= 3.34) turns any substring of 3+ characters into an index
lookup, which keeps keystroke-to-result fast for 100k people. Where it is missing, the table is
simply not created and the store falls back to an ordered scan (correct, slower).

A later batch operation that recreates ``people`` drops the FTS triggers: re-create them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_DDL = (
    "CREATE VIRTUAL TABLE people_fts USING fts5("
    "display_name, external_id, content='people', content_rowid='id', "
    "tokenize='trigram')"
)
FTS_TRIGGERS = (
    "CREATE TRIGGER trg_people_fts_insert AFTER INSERT ON people BEGIN "
    "INSERT INTO people_fts(rowid, display_name, external_id) "
    "VALUES (new.id, new.display_name, new.external_id); END",
    "CREATE TRIGGER trg_people_fts_delete AFTER DELETE ON people BEGIN "
    "INSERT INTO people_fts(people_fts, rowid, display_name, external_id) "
    "VALUES ('delete', old.id, old.display_name, old.external_id); END",
    "CREATE TRIGGER trg_people_fts_update AFTER UPDATE OF display_name, external_id ON people "
    "BEGIN "
    "INSERT INTO people_fts(people_fts, rowid, display_name, external_id) "
    "VALUES ('delete', old.id, old.display_name, old.external_id); "
    "INSERT INTO people_fts(rowid, display_name, external_id) "
    "VALUES (new.id, new.display_name, new.external_id); END",
)


def _has_trigram() -> bool:
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql(
                "CREATE VIRTUAL TABLE temp._fts_probe USING fts5(x, tokenize='trigram')"
            )
            bind.exec_driver_sql("DROP TABLE temp._fts_probe")
    except sa.exc.OperationalError:
        return False
    return True


def upgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=16), server_default="", nullable=False)
        )

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(
            "ix_people_search", ["display_name", "id", "external_id", "active"], unique=False
        )

    if _has_trigram():
        op.execute(FTS_DDL)
        for ddl in FTS_TRIGGERS:
            op.execute(ddl)
        op.execute("INSERT INTO people_fts(people_fts) VALUES ('rebuild')")


def downgrade() -> None:
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_people_fts_{name}")
    op.execute("DROP TABLE IF EXISTS people_fts")

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_search")

    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_column("language")
