"""Append-only audit log, CSV export, and operator PINs with lockout."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.store import Conflict, InvalidInput, Store
from kiosk.store.pins import check_pin, hash_pin


def test_audit_log_is_append_only(store: Store, db_path: Path) -> None:
    aid = store.audit.record(
        "desk", "settings-changed", "ui", before={"sounds": False}, after={"sounds": True}
    )
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE id = ?", (aid,))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_log")
        conn.rollback()
        assert conn.execute("SELECT actor FROM audit_log WHERE id = ?", (aid,)).fetchone() == (
            "desk",
        )
    finally:
        conn.close()
    entry = store.audit.entries(limit=1)[0]
    assert (entry.id, entry.before, entry.after) == (aid, {"sounds": False}, {"sounds": True})


def test_export_audit_csv(store: Store, tmp_path: Path) -> None:
    store.audit.record("desk", "note", "S-001", after={"text": 'a, "quoted" note'})
    out = tmp_path / "audit.csv"
    n = store.audit.export_csv(out)
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n >= 3
    assert rows[-1]["action"] == "note"
    assert json.loads(rows[-1]["after"]) == {"text": 'a, "quoted" note'}
    assert [int(r["seq"]) for r in rows] == list(range(1, n + 1))
    assert all(len(r["hash"]) == 64 for r in rows)


def test_export_audit_csv_defuses_spreadsheet_formulas(store: Store, tmp_path: Path) -> None:
    """A subject typed as a formula reaches the spreadsheet as text, not as a formula."""
    store.audit.record("desk", "note", '=HYPERLINK("http://x","click")')
    store.audit.record("desk", "note", "+1+1")
    out = tmp_path / "audit.csv"
    store.audit.export_csv(out)
    with open(out, newline="", encoding="utf-8") as fh:
        subjects = [r["subject"] for r in csv.DictReader(fh)][-2:]
    assert subjects == ["'=HYPERLINK(\"http://x\",\"click\")", "'+1+1"]


def test_pin_hash_is_slow_salted_and_opaque() -> None:
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b and "2468" not in a
    assert a.startswith("scrypt$16384$8$1$")
    assert check_pin("2468", a) and not check_pin("2469", a)
    assert not check_pin("2468", "garbage")


def test_operator_lockout(store: Store, db_path: Path) -> None:
    t = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    store.operators.create("sam", "1111")
    assert store.operators.verify_pin("sam", "1111", at=t).ok
    for i in range(store.operators.pin_max_failures - 1):
        res = store.operators.verify_pin("sam", "9999", at=t)
        assert not res.ok and res.attempts_left == store.operators.pin_max_failures - 1 - i
    locked = store.operators.verify_pin("sam", "9999", at=t)
    assert not locked.ok and locked.locked_until == t + store.operators.pin_lockout
    # While locked even the right PIN is refused.
    still = store.operators.verify_pin(
        "sam", "1111", at=t + store.operators.pin_lockout - timedelta(seconds=1)
    )
    assert not still.ok and still.locked_until is not None
    assert store.operators.verify_pin("sam", "1111", at=t + store.operators.pin_lockout).ok
    assert "operator-locked" in [a.action for a in store.audit.entries()]
    conn = sqlite3.connect(db_path)
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert "'1111'" not in dump


def test_a_success_resets_the_failure_count(store: Store) -> None:
    t = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    store.operators.create("kim", "123456")
    for _ in range(store.operators.pin_max_failures - 1):
        store.operators.verify_pin("kim", "000000", at=t)
    assert store.operators.verify_pin("kim", "123456", at=t).ok
    res = store.operators.verify_pin("kim", "000000", at=t)
    assert res.attempts_left == store.operators.pin_max_failures - 1


def test_operator_management(store: Store) -> None:
    assert store.operators.has_admin()  # the fixture made "desk" an admin
    assert not store.operators.verify_pin("ghost", "1234").ok
    store.operators.create("lee", "4321", role="staff")
    with pytest.raises(Conflict):
        store.operators.create("lee", "4321")
    with pytest.raises(InvalidInput):
        store.operators.create("max", "12")
    with pytest.raises(InvalidInput):
        store.operators.create("max", "1234", role="root")
    assert [o.name for o in store.operators.list()] == ["desk", "lee"]
    store.operators.set_pin("lee", "8765", actor="desk")
    assert (
        store.operators.verify_pin("lee", "8765").ok
        and not store.operators.verify_pin("lee", "4321").ok
    )


def test_fresh_station_has_no_admin(tmp_path: Path) -> None:
    with Store.open(tmp_path / "k.sqlite3") as s:
        assert not s.operators.has_admin()
        s.operators.create("first", "2580", role="staff")
        assert not s.operators.has_admin()
