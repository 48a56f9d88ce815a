"""Issue #12 defect 4: restarting ``kiosk-central serve`` must not slow later syncs.

Two real ``serve`` processes (stable ids fpk-central-ingest-1/2) drain a real station; then
both are restarted gracefully three times; then the station drains as much again. Before the
fix every restart left a session with a new, PID-based id in the shared group for an hour and
the broker kept routing part of the uplink to it (150 rows: 2.3 s before, 121 s after).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.sync.worker import SyncWorker
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.central.conftest import Sender
from tests.central.samples import template_v2
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.sync.conftest import Enrolled, enroll

pytestmark = [pytest.mark.timeout(240), pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


class Serve:
    """One ``kiosk-central serve --worker N`` process with its stderr collected."""

    def __init__(self, n: int, broker: MosquittoBroker, key_file: Path, db_url: str) -> None:
        self.argv = [sys.executable, "-m", "kiosk_central.cli", "serve", "--broker",
                     broker.url, "--key-file", str(key_file), "--db", db_url, "--worker",
                     str(n)]
        self.env = {**os.environ, "KIOSK_CENTRAL_PASSWORD": broker.password("central")}
        self.client_id = f"fpk-central-ingest-{n}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.err = b""

    def start(self) -> Serve:
        self.err = b""
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=REPO, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True).start()
        wait_until(lambda: b"subscribed as " + self.client_id.encode() in self.err, 30,
                   what=f"{self.client_id} subscribed")
        return self

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            self.err += line

    def stop(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.wait(30) == 0, self.err.decode(errors="replace")[-2000:]


@pytest.fixture
def serve(broker: MosquittoBroker, central_key: KeyPair, tmp_path: Path
          ) -> Iterator[Callable[[int], Serve]]:
    key_file = tmp_path / "central.key"
    key_file.write_text(central_key.private_b64)
    os.chmod(key_file, 0o600)
    db_url = f"sqlite:///{tmp_path / 'central' / 'central.sqlite3'}"
    CentralDB(db_url).import_people([(f"P-{i:05d}", "x", True) for i in range(200)])
    made: list[Serve] = []

    def make(n: int) -> Serve:
        s = Serve(n, broker, key_file, db_url)
        made.append(s)
        return s

    yield make
    for s in made:
        if s.proc is not None and s.proc.poll() is None:
            s.proc.kill()


def test_three_graceful_restarts_do_not_slow_later_syncs(
    broker: MosquittoBroker, serve: Callable[[int], Serve],
    station_store: Callable[..., Enrolled], worker_factory: Callable[..., SyncWorker],
) -> None:
    workers = [serve(1).start(), serve(2).start()]
    e = station_store(50)  # 100 templates + 50 consents = 150 rows
    t0 = time.monotonic()
    w = worker_factory(e.store, ack_timeout_s=5)
    wait_until(e.outbox_empty, 60, what="first drain")
    before = time.monotonic() - t0
    for _ in range(3):
        for s in workers:
            s.stop()
            s.start()
    e.templates.update(enroll(e.store, 50, start=100))
    w.kick()
    t1 = time.monotonic()
    wait_until(e.outbox_empty, 120, what="drain after three restarts")
    after = time.monotonic() - t1
    print(f"\n150 rows: {before:.2f}s before, {after:.2f}s after three graceful restarts of "
          "two workers")
    db = CentralDB(workers[0].argv[workers[0].argv.index("--db") + 1])
    assert sorted(r.uuid for r in db.template_rows()) == sorted(e.templates)
    assert after < max(3 * before, before + 5), (before, after)
    log = broker.log_text()
    assert all(log.count(f"as {s.client_id} (") == 4 for s in workers)  # one id each, reused


def test_a_crashed_worker_resumes_its_session_with_the_same_id(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair,
) -> None:
    """What the broker routed to a worker while it was dead reaches it when it comes back
    under the same client id within the session expiry (no re-send by the station)."""
    first = ingest_factory(client_id="fpk-central-ingest-1", session_expiry_s=60)
    first.crash()
    s = sender_factory()
    ids = []
    for i in range(10):
        tm, _ = template_v2(central_key, person=f"P-{i:05d}")
        s.send("templates", tm.to_bytes(), tm.msg_id)  # PUBACKed by the broker, queued
        ids.append(tm.msg_id or "")
    assert not any(s.verdict(m) for m in ids)
    again = ingest_factory(client_id="fpk-central-ingest-1", session_expiry_s=60)
    got = s.wait_verdicts(ids, 20)
    assert {v.status for v in got.values()} == {"stored"}
    assert again.db.template_count() == 10
