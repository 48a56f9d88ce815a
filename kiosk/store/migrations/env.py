"""Alembic environment: always run from :func:`kiosk.store.engine.migrate` with a connection.

The connection comes in ``config.attributes["connection"]`` with foreign keys switched off
(batch mode copies and drops tables) and a ``BEGIN IMMEDIATE`` on begin, so the whole upgrade is
one transaction: it either completes or leaves the database as it was.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from kiosk.store.models import Base, UtcDateTime


def _render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Revisions must not import the live models (those change later), so our UTC wrapper is
    # written as the plain column type it stores.
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime()"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        transactional_ddl=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


_conn = context.config.attributes.get("connection")
if _conn is None:
    raise RuntimeError(
        "kiosk migrations run from the program itself (kiosk.store.engine.migrate), "
        "not from the alembic command line"
    )
_run(_conn)
