"""The technician's database operations (``kiosk db``): check (integrity and the audit
chain), back up, export the audit log.

None of them upgrades or changes records, so they are safe on a database the station refuses
to open normally (open the station with ``migrate=False`` for them). Blocking calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.store import IntegrityReport, OutboxStats, Store
from kiosk.store.audit import ChainVerdict


@dataclass(frozen=True)
class DatabaseCheck:
    integrity: IntegrityReport
    outbox: OutboxStats
    #: Sensor slots whose templates were deleted here and are still to be cleared.
    slots_to_clear: tuple[int, ...]
    #: The audit trail's hash chain, walked entry by entry.
    audit: ChainVerdict
    #: Templates that no longer open with the station's key (damaged inside the file).
    unreadable_templates: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.integrity.ok and self.audit.ok and not self.unreadable_templates


class DatabaseAdmin:
    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def path(self) -> Path:
        return self._store.path

    def check(self) -> DatabaseCheck:
        """Full integrity check, schema revision, counts, outbox, slots still to clear, and
        every template opened (a byte damaged inside one escapes SQLite's check)."""
        integrity = self._store.maintenance.integrity_check()
        current = integrity.schema_revision == integrity.head_revision
        audit = (self._store.audit.verify() if current else
                 ChainVerdict(True, 0, None, None, "not checked: the schema is older"))
        unreadable = tuple(self._store.enrollments.unreadable_templates()) if current else ()
        return DatabaseCheck(integrity, self._store.outbox.stats(),
                             tuple(sorted(self._store.slots.pending_releases())), audit,
                             unreadable)

    def schema_revision(self) -> str | None:
        return self._store.maintenance.schema_revision()

    def upgrade_history(self) -> list[tuple[str, str, datetime]]:
        """Every schema upgrade since 0007: (revision, program version, when), oldest first."""
        return self._store.maintenance.upgrade_history()

    def verify_audit(self) -> ChainVerdict:
        """Walk the audit trail's hash chain: where it is cut, unlinked or edited, if it is."""
        return self._store.audit.verify()

    def backup(self, dest: Path) -> Path:
        """A consistent copy while the station may run; a folder gets a dated file name."""
        if dest.is_dir():
            dest = dest / f"kiosk-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.sqlite3"
        return self._store.maintenance.backup_to(dest)

    def export_audit(self, dest: Path) -> int:
        """The whole audit log as CSV (oldest first); returns the number of entries."""
        return self._store.audit.export_csv(dest)


__all__ = ["ChainVerdict", "DatabaseAdmin", "DatabaseCheck"]
