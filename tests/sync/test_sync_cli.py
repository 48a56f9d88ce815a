"""``kiosk sync status`` and ``kiosk sync run --until-empty`` against a real broker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import Config, StationConfig, SyncConfig, save_config
from kiosk.store import Store
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.sync.conftest import STATION, enroll, events_of

pytestmark = pytest.mark.timeout(90)


def test_status_and_run_until_empty(
    tmp_path: Path, broker: MosquittoBroker, central_key: KeyPair,
    central_factory: Callable[..., Ingest], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    save_config(Config(station=StationConfig(id=STATION), sync=SyncConfig(
        broker_url=broker.url, central_public_key=central_key.public_b64, ack_timeout_s=5)),
        data_dir / "config.toml")
    with Store.open(data_dir / "kiosk.sqlite3", station_id=STATION) as store:
        templates = enroll(store, 2)
    base = ["--data-dir", str(data_dir)]
    assert main(["sync", "status", "--json", *base]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending"] == events_of(2) and status["enabled"] is True
    ing = central_factory()
    monkeypatch.setenv("KIOSK_MQTT_PASSWORD", broker.password(STATION))
    assert main(["sync", "run", "--until-empty", "--timeout", "30", "--json", *base]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True
    assert ing.db.template_count() == len(templates)
    assert main(["sync", "status", "--json", *base]) == 0
    assert json.loads(capsys.readouterr().out)["pending"] == 0
    monkeypatch.setenv("KIOSK_MQTT_PASSWORD", "wrong")
    with Store.open(data_dir / "kiosk.sqlite3", station_id=STATION) as store:
        enroll(store, 1, start=50)
    assert main(["sync", "run", "--until-empty", "--timeout", "3", "--json", *base]) == 1
    assert json.loads(capsys.readouterr().out)["state"] == "auth-refused"


def test_station_process_sigkilled_after_publish_then_restarted(
    tmp_path: Path, broker: MosquittoBroker, central_key: KeyPair,
    central_factory: Callable[..., Ingest],
) -> None:
    """The real thing: the station is a separate OS process, killed with SIGKILL."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    save_config(Config(station=StationConfig(id=STATION), sync=SyncConfig(
        broker_url=broker.url, central_public_key=central_key.public_b64, ack_timeout_s=3)),
        data_dir / "config.toml")
    db = data_dir / "kiosk.sqlite3"
    with Store.open(db, station_id=STATION) as store:
        templates = enroll(store, 3)
    env = {**os.environ, "KIOSK_MQTT_PASSWORD": broker.password(STATION)}
    cmd = [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "sync", "run"]
    repo = Path(__file__).parents[2]
    # No central yet: the broker PUBACKs, nobody acknowledges.
    proc = subprocess.Popen(cmd, env=env, cwd=repo, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        with Store.open(db, station_id=STATION) as store:
            wait_until(lambda: store.outbox.stats().sent_unacked >= 3, 20,
                       what="rows published by the station process")
    finally:
        proc.kill()
        proc.wait(10)
    ing = central_factory()
    rc = subprocess.run([*cmd, "--until-empty", "--timeout", "40"], env=env, cwd=repo,
                        capture_output=True, timeout=60, check=False)
    assert rc.returncode == 0, rc.stderr.decode()[-2000:]
    assert sorted(r.uuid for r in ing.db.template_rows()) == sorted(templates)
