"""Acceptance: keygen → provision → kiosk provision → roster import → enroll (kiosk-sim) →
kiosk sync with kiosk-central serve running → central holds the template → nothing pending.

Every step is the real command as a subprocess, against a real Mosquitto whose password file
and ACL are the ones ``kiosk-central provision --broker-dir`` edits.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.provision.conftest import REPO, broker_pid, password_in, run_sub

pytestmark = pytest.mark.timeout(120)
STATION = "station-07"


def _ok(proc: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data: dict[str, object] = json.loads(proc.stdout)
    return data


def test_provision_enroll_sync_end_to_end(tmp_path: Path, broker: MosquittoBroker) -> None:
    central = tmp_path / "central"
    central.mkdir()
    key = central / "central.key"
    db_url = f"sqlite:///{central / 'central.sqlite3'}"
    keys = _ok(run_sub("kiosk_central.cli", "keygen", "--out", str(key), "--json"))
    assert (central / "central.signing.key").stat().st_mode & 0o077 == 0

    reloads = broker.log_text().count("Reloading config")
    prov_file = central / f"{STATION}.SECRET.kioskprov"
    prov = _ok(run_sub("kiosk_central.cli", "provision", STATION, "--key-file", str(key),
                       "--out", str(prov_file), "--broker-url", broker.url, "--broker-dir",
                       str(broker.workdir), "--broker-pid", broker_pid(broker), "--json"))
    assert prov["signing_key_fingerprint"] == keys["signing_key_fingerprint"]
    wait_until(lambda: broker.log_text().count("Reloading config") > reloads, 10,
               what="broker reload after provisioning")
    password = password_in(prov_file)

    data = tmp_path / "station"
    kiosk = ("kiosk", "--data-dir", str(data), "--json")
    imported = run_sub(*kiosk, "provision", str(prov_file), "--trust-key",
                       str(prov["signing_key_fingerprint"]))
    report = _ok(imported)
    assert report["connection"]["reason"] == "online", report  # type: ignore[index]

    roster = tmp_path / "people.csv"
    roster.write_text("external_id,display_name,role,group,active\n"
                      "S-1001,Grace Hopper,staff,ops,true\nS-1002,Alan Turing,staff,ops,true\n")
    imp = _ok(run_sub(*kiosk, "roster", "import", str(roster)))
    assert imp["inserted"] == 2
    _ok(run_sub("kiosk_central.cli", "roster", "import", str(roster), "--db", db_url, "--json"))

    sim = subprocess.Popen(
        [sys.executable, "-m", "kiosk.sim.cli", "--pty", "--auto", "grace:right-index"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert sim.stdout is not None
        port = sim.stdout.readline().strip()
        assert port.startswith("/dev/"), port
        enrolled = _ok(run_sub(*kiosk, "enroll", "--person", "S-1001", "--finger",
                               "right-index", "--port", port, "--consent",
                               "operator-attestation"))
    finally:
        sim.terminate()
        sim.wait(10)
    assert enrolled["outcome"] == "completed"
    pending = _ok(run_sub(*kiosk, "sync", "status"))
    assert pending["pending"] == 3  # consent, template, attempt: held until central acknowledges

    serve = subprocess.Popen(
        [sys.executable, "-m", "kiosk_central.cli", "serve", "--broker", broker.url,
         "--key-file", str(key), "--db", db_url],
        env={**os.environ, "KIOSK_CENTRAL_PASSWORD": broker.password("central")},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
    )
    try:
        broker.wait_log("u'central'", 30)
        synced = run_sub(*kiosk, "sync", "--timeout", "60", timeout=90)
        outputs = [imported, synced]
        assert _ok(synced)["ok"] is True
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.communicate(timeout=30)

    held = _ok(run_sub("kiosk_central.cli", "list", "--db", db_url, "--json"))
    assert held["templates"] == 1
    rows = held["rows"]
    assert isinstance(rows, list) and rows[0]["person"] == "S-1001"
    assert rows[0]["uuid"] == enrolled["template_uuid"] and rows[0]["station"] == STATION
    status = _ok(run_sub(*kiosk, "sync", "status"))
    assert status["pending"] == 0 and status["sent_unacked"] == 0
    for out in outputs:
        assert password not in out.stdout + out.stderr
    assert password not in (data / "config.toml").read_text()
