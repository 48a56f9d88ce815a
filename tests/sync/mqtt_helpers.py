"""Small synchronous paho helpers for tests: connect, capture, publish-and-wait."""

from __future__ import annotations

import queue
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from tests.fixtures.broker import MosquittoBroker, wait_until


@dataclass
class Captured:
    topic: str
    payload: bytes
    retain: bool
    properties: dict[str, Any]


@dataclass
class TestClient:
    """A connected MQTT v5 client that records PUBACK reason codes and received messages."""

    client: mqtt.Client
    messages: list[Captured] = field(default_factory=list)
    pubacks: dict[int, Any] = field(default_factory=dict)
    connack: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(
        self, topic: str, payload: bytes, *, qos: int = 1, retain: bool = False,
        response_topic: str | None = None, correlation: bytes | None = None, timeout: float = 10,
    ) -> Any:
        props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
        if response_topic:
            props.ResponseTopic = response_topic
        if correlation is not None:
            props.CorrelationData = correlation
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=props)
        if qos == 0:
            return None
        wait_until(lambda: info.mid in self.pubacks, timeout, what=f"PUBACK for {topic}")
        return self.pubacks[info.mid]

    def subscribe(self, topic: str, qos: int = 1) -> None:
        done: queue.Queue[Any] = queue.Queue()
        self.client.on_subscribe = lambda c, u, mid, rcs, p: done.put(rcs)
        self.client.subscribe(topic, qos)
        rcs = done.get(timeout=10)
        assert not any(r.is_failure for r in rcs), rcs

    def received(self, topic_part: str = "") -> list[Captured]:
        with self.lock:
            return [m for m in self.messages if topic_part in m.topic]

    def take(self, topic_part: str = "") -> list[Captured]:
        """Like :meth:`received`, and removed in the same step: a message that arrives
        meanwhile stays for the next call (``received`` then ``messages.clear()`` loses it)."""
        with self.lock:
            out = [m for m in self.messages if topic_part in m.topic]
            self.messages[:] = [m for m in self.messages if topic_part not in m.topic]
            return out

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def connect(broker: MosquittoBroker, user: str, password: str | None = None,
            *, port: int | None = None, wait: bool = True) -> TestClient:
    c = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2,
                    client_id=f"test-{user}-{uuid.uuid4().hex[:8]}", protocol=mqtt.MQTTv5)
    c.username_pw_set(user, broker.password(user) if password is None else password)
    tc = TestClient(c)

    def on_connect(cl: Any, u: Any, flags: Any, rc: Any, p: Any) -> None:
        tc.connack = rc

    def on_publish(cl: Any, u: Any, mid: int, rc: Any, p: Any) -> None:
        tc.pubacks[mid] = rc

    def on_message(cl: Any, u: Any, msg: mqtt.MQTTMessage) -> None:
        props = {k: getattr(msg.properties, k) for k in ("ResponseTopic", "CorrelationData")
                 if msg.properties is not None and hasattr(msg.properties, k)}
        with tc.lock:
            tc.messages.append(Captured(msg.topic, bytes(msg.payload), bool(msg.retain), props))

    c.on_connect, c.on_publish, c.on_message = on_connect, on_publish, on_message
    c.connect(broker.host, port or broker.port, keepalive=10)
    c.loop_start()
    if wait:
        wait_until(lambda: tc.connack is not None, 10, what="CONNACK")
    return tc
