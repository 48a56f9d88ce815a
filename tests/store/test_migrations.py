"""Migrations: upgrade with data keeps it intact, takes a backup first, matches the models."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kiosk.store import DeletionReceiptEvent, MigrationFailed, Store, TemplateEvent
from kiosk.store import engine as eng
from kiosk.store.models import Base
from tests.store.conftest import enroll

#: The newest schema this program ships (the tests upgrade to it).
HEAD = eng.head_revision()

REQUEST = "0d9c7f3e-2a4b-4c5d-8e6f-708192a3b4c5"
#: Outbox payloads exactly as version 0.1 wrote them.
TEMPLATE_PAYLOAD_V01 = {
    "template_uuid": "t-1", "external_id": "S-2", "finger": 2, "finger_name": "right-index",
    "sensor_slot": 5, "length": 4, "sha256": "x", "sensor_model": "R307",
    "template_format": "r307-char", "match_score": 80, "retries": 0, "consent_uuid": "c-1",
    "created_at": "2026-01-05T10:00:00+00:00", "station_id": "st", "operator": None,
}
RECEIPT_PAYLOAD_V01 = {
    "tombstone_uuid": "d-1", "external_id": "S-3", "template_uuids": [],
    "reason": f"central deletion request {REQUEST}", "actor": "central", "station_id": "st",
    "deleted_at": "2026-01-05T10:00:00+00:00",
}


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
        " last_error, created_at) VALUES ('template', 't-1', ?, 'pending', 0, ?, '', ?)",
        (json.dumps(TEMPLATE_PAYLOAD_V01), now, now),
    )
    conn.execute(
        "INSERT INTO deletion_tombstones (uuid, person_id, external_id, template_uuids, slots,"
        " reason, actor, station_id, deleted_at) VALUES ('d-1', 3, 'S-3', '[]', '[]', ?,"
        " 'central', 'st', ?)", (f"central deletion request {REQUEST}", now),
    )
    conn.execute(
        "INSERT INTO outbox (kind, aggregate_uuid, payload, state, attempts, next_attempt_at,"
        " last_error, created_at) VALUES ('deletion-receipt', 'd-1', ?, 'pending', 0, ?, '', ?)",
        (json.dumps(RECEIPT_PAYLOAD_V01), now, now),
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
        assert store.maintenance.schema_revision() == eng.head_revision() == HEAD
        counts = store.maintenance.counts()
        assert (counts["people"], counts["templates"], counts["outbox"], counts["consents"]) == (
            3, 1, 2, 1,
        )
        assert store.enrollments.template_bytes("t-1") == b"\x01\x02\x03\x04"
        consent = store.consents.active("S-2")
        assert consent is not None and consent.method == "signed-paper"
        assert consent.language == ""  # the column added by 0002
        template_row, receipt_row = store.outbox.due()
        assert isinstance(template_row.payload, TemplateEvent)
        assert template_row.payload.to_json()["sha256"] == "x"
        # 0003 moved central's request id out of the free-text reason into its own field.
        assert isinstance(receipt_row.payload, DeletionReceiptEvent)
        assert receipt_row.payload.request_id == REQUEST
        # The search index added by 0002 covers people inserted before it existed.
        assert [p.external_id for p in store.people.search("smith")] == ["S-2"]
        assert [p.external_id for p in store.people.search("MÜLL")] == ["S-1"]
        assert store.maintenance.integrity_check().ok
        assert [a.action for a in store.audit.entries()][-1] == "enroll"
        # The upgrade is on record: which program took the file to which revision.
        from kiosk import __version__

        assert [(r, v) for r, v, _ in store.maintenance.upgrade_history()] == [
            (HEAD, __version__)]

    copies = list(backups.glob(f"kiosk-*-pre-{HEAD}.sqlite3"))
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
        store.people.upsert([PersonIn("S-2", "Peter Jackson")], "r2")
        assert store.people.search("smith") == []
        assert [p.external_id for p in store.people.search("jacks")] == ["S-2"]


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
        store.consents.record("S-3", notice_version="2026-1", notice_text="n", method="on-screen",
                             operator=None, language="en")
        store.operators.create("desk", "1357")
        uid = enroll(store, "S-3", slot=6)
        assert store.slots.template_slots() == {5: "t-1", 6: uid}


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
    assert len(list((tmp_path / "b").glob(f"kiosk-*-pre-{HEAD}.sqlite3"))) == 1
