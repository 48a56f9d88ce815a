"""``kiosk provision`` against a real Mosquitto: trust pinning, refusals that change nothing,
revocation, re-provisioning that keeps the database and the pending outbox."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.paths import DataPaths
from kiosk.secrets import get_secret
from kiosk.store import PersonIn, Store
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.provision.conftest import Central, broker_pid, password_in, run_cli, snapshot

pytestmark = pytest.mark.timeout(90)


def _reload_count(broker: MosquittoBroker) -> int:
    return broker.log_text().count("Reloading config")


def _issue(central: Central, broker: MosquittoBroker, station: str, *extra: str) -> Path:
    """Provision ``station`` into the fixture broker's files and wait for its reload."""
    before = _reload_count(broker)
    out = central.provision(station, "--broker-url", broker.url, "--broker-dir",
                            str(broker.workdir), "--broker-pid", broker_pid(broker), *extra)
    assert out["reloaded"] is True and out["contains_secret"] is True
    wait_until(lambda: _reload_count(broker) > before, 10, what="broker reload")
    return Path(out["file"])


def _import(data: Path, file: Path, capsys: pytest.CaptureFixture[str],
            *extra: str) -> tuple[int, dict[str, object], str]:
    return run_cli(["--data-dir", str(data), "provision", str(file), *extra], capsys)


def _fp(central: Central) -> str:
    return str(json.loads(next(central.root.glob("*.kioskprov")).read_text())
               ["signature"]["fingerprint"])


@pytest.fixture
def provisioned(tmp_path: Path, central: Central, broker: MosquittoBroker,
                capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """A station provisioned as station-07 with one enrollment waiting in its outbox."""
    file = _issue(central, broker, "station-07")
    data = tmp_path / "station"
    rc, out, err = _import(data, file, capsys, "--trust-key", _fp(central))
    assert rc == 0, (out, err)
    assert out["connection"]["reason"] == "online"  # type: ignore[index]
    with Store.open(data / "kiosk.sqlite3", station_id="station-07") as store:
        store.people.upsert([PersonIn("P-1", "Ada")], "0")
        store.consents.record("P-1", notice_version="2026-1", notice_text="n",
                             method="on-screen", operator=None)
        store.enrollments.record(external_id="P-1", finger="right-index", slot=1,
                                template=os.urandom(512), sensor_model="R307",
                                template_format="r307-char-512", match_score=90)
    return data, file


def test_import_writes_config_secret_ca_pin_and_never_shows_the_password(
    provisioned: tuple[Path, Path], central: Central,
) -> None:
    data, file = provisioned
    password = password_in(file)
    assert file.name.endswith(".SECRET.kioskprov") and file.stat().st_mode & 0o077 == 0
    assert get_secret(DataPaths(data), "mqtt-password") == password
    config = (data / "config.toml").read_text()
    assert password not in config and 'id = "station-07"' in config
    assert 'username = "station-07"' in config
    pin = json.loads((data / "central-signing-key.json").read_text())
    assert pin["fingerprint"] == _fp(central)


@pytest.mark.parametrize("case", ["tampered", "unsigned", "forged", "garbage", "nested"])
def test_bad_files_are_refused_and_change_nothing(
    provisioned: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    data, file = provisioned
    before = snapshot(data)
    doc = json.loads(file.read_text())
    if case == "tampered":
        doc["payload"]["broker_urls"] = ["mqtt://127.0.0.1:1"]
    elif case == "unsigned":
        del doc["signature"]
    elif case == "forged":  # a complete, validly signed file from another "central"
        other = Central(tmp_path / "other-central", capsys)
        other.keygen()
        out = other.provision("station-07", "--broker-url", "mqtt://127.0.0.1:1")
        doc = json.loads(Path(out["file"]).read_text())
    bad = tmp_path / f"{case}.SECRET.kioskprov"
    text = {"garbage": "{not json", "nested": '{"a":' * 50_000 + "1" + "}" * 50_000}
    bad.write_text(text.get(case) or json.dumps(doc))
    rc, out, _ = _import(data, bad, capsys)
    assert rc == 1 and out["ok"] is False
    expected = {"tampered": "bad-signature", "unsigned": "unsigned", "forged": "wrong-key",
                "garbage": "bad-file", "nested": "bad-file"}[case]
    assert out["error"] == expected, out
    assert snapshot(data) == before


def test_first_use_needs_the_fingerprint(
    tmp_path: Path, central: Central, broker: MosquittoBroker,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = _issue(central, broker, "station-09")
    data = tmp_path / "fresh"
    rc, out, _ = _import(data, file, capsys)
    assert rc == 1 and out["error"] == "untrusted-key" and _fp(central) in str(out["message"])
    rc, out, _ = _import(data, file, capsys, "--trust-key", "0000:1111:2222:3333")
    assert rc == 1 and out["error"] == "wrong-key"
    assert snapshot(data) == {}
    rc, out, _ = _import(data, file, capsys, "--trust-on-first-use")
    assert rc == 0 and out["ok"] is True


def test_wrong_broker_is_refused_and_changes_nothing(
    provisioned: tuple[Path, Path], central: Central, broker_factory:
    Callable[..., MosquittoBroker], capsys: pytest.CaptureFixture[str],
) -> None:
    data, _ = provisioned
    other = broker_factory("other").start()  # a real broker that never heard of station-07
    before = snapshot(data)
    out = central.provision("station-07", "--broker-url", other.url, "--reissue")
    rc, res, _ = _import(data, Path(out["file"]), capsys)
    assert rc == 1 and res["error"] == "connection-auth-refused", res
    assert "refused this user name and password" in str(res["message"])
    assert snapshot(data) == before


def test_unreachable_broker_saves_and_says_so(
    tmp_path: Path, central: Central, capsys: pytest.CaptureFixture[str],
) -> None:
    out = central.provision("station-11", "--broker-url", "mqtt://127.0.0.1:1")
    data = tmp_path / "offline"
    rc, res, _ = _import(data, Path(out["file"]), capsys, "--trust-on-first-use",
                         "--connect-timeout", "2")
    assert rc == 0 and "could not reach the broker yet" in str(res["message"])
    assert (data / "config.toml").exists()


def test_revoked_station_cannot_come_back_from_its_old_file(
    tmp_path: Path, central: Central, broker: MosquittoBroker,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = _issue(central, broker, "station-08")
    assert "station-08:" in (broker.workdir / "passwd").read_text()
    before = _reload_count(broker)
    res = central.revoke("station-08", "--broker-dir", str(broker.workdir), "--broker-pid",
                         broker_pid(broker))
    assert res["credentials_removed"] is True
    wait_until(lambda: _reload_count(broker) > before, 10, what="broker reload")
    assert "station-08" not in (broker.workdir / "passwd").read_text()
    assert "station-08" not in (broker.workdir / "acl").read_text()
    data = tmp_path / "revoked"
    rc, out, _ = _import(data, file, capsys, "--trust-on-first-use")
    assert rc == 1 and out["error"] == "connection-auth-refused"
    assert snapshot(data) == {}
    # Central does not silently reissue a revoked station.
    out = central.provision("station-08", "--broker-url", broker.url, expect=1)
    assert "revoked" in str(out["message"]) and "--reissue" in str(out["message"])


def test_reprovisioning_replaces_identity_and_keeps_database_and_outbox(
    provisioned: tuple[Path, Path], central: Central, broker: MosquittoBroker,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, old_file = provisioned
    old_password = password_in(old_file)
    with Store.open(data / "kiosk.sqlite3") as store:
        stats_before = store.outbox.stats()
        people_before = store.maintenance.counts()["people"]
    assert stats_before.pending == 3  # the consent event, the template and its attempt
    central.provision("station-07", "--broker-url", broker.url, expect=1)  # not silently
    old_copy = old_file.with_name("old.SECRET.kioskprov")
    old_copy.write_bytes(old_file.read_bytes())
    new_file = _issue(central, broker, "station-07", "--reissue",
                      "--fingers-per-person", "3", "--retention", "shred")
    rc, out, err = _import(data, new_file, capsys)  # pinned key: no trust flag needed
    assert rc == 0, (out, err)
    new_password = password_in(new_file)
    assert new_password != old_password
    assert get_secret(DataPaths(data), "mqtt-password") == new_password
    config = (data / "config.toml").read_text()
    assert "fingers_per_person = 3" in config and "keep_templates_after_sync = false" in config
    with Store.open(data / "kiosk.sqlite3") as store:
        after = store.outbox.stats()
        assert (after.pending, after.sent_unacked) == (stats_before.pending,
                                                        stats_before.sent_unacked)
        assert store.maintenance.counts()["people"] == people_before
    # The older file cannot roll the station back.
    before = snapshot(data)
    rc, out, _ = _import(data, old_copy, capsys)
    assert rc == 1 and out["error"] == "stale"
    assert snapshot(data) == before


def test_tls_broker_ca_from_the_file_is_saved_and_used(
    tmp_path: Path, central: Central, broker_factory: Callable[..., MosquittoBroker],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.fixtures.broker import make_tls_files

    tls = make_tls_files(tmp_path / "tls")
    broker = broker_factory("tls-broker", tls=tls).start()
    file = _issue(central, broker, "station-12", "--ca", str(tls.ca_file))
    data = tmp_path / "tls-station"
    rc, out, err = _import(data, file, capsys, "--trust-on-first-use")
    assert rc == 0, (out, err)
    assert out["connection"]["reason"] == "online"  # type: ignore[index]
    assert (data / "central-ca.pem").read_bytes() == tls.ca_file.read_bytes()
    assert f'ca_file = "{data / "central-ca.pem"}"' in (data / "config.toml").read_text()
