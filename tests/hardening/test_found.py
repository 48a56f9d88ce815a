"""What the hardening suites found, each pinned by a focused test that failed before its fix
(the suite that found it is named in each docstring)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.store import Store
from kiosk.store import engine as eng

pytestmark = pytest.mark.hardening

CLEAR = bytes(range(256)) * 2


def _release_01_database(path: Path) -> None:
    """Schema 0001 with one template in clear, as release 0.1 wrote it."""
    eng.migrate(path, "0001")
    conn = sqlite3.connect(path)
    now = "2026-01-05 10:00:00.000000"
    conn.execute("INSERT INTO people (external_id, display_name, role, group_name, active, "
                 "roster_version, updated_at) VALUES ('S-1', 'Ada', 'student', '', 1, 'r1', ?)",
                 (now,))
    conn.execute("INSERT INTO consents (uuid, person_id, notice_version, text_sha256, method, "
                 "station_id, at) VALUES ('c-1', 1, '2025-1', 'ab', 'signed-paper', 'st', ?)",
                 (now,))
    conn.execute(
        "INSERT INTO templates (uuid, person_id, finger, sensor_slot, template, length, "
        "sensor_model, template_format, sha256, created_at, station_id, sync_state, shredded) "
        "VALUES ('t-1', 1, 2, 5, ?, 512, 'R307', 'r307-char', 'x', ?, 'st', 'queued', 0)",
        (CLEAR, now))
    conn.commit()
    conn.close()


def test_db_migrate_upgrades_a_database_holding_templates_in_clear(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """crash suite (migration window): ``kiosk db migrate`` — what the installer runs after
    an upgrade — refused every release-0.1 database that held templates ("sealed with
    another data key"): it looked at the file before upgrading it, and a template in clear
    does not open with any key."""
    _release_01_database(tmp_path / "kiosk.sqlite3")
    rc = main(["--data-dir", str(tmp_path), "--json", "db", "migrate"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 0, report
    assert report["from"] == "0001" and report["to"] == eng.head_revision()
    with Store.open(tmp_path / "kiosk.sqlite3") as store:
        assert store.enrollments.template_bytes("t-1") == CLEAR


def test_an_unfinished_pre_upgrade_copy_does_not_stay_behind(tmp_path: Path) -> None:
    """crash suite (migration window): a program killed while it wrote the copy taken before
    the upgrade left ``backups/…pre-….sqlite3.part`` behind for good — with the templates in
    clear, since that copy is sealed only once it is complete."""
    db = tmp_path / "kiosk.sqlite3"
    _release_01_database(db)
    backups = tmp_path / "backups"
    backups.mkdir()
    # What the killed start left: the unsealed copy under its temporary name.
    part = backups / f"kiosk-20260105T100000Z-pre-{eng.head_revision()}.sqlite3.part"
    conn = sqlite3.connect(db)
    conn.execute(f"VACUUM INTO '{part}'")
    conn.close()
    assert CLEAR in part.read_bytes()
    with Store.open(db, backups_dir=backups) as store:
        assert store.enrollments.template_bytes("t-1") == CLEAR
    assert not part.exists()
    for f in backups.iterdir():
        assert CLEAR not in f.read_bytes(), f.name
