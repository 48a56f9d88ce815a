"""The station database as a set of repositories, one per aggregate, over one database.

``Store.open`` checks, backs up, migrates and opens the file; each repository is an attribute
(``store.people``, ``store.outbox``…). Every public repository method is one unit of work in
its own transaction, so a caller can never leave a half-written enrollment behind; the
repositories that must write together (a template, its audit entry and its outbox row) share
the session inside one method.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.store import engine as eng
from kiosk.store.audit import AuditLog
from kiosk.store.consent import Consents
from kiosk.store.db import Database, now, open_database
from kiosk.store.deletion import Deletions
from kiosk.store.enrollments import Enrollments
from kiosk.store.errors import StoreError
from kiosk.store.maintenance import Maintenance
from kiosk.store.operators import Operators
from kiosk.store.outbox import Outbox
from kiosk.store.people import People
from kiosk.store.slots import SensorSlots
from kiosk.store.state import KEY_LAST_OPENED, SyncStateStore
from kiosk.threadguard import check_io


class Store:
    """The station database. Create with :meth:`Store.open`; safe to share between threads."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.audit = AuditLog(db)
        self.state = SyncStateStore(db)
        self.outbox = Outbox(db, self.audit)
        self.people = People(db, self.audit)
        self.consents = Consents(db, self.audit, self.outbox)
        self.enrollments = Enrollments(db, self.audit, self.outbox)
        self.slots = SensorSlots(db, self.audit)
        self.deletions = Deletions(db, self.audit, self.outbox)
        self.operators = Operators(db, self.audit)
        self.maintenance = Maintenance(db)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        backups_dir: Path | None = None,
        migrate: bool = True,
        station_id: str = "",
        min_free_bytes: int = eng.MIN_FREE_BYTES,
    ) -> Store:
        """Open (creating or upgrading) the database, or raise a :class:`StoreError`.

        An existing database that is behind is first copied to
        ``backups_dir/kiosk-<UTC time>-pre-<revision>.sqlite3`` (default: ``backups`` next to
        the file). With ``migrate=False`` a database that is behind opens as it is, for
        diagnostics only; a missing one raises :class:`~kiosk.store.errors.SchemaBehind`.
        """
        check_io("db", "open")
        db = open_database(Path(path), backups_dir=backups_dir, migrate=migrate,
                           station_id=station_id, min_free_bytes=min_free_bytes)
        store = cls(db)
        try:
            # A real write at open: a read-only or full disk shows up now, not mid-enrollment.
            if migrate:
                store.state.set(KEY_LAST_OPENED, now().isoformat())
        except StoreError:
            db.close()
            raise
        return store

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def station_id(self) -> str:
        return self.db.station_id

    @station_id.setter
    def station_id(self, value: str) -> None:
        self.db.station_id = value

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Store"]
