"""Opening central's database: any SQLAlchemy URL (SQLite by default, PostgreSQL supported).

SQLite gets WAL, ``synchronous=FULL`` (a commit survives a power cut before it is acked),
``secure_delete`` (deleted rows are overwritten, not left in free pages) and ``BEGIN
IMMEDIATE`` for every transaction, so several ingest processes on one file queue for the
write lock instead of failing half way; its file (and the WAL/SHM files SQLite creates with
the same mode) is owner-only and so is its folder. Tables are created, and columns added by
this release are added to an existing database, at open.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from kiosk_central.schema import metadata

log = logging.getLogger(__name__)


class DatabaseError(Exception):
    """The database cannot be opened or prepared; the message says what to do."""


def sqlite_path(url: str) -> Path | None:
    try:
        u = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"bad database URL {url!r}: {exc}") from exc
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _owner_only(path: Path) -> None:
    """Create the database file 0600 in a 0700 folder (tightening an existing folder unless it
    is the working directory or the home folder, which are only reported)."""
    folder = path.resolve().parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = folder.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        if folder in (Path.cwd().resolve(), Path.home().resolve()):
            log.warning("the central database folder %s is open to other users (mode %o); "
                        "keep the database in a folder of its own", folder, mode & 0o777)
        else:
            os.chmod(folder, 0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if f.exists() and f.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            os.chmod(f, 0o600)


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN IMMEDIATE
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA secure_delete=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(url: str) -> Engine:
    """An engine with the schema in place; raises :class:`DatabaseError` with a reason."""
    path = sqlite_path(url)
    try:
        if path is not None:
            _owner_only(path)
            engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        metadata.create_all(engine)
        _add_new_columns(engine)
    except OSError as exc:
        raise DatabaseError(f"cannot prepare the database file {path}: {exc.strerror}") from exc
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"the database driver is not installed ({exc.name}); for "
                            "PostgreSQL: pip install 'psycopg[binary]'") from exc
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot open the database: {exc.__class__.__name__}: "
                            f"{str(exc).splitlines()[0][:300]}") from exc
    if path is not None:
        _owner_only(path)  # the WAL and SHM files exist now
    return engine


def _add_new_columns(engine: Engine) -> None:
    """Columns this release added to tables an older central created (all nullable or with
    a server default, so ``ALTER TABLE … ADD COLUMN`` is enough on SQLite and PostgreSQL)."""
    with engine.begin() as conn:
        insp = inspect(conn)
        for table in metadata.sorted_tables:
            have = {c["name"] for c in insp.get_columns(table.name)}
            for col in table.columns:
                if col.name in have:
                    continue
                ddl = col.type.compile(engine.dialect)
                default = ""
                if col.server_default is not None:
                    default = f" DEFAULT '{col.server_default.arg}'"  # type: ignore[attr-defined]
                conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{col.name}" {ddl}'
                                  f"{default}"))
                log.info("database: added column %s.%s", table.name, col.name)


def _sqlite_reader_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _sqlite_reader_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")  # deferred: a reader in WAL mode never waits for the writer


def open_reader(url: str) -> Engine:
    """An engine for reads only (the HTTP API's queries). On SQLite its transactions are
    plain (deferred) and ``query_only``, so in WAL mode readers run beside each other and
    beside the writer instead of queueing for the write lock; on PostgreSQL it is an engine
    like any other. The schema must exist already (:func:`open_engine` made it)."""
    path = sqlite_path(url)
    try:
        if path is None:
            return create_engine(url, pool_pre_ping=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_reader_connect)
        event.listen(engine, "begin", _sqlite_reader_begin)
        return engine
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"the database driver is not installed ({exc.name})") from exc
