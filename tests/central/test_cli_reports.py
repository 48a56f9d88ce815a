"""``kiosk-central subject-report``, ``audit verify`` and the upgrade of an older database,
as the commands a data-protection officer and an operator run."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

import kiosk_contract as c
from kiosk_central.apply import Batch
from kiosk_central.cli import main
from kiosk_central.db import CentralDB
from kiosk_central.vault import LocalMasterKey, Vault
from tests.central.samples import audit_entries, new_id, template_meta


@pytest.fixture
def db(tmp_path: Path) -> CentralDB:
    d = CentralDB(f"sqlite:///{tmp_path / 'c' / 'central.sqlite3'}",
                  Vault(LocalMasterKey(os.urandom(32), "test")))
    d.import_people([("P-1", "Ann Lee", True)])
    return d


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    try:
        return rc, json.loads(out.out), out.err
    except ValueError:
        return rc, out.out, out.err


def test_subject_report_lists_everything_but_template_bytes(
    db: CentralDB, capsys: pytest.CaptureFixture[str],
) -> None:
    data = os.urandom(512)
    meta = template_meta(data, person="P-1")
    db.store_template(meta, data)
    with db.engine.begin() as conn:
        b = Batch(conn, db.dialect, db.vault)
        b.consent(c.ConsentMessage(new_id(), "given", "P-1", "station-01", "op", c.utc_now_iso(),
                                   {"notice_version": "2026-1", "method": "on-screen"}, new_id()))
    rc, rep, _ = cli(capsys, "subject-report", "P-1", "--db", db.url, "--json")
    assert rc == 0 and isinstance(rep, dict)
    assert rep["consents"][0]["notice_version"] == "2026-1"
    assert rep["enrollments_by_finger"]["right-index"][0]["station"] == "station-01"
    text = json.dumps(rep)
    for form in (data.hex()[:32], data[:24].hex(), c.sealing.b64e(data)[:32]):
        assert form not in text
    rc, human, _ = cli(capsys, "subject-report", "P-1", "--db", db.url)
    assert rc == 0 and "2026-1" in str(human) and "right-index" in str(human)


def test_audit_verify_says_ok_or_where_it_breaks(db: CentralDB,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    chain = audit_entries(30)
    with db.engine.begin() as conn:
        Batch(conn, db.dialect, None).audit(c.AuditMessage(new_id(), "station-01",
                                                           tuple(chain[:12])))
        Batch(conn, db.dialect, None).audit(c.AuditMessage(new_id(), "station-01",
                                                           tuple(chain[15:])))
    rc, out, _ = cli(capsys, "audit", "verify", "station-01", "--db", db.url, "--json")
    assert rc == 1 and isinstance(out, dict)
    assert (out["ok"], out["seq"], out["kind"], out["entries"]) == (False, 13, "cut", 12)
    rc, human, _ = cli(capsys, "audit", "verify", "station-01", "--db", db.url)
    assert rc == 1 and "BROKEN at entry 13" in str(human)
    with db.engine.begin() as conn:
        Batch(conn, db.dialect, None).audit(c.AuditMessage(new_id(), "station-01",
                                                           tuple(chain[12:15])))
    rc, out, _ = cli(capsys, "audit", "verify", "station-01", "--db", db.url, "--json")
    assert rc == 0 and isinstance(out, dict) and out["ok"] and out["last_seq"] == 30
    assert cli(capsys, "audit", "verify", "station-09", "--db", db.url)[0] == 1  # nothing yet
    rc, out, _ = cli(capsys, "audit", "verify", "--central", "--db", db.url, "--json")
    assert rc == 0 and isinstance(out, dict) and out["entries"] >= 1  # the roster import
    with sqlite3.connect(db.url.removeprefix("sqlite:///")) as con:  # someone edits a row
        con.execute("UPDATE central_audit SET actor = 'nobody' WHERE seq = 1")
    rc, out, _ = cli(capsys, "audit", "verify", "--central", "--db", db.url, "--json")
    assert rc == 1 and isinstance(out, dict) and (out["seq"], out["kind"]) == (1, "content")


def test_an_older_central_database_gains_the_new_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "old" / "central.sqlite3"
    path.parent.mkdir(mode=0o700)
    with sqlite3.connect(path) as con:
        con.executescript("""
            CREATE TABLE people (external_id VARCHAR(128) PRIMARY KEY, display_name
                VARCHAR(200) NOT NULL, active BOOLEAN NOT NULL, roster_version INTEGER NOT NULL);
            INSERT INTO people VALUES ('A-1', 'Ann', 1, 1);
            CREATE TABLE stations (station VARCHAR(64) PRIMARY KEY, state VARCHAR(16) NOT NULL,
                software VARCHAR(64) NOT NULL, seen_at DATETIME NOT NULL);
            INSERT INTO stations VALUES ('station-01', 'online', '1.0', '2026-01-01 00:00:00');
            CREATE TABLE settings (key VARCHAR(64) PRIMARY KEY, value VARCHAR(4000) NOT NULL);
            INSERT INTO settings VALUES ('roster_version', '1');
        """)
    url = f"sqlite:///{path}"
    csv = tmp_path / "p.csv"
    csv.write_text("id,name,group\nA-1,Ann,7B\nB-2,Bo,7C\n")
    rc, out, _ = cli(capsys, "roster", "import", str(csv), "--db", url, "--json")
    assert rc == 0 and isinstance(out, dict) and out["version"] == 2 and out["upserts"] == 2
    d = CentralDB(url)
    assert d.station_schemas() == {"station-01": 1}
    assert d.people_rows() == [("A-1", "Ann", True), ("B-2", "Bo", True)]
