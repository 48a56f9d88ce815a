"""``kiosk db migrate``: what the installer runs after an upgrade, on a real old database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.store import engine as eng


def test_migrate_upgrades_after_a_backup_and_records_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "kiosk.sqlite3"
    eng.migrate(db, "0002")  # the schema the previous release left
    rc = main(["--data-dir", str(tmp_path), "--json", "db", "migrate"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 0, report
    head = eng.head_revision()
    assert report["from"] == "0002" and report["to"] == head
    assert list((tmp_path / "backups").glob(f"kiosk-*-pre-{head}.sqlite3"))
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT revision, program_version FROM upgrade_history").fetchall()
    finally:
        conn.close()
    from kiosk import __version__

    assert rows == [(head, __version__)]
    # Again: nothing to do, nothing changed.
    assert main(["--data-dir", str(tmp_path), "--json", "db", "migrate"]) == 0
    assert json.loads(capsys.readouterr().out)["migrated"] is False


def test_migrate_without_a_database_is_fine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "db", "migrate"]) == 0
    assert "nothing to migrate" in capsys.readouterr().out
    assert not (tmp_path / "kiosk.sqlite3").exists()
