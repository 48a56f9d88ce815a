"""Hostile input on MQTT, and a rogue station, while a real station drains to a real ingest.

``test_hostile_mqtt`` — station-01's real sync worker drains its outbox to the real ingest
through a real Mosquitto. Meanwhile accounts the ACL allows publish hostile messages on every
topic the station and the ingest subscribe to:

* as central, on station-01's ``acks``, ``deletions`` and ``roster`` and on the shared roster
  (manifest, pages, deltas);
* as station-02, on each of its own uplink topics (which the ingest reads);
* as station-01 (a second connection of its account), on its own uplink topics.

The messages are real ones captured on the wire (acks, templates, consents, attempts, audit
entries, heartbeats, status) and built ones (roster pages, a deletion request for another
station), each damaged one way: not JSON, nested past any limit, huge, a field of the wrong
type, a field missing or unknown, another station named, a byte flipped — or replayed
verbatim. Then:

* nothing crashes: the worker stays enabled and online, the ingest counts no worker error;
* nothing is lost or duplicated: the outbox drains, nothing rejected, central holds every
  template, consent and attempt of station-01 exactly once;
* no traceback is logged, and every message that cannot be valid leaves a warning line.

``test_rogue_station`` — the production broker layout (station listener binding client ids
to user names): station-02 tries to publish on every topic of station-01, of the roster and
of the broker, subscribes to every filter (central's shared group included) and connects
again and again under station-01's and central's client ids, while station-01 drains. Every
publish is refused (0x87), nothing of station-01 reaches it, station-01 is never pushed off
and its drain arrives exactly once.

Elsewhere, and not repeated here: each malformed message kind on each topic
(tests/sync/test_sync_messages.py, tests/central/test_ingest_v2.py,
tests/central/test_contract_messages.py), the ACL's refusals one by one and the shared group's
name (tests/central/test_broker_acl.py), another station's templates (test_ingest_v2.py). The
corruption of files is ``test_corrupt_files`` below, next to the tests that already cover
single cases: damaged, foreign and newer databases (tests/store/test_open.py,
tests/store/test_cli.py), a damaged data key (tests/store/test_at_rest.py), bad settings
(tests/test_foundation.py), tampered, forged and nested provisioning files
(tests/provision/test_station_provision.py), malformed and mis-encoded roster CSV files
(tests/provision/test_roster_cli.py, tests/central/test_roster_import.py).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

import kiosk_contract as c
from kiosk.config import SyncConfig
from kiosk.sync.worker import SyncState, SyncWorker
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest, IngestConfig
from kiosk_contract.mqtt import ClientSettings, LinkState, parse_broker_url
from kiosk_contract.sealing import generate_keypair
from tests.central.test_broker_acl import ProductionBroker
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.hardening.conftest import Counts, pick, timeout
from tests.hardening.station import central_rows, station_rows, tally_exactly_once
from tests.sync.conftest import STATION, Enrolled, enroll
from tests.sync.mqtt_helpers import Captured, connect

pytestmark = [pytest.mark.hardening, pytest.mark.slow]

PREFIX = "fpk/v1"
PEOPLE = 40  # at the start; one more every few hostile messages, so the drain never ends
ENROLL_EVERY = 5
ROGUE_PEOPLE = pick(300, 1500)
HOSTILE = pick(300, 3000)  # hostile messages in all
OTHER = "station-02"

#: Damage that no valid message survives: each must leave a warning line.
INVALID = ("not-json", "truncated", "deep", "huge", "wrong-type", "unknown-field",
           "wrong-station")
#: Damage a message may survive (a flipped byte in a name, an optional field dropped) and
#: replays: harmless either way, but not necessarily worth a warning.
MAYBE = ("byte-flip", "missing-field", "replay")


# -- damage ------------------------------------------------------------------------------------
def _leaves(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(obj, dict):
        return [p for k, v in obj.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(obj, list):
        return [p for i, v in enumerate(obj) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _set(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    obj[path[0]] = _set(obj[path[0]], path[1:], value)
    return obj


def _other_type(rng: random.Random, value: Any) -> Any:
    pool: list[Any] = [None, True, 7, -1, 1e308, "x", "", [], {}, [1, [2]], {"k": "v"},
                       "\u0000", "é" * 40]
    pool = [v for v in pool if type(v) is not type(value)]
    if isinstance(value, bool):  # JSON numbers and booleans are distinct kinds
        pool = [v for v in pool if not isinstance(v, bool)]
    return rng.choice(pool)


def damage(rng: random.Random, kind: str, payload: bytes) -> bytes:
    """``payload`` (a JSON object) damaged as ``kind`` says."""
    if kind == "not-json":
        return rng.choice([b"{not json", b"\xff\xfe\x00garbage", bytes(rng.randrange(256)
                                                                         for _ in range(64)),
                           b"", b"null", b"[1,2,3]", b'"a string"'])
    if kind == "truncated":
        return payload[:rng.randrange(1, max(2, len(payload) - 1))]
    if kind == "deep":
        n = rng.choice((200, 3000, 20_000))
        return rng.choice([b'{"a":' * n + b"1" + b"}" * n, b"[" * n + b"]" * n])
    if kind == "huge":
        obj = json.loads(payload)
        obj["pad"] = "x" * rng.choice((70_000, 200_000))
        return json.dumps(obj).encode()
    if kind == "byte-flip":
        i = rng.randrange(len(payload))
        return payload[:i] + bytes((payload[i] ^ (1 << rng.randrange(8)),)) + payload[i + 1:]
    if kind == "replay":
        return payload
    obj = json.loads(payload)
    if kind == "wrong-type":
        path = rng.choice(_leaves(obj))
        obj = _set(obj, path, _other_type(rng, _get(obj, path)))
    elif kind == "unknown-field":
        obj["surprise"] = rng.choice([1, "x", [], {}])
    elif kind == "missing-field":
        if obj:
            del obj[rng.choice(sorted(obj))]
    elif kind == "wrong-station":
        _rename_station(obj, rng.choice(("station-03", "station-99", STATION + "x")))
    else:
        raise AssertionError(kind)
    return json.dumps(obj).encode()


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        obj = obj[p]
    return obj


def _rename_station(obj: Any, station: str) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "station" and isinstance(v, str):
                obj[k] = station
            else:
                _rename_station(v, station)
    elif isinstance(obj, list):
        for v in obj:
            _rename_station(v, station)


# -- the rig -----------------------------------------------------------------------------------
class Wire:
    """Real messages seen on the broker, for replay and damage: the uplink as central reads
    it, the acks as the station's account reads them."""

    def __init__(self, broker: MosquittoBroker) -> None:
        self.up = connect(broker, "central")
        self.up.subscribe(f"{PREFIX}/stations/{STATION}/#")
        self.down = connect(broker, STATION)
        self.down.subscribe(c.Topics(PREFIX, STATION).acks)

    def samples(self, kind: str) -> list[Captured]:
        seen = self.down.received("/acks") if kind == "acks" else self.up.received(f"/{kind}")
        return [m for m in seen if m.topic.endswith("/" + kind) and m.payload.startswith(b"{")]

    def close(self) -> None:
        self.up.close()
        self.down.close()


def _roster_samples() -> list[tuple[str, bytes]]:
    """A shared roster, as central would publish it (version 2 of the station's people)."""
    topics = c.RosterTopics(PREFIX)
    people = [c.RosterPerson(f"P-{i:05d}", f"Person {i}") for i in range(PEOPLE)]
    manifest, pages = c.paginate(2, people, limit=4000)
    out = [(topics.page(n), p) for n, p in enumerate(pages)]
    out.append((topics.manifest, manifest.to_bytes()))
    delta = c.RosterDelta(2, 1, (c.RosterPerson("P-00000", "Renamed"),), ())
    out.append((topics.deltas, delta.to_bytes()))
    return out


def _warnings(caplog: pytest.LogCaptureFixture, logger: str) -> int:
    return sum(1 for r in caplog.records if r.name == logger and r.levelno >= logging.WARNING)


@pytest.fixture
def rig(broker: MosquittoBroker, station_store: Callable[..., Enrolled],
        central_factory: Callable[..., Ingest]) -> Iterator[tuple[Enrolled, Ingest, Wire]]:
    ing = central_factory(require_known_person=False)
    wire = Wire(broker)
    e = station_store(PEOPLE)
    yield e, ing, wire
    wire.close()


@timeout(240, 1800)
def test_hostile_mqtt(broker: MosquittoBroker, rig: tuple[Enrolled, Ingest, Wire],
                      worker_factory: Callable[..., SyncWorker], tmp_path: Path,
                      counts: Counts, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    e, ing, wire = rig
    states: list[SyncState] = []
    worker = worker_factory(e.store, states=states, ack_timeout_s=3)
    wanted = ("acks", "templates", "consents", "attempts", "status")
    wait_until(lambda: all(wire.samples(k) for k in wanted), 30,
               what="the first real messages on the wire")
    # Taken before any hostile message: the observers see those too.
    real = {k: wire.samples(k) for k in (*wanted, "audit", "heartbeat")}
    rng = random.Random(23)
    as_central = connect(broker, "central")
    as_other = connect(broker, OTHER)
    as_self = connect(broker, STATION)  # the station's account, a second connection
    down = c.Topics(PREFIX, STATION)
    mine, theirs = c.Topics(PREFIX, OTHER), down
    roster = _roster_samples()
    deletion = c.DeletionRequest(str(uuid.uuid4()), "P-00001", OTHER).to_bytes()
    expect_station = expect_ingest = 0
    kinds = INVALID + MAYBE
    for n in range(HOSTILE):
        damage_kind = kinds[n % len(kinds)] if n < 3 * len(kinds) else rng.choice(kinds)
        side = rng.choice(("down", "up-other", "up-self"))
        if side == "down":
            choice = rng.randrange(4)
            if choice == 0:
                base = rng.choice(real["acks"])
                topic, payload, corr = down.acks, base.payload, base.properties.get(
                    "CorrelationData")
            elif choice == 1:
                topic, payload, corr = down.deletions, deletion, None
            elif choice == 2:
                topic, payload, corr = down.roster, roster[0][1], None
            else:
                topic, payload = rng.choice(roster)
                corr = None
            if damage_kind == "replay" and topic != down.acks:
                damage_kind = "wrong-type"  # only acks are replayed to the station
            client, resp = as_central, None
        else:
            kind = rng.choice(("templates", "consents", "attempts", "audit", "heartbeat",
                               "status"))
            samples = real[kind] or real["templates"]
            base = rng.choice(samples)
            kind = base.topic.rsplit("/", 1)[1]
            payload = base.payload
            if side == "up-other":
                client, topic = as_other, mine.of(kind)  # type: ignore[arg-type]
                resp = mine.acks
                corr = c.correlation_for(str(uuid.uuid4()))
            else:
                client, topic = as_self, theirs.of(kind)  # type: ignore[arg-type]
                # Only verbatim replays from the station's own account: a damaged copy with
                # the original correlation would be answered for the real event.
                damage_kind = "replay"
                resp = base.properties.get("ResponseTopic")
                corr = base.properties.get("CorrelationData")
        hostile = damage(rng, damage_kind, payload)
        rc = client.publish(topic, hostile, response_topic=resp, correlation=corr)
        assert rc is not None and not rc.is_failure, (topic, rc)
        counts.fault(f"{damage_kind}-{side}")
        counts.iterations += 1
        # Replays on the uplink are valid (from station-02: another station's message on
        # its topic — still a refusal); damage on any side must leave a warning.
        if damage_kind in INVALID or (side == "up-other"):
            if side == "down":
                expect_station += 1
            else:
                expect_ingest += 1
        if n % ENROLL_EVERY == 0:  # the station keeps enrolling: the drain runs throughout
            e.templates.update(enroll(e.store, 1, start=PEOPLE + n // ENROLL_EVERY))
        if n == HOSTILE // 2:
            counts.notes["events still to drain half-way"] = e.stats().pending + (
                e.stats().sent_unacked)
    for cl in (as_central, as_other, as_self):
        cl.close()
    # Every message that cannot be valid was noticed, in a line of its own.
    wait_until(lambda: _warnings(caplog, "kiosk.sync.worker") >= expect_station, 30,
               what=f"{expect_station} warnings from the station "
                    f"({_warnings(caplog, 'kiosk.sync.worker')})")
    wait_until(lambda: _warnings(caplog, "kiosk_central.inbound")
               + _warnings(caplog, "kiosk_central.ingest") >= expect_ingest, 30,
               what=f"{expect_ingest} warnings from the ingest")
    wait_until(e.outbox_empty, pick(120, 600), interval=0.2, what=f"the drain ({e.stats()})")
    assert e.stats().rejected == 0, e.stats()
    tally_exactly_once(counts, station_rows(e.path),
                       central_rows(tmp_path / "central.sqlite3"))
    snap = worker.snapshot()
    assert snap.enabled and snap.reason == "online", snap
    assert ing.counts["worker-error"] == 0 and ing.client.is_connected(), dict(ing.counts)
    errors = [r for r in caplog.records
              if r.exc_info or "Traceback" in r.getMessage()]
    counts.tracebacks += len(errors)
    if errors:
        counts.notes["first_traceback"] = errors[0].getMessage()
    counts.notes["warnings expected (station, ingest)"] = f"{expect_station}, {expect_ingest}"
    counts.notes["ingest malformed"] = ing.counts["malformed"]
    counts.assert_clean()


# -- a rogue station ---------------------------------------------------------------------------
@pytest.fixture
def production_broker(tmp_path: Path) -> Iterator[ProductionBroker]:
    b = ProductionBroker(tmp_path / "prod-broker")
    for user in (STATION, OTHER):
        b.add_user(user)
    b.start()
    yield b
    b.kill()


class Rogue:
    """station-02's account on the station listener, under any client id; PUBACK reason
    codes and deliveries recorded."""

    def __init__(self, broker: ProductionBroker, client_id: str) -> None:
        cl = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2,
                         client_id=client_id, protocol=mqtt.MQTTv5)
        cl.username_pw_set(OTHER, broker.password(OTHER))
        self.client = cl
        self.got: list[str] = []
        self.pubacks: dict[int, Any] = {}
        self.subacks = 0
        up = threading.Event()
        cl.on_connect = lambda *_a: up.set()
        cl.on_message = lambda _c, _u, m: self.got.append(m.topic)
        cl.on_publish = lambda _c, _u, mid, rc, _p: self.pubacks.__setitem__(mid, rc)
        cl.on_subscribe = lambda *_a: setattr(self, "subacks", self.subacks + 1)
        cl.connect(broker.host, broker.station_port, keepalive=10)
        cl.loop_start()
        assert up.wait(10), "the rogue could not connect at all"

    def publish_all(self, topics: list[str]) -> list[Any]:
        mids = [self.client.publish(t, b'{"schema":2}', qos=1).mid for t in topics]
        wait_until(lambda: all(m in self.pubacks for m in mids), 10, what="PUBACKs")
        return [self.pubacks[m] for m in mids]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@timeout(180, 1200)
def test_rogue_station(production_broker: ProductionBroker, tmp_path: Path,
                       station_store: Callable[..., Enrolled],
                       worker_factory: Callable[..., SyncWorker],
                       counts: Counts, caplog: pytest.LogCaptureFixture) -> None:

    broker = production_broker
    caplog.set_level(logging.INFO)
    key = generate_keypair()
    db_url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    CentralDB(db_url).import_people([(f"P-{i:05d}", f"Person {i}", True)
                                     for i in range(ROGUE_PEOPLE)])
    ing = Ingest(IngestConfig(ClientSettings(
        endpoint=parse_broker_url(broker.url), client_id="fpk-central-ingest-1",
        username="central", password=broker.password("central"), keepalive_s=5),
        db_url, key.private_b64))
    ing.start()
    try:
        wait_until(ing.ready.is_set, 10, what="ingest subscribed")
        e = station_store(ROGUE_PEOPLE)
        states: list[SyncState] = []
        worker = SyncWorker(e.store, STATION, SyncConfig(
            broker_url=f"mqtt://127.0.0.1:{broker.station_port}",
            central_public_key=key.public_b64, ack_timeout_s=5, keepalive_s=5),
            password=broker.password(STATION), listener=states.append, retry_min_s=0.5,
            retry_max_s=2.0, reconnect_max_s=2.0)
        worker.start()
        try:
            _rogue_run(broker, ing, e, worker, states, counts)
        finally:
            worker.stop()
        tally_exactly_once(counts, station_rows(e.path),
                           central_rows(tmp_path / "central.sqlite3"))
        assert ing.counts["worker-error"] == 0, dict(ing.counts)
    finally:
        ing.stop()
    errors = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    counts.tracebacks += len(errors)
    if errors:
        counts.notes["first_traceback"] = errors[0].getMessage()
    counts.assert_clean()


def _rogue_run(broker: ProductionBroker, ing: Ingest, e: Enrolled, worker: SyncWorker,
               states: list[SyncState], counts: Counts) -> None:
    wait_until(lambda: worker.snapshot().reason == "online", 20, what="station-01 online")
    victim, roster = c.Topics(PREFIX, STATION), c.RosterTopics(PREFIX)
    topics = [victim.of(k) for k in c.TOPIC_KINDS] + [
        roster.manifest, roster.page(0), roster.deltas, "$SYS/broker/x", f"{PREFIX}/other",
        f"{PREFIX}/stations/{STATION}", f"{PREFIX}/stations/central/acks", "fpk",
        f"{PREFIX}/stations/{STATION}/templates/x"]
    filters = ["#", "$SYS/#", f"{PREFIX}/stations/+/templates", f"{PREFIX}/#",
               f"$share/ingest/{PREFIX}/stations/+/templates",
               f"$share/{ing.cfg.group}/{PREFIX}/stations/+/consents",
               *(victim.of(k) for k in c.TOPIC_KINDS)]
    ids = [STATION, "fpk-central-ingest-1", "fpk-central-ingest-2", "central-0",
           f"{STATION}-sync", "station-03"]
    rogue_ok = c.Topics(PREFIX, OTHER)
    delivered = refused = 0
    for n in range(pick(3, 30)):
        for client_id in ids:
            rogue = Rogue(broker, client_id)
            counts.fault("client-id")
            for f in filters:
                rogue.client.subscribe(f, qos=1)
            wait_until(lambda rg=rogue: rg.subacks == len(filters), 10,  # type: ignore[misc]
                       what="SUBACKs")
            counts.fault("subscribe", len(filters))
            codes = rogue.publish_all(topics)
            counts.fault("publish", len(codes))
            refused += sum(1 for rc in codes if rc.is_failure and rc.value == 0x87)
            assert not rogue.publish_all([rogue_ok.heartbeat])[0].is_failure  # its own: allowed
            rogue.close()
            delivered += sum(1 for t in rogue.got if OTHER not in t)
            counts.iterations += 1
        if n == 0:
            counts.notes["events still to drain after the first round"] = (
                e.stats().pending + e.stats().sent_unacked)
        if n >= 1 and e.outbox_empty():
            break
    wait_until(e.outbox_empty, pick(60, 300), interval=0.2, what=f"the drain ({e.stats()})")
    assert refused == counts.faults["publish"], (refused, counts.faults)
    assert delivered == 0, f"{delivered} messages of others reached the rogue"
    offline = [s for s in states
               if not s.online and s.reason not in (LinkState.CONNECTING, LinkState.STOPPED)]
    assert offline == [], offline[:3]  # never pushed off
    assert sum(1 for s in states if s.online and s.reason is LinkState.ONLINE) >= 1
    log_text = broker.log_text()
    assert f"as {OTHER} (" in log_text and f"as {STATION} (" in log_text
    assert log_text.count(f"as {STATION} (") == 1, "station-01 connected more than once"
    counts.notes["publishes refused (0x87)"] = refused
    counts.notes["messages of others delivered"] = delivered
