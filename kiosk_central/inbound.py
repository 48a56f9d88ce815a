"""What the ingest checks before it touches the database: topic, MQTT properties, the strict
parse, the correlation, the sender, and for templates the seal and the hash.

A message that cannot be answered (no ResponseTopic or CorrelationData, a correlation that
does not match, an unknown topic) is dropped with a log line; one that can be answered but
not accepted gets a rejection verdict before any transaction starts.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

import kiosk_contract as c
from kiosk_central.apply import TemplateIn, Verdict
from kiosk_contract.sealing import CryptoError, open_sealed

log = logging.getLogger("kiosk_central.ingest")


@dataclass
class Up:
    """One received message on its way through a batch."""

    msg: mqtt.MQTTMessage
    station: str
    kind: str
    schema: int = 1
    parsed: Any = None
    template: TemplateIn | None = None
    verdict: Verdict | None = None
    corr: str = ""
    uuid: str = ""
    #: the connection it arrived on (see Ingest._puback_all)
    gen: int = 0


class Reject(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def check(msg: mqtt.MQTTMessage, prefix: str, key: X25519PrivateKey,
          counts: Counter[str]) -> Up | None:
    """Everything that needs no database: topic, properties, strict parse, seal. None =
    dropped without an answer (nobody to answer, or an answer would go astray)."""
    try:
        station, kind = c.parse_topic(prefix, msg.topic)
    except c.ContractError as exc:
        log.warning("ignored message on unexpected topic: %s", exc)
        return None
    up = Up(msg, station, kind)
    payload = bytes(msg.payload)
    if kind in ("status", "heartbeat"):
        if not payload:
            return None  # a cleared retained status
        try:
            up.parsed = (c.StatusMessage if kind == "status" else c.HeartbeatMessage
                         ).parse(payload)
        except c.ContractError as exc:
            counts["malformed"] += 1
            log.warning("malformed %s from %s: %s", kind, station, exc)
            return None
        if up.parsed.station != station:
            counts["malformed"] += 1
            log.warning("%s on %s's topic names station %s; ignored", kind, station,
                        up.parsed.station)
            return None
        return up
    props = getattr(msg, "properties", None)
    corr = c.uuid_from_correlation(getattr(props, "CorrelationData", None))
    if getattr(props, "ResponseTopic", None) != c.Topics(prefix, station).acks \
            or corr is None:
        counts["malformed"] += 1
        log.warning("%s from %s without a valid ResponseTopic/CorrelationData; dropped",
                    kind, station)
        return None
    up.corr = up.uuid = corr
    try:
        _parse(up, payload)
    except c.ContractError as exc:
        counts["malformed"] += 1
        up.schema = 2 if c.peek_schema(payload) == 2 else 1
        log.warning("malformed %s from %s (%s): %s", kind, station, exc.reason, exc)
        up.verdict = Verdict("rejected", "too-large" if isinstance(
            exc, c.PayloadTooLarge) and up.schema == 2 else exc.reason, str(exc)[:500])
        return up
    if up.corr != (up.parsed.msg_id if up.schema == 2 else up.uuid):
        counts["malformed"] += 1
        log.warning("%s from %s: CorrelationData does not match the message; dropped",
                    kind, station)
        return None
    sender = up.parsed.meta.station if kind == "templates" else up.parsed.station
    if sender != station:
        up.verdict = Verdict("rejected", "station-mismatch",
                             "station field does not match the topic")
    elif kind == "templates":
        try:
            up.template = open_template(key, up.parsed)
        except Reject as rej:
            up.verdict = Verdict("rejected", rej.reason, rej.detail)
    return up

def _parse(up: Up, payload: bytes) -> None:
    parser: dict[str, Callable[[bytes], Any]] = {
        "templates": c.TemplateMessage.parse, "consents": c.ConsentMessage.parse,
        "deletion-receipts": c.DeletionReceipt.parse, "attempts": c.AttemptMessage.parse,
        "audit": c.AuditMessage.parse,
    }
    if up.kind not in parser:
        raise c.ContractError(f"{up.kind} is not something stations send")
    m = parser[up.kind](payload)
    up.parsed = m
    up.schema = 2 if up.kind in ("attempts", "audit") else m.schema
    up.uuid = {"templates": lambda: m.meta.uuid, "audit": lambda: m.msg_id}.get(
        up.kind, lambda: m.uuid)()

def open_template(key: X25519PrivateKey, tm: c.TemplateMessage) -> TemplateIn:
    meta = tm.meta
    try:
        data = open_sealed(key, tm.sealed, meta.aad(tm.schema))
    except CryptoError as exc:
        reason = "wrong-key" if "different central key" in str(exc) else "decrypt-failed"
        raise Reject(reason, str(exc)) from None
    if len(data) != meta.template_length:
        raise Reject("bad-hash", "template length differs from template_length")
    if hashlib.sha256(data).hexdigest() != meta.sha256:
        raise Reject("bad-hash", "sha256 of the opened template does not match")
    return TemplateIn(meta, data, tm.msg_id or "", tm.schema)
