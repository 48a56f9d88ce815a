"""Typed store errors: each says what is wrong in plain words and, in ``.hint``, what to do.

The app refuses to start enrolling on any :class:`StoreError` raised by ``Store.open``; the GUI
shows ``str(err)`` and ``err.hint`` as they are, so both are written for a technician.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """Base class: the local database cannot be used as asked."""

    code = "store-error"

    def __init__(self, message: str, *, hint: str = "", path: Path | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        self.path = path


class CorruptDatabase(StoreError):
    """The file is not a SQLite database, or SQLite reports it as damaged."""

    code = "corrupt-database"


class ForeignDatabase(StoreError):
    """A SQLite database that was not made by this program (no schema version of ours)."""

    code = "foreign-database"


class NewerDatabase(StoreError):
    """The schema revision is unknown to this program: a newer version wrote it."""

    code = "newer-database"


class SchemaBehind(StoreError):
    """The database needs an upgrade but the store was opened with ``migrate=False``."""

    code = "schema-behind"


class MigrationFailed(StoreError):
    """The schema upgrade failed and was rolled back; the database is as it was before."""

    code = "migration-failed"


class ReadOnlyLocation(StoreError):
    """The database file or its folder cannot be written."""

    code = "read-only"


class DiskFull(StoreError):
    """The disk (or the database's size limit) is full; the write was rolled back."""

    code = "disk-full"


class DatabaseBusy(StoreError):
    """Another program kept the database locked for longer than the busy timeout."""

    code = "busy"


class KeyUnavailable(StoreError):
    """The station's data key cannot be read from its key store, or does not open the data."""

    code = "key-unavailable"


class NotFound(StoreError):
    """A person, operator, template or outbox row that the caller named does not exist."""

    code = "not-found"


class Conflict(StoreError):
    """The write would break a rule of the data (finger already enrolled, slot taken...)."""

    code = "conflict"


class ConsentMissing(StoreError):
    """A template may only be stored while the person has an active consent record."""

    code = "no-consent"


class InvalidInput(StoreError, ValueError):
    """An argument is out of range (finger code, PIN format, role name...)."""

    code = "invalid-input"


#: SQLite primary result codes we translate (see sqlite.org/rescode.html).
SQLITE_BUSY = 5
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def translate_sqlite_error(exc: BaseException, path: Path | None) -> StoreError | None:
    """Map a ``sqlite3`` error (possibly wrapped by SQLAlchemy) to a typed store error."""
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, UnicodeDecodeError):  # text SQLite itself hands back damaged
        return CorruptDatabase(
            f"The station database is damaged{f' ({path})' if path else ''}.",
            hint="Do not delete it. Restore the newest file from the backups folder "
            "(kiosk db check tells you when it is healthy again) and call support.",
            path=path,
        )
    if not isinstance(orig, sqlite3.Error):
        return None
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(orig).lower()
    where = f" ({path})" if path else ""
    if primary == SQLITE_FULL or "disk is full" in text:
        return DiskFull(
            f"The disk holding the station database is full{where}. Nothing was saved.",
            hint="Free some space on that disk (old backups in the backups folder can go "
            "elsewhere), then try again. The records already saved are safe.",
            path=path,
        )
    if primary == SQLITE_READONLY or "readonly database" in text:
        return ReadOnlyLocation(
            f"The station database cannot be written{where}.",
            hint="Check that the file and its folder are not read-only and that this "
            "account may write there.",
            path=path,
        )
    # A damaged byte inside a text value escapes SQLite's own checks; Python's sqlite3
    # reports it when the row is read ("Could not decode to UTF-8 column …").
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text or (
        "not a database" in text or "could not decode to utf-8" in text
    ):
        return CorruptDatabase(
            f"The station database is damaged{where}.",
            hint="Do not delete it. Restore the newest file from the backups folder "
            "(kiosk db check tells you when it is healthy again) and call support.",
            path=path,
        )
    if primary == SQLITE_BUSY or "database is locked" in text:
        return DatabaseBusy(
            f"The station database stayed locked by another program{where}.",
            hint="Close other copies of the kiosk program or database tools, then try again.",
            path=path,
        )
    if primary in (SQLITE_CANTOPEN, SQLITE_IOERR):
        return ReadOnlyLocation(
            f"The station database could not be opened or written{where}: {orig}.",
            hint="Check that the disk is present, the folder exists and this account may "
            "write there.",
            path=path,
        )
    return None
