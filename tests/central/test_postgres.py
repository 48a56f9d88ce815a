"""Schema-2 batch ingest with two workers on a real PostgreSQL server (started by the fixture
of tests/sync/test_central_postgres.py): exactly once, and central's audit chain stays one
chain when both workers append to it at the same time."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

import kiosk_contract as c
from kiosk_central import audit_log
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.central.conftest import ROSTER, Sender
from tests.central.samples import new_id, template_v2
from tests.fixtures.broker import free_port, wait_until
from tests.sync.test_central_postgres import _pg_bin, pg_server, pg_url  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(180)]


def test_two_workers_batch_into_postgres_exactly_once(
    pg_url: str, ingest_factory: Callable[..., Ingest],  # noqa: F811
    sender_factory: Callable[..., Sender], central_key: KeyPair,
) -> None:
    CentralDB(pg_url).import_people(ROSTER)
    a = ingest_factory(db_url=pg_url, batch_size=100)
    b = ingest_factory(db_url=pg_url, batch_size=100)
    assert a.db.dialect == "postgresql"
    senders = [sender_factory("station-01"), sender_factory("station-02")]
    sent: dict[int, dict[str, str]] = {0: {}, 1: {}}
    for i in range(200):
        for n, s in enumerate(senders):
            tm, _ = template_v2(central_key, station=s.station, person=f"P-{i:05d}")
            s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
            sent[n][tm.msg_id or ""] = tm.meta.uuid
            if i % 20 == 0:  # receipts make both workers append to central's audit chain
                r = c.DeletionReceipt(new_id(), None, f"P-{i:05d}", s.station, (), c.utc_now_iso(),
                                      new_id(), c.DeletionCause.DESK, c.ReceiptPlaces("not-held"))
                s.send("deletion-receipts", r.to_bytes(), r.msg_id, wait=False)
                sent[n][r.msg_id or ""] = r.uuid
    for n, s in enumerate(senders):
        got = s.wait_verdicts(list(sent[n]), 90)
        assert {v.status for v in got.values()} == {"stored"}
        assert {m: v.uuid for m, v in got.items()} == sent[n]
    assert a.db.template_count() == 400
    assert a.counts["stored"] > 0 and b.counts["stored"] > 0
    assert a.counts["stored"] + b.counts["stored"] == 400
    with a.db.engine.connect() as conn:
        chain = audit_log.verify_central(conn)
    assert chain.ok and chain.entries >= 20


class PgServer:
    """A PostgreSQL server of this test alone, so it can be stopped and started under load."""

    def __init__(self, root: Path) -> None:
        bindir = _pg_bin()
        if bindir is None:
            (pytest.fail if os.environ.get("CI") else pytest.skip)("PostgreSQL not installed")
        assert bindir is not None
        self.bin, self.root, self.port = bindir, root, free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        root.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(root.parent, "postgres")
            shutil.chown(root, "postgres")
        self._run("initdb", "-D", str(root / "data"), "-U", "kiosk", "--auth=trust")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "kiosk", "central")
        self.url = f"postgresql+psycopg://kiosk@127.0.0.1:{self.port}/central"

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=check,
                       capture_output=True, timeout=60)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-w", "-l", str(self.root / "log"),
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off", "start")

    def stop(self, check: bool = True) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop",
                  check=check)


def test_postgres_restarted_under_load_loses_and_duplicates_nothing(
    ingest_factory: Callable[..., Ingest],
    sender_factory: Callable[..., Sender], central_key: KeyPair,
) -> None:
    # Not under tmp_path: PostgreSQL runs as its own user, which cannot enter pytest's folders.
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    pg = PgServer(root / "pg")
    try:
        CentralDB(pg.url).import_people(ROSTER)
        ing = ingest_factory(db_url=pg.url)
        s = sender_factory()
        sent = [template_v2(central_key, person=f"P-{i:05d}")[0] for i in range(40)]
        for tm in sent[:20]:
            s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
        s.wait_verdicts([tm.msg_id or "" for tm in sent[:20]])
        pg.stop()
        for tm in sent[20:]:
            s.send("templates", tm.to_bytes(), tm.msg_id)
        wait_until(lambda: ing.counts["db-error"] >= 1, 20, what="the failure noticed")
        assert not any(s.verdict(tm.msg_id or "") for tm in sent[20:])  # nothing acked
        pg.start()
        for tm in sent[20:]:  # what a station does after its ack timeout
            s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
        got = s.wait_verdicts([tm.msg_id or "" for tm in sent], 30)
        assert {v.status for v in got.values()} == {"stored"}
        assert sorted(r.uuid for r in ing.db.template_rows()) == sorted(
            tm.meta.uuid for tm in sent)
        assert ing.counts["worker-error"] == 0 and ing.client.is_connected()
    finally:
        pg.stop(check=False)
        shutil.rmtree(root, ignore_errors=True)
