"""The tamper-evident audit trail: one hash chain per station, computed identically on both
ends, and the ``audit`` message that carries consecutive entries to central.

Rule: ``hash = sha256_hex(prev_hash + canonical_json({seq, at, actor, action, subject,
before, after, station}))`` with ``prev_hash`` the previous entry's hash (64 zeros before the
first) and the canonical JSON of :func:`kiosk_contract.sealing.canonical_json` (sorted keys, no
spaces, UTF-8). Deleting, editing, reordering or inserting an entry breaks the chain at that
entry; cutting the tail is visible at central, which holds every entry it received.
``before``/``after`` are JSON values without floating-point numbers (their text form is not
canonical across languages).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kiosk_contract.fields import (
    HEX64_RE,
    MAX_PAYLOAD_BYTES,
    ContractError,
    check_keys,
    check_size,
    dump,
    envelope,
    fail,
    req_int,
    req_list,
    req_station,
    req_str,
    req_ts,
    req_uuid,
    verified,
)
from kiosk_contract.sealing import canonical_json

GENESIS = "0" * 64
MAX_ENTRIES = 100
MAX_SEQ = 2**53


def _plain(value: Any) -> bool:
    """JSON without floats, NUL characters or lone surrogates (so every end hashes it alike)."""
    if value is None or isinstance(value, bool | int):
        return True
    if isinstance(value, str):
        return "\x00" not in value and not any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def entry_hash(prev_hash: str, *, seq: int, at: str, actor: str, action: str, subject: str,
               before: Any, after: Any, station: str) -> str:
    content = canonical_json({"seq": seq, "at": at, "actor": actor, "action": action,
                              "subject": subject, "before": before, "after": after,
                              "station": station})
    return hashlib.sha256(prev_hash.encode("ascii") + content).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    before: Any
    after: Any
    prev_hash: str
    hash: str

    @classmethod
    def chained(cls, prev_hash: str, station: str, *, seq: int, at: str, actor: str,
                action: str, subject: str = "", before: Any = None,
                after: Any = None) -> AuditEntry:
        """A new entry linked to ``prev_hash`` (what the station writes with each row)."""
        if not (_plain(before) and _plain(after)):
            raise ContractError("audit before/after must be JSON without floats or NUL")
        h = entry_hash(prev_hash, seq=seq, at=at, actor=actor, action=action, subject=subject,
                       before=before, after=after, station=station)
        return cls(seq, at, actor, action, subject, before, after, prev_hash, h)

    def expected_hash(self, station: str) -> str:
        return entry_hash(self.prev_hash, seq=self.seq, at=self.at, actor=self.actor,
                          action=self.action, subject=self.subject, before=self.before,
                          after=self.after, station=station)

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at, "actor": self.actor, "action": self.action,
                "subject": self.subject, "before": self.before, "after": self.after,
                "prev_hash": self.prev_hash, "hash": self.hash}

    @classmethod
    def parse(cls, raw: object) -> AuditEntry:
        if not isinstance(raw, dict):
            raise fail("entries[] must be objects")
        check_keys(raw, {"seq", "at", "actor", "action", "subject", "before", "after",
                         "prev_hash", "hash"})
        for k in ("prev_hash", "hash"):
            if not isinstance(raw[k], str) or not HEX64_RE.match(raw[k]):
                raise fail(f"entries[].{k} must be 64 lowercase hex digits")
        if not (_plain(raw["before"]) and _plain(raw["after"])):
            raise fail("entries[].before/after must be JSON without floats or NUL")
        return cls(req_int(raw, "seq", 1, MAX_SEQ), req_ts(raw, "at"),
                   req_str(raw, "actor", max_len=100), req_str(raw, "action", max_len=64),
                   req_str(raw, "subject", max_len=200, min_len=0), raw["before"], raw["after"],
                   raw["prev_hash"], raw["hash"])


BreakKind = Literal["gap", "link", "content"]


@dataclass(frozen=True)
class ChainBreak:
    """Where a chain first goes wrong: ``index`` in the list checked, the entry's ``seq``."""

    index: int
    seq: int
    kind: BreakKind
    reason: str


def verify_chain(entries: Sequence[AuditEntry], start_prev: str,
                 station: str) -> ChainBreak | None:
    """None when ``entries`` (ascending, consecutive) continue ``start_prev`` intact; else
    the first bad position and why: a ``gap`` in the sequence (entries cut), a ``link`` that
    does not follow its predecessor (removed or rewritten), or ``content`` that does not match
    its own hash (edited)."""
    prev = start_prev
    for i, e in enumerate(entries):
        if i and e.seq != entries[i - 1].seq + 1:
            return ChainBreak(i, e.seq, "gap", f"entries {entries[i - 1].seq + 1}..{e.seq - 1} "
                              "are missing")
        if e.prev_hash != prev:
            return ChainBreak(i, e.seq, "link", f"entry {e.seq} does not link to the entry "
                              "before it (an entry was removed, inserted or rewritten)")
        if e.expected_hash(station) != e.hash:
            return ChainBreak(i, e.seq, "content", f"entry {e.seq} does not match its hash "
                              "(its content was changed)")
        prev = e.hash
    return None


@dataclass(frozen=True)
class AuditMessage:
    """Up, through the outbox: 1..100 consecutive audit entries of one station. It has no
    aggregate; its ack names ``msg_id`` as both ``msg_id`` and ``uuid``."""

    msg_id: str
    station: str
    entries: tuple[AuditEntry, ...]

    def __post_init__(self) -> None:
        if not 1 <= len(self.entries) <= MAX_ENTRIES:
            raise ContractError(f"an audit message carries 1..{MAX_ENTRIES} entries")
        if any(b.seq != a.seq + 1 for a, b in zip(self.entries, self.entries[1:], strict=False)):
            raise ContractError("audit entries must be consecutive")

    def to_bytes(self) -> bytes:
        raw = check_size(dump({
            "schema": 2, "type": "audit", "msg_id": self.msg_id, "station": self.station,
            "entries": [e.to_json() for e in self.entries],
        }), MAX_PAYLOAD_BYTES, f"audit message of {len(self.entries)} entries")
        return verified(raw, self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> AuditMessage:
        obj = envelope(payload, "audit", schemas=(2,))
        check_keys(obj, {"schema", "type", "msg_id", "station", "entries"})
        entries = tuple(AuditEntry.parse(e) for e in req_list(obj, "entries", 1, MAX_ENTRIES))
        try:
            return cls(req_uuid(obj, "msg_id"), req_station(obj), entries)
        except ContractError as exc:
            raise fail(str(exc)) from None
