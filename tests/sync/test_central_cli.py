"""``kiosk-central`` commands, including ``serve`` as a real subprocess next to a station."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.sync.worker import SyncWorker
from kiosk_central.cli import main
from kiosk_central.db import CentralDB
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.sync.conftest import STATION, Enrolled

pytestmark = pytest.mark.timeout(90)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    rc = main([*argv, "--json"])
    out = capsys.readouterr().out
    return rc, json.loads(out)


def test_keygen_roster_list_forget(
    tmp_path: Path, broker: MosquittoBroker, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    rc, out = run(capsys, "keygen", "--out", str(tmp_path / "central.key"))
    assert rc == 0 and len(str(out["public_key"])) == 44
    assert (tmp_path / "central.key").stat().st_mode & 0o077 == 0
    assert run(capsys, "keygen", "--out", str(tmp_path / "central.key"))[0] == 1  # no overwrite
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("external_id,display_name,active\nA-1,Ann,true\nB-2,Bo,false\n")
    monkeypatch.setenv("KIOSK_CENTRAL_PASSWORD", broker.password("central"))
    rc, out = run(capsys, "roster", "import", str(csv_file), "--db", db, "--publish",
                  "--broker", broker.url)
    assert rc == 0 and out["version"] == 1
    assert out["published"] == {"mode": "paged", "version": 1, "pages": 1, "people": 2,
                                "deltas": 0, "cleared_pages": 0, "bytes": out["published"][
                                    "bytes"]}  # type: ignore[index]
    rc, out = run(capsys, "roster", "publish", "--db", db, "--legacy", "--station", STATION,
                  "--broker", broker.url)
    assert rc == 0 and out["mode"] == "legacy" and out["published_to"] == [STATION]
    bad = tmp_path / "bad.csv"
    bad.write_text("code,label\nx,y\n")
    assert run(capsys, "roster", "import", str(bad), "--db", db)[0] == 2
    rc, out = run(capsys, "list", "--db", db)
    assert rc == 0 and out["people"] == 2 and out["templates"] == 0
    rc, out = run(capsys, "forget", "A-1", "--db", db, "--station", STATION,
                  "--broker", broker.url)
    assert rc == 0 and out["published"] is True and len(out["requests"]) == 1  # type: ignore[arg-type]
    monkeypatch.setenv("KIOSK_CENTRAL_PASSWORD", "wrong")
    rc, out = run(capsys, "roster", "publish", "--db", db, "--station", STATION,
                  "--broker", broker.url)
    assert rc == 1 and "refused" in str(out["message"])


def test_serve_subprocess_ingests_and_stops_cleanly(
    tmp_path: Path, broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    worker_factory: Callable[..., SyncWorker], central_key: object,
) -> None:
    db_url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    CentralDB(db_url).import_people([(f"P-{i:05d}", "x", True) for i in range(5)])
    key_file = tmp_path / "central.key"
    key_file.write_text(central_key.private_b64)  # type: ignore[attr-defined]
    env = {**os.environ, "KIOSK_CENTRAL_PASSWORD": broker.password("central")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk_central.cli", "serve", "--broker", broker.url,
         "--key-file", str(key_file), "--db", db_url, "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).parents[2],
    )
    drained = False
    try:
        e = station_store(3)
        broker.wait_log("u'central'", 30)
        worker_factory(e.store)
        wait_until(e.outbox_empty, 45, what="drained through the serve subprocess")
        drained = True
        assert CentralDB(db_url).template_count() == 6
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        if not drained:  # show what the service said
            print(err.decode(errors="replace")[-3000:])
    assert proc.returncode == 0, err.decode()[-2000:]
    assert json.loads(out)["counts"]["stored"] == 6
    log = err.decode()
    for data in e.templates.values():
        assert data.hex()[:64] not in log
