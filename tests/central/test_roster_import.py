"""``kiosk-central roster import`` on real registrar exports: spellings it maps, files it
refuses with a clear message (and then changes nothing), never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk_central.cli import main
from kiosk_central.db import CentralDB

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    rc = main([*argv, "--json"])
    return rc, json.loads(capsys.readouterr().out)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'c' / 'central.sqlite3'}"


@pytest.mark.parametrize(("header", "row", "mapped"), [
    ("external_id,display_name,active", "S-1,Ann Lee,yes",
     {"external_id": "external_id", "display_name": "display_name", "active": "active"}),
    ("Student ID,Name,Class", "S-1,Ann Lee,7B",
     {"external_id": "Student ID", "display_name": "Name", "group": "Class"}),
    ("id;first_name;last_name;status", "S-1;Ann;Lee;active",
     {"external_id": "id", "display_name": "first_name + last_name", "active": "status"}),
    ("ID\tSurname\tForename\tRole", "S-1\tLee\tAnn\tstudent",
     {"external_id": "ID", "display_name": "Forename + Surname", "role": "Role"}),
])
def test_common_header_spellings_are_mapped_and_reported(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str], header: str, row: str,
    mapped: dict[str, str],
) -> None:
    f = tmp_path / "people.csv"
    f.write_text(f"\ufeff{header}\n{row}\n\n", encoding="utf-8")
    rc, out = run(capsys, "roster", "import", str(f), "--db", db)
    assert rc == 0, out
    assert out["mapped"] == mapped and out["people"] == 1 and out["blank_rows"] == 1
    got = CentralDB(db).people_rows()
    assert got == [("S-1", "Ann Lee", True)]


BAD: list[tuple[str, bytes, str]] = [
    ("latin-1", "id,name\nS-1,José Müller\n".encode("latin-1"), "not UTF-8 (line 2"),
    ("utf-16", "id,name\nS-1,Ann\n".encode("utf-16"), "UTF-16"),
    ("binary", b"PK\x03\x04\x14\x00\x00\x00" + bytes(range(256)) * 4, "NUL bytes"),
    ("nul", b"id,name\nS-1,An\x00n\n", "NUL bytes (first on line 2)"),
    ("unterminated", b'id,name\nS-1,"Ann Lee\nS-2,Bo\nS-3,Cy\n', "never closed"),
    ("spans-lines", b'id,name\nS-1,"Ann\nLee"\nS-2,Bo\n', "runs on to line 3"),
    ("extra-fields", b"id,name\nS-1,Lee, Ann\n", "3 fields but the header has 2"),
    ("duplicate", b"id,name\nS-1,Ann\nS-1,Bo\n", "already appears on line 2"),
    ("bad-active", b"id,name,active\nS-1,Ann,maybe\n", "active is 'maybe'"),
    ("no-id", b"code,label\nS-1,Ann\n", "no id column"),
    ("ambiguous", b"id,student_id,name\n1,S-1,Ann\n", "could be the external_id"),
    ("empty-name", b"id,name\nS-1,\n", "the name is empty"),
    ("too-long", b"id,name\n" + b"S" * 65 + b",Ann\n", "longer than 64"),
    ("control", b"id,name\nS-1,Ann\x07\n", "control characters"),
    ("empty", b"", "empty"),
    ("header-only", b"id,name\n", "no people"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_unreadable_files_are_refused_with_a_clear_message_and_change_nothing(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str], name: str, content: bytes,
    message: str,
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("id,name\nS-9,Zed\n")
    assert run(capsys, "roster", "import", str(good), "--db", db)[0] == 0
    f = tmp_path / f"{name}.csv"
    f.write_bytes(content)
    rc, out = run(capsys, "roster", "import", str(f), "--db", db)
    assert rc == 2 and message in str(out["message"]), out
    assert CentralDB(db).people_rows() == [("S-9", "Zed", True)]  # nothing imported
    assert CentralDB(db).roster_version() == 1


def test_explicit_encodings_are_honoured(tmp_path: Path, db: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "latin.csv"
    f.write_bytes("id,name\nS-1,José Müller\n".encode("latin-1"))
    assert run(capsys, "roster", "import", str(f), "--db", db, "--encoding", "latin-1")[0] == 0
    g = tmp_path / "utf16.csv"
    g.write_bytes("id,name\nS-2,Zoë\n".encode("utf-16"))
    rc, out = run(capsys, "roster", "import", str(g), "--db", db, "--encoding", "utf-16",
                  "--dry-run")
    assert rc == 0 and out["dry_run"] is True and out["people"] == 1
    assert CentralDB(db).people_rows() == [("S-1", "José Müller", True)]


def test_no_traceback_reaches_the_user(tmp_path: Path) -> None:
    bad = tmp_path / "bin.csv"
    bad.write_bytes(bytes(range(256)))
    db = f"sqlite:///{tmp_path / 'x' / 'c.sqlite3'}"
    cases = [
        ["roster", "import", str(bad), "--db", db],
        ["roster", "import", str(tmp_path / "missing.csv"), "--db", db],
        ["list", "--db", "nonsense://x"],
        ["list", "--db", "sqlite:////proc/no/such/dir/c.db"],
        ["subject-report", "P", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x"],
        ["audit", "verify", "--db", db],
        ["serve", "--broker", "mqtt://127.0.0.1:1", "--db", db],
        ["template", "export", "--person", "P", "--purpose", "x", "--out", "f", "--db", db],
    ]
    for argv in cases:
        p = subprocess.run([sys.executable, "-m", "kiosk_central.cli", *argv], cwd=REPO,
                           capture_output=True, text=True, timeout=60, check=False)
        assert p.returncode in (1, 2), (argv, p.stdout, p.stderr)
        assert "Traceback" not in p.stderr + p.stdout, (argv, p.stderr)
        assert "Error: " in p.stderr, (argv, p.stderr)
