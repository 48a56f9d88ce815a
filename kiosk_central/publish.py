"""Publishing from central with a packet-size check before anything leaves.

Mosquitto drops the connection of a client that sends a packet over its ``max_packet_size``
(that is how one oversize roster once knocked the ingest offline again and again). Every
publish here computes the size of the whole MQTT v5 PUBLISH packet (fixed header, topic,
packet id, properties, payload) and refuses, with :class:`PacketTooLarge`, anything over the
configured broker limit; :func:`publish_all` checks a whole set first, so a set is published
entirely or not at all. A PUBACK with a failure reason code (e.g. 0x87, not authorised) counts
as not published.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt

import kiosk_contract as c
from kiosk_contract.mqtt import publish_properties


class PacketTooLarge(c.PayloadTooLarge):
    """The MQTT packet would exceed the broker's ``max_packet_size``; nothing was sent."""


def _varint_len(n: int) -> int:
    size = 1
    while n >= 128:
        n //= 128
        size += 1
    return size


def packet_size(topic: str, payload: bytes, properties: Any = None, qos: int = 1) -> int:
    """Bytes of the complete MQTT v5 PUBLISH packet."""
    props = properties.pack() if properties is not None else b"\x00"
    remaining = 2 + len(topic.encode()) + (2 if qos else 0) + len(props) + len(payload)
    return 1 + _varint_len(remaining) + remaining


@dataclass
class Outgoing:
    topic: str
    payload: bytes
    retain: bool = False
    qos: int = 1
    response_topic: str | None = None
    correlation: bytes | None = None
    properties: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.properties is None:
            self.properties = publish_properties(response_topic=self.response_topic,
                                                 correlation=self.correlation)

    def check(self, max_packet: int) -> None:
        size = packet_size(self.topic, self.payload, self.properties, self.qos)
        if size > max_packet:
            raise PacketTooLarge(f"a message to {self.topic} would be a {size}-byte packet, "
                                 f"over the broker's {max_packet}-byte limit; nothing was "
                                 "published")

    def send(self, client: mqtt.Client) -> mqtt.MQTTMessageInfo:
        return client.publish(self.topic, self.payload, qos=self.qos, retain=self.retain,
                              properties=self.properties)


class PubackTracker:
    """Records the PUBACK reason code of every publish (chained before any existing
    ``on_publish``), so a refusal by the broker is not mistaken for success."""

    def __init__(self, client: mqtt.Client) -> None:
        self.codes: dict[int, Any] = {}
        self._cond = threading.Condition()
        self._client = client
        self._next: Any = client.on_publish
        client.on_publish = self._on_publish

    def close(self) -> None:
        self._client.on_publish = self._next

    def _on_publish(self, client: Any, userdata: Any, mid: int, rc: Any, props: Any) -> None:
        with self._cond:
            self.codes[mid] = rc
            self._cond.notify_all()
        if self._next is not None:
            self._next(client, userdata, mid, rc, props)

    def wait(self, mids: Sequence[int], timeout: float) -> list[tuple[int, Any]]:
        """``(mid, reason)`` of every mid refused or unanswered by ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while any(m not in self.codes for m in mids):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return [(m, self.codes.get(m, "no PUBACK")) for m in mids
                    if m not in self.codes or getattr(self.codes[m], "is_failure", False)]


def publish_all(client: mqtt.Client, out: Sequence[Outgoing], max_packet: int,
                timeout: float = 60.0) -> None:
    """Check every packet, publish them in order (QoS 1) and wait for every PUBACK.

    Raises :class:`PacketTooLarge` before the first publish, or ``TimeoutError`` naming how
    many the broker did not confirm (or refused)."""
    for o in out:
        o.check(max_packet)
    tracker = PubackTracker(client)
    mids = []
    try:
        for o in out:
            info = o.send(client)
            if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
                raise TimeoutError(f"publish to {o.topic} failed: "
                                   f"{mqtt.error_string(info.rc)}")
            mids.append(info.mid)
        bad = tracker.wait(mids, timeout)
    finally:
        tracker.close()
    if bad:
        raise TimeoutError(f"the broker did not confirm {len(bad)} of {len(mids)} publishes "
                           f"in time or refused them (first: {bad[0][1]})")
