"""Fixtures for central's tests: a real Mosquitto (tests/fixtures/broker.py), real SQLite
files, the real ingest, and a schema-2 sender that speaks the contract the way a ported
station will (its messages are built by kiosk_contract; it holds no product rules)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

import kiosk_contract as c
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest, IngestConfig
from kiosk_contract.mqtt import ClientSettings, parse_broker_url
from kiosk_contract.sealing import KeyPair, generate_keypair
from tests.fixtures.broker import MosquittoBroker, wait_until

# The real station's fixtures (its store and its sync worker), for tests that run it.
from tests.sync.conftest import station_store, worker_factory  # noqa: F401

PREFIX = "fpk/v1"
ROSTER = [(f"P-{i:05d}", f"Person {i}", True) for i in range(300)]


@pytest.fixture
def central_key() -> KeyPair:
    return generate_keypair()


@pytest.fixture
def central_db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'central' / 'central.sqlite3'}"


@pytest.fixture
def ingest_factory(broker: MosquittoBroker, central_key: KeyPair,
                   central_db_url: str) -> Iterator[Callable[..., Ingest]]:
    made: list[Ingest] = []
    CentralDB(central_db_url).import_people(ROSTER)

    def make(*, start: bool = True, client_id: str | None = None, db_url: str | None = None,
             session_expiry_s: int = 60, **kw: Any) -> Ingest:
        settings = ClientSettings(
            endpoint=parse_broker_url(broker.url), client_id=client_id or
            f"fpk-central-ingest-{len(made) + 1}", username="central",
            password=broker.password("central"), keepalive_s=5,
            session_expiry_s=session_expiry_s)
        ing = Ingest(IngestConfig(settings, db_url or central_db_url, central_key.private_b64,
                                  **kw))
        made.append(ing)
        if start:
            ing.start()
            wait_until(ing.ready.is_set, 10, what="ingest subscribed")
        return ing

    yield make
    for ing in made:
        ing.stop()


@dataclass(eq=False)
class Sender:
    """A schema-2 station on the broker: publishes outbox-style messages (ResponseTopic +
    CorrelationData = msg_id) and collects every verdict central sends back."""

    station: str
    client: mqtt.Client
    verdicts: dict[str, list[c.AckItem]] = field(default_factory=dict)
    raw_acks: list[tuple[bytes, Any]] = field(default_factory=list)
    down: list[tuple[str, bytes, Any]] = field(default_factory=list)
    pubacks: dict[int, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def topics(self) -> c.Topics:
        return c.Topics(PREFIX, self.station)

    def send(self, kind: c.TopicKind, payload: bytes, msg_id: str | None = None,
             *, wait: bool = True) -> Any:
        props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
        if kind in c.ACKED_KINDS:
            props.ResponseTopic = self.topics.acks
            if msg_id is not None:
                props.CorrelationData = c.correlation_for(msg_id)
        info = self.client.publish(self.topics.of(kind), payload, qos=1, properties=props)
        if wait:
            wait_until(lambda: info.mid in self.pubacks, 10, what="PUBACK")
            return self.pubacks[info.mid]
        return info

    def verdict(self, msg_id: str) -> c.AckItem | None:
        with self.lock:
            got = self.verdicts.get(msg_id)
            return got[-1] if got else None

    def wait_verdicts(self, msg_ids: list[str], timeout: float = 20) -> dict[str, c.AckItem]:
        wait_until(lambda: all(self.verdict(m) for m in msg_ids), timeout,
                   what=f"{len(msg_ids)} verdicts (have {len(self.verdicts)})")
        return {m: self.verdict(m) for m in msg_ids}  # type: ignore[misc]

    def ack_messages(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(p) for p, _ in self.raw_acks]

    def assert_valid(self) -> int:
        """Every message central sent this station follows docs/asyncapi.yaml."""
        from tests.sync.asyncapi_check import payload_errors

        with self.lock:
            got = [(t, p) for t, p, _ in self.down if p]
        bad = [(t, payload_errors(t.rsplit("/", 1)[1], p)[:3]) for t, p in got]
        assert [b for b in bad if b[1]] == []
        return len(got)

    def status(self, state: Literal["online", "offline"] = "online") -> None:
        self.send("status", c.StatusMessage(self.station, state, "2.0.0", schema=2).to_bytes())

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def sender_factory(broker: MosquittoBroker) -> Iterator[Callable[..., Sender]]:
    made: list[Sender] = []

    def make(station: str = "station-01", *, user: str | None = None) -> Sender:
        if station not in broker.users:
            raise AssertionError(f"{station} has no broker account in this test")
        cl = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2,
                         client_id=f"sender-{station}-{len(made)}", protocol=mqtt.MQTTv5)
        cl.username_pw_set(user or station, broker.password(user or station))
        s = Sender(station, cl)
        connected = threading.Event()

        def on_message(_c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
            corr = getattr(msg.properties, "CorrelationData", None)
            with s.lock:
                s.down.append((msg.topic, bytes(msg.payload), corr))
                if not msg.topic.endswith("/acks"):
                    return
                s.raw_acks.append((bytes(msg.payload), corr))
                obj = json.loads(msg.payload)
                if obj.get("type") == "acks":
                    items = list(c.AcksMessage.parse(bytes(msg.payload)).acks)
                elif obj.get("schema") == 2:
                    a = c.AckMessage.parse(bytes(msg.payload))
                    assert c.uuid_from_correlation(corr) == a.msg_id
                    items = [c.AckItem(a.msg_id or "", a.uuid, a.status, a.reason, a.detail)]
                else:
                    a = c.AckMessage.parse(bytes(msg.payload))
                    items = [c.AckItem(a.uuid, a.uuid, a.status, a.reason, a.detail)]
                for it in items:
                    s.verdicts.setdefault(it.msg_id, []).append(it)

        cl.on_connect = lambda *_a: connected.set()
        cl.on_message = on_message
        cl.on_publish = lambda _c, _u, mid, rc, _p: s.pubacks.__setitem__(mid, rc)
        cl.connect(broker.host, broker.port, keepalive=10)
        cl.loop_start()
        assert connected.wait(10)
        done = threading.Event()
        cl.on_subscribe = lambda *_a: done.set()
        cl.subscribe([(s.topics.acks, 1), (s.topics.deletions, 1)])
        assert done.wait(10)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


@pytest.fixture
def broker2(broker: MosquittoBroker) -> MosquittoBroker:
    """The broker with a third station account (restarted to load it)."""
    broker.add_user("station-03")
    broker.restart()
    return broker
