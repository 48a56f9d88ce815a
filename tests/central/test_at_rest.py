"""Templates at rest at central: sealed in the database file, opened only by an audited call,
under a master key from a file, the environment, a hook or the sealing key; owner-only files."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

import kiosk_contract as c
from kiosk.sync.worker import SyncWorker
from kiosk_central.cli import main
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_central.schema import central_audit
from kiosk_central.vault import (
    ENV_MASTER_KEY,
    LocalMasterKey,
    Vault,
    VaultError,
    load_master_key,
    write_master_key_file,
)
from kiosk_contract.sealing import KeyPair, load_private_key, open_sealed
from tests.central.conftest import Sender
from tests.central.samples import template_meta, template_v2
from tests.fixtures.broker import wait_until
from tests.sync.conftest import Enrolled

pytestmark = pytest.mark.timeout(120)


def _files(db_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.is_file())


def _forms(data: bytes) -> list[bytes]:
    return [data[:48], data.hex().encode()[:96], base64.b64encode(data)[:64],
            data[-48:], data.hex().upper().encode()[:96]]


def test_the_central_database_never_holds_template_bytes(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair, central_db_url: str, station_store: Callable[..., Enrolled],
    worker_factory: Callable[..., SyncWorker],
) -> None:
    ing = ingest_factory()
    e = station_store(5)  # a real station, schema 1
    worker_factory(e.store)
    s = sender_factory("station-02")
    v2 = {}
    for i in range(10):
        tm, data = template_v2(central_key, station="station-02", person=f"P-{i:05d}")
        s.send("templates", tm.to_bytes(), tm.msg_id)
        v2[tm.meta.uuid] = data
    wait_until(e.outbox_empty, 30, what="station drained")
    wait_until(lambda: ing.db.template_count() == len(e.templates) + 10, 20, what="all stored")
    path = Path(central_db_url.removeprefix("sqlite:///"))
    everything = {**e.templates, **v2}
    raw = _files(path)  # database, WAL and SHM while the ingest runs
    assert len(raw) > 50_000
    for data in everything.values():
        for form in _forms(data):
            assert form not in raw
    # The bytes are there, sealed: an audited opening returns them.
    opened = ing.db.open_templates(list(everything), actor="test", purpose="leak check")
    assert opened == everything
    with ing.db.engine.connect() as conn:
        rows = conn.execute(select(central_audit.c.subject, central_audit.c.after).where(
            central_audit.c.action == "template-opened")).all()
    assert sorted(r[0] for r in rows) == sorted(everything)
    assert {r[1]["purpose"] for r in rows} == {"leak check"}
    # Owner-only file and folder (issue #12 defect 9), WAL included.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if extra.exists():
            assert stat.S_IMODE(extra.stat().st_mode) == 0o600


def test_master_key_sources_and_refusals(tmp_path: Path, central_key: KeyPair,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "master.key"
    kid = write_master_key_file(f)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert load_master_key(f"file:{f}").key_id == kid
    with pytest.raises(FileExistsError):
        write_master_key_file(f)  # never overwritten
    os.chmod(f, 0o644)
    with pytest.raises(VaultError, match="readable by others"):
        load_master_key(f"file:{f}")
    monkeypatch.setenv(ENV_MASTER_KEY, base64.b64encode(b"k" * 32).decode())
    env = load_master_key(None)
    assert env.source == f"environment {ENV_MASTER_KEY}"
    monkeypatch.delenv(ENV_MASTER_KEY)
    derived = load_master_key(None, central_key.private_b64)
    assert derived.key_id == load_master_key("derived", central_key.private_b64).key_id
    assert derived.key_id != env.key_id
    with pytest.raises(VaultError, match="use file"):
        load_master_key("kms://nowhere")
    with pytest.raises(VaultError, match="hook"):
        load_master_key("hook:no.such.module:factory")
    hooked = load_master_key("hook:tests.central.test_at_rest:hsm_stand_in")
    assert hooked.source == "hsm stand-in"
    # Sealed under one master key, a row does not open under another, and says why.
    data = os.urandom(400)
    meta = template_meta(data)
    db = CentralDB(f"sqlite:///{tmp_path / 'db' / 'c.sqlite3'}", Vault(env))
    assert db.store_template(meta, data) == "stored"
    db.vault = Vault(derived)
    with pytest.raises(VaultError, match=env.key_id):
        db.template_bytes(meta.uuid)
    db.vault = Vault(env)
    assert db.template_bytes(meta.uuid) == data


def hsm_stand_in() -> LocalMasterKey:
    """What a KMS/HSM hook returns: any MasterKey (here a local one, for the interface)."""
    return LocalMasterKey(b"h" * 32, "hsm stand-in")


def test_template_export_is_audited_and_can_seal_for_distribution(
    tmp_path: Path, central_key: KeyPair, capsys: pytest.CaptureFixture[str],
) -> None:
    key_file = tmp_path / "central.key"
    key_file.write_text(central_key.private_b64)
    os.chmod(key_file, 0o600)
    url = f"sqlite:///{tmp_path / 'db' / 'c.sqlite3'}"
    vault = Vault(load_master_key(None, central_key.private_b64))
    db = CentralDB(url, vault)
    data = os.urandom(512)
    meta = template_meta(data, person="P-7")
    db.store_template(meta, data)
    base = ["template", "export", "--person", "P-7", "--purpose", "move to station-09",
            "--actor", "dpo", "--db", url, "--key-file", str(key_file), "--json"]
    out = tmp_path / "export.json"
    assert main([*base, "--out", str(out)]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["templates"] == 1 and not res["sealed"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    doc = json.loads(out.read_text())
    assert base64.b64decode(doc["templates"][0]["data_b64"]) == data
    assert main([*base, "--out", str(out)]) == 1  # never overwritten
    assert "exists" in json.loads(capsys.readouterr().out)["message"]
    recipient = c.sealing.generate_keypair()
    sealed_out = tmp_path / "sealed.json"
    assert main([*base, "--out", str(sealed_out), "--seal-to", recipient.public_b64]) == 0
    capsys.readouterr()
    item = json.loads(sealed_out.read_text())["templates"][0]
    assert "data_b64" not in item
    sealed = c.sealing.Sealed.from_json(item.pop("sealed"))
    assert open_sealed(load_private_key(recipient.private_b64), sealed,
                       c.sealing.canonical_json(item)) == data
    with db.engine.connect() as conn:
        trail = conn.execute(select(central_audit.c.actor, central_audit.c.after).where(
            central_audit.c.action == "template-opened")).all()
    assert [(a, x["purpose"]) for a, x in trail] == [("dpo", "move to station-09")] * 2


def test_an_old_unsealed_database_is_sealed_by_upgrade(tmp_path: Path, central_key: KeyPair,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old" / "central.sqlite3"
    path.parent.mkdir(mode=0o700)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE templates (uuid VARCHAR(36) PRIMARY KEY, station VARCHAR(64) NOT "
                "NULL, person VARCHAR(128) NOT NULL, finger VARCHAR(16) NOT NULL, operator "
                "VARCHAR(128) NOT NULL, sensor_model VARCHAR(64) NOT NULL, template_format "
                "VARCHAR(64) NOT NULL, template_length INTEGER NOT NULL, sha256 VARCHAR(64) NOT "
                "NULL, quality JSON NOT NULL, captured_at VARCHAR(40) NOT NULL, enrolled_at "
                "VARCHAR(40) NOT NULL, received_at DATETIME NOT NULL, template BLOB NOT NULL)")
    clear = {}
    for i in range(20):
        data = os.urandom(512)
        m = template_meta(data, person=f"P-{i}")
        con.execute("INSERT INTO templates VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
            m.uuid, m.station, m.person, m.finger, m.operator, m.sensor_model,
            m.template_format, m.template_length, m.sha256, "{}", m.captured_at, m.enrolled_at,
            "2026-01-01 00:00:00", data))
        clear[m.uuid] = data
    con.commit()
    con.close()
    assert any(d[:48] in path.read_bytes() for d in clear.values())
    url = f"sqlite:///{path}"
    key_file = tmp_path / "central.key"
    key_file.write_text(central_key.private_b64)
    assert main(["list", "--db", url, "--json"]) == 0  # readable without the key
    capsys.readouterr()
    assert main(["db", "upgrade", "--db", url, "--key-file", str(key_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sealed"] == 20
    raw = _files(path)
    assert not any(f in raw for d in clear.values() for f in _forms(d))
    db = CentralDB(url, Vault(load_master_key(None, central_key.private_b64)))
    assert not db.plaintext_layout
    assert db.open_templates(list(clear), actor="t", purpose="check") == clear
