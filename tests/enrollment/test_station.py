"""The Station facade: store, sensor and (when configured) sync; secrets stay out of config."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from kiosk.app import ConsentMethod, Finger, LinkState, Station
from kiosk.config import Config, SyncConfig
from kiosk.enrollment.events import Result
from kiosk.paths import DataPaths
from kiosk.secrets import ENV_MQTT_PASSWORD, get_secret, mqtt_password, set_secret
from kiosk.sim import AutoPerson
from kiosk.store.records import PersonIn


def test_secret_roundtrip_is_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_MQTT_PASSWORD, raising=False)
    paths = DataPaths(tmp_path)
    assert mqtt_password(paths) is None
    where = set_secret(paths, "mqtt-password", "s3cret")
    assert "readable only by the station's account" in where  # the key file (no key store)
    assert get_secret(paths, "mqtt-password") == "s3cret"
    assert mqtt_password(paths) == "s3cret"
    mode = stat.S_IMODE(os.stat(paths.secrets / "mqtt-password").st_mode)
    assert mode & 0o077 == 0, oct(mode)
    monkeypatch.setenv(ENV_MQTT_PASSWORD, "from-env")
    assert mqtt_password(paths) == "from-env"


def test_simulated_station_enrolls_offline(tmp_path: Path) -> None:
    station = Station.open(DataPaths(tmp_path), Config(), simulate=True)
    try:
        assert not station.sync.enabled  # no broker configured: offline station
        assert station.simulation is not None
        station.store.people.upsert([PersonIn("S-1", "Ada")], "1")
        station.desk.record_consent("S-1", ConsentMethod.ON_SCREEN, None)
        AutoPerson(station.simulation.sim, "ada:left-index").install()
        done = threading.Event()
        results: list[Result] = []

        def finished(r: Result) -> None:
            results.append(r)
            done.set()

        station.desk.enroll("S-1", Finger.LEFT_INDEX, None, done=finished)
        assert done.wait(20)
        assert results[0].ok, results[0]
        assert station.store.outbox.stats().pending >= 1
    finally:
        station.close()


def test_configured_broker_starts_the_sync_worker(tmp_path: Path) -> None:
    cfg = Config(sync=SyncConfig(broker_url="mqtt://127.0.0.1:1"))
    station = Station.open(DataPaths(tmp_path), cfg, start_sensor=False, start_sync=False)
    try:
        assert station.sync.enabled
        state = station.sync.state
        assert state.enabled and not state.online
        assert state.reason is LinkState.CONNECTING
    finally:
        station.close()
