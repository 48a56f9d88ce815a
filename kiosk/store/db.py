"""The database handle every repository shares: engine, units of work, open and close.

A repository method is one unit of work: writers take the SQLite write lock up front (BEGIN
IMMEDIATE) through :meth:`Database.transaction`, readers use :meth:`Database.read` (deferred
BEGIN; WAL means they never wait for writers). A repository that writes rows of another
aggregate in the same unit of work (a template *and* its audit entry *and* its outbox row)
calls that repository's session-level helper with the same session, so it stays one
transaction. Sessions are made per call, so the store may be used from several threads.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid as uuidlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.store import engine as eng
from kiosk.store import models as m
from kiosk.store.errors import Conflict, NotFound, StoreError, translate_sqlite_error

log = logging.getLogger(__name__)


def now() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuidlib.uuid4())


class Database:
    """One open station database file."""

    def __init__(self, path: Path, engine: Engine, *, station_id: str) -> None:
        self.path = path
        #: Written into every row this station creates; changes after provisioning.
        self.station_id = station_id
        self.engine = engine
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            bind=engine.execution_options(immediate=True), expire_on_commit=False
        )

    def close(self) -> None:
        """Release connections; WAL contents are checkpointed by SQLite on last close."""
        self.engine.dispose()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write unit of work: commits on success, rolls back everything on any error.

        Database errors come out as typed :class:`StoreError` (disk full, read-only, busy...).
        """
        session = self._write_sessions()
        try:
            with session.begin():
                yield session
        except StoreError:
            raise
        except IntegrityError as exc:
            raise Conflict(
                f"The change breaks a rule of the station data: {exc.orig}.",
                hint="Nothing was saved. Check the values and try again.",
                path=self.path,
            ) from exc
        except (DBAPIError, UnicodeDecodeError) as exc:
            translated = translate_sqlite_error(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        session = self._read_sessions()
        try:
            with session.begin():
                yield session
        except (DBAPIError, UnicodeDecodeError) as exc:
            translated = translate_sqlite_error(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise
        finally:
            session.close()

    def checkpoint(self) -> None:
        """Truncate the WAL after deleting biometric data, so old page images do not linger."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except SQLAlchemyError:
            log.warning("WAL checkpoint after deletion did not complete; it will happen later")

    # -- lookups several repositories need -------------------------------------------------

    def person_row(self, s: Session, external_id: str) -> m.Person:
        row = s.scalar(select(m.Person).where(m.Person.external_id == external_id))
        if row is None:
            raise NotFound(
                f"Nobody with id {external_id!r} is on this station's roster.",
                hint="Check the id, or sync the roster from the central server.",
            )
        return row

    def operator_id(self, s: Session, name: str | None) -> int | None:
        if name is None:
            return None
        oid = s.scalar(select(m.Operator.id).where(m.Operator.name == name))
        if oid is None:
            raise NotFound(f"No operator named {name!r}.", hint="Create the operator first.")
        return oid


def open_database(
    path: Path,
    *,
    backups_dir: Path | None,
    migrate: bool,
    station_id: str,
    min_free_bytes: int,
    data_key: bytes,
) -> Database:
    """Check, back up, migrate and open ``path``; raises a :class:`StoreError` subclass.

    The copy taken before an upgrade has its templates sealed with ``data_key`` too, so a
    database from before sealing leaves no clear copy behind in the backups folder.
    """
    eng.precheck(path, min_free_bytes=min_free_bytes)
    state = eng.inspect_file(path)
    eng.check_revision(path, state.revision)
    head = eng.head_revision()
    if state.revision != head:
        if not migrate:
            if state.revision is None:
                from kiosk.store.errors import SchemaBehind

                raise SchemaBehind(
                    f"{path} holds no station database yet.",
                    hint="Start the program normally once to create it.",
                    path=path,
                )
        else:
            if state.revision is not None:
                target = backups_dir if backups_dir is not None else path.parent / "backups"
                copy = eng.pre_migration_backup(path, target, head, seal_key=data_key)
                log.info("database backed up to %s before upgrade to %s", copy, head)
            eng.migrate(path, "head", data_key=data_key)
            log.info("database %s at schema %s", path, head)
    database = Database(path, eng.create_store_engine(path), station_id=station_id)
    _owner_only(path)
    return database


def _owner_only(path: Path) -> None:
    """The database and its WAL readable by the station's account only (POSIX modes; on
    Windows the installer's folder ACL does this, docs/security.md)."""
    for f in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            if f.exists():
                os.chmod(f, 0o600)


__all__ = ["Database", "new_uuid", "now", "open_database"]
