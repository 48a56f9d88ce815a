"""The biometric lifecycle from the station's side, on the real station and CLI: retention,
deletion and withdrawal commands, the audit chain check, the data key moved to another
computer, and secrets in the system key store."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from kiosk.app import RetentionReason, Station
from kiosk.cli import main
from kiosk.config import Config, RetentionConfig
from kiosk.keystore import DATA_KEY, ENV_KEYSTORE, FileKeyStore
from kiosk.paths import DataPaths
from kiosk.secrets import MQTT_PASSWORD_SECRET, mqtt_password
from kiosk.store import DeletionCause, DeletionReceiptEvent, PersonIn, Store

T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def _seed(store: Store, ext: str, *, at: datetime, slot: int) -> None:
    store.consents.record(ext, notice_version="1", notice_text="n", method="on-screen",
                          operator=None)
    store.enrollments.record(external_id=ext, finger="right-index", slot=slot,
                             template=os.urandom(512), sensor_model="R307",
                             template_format="r307-char-512", match_score=90, at=at)


@pytest.fixture
def data(tmp_path: Path) -> DataPaths:
    """A station with three people: one who left the roster in January 2026, one last seen
    enrolling in June 2023, one enrolled in January 2026 and still on the roster."""
    paths = DataPaths(tmp_path / "data").ensure()
    with Store.open(paths.database, station_id="station-01") as store:
        store.people.upsert([PersonIn("LEFT", "Lee Left"), PersonIn("OLD", "Olga Old"),
                             PersonIn("NOW", "Nina Now")], "1", at=T0 - timedelta(days=10))
        _seed(store, "LEFT", at=T0 - timedelta(days=5), slot=1)
        _seed(store, "OLD", at=datetime(2023, 6, 1, tzinfo=UTC), slot=2)
        _seed(store, "NOW", at=T0, slot=3)
        store.people.upsert([PersonIn("OLD", "Olga Old"), PersonIn("NOW", "Nina Now")], "2",
                            deactivate_missing=True, at=T0)
    return paths


def _open(paths: DataPaths, **retention: int) -> Station:
    cfg = Config(retention=RetentionConfig(**retention)) if retention else Config()
    return Station.open(paths, cfg, start_sensor=False, start_sync=False)


def _receipts(st: Station) -> list[DeletionReceiptEvent]:
    return [r.payload for r in st.store.outbox.rows(limit=1000)
            if isinstance(r.payload, DeletionReceiptEvent)]


def test_retention_with_the_clock_moved_forward_deletes_exactly_the_expired(
        data: DataPaths) -> None:
    st = _open(data, after_left_days=365, after_inactive_days=1095)
    try:
        # Three months on: nobody is due yet (OLD's last activity is under three years old).
        assert st.retention.plan(T0 + timedelta(days=90)) == []
        # A year and a day after LEFT left; OLD's last activity over three years ago.
        later = T0 + timedelta(days=366)
        dry = st.retention.run(at=later, dry_run=True)
        assert [(d.external_id, d.reason) for d in dry.due] == [
            ("OLD", RetentionReason.INACTIVE), ("LEFT", RetentionReason.LEFT_ROSTER)]
        assert dry.deleted == () and len(st.store.slots.template_slots()) == 3
        done = st.retention.run(at=later)
        assert sorted(done.deleted) == ["LEFT", "OLD"]
        assert set(st.store.slots.template_slots()) == {3}  # NOW keeps its template
        receipts = _receipts(st)
        assert {r.external_id for r in receipts} == {"LEFT", "OLD"}
        assert all(r.cause is DeletionCause.RETENTION for r in receipts)
        assert all(r.sensor == "pending" for r in receipts)  # no sensor connected here
        assert st.retention.plan(later) == []  # and a second run has nothing left to do
    finally:
        st.close()


def test_retention_rules_switched_off_delete_nothing(data: DataPaths) -> None:
    st = _open(data, after_left_days=0, after_inactive_days=0)
    try:
        assert st.retention.run(at=T0 + timedelta(days=10_000)).deleted == ()
    finally:
        st.close()


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_retention_cli_dry_run_then_run(data: DataPaths,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--data-dir", str(data.root)]
    at = (T0 + timedelta(days=4000)).isoformat()
    code, dry = _cli(capsys, "retention", "run", "--dry-run", "--at", at, *base)
    assert code == 0 and dry["deleted"] == [] and len(dry["due"]) == 3
    code, run = _cli(capsys, "retention", "run", "--at", at, *base)
    assert code == 0 and sorted(run["deleted"]) == ["LEFT", "NOW", "OLD"]
    assert run["sensor_pending"] == [1, 2, 3]


def test_person_forget_remove_finger_and_consent_withdraw_from_the_cli(
        data: DataPaths, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--data-dir", str(data.root)]
    code, out = _cli(capsys, "person", "remove-finger", "NOW", "right-index",
                     "--reason", "wrong finger enrolled", *base)
    assert code == 0 and out["slots"] == [3] and out["sensor_pending"] == [3]
    code, out = _cli(capsys, "person", "forget", "NOW", "--reason", "again", *base)
    assert code == 1 and out["error"] == "not-found"  # nothing left to forget
    code, out = _cli(capsys, "consent", "withdraw", "OLD", "--reason", "asked at the desk",
                     "--operator", "Sam", *base)
    assert code == 0 and out["slots"] == [2]
    with Store.open(data.database) as store:
        assert store.consents.active("OLD") is None
        entries = {(e.actor, e.action) for e in store.audit.entries(limit=20)}
        assert {("Sam", "consent-withdrawn"), ("Sam", "biometrics-deleted"),
                ("technician", "biometrics-deleted")} <= entries
        causes = [r.payload.cause for r in store.outbox.rows(limit=100)
                  if isinstance(r.payload, DeletionReceiptEvent)]
        assert causes == [DeletionCause.FINGER_REMOVED, DeletionCause.WITHDRAWAL]


def test_verify_audit_names_the_broken_entry(data: DataPaths,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--data-dir", str(data.root)]
    code, ok = _cli(capsys, "db", "verify-audit", *base)
    assert code == 0 and ok["ok"] and ok["entries"] > 5
    conn = sqlite3.connect(data.database)
    conn.execute("DROP TRIGGER trg_audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = 4")
    conn.commit()
    conn.close()
    code, bad = _cli(capsys, "db", "verify-audit", *base)
    assert code == 1 and (bad["break_seq"], bad["break"]) == (5, "gap")
    code, check = _cli(capsys, "db", "check", *base)
    assert code == 1 and check["audit_chain"]["break_seq"] == 5  # db check says so too


def test_a_backup_restored_on_another_computer_needs_the_exported_key(
        data: DataPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--data-dir", str(data.root)]
    phrase = tmp_path / "phrase.txt"
    phrase.write_text("correct horse battery staple\n")
    assert main(["db", "backup", str(tmp_path / "copy.sqlite3"), *base]) == 0
    capsys.readouterr()
    code, exp = _cli(capsys, "db", "export-key", str(tmp_path / "station.key"),
                     "--passphrase-file", str(phrase), *base)
    assert code == 0
    key = FileKeyStore(data.secrets).load(DATA_KEY)
    assert key is not None and key not in (tmp_path / "station.key").read_bytes()
    # The other computer: the backup as its database, a key store of its own.
    other = DataPaths(tmp_path / "other").ensure()
    (tmp_path / "copy.sqlite3").rename(other.database)
    code, err = _cli(capsys, "db", "check", "--data-dir", str(other.root))
    assert code == 1 and err["error"] == "key-unavailable"  # another key: refused, unchanged
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase at all\n")
    code, err = _cli(capsys, "db", "import-key", str(tmp_path / "station.key"),
                     "--passphrase-file", str(wrong), "--data-dir", str(other.root))
    assert code == 1 and "passphrase" in err["message"]
    code, err = _cli(capsys, "db", "import-key", str(tmp_path / "station.key"),
                     "--passphrase-file", str(phrase), "--data-dir", str(other.root))
    assert code == 1 and "--replace" in err["message"]  # the check above made a key there
    code, imp = _cli(capsys, "db", "import-key", str(tmp_path / "station.key"),
                     "--passphrase-file", str(phrase), "--replace",
                     "--data-dir", str(other.root))
    assert code == 0 and imp["fingerprint"] == exp["fingerprint"]
    with Store.open(other.database) as store:
        uuid = store.slots.template_for_slot(3)
        assert uuid is not None and store.enrollments.template_bytes(uuid.uuid) is not None


class MemoryKeyring(KeyringBackend):
    """keyring's own backend interface, in memory: the system key store this machine lacks."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    ring = MemoryKeyring()
    old = keyring.get_keyring()
    keyring.set_keyring(ring)
    monkeypatch.setenv(ENV_KEYSTORE, "keyring")
    yield ring
    keyring.set_keyring(old)


def test_with_a_system_key_store_no_secret_is_left_in_a_file(
        tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    paths = DataPaths(tmp_path / "data").ensure()
    # A password an earlier version wrote in clear into secrets/: moved on first read.
    FileKeyStore(paths.secrets).save(MQTT_PASSWORD_SECRET, b"old-plain-password")
    assert mqtt_password(paths) == "old-plain-password"
    assert not (paths.secrets / MQTT_PASSWORD_SECRET).exists()
    with Store.open(paths.database, station_id="station-01") as store:
        store.people.upsert([PersonIn("P", "P")], "1")
        _seed(store, "P", at=T0, slot=1)
    stored = {name for _service, name in memory_keyring.items}
    assert stored == {MQTT_PASSWORD_SECRET, DATA_KEY}
    files = [p.name for p in paths.secrets.rglob("*") if p.is_file()] \
        if paths.secrets.exists() else []
    assert files == []
