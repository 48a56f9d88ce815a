"""Sync throughput and latency against a real Mosquitto on loopback.

    .venv/bin/python bench/bench_sync.py [--backlog 10000] [--latency 200] [--json]

Measures, in one run and on one broker:
  1. drain rate of an offline backlog (templates/s from worker start to empty outbox; every
     template goes through seal → broker → ingest commit → app ack → store update),
  2. enrollment-commit → central-ack latency with the station online (median, p95),
  3. the broker's raw QoS 1 rate for the same payload size (publish → PUBACK, same inflight
     window, a subscriber attached), as the reference ceiling.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

# Run from a source checkout: the broker fixture lives in tests/fixtures.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from kiosk.config import SyncConfig
from kiosk.store import PersonIn, Store
from kiosk.sync.worker import SyncWorker
from kiosk_central.ingest import Ingest, IngestConfig
from kiosk_contract.mqtt import ClientSettings, parse_broker_url
from kiosk_contract.sealing import generate_keypair
from tests.fixtures.broker import MosquittoBroker, wait_until

STATION = "station-01"
TEMPLATE_SIZE = 512


def enroll(store: Store, first: int, count_people: int) -> list[str]:
    people = [PersonIn(f"B-{i:06d}", f"Bench {i}") for i in range(first, first + count_people)]
    store.people.upsert(people, "0")
    out = []
    for i, p in enumerate(people):
        store.consents.record(p.external_id, notice_version="1", notice_text="n",
                             method="on-screen", operator=None)
        for j, finger in enumerate(("right-index", "left-index")):
            out.append(store.enrollments.record(
                external_id=p.external_id, finger=finger, slot=(first + i) * 2 + j,
                template=os.urandom(TEMPLATE_SIZE), sensor_model="R307",
                template_format="r307-char-512", match_score=90))
    return out


def sample_template_message(public_b64: str) -> bytes:
    """A real template message of the benchmark's template size (for the raw-rate payload)."""
    import hashlib
    import uuid

    import kiosk_contract as c
    from kiosk_contract.sealing import load_public_key, seal

    data = os.urandom(TEMPLATE_SIZE)
    now = c.utc_now_iso()
    meta = c.TemplateMeta(str(uuid.uuid4()), STATION, "system", "B-000000", "right-index",
                          "R307", "r307-char-512", TEMPLATE_SIZE,
                          hashlib.sha256(data).hexdigest(), {"match_score": 90, "retries": 0},
                          now, now)
    return c.TemplateMessage(meta, seal(load_public_key(public_b64), data, meta.aad())).to_bytes()


def empty(store: Store) -> bool:
    st = store.outbox.stats()
    return st.pending + st.sent_unacked == 0


def raw_qos1_rate(broker: MosquittoBroker, payload_size: int, n: int, inflight: int) -> float:
    sub = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id="bench-sub",
                      protocol=mqtt.MQTTv5)
    sub.username_pw_set("central", broker.password("central"))
    got = [0]
    sub.on_message = lambda c, u, m: got.__setitem__(0, got[0] + 1)
    sub.connect(broker.host, broker.port)
    sub.loop_start()
    sub.subscribe(f"fpk/v1/stations/{STATION}/templates", 1)
    pub = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id="bench-pub",
                      protocol=mqtt.MQTTv5)
    pub.username_pw_set(STATION, broker.password(STATION))
    pub.max_inflight_messages_set(inflight)
    acked = [0]
    pub.on_publish = lambda c, u, mid, rc, p: acked.__setitem__(0, acked[0] + 1)
    pub.connect(broker.host, broker.port)
    pub.loop_start()
    time.sleep(0.5)  # let both SUBACK and CONNACK settle before timing (bench, not a test)
    body = os.urandom(payload_size)
    t0 = time.perf_counter()
    for _ in range(n):
        pub.publish(f"fpk/v1/stations/{STATION}/templates", body, qos=1)
    wait_until(lambda: acked[0] >= n and got[0] >= n, 120, what="raw QoS 1 run")
    rate = n / (time.perf_counter() - t0)
    for c in (pub, sub):
        c.disconnect()
        c.loop_stop()
    return rate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backlog", type=int, default=10_000, help="templates in the backlog")
    ap.add_argument("--latency", type=int, default=200, help="online enrollments to time")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    broker = MosquittoBroker(tmp / "broker")
    broker.add_user(STATION)
    broker.start()
    key = generate_keypair()
    results: dict[str, Any] = {"backlog_templates": args.backlog, "template_bytes": TEMPLATE_SIZE}
    store = Store.open(tmp / "station.sqlite3", station_id=STATION)
    ing: Ingest | None = None
    worker: SyncWorker | None = None
    try:
        t = time.perf_counter()
        enroll(store, 0, args.backlog // 2)
        results["enroll_s"] = round(time.perf_counter() - t, 1)
        backlog_rows = store.outbox.stats().pending
        db_url = f"sqlite:///{tmp / 'central.sqlite3'}"
        settings = ClientSettings(endpoint=parse_broker_url(broker.url), client_id="central-0",
                                  username="central", password=broker.password("central"))
        ing = Ingest(IngestConfig(settings, db_url, key.private_b64,
                                  require_known_person=False)).start()
        wait_until(ing.ready.is_set, 10)
        cfg = SyncConfig(broker_url=broker.url, central_public_key=key.public_b64)
        worker = SyncWorker(store, STATION, cfg, password=broker.password(STATION))
        t = time.perf_counter()
        worker.start()
        wait_until(lambda: empty(store), 3600, interval=0.05, what="backlog drained")
        drain_s = time.perf_counter() - t
        assert ing.db.template_count() == args.backlog
        results["drain_s"] = round(drain_s, 2)
        results["drain_templates_per_s"] = round(args.backlog / drain_s, 1)
        results["drain_messages_per_s"] = round(backlog_rows / drain_s, 1)
        lat = []
        people = max(1, args.latency // 2)
        store.people.upsert([PersonIn(f"L-{i:06d}", f"Lat {i}") for i in range(people)], "0")
        for i in range(people):
            ext = f"L-{i:06d}"
            store.consents.record(ext, notice_version="1", notice_text="n", method="on-screen",
                                 operator=None)
            wait_until(lambda: empty(store), 30, interval=0.005)
            for j, finger in enumerate(("right-index", "left-index")):
                store.enrollments.record(
                    external_id=ext, finger=finger, slot=1_000_000 + i * 2 + j,
                    template=os.urandom(TEMPLATE_SIZE), sensor_model="R307",
                    template_format="r307-char-512", match_score=90)
                t_commit = time.perf_counter()
                worker.kick()
                wait_until(lambda: empty(store), 30, interval=0.005)
                lat.append(time.perf_counter() - t_commit)
        lat.sort()
        results["latency_n"] = len(lat)
        results["latency_median_ms"] = round(statistics.median(lat) * 1000, 1)
        results["latency_p95_ms"] = round(lat[int(len(lat) * 0.95) - 1] * 1000, 1)
        worker.stop()
        ing.stop()
        worker = ing = None
        sample = len(sample_template_message(key.public_b64))
        results["raw_payload_bytes"] = sample
        results["raw_qos1_msgs_per_s"] = round(
            raw_qos1_rate(broker, sample, args.backlog, 200), 1)
    finally:
        if worker is not None:
            worker.stop()
        if ing is not None:
            ing.stop()
        store.close()
        broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    report(results, as_json=args.json)
    return 0


def report(results: dict[str, Any], *, as_json: bool) -> None:
    """Print a benchmark's numbers: aligned for people, or JSON for scripts."""
    if as_json:
        print(json.dumps(results, indent=2))
        return
    width = max(map(len, results), default=0)
    for k, v in results.items():
        print(f"{k:>{width}}: {v}")


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
