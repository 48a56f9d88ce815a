"""Central ingest scaling: templates/s with 1, 2 and 4 workers while 50 stations publish at
once, on SQLite and on PostgreSQL, against a real Mosquitto on loopback.

    .venv/bin/python -m bench.bench_ingest [--mode full|quick|smoke] [--stations 50]
                                           [--per-station 200] [--workers 1,2,4]
                                           [--db sqlite,postgres]

Each run starts a fresh broker and database, N ``kiosk-central serve`` processes (separate
processes, so Python's GIL is not shared), and publisher processes that play the stations:
every station publishes its schema-2 templates (QoS 1, 20 in flight) as fast as the broker
takes them and counts central's acks. The figure is templates acked by central per second,
first publish to last ack; the reference is 1 worker on the same database.

Where it bends is read from the same run: CPU seconds of the broker, the workers, the
publishers and the database server, the workers' time inside database transactions, and the
machine's core count. Prints one JSON line per figure (``bench/run.py`` prints the table);
``--mode quick``: 12 templates per station; ``smoke``: 10 stations of 2.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

import kiosk_contract as c
from bench.central import CentralWorkers
from bench.common import Figure, Mode, cpu_seconds, emit, mode_arg, progress
from kiosk_central.db import CentralDB
from kiosk_contract.sealing import generate_keypair, load_public_key
from tests.fixtures.broker import MosquittoBroker, free_port, wait_until

PREFIX = "fpk/v1"
GOAL = "near-linear until the database bends; say where"
SIZES: dict[Mode, tuple[int, int]] = {"full": (50, 200), "quick": (50, 12), "smoke": (10, 2)}


def children_cpu(names: tuple[str, ...]) -> dict[int, float]:
    out = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                comm = (p / "comm").read_text().strip()
            except OSError:
                continue
            if comm in names:
                out[int(p.name)] = cpu_seconds(int(p.name))
    return out


# -- stations ---------------------------------------------------------------------------------


def build_payloads(public_b64: str, stations: list[str], per: int) -> dict[str, list[
        tuple[str, bytes]]]:
    key = load_public_key(public_b64)
    out: dict[str, list[tuple[str, bytes]]] = {}
    now = c.utc_now_iso()
    import hashlib

    for n, st in enumerate(stations):
        msgs = []
        for i in range(per):
            data = os.urandom(512)
            meta = c.TemplateMeta(str(uuid.uuid4()), st, "bench", f"B-{(n * per + i) % 5000:06d}",
                                  "right-index", "R307", "r307-char-512", 512,
                                  hashlib.sha256(data).hexdigest(), {"match_score": 90}, now, now)
            tm = c.TemplateMessage.build(meta, data, key, str(uuid.uuid4()))
            msgs.append((tm.msg_id or "", tm.to_bytes()))
        out[st] = msgs
    return out


def publisher(port: int, users: dict[str, str], payloads: dict[str, list[tuple[str, bytes]]],
              go: Any, done: Any) -> None:
    """One process playing several stations: publish everything, count verdicts."""
    pending: dict[str, set[str]] = {}
    lock = threading.Lock()
    finished = threading.Event()
    clients = []
    for st, msgs in payloads.items():
        pending[st] = {m for m, _ in msgs}
        cl = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=f"b-{st}",
                         protocol=mqtt.MQTTv5)
        cl.username_pw_set(st, users[st])
        cl.max_inflight_messages_set(20)

        def on_message(_c: Any, _u: Any, msg: mqtt.MQTTMessage, st: str = st) -> None:
            obj = json.loads(msg.payload)
            ids = [a["msg_id"] for a in obj["acks"]] if obj["type"] == "acks" else [obj["msg_id"]]
            with lock:
                pending[st].difference_update(ids)
                if not any(pending.values()):
                    finished.set()

        cl.on_message = on_message
        cl.connect("127.0.0.1", port, keepalive=30)
        cl.loop_start()
        clients.append((st, cl))
    for st, cl in clients:
        wait_until(cl.is_connected, 20, what=f"{st} connected")
        r = threading.Event()
        cl.on_subscribe = lambda *_a, r=r: r.set()
        cl.subscribe(c.Topics(PREFIX, st).acks, 1)
        r.wait(10)
    done.put(("ready", os.getpid()))
    go.wait()
    t0 = time.monotonic()
    for st, cl in clients:
        topics = c.Topics(PREFIX, st)
        for msg_id, raw in payloads[st]:
            props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
            props.ResponseTopic = topics.acks
            props.CorrelationData = c.correlation_for(msg_id)
            cl.publish(topics.templates, raw, qos=1, properties=props)
    ok = finished.wait(600)
    done.put(("finished", time.monotonic() - t0, ok, cpu_seconds(os.getpid())))
    for _st, cl in clients:
        cl.disconnect()
        cl.loop_stop()


# -- databases --------------------------------------------------------------------------------


class Postgres:
    """A throw-away PostgreSQL server on a free loopback port (Debian layout)."""

    def __init__(self, options: tuple[str, ...] = ()) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not found:
            raise SystemExit("PostgreSQL server binaries are not installed")
        self.bin = found[-1].parent
        self.root = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")
        self.port = free_port()
        self._run("initdb", "-D", str(self.root / "data"), "-U", "kiosk", "--auth=trust")
        self._run("pg_ctl", "-D", str(self.root / "data"), "-w", "-l", str(self.root / "log"),
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
                  + "".join(f" -c {o}" for o in options), "start")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True,
                       capture_output=True, timeout=120)

    def new_db(self) -> str:
        name = f"bench_{uuid.uuid4().hex[:10]}"
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "kiosk", name)
        return f"postgresql+psycopg://kiosk@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.root / "data"),
                        "-m", "fast", "stop"], capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def sample_waits(db_url: str, out: dict[str, int], stop: threading.Event) -> None:
    """What the ingest's PostgreSQL sessions are doing, sampled every 20 ms (pg_stat_activity:
    CPU when no wait event, else the wait event)."""
    import psycopg

    with psycopg.connect(db_url.replace("postgresql+psycopg", "postgresql"),
                         autocommit=True) as conn:
        while not stop.wait(0.02):
            for etype, event, state in conn.execute(
                    "SELECT wait_event_type, wait_event, state FROM pg_stat_activity WHERE "
                    "datname = current_database() AND pid <> pg_backend_pid() AND "
                    "backend_type = 'client backend'").fetchall():
                key = "idle" if state == "idle" else (f"{etype}:{event}" if event else "cpu")
                out[key] = out.get(key, 0) + 1


# -- one run ----------------------------------------------------------------------------------


@dataclass
class Run:
    db: str
    workers: int
    templates: int
    seconds: float
    rate: float
    cpu: dict[str, float]
    db_share: float
    transactions: int
    waits: dict[str, int]
    check_share: float


def run_once(db_kind: str, db_url: str, workers: int, stations: list[str],
             payloads: dict[str, list[tuple[str, bytes]]], key: Any, work: Path,
             pg: Postgres | None) -> Run:
    broker = MosquittoBroker(work / f"broker-{db_kind}-{workers}")
    for st in stations:
        broker.add_user(st)
    broker.start()
    CentralDB(db_url).import_people([(f"B-{i:06d}", f"B {i}", True) for i in range(5000)])
    if db_kind != "postgres":
        pg = None  # the server may be up for other runs; this one does not use it
    central = CentralWorkers(broker, db_url, key.private_b64, work / "central",
                             workers=workers, allow_unknown_people=False).start()
    ctx = mp.get_context("fork")
    go, done = ctx.Event(), ctx.Queue()
    half = len(stations) // 2
    groups = [stations[:half], stations[half:]]
    pubs = [ctx.Process(target=publisher, args=(broker.port, broker.users,
                                                {s: payloads[s] for s in g}, go, done))
            for g in groups]
    for pub in pubs:
        pub.start()
    for _ in pubs:
        assert done.get(timeout=60)[0] == "ready"
    broker_pid = broker.proc.pid if broker.proc else 0
    before = {"broker": cpu_seconds(broker_pid),
              "workers": central.cpu(),
              "postgres": sum(children_cpu(("postgres",)).values()) if pg else 0.0}
    waits: dict[str, int] = {}
    stop_sampling = threading.Event()
    sampler = None
    if pg is not None:
        sampler = threading.Thread(target=sample_waits, args=(db_url, waits, stop_sampling),
                                   daemon=True)
        sampler.start()
    go.set()
    results = [done.get(timeout=900) for _ in pubs]
    stop_sampling.set()
    if sampler is not None:
        sampler.join(5)
    seconds = max(r[1] for r in results)
    if not all(r[2] for r in results):
        print(f"warning: not every template was acked in time ({db_kind}, {workers})",
              file=sys.stderr)
    cpu = {"broker": cpu_seconds(broker_pid) - before["broker"],
           "workers": central.cpu() - before["workers"],
           "publishers": sum(r[3] for r in results),
           "postgres": (sum(children_cpu(("postgres",)).values()) - before["postgres"])
           if pg else 0.0}
    timing, transactions = {"db_s": 0.0, "check_s": 0.0}, 0
    for rep in central.stop():
        timing["db_s"] += rep.get("timing", {}).get("db_s", 0.0)
        timing["check_s"] += rep.get("timing", {}).get("check_s", 0.0)
        transactions += rep.get("counts", {}).get("transactions", 0)
    for pub in pubs:
        pub.join(30)
    broker.stop()
    total = sum(len(v) for v in payloads.values())
    return Run(db_kind, workers, total, seconds, total / seconds,
               {k: round(v, 2) for k, v in cpu.items()},
               round(timing["db_s"] / (workers * seconds), 2), transactions, waits,
               round(timing["check_s"] / (workers * seconds), 2))


def bend_note(r: Run, ref: Run) -> str:
    cores = os.cpu_count() or 1
    busy = sum(r.cpu.values()) / r.seconds
    parts = [f"{busy:.2f} of {cores} cores busy", f"workers {r.cpu['workers'] / r.seconds:.2f}",
             f"broker {r.cpu['broker'] / r.seconds:.2f}",
             f"publishers {r.cpu['publishers'] / r.seconds:.2f}"]
    if r.cpu["postgres"]:
        parts.append(f"postgres {r.cpu['postgres'] / r.seconds:.2f}")
    parts.append(f"{r.transactions} transactions; workers spent {int(r.db_share * 100)}% of "
                 "the run inside them (lock waits and fsync included) and "
                 f"{int(r.check_share * 100)}% checking and opening messages")
    busy_samples = {k: v for k, v in r.waits.items() if k != "idle"}
    if busy_samples:
        total = sum(busy_samples.values())
        top = sorted(busy_samples.items(), key=lambda kv: -kv[1])[:3]
        parts.append("postgres sessions busy in " + ", ".join(
            f"{k} {100 * v // total}%" for k, v in top))
    return "; ".join(parts)


def run(mode: Mode, argv: list[str]) -> list[Figure]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stations", type=int, default=SIZES[mode][0])
    ap.add_argument("--per-station", type=int, default=SIZES[mode][1])
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--db", default="sqlite,postgres")
    ap.add_argument("--pg-option", action="append", default=[], metavar="NAME=VALUE",
                    help="extra PostgreSQL setting for the experiment (repeatable)")
    args = ap.parse_args(argv)
    per = args.per_station
    counts = [int(x) for x in args.workers.split(",")]
    stations = [f"bench-{i:03d}" for i in range(args.stations)]
    key = generate_keypair()
    payloads = build_payloads(key.public_b64, stations, per)
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    pg = Postgres(tuple(args.pg_option)) if "postgres" in args.db.split(",") else None
    runs: list[Run] = []
    try:
        for db_kind in args.db.split(","):
            for w in counts:
                progress(f"ingest: {db_kind}, {w} worker(s), {args.stations} stations x {per}")
                url = (pg.new_db() if db_kind == "postgres" and pg else
                       f"sqlite:///{work / f'db-{w}' / 'central.sqlite3'}")
                runs.append(run_once(db_kind, url, w, stations, payloads, key, work, pg))
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(work, ignore_errors=True)
    figs = []
    for r in runs:
        ref = next(x for x in runs if x.db == r.db and x.workers == counts[0])
        figs.append(Figure(
            f"ingest_scaling_{r.db}_{r.workers}w", "templates/s", r.rate, ref.rate, goal=GOAL,
            detail={"templates": r.templates, "seconds": r.seconds, "cpu_s": r.cpu,
                    "db_share": r.db_share, "check_share": r.check_share,
                    "transactions": r.transactions},
            note=f"{args.stations} stations x {per} templates; reference {counts[0]} worker; "
                 f"{bend_note(r, ref)}"))
    return figs


def main(argv: list[str] | None = None) -> int:
    mode, rest = mode_arg(argv, __doc__ or "")
    for fig in run(mode, rest):
        emit(fig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
