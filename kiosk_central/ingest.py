"""The reference central ingest: receive sealed templates, commit, then acknowledge.

Order matters and is the whole point: open and verify the template, insert it if its UUID is
absent, **commit**, and only then PUBACK (manual ack) and publish the application ack to the
message's ResponseTopic with its CorrelationData. A crash anywhere before the commit leaves
the station re-sending; a crash after it produces a duplicate that is re-acked. Several ingest
processes can run side by side through the shared subscription ``$share/<group>/...``.

paho callbacks only enqueue; one worker thread does the database work, so slow commits never
starve the keepalive.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from sqlalchemy.exc import SQLAlchemyError

import kiosk_contract as c
from kiosk_central.db import CentralDB
from kiosk_contract.mqtt import (
    ClientSettings,
    connect_properties,
    hard_drop,
    make_client,
    publish_properties,
)
from kiosk_contract.sealing import CryptoError, load_private_key, open_sealed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestConfig:
    broker: ClientSettings
    db_url: str
    private_key_b64: str = field(repr=False)
    prefix: str = "fpk/v1"
    group: str = "ingest"
    #: Reject templates of people not in the central roster ("unknown-person").
    require_known_person: bool = True


class _Reject(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class Ingest:
    """One ingest worker. ``start()`` returns at once; ``ready`` is set once subscribed."""

    def __init__(self, cfg: IngestConfig, db: CentralDB | None = None) -> None:
        self.cfg = cfg
        self.db = db or CentralDB(cfg.db_url)
        self._key = load_private_key(cfg.private_key_b64)
        self.wild = c.Topics(cfg.prefix, "+")
        self.ready = threading.Event()
        self.counts: Counter[str] = Counter()
        #: Fault injection for tests: called after each commit, before any ack.
        self.after_commit: Callable[[str], None] | None = None
        self._q: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._crashed = False
        self._thread: threading.Thread | None = None
        self.client = make_client(cfg.broker, manual_ack=True)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    # -- paho callbacks: enqueue only ----------------------------------------------------------
    def _on_connect(self, _c: Any, _u: Any, _f: Any, rc: Any, _p: Any = None) -> None:
        self._q.put(("connected", rc))

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, rc: Any, _p: Any = None) -> None:
        self._q.put(("disconnected", rc))

    def _on_subscribe(self, _c: Any, _u: Any, _mid: int, rcs: Any, _p: Any = None) -> None:
        self._q.put(("subscribed", rcs))

    def _on_message(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self._q.put(("message", msg))

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> Ingest:
        ep = self.cfg.broker.endpoint
        self._thread = threading.Thread(target=self._run, name="central-ingest", daemon=True)
        self._thread.start()
        self.client.connect_async(
            ep.host, ep.port, keepalive=self.cfg.broker.keepalive_s,
            clean_start=False, properties=connect_properties(self.cfg.broker.session_expiry_s),
        )
        self.client.loop_start()
        return self

    def stop(self) -> None:
        if self._crashed:
            return
        self.client.disconnect()
        self.client.loop_stop()
        self._q.put(("stop", None))
        if self._thread is not None:
            self._thread.join(10)
        self.db.close()

    def crash(self) -> None:
        """Die like a killed process: no DISCONNECT, no further acks, nothing flushed."""
        self._crashed = True
        hard_drop(self.client)
        self._q.put(("stop", None))

    # -- worker --------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            kind, arg = self._q.get()
            if kind == "stop" or self._crashed:
                return
            try:
                if kind == "connected":
                    self._connected(arg)
                elif kind == "subscribed":
                    if all(not getattr(r, "is_failure", False) for r in arg):
                        self.ready.set()
                    else:
                        log.error("subscription refused by the broker: %s", arg)
                elif kind == "disconnected":
                    self.ready.clear()
                    log.warning("disconnected from broker: %s", arg)
                elif kind == "message":
                    self._message(arg)
            except Exception:
                log.exception("ingest worker error (%s)", kind)

    def _connected(self, rc: Any) -> None:
        if rc.is_failure:
            log.error("broker refused the ingest connection: %s", rc)
            return
        share = f"$share/{self.cfg.group}/"
        self.client.subscribe([
            (share + self.wild.templates, 1),
            (share + self.wild.consents, 1),
            (share + self.wild.deletion_receipts, 1),
            (share + self.wild.status, 1),
        ])

    def _message(self, msg: mqtt.MQTTMessage) -> None:
        try:
            station, kind = c.parse_topic(self.cfg.prefix, msg.topic)
        except c.ContractError as exc:
            log.warning("ignored message on unexpected topic: %s", exc)
            self._puback(msg)
            return
        if kind == "templates":
            self._template(station, msg)
        elif kind in ("deletion-receipts", "consents"):
            self._acked_event(station, kind, msg)
        elif kind == "status":
            self._status(station, msg)
        if not self._crashed:
            self._puback(msg)

    def _puback(self, msg: mqtt.MQTTMessage) -> None:
        if msg.qos > 0:
            self.client.ack(msg.mid, msg.qos)

    def _template(self, station: str, msg: mqtt.MQTTMessage) -> None:
        props = getattr(msg, "properties", None)
        response = getattr(props, "ResponseTopic", None)
        corr = c.uuid_from_correlation(getattr(props, "CorrelationData", None))
        expected_response = c.Topics(self.cfg.prefix, station).acks
        if response != expected_response or corr is None:
            self.counts["malformed"] += 1
            log.warning("template from %s without a valid ResponseTopic/CorrelationData; dropped",
                        station)
            return
        try:
            tm = c.TemplateMessage.parse(bytes(msg.payload))
        except c.ContractError as exc:
            self.counts["malformed"] += 1
            log.warning("malformed template from %s (%s): %s", station, exc.reason, exc)
            self._ack(expected_response, corr, c.AckMessage(corr, "rejected", exc.reason, str(exc)))
            return
        meta = tm.meta
        if meta.uuid != corr:
            self.counts["malformed"] += 1
            log.warning("template from %s: CorrelationData does not match its uuid; dropped",
                        station)
            return
        try:
            status = self._verify_and_store(station, tm)
        except _Reject as rej:
            self.counts["rejected"] += 1
            log.warning("rejected template %s from %s: %s (%s)", meta.uuid, station, rej.reason,
                        rej.detail)
            self._ack(expected_response, corr,
                      c.AckMessage(meta.uuid, "rejected", rej.reason, rej.detail))
            return
        except SQLAlchemyError as exc:
            # Not acknowledged: the station re-sends after its ack timeout.
            self.counts["db-error"] += 1
            log.error("database error storing %s: %s", meta.uuid, exc.__class__.__name__)
            return
        self.counts[status] += 1
        if self.after_commit is not None:
            self.after_commit(meta.uuid)
        if self._crashed:
            return
        self._puback(msg)
        msg.qos = 0  # already acknowledged; _message must not ack twice
        self._ack(expected_response, corr, c.AckMessage(meta.uuid, status))

    def _verify_and_store(self, station: str, tm: c.TemplateMessage) -> c.AckStatus:
        meta = tm.meta
        if meta.station != station:
            raise _Reject("station-mismatch", "station field does not match the topic")
        try:
            data = open_sealed(self._key, tm.sealed, meta.aad())
        except CryptoError as exc:
            reason = "wrong-key" if "different central key" in str(exc) else "decrypt-failed"
            raise _Reject(reason, str(exc)) from None
        if len(data) != meta.template_length:
            raise _Reject("bad-hash", "template length differs from template_length")
        if hashlib.sha256(data).hexdigest() != meta.sha256:
            raise _Reject("bad-hash", "sha256 of the opened template does not match")
        if self.cfg.require_known_person and not self.db.person_known(meta.person):
            raise _Reject("unknown-person", "person is not in the central roster")
        outcome = self.db.store_template(meta, data)
        if outcome == "conflict":
            raise _Reject("conflict", "uuid already stored with different content")
        return outcome

    def _ack(self, topic: str, corr: str, ack: c.AckMessage) -> None:
        self.client.publish(
            topic, ack.to_bytes(), qos=1,
            properties=publish_properties(correlation=c.correlation_for(corr)),
        )

    def _acked_event(self, station: str, kind: str, msg: mqtt.MQTTMessage) -> None:
        """Consent events and deletion receipts: record idempotently, commit, then ack."""
        props = getattr(msg, "properties", None)
        response = getattr(props, "ResponseTopic", None)
        corr = c.uuid_from_correlation(getattr(props, "CorrelationData", None))
        expected_response = c.Topics(self.cfg.prefix, station).acks
        if response != expected_response or corr is None:
            self.counts["malformed"] += 1
            log.warning("%s from %s without a valid ResponseTopic/CorrelationData; dropped",
                        kind, station)
            return
        try:
            if kind == "consents":
                cm = c.ConsentMessage.parse(bytes(msg.payload))
                uuid, msg_station = cm.uuid, cm.station
            else:
                r = c.DeletionReceipt.parse(bytes(msg.payload))
                uuid, msg_station = r.uuid, r.station
        except c.ContractError as exc:
            self.counts["malformed"] += 1
            log.warning("malformed %s from %s (%s): %s", kind, station, exc.reason, exc)
            self._ack(expected_response, corr, c.AckMessage(corr, "rejected", exc.reason, str(exc)))
            return
        if uuid != corr:
            self.counts["malformed"] += 1
            log.warning("%s from %s: CorrelationData does not match its uuid; dropped", kind,
                        station)
            return
        if msg_station != station:
            self.counts["rejected"] += 1
            self._ack(expected_response, corr, c.AckMessage(
                uuid, "rejected", "station-mismatch", "station field does not match the topic"))
            return
        try:
            if kind == "consents":
                status: c.AckStatus = self.db.store_consent(cm)
            else:
                removed = self.db.delete_templates(r.template_uuids)
                known = r.request_id is not None and self.db.record_receipt(
                    r.request_id, station, len(r.template_uuids))
                status = "stored"
                self.counts["receipts"] += 1
                log.info("station %s deleted %d template(s) of a person (request %s; %d central "
                         "copies removed%s)", station, len(r.template_uuids), r.request_id,
                         removed, "" if known or r.request_id is None else "; request unknown")
        except SQLAlchemyError as exc:
            self.counts["db-error"] += 1
            log.error("database error storing %s %s: %s", kind, uuid, exc.__class__.__name__)
            return
        self.counts[f"{kind}-{status}"] += 1
        self._ack(expected_response, corr, c.AckMessage(uuid, status))

    def _status(self, station: str, msg: mqtt.MQTTMessage) -> None:
        if not msg.payload:
            return  # a cleared retained status
        try:
            s = c.StatusMessage.parse(bytes(msg.payload))
        except c.ContractError as exc:
            self.counts["malformed"] += 1
            log.warning("malformed status from %s: %s", station, exc)
            return
        if s.station != station:
            return
        self.db.station_seen(station, s.state, s.software)
        if s.state == "online":
            publish_pending_deletions(self.client, self.db, self.cfg.prefix, station)
            publish_roster(self.client, self.db, self.cfg.prefix, station)


def publish_roster(
    client: mqtt.Client, db: CentralDB, prefix: str, station: str
) -> mqtt.MQTTMessageInfo | None:
    """Publish the full roster as the retained snapshot of ``station`` (None: no roster yet)."""
    version = db.roster_version()
    if version == 0:
        return None
    people = tuple(c.RosterPerson(e, n, a) for e, n, a in db.people_rows())
    msg = c.RosterMessage("snapshot", version, people)
    return client.publish(c.Topics(prefix, station).roster, msg.to_bytes(), qos=1, retain=True,
                          properties=publish_properties())


def publish_pending_deletions(
    client: mqtt.Client, db: CentralDB, prefix: str, station: str | None = None
) -> list[mqtt.MQTTMessageInfo]:
    infos = []
    for rid, person, st, issued in db.pending_deletions(station):
        topics = c.Topics(prefix, st)
        req = c.DeletionRequest(rid, person, st, issued)
        infos.append(client.publish(
            topics.deletions, req.to_bytes(), qos=1,
            properties=publish_properties(
                response_topic=topics.deletion_receipts, correlation=c.correlation_for(rid)),
        ))
    return infos


def wait_published(infos: list[mqtt.MQTTMessageInfo], timeout: float = 10.0) -> bool:
    """True when every publish got its PUBACK before ``timeout`` (CLI one-shot publishing)."""
    deadline = time.monotonic() + timeout
    for info in infos:
        try:
            info.wait_for_publish(max(0.0, deadline - time.monotonic()))
        except (RuntimeError, ValueError):
            return False
        if not info.is_published():
            return False
    return True
