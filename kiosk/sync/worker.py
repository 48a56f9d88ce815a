"""The station's sync worker: drains the store's outbox to central over MQTT, nothing lost.

One thread (``sync-worker``) owns the paho client and the store calls; paho's callbacks run on
paho's network thread and only put events on a queue (plus setting the next reconnect delay),
so nothing slow ever runs inside paho and no lock is shared with it.

Delivery rule: a row is done only when central's application ack arrives. A broker PUBACK
with a failure reason code (e.g. ACL denied) reschedules the row with back-off; a successful
PUBACK only marks it sent. Rows without an ack are re-sent after ``ack_timeout_s``, and after
a restart (the ids of rows on the wire are persisted before publishing). A negative ack stops
retries for that row and keeps everything. Template bytes and secrets are never logged.

Long on purpose: everything that touches the paho client and the sync bookkeeping runs on
one thread; keeping that thread's code in one class keeps its invariants in view.
"""

from __future__ import annotations

import json
import logging
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

import kiosk_contract as c
from kiosk import __version__
from kiosk.config import SyncConfig
from kiosk.store import KEY_ROSTER_VERSION, NotFound, PersonIn, Store, StoreError
from kiosk.sync.outgoing import Unsendable, build, direct_receipt
from kiosk.threadguard import check_io
from kiosk_contract.mqtt import (
    AUTH_REFUSED_CODES,
    BrokerConfigError,
    ClientSettings,
    LinkState,
    classify_connect_error,
    connect_properties,
    hard_drop,
    jittered_backoff,
    make_client,
    parse_broker_url,
    publish_properties,
)
from kiosk_contract.sealing import CryptoError, load_public_key

log = logging.getLogger(__name__)

#: sync_state keys owned by this module.
KEY_IN_FLIGHT = "sync.in_flight"
KEY_DELETIONS_DONE = "sync.deletions_done"



@dataclass(frozen=True)
class SyncState:
    """What the GUI shows: where the link stands (``reason``) and since when it is not online."""

    enabled: bool
    online: bool
    reason: LinkState
    detail: str = ""
    #: Messages not yet acknowledged by central (waiting + on the wire).
    pending: int = 0
    in_flight: int = 0
    rejected: int = 0
    oldest_pending_age_s: float | None = None
    last_sync_at: datetime | None = None
    last_error: str = ""
    roster_version: str | None = None
    #: When the link last stopped being online (or when the worker started, if it never was).
    offline_since: float | None = None
    updated_at: float = field(default_factory=time.time)


class _Cmd(Enum):
    """What the worker thread's queue carries: paho's callbacks and the public API's requests."""

    STOP = "stop"
    ABORT = "abort"
    KICK = "kick"
    CONNECTED = "connected"
    CONNECT_FAIL = "connect_fail"
    DISCONNECTED = "disconnected"
    PUBACK = "puback"
    SUBSCRIBED = "subscribed"
    MESSAGE = "message"
    TICK = "tick"


@dataclass
class _Flight:
    uuid: str
    kind: str
    mid: int | None
    deadline: float
    pubacked: bool = False
    #: When to record "sent" in the store if central's ack has not come first (it usually
    #: does, within milliseconds, and then the extra write is skipped).
    mark_sent_at: float | None = None


class SyncConfigError(ValueError):
    """Sync is configured in a way that cannot work; the message names the setting."""


class SyncWorker:
    """Owns the MQTT connection of one station. Create, ``start()``, read ``snapshot()``."""

    def __init__(
        self,
        store: Store,
        station_id: str,
        cfg: SyncConfig,
        *,
        password: str | None = None,
        listener: Callable[[SyncState], None] | None = None,
        client_id: str | None = None,
        software: str = __version__,
        tick_s: float = 0.25,
        batch: int = 50,
        max_in_flight: int = 200,
        reconnect_min_s: float = 1.0,
        reconnect_max_s: float = 60.0,
        session_expiry_s: int = 7 * 24 * 3600,
        retry_min_s: float = 2.0,
        retry_max_s: float = 300.0,
    ) -> None:
        if not c.is_station_id(station_id):
            raise SyncConfigError(f"station id {station_id!r} cannot be used as an MQTT name")
        self.store = store
        self.station_id = station_id
        self.cfg = cfg
        self.topics = c.Topics(cfg.topic_prefix, station_id)
        self.software = software[:64] or "unknown"
        self._listener = listener
        self._tick = tick_s
        self._batch = batch
        self._max_in_flight = max_in_flight
        self._retry = (retry_min_s, retry_max_s)
        self._reconnect = (reconnect_min_s, reconnect_max_s)
        self._q: queue.Queue[tuple[_Cmd, Any]] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connected = False
        self._subscribed = False
        self._failures = 0
        self._flights: dict[int, _Flight] = {}
        self._by_mid: dict[int, int] = {}
        self._by_uuid: dict[str, int] = {}
        self._persisted: dict[int, str] = {}
        self._done_deletions: list[str] = []
        self._stats_due = 0.0
        self._last_house = 0.0
        self._idle_until = 0.0
        self.client: mqtt.Client | None = None
        self._key: X25519PublicKey | None = None
        self._state = SyncState(enabled=bool(cfg.broker_url), online=False,
                                reason=LinkState.DISABLED if not cfg.broker_url
                                else LinkState.CONNECTING, offline_since=time.time())
        if not cfg.broker_url:
            return
        try:
            endpoint = parse_broker_url(cfg.broker_url)
            if cfg.central_public_key:
                self._key = load_public_key(cfg.central_public_key)
            self._settings = ClientSettings(
                endpoint=endpoint, client_id=client_id or f"fpk-station-{station_id}",
                username=cfg.username or station_id, password=password,
                ca_file=cfg.ca_file, client_cert=cfg.client_cert, client_key=cfg.client_key,
                allow_insecure=cfg.allow_insecure, keepalive_s=cfg.keepalive_s,
                session_expiry_s=session_expiry_s, reconnect_min_s=reconnect_min_s,
                reconnect_max_s=reconnect_max_s,
            )
            self.client = make_client(self._settings)
        except (BrokerConfigError, CryptoError) as exc:
            self._state = replace(self._state, reason=LinkState.CONFIG_ERROR, detail=str(exc),
                                  last_error=str(exc))
            log.error("sync disabled: %s", exc)
            return
        cl = self.client
        cl.on_connect = self._on_connect
        cl.on_connect_fail = self._on_connect_fail
        cl.on_disconnect = self._on_disconnect
        cl.on_publish = self._on_publish
        cl.on_subscribe = self._on_subscribe
        cl.on_message = self._on_message
        cl.will_set(self.topics.status, self._status("offline"), qos=1, retain=True)

    # ------------------------------------------------------------------ public API (any thread)

    def start(self) -> None:
        """Start the worker thread and the connection attempts; returns at once."""
        check_io("mqtt", "SyncWorker.start")
        if self._thread is not None or self.client is None:
            self._emit()
            return
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Say goodbye (retained "offline"), disconnect and join the worker thread."""
        check_io("mqtt", "SyncWorker.stop")
        if self._thread is None:
            return
        self._q.put((_Cmd.STOP, None))
        self._thread.join(timeout)
        self._thread = None

    def abort(self) -> None:
        """Die like a killed process (tests, emergency): no goodbye, no further store writes."""
        check_io("mqtt", "SyncWorker.abort")
        self._stopping.set()
        if self.client is not None:
            hard_drop(self.client)
        self._q.put((_Cmd.ABORT, None))
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def kick(self) -> None:
        """Look at the outbox now (e.g. right after an enrollment was committed)."""
        self._q.put((_Cmd.KICK, None))

    def snapshot(self) -> SyncState:
        """The latest state; cheap and thread-safe (no I/O), for the GUI to poll or bind."""
        with self._lock:
            return self._state

    def set_listener(self, listener: Callable[[SyncState], None] | None) -> None:
        """Called from the worker thread on every state change; must only hand it over
        (e.g. emit a Qt signal), never block."""
        self._listener = listener

    # ------------------------------------------------------------------ paho callbacks

    def _on_connect(self, client: Any, _u: Any, flags: Any, rc: Any, props: Any = None) -> None:
        if not rc.is_failure:
            self._failures = 0
            client.reconnect_delay_set(*[int(x) for x in self._reconnect])
        else:
            self._backoff(client)
        self._q.put((_Cmd.CONNECTED, (rc, getattr(flags, "session_present", False))))

    def _on_connect_fail(self, client: Any, _u: Any) -> None:
        exc = sys.exc_info()[1]  # paho calls this inside its ``except OSError`` block
        self._backoff(client)
        self._q.put((_Cmd.CONNECT_FAIL, classify_connect_error(exc)))

    def _on_disconnect(self, client: Any, _u: Any, _f: Any, rc: Any, _p: Any = None) -> None:
        self._backoff(client)
        self._q.put((_Cmd.DISCONNECTED, rc))

    def _on_publish(self, _c: Any, _u: Any, mid: int, rc: Any, _p: Any = None) -> None:
        self._q.put((_Cmd.PUBACK, (mid, rc)))

    def _on_subscribe(self, _c: Any, _u: Any, _mid: int, rcs: Any, _p: Any = None) -> None:
        self._q.put((_Cmd.SUBSCRIBED, rcs))

    def _on_message(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self._q.put((_Cmd.MESSAGE, msg))

    def _backoff(self, client: Any) -> None:
        self._failures += 1
        delay = jittered_backoff(self._failures, *self._reconnect)
        client.reconnect_delay_set(min_delay=delay, max_delay=delay)

    # ------------------------------------------------------------------ worker thread

    def _run(self) -> None:
        assert self.client is not None
        self._recover()
        ep = self._settings.endpoint
        self._set_conn(False, LinkState.CONNECTING, f"connecting to {ep}")
        self.client.connect_async(
            ep.host, ep.port, keepalive=self._settings.keepalive_s, clean_start=False,
            properties=connect_properties(self._settings.session_expiry_s),
        )
        self.client.loop_start()
        try:
            while True:
                try:
                    kind, arg = self._q.get(timeout=self._tick)
                except queue.Empty:
                    kind, arg = _Cmd.TICK, None
                if kind is _Cmd.ABORT:
                    return
                if kind is _Cmd.STOP:
                    self._goodbye()
                    return
                try:
                    self._handle(kind, arg)
                    # Under a steady stream of acks the queue is never empty: still pump often.
                    if self._q.empty() or time.monotonic() - self._last_house > 0.1:
                        self._last_house = time.monotonic()
                        self._housekeeping()
                except StoreError as exc:
                    self._error(f"local database: {exc}")
                except Exception as exc:
                    log.exception("sync worker error while handling %s", kind)
                    self._error(f"internal error: {exc.__class__.__name__}")
        finally:
            if not self._stopping.is_set():
                self._set_conn(False, LinkState.STOPPED, "sync stopped")

    def _handle(self, kind: _Cmd, arg: Any) -> None:
        if kind is not _Cmd.TICK:
            self._idle_until = 0.0  # something happened: look at the outbox again
        if kind is _Cmd.CONNECTED:
            self._connected_ev(*arg)
        elif kind is _Cmd.CONNECT_FAIL:
            reason, text = arg
            self._connected = self._subscribed = False
            self._set_conn(False, reason, text)
        elif kind is _Cmd.DISCONNECTED:
            was_connected = self._connected
            self._connected = self._subscribed = False
            if was_connected:  # after a refused CONNACK keep saying why (auth, …)
                text = "connection lost" if arg.is_failure or arg.value else "disconnected"
                self._set_conn(False, LinkState.UNREACHABLE, f"{text} ({arg})")
        elif kind is _Cmd.SUBSCRIBED:
            failed = [r for r in arg if r.is_failure]
            if failed:
                self._set_conn(False, LinkState.REFUSED, f"subscriptions refused: {failed}")
            else:
                self._subscribed = True
                self._stats_due = 0
        elif kind is _Cmd.PUBACK:
            self._puback(*arg)
        elif kind is _Cmd.MESSAGE:
            self._message(arg)

    def _connected_ev(self, rc: Any, session_present: bool) -> None:
        assert self.client is not None
        if rc.is_failure:
            self._connected = False
            reason = (LinkState.AUTH_REFUSED if rc.value in AUTH_REFUSED_CODES
                      else LinkState.REFUSED)
            self._set_conn(False, reason, f"broker refused the connection: {rc}")
            self._error(f"broker refused the connection: {rc}")
            return
        self._connected = True
        log.info("connected to %s (session present: %s)", self._settings.endpoint, session_present)
        self._set_conn(True, LinkState.ONLINE, f"connected to {self._settings.endpoint}")
        self.client.publish(self.topics.status, self._status("online"), qos=1, retain=True,
                            properties=publish_properties())
        self.client.subscribe([(self.topics.acks, 1), (self.topics.roster, 1),
                               (self.topics.deletions, 1)])
        # Everything on the wire before the drop gets a fresh ack deadline now.
        deadline = time.monotonic() + self.cfg.ack_timeout_s
        for f in self._flights.values():
            f.deadline = deadline

    def _goodbye(self) -> None:
        assert self.client is not None
        if self._connected:
            info = self.client.publish(self.topics.status, self._status("offline"), qos=1,
                                       retain=True, properties=publish_properties())
            end = time.monotonic() + 2
            while not info.is_published() and time.monotonic() < end and info.rc == 0:
                time.sleep(0.01)
        self.client.disconnect()
        self.client.loop_stop()
        self._connected = False
        self._set_conn(False, LinkState.STOPPED, "sync stopped")

    def _status(self, state: str) -> bytes:
        return c.StatusMessage(self.station_id, state, self.software).to_bytes()  # type: ignore[arg-type]

    # -- restart recovery ---------------------------------------------------------------------

    def _recover(self) -> None:
        """Rows that were on the wire when the previous run died go back to "due now"."""
        raw = self.store.state.get(KEY_IN_FLIGHT)
        done = self.store.state.get(KEY_DELETIONS_DONE)
        self._done_deletions = json.loads(done) if done else []
        if not raw:
            return
        now = datetime.now(UTC)
        for key, uuid in json.loads(raw).items():
            item = self.store.outbox.item(int(key))
            if item is not None and item.state in ("pending", "sent"):
                self.store.outbox.reschedule(item.id, "re-sent after restart (no ack seen)", now)
                log.info("outbox %s (%s) re-queued after restart", item.id, uuid)
        self.store.state.set(KEY_IN_FLIGHT, "{}")
        self._persisted = {}

    def _persist_flights(self, extra: dict[int, str]) -> None:
        want = {i: f.uuid for i, f in self._flights.items()} | extra
        if want != self._persisted:
            blob = json.dumps({str(k): v for k, v in want.items()})
            self.store.state.set(KEY_IN_FLIGHT, blob)
            self._persisted = want

    # -- sending ------------------------------------------------------------------------------

    def _housekeeping(self) -> None:
        now = time.monotonic()
        self._record_sent(now)
        if self._connected and self._subscribed:
            self._expire(now)
            if now >= self._idle_until:
                self._pump()
        if now >= self._stats_due:
            self._refresh_stats()
            self._stats_due = now + 1.0

    def _expire(self, now: float) -> None:
        late = [i for i, f in self._flights.items() if f.deadline <= now]
        for i in late:
            f = self._flights.pop(i)
            self._by_uuid.pop(f.uuid, None)
            if f.mid is not None:
                self._by_mid.pop(f.mid, None)
            err = f"no ack from central within {self.cfg.ack_timeout_s:g}s; re-sending"
            try:
                self.store.outbox.reschedule(i, err, datetime.now(UTC))
            except NotFound:
                continue  # the row was dropped meanwhile (e.g. the person's data was deleted)
            log.info("outbox %s (%s): %s", i, f.uuid, err)

    def _pump(self) -> None:
        assert self.client is not None
        room = self._max_in_flight - len(self._flights)
        if room <= 0:
            return
        # Rows on the wire stay "pending" in the store until their ack: skip past them.
        limit = min(self._batch, room) + len(self._flights)
        # One row per aggregate on the wire at a time, so an ack (matched on the aggregate's
        # uuid) settles exactly the row it answers (a consent given, then withdrawn).
        rows = []
        busy = set(self._by_uuid)
        for r in self.store.outbox.due(limit=limit):
            if r.id in self._flights or r.aggregate_uuid in busy:
                continue
            busy.add(r.aggregate_uuid)
            rows.append(r)
        rows = rows[:room]
        if not rows:
            # Idle: new work arrives with kick() or an event; retries fall due on their own.
            self._idle_until = time.monotonic() + 1.0
            return
        self._persist_flights({r.id: r.aggregate_uuid for r in rows})
        deadline = time.monotonic() + self.cfg.ack_timeout_s
        for row in rows:
            try:
                out = build(row, station=self.station_id, central_key=self._key,
                            templates=self.store.enrollments)
            except Unsendable as exc:
                log.error("outbox %s (%s) cannot be sent: %s", row.id, row.kind, exc)
                self.store.outbox.mark_rejected(row.id, f"not sendable: {exc}")
                self._error(f"outbox {row.id}: {exc}")
                continue
            info = self.client.publish(
                self.topics.of(out.kind), out.payload, qos=1,
                properties=publish_properties(response_topic=self.topics.acks,
                                              correlation=c.correlation_for(out.uuid)),
            )
            if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
                err = f"publish failed: {mqtt.error_string(info.rc)}"
                self._retry_later(row.id, row.attempts, err)
                continue
            self._flights[row.id] = _Flight(out.uuid, row.kind, info.mid, deadline)
            self._by_mid[info.mid] = row.id
            self._by_uuid[out.uuid] = row.id
        self._stats_due = 0

    def _retry_later(self, outbox_id: int, attempts: int, error: str) -> None:
        delay = jittered_backoff(attempts + 1, *self._retry)
        self.store.outbox.reschedule(outbox_id, error, datetime.now(UTC) + timedelta(seconds=delay))
        self._error(error)

    def _forget(self, outbox_id: int) -> _Flight | None:
        f = self._flights.pop(outbox_id, None)
        if f is not None:
            self._by_uuid.pop(f.uuid, None)
            if f.mid is not None:
                self._by_mid.pop(f.mid, None)
        return f

    def _puback(self, mid: int, rc: Any) -> None:
        outbox_id = self._by_mid.pop(mid, None)
        if outbox_id is None:
            return  # status / receipt publishes, or a row already settled
        f = self._flights.get(outbox_id)
        if f is None:
            return
        f.mid = None
        if rc.is_failure:
            # The broker refused it (ACL, quota…): not sent, whatever paho thinks.
            self._forget(outbox_id)
            item = self.store.outbox.item(outbox_id)
            log.warning("broker refused outbox %s (%s): %s", outbox_id, f.kind, rc)
            if item is not None:
                self._retry_later(outbox_id, item.attempts, f"broker refused the publish: {rc}")
            return
        f.pubacked = True
        f.mark_sent_at = time.monotonic() + 0.5

    def _record_sent(self, now: float) -> None:
        for i, f in list(self._flights.items()):
            if f.mark_sent_at is not None and f.mark_sent_at <= now:
                f.mark_sent_at = None
                try:
                    self.store.outbox.mark_sent(i)
                except NotFound:
                    self._forget(i)  # dropped meanwhile (deletion request): nothing to track

    # -- receiving ----------------------------------------------------------------------------

    def _message(self, msg: mqtt.MQTTMessage) -> None:
        topic = msg.topic
        try:
            if topic == self.topics.acks:
                self._ack(msg)
            elif topic == self.topics.roster:
                self._roster(msg)
            elif topic == self.topics.deletions:
                self._deletion(msg)
            else:
                log.warning("message on unexpected topic %r ignored", topic[:200])
        except c.ContractError as exc:
            log.warning("rejected message on %s (%s): %s", topic, exc.reason, exc)

    def _ack(self, msg: mqtt.MQTTMessage) -> None:
        ack = c.AckMessage.parse(bytes(msg.payload))
        corr = c.uuid_from_correlation(getattr(msg.properties, "CorrelationData", None))
        if corr != ack.uuid:
            raise c.ContractError("ack CorrelationData does not match its uuid; ignored")
        outbox_id = self._by_uuid.get(ack.uuid)
        if outbox_id is None:
            outbox_id = next((int(k) for k, v in self._persisted.items() if v == ack.uuid), None)
        if ack.status == "rejected":
            if outbox_id is None:
                log.warning("negative ack for %s, which is not waiting here; ignored", ack.uuid)
                return
            self._forget(outbox_id)
            reason = f"{ack.reason}: {ack.detail}" if ack.detail else str(ack.reason)
            self.store.outbox.mark_rejected(outbox_id, f"rejected by central: {reason}")
            log.error("central rejected %s: %s", ack.uuid, reason)
            self._error(f"central rejected {ack.uuid}: {reason}")
        else:
            if outbox_id is not None:
                self._forget(outbox_id)
            done = self.store.outbox.mark_acked(ack.uuid, outbox_id=outbox_id,
                                         shred=not self.cfg.keep_templates_after_sync)
            if not done:
                log.debug("ack for %s: nothing was waiting (already acked)", ack.uuid)
        self._stats_due = 0

    def _roster(self, msg: mqtt.MQTTMessage) -> None:
        if not msg.payload:
            return  # retained roster cleared
        r = c.RosterMessage.parse(bytes(msg.payload))
        local = int(self.store.state.get(KEY_ROSTER_VERSION) or 0)
        if r.version <= local:
            log.debug("roster version %d not newer than %d; ignored", r.version, local)
            return
        rows = [PersonIn(p.external_id, p.display_name, active=p.active) for p in r.people]
        if r.kind == "snapshot":
            self.store.people.upsert(rows, str(r.version), deactivate_missing=True)
        else:
            if r.base_version != local:
                log.info("roster delta %d applies to %s, we hold %d; waiting for a snapshot",
                         r.version, r.base_version, local)
                return
            for ext in r.removed:
                p = self.store.people.get(ext)
                if p is not None:
                    rows.append(PersonIn(ext, p.display_name, p.role, p.group, active=False))
            self.store.people.upsert(rows, str(r.version))
        log.info("roster %s version %d applied (%d people)", r.kind, r.version, len(r.people))
        self._stats_due = 0

    def _deletion(self, msg: mqtt.MQTTMessage) -> None:
        assert self.client is not None
        req = c.DeletionRequest.parse(bytes(msg.payload))
        corr = getattr(msg.properties, "CorrelationData", None)
        if corr is not None and c.uuid_from_correlation(corr) != req.request_id:
            raise c.ContractError("deletion CorrelationData does not match request_id")
        if req.station != self.station_id:
            raise c.ContractError(f"deletion request addressed to {req.station!r}")
        if req.request_id in self._done_deletions:
            log.info("deletion request %s already carried out; ignored", req.request_id)
            return
        try:
            slots = self.store.deletions.delete_person(
                req.person, actor="central", reason="deletion requested by central",
                request_id=req.request_id)
            log.info("deleted biometrics of %s for request %s; %d sensor slot(s) queued for "
                     "release", req.person, req.request_id, len(slots))
        except NotFound:
            # Never held here: answer directly; central re-asks if this receipt is lost.
            out = direct_receipt(req.request_id, req.person, self.station_id)
            self.client.publish(
                self.topics.deletion_receipts, out.payload, qos=1,
                properties=publish_properties(response_topic=self.topics.acks,
                                              correlation=c.correlation_for(out.uuid)))
        self._done_deletions = ([*self._done_deletions, req.request_id])[-500:]
        self.store.state.set(KEY_DELETIONS_DONE, json.dumps(self._done_deletions))
        self._stats_due = 0

    # -- state ----------------------------------------------------------------------------------

    def _set_conn(self, online: bool, reason: LinkState, detail: str) -> None:
        with self._lock:
            st = self._state
            if (st.online, st.reason, st.detail) == (online, reason, detail):
                return
            now = time.time()
            since = None if online else (st.offline_since if st.offline_since and not st.online
                                         else now)
            self._state = replace(self._state, online=online, reason=reason, detail=detail,
                                  offline_since=since, updated_at=now)
        if not online:
            log.info("sync offline: %s (%s)", reason, detail)
        self._emit()

    def _error(self, text: str) -> None:
        with self._lock:
            self._state = replace(self._state, last_error=text, updated_at=time.time())
        self._emit()

    def _refresh_stats(self) -> None:
        st = self.store.outbox.stats()
        roster = self.store.state.get(KEY_ROSTER_VERSION)
        with self._lock:
            new = replace(
                self._state, pending=st.pending + st.sent_unacked, in_flight=len(self._flights),
                rejected=st.rejected, oldest_pending_age_s=st.oldest_pending_age_s,
                last_sync_at=st.last_sync_at, roster_version=roster,
            )
            changed = replace(new, updated_at=0) != replace(self._state, updated_at=0)
            if changed:
                self._state = replace(new, updated_at=time.time())
        if changed:
            self._emit()

    def _emit(self) -> None:
        listener = self._listener
        if listener is not None:
            try:
                listener(self.snapshot())
            except Exception:
                log.exception("sync state listener failed")
