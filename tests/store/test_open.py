"""Refuse-to-start cases: each gives a typed error with a hint and never changes the file."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from kiosk.store import (
    CorruptDatabase,
    DiskFull,
    ForeignDatabase,
    NewerDatabase,
    ReadOnlyLocation,
    SchemaBehind,
    Store,
    StoreError,
)
from kiosk.store import engine as eng
from tests.store.conftest import consent, enroll


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_store_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Store.open(path).close()


def _refused(path: Path, exc_type: type[StoreError], **kw: Any) -> StoreError:
    before = _digest(path) if path.exists() else None
    with pytest.raises(exc_type) as info:
        Store.open(path, **kw)
    err = info.value
    assert err.hint, "every refusal tells the technician what to do"
    if before is not None:
        assert _digest(path) == before, "a refused database file must stay untouched"
    return err


def test_new_database_is_created_with_durable_settings(db_path: Path) -> None:
    _make_store_file(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == (eng.head_revision(),)
    conn.close()
    with Store.open(db_path) as store:
        with store.db.engine.connect() as c:  # per-connection pragmas
            assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert store.maintenance.integrity_check().ok


def test_not_a_sqlite_file(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"PK\x03\x04 this is a zip file, not a database" * 50)
    err = _refused(db_path, CorruptDatabase)
    assert "not a SQLite database" in str(err)


def test_damaged_sqlite_file(db_path: Path) -> None:
    _make_store_file(db_path)
    with Store.open(db_path) as s:
        s.people.upsert([], "r0")
    size = db_path.stat().st_size
    assert size >= 4096 * 4
    with open(db_path, "r+b") as fh:  # keep the header, wreck the b-tree pages
        fh.seek(4096)
        fh.write(os.urandom(size - 4096))
    err = _refused(db_path, CorruptDatabase)
    assert "damaged" in str(err) or "cannot be opened" in str(err)


def test_damaged_text_inside_a_row_is_a_damaged_database(db_path: Path) -> None:
    """Corrupt-files suite: a byte flipped inside a text value passes SQLite's checks and
    came out of a read as a raw decoding error (a traceback from ``kiosk db check``)."""
    from kiosk.store import PersonIn

    with Store.open(db_path) as s:
        s.people.upsert([PersonIn("S-1", "Ann Lee")], "r1")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE people SET display_name = CAST(X'416ef26e' AS TEXT)")
    conn.commit()
    conn.close()
    with Store.open(db_path) as s, pytest.raises(CorruptDatabase) as info:
        s.people.get("S-1")
    assert "damaged" in str(info.value) and info.value.hint


def test_foreign_sqlite_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    conn.commit()
    conn.close()
    err = _refused(db_path, ForeignDatabase)
    assert "not one made by the enrollment station" in str(err)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # not switched to WAL
    conn.close()


def test_database_from_a_newer_version(db_path: Path) -> None:
    _make_store_file(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    err = _refused(db_path, NewerDatabase, backups_dir=db_path.parent / "backups")
    assert "newer version" in str(err) and "0099" in str(err)
    assert not (db_path.parent / "backups").exists()


def test_read_only_file(db_path: Path) -> None:
    _make_store_file(db_path)
    mode = db_path.stat().st_mode
    db_path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        err = _refused(db_path, ReadOnlyLocation)
        assert "read-only" in str(err)
    finally:
        db_path.chmod(mode)


def test_read_only_folder(db_path: Path) -> None:
    _make_store_file(db_path)
    folder = db_path.parent
    mode = folder.stat().st_mode
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        err = _refused(db_path, ReadOnlyLocation)
        assert str(folder) in str(err)
    finally:
        folder.chmod(mode)


def test_full_disk_at_open(db_path: Path) -> None:
    _make_store_file(db_path)
    err = _refused(db_path, DiskFull, min_free_bytes=1 << 62)
    assert "full" in str(err)


@contextlib.contextmanager
def size_limited_connections() -> Iterator[None]:
    """Every new SQLite connection may grow the file by at most two pages: SQLITE_FULL."""

    def limit(dbapi_conn: Any, _rec: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 2}")

    event.listen(Engine, "connect", limit)
    try:
        yield
    finally:
        event.remove(Engine, "connect", limit)


def test_full_disk_mid_enrollment_rolls_back(db_path: Path, store: Store) -> None:
    consent(store, "S-001")
    before = store.maintenance.counts()
    store.close()
    with size_limited_connections():
        limited = Store.open(db_path, station_id="s")
        try:
            with pytest.raises(DiskFull) as info:
                enroll(limited, "S-001", data=os.urandom(300_000))
            assert "Nothing was saved" in str(info.value)
        finally:
            limited.close()
    with Store.open(db_path) as again:
        assert again.maintenance.counts() == before
        assert again.maintenance.integrity_check().ok
        enroll(again, "S-001", data=os.urandom(300_000))  # space is back: it works
        assert again.maintenance.counts()["templates"] == 1


def test_migrate_false_on_missing_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with pytest.raises(SchemaBehind):
        Store.open(db_path, migrate=False)
    assert not db_path.exists()
