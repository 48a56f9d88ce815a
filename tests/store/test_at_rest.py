"""Templates at rest: sealed with the station's data key, bound to their record, never in clear
in the database file, its WAL, a backup or the copy taken before an upgrade."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from kiosk.keystore import DATA_KEY, FileKeyStore
from kiosk.store import KeyUnavailable, MigrationFailed, PersonIn, Store, TemplateDamaged
from kiosk.store import engine as eng
from kiosk.store.cipher import TemplateCipher
from tests.store.conftest import consent, enroll


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _holding(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in _files_under(folder) if needle in p.read_bytes()]


def _raw_template(db: Path, uuid: str) -> bytes:
    conn = sqlite3.connect(db)
    try:
        (blob,) = conn.execute("SELECT template FROM templates WHERE uuid = ?", (uuid,)).fetchone()
        return bytes(blob)
    finally:
        conn.close()


def test_template_is_sealed_in_the_file_and_opens_with_the_key(store: Store,
                                                                db_path: Path) -> None:
    secret = os.urandom(512)
    consent(store, "S-001")
    uuid = enroll(store, "S-001", data=secret)
    raw = _raw_template(db_path, uuid)
    assert secret not in raw and len(raw) == 1 + 12 + 512 + 16
    assert store.enrollments.template_bytes(uuid) == secret
    # Neither the database, nor its WAL, nor a backup holds the clear bytes.
    backup = db_path.parent / "backups" / "copy.sqlite3"
    eng.backup_file(db_path, backup)
    assert _holding(db_path.parent, secret) == []
    assert _holding(db_path.parent, secret[:64]) == []


def test_a_ciphertext_moved_to_another_record_does_not_open(store: Store,
                                                            db_path: Path) -> None:
    consent(store, "S-001")
    consent(store, "S-002")
    a = enroll(store, "S-001", data=os.urandom(512), slot=1)
    b = enroll(store, "S-002", data=os.urandom(512), slot=2)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE templates SET template = (SELECT template FROM templates WHERE uuid=?) "
                 "WHERE uuid = ?", (a, b))
    conn.commit()
    conn.close()
    with pytest.raises(TemplateDamaged):
        store.enrollments.template_bytes(b)


def test_the_key_lives_outside_the_database(store: Store, db_path: Path) -> None:
    key = FileKeyStore(db_path.parent / "secrets").load(DATA_KEY)
    assert key is not None and len(key) == 32
    assert _holding(db_path.parent, key) == [db_path.parent / "secrets" / DATA_KEY]


def test_another_key_is_refused_when_the_database_opens(store: Store, db_path: Path,
                                                         tmp_path: Path) -> None:
    consent(store, "S-001")
    enroll(store, "S-001", data=os.urandom(512))
    store.close()
    other = FileKeyStore(tmp_path / "elsewhere")
    other.save(DATA_KEY, os.urandom(32))
    with pytest.raises(KeyUnavailable, match="another data key") as err:
        Store.open(db_path, keys=other)
    assert "import-key" in err.value.hint
    # The right key still opens it: nothing was changed by the refusal.
    Store.open(db_path).close()


def test_a_damaged_key_is_a_clear_error(db_path: Path) -> None:
    keys = FileKeyStore(db_path.parent / "secrets")
    keys.save(DATA_KEY, b"short")
    with pytest.raises(KeyUnavailable, match="cannot be read"):
        Store.open(db_path, keys=keys)


def test_upgrade_seals_templates_stored_in_clear_and_in_the_pre_upgrade_copy(
        tmp_path: Path) -> None:
    """A database from before sealing: templates sealed by the upgrade, and the copy taken
    before it holds no clear template either."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "kiosk.sqlite3"
    with Store.open(db, station_id="st") as s:
        s.people.upsert([PersonIn("S-1", "Ann Lee")], "r1")
        s.operators.create("desk", "2468", role="admin")
        consent(s, "S-1")
        uuid = enroll(s, "S-1", data=os.urandom(512))
        clear = s.enrollments.template_bytes(uuid)
        assert clear is not None
    # Wind the file back to revision 0005 with the template in clear, as 0.1 stored it.
    conn = sqlite3.connect(db)
    conn.execute("UPDATE templates SET template = ? WHERE uuid = ?", (clear, uuid))
    conn.execute("DELETE FROM sync_state WHERE key = 'data_key_check'")
    conn.execute("UPDATE alembic_version SET version_num = '0005'")
    conn.execute("DROP TABLE upgrade_history")  # added after 0005
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    assert _holding(data, clear) == [db]

    with Store.open(db, station_id="st") as s:
        assert s.enrollments.template_bytes(uuid) == clear
        assert s.maintenance.schema_revision() == eng.head_revision()
    copies = list((data / "backups").glob("*-pre-*.sqlite3"))
    assert len(copies) == 1
    assert _holding(data, clear) == []
    # The sealed pre-upgrade copy opens with this program (it seals only what is in clear).
    restored = tmp_path / "restored" / "kiosk.sqlite3"
    restored.parent.mkdir()
    restored.write_bytes(copies[0].read_bytes())
    (restored.parent / "secrets").mkdir()
    key = (data / "secrets" / DATA_KEY).read_bytes()
    (restored.parent / "secrets" / DATA_KEY).write_bytes(key)
    with Store.open(restored, station_id="st") as s:
        assert s.enrollments.template_bytes(uuid) == clear


def test_upgrade_without_the_key_changes_nothing(tmp_path: Path) -> None:
    """Upgrading a database with templates in clear needs the key; without it, it stops."""
    db = tmp_path / "kiosk.sqlite3"
    eng.migrate(db, "0005")
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO people (external_id, display_name, role, group_name, active, "
                 "roster_version, updated_at) VALUES ('S-1', 'A', 'student', '', 1, 'r', "
                 "'2026-01-01 00:00:00')")
    conn.execute("INSERT INTO templates (uuid, person_id, finger, sensor_slot, template, length,"
                 " sensor_model, template_format, sha256, created_at, station_id, sync_state,"
                 " shredded) VALUES ('t', 1, 2, 1, x'0102', 2, 'R307', 'r307-char', 'x',"
                 " '2026-01-01 00:00:00', 'st', 'queued', 0)")
    conn.commit()
    conn.close()
    with pytest.raises(MigrationFailed, match="data key"):
        eng.migrate(db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0005",)
    assert conn.execute("SELECT template FROM templates").fetchone() == (b"\x01\x02",)
    conn.close()
    # With the key, the same upgrade seals it.
    key = os.urandom(32)
    eng.migrate(db, data_key=key)
    conn = sqlite3.connect(db)
    (blob,) = conn.execute("SELECT template FROM templates").fetchone()
    conn.close()
    assert TemplateCipher(key).open(bytes(blob), station_id="st", template_uuid="t") == b"\x01\x02"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_database_backups_and_key_are_owner_only(store: Store, db_path: Path) -> None:
    consent(store, "S-001")
    enroll(store, "S-001")
    backup = eng.backup_file(db_path, db_path.parent / "backups" / "b.sqlite3")
    for f in (db_path, backup, db_path.parent / "secrets" / DATA_KEY):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    for d in (backup.parent, db_path.parent / "secrets"):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d


def test_a_database_without_templates_takes_this_computers_key(store: Store, db_path: Path,
                                                                tmp_path: Path) -> None:
    """Prepared elsewhere (an operator, a roster) but nothing enrolled: no sealed data to lose,
    so the key of the computer it now runs on is taken instead of refusing to start."""
    store.close()
    other = FileKeyStore(tmp_path / "elsewhere")
    other.save(DATA_KEY, os.urandom(32))
    with Store.open(db_path, keys=other) as s:
        consent(s, "S-001")
        uuid = enroll(s, "S-001", data=b"\x07" * 512)
    with Store.open(db_path, keys=other) as s:
        assert s.enrollments.template_bytes(uuid) == b"\x07" * 512
    # From now on the first key is the wrong one.
    with pytest.raises(KeyUnavailable):
        Store.open(db_path)
