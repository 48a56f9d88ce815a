"""Whole-database operations: backup, integrity check, schema revision, row counts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import func, literal_column, select, table

from kiosk.store import engine as eng
from kiosk.store import models as m
from kiosk.store.db import Database
from kiosk.store.errors import StoreError
from kiosk.store.records import IntegrityReport
from kiosk.threadguard import check_io

_TABLES = {
    "people": m.Person, "templates": m.Template, "attempts": m.EnrollmentAttempt,
    "consents": m.Consent, "operators": m.Operator, "audit_log": m.AuditEntry,
    "outbox": m.OutboxMessage, "tombstones": m.Tombstone, "slot_releases": m.SlotRelease,
}


class Maintenance:
    def __init__(self, db: Database) -> None:
        self.db = db

    def backup_to(self, path: Path) -> Path:
        """Consistent online copy (sqlite3 backup API). Restore = copy the file back while the
        program is stopped."""
        check_io("db", "maintenance.backup_to")
        try:
            return eng.backup_file(self.db.path, Path(path))
        except OSError as exc:
            raise StoreError(
                f"The backup could not be written to {path}: {exc.strerror or exc}.",
                hint="Check that the folder exists, is writable and has space.",
                path=Path(path),
            ) from exc

    def schema_revision(self) -> str | None:
        check_io("db", "maintenance.schema_revision")
        with self.db.read() as s:
            return s.scalar(select(literal_column("version_num"))
                            .select_from(table("alembic_version")))

    def upgrade_history(self) -> list[tuple[str, str, datetime]]:
        """Schema upgrades recorded since revision 0007, oldest first."""
        check_io("db", "maintenance.upgrade_history")
        with self.db.read() as s:
            return [(r.revision, r.program_version, r.upgraded_at) for r in s.scalars(
                select(m.UpgradeRecord).order_by(m.UpgradeRecord.id))]

    def counts(self) -> dict[str, int]:
        check_io("db", "maintenance.counts")
        with self.db.read() as s:
            return {k: int(s.scalar(select(func.count()).select_from(v)) or 0)
                    for k, v in _TABLES.items()}

    def integrity_check(self) -> IntegrityReport:
        """Full ``PRAGMA integrity_check`` + foreign key check + schema revision + counts."""
        check_io("db", "maintenance.integrity_check")
        with self.db.engine.connect() as conn:
            msgs = tuple(str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check"))
            fk = len(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
        rev = self.schema_revision()
        head = eng.head_revision()
        ok = msgs == ("ok",) and fk == 0 and rev == head
        return IntegrityReport(ok=ok, messages=msgs, foreign_key_violations=fk,
                               schema_revision=rev, head_revision=head, counts=self.counts())


__all__ = ["Maintenance"]
