"""The audit log: who did what to which record, append-only (never PINs or template bytes)."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store import models as m
from kiosk.store.db import Database, now
from kiosk.store.records import AuditRecord
from kiosk.threadguard import check_io


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def append(
        self,
        s: Session,
        actor: str,
        action: str,
        subject: str = "",
        before: Any = None,
        after: Any = None,
        at: datetime | None = None,
    ) -> int:
        """Add an entry inside the caller's unit of work; returns its id."""
        entry = m.AuditEntry(
            at=at or now(), actor=actor, action=action, subject=subject, before=before,
            after=after, station_id=self.db.station_id,
        )
        s.add(entry)
        s.flush()
        return entry.id

    def record(
        self, actor: str, action: str, subject: str = "", *, before: Any = None,
        after: Any = None,
    ) -> int:
        """Append an entry in a transaction of its own. Returns its id."""
        check_io("db", "audit.record")
        with self.db.transaction() as s:
            return self.append(s, actor, action, subject, before, after)

    def entries(self, limit: int = 100) -> list[AuditRecord]:
        """Newest first."""
        check_io("db", "audit.entries")
        with self.db.read() as s:
            rows = s.scalars(
                select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(limit)
            ).all()
            return [
                AuditRecord(r.id, r.at, r.actor, r.action, r.subject, r.before, r.after,
                            r.station_id)
                for r in rows
            ]

    def export_csv(self, path: Path) -> int:
        """Write the whole audit log as CSV (oldest first); returns the number of entries."""
        check_io("db", "audit.export_csv")
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        n = 0
        with self.db.read() as s, open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "at", "station_id", "actor", "action", "subject", "before", "after"])
            for r in s.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id)).yield_per(1000):
                w.writerow([
                    r.id, r.at.isoformat(), r.station_id, r.actor, r.action, r.subject,
                    "" if r.before is None else json.dumps(r.before, sort_keys=True),
                    "" if r.after is None else json.dumps(r.after, sort_keys=True),
                ])
                n += 1
        tmp.replace(path)
        return n
