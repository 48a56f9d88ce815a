"""Sync throughput and latency: the real station sync worker, a real Mosquitto on loopback,
the real central ingest (``kiosk-central serve``, a process of its own, as in production).

    .venv/bin/python -m bench.bench_sync [--mode full|quick|smoke]

Figures (one JSON line each, ``bench/run.py`` prints the table):

* ``sync_drain_rate``: templates/s draining an offline backlog (full: 10,000 templates of
  5,000 people, each with its attempt event, each person with a consent event), from worker
  start to the last application ack settled in the station's store. Every template goes
  store → open → seal → broker → central check, open, commit → ``acks`` → store. Reference:
  the broker's raw QoS 1 rate (publish → PUBACK, a subscriber attached, the same number of
  messages in flight as the worker allows; at most 8,000 messages, within the broker's queue
  limit) for a payload of the size of a template message, measured in the same run.
* ``online_commit_to_ack_ms``: with the worker online and idle, one enrollment committed to
  the store, then the time until the station has settled central's ack (p50, p95).
  Reference: a bare MQTT request/response round trip (QoS 1 both ways, the responder in a
  process of its own like central), same run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

import kiosk_contract as c
from bench.central import CentralWorkers
from bench.common import (
    REPO,
    Figure,
    Mode,
    emit,
    mode_arg,
    pct,
    profiled,
    progress,
    rss_mb,
    sizes_from_env,
)
from kiosk.config import SyncConfig
from kiosk.store import PersonIn, Store
from kiosk.store.outbox import Outbox
from kiosk.sync.state import SyncState
from kiosk.sync.worker import SyncWorker
from kiosk_contract.mqtt import no_delay
from kiosk_contract.sealing import generate_keypair, load_public_key, seal
from tests.fixtures.broker import MosquittoBroker

STATION = "station-01"
TEMPLATE_SIZE = 512
#: Messages the station worker keeps on the wire (SyncWorker's default), also for the raw run.
IN_FLIGHT = 500

SIZES: dict[Mode, dict[str, int]] = {
    "full": {"backlog": 10_000, "latency": 200},
    "quick": {"backlog": 1_000, "latency": 40},
    "smoke": {"backlog": 60, "latency": 5},
}


def enroll(store: Store, first: int, count_people: int) -> list[str]:
    """``count_people`` people with consent and two enrolled fingers each, through the store's
    own units of work (template + attempt + audit + outbox rows, as the desk commits them)."""
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
    """A real template message of the benchmark's template size (the raw run's payload)."""
    data = os.urandom(TEMPLATE_SIZE)
    now = c.utc_now_iso()
    meta = c.TemplateMeta(str(uuid.uuid4()), STATION, "system", "B-000000", "right-index",
                          "R307", "r307-char-512", TEMPLATE_SIZE,
                          hashlib.sha256(data).hexdigest(), {"match_score": 90, "retries": 0},
                          now, now)
    return c.TemplateMessage(meta, seal(load_public_key(public_b64), data, meta.aad())).to_bytes()


def _client(broker: MosquittoBroker, user: str, client_id: str) -> mqtt.Client:
    """A bare paho client, sending each packet at once (as the station's and central's)."""
    cl = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id,
                     protocol=mqtt.MQTTv5)
    cl.username_pw_set(user, broker.password(user))
    cl.on_socket_open = no_delay
    return cl


def _connect(cl: mqtt.Client, broker: MosquittoBroker) -> None:
    ready = threading.Event()
    cl.on_connect = lambda *_a: ready.set()
    cl.connect(broker.host, broker.port)
    cl.loop_start()
    if not ready.wait(10):
        raise TimeoutError("no CONNACK")


def _subscribe(cl: mqtt.Client, topic: str) -> None:
    done = threading.Event()
    cl.on_subscribe = lambda *_a: done.set()
    cl.subscribe(topic, 1)
    if not done.wait(10):
        raise TimeoutError("no SUBACK")


#: The broker keeps at most 10,000 messages queued for a client (docs/mosquitto); a longer
#: burst than that to a subscriber that falls behind would be dropped and never counted.
RAW_MAX_MESSAGES = 8000


def raw_qos1_rate(broker: MosquittoBroker, payload_size: int, n: int, inflight: int) -> float:
    """Messages/s the broker takes at QoS 1: publish → PUBACK, and delivered to a subscriber.

    At most ``RAW_MAX_MESSAGES`` (a rate, not a total: the broker's queue limit must hold)."""
    n = min(n, RAW_MAX_MESSAGES)
    topic = f"fpk/v1/stations/{STATION}/templates"
    sub = _client(broker, "central", "bench-sub")
    got = [0]
    everything = threading.Event()

    def on_message(*_a: Any) -> None:
        got[0] += 1
        if got[0] >= n:
            everything.set()

    sub.on_message = on_message
    _connect(sub, broker)
    _subscribe(sub, topic)
    pub = _client(broker, STATION, "bench-pub")
    pub.max_inflight_messages_set(inflight)
    acked = [0]
    all_acked = threading.Event()

    def on_publish(*_a: Any) -> None:
        acked[0] += 1
        if acked[0] >= n:
            all_acked.set()

    pub.on_publish = on_publish
    _connect(pub, broker)
    body = os.urandom(payload_size)
    t0 = time.perf_counter()
    for _ in range(n):
        pub.publish(topic, body, qos=1)
    if not (all_acked.wait(300) and everything.wait(300)):
        raise TimeoutError(f"raw QoS 1 run did not complete: {acked[0]} of {n} acknowledged, "
                           f"{got[0]} delivered")
    rate = n / (time.perf_counter() - t0)
    for cl in (pub, sub):
        cl.disconnect()
        cl.loop_stop()
    return rate


def responder(host: str, port: int, password: str) -> None:
    """A bare MQTT responder (its own process): every request is answered at once, QoS 1, on
    its ResponseTopic with its CorrelationData."""
    cl = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id="bench-echo",
                     protocol=mqtt.MQTTv5)
    cl.username_pw_set("central", password)
    cl.on_socket_open = no_delay

    def on_message(client: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
        props.CorrelationData = msg.properties.CorrelationData  # type: ignore[union-attr]
        client.publish(msg.properties.ResponseTopic, b'{"ok":true}', qos=1,  # type: ignore[union-attr]
                       properties=props)

    def on_connect(client: mqtt.Client, *_a: Any) -> None:
        client.subscribe(f"fpk/v1/stations/{STATION}/attempts", 1)

    cl.on_message = on_message
    cl.on_connect = on_connect
    cl.on_subscribe = lambda *_a: print("ready", flush=True)
    cl.connect(host, port)
    cl.loop_forever()


def bare_round_trips(broker: MosquittoBroker, n: int) -> list[float]:
    """Request → response times (s) through the broker, the responder in its own process."""
    echo = subprocess.Popen([sys.executable, "-m", "bench.bench_sync", "--responder",
                             str(broker.port), broker.password("central")], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert echo.stdout is not None
        if echo.stdout.readline().strip() != "ready":
            raise RuntimeError("responder did not start")
        topics = c.Topics("fpk/v1", STATION)
        req = _client(broker, STATION, "bench-req")
        answered = threading.Event()
        req.on_message = lambda *_a: answered.set()
        _connect(req, broker)
        _subscribe(req, topics.acks)
        out = []
        body = os.urandom(400)
        for i in range(n + 5):
            props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
            props.ResponseTopic = topics.acks
            props.CorrelationData = str(i).encode()
            answered.clear()
            t0 = time.perf_counter()
            req.publish(topics.attempts, body, qos=1, properties=props)
            if not answered.wait(10):
                raise TimeoutError("no response")
            if i >= 5:  # the first few warm the connections up
                out.append(time.perf_counter() - t0)
        req.disconnect()
        req.loop_stop()
        return out
    finally:
        echo.terminate()
        echo.wait(10)


def durable_commits(folder: Path, n: int) -> list[float]:
    """Seconds per one-row SQLite commit with the store's durability (WAL, synchronous=FULL)
    on the disk the station's database is on: the floor under every commit on the path."""
    import sqlite3

    db = sqlite3.connect(folder / "fsync-probe.sqlite3", isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE t (x INTEGER)")
        out = []
        for i in range(n):
            t0 = time.perf_counter()
            db.execute("BEGIN")
            db.execute("INSERT INTO t VALUES (?)", (i,))
            db.execute("COMMIT")
            out.append(time.perf_counter() - t0)
        return out
    finally:
        db.close()


class Stages:
    """Where one online enrollment's commit-to-ack time goes, seen from the station: the
    worker's own steps timed by wrapping them for the latency phase only (a few microseconds
    each). Per enrollment: queueing the audit event, building and publishing, marking sent,
    waiting for central (broker + central's check, commit and ack), settling each ack."""

    STEPS = (("enqueue_audit", Outbox, "enqueue_audit"), ("send", SyncWorker, "_send"),
             ("mark_sent", Outbox, "mark_sent_many"), ("settle", Outbox, "settle"),
             ("stats", Outbox, "stats"))

    def __init__(self) -> None:
        self.calls: list[tuple[str, float, float]] = []
        self._saved: list[tuple[type, str, Any]] = []

    def __enter__(self) -> Stages:
        for label, cls, name in self.STEPS:
            orig = getattr(cls, name)
            self._saved.append((cls, name, orig))
            setattr(cls, name, self._timed(label, orig))
        return self

    def __exit__(self, *_exc: object) -> None:
        for cls, name, orig in self._saved:
            setattr(cls, name, orig)

    def _timed(self, label: str, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.calls.append((label, t, time.perf_counter()))
        return timed

    def window(self, start: float, end: float) -> dict[str, float]:
        """Milliseconds per step between ``start`` and ``end``; ``settles`` counts the settle
        transactions; ``to_first_ack``: end of the send to the start of the first settle."""
        inside = [(n, a, b) for n, a, b in self.calls if start <= a <= end]
        out: dict[str, float] = {}
        for n, a, b in inside:
            out[n] = out.get(n, 0.0) + (b - a) * 1000
        settles = [a for n, a, _ in inside if n == "settle"]
        sends = [b for n, _, b in inside if n == "send"]
        out["settles"] = float(len(settles))
        if settles and sends:
            out["to_first_ack"] = (min(settles) - min(sends)) * 1000
        return out


def _stage_medians(windows: list[dict[str, float]]) -> dict[str, float]:
    keys = sorted({k for w in windows for k in w})
    return {k: round(statistics.median(w.get(k, 0.0) for w in windows), 3) for k in keys}


class Settled:
    """The worker's state listener: wakes a waiter when the backlog reaches zero."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.state: SyncState | None = None
        self.changes = 0
        #: The change at which something was last pending.
        self.busy = -1

    def __call__(self, st: SyncState) -> None:
        with self.cond:
            self.state = st
            self.changes += 1
            if st.pending or st.in_flight:
                self.busy = self.changes
            self.cond.notify_all()

    def wait_empty(self, timeout: float, after: int = -1) -> float:
        """Block until nothing is pending any more, after something was pending since change
        ``after``; returns the perf_counter time the worker reported it."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                st = self.state
                if st is not None and self.busy > after and st.online and \
                        st.pending == 0 and st.in_flight == 0:
                    return time.perf_counter()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"backlog not drained (last state {st})")
                self.cond.wait(left)


def run(mode: Mode) -> list[Figure]:
    size = {**SIZES[mode], **sizes_from_env()}
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    broker = MosquittoBroker(tmp / "broker")
    broker.add_user(STATION)
    broker.start()
    key = generate_keypair()
    store = Store.open(tmp / "station.sqlite3", station_id=STATION)
    central: CentralWorkers | None = None
    worker: SyncWorker | None = None
    figs: list[Figure] = []
    try:
        backlog = size["backlog"]
        progress(f"sync: building a backlog of {backlog} templates")
        t = time.perf_counter()
        enroll(store, 0, backlog // 2)
        enroll_s = time.perf_counter() - t
        rows = store.outbox.stats().pending
        central = CentralWorkers(broker, f"sqlite:///{tmp / 'central.sqlite3'}",
                                 key.private_b64, tmp / "central").start()
        listener = Settled()
        cfg = SyncConfig(broker_url=broker.url, central_public_key=key.public_b64)
        worker = SyncWorker(store, STATION, cfg, password=broker.password(STATION),
                            listener=listener, max_in_flight=IN_FLIGHT)
        progress(f"sync: draining {rows} messages")
        central_ = central
        with profiled("drain", lambda: [os.getpid(), *(p.pid for p in central_.procs)]):
            cpu0 = time.process_time()
            t0 = time.perf_counter()
            worker.start()
            t1 = listener.wait_empty(3600)
        drain_s = t1 - t0
        station_cpu = time.process_time() - cpu0
        st = store.outbox.stats()
        # The backlog's rows plus the audit events the worker queued while draining.
        assert st.acked >= rows and st.pending + st.sent_unacked + st.rejected == 0, st
        rows = st.acked
        drained = {"drain_s": drain_s, "messages": rows, "messages_per_s": rows / drain_s,
                   "station_cpu_share": station_cpu / drain_s,
                   "enroll_setup_s": enroll_s}

        progress(f"sync: {size['latency']} online enrollments, commit → ack")
        lat = []
        people = [PersonIn(f"L-{i:06d}", f"Lat {i}") for i in range(size["latency"])]
        store.people.upsert(people, "0")
        stages = Stages()
        windows: list[dict[str, float]] = []
        with profiled("latency", lambda: [os.getpid(), *(p.pid for p in central_.procs)]), \
                stages:
            for i, p in enumerate(people):
                mark = listener.changes
                store.consents.record(p.external_id, notice_version="1", notice_text="n",
                                      method="on-screen", operator=None)
                worker.kick()
                listener.wait_empty(30, after=mark)
                mark = listener.changes
                store.enrollments.record(
                    external_id=p.external_id, finger="right-index", slot=1_000_000 + i,
                    template=os.urandom(TEMPLATE_SIZE), sensor_model="R307",
                    template_format="r307-char-512", match_score=90)
                t_commit = time.perf_counter()
                worker.kick()  # what the desk's on_commit does
                t_done = listener.wait_empty(30, after=mark)
                lat.append(t_done - t_commit)
                windows.append(stages.window(t_commit, t_done))
        worker.stop()
        worker = None
        central.stop()
        central = None

        progress("sync: references (raw QoS 1 rate, bare round trip)")
        sample = len(sample_template_message(key.public_b64))
        raw = raw_qos1_rate(broker, sample, rows, IN_FLIGHT)
        rtt = bare_round_trips(broker, max(20, size["latency"]))
        disk = durable_commits(tmp, max(20, size["latency"]))
        rate = backlog / drain_s
        figs.append(Figure(
            "sync_drain_rate", "templates/s", rate, raw, goal="≥ 0.5 × raw QoS 1 rate",
            met=rate >= 0.5 * raw,
            detail={**drained, "raw_msgs_per_s": raw, "raw_payload_bytes": sample,
                    "messages_ratio": drained["messages_per_s"] / raw,
                    "templates": backlog, "rss_mb": rss_mb()},
            note=f"{backlog} templates in {rows} messages (each template with its attempt, "
                 f"each person with a consent, plus audit); reference: raw QoS 1 messages/s, "
                 f"{sample} B payload, {IN_FLIGHT} in flight"))
        p95, ref95 = pct(lat, 95) * 1000, pct(rtt, 95) * 1000
        figs.append(Figure(
            "online_commit_to_ack_ms", "ms", p95, ref95, goal="p95 ≤ 3 × bare round trip p95",
            met=p95 <= 3 * ref95,
            detail={"p50": statistics.median(lat) * 1000, "p95": p95,
                    "max": max(lat) * 1000, "n": len(lat),
                    "reference_p50": statistics.median(rtt) * 1000,
                    "disk_commit_p50_ms": statistics.median(disk) * 1000,
                    "disk_commit_p95_ms": pct(disk, 95) * 1000,
                    "stages_median_ms": _stage_medians(windows)},
            note="value and reference are p95; bare round trip = QoS 1 request and response "
                 "through the same broker, responder in its own process; disk_commit: one "
                 "durable SQLite commit (WAL, synchronous=FULL) on the station's disk, "
                 "same run (the path holds at least two: central's, then the station's); "
                 "stages_median_ms: the station's own steps per enrollment"))
    finally:
        if worker is not None:
            worker.stop()
        if central is not None:
            central.stop()
        store.close()
        broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return figs


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--responder"]:
        responder("127.0.0.1", int(args[1]), args[2])
        return 0
    mode, _rest = mode_arg(args, __doc__ or "")
    for fig in run(mode):
        emit(fig)
    return 0


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
