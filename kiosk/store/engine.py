"""Opening the database file safely: checks, engine with durable pragmas, backup, migration.

Order at open, and why:

1. Look at the file *before* SQLite touches it (header bytes, write permission, free space), so a
   foreign, damaged or read-only file is refused without being modified.
2. Inspect it on a plain connection that only reads (no ``journal_mode`` change, which would
   rewrite a foreign file's header): quick_check, our Alembic revision.
3. If the schema is behind: online backup with the sqlite3 backup API, then upgrade in one
   transaction with foreign keys off (batch mode copies tables).

Long on purpose (a little over 400 lines): every step of that order — including the clean-up
of a pre-upgrade copy a killed start left unfinished — stays in one module, so what happens
to the file before, during and after an upgrade can be read top to bottom.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from kiosk.store.errors import (
    CorruptDatabase,
    DiskFull,
    ForeignDatabase,
    MigrationFailed,
    NewerDatabase,
    ReadOnlyLocation,
    StoreError,
    translate_sqlite_error,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32_000
#: Refuse to start below this much free space: a half-done enrollment is worse than none.
MIN_FREE_BYTES = 20 * 1024 * 1024
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> AlembicConfig:
    """Alembic configured in code: the frozen build has no alembic.ini."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


#: The upgrade that sealed templates at rest: before it, every template is stored in clear.
SEALING_REVISION = "0006"


def reached(revision: str | None, target: str) -> bool:
    """Whether a database at schema ``revision`` has had the upgrade ``target`` applied."""
    if revision is None or revision not in known_revisions():
        return False
    script = ScriptDirectory.from_config(alembic_config())
    return any(s.revision == target for s in script.iterate_revisions(revision, "base"))


def _set_pragmas(dbapi_conn: Any, *, foreign_keys: bool) -> None:
    # Python 3.11's sqlite3 would open transactions implicitly and never for DDL; we turn that
    # off and emit BEGIN ourselves (see _begin), which restores transactional DDL and SAVEPOINT.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        # Deleted biometric data is overwritten with zeros, not left in free pages.
        cur.execute("PRAGMA secure_delete=ON")
        # Enough page cache for a 100k-person roster and its search index (grows only as used).
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur.execute("PRAGMA temp_store=MEMORY")
    finally:
        cur.close()


def _sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def create_store_engine(path: Path, *, foreign_keys: bool = True, pooled: bool = True) -> Engine:
    """An engine whose every connection is WAL + synchronous=FULL + foreign keys + busy timeout.

    Transactions start with ``BEGIN IMMEDIATE`` when the engine (or an option engine made from
    it) carries ``execution_options(immediate=True)``; plain reads use a deferred ``BEGIN``. Taking
    the write lock up front avoids SQLITE_BUSY on lock upgrade, which busy_timeout cannot wait out.
    """
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if not pooled:
        kwargs["poolclass"] = NullPool
    engine = create_engine(_sqlite_url(path), **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        _set_pragmas(dbapi_conn, foreign_keys=foreign_keys)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@dataclass(frozen=True)
class FileState:
    exists: bool
    revision: str | None
    has_tables: bool


def _writable(p: Path) -> bool:
    """True when ``p`` may be written. Mode bits are checked too: root ignores permissions, but
    a file someone marked read-only is a clear instruction not to write it."""
    try:
        mode = p.stat().st_mode
    except OSError:
        return False
    return os.access(p, os.W_OK) and bool(mode & stat.S_IWUSR)


def precheck(path: Path, *, min_free_bytes: int = MIN_FREE_BYTES) -> None:
    """Refuse a file we must not touch, before SQLite opens it."""
    folder = path.parent
    if path.exists():
        if not path.is_file():
            raise CorruptDatabase(
                f"{path} is not a file, so it cannot be the station database.",
                hint="Move whatever is at that place elsewhere, or choose another data folder.",
                path=path,
            )
        try:
            with open(path, "rb") as fh:
                header = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise ReadOnlyLocation(
                f"The station database {path} cannot be read: {exc.strerror}.",
                hint="Check the file's permissions for this account.",
                path=path,
            ) from exc
        if header and header != SQLITE_HEADER:
            raise CorruptDatabase(
                f"{path} is not a SQLite database (the file is damaged or is some other kind "
                "of file). It was left untouched.",
                hint="Restore the newest copy from the backups folder, or move this file away "
                "so the station can start with an empty database.",
                path=path,
            )
        if not _writable(path):
            raise ReadOnlyLocation(
                f"The station database {path} is read-only.",
                hint="Remove the read-only mark from the file (and check this account may "
                "write it), then start the program again.",
                path=path,
            )
    if not folder.is_dir():
        raise ReadOnlyLocation(
            f"The data folder {folder} does not exist.",
            hint="Create it, or start with --data-dir pointing at an existing folder.",
            path=path,
        )
    if not _writable(folder):
        raise ReadOnlyLocation(
            f"The data folder {folder} is read-only; the database needs to write its journal "
            "files next to it.",
            hint="Give this account write access to that folder, or choose another data folder.",
            path=path,
        )
    free = shutil.disk_usage(folder).free
    if free < min_free_bytes:
        raise DiskFull(
            f"The disk holding {folder} is full ({free // (1024 * 1024)} MB free, at least "
            f"{min_free_bytes // (1024 * 1024)} MB needed).",
            hint="Free some space on that disk, then start the program again.",
            path=path,
        )


def inspect_file(path: Path) -> FileState:
    """Read-only look at an existing file: damaged? ours? which revision?"""
    if not path.exists() or path.stat().st_size == 0:
        return FileState(exists=path.exists(), revision=None, has_tables=False)
    try:
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise _translated(exc, path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        rows = conn.execute("PRAGMA quick_check").fetchall()
        problems = [r[0] for r in rows if r[0] != "ok"]
        if problems:
            raise CorruptDatabase(
                f"The station database {path} is damaged: {problems[0]}.",
                hint="Do not delete it. Restore the newest file from the backups folder and "
                "call support.",
                path=path,
            )
        tables = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            return FileState(exists=True, revision=None, has_tables=False)
        if "alembic_version" not in tables:
            raise _foreign(path)
        rev_rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise _translated(exc, path) from exc
    finally:
        conn.close()
    if len(rev_rows) != 1:
        raise _foreign(path)
    return FileState(exists=True, revision=str(rev_rows[0][0]), has_tables=True)


def _foreign(path: Path) -> ForeignDatabase:
    return ForeignDatabase(
        f"{path} is a SQLite database, but not one made by the enrollment station. It was left "
        "untouched.",
        hint="Point the station at its own data folder (--data-dir), or move this file away so "
        "the station can start with an empty database.",
        path=path,
    )


def _translated(exc: BaseException, path: Path) -> StoreError:
    return translate_sqlite_error(exc, path) or CorruptDatabase(
        f"The station database {path} cannot be opened: {exc}.",
        hint="Restore the newest file from the backups folder and call support.",
        path=path,
    )


def check_revision(path: Path, revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise NewerDatabase(
            f"The station database {path} was written by a newer version of this program "
            f"(schema {revision}; this version knows up to {head_revision()}). It was left "
            "untouched.",
            hint="Install the newer version of the program, or restore a backup made by this "
            "version from the backups folder.",
            path=path,
        )


def private_folder(folder: Path) -> None:
    """Create ``folder`` readable by the station's account only (0700; ACLs on Windows are the
    installer's job, docs/security.md)."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)


def backup_file(src: Path, dest: Path, *, seal_key: bytes | None = None) -> Path:
    """Online copy with the sqlite3 backup API (consistent even while others write), written to a
    temporary name, fsynced and renamed, so a half-written backup never looks complete.

    The copy is owner-only (0600 in a 0700 folder). With ``seal_key``, templates still in clear
    in the copy are sealed before it gets its name (the copy taken before the upgrade that
    introduced sealing), so no backup holds a template in clear.
    """
    private_folder(dest.parent)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    source = sqlite3.connect(src, isolation_level=None)
    try:
        source.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.backup(target)
            # A backup is a standalone file: no -wal beside it to lose when it is copied.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()
    if seal_key is not None:
        _seal_copy(tmp, seal_key)
    with open(tmp, "r+b") as fh:  # Windows flushes only files open for writing
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    return dest


def _seal_copy(path: Path, key: bytes) -> None:
    from kiosk.store.cipher import seal_clear_templates

    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.begin() as conn:
            sealed = seal_clear_templates(conn, key)
        if sealed:
            with engine.connect() as conn:
                # The clear bytes would stay in free pages until the file is rewritten.
                conn.exec_driver_sql("VACUUM")
    finally:
        engine.dispose()


def _shred(path: Path) -> None:
    """Overwrite ``path`` with zeros, then remove it (best effort: what the file system and
    the disk keep elsewhere is out of reach)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            while fh.tell() < size:
                fh.write(bytes(min(1 << 20, size - fh.tell())))
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        log.warning("could not overwrite %s before removing it", path)
    path.unlink(missing_ok=True)


def remove_unfinished_copies(backups_dir: Path) -> int:
    """Remove pre-upgrade copies a killed program left half-written (``*.part``).

    Such a copy was never sealed or renamed: it may hold templates in clear (the copy taken
    before the upgrade that introduced sealing is sealed only after it was written).
    """
    if not backups_dir.is_dir():
        return 0
    stale = sorted(backups_dir.glob("kiosk-*-pre-*.sqlite3.part"))
    for f in stale:
        _shred(f)
        log.info("removed an unfinished pre-upgrade copy %s", f.name)
    return len(stale)


def pre_migration_backup(path: Path, backups_dir: Path, target_rev: str, *,
                         seal_key: bytes | None = None) -> Path:
    remove_unfinished_copies(backups_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = backups_dir / f"kiosk-{stamp}-pre-{target_rev}.sqlite3"
    n = 1
    while dest.exists():
        dest = backups_dir / f"kiosk-{stamp}-{n}-pre-{target_rev}.sqlite3"
        n += 1
    return backup_file(path, dest, seal_key=seal_key)


def _current_revision(conn: Connection) -> str | None:
    try:
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
    except Exception:  # no alembic_version table yet: a new database
        conn.rollback()
        return None
    return str(row[0]) if row else None


def _record_upgrade(conn: Connection, before: str | None) -> None:
    """A row in ``upgrade_history`` (migration 0007 on) for an upgrade that changed the
    schema, in the upgrade's own transaction: which program took it to which revision."""
    after = _current_revision(conn)
    if after == before:
        return
    has_table = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='upgrade_history'").fetchone()
    if has_table:
        from kiosk import __version__

        conn.exec_driver_sql(
            "INSERT INTO upgrade_history (revision, program_version, upgraded_at) "
            "VALUES (?, ?, ?)",
            (after, __version__, datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")))


def migrate(path: Path, revision: str = "head", *, data_key: bytes | None = None) -> None:
    """Upgrade the file to ``revision`` in one transaction, foreign keys off (batch mode).

    ``data_key`` is the station's data key, which the upgrade that seals templates needs.
    """
    engine = create_store_engine(path, foreign_keys=False, pooled=False)
    try:
        with engine.execution_options(immediate=True).connect() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            cfg.attributes["data_key"] = data_key
            before = _current_revision(conn)
            command.upgrade(cfg, revision)
            _record_upgrade(conn, before)
            conn.commit()
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise CorruptDatabase(
                    f"After the upgrade, {len(bad)} record(s) in {path} point at missing rows.",
                    hint="Restore the pre-upgrade copy from the backups folder and call support.",
                    path=path,
                )
    except StoreError:
        raise
    except Exception as exc:
        translated = translate_sqlite_error(exc, path)
        if translated is not None:
            raise translated from exc
        raise MigrationFailed(
            f"Upgrading the station database {path} to schema {revision} failed ({exc}). "
            "The upgrade was rolled back, so the database is as it was.",
            hint="Keep using the previous version of the program and call support; a copy made "
            "before the upgrade is in the backups folder.",
            path=path,
        ) from exc
    finally:
        engine.dispose()


@contextlib.contextmanager
def raw_connection(engine: Engine) -> Iterator[sqlite3.Connection]:
    """The underlying sqlite3 connection (for the backup API), returned to the pool after."""
    conn = engine.raw_connection()
    try:
        dbapi = conn.driver_connection
        assert isinstance(dbapi, sqlite3.Connection)
        yield dbapi
    finally:
        conn.close()
