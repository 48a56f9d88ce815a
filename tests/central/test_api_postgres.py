"""The API on a real PostgreSQL: restarted under load, calls fail cleanly (503 with
Retry-After, one JSON error, nothing changed) and succeed once it is back; several API
processes (``kiosk-central api --workers 2``) and two ingest workers share one database with
one audit chain and webhook order kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from kiosk_central import audit_log, webhooks
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.central.api_helpers import (  # noqa: F401
    ApiServer,
    Receiver,
    api_factory,
    make_token,
    receiver,
)
from tests.central.conftest import ROSTER, Sender
from tests.central.samples import template_v2
from tests.central.test_postgres import PgServer
from tests.fixtures.broker import free_port, wait_until
from tests.sync.test_central_postgres import _pg_bin, pg_server, pg_url  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(240)]


def test_postgresql_restarted_under_load_gives_503_then_recovers(
    api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    pg = PgServer(root / "pg")
    try:
        db = CentralDB(pg.url)
        db.import_people(ROSTER)
        token = make_token(pg.url, "read:status", "write:roster")
        api = api_factory(pg.url)
        codes: Counter[int] = Counter()
        bad: list[str] = []
        stop = threading.Event()

        def load(n: int) -> None:
            with api.client(token) as cl:
                i = 0
                while not stop.is_set() and i < 5000:
                    i += 1
                    r = cl.get(f"/v1/enrollments/P-{(n * 37 + i) % 300:05d}")
                    codes[r.status_code] += 1
                    if r.status_code == 200:
                        continue
                    ok = (r.status_code == 503 and r.headers.get("retry-after") == "5"
                          and r.json()["error"] in ("database-unavailable",
                                                    "audit-unavailable"))
                    if not ok or "Traceback" in r.text:
                        bad.append(f"{r.status_code} {r.text[:200]}")

        threads = [threading.Thread(target=load, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        wait_until(lambda: codes[200] > 50, 30, what="load running")
        version = db.roster_version()
        pg.stop()
        wait_until(lambda: codes[503] > 20, 30, what="calls refused with 503")
        with api.client(token) as cl:
            w = cl.post("/v1/roster/delta", json={"base_version": version, "upsert": [
                {"external_id": "NEW-1", "display_name": "New"}]})
        assert w.status_code == 503 and w.headers["retry-after"] == "5", w.text
        assert "nothing was changed" in w.json()["message"]
        served = codes[200]
        pg.start()
        wait_until(lambda: codes[200] > served + 50, 60, what="calls succeed again")
        stop.set()
        for t in threads:
            t.join(30)
        assert bad == []
        assert db.roster_version() == version  # the refused write changed nothing
        with api.client(token) as cl:
            again = cl.post("/v1/roster/delta", json={"base_version": version, "upsert": [
                {"external_id": "NEW-1", "display_name": "New"}]})
        assert again.status_code == 200 and db.roster_version() == version + 1
        with db.engine.connect() as conn:
            assert audit_log.verify_central(conn).ok
        print(f"\nunder load across the restart: {dict(codes)}")
    finally:
        pg.stop(check=False)
        shutil.rmtree(root, ignore_errors=True)


def test_two_api_processes_and_two_ingest_workers_share_one_postgresql(
    pg_url: str, ingest_factory: Callable[..., Ingest],  # noqa: F811
    sender_factory: Callable[..., Sender], central_key: KeyPair, receiver: Receiver,  # noqa: F811
    tmp_path: Path,
) -> None:
    CentralDB(pg_url).import_people(ROSTER)
    ingest_factory(db_url=pg_url)
    ingest_factory(db_url=pg_url)
    token = make_token(pg_url, "read:status")
    webhooks.add(CentralDB(pg_url), receiver.url, secret=receiver.secret)
    port = free_port()
    log = (tmp_path / "api.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk_central.cli", "api", "--db", pg_url, "--listen",
         f"127.0.0.1:{port}", "--workers", "2", "-v"], stdout=log, stderr=log,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        def healthy() -> bool:
            try:
                return httpx.get(f"{base}/v1/health", timeout=2).json()["ok"] is True
            except httpx.HTTPError:
                return False

        wait_until(healthy, 60, what="two API processes up")
        senders = [sender_factory("station-01"), sender_factory("station-02")]
        people = [f"P-{i:05d}" for i in range(100)]
        for n, s in enumerate(senders):
            for p in people[n * 50:(n + 1) * 50]:
                tm, _ = template_v2(central_key, station=s.station, person=p)
                s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
        seen: set[str] = set()
        errors: list[int] = []

        def poll() -> None:  # what a web application does: since= from its last cursor
            cursor = 0
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                              timeout=30) as cl:
                for _ in range(600):
                    r = cl.get("/v1/enrollments", params={"since": cursor})
                    if r.status_code != 200:
                        errors.append(r.status_code)
                        return
                    page = r.json()
                    seen.update(i["person"] for i in page["items"]
                                if i["biometric"] == "registered")
                    cursor = page["next_since"] or page["cursor"]
                    if len(seen) == 100:
                        return

        pollers = [threading.Thread(target=poll) for _ in range(4)]
        for t in pollers:
            t.start()
        for t in pollers:
            t.join(120)
        assert errors == [] and seen == set(people)
        wait_until(lambda: len(receiver.events()) == 100, 60, what="100 webhook events")
        got = receiver.events()
        assert [e["seq"] for e in got] == sorted(e["seq"] for e in got)
        assert len({e["id"] for e in got}) == 100
        db = CentralDB(pg_url)
        with db.engine.connect() as conn:
            assert audit_log.verify_central(conn).ok  # API processes and workers: one chain
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
    text = (tmp_path / "api.log").read_text()
    assert text.count("Started server process") == 2, text[-2000:]
    assert "Traceback" not in text
