"""The audit log: who did what to which record — append-only, hash-chained, copied to central.

Each entry carries the hash of the previous one (``kiosk_contract.audit``: the same rule
central checks), so deleting or editing a row — even with the append-only triggers dropped —
breaks the chain exactly there, and :meth:`AuditLog.verify` says where. Entries never hold
PINs or template bytes.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store import models as m
from kiosk.store.db import Database, now
from kiosk.store.records import AuditRecord
from kiosk.threadguard import check_io
from kiosk_contract.audit import GENESIS, BreakKind, entry_hash
from kiosk_contract.audit import AuditEntry as ContractAuditEntry


def audit_time(dt: datetime) -> str:
    """The exact text an entry's time is hashed and sent as (UTC, microseconds, ``Z``)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def plain_json(value: Any) -> Any:
    """JSON every end hashes alike: floats become text, NUL characters are dropped."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list | tuple):
        return [plain_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    return value


#: A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text, never runs (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    #: Entries checked (up to and including the bad one).
    checked: int
    #: Where the chain breaks, and how.
    seq: int | None
    kind: BreakKind | None
    #: For logs and support; front ends render their own sentence from ``kind`` and ``seq``.
    detail: str


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
        """Add an entry inside the caller's unit of work, linked to the last one; its seq."""
        at = at or now()
        before, after = plain_json(before), plain_json(after)
        last = s.execute(select(m.AuditEntry.seq, m.AuditEntry.hash)
                         .order_by(m.AuditEntry.seq.desc()).limit(1)).first()
        seq = (last.seq + 1) if last else 1
        prev = last.hash if last else GENESIS
        station = self.db.station_id
        digest = entry_hash(prev, seq=seq, at=audit_time(at), actor=actor, action=action,
                            subject=subject, before=before, after=after, station=station)
        s.add(m.AuditEntry(seq=seq, at=at, actor=actor, action=action, subject=subject,
                           before=before, after=after, station_id=station, prev_hash=prev,
                           hash=digest))
        s.flush()
        return seq

    def record(
        self, actor: str, action: str, subject: str = "", *, before: Any = None,
        after: Any = None,
    ) -> int:
        """Append an entry in a transaction of its own. Returns its id."""
        check_io("db", "audit.record")
        with self.db.transaction() as s:
            return self.append(s, actor, action, subject, before, after)

    def verify(self) -> ChainVerdict:
        """Walk the whole chain: the first entry that is missing, unlinked or edited."""
        check_io("db", "audit.verify")
        prev, expected_seq, n = GENESIS, 1, 0
        with self.db.read() as s:
            q = select(m.AuditEntry).order_by(m.AuditEntry.seq)
            for r in s.scalars(q).yield_per(1000):
                n += 1
                if r.seq != expected_seq:
                    return ChainVerdict(False, n, r.seq, "gap",
                                        f"entries {expected_seq}..{r.seq - 1} are missing")
                if r.prev_hash != prev:
                    return ChainVerdict(False, n, r.seq, "link",
                                        f"entry {r.seq} does not link to entry {r.seq - 1}: "
                                        "an entry before it was removed or rewritten")
                digest = entry_hash(prev, seq=r.seq, at=audit_time(r.at), actor=r.actor,
                                    action=r.action, subject=r.subject, before=r.before,
                                    after=r.after, station=r.station_id)
                if digest != r.hash:
                    return ChainVerdict(False, n, r.seq, "content",
                                        f"entry {r.seq} was changed after it was written")
                prev, expected_seq = r.hash, r.seq + 1
        return ChainVerdict(True, n, None, None, f"{n} entries, the chain is intact")

    def head(self) -> tuple[int, str]:
        """The last entry's (seq, hash); (0, genesis) for an empty log."""
        with self.db.read() as s:
            last = s.execute(select(m.AuditEntry.seq, m.AuditEntry.hash)
                             .order_by(m.AuditEntry.seq.desc()).limit(1)).first()
            return (int(last.seq), str(last.hash)) if last else (0, GENESIS)

    def chain(self, first_seq: int, last_seq: int) -> list[ContractAuditEntry]:
        """Entries ``first_seq..last_seq`` as the contract carries them to central."""
        check_io("db", "audit.chain")
        with self.db.read() as s:
            rows = s.scalars(select(m.AuditEntry).where(m.AuditEntry.seq >= first_seq,
                                                        m.AuditEntry.seq <= last_seq)
                             .order_by(m.AuditEntry.seq)).all()
            return [ContractAuditEntry(r.seq, audit_time(r.at), r.actor, r.action, r.subject,
                                       r.before, r.after, r.prev_hash, r.hash) for r in rows]

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
            w.writerow(["seq", "at", "station_id", "actor", "action", "subject", "before",
                        "after", "hash"])
            for r in s.scalars(select(m.AuditEntry).order_by(m.AuditEntry.seq)).yield_per(1000):
                w.writerow([cell(v) for v in (
                    r.seq, r.at.isoformat(), r.station_id, r.actor, r.action, r.subject,
                    "" if r.before is None else json.dumps(r.before, sort_keys=True),
                    "" if r.after is None else json.dumps(r.after, sort_keys=True), r.hash,
                )])
                n += 1
        tmp.replace(path)
        return n
