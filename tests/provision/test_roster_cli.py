"""``kiosk roster import/list``: line-numbered errors, all-or-nothing, dry run, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.store import Store
from tests.provision.conftest import run_cli

GOOD = ("external_id,display_name,role,group,active\n"
        "A-1,Ann Lee,staff,ops,true\n"
        "B-2,Bo Chen,,,false\n")
BAD = ("external_id,display_name,role,group,active\n"
       "A-1,Ann Lee,staff,ops,true\n"
       ",Nobody,staff,ops,true\n"            # line 3: empty id
       "C-3,Cy,staff,ops,maybe\n"            # line 4: bad active
       "A-1,Ann Again,staff,ops,true\n"      # line 5: duplicate
       "D-4,Di,staff,ops,true,extra\n"       # line 6: too many values
       "E-5,Eve,staff,ops,true\n")


def _people(data: Path) -> int:
    with Store.open(data / "kiosk.sqlite3") as store:
        return store.maintenance.counts()["people"]


def test_malformed_csv_reports_lines_and_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "d"
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(BAD)
    rc, out, _ = run_cli(["--data-dir", str(data), "roster", "import", str(csv_file)], capsys)
    assert rc == 1 and out["imported"] == 0
    assert [e["line"] for e in out["errors"]] == [3, 4, 5, 6]
    assert "already on line 2" in out["errors"][2]["error"]
    assert not (data / "kiosk.sqlite3").exists()
    # Human output names the lines too.
    from kiosk.cli import main

    assert main(["--data-dir", str(data), "roster", "import", str(csv_file)]) == 1
    text = capsys.readouterr().out
    assert "line 3: the id is empty" in text and "--skip-bad" in text
    rc, out, _ = run_cli(["--data-dir", str(data), "roster", "import", str(csv_file),
                          "--skip-bad"], capsys)
    assert rc == 0 and out["inserted"] == 2 and out["skipped"] == 4
    assert _people(data) == 2


def test_bad_header_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_file = tmp_path / "h.csv"
    csv_file.write_text("id,colour\nx,y\n")
    rc, out, _ = run_cli(["--data-dir", str(tmp_path / "d"), "roster", "import",
                          str(csv_file)], capsys)
    assert rc == 1 and out["error"] == "bad-csv" and "line 1" in out["message"]
    assert "name" in out["message"]  # says which column is missing


def test_registrar_header_spellings_are_mapped_and_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d"
    one = tmp_path / "one.csv"
    one.write_text("id,name\nx-1,Ann Lee\n")
    rc, out, _ = run_cli(["--data-dir", str(data), "roster", "import", str(one)], capsys)
    assert rc == 0 and out["inserted"] == 1
    assert out["mapped_columns"] == {"id": "external_id", "name": "display_name"}
    two = tmp_path / "two.csv"
    two.write_text("Student ID;First Name;Last Name;Class\n7;Zoë;Müller;3B\n")
    rc, out, _ = run_cli(["--data-dir", str(data), "roster", "import", str(two)], capsys)
    assert rc == 0 and out["inserted"] == 1
    assert out["mapped_columns"]["Student ID"] == "external_id"
    rc, listed, _ = run_cli(["--data-dir", str(data), "roster", "list", "--search", "Müller"],
                            capsys)
    assert [(p["external_id"], p["display_name"], p["group"]) for p in listed["people"]] == [
        ("7", "Zoë Müller", "3B")]


def test_dry_run_then_idempotent_import_and_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "d"
    csv_file = tmp_path / "good.csv"
    csv_file.write_text(GOOD)
    base = ["--data-dir", str(data), "roster"]
    rc, out, _ = run_cli([*base, "import", str(csv_file), "--dry-run"], capsys)
    assert rc == 0 and out["inserted"] == 2 and not (data / "kiosk.sqlite3").exists()
    rc, out, _ = run_cli([*base, "import", str(csv_file)], capsys)
    assert rc == 0 and (out["inserted"], out["unchanged"]) == (2, 0)
    rc, out, _ = run_cli([*base, "import", str(csv_file)], capsys)
    assert rc == 0 and (out["inserted"], out["updated"], out["unchanged"]) == (0, 0, 2)
    rc, out, _ = run_cli([*base, "list", "--search", "ann"], capsys)
    assert rc == 0 and [p["external_id"] for p in out["people"]] == ["A-1"]
    rc, out, _ = run_cli([*base, "list", "--inactive", "--limit", "1"], capsys)
    assert rc == 0 and len(out["people"]) == 1
    with Store.open(data / "kiosk.sqlite3") as store:
        assert store.state.get("roster_version") == "0"  # central's counter untouched
