"""Durability on real files: a commit survives SIGKILL, an uncommitted write vanishes, backups
restore to identical content, and several threads can write at once."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from kiosk.store import Store
from tests.store.conftest import consent, enroll

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from sqlalchemy import event
    from kiosk.store import Store
    from kiosk.store import models as m

    store = Store.open(Path(sys.argv[1]), station_id="child")
    if sys.argv[2] == "mid-transaction":
        def hold(*_a):
            print("inside", flush=True)
            sys.stdin.read()  # blocks until killed
        event.listen(m.OutboxMessage, "before_insert", hold)
    uid = store.enrollments.record(
        external_id="S-001", finger="left-index", slot=11, template=b"\\x42" * 768,
        sensor_model="R307", template_format="r307-char", match_score=99, operator="desk")
    print("committed", uid, flush=True)
    sys.stdin.read()  # blocks until killed
    """
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _run_and_kill(db_path: Path, mode: str) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), mode],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for f in (proc.stdin, proc.stdout):
            if f is not None:
                f.close()
    return line


def test_commit_survives_sigkill(store: Store, db_path: Path) -> None:
    consent(store, "S-001")
    store.close()
    line = _run_and_kill(db_path, "commit")
    assert line.startswith("committed ")
    uid = line.split()[1]
    # The commit lives in the WAL that nobody checkpointed: reopening has to recover it.
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT uuid, length FROM templates").fetchall() == [(uid, 768)]
    conn.close()
    with Store.open(db_path) as again:
        assert again.maintenance.integrity_check().ok
        assert again.enrollments.template_bytes(uid) == b"\x42" * 768
        assert [i.aggregate_uuid for i in again.outbox.due() if i.kind == "template"] == [uid]


def test_uncommitted_enrollment_vanishes_after_sigkill(store: Store, db_path: Path) -> None:
    consent(store, "S-001")
    before = store.maintenance.counts()
    store.close()
    assert _run_and_kill(db_path, "mid-transaction") == "inside"
    with Store.open(db_path) as again:
        assert again.maintenance.integrity_check().ok
        after = again.maintenance.counts()
        assert after["templates"] == 0 and after["outbox"] == before["outbox"]
        assert after["attempts"] == before["attempts"]


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_backup_restores_to_identical_content(store: Store, db_path: Path, tmp_path: Path) -> None:
    consent(store, "S-001")
    enroll(store, "S-001", slot=3)
    backup = store.maintenance.backup_to(tmp_path / "copies" / "kiosk-backup.sqlite3")
    assert backup.exists() and not backup.with_name(backup.name + ".part").exists()
    expected = _dump(backup)
    with store.db.engine.connect() as c:
        live = [str(r[0]) for r in c.exec_driver_sql("SELECT uuid FROM templates")]
    assert any(live[0] in line for line in expected)
    # Later changes, then a restore: stop, copy the backup back, drop the old WAL.
    consent(store, "S-002")
    enroll(store, "S-002", slot=4)
    store.close()
    assert _dump(db_path) != expected
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, db_path)
    with Store.open(db_path) as restored:
        assert restored.maintenance.integrity_check().ok
        assert restored.maintenance.counts()["templates"] == 1
    # Opening writes a "last opened" marker; everything else is byte-for-byte the same content.
    def strip(lines: list[str]) -> list[str]:
        return [x for x in lines if "last_opened_at" not in x]

    assert strip(_dump(db_path)) == strip(expected)


def test_several_threads_write_at_once(store: Store) -> None:
    n_threads, per_thread = 4, 25
    barrier = threading.Barrier(n_threads + 1)
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                store.audit.record(f"thread-{k}", "test-write", str(i))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    def reader() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                assert store.people.search("smith")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(n_threads - 1)]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    barrier.wait()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    actions = [a for a in store.audit.entries(limit=1000) if a.action == "test-write"]
    assert len(actions) == (n_threads - 1) * per_thread
