"""Central API latency: the status endpoint under 50 concurrent clients on 100,000 people,
and webhook delivery latency, against a real ``kiosk-central api`` (uvicorn) on loopback.

    .venv/bin/python bench/bench_api.py [--quick] [--people 100000] [--enrolled 0.3]
                                        [--clients 50] [--requests 5000] [--workers 2]
                                        [--db sqlite,postgres]

Per database: a fresh database with ``--people`` on the roster (a roster import) and a share
of them enrolled (templates stored through the ingest's own batch code, sealed), an API token,
a webhook subscriber (a stdlib HTTP receiver in this process), and ``kiosk-central api
--workers N``. Then:

* ``status one person``: GET /v1/enrollments/{random id}, ``--clients`` at once (a thread
  and a kept-alive connection each), ``--requests`` in all; p50 and p95 in ms. The reference
  is the same request with one client (latency without contention), so the ratio says what
  the load costs.
* ``status page``: GET /v1/enrollments?after=…&limit=100 the same way.
* ``webhook``: templates committed one by one while the API's dispatchers run (poll 0.5 s);
  from the commit (the event's ``occurred_at``) to the receiver, p50 and p95 in ms; reference
  the poll interval.

Every call goes through the token check and the audit log like any other. Prints one JSON line
per figure ({"name","unit","value","reference","ratio","note"}) and a table at the end.
``--quick``: 10,000 people and 1,000 requests (about a minute).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import hashlib

import httpx

import kiosk_contract as c
from bench.bench_ingest import Postgres
from kiosk_central import tokens, webhooks
from kiosk_central.apply import Batch, TemplateIn
from kiosk_central.clock import now
from kiosk_central.db import CentralDB
from kiosk_central.vault import LocalMasterKey, Vault
from tests.fixtures.broker import free_port, wait_until

FINGERS = ("right-index", "left-index")


def seed(url: str, people: int, enrolled: float) -> tuple[CentralDB, list[str]]:
    db = CentralDB(url, Vault(LocalMasterKey(os.urandom(32), "bench")))
    ids = [f"S-{i:06d}" for i in range(people)]
    db.import_people([c.RosterPerson(p, f"Student {p}", True, f"Y{i % 13}", "student")
                      for i, p in enumerate(ids)], "bench")
    chosen = ids[: int(people * enrolled)]
    stamp = c.utc_now_iso()
    for start in range(0, len(chosen), 2000):
        items = []
        for i, p in enumerate(chosen[start:start + 2000]):
            data = os.urandom(512)
            meta = c.TemplateMeta(str(uuid.uuid4()), "station-01", "alice", p,
                                  FINGERS[i % 2], "R307", "r307-char-512", 512,
                                  hashlib.sha256(data).hexdigest(), {"match_score": 90},
                                  stamp, stamp)
            items.append(TemplateIn(meta, data, "", 2))
        with db.engine.begin() as conn:
            b = Batch(conn, db.dialect, db.vault, require_known_person=False)
            b.templates(items)
            b.flush_events()
    return db, ids


class Receiver:
    def __init__(self) -> None:
        self.arrived: list[tuple[datetime, dict[str, Any]]] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.arrived.append((now(), json.loads(body)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_a: Any) -> None:
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def load(port: int, token: str, paths: list[str], clients: int) -> list[float]:
    """Latencies (s) of ``paths`` fetched by ``clients`` concurrent clients: one thread and
    one kept-alive connection each (``http.client``: the lightest client in Python, so the
    two cores go to the server rather than to the load generator)."""
    todo = list(paths)
    lat: list[float] = []
    lock = threading.Lock()
    failed: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        head = {"Authorization": f"Bearer {token}"}
        while True:
            with lock:
                if not todo or failed:
                    break
                path = todo.pop()
            t0 = time.perf_counter()
            conn.request("GET", path, headers=head)
            r = conn.getresponse()
            r.read()
            with lock:
                lat.append(time.perf_counter() - t0)
                if r.status != 200:
                    failed.append(f"{path}: HTTP {r.status}")
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed:
        raise SystemExit(failed[0])
    return lat


def pct(xs: list[float], q: float) -> float:
    return sorted(xs)[min(len(xs) - 1, int(q * len(xs)))]


def run_db(kind: str, url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    t0 = time.monotonic()
    db, ids = seed(url, args.people, args.enrolled)
    seeded = time.monotonic() - t0
    token, _ = tokens.create(db, "bench", ["read:status"])
    rec = Receiver()
    webhooks.add(db, f"http://127.0.0.1:{rec.port}/hook")
    port = free_port()
    log_path = Path(tempfile.mkdtemp(prefix="bench-api-")) / "api.log"
    log = log_path.open("w")
    proc = subprocess.Popen([sys.executable, "-m", "kiosk_central.cli", "api", "--db", url,
                             "--listen", f"127.0.0.1:{port}", "--workers", str(args.workers)],
                            stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    out: list[dict[str, Any]] = []
    try:
        def up() -> bool:
            try:
                return httpx.get(f"{base}/v1/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, 60, what="the API")
        rnd = random.Random(7)

        def one() -> str:
            return f"/v1/enrollments/{rnd.choice(ids)}"

        def page() -> str:
            return f"/v1/enrollments?limit=100&after={rnd.choice(ids)}"

        cases: list[tuple[str, Callable[[], str]]] = [("status one person", one),
                                                      ("status page", page)]
        for name, make in cases:
            n = args.requests if name == "status one person" else args.requests // 5
            solo = load(port, token, [make() for _ in range(max(50, n // 20))], 1)
            t1 = time.perf_counter()
            busy = load(port, token, [make() for _ in range(n)], args.clients)
            rate = n / (time.perf_counter() - t1)
            for q in (0.5, 0.95):
                v, ref = pct(busy, q) * 1000, pct(solo, q) * 1000
                out.append({"name": f"{kind}: {name} p{int(q * 100)}", "unit": "ms",
                            "value": round(v, 1), "reference": round(ref, 1),
                            "ratio": round(v / ref, 2),
                            "note": f"{args.clients} clients, {n} requests, {rate:.0f} req/s, "
                                    f"{args.people} people, {args.workers} API processes; "
                                    "reference: 1 client"})
        for i in range(args.webhooks):
            time.sleep(rnd.random() * 0.5)  # commits at any phase of the dispatcher's poll
            data = os.urandom(512)
            stamp = c.utc_now_iso()
            meta = c.TemplateMeta(str(uuid.uuid4()), "station-01", "alice",
                                  ids[i], "left-thumb", "R307", "r307-char-512", 512,
                                  hashlib.sha256(data).hexdigest(), {}, stamp, stamp)
            with db.engine.begin() as conn:
                b = Batch(conn, db.dialect, db.vault, False)
                b.templates([TemplateIn(meta, data, "", 2)])
                b.flush_events()
            wait_until(lambda: len(rec.arrived) > i, 30,  # noqa: B023 (waited for here)
                       what="webhook delivered")
        lat = [(t - datetime.fromisoformat(e["occurred_at"])).total_seconds() * 1000
               for t, e in rec.arrived]
        for q in (0.5, 0.95):
            v = pct(lat, q)
            out.append({"name": f"{kind}: webhook delivery p{int(q * 100)}", "unit": "ms",
                        "value": round(v, 1), "reference": 500.0, "ratio": round(v / 500, 2),
                        "note": f"{len(lat)} events, commit to receiver; reference: the "
                                "dispatcher's poll interval"})
        out.append({"name": f"{kind}: seeding", "unit": "s", "value": round(seeded, 1),
                    "reference": None, "ratio": None,
                    "note": f"{args.people} people, {int(args.people * args.enrolled)} "
                            "templates stored"})
    finally:
        proc.terminate()
        proc.wait(30)
        rec.server.shutdown()
        log.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--enrolled", type=float, default=0.3)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--webhooks", type=int, default=40)
    ap.add_argument("--db", default="sqlite,postgres")
    args = ap.parse_args()
    if args.quick:
        args.people, args.requests, args.webhooks = 10_000, 1000, 10
    lines: list[dict[str, Any]] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    pg = Postgres() if "postgres" in args.db.split(",") else None
    try:
        for kind in args.db.split(","):
            url = (pg.new_db() if kind == "postgres" and pg else
                   f"sqlite:///{tmp / kind / 'central.sqlite3'}")
            for line in run_db(kind, url, args):
                print(json.dumps(line, ensure_ascii=False), flush=True)
                lines.append(line)
    finally:
        if pg is not None:
            pg.stop()
    print(f"\n{'name':<42} {'value':>9} {'ref':>8} {'ratio':>6}  note")
    for ln in lines:
        print(f"{ln['name']:<42} {ln['value']:>9} {ln['reference'] or '-':>8} "
              f"{ln['ratio'] or '-':>6}  {ln['note']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
