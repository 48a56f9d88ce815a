"""``kiosk.app.diagnostics`` and ``kiosk doctor``: verdicts with fixes, and a support bundle
that never carries template bytes or passwords."""

from __future__ import annotations

import base64
import json
import os
import zipfile
from pathlib import Path

import pytest

from kiosk.app import LinkState, Station
from kiosk.app.diagnostics import Check
from kiosk.config import Config, SyncConfig, save_config
from kiosk.paths import DataPaths
from kiosk.secrets import set_secret
from kiosk.store import PersonIn
from tests.fixtures.broker import wait_until
from tests.provision.conftest import run_sub

pytestmark = pytest.mark.timeout(90)


def test_self_test_and_bundle_without_templates_or_passwords(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    password = "pw-" + os.urandom(9).hex()
    set_secret(paths, "mqtt-password", password)
    config = Config(sync=SyncConfig(broker_url="mqtt://127.0.0.1:1", username="station-07"))
    station = Station.open(paths, config, simulate=True)
    try:
        template = os.urandom(512)
        store = station.store
        store.people.upsert([PersonIn("P-1", "Ada")], "0")
        store.consents.record("P-1", notice_version="2026-1", notice_text="n",
                             method="on-screen", operator=None)
        store.enrollments.record(external_id="P-1", finger="right-index", slot=3,
                                template=template, sensor_model="R307",
                                template_format="r307-char-512", match_score=90)
        # A careless log line must not leak the password into the bundle.
        paths.logs.mkdir(parents=True, exist_ok=True)
        (paths.logs / "kiosk.log").write_text(f"oops password={password}\n")
        wait_until(lambda: station.sensor_status.connected, 15, what="simulated sensor")
        assert station.sync.enabled
        wait_until(lambda: station.sync.state.reason not in (LinkState.CONNECTING,
                                                             LinkState.DISABLED), 15,
                   what="sync verdict")
        checks = station.self_test()
        (tmp_path / "out").mkdir()
        bundle = station.write_bundle(tmp_path / "out", checks)
    finally:
        station.close()
    assert all(isinstance(c, Check) for c in checks)
    by_name = {c.name.english(): c for c in checks}
    assert set(by_name) >= {"Fingerprint sensor", "Station database", "Central server",
                            "Disk space", "Clock"}
    assert by_name["Fingerprint sensor"].ok and by_name["Clock"].ok
    central = by_name["Central server"]
    assert not central.ok and central.fix  # unreachable broker: a verdict and what to do
    assert bundle.name.startswith("diagnostics-station-01-") and bundle.suffix == ".zip"
    with zipfile.ZipFile(bundle) as z:
        names = set(z.namelist())
        blob = b"".join(z.read(n) for n in names)
    assert {"versions.json", "config.json", "status.json", "logs/kiosk.log"} <= names
    status = json.loads(zipfile.ZipFile(bundle).read("status.json"))
    # consent, template and the attempt that made it
    assert status["outbox"]["pending"] == 3 and len(status["self_test"]) == len(checks)
    for needle in (password.encode(), template[:32], template.hex()[:64].encode(),
                   template.hex()[:64].upper().encode(), base64.b64encode(template)[:40],
                   b"station-07"):
        assert needle not in blob, needle[:20]


def test_kiosk_doctor_exit_codes(tmp_path: Path) -> None:
    data = tmp_path / "d"
    ok = run_sub("kiosk", "--data-dir", str(data), "--json", "doctor", "--simulate")
    report = json.loads(ok.stdout)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert report["ok"] is True and all(c["ok"] for c in report["checks"])
    save_config(Config(sync=SyncConfig(broker_url="mqtt://127.0.0.1:1")), data / "config.toml")
    bad = run_sub("kiosk", "--data-dir", str(data), "doctor", "--simulate", "--wait", "3")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "[FAIL] Central server" in bad.stdout and "fix:" in bad.stdout
    zipped = run_sub("kiosk", "--data-dir", str(data), "--json", "diagnostics",
                     str(tmp_path / "b.zip"), "--port", "loop://", "--wait", "1")
    assert zipped.returncode == 0, zipped.stdout + zipped.stderr
    assert zipfile.ZipFile(tmp_path / "b.zip").testzip() is None
