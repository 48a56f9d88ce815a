"""The central ingest: receive station messages, commit them in batches, then acknowledge.

Order is the whole point: check and open a message, apply it in the database, **commit**, and
only then PUBACK (manual ack) and publish the application ack. A crash before the commit
leaves the station re-sending; a crash after it produces a duplicate that is re-acked.

Schema-2 messages are applied in batches: the worker takes what is queued (up to
``batch_size``), applies all of it in one transaction (:mod:`.apply`), commits once and sends
each station one ack message for everything of it that transaction settled. Schema-1 messages
(stations not yet ported) are applied and answered one by one, exactly as before. Several
workers share the load through one shared subscription whose name is derived from central's
key (stations cannot learn it, so they cannot join the group); each worker has a stable client
id, resumes its session after a crash, and ends it on a graceful stop so the broker never
routes messages to a worker that is gone.

paho callbacks only enqueue; one worker thread does the database work, so slow commits never
starve the keepalive.

Long on purpose (a little over 400 lines): the order check → apply → commit → PUBACK → ack is
the ingest's whole guarantee, and it reads top to bottom in this one module; applying messages
lives in :mod:`.apply`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

import kiosk_contract as c
from kiosk_central.apply import Batch, Verdict
from kiosk_central.db import CentralDB
from kiosk_central.inbound import Up, check
from kiosk_central.publish import Outgoing, PacketTooLarge
from kiosk_central.roster import legacy_messages
from kiosk_central.vault import Vault, load_master_key
from kiosk_contract.mqtt import ClientSettings, connect_properties, hard_drop, make_client
from kiosk_contract.sealing import b64d, load_private_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestConfig:
    broker: ClientSettings
    db_url: str
    private_key_b64: str = field(repr=False)
    prefix: str = "fpk/v1"
    #: label of the worker group (client ids are ``fpk-central-<group>-<n>``)
    group: str = "ingest"
    #: Reject templates of people not in the central roster ("unknown-person").
    require_known_person: bool = True
    #: Schema-2 messages applied per transaction, at most.
    batch_size: int = 200
    #: The broker's max_packet_size; nothing larger is ever published.
    max_packet: int = c.DEFAULT_MAX_PACKET_BYTES
    #: Also publish the schema-1 per-station roster snapshot when a station comes online.
    legacy_roster: bool = False
    #: Master key for templates at rest: file:PATH, env:VAR, hook:mod:fn, None = derived.
    master_key: str | None = field(default=None, repr=False)
    #: Shared-subscription name; default: derived from the key and the group label.
    share_name: str | None = None
    #: Days of heartbeat history kept (pruned every 1,000 heartbeats a worker applies).
    heartbeat_days: int = 7


def share_name(private_key_b64: str, group: str) -> str:
    """``<group>-<16 hex>``: the same for every worker holding central's key, unguessable
    for anyone else (Mosquitto's ACL file does not check SUBSCRIBE, so a station that knew
    the name could join the group and have part of everyone's uplink routed to it)."""
    raw = b64d(private_key_b64.strip(), expect_len=32, what="private key")
    tag = hmac.new(raw, f"fpk-share-group:{group}".encode(), hashlib.sha256).hexdigest()[:16]
    return f"{group}-{tag}"


class Ingest:
    """One ingest worker. ``start()`` returns at once; ``ready`` is set once subscribed."""

    def __init__(self, cfg: IngestConfig, db: CentralDB | None = None) -> None:
        self.cfg = cfg
        self._key = load_private_key(cfg.private_key_b64)
        vault = Vault(load_master_key(cfg.master_key, cfg.private_key_b64))
        self.db = db or CentralDB(cfg.db_url, vault)
        if self.db.vault is None:
            self.db.vault = vault
        self.share = cfg.share_name or share_name(cfg.private_key_b64, cfg.group)
        self.wild = c.Topics(cfg.prefix, "+")
        self.ready = threading.Event()
        self.counts: Counter[str] = Counter()
        #: Seconds spent checking/opening messages and inside database transactions.
        self.timing: dict[str, float] = {"check_s": 0.0, "db_s": 0.0}
        #: Fault injection for tests: called after each commit holding a template, before any
        #: ack (with the first template's uuid), and after every commit (``after_any_commit``).
        self.after_commit: Callable[[str], None] | None = None
        self.after_any_commit: Callable[[str], None] | None = None
        self._q: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._crashed = False
        self._connected = False
        #: connection generation (paho's thread bumps it on every CONNACK)
        self._gen = 0
        self._unsubscribed = threading.Event()
        self._thread: threading.Thread | None = None
        self.client = make_client(cfg.broker, manual_ack=True)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_unsubscribe = lambda *_a: self._unsubscribed.set()
        self.client.on_message = self._on_message

    @property
    def filters(self) -> list[str]:
        return [f"$share/{self.share}/{self.wild.of(k)}" for k in c.UP_KINDS]

    # -- paho callbacks: enqueue only ----------------------------------------------------------
    def _on_connect(self, _c: Any, _u: Any, _f: Any, rc: Any, _p: Any = None) -> None:
        self._gen += 1  # PUBACKs of messages from an earlier connection would hit other mids
        self._q.put(("connected", rc))

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, rc: Any, _p: Any = None) -> None:
        self._q.put(("disconnected", rc))

    def _on_subscribe(self, _c: Any, _u: Any, _mid: int, rcs: Any, _p: Any = None) -> None:
        self._q.put(("subscribed", rcs))

    def _on_message(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self._q.put(("message", (msg, self._gen)))

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

    def stop(self, timeout: float = 10.0) -> None:
        """Graceful: leave the group, finish what was delivered, end the broker session."""
        if self._crashed:
            return
        if self._connected:
            self._unsubscribed.clear()
            self.client.unsubscribe(self.filters)
            self._unsubscribed.wait(3)
        self._q.put(("stop", None))
        if self._thread is not None:
            self._thread.join(timeout)
        props = Properties(PacketTypes.DISCONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = 0
        self.client.disconnect(properties=props)
        self.client.loop_stop()
        self.db.close()

    @property
    def crashed(self) -> bool:
        return self._crashed

    def crash(self) -> None:
        """Die like a killed process: no DISCONNECT, no further acks, nothing flushed."""
        self._crashed = True
        hard_drop(self.client)
        self._q.put(("stop", None))

    # -- worker --------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            items = [self._q.get()]
            while len(items) < max(1, self.cfg.batch_size):
                try:
                    items.append(self._q.get_nowait())
                except queue.Empty:
                    break
            msgs: list[tuple[mqtt.MQTTMessage, int]] = []
            for kind, arg in items:
                if self._crashed:
                    return
                if kind == "message":
                    msgs.append(arg)
                    continue
                self._guard(self._messages, msgs)
                msgs = []
                if kind == "stop":
                    return
                self._guard(self._control, kind, arg)
            self._guard(self._messages, msgs)

    def _guard(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:  # the worker must survive anything a message provokes
            self.counts["worker-error"] += 1
            log.error("ingest worker error: %s: %s", exc.__class__.__name__, str(exc)[:300])
            log.debug("ingest worker error", exc_info=True)

    def _control(self, kind: str, arg: Any) -> None:
        if kind == "connected":
            if arg.is_failure:
                log.error("broker refused the ingest connection: %s", arg)
                return
            self._connected = True
            self.client.subscribe([(f, 1) for f in self.filters])
        elif kind == "subscribed":
            if all(not getattr(r, "is_failure", False) for r in arg):
                self.ready.set()
                log.info("subscribed as %s to %d topic filters of the shared group %s",
                         self.cfg.broker.client_id, len(arg), self.cfg.group)
            else:
                log.error("subscription refused by the broker: %s", arg)
        elif kind == "disconnected":
            self._connected = False
            self.ready.clear()
            log.warning("disconnected from broker: %s", arg)

    # -- messages ------------------------------------------------------------------------------
    def _messages(self, msgs: list[tuple[mqtt.MQTTMessage, int]]) -> None:
        """Check every message, then apply schema-2 ones together and schema-1 ones alone,
        in arrival order (a schema-1 message closes the batch before it)."""
        if not msgs:
            return
        batch: list[Up] = []
        done: list[Up] = []
        for msg, gen in msgs:
            if self._crashed:
                return
            t0 = time.perf_counter()
            up = check(msg, self.cfg.prefix, self._key, self.counts)
            self.timing["check_s"] += time.perf_counter() - t0
            if up is None:
                done.append(Up(msg, "", "dropped", gen=gen))
                continue
            up.gen = gen
            if up.verdict is not None or up.schema == 2 or up.kind in ("status", "heartbeat"):
                batch.append(up)
            else:
                self._commit([*done, *batch])
                done, batch = [], []
                self._commit([up])
        self._commit([*done, *batch])

    # -- commit, then acknowledge --------------------------------------------------------------
    def _commit(self, ups: list[Up]) -> None:
        if not ups or self._crashed:
            return
        work = [u for u in ups if u.kind != "dropped" and u.verdict is None]
        requests: list[Any] = []
        births: list[str] = []
        if work:
            try:
                requests, births = self._apply(work)
            except SQLAlchemyError as exc:
                down = isinstance(exc, OperationalError | InterfaceError) or getattr(
                    exc, "connection_invalidated", False)
                if len(work) > 1 and not down:
                    # One message the database refuses must not hold up the others.
                    self._finish([u for u in ups if u not in work], [], [])
                    for u in work:
                        self._commit([u])
                    return
                self.counts["db-error"] += len(work)
                log.error("database error; %d message(s) not acknowledged (stations re-send "
                          "them): %s: %s", len(work), exc.__class__.__name__,
                          str(exc).splitlines()[0][:200])
                self._finish(ups, [], [])  # PUBACK all; no application ack for ``work``
                return
            self.counts["transactions"] += 1
        first = next((u.uuid for u in work if u.kind == "templates"), None)
        if first is not None and self.after_commit is not None:
            self.after_commit(first)  # may crash() this worker
        if self.after_any_commit is not None:
            self.after_any_commit(next((u.uuid for u in work), ""))
        if not self.crashed:
            self._finish(ups, requests, births)

    def _apply(self, work: list[Up]) -> tuple[list[Any], list[str]]:
        t0 = time.perf_counter()
        try:
            return self._apply_batch(work)
        finally:
            self.timing["db_s"] += time.perf_counter() - t0

    def _apply_batch(self, work: list[Up]) -> tuple[list[Any], list[str]]:
        births: list[str] = []
        with self.db.engine.begin() as conn:
            b = Batch(conn, self.db.dialect, self.db.vault, self.cfg.require_known_person)
            for u in work:
                if u.kind == "status":
                    b.station_seen(u.station, u.parsed.state, u.parsed.software,
                                   u.parsed.schema)
                    if u.parsed.state == "online":
                        births.append(u.station)
                elif u.kind == "heartbeat":
                    b.heartbeat(u.parsed)
                    self.counts["heartbeats"] += 1
                    if self.counts["heartbeats"] % 1000 == 0:
                        b.prune_heartbeats(self.cfg.heartbeat_days)
            cons = [u for u in work if u.kind == "consents"]
            for u, v in zip(cons, b.consents([u.parsed for u in cons]), strict=True):
                u.verdict = v
            tpl = [u for u in work if u.kind == "templates"]
            for u, v in zip(tpl, b.templates([u.template for u in tpl if u.template]),
                            strict=True):
                u.verdict = v
            for u in work:
                if u.kind == "deletion-receipts":
                    u.verdict = b.receipt(u.parsed)
                elif u.kind == "audit":
                    u.verdict = b.audit(u.parsed)
            att = [u for u in work if u.kind == "attempts"]
            for u, v in zip(att, b.attempts([u.parsed for u in att]), strict=True):
                u.verdict = v
            b.flush_events()
        return b.requests, births

    def _puback_all(self, ups: list[Up]) -> None:
        for u in ups:
            # A message of an earlier connection is redelivered by the broker (and applied
            # again idempotently); its old mid must not be acknowledged on this connection.
            if u.msg.qos > 0 and u.gen == self._gen and not self._crashed:
                self.client.ack(u.msg.mid, u.msg.qos)

    def _finish(self, ups: list[Up], requests: list[Any], births: list[str]) -> None:
        self._puback_all(ups)
        per_station: dict[str, dict[str, c.AckItem]] = {}
        for u in ups:
            v = u.verdict
            if v is None or u.kind in ("status", "heartbeat", "dropped"):
                continue
            self._count(u, v)
            if u.schema == 1:
                reason = None if v.reason is None else c.v1_reason(v.reason)
                self._send(Outgoing(c.Topics(self.cfg.prefix, u.station).acks, c.AckMessage(
                    u.uuid, v.status, reason, c.clean_text(v.detail, 500)).to_bytes(),
                    correlation=c.correlation_for(u.uuid)))
            else:
                per_station.setdefault(u.station, {})
                item = c.AckItem.of(u.corr, u.uuid, v.status, v.reason, v.detail)
                _answer_once(per_station[u.station], item)
        for station, answers in per_station.items():
            topic = c.Topics(self.cfg.prefix, station).acks
            items = list(answers.values())
            for m in c.pack_acks(items, min(c.MAX_PAYLOAD_BYTES, self.cfg.max_packet - 512)):
                corr = c.correlation_for(m.msg_id) if isinstance(m, c.AckMessage) and \
                    m.msg_id else None
                self._send(Outgoing(topic, m.to_bytes(), correlation=corr))
        schemas = self.db.station_schemas() if requests or births else {}
        for r in requests:
            self._send(deletion_outgoing(self.cfg.prefix, r.request_id, r.person, r.station,
                                         r.issued_at, r.cause, schemas.get(r.station, 1)))
        for station in births:
            self._birth(station, schemas.get(station, 1))

    def _count(self, u: Up, v: Verdict) -> None:
        if v.status == "rejected":
            self.counts["rejected"] += 1
            log.warning("rejected %s %s from %s: %s (%s)", u.kind, u.uuid, u.station, v.reason,
                        v.detail)
        if u.kind == "templates":
            if v.status != "rejected":
                self.counts[v.status] += 1
        else:
            self.counts[f"{u.kind}-{v.status}"] += 1
            if u.kind == "deletion-receipts" and v.status != "rejected":
                self.counts["receipts"] += 1

    def _send(self, out: Outgoing) -> None:
        if self._crashed:
            return
        try:
            out.check(self.cfg.max_packet)
        except PacketTooLarge as exc:
            log.error("not published: %s", exc)
            return
        out.send(self.client)

    def _birth(self, station: str, schema: int) -> None:
        """A station came online: re-send its open deletion requests (and, with the legacy
        option, its schema-1 roster snapshot)."""
        for rid, person, st, issued, cause in self.db.pending_deletion_requests(station):
            self._send(deletion_outgoing(self.cfg.prefix, rid, person, st, issued,
                                         c.DeletionCause(cause), schema))
        if self.cfg.legacy_roster:
            try:
                for o in legacy_messages(self.db, self.cfg.prefix, [station],
                                         self.cfg.max_packet):
                    self._send(o)
            except c.ContractError as exc:
                log.error("schema-1 roster not sent to %s: %s (stations on schema 2 read the "
                          "paged roster)", station, exc)


def _answer_once(answers: dict[str, c.AckItem], item: c.AckItem) -> None:
    """One verdict per msg_id in a batch of acks (the contract allows no other). The same
    event can arrive twice before one commit — a station re-sending while its first copy
    still waits here, or the broker redelivering it: the first verdict stands, unless it was
    a refusal and a later copy was accepted."""
    seen = answers.get(item.msg_id)
    if seen is None or (seen.status == "rejected" and item.status != "rejected"):
        answers[item.msg_id] = item


def deletion_outgoing(prefix: str, request_id: str, person: str, station: str, issued: str,
                      cause: c.DeletionCause, schema: int) -> Outgoing:
    """A deletion request in the station's schema (schema 1 has no ``cause``)."""
    topics = c.Topics(prefix, station)
    req = c.DeletionRequest(request_id, person, station, issued,
                            cause if schema >= 2 else None)
    return Outgoing(topics.deletions, req.to_bytes(), response_topic=topics.deletion_receipts,
                    correlation=c.correlation_for(request_id))


def publish_pending_deletions(client: mqtt.Client, db: CentralDB, prefix: str,
                              station: str | None = None) -> list[mqtt.MQTTMessageInfo]:
    """Publish every deletion request still without a receipt (each station's schema)."""
    schemas = db.station_schemas()
    return [deletion_outgoing(prefix, rid, person, st, issued, c.DeletionCause(cause),
                              schemas.get(st, 1)).send(client)
            for rid, person, st, issued, cause in db.pending_deletion_requests(station)]
