"""Migrations: upgrade with data keeps it intact, takes a backup first, matches the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kiosk.store import MigrationFailed, Store
from kiosk.store import engine as eng
from kiosk.store.models import Base
from tests.store.conftest import enroll


def _seed_first_revision(path: Path) -> None:
    """Data written with the 0001 schema, by plain SQL as that version's program would."""
    conn = sqlite3.connect(path)
    now = "2026-01-05 10:00:00.000000"
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executemany(
        "INSERT INTO people (external_id, display_name, role, group_name, active, roster_version,"
        " updated_at) VALUES (?, ?, 'student', '', 1, 'r1', ?)",
        [("S-1", "Zoë Müller", now), ("S-2", "Peter Smithson", now), ("S-3", "Ann Lee", now)],
    )
    conn.execute(
        "INSERT INTO consents (uuid, person_id, notice_version, text_sha256, method, station_id,"
        " at) VALUES ('c-1', 2, '2025-1', 'ab', 'signed-paper', 'st', ?)",
        (now,),
    )
    conn.execute(
        "INSERT INTO templates (uuid, person_id, finger, sensor_slot, template, length, "
        "sensor_model, template_format, sha256, created_at, station_id, sync_state, shredded) "
        "VALUES ('t-1', 2, 2, 5, ?, 4, 'R307', 'r307-char', 'x', ?, 'st', 'queued', 0)",
        (b"\x01\x02\x03\x04", now),
    )
    conn.execute(
        "INSERT INTO outbox (kind, aggregate_uuid, payload, state, attempts, next_attempt_at,"
        " last_error, created_at) VALUES ('template', 't-1', '{\"a\": 1}', 'pending', 0, ?, '',"
        " ?)",
        (now, now),
    )
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, subject) VALUES (?, 'desk', 'enroll', 'S-2')",
        (now,),
    )
    conn.commit()
    conn.close()


def test_upgrade_from_first_revision_keeps_data(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    backups = tmp_path / "backups"
    eng.migrate(db, "0001")
    _seed_first_revision(db)

    with Store.open(db, backups_dir=backups) as store:
        assert store.schema_revision() == eng.head_revision() == "0003"
        counts = store.counts()
        assert (counts["people"], counts["templates"], counts["outbox"], counts["consents"]) == (
            3, 1, 1, 1,
        )
        assert store.template_bytes("t-1") == b"\x01\x02\x03\x04"
        consent = store.active_consent("S-2")
        assert consent is not None and consent.method == "signed-paper"
        assert consent.language == ""  # the column added by 0002
        assert store.outbox_due()[0].payload == {"a": 1}
        # The search index added by 0002 covers people inserted before it existed.
        assert [p.external_id for p in store.search_people("smith")] == ["S-2"]
        assert [p.external_id for p in store.search_people("MÜLL")] == ["S-1"]
        assert store.integrity_check().ok
        assert [a.action for a in store.audit_entries()][-1] == "enroll"

    copies = list(backups.glob("kiosk-*-pre-0003.sqlite3"))
    assert len(copies) == 1
    conn = sqlite3.connect(copies[0])
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert conn.execute("SELECT count(*) FROM people").fetchone() == (3,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_up_to_date_database_is_not_backed_up_again(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    Store.open(db, backups_dir=tmp_path / "b").close()
    Store.open(db, backups_dir=tmp_path / "b").close()
    assert not (tmp_path / "b").exists()


def test_search_index_follows_updates_after_upgrade(tmp_path: Path) -> None:
    from kiosk.store import PersonIn

    db = tmp_path / "kiosk.sqlite3"
    eng.migrate(db, "0001")
    _seed_first_revision(db)
    with Store.open(db, backups_dir=tmp_path / "b") as store:
        store.upsert_people([PersonIn("S-2", "Peter Jackson")], "r2")
        assert store.search_people("smith") == []
        assert [p.external_id for p in store.search_people("jacks")] == ["S-2"]


def test_models_match_migrations(tmp_path: Path) -> None:
    """The head schema made by migrations is exactly what the ORM models describe."""
    db = tmp_path / "kiosk.sqlite3"
    eng.migrate(db)
    engine = eng.create_store_engine(db, pooled=False)

    def include(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
        return not (type_ == "table" and name is not None and name.startswith("people_fts"))

    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include}
            )
            diffs = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diffs == []


def test_enrollment_after_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    eng.migrate(db, "0001")
    _seed_first_revision(db)
    with Store.open(db, backups_dir=tmp_path / "b") as store:
        store.record_consent("S-3", notice_version="2026-1", notice_text="n", method="on-screen",
                             operator=None, language="en")
        store.create_operator("desk", "1357")
        uid = enroll(store, "S-3", slot=6)
        assert store.template_slots() == {5: "t-1", 6: uid}


def test_failed_upgrade_is_rolled_back(tmp_path: Path) -> None:
    """0002 fails at its last step (a table in the way): its earlier DDL is undone too."""
    db = tmp_path / "kiosk.sqlite3"
    eng.migrate(db, "0001")
    _seed_first_revision(db)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE people_fts (x)")
    conn.commit()
    conn.close()
    with pytest.raises(MigrationFailed) as info:
        Store.open(db, backups_dir=tmp_path / "b")
    assert "rolled back" in str(info.value) and info.value.hint
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        cols = [r[1] for r in conn.execute("PRAGMA table_info(consents)")]
        assert "language" not in cols
        indexes = [r[1] for r in conn.execute("PRAGMA index_list(people)")]
        assert "ix_people_search" not in indexes
        assert conn.execute("SELECT count(*) FROM people").fetchone() == (3,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    assert len(list((tmp_path / "b").glob("kiosk-*-pre-0003.sqlite3"))) == 1
