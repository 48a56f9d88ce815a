"""Small key/value state the station keeps across restarts (roster version, last sync...)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store import models as m
from kiosk.store.db import Database, now
from kiosk.threadguard import check_io

#: Keys other layers share.
KEY_ROSTER_VERSION = "roster_version"
KEY_LAST_SYNC = "last_sync_at"
KEY_LAST_OPENED = "last_opened_at"
#: A value sealed with the data key, so a wrong key is refused when the database opens.
KEY_DATA_KEY_CHECK = "data_key_check"
#: The last audit seq put into an outbox event for central.
KEY_AUDIT_QUEUED = "audit_queued_to"


class SyncStateStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def read_in(s: Session, key: str) -> str | None:
        return s.scalar(select(m.SyncStateEntry.value).where(m.SyncStateEntry.key == key))

    @staticmethod
    def write_in(s: Session, key: str, value: str, at: datetime | None = None) -> None:
        s.merge(m.SyncStateEntry(key=key, value=value, updated_at=at or now()))

    def get(self, key: str) -> str | None:
        check_io("db", "state.get")
        with self.db.read() as s:
            return self.read_in(s, key)

    def set(self, key: str, value: str) -> None:
        check_io("db", "state.set")
        with self.db.transaction() as s:
            self.write_in(s, key, value)


__all__ = ["KEY_AUDIT_QUEUED", "KEY_DATA_KEY_CHECK", "KEY_LAST_OPENED", "KEY_LAST_SYNC",
           "KEY_ROSTER_VERSION", "SyncStateStore"]
