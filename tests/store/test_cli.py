"""``kiosk db backup|check|export-audit`` against a real data folder."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.store import PersonIn, Store
from kiosk.store import engine as eng


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    with Store.open(d / "kiosk.sqlite3") as s:
        s.people.upsert([PersonIn("S-1", "Ann Lee")], "r1")
    return d


def test_check_ok(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "check", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Integrity: ok" in out and "people 1" in out and "Result:    OK" in out
    assert main(["db", "check", "--json", "--data-dir", str(data_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["schema_revision"] == data["head_revision"]


def test_check_fails_on_damage(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = data_dir / "kiosk.sqlite3"
    db.write_bytes(b"not a database at all" * 100)
    assert main(["db", "check", "--data-dir", str(data_dir)]) == 1
    assert "not a SQLite database" in capsys.readouterr().err
    assert db.read_bytes() == b"not a database at all" * 100


def test_check_reports_an_old_schema(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = data_dir / "kiosk.sqlite3"
    for f in data_dir.iterdir():
        if f.is_file():
            f.unlink()
    eng.migrate(old, "0001")
    assert main(["db", "check", "--data-dir", str(data_dir)]) == 1
    assert "start the station once to upgrade it" in capsys.readouterr().out
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    conn.close()


def test_backup_and_export(data_dir: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "copy.sqlite3"
    assert main(["db", "backup", str(dest), "--data-dir", str(data_dir)]) == 0
    conn = sqlite3.connect(dest)
    assert conn.execute("SELECT display_name FROM people").fetchall() == [("Ann Lee",)]
    conn.close()
    folder = tmp_path / "many"
    folder.mkdir()
    assert main(["db", "backup", str(folder), "--data-dir", str(data_dir)]) == 0
    assert len(list(folder.glob("kiosk-*.sqlite3"))) == 1
    capsys.readouterr()
    csv_path = tmp_path / "audit.csv"
    assert main(["db", "export-audit", str(csv_path), "--json",
                 "--data-dir", str(data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == 1
    assert "roster-import" in csv_path.read_text(encoding="utf-8")


def test_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "check", "--data-dir", str(tmp_path)]) == 1
    assert "no station database" in capsys.readouterr().err
    assert not (tmp_path / "kiosk.sqlite3").exists()


def test_check_finds_a_template_damaged_inside_the_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Corrupt-files suite: one flipped byte inside a sealed template left SQLite's
    integrity check "ok", and ``kiosk db check`` said OK for a template that no longer
    opens."""
    from kiosk import keystore
    from kiosk.paths import DataPaths
    from kiosk.store import ConsentMethod

    monkeypatch.setenv("KIOSK_KEYSTORE", "file")
    paths = DataPaths(tmp_path / "data").ensure()
    with Store.open(paths.database, station_id="st-1",
                    keys=keystore.choose(paths.secrets)) as s:
        s.people.upsert([PersonIn("S-1", "Ann Lee")], "r1")
        s.consents.record("S-1", notice_version="1", notice_text="n",
                          method=ConsentMethod.ON_SCREEN, operator=None)
        uid = s.enrollments.record(external_id="S-1", finger="right-index", slot=0,
                                   template=bytes(512), sensor_model="R307",
                                   template_format="r307-char-512", match_score=90)
    conn = sqlite3.connect(paths.database)
    (blob,) = conn.execute("SELECT template FROM templates WHERE uuid = ?", (uid,)).fetchone()
    damaged = bytearray(blob)
    damaged[len(damaged) // 2] ^= 0x10
    conn.execute("UPDATE templates SET template = ? WHERE uuid = ?", (bytes(damaged), uid))
    conn.commit()
    conn.close()
    assert main(["db", "check", "--json", "--data-dir", str(paths.root)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["integrity"] == ["ok"] and data["unreadable_templates"] == [uid]
    assert main(["db", "check", "--data-dir", str(paths.root)]) == 1
    assert "1 damaged" in capsys.readouterr().out
