"""The station database as a set of repositories, one per aggregate, over one database.

``Store.open`` checks, backs up, migrates and opens the file; each repository is an attribute
(``store.people``, ``store.outbox``…). Every public repository method is one unit of work in
its own transaction, so a caller can never leave a half-written enrollment behind; the
repositories that must write together (a template, its audit entry and its outbox row) share
the session inside one method.
"""

from __future__ import annotations

import base64
from pathlib import Path

from kiosk import keystore
from kiosk.keystore import KeyStore
from kiosk.store import engine as eng
from kiosk.store.audit import AuditLog
from kiosk.store.cipher import TemplateCipher, TemplateDamaged
from kiosk.store.consent import Consents
from kiosk.store.db import Database, now, open_database
from kiosk.store.deletion import Deletions
from kiosk.store.enrollments import Enrollments
from kiosk.store.errors import KeyUnavailable, StoreError
from kiosk.store.maintenance import Maintenance
from kiosk.store.operators import Operators
from kiosk.store.outbox import Outbox
from kiosk.store.people import People
from kiosk.store.retention import Retention
from kiosk.store.slots import SensorSlots
from kiosk.store.state import KEY_DATA_KEY_CHECK, KEY_LAST_OPENED, SyncStateStore
from kiosk.threadguard import check_io


class Store:
    """The station database. Create with :meth:`Store.open`; safe to share between threads."""

    def __init__(self, db: Database, cipher: TemplateCipher) -> None:
        self.db = db
        self.audit = AuditLog(db)
        self.state = SyncStateStore(db)
        self.outbox = Outbox(db, self.audit)
        self.people = People(db, self.audit)
        self.consents = Consents(db, self.audit, self.outbox)
        self.enrollments = Enrollments(db, self.audit, self.outbox, cipher)
        self.slots = SensorSlots(db, self.audit, self.outbox, cipher)
        self.deletions = Deletions(db, self.audit, self.outbox)
        self.operators = Operators(db, self.audit)
        self.maintenance = Maintenance(db)
        self.retention = Retention(db)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        backups_dir: Path | None = None,
        migrate: bool = True,
        station_id: str = "",
        min_free_bytes: int = eng.MIN_FREE_BYTES,
        keys: KeyStore | None = None,
    ) -> Store:
        """Open (creating or upgrading) the database, or raise a :class:`StoreError`.

        An existing database that is behind is first copied to
        ``backups_dir/kiosk-<UTC time>-pre-<revision>.sqlite3`` (default: ``backups`` next to
        the file). With ``migrate=False`` a database that is behind opens as it is, for
        diagnostics only; a missing one raises :class:`~kiosk.store.errors.SchemaBehind`.

        Template bytes are sealed with the data key held in ``keys`` (default: the best key
        store of this computer for the ``secrets`` folder next to the file); the key never
        enters the database or its backups.
        """
        check_io("db", "open")
        path = Path(path)
        key = _data_key(keys if keys is not None else keystore.choose(path.parent / "secrets"))
        db = open_database(path, backups_dir=backups_dir, migrate=migrate,
                           station_id=station_id, min_free_bytes=min_free_bytes, data_key=key)
        cipher = TemplateCipher(key)
        store = cls(db, cipher)
        try:
            _check_key(store, cipher, write=migrate, keys_text=(
                keys.describe() if keys is not None else "the station's key store"))
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


_KEY_CHECK = b"fingerprint-kiosk data key check"


def _check_key(store: Store, cipher: TemplateCipher, *, write: bool, keys_text: str) -> None:
    """Refuse a key that does not open this database (a database copied to another computer,
    or a key store reset), at open time rather than at the first sync of a template."""
    wrong = KeyUnavailable(
        f"The station's database ({store.path}) was sealed with another data key than the "
        f"one this computer holds ({keys_text}), so its fingerprint templates cannot be read.",
        hint="Nothing was changed. If the database was moved from another computer, import "
             "that computer's key with 'kiosk db import-key'; otherwise call support.",
        path=store.path,
    )
    check = store.state.get(KEY_DATA_KEY_CHECK)
    if check is not None:
        try:
            cipher.open(base64.b64decode(check), station_id="", template_uuid="key-check")
            return
        except (TemplateDamaged, ValueError):
            # Another key, but nothing sealed with the old one (a database prepared on
            # another computer before anyone enrolled): nothing is lost by taking this key.
            if store.enrollments.sealed_count() or not write:
                raise wrong from None
    if not write and not eng.reached(store.maintenance.schema_revision(),
                                     eng.SEALING_REVISION):
        # Opened as it is (diagnostics, ``kiosk db migrate`` looking before it upgrades) and
        # older than sealing: its templates are in clear and say nothing about the key.
        return
    if not store.enrollments.key_opens_templates():
        raise wrong
    if write:
        sealed = cipher.seal(_KEY_CHECK, station_id="", template_uuid="key-check")
        store.state.set(KEY_DATA_KEY_CHECK, base64.b64encode(sealed).decode("ascii"))


def _data_key(keys: KeyStore) -> bytes:
    try:
        return keystore.data_key(keys)
    except (keystore.KeyStoreError, OSError) as exc:
        raise KeyUnavailable(
            f"The station's data key cannot be read from {keys.describe()} ({exc}).",
            hint="Nothing was changed. If the station was moved to another computer, import its "
                 "key with 'kiosk db import-key'; otherwise call support.",
        ) from exc


__all__ = ["Store"]
