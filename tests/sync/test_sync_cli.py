"""``kiosk sync status`` and ``kiosk sync run --until-empty`` against a real broker."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import Config, StationConfig, SyncConfig, save_config
from kiosk.store import Store
from kiosk.sync.crypto import KeyPair
from kiosk_central.ingest import Ingest
from tests.fixtures.broker import MosquittoBroker
from tests.sync.conftest import STATION, enroll

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
    assert status["pending"] == 6 and status["enabled"] is True
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
