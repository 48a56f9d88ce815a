"""Audit at central: its own hash-chained log, and verification of the stations' chains.

Central's log uses the contract's chain rule with station ``"central"``: every opening of a
template, every deletion, roster import and publish, and every message refused for naming
another station's data is an entry. Appending takes a row lock (PostgreSQL) or the write lock
(SQLite's ``BEGIN IMMEDIATE``), so concurrent workers never fork the chain.

A station's chain is checked against everything central received from it: entries are kept
exactly as sent, a second, different copy of an entry is kept as an anomaly (the chain was
rewritten), and :func:`verify_station` walks from the genesis entry to the last one received.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

import kiosk_contract as c
from kiosk_central.schema import audit_anomalies, central_audit, settings, station_audit

CENTRAL = "central"
_LOCK_KEY = "central_audit_lock"


def lock_head(conn: Connection) -> None:
    """Take central's one sequencing lock until the caller's transaction ends. The audit chain
    and the event feed (:mod:`.events`) both take it, always this one lock, so entries and
    events get their numbers in commit order and two transactions never wait on each other
    in opposite orders."""
    lock = conn.execute(select(settings.c.value).where(settings.c.key == _LOCK_KEY)
                        .with_for_update()).scalar()
    if lock is None:
        conn.execute(insert(settings).values(key=_LOCK_KEY, value="chain head lock"))
        conn.execute(select(settings.c.value).where(settings.c.key == _LOCK_KEY)
                     .with_for_update())


def append(conn: Connection, actor: str, action: str, subject: str = "", *,
           before: Any = None, after: Any = None) -> int:
    """Add an entry to central's chain inside the caller's transaction; returns its seq."""
    lock_head(conn)
    last = conn.execute(select(central_audit.c.seq, central_audit.c.hash)
                        .order_by(central_audit.c.seq.desc()).limit(1)).first()
    seq, prev = (1, c.GENESIS) if last is None else (int(last[0]) + 1, str(last[1]))
    e = c.AuditEntry.chained(prev, CENTRAL, seq=seq, at=c.utc_now_iso(), actor=actor[:100],
                             action=action[:64], subject=subject[:200], before=before,
                             after=after)
    conn.execute(insert(central_audit).values(**e.to_json()))
    return seq


def _entries(conn: Connection, table: Any, where: Any) -> Iterator[c.AuditEntry]:
    q = select(table.c.seq, table.c.at, table.c.actor, table.c.action, table.c.subject,
               table.c.before, table.c.after, table.c.prev_hash, table.c.hash).order_by(
        table.c.seq)
    for r in conn.execute(q.where(where) if where is not None else q):
        yield c.AuditEntry(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8])


@dataclass(frozen=True)
class ChainReport:
    station: str
    ok: bool
    entries: int
    last_seq: int | None
    problem: str | None = None
    seq: int | None = None
    kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"station": self.station, "ok": self.ok, "entries": self.entries,
                "last_seq": self.last_seq, "problem": self.problem, "seq": self.seq,
                "kind": self.kind}


def _walk(station: str, entries: Iterator[c.AuditEntry]) -> ChainReport:
    prev, expect, n, last = c.GENESIS, 1, 0, None
    for e in entries:
        if e.seq != expect:
            kind = "cut" if e.seq > expect else "order"
            return ChainReport(station, False, n, last, f"entries {expect}..{e.seq - 1} were "
                               "never received: the chain was cut there (or they are still "
                               "on their way)", expect, kind)
        brk = c.verify_chain([e], prev, station)
        if brk is not None:
            return ChainReport(station, False, n, last, brk.reason, e.seq, brk.kind)
        prev, expect, n, last = e.hash, e.seq + 1, n + 1, e.seq
    return ChainReport(station, True, n, last)


def verify_station(conn: Connection, station: str) -> ChainReport:
    """Walk ``station``'s chain as received; the first problem wins. Conflicting copies of an
    entry (the station rewrote its history after sending it) are reported first."""
    anomaly = conn.execute(
        select(audit_anomalies.c.seq, audit_anomalies.c.held_hash,
               audit_anomalies.c.received_hash)
        .where(audit_anomalies.c.station == station).order_by(audit_anomalies.c.seq).limit(1)
    ).first()
    report = _walk(station, _entries(conn, station_audit, station_audit.c.station == station))
    if anomaly is not None and (report.ok or (report.seq or 0) > anomaly[0]):
        return ChainReport(station, False, report.entries, report.last_seq,
                           f"entry {anomaly[0]} arrived again with different content (hash "
                           f"{anomaly[2][:12]}… instead of {anomaly[1][:12]}…): the station's "
                           "log was rewritten", int(anomaly[0]), "rewritten")
    return report


def verify_central(conn: Connection) -> ChainReport:
    return _walk(CENTRAL, _entries(conn, central_audit, None))
