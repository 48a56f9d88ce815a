"""The audit trail is a hash chain: cutting, removing or editing an entry is found, by the
station itself (``verify``) and by central (which keeps the chain it was sent)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.store import Store
from kiosk_contract.audit import GENESIS, verify_chain
from tests.store.conftest import consent, enroll


def _tamper(db: Path, *sql: str) -> None:
    """Change the file the way someone with the database and an SQLite tool could: the
    append-only triggers are dropped first."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER IF EXISTS trg_audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS trg_audit_log_no_delete")
    for stmt in sql:
        conn.execute(stmt)
    conn.commit()
    conn.close()


def _filled(store: Store) -> int:
    consent(store, "S-001")
    enroll(store, "S-001")
    for n in range(5):
        store.audit.record("desk", "note", f"entry {n}")
    seq, digest = store.audit.head()
    assert digest != GENESIS
    return seq


def test_intact_chain_verifies_and_matches_the_contract(store: Store) -> None:
    last = _filled(store)
    verdict = store.audit.verify()
    assert verdict.ok and verdict.checked == last
    # Central checks the same chain with the contract's own function.
    entries = store.audit.chain(1, last)
    assert [e.seq for e in entries] == list(range(1, last + 1))
    assert verify_chain(entries, GENESIS, "station-test") is None


def test_sql_cannot_rewrite_the_log_while_the_triggers_stand(store: Store,
                                                             db_path: Path) -> None:
    _filled(store)
    conn = sqlite3.connect(db_path)
    try:
        for stmt in ("UPDATE audit_log SET actor = 'x' WHERE seq = 2",
                     "DELETE FROM audit_log WHERE seq = 2"):
            try:
                conn.execute(stmt)
            except sqlite3.DatabaseError as exc:
                assert "append-only" in str(exc)
            else:  # pragma: no cover - the assertion below reports it
                raise AssertionError(f"{stmt} was allowed")
    finally:
        conn.close()


def test_a_cut_entry_is_found(store: Store, db_path: Path) -> None:
    _filled(store)
    _tamper(db_path, "DELETE FROM audit_log WHERE seq = 3")
    verdict = store.audit.verify()
    assert not verdict.ok and (verdict.kind, verdict.seq) == ("gap", 4)


def test_a_renumbered_cut_is_found(store: Store, db_path: Path) -> None:
    """Cutting an entry and renumbering the rest to hide the gap breaks the links instead."""
    last = _filled(store)
    _tamper(db_path, "DELETE FROM audit_log WHERE seq = 3",
            *(f"UPDATE audit_log SET seq = {n - 1} WHERE seq = {n}" for n in range(4, last + 1)))
    verdict = store.audit.verify()
    assert not verdict.ok and (verdict.kind, verdict.seq) == ("link", 3)


def test_an_edited_entry_is_found(store: Store, db_path: Path) -> None:
    _filled(store)
    _tamper(db_path, "UPDATE audit_log SET subject = 'someone else' WHERE seq = 4")
    verdict = store.audit.verify()
    assert not verdict.ok and (verdict.kind, verdict.seq) == ("content", 4)


def test_a_cut_tail_is_visible_against_the_head_central_holds(store: Store,
                                                              db_path: Path) -> None:
    """Removing the newest entries leaves a chain that verifies locally; what central was
    sent (its head) is then ahead of the station's, which is how a cut tail is found."""
    last = _filled(store)
    central_head = store.audit.head()
    _tamper(db_path, f"DELETE FROM audit_log WHERE seq > {last - 2}")
    assert store.audit.verify().ok
    seq, _ = store.audit.head()
    assert seq == last - 2 < central_head[0]
