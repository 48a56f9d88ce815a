"""The station's sync worker: drains the store's outbox to central over MQTT, nothing lost.

One thread (``sync-worker``) owns the paho client and the store calls; paho's callbacks run on
paho's network thread and only put events on a queue (plus setting the next reconnect delay),
so nothing slow ever runs inside paho and no lock is shared with it. The thread sleeps until
something happens (a commit's :meth:`SyncWorker.kick`, an ack, a PUBACK) or a timer falls due
(the next retry, an ack deadline, the heartbeat): it never polls the outbox on a tick.

Delivery rule: a row is done only when central's application ack names its ``msg_id``. Rows
are marked sent in one transaction per batch right after they are published, so they leave
the due list while on the wire; a broker PUBACK with a failure reason code (ACL denied…)
puts them back with back-off, and so does a missing ack after ``ack_timeout_s``. After a
restart every row still marked sent is due again (central recognises re-sends by ``uuid``).
Acks are settled in one transaction per batch (:meth:`kiosk.store.outbox.Outbox.settle`).
A negative ack stops retries for that row and keeps everything. Template bytes and secrets are
never logged.

Long on purpose (about 650 lines): everything that touches the paho client and the delivery
bookkeeping runs on one thread, and keeping that thread's code in one class keeps its
invariants in view; parsing and building messages live in :mod:`.incoming` and
:mod:`.outgoing`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

import kiosk_contract as c
from kiosk import __version__
from kiosk.config import SyncConfig
from kiosk.store import (
    KEY_ROSTER_VERSION,
    NotFound,
    OutboxItem,
    Store,
    StoreError,
    TemplateEvent,
    Verdict,
)
from kiosk.sync.incoming import Answer, Deletions, RosterIntake, parse_acks
from kiosk.sync.outgoing import Outgoing, Sources, Unsendable, build
from kiosk.sync.state import SyncState
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

#: Events taken off the queue per turn before the store is written (acks settle together).
MAX_EVENTS_PER_TURN = 2000
#: Longest sleep with nothing due: the state snapshot is refreshed at least this often.
MAX_SLEEP_S = 1.0
#: A lost link is tried again at once at most this often (then: jittered back-off).
QUICK_RECONNECT_S = 10.0
#: How often new audit entries are put into outbox events for central.
AUDIT_EVERY_S = 5.0
#: While messages stay on the wire the counts are refreshed at most this often (they cost a
#: scan of the outbox, ~7 ms with 10,000 rows); when the wire turns busy or idle, at once.
STATS_BUSY_S = 0.25

SensorReporter = Callable[[], c.SensorReport]


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


@dataclass
class _Flight:
    outbox_id: int
    uuid: str
    kind: str
    attempts: int
    deadline: float
    mid: int | None = None


class SyncConfigError(ValueError):
    """Sync is configured in a way that cannot work; the message names the setting."""


def no_sensor() -> c.SensorReport:
    """The heartbeat's sensor report where the station has not said (tools, tests)."""
    return c.SensorReport(c.SensorState.DISCONNECTED, "")


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
        sensor_report: SensorReporter = no_sensor,
        on_deletion: Callable[[], None] | None = None,
        batch: int = 200,
        max_in_flight: int = 500,
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
        self.software = software[:64] or "unknown"
        self._listener = listener
        self._sensor_report = sensor_report
        #: Called (on this thread, must not block) after central's deletion request removed
        #: templates here: the station clears their sensor slots now, not at the next
        #: reconnection, so the receipt's sensor place completes while the sensor is there.
        self._on_deletion = on_deletion
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
        #: Paho's thread only: the last CONNACK succeeded; when the last quick reconnect was.
        self._link_up = False
        self._quick_at = -QUICK_RECONNECT_S
        self._started = time.monotonic()
        #: msg_id -> what is on the wire; mid -> msg_id until its PUBACK.
        self._flights: dict[str, _Flight] = {}
        self._by_mid: dict[int, str] = {}
        self._answers: list[Answer] = []
        self._refused: list[tuple[int, int, str]] = []
        self._pump_at = 0.0
        self._stats_at = 0.0
        self._heartbeat_at = float("inf")
        self._audit_at = 0.0
        self.client: mqtt.Client | None = None
        self._key: X25519PublicKey | None = None
        self._state = SyncState(enabled=bool(cfg.broker_url), online=False,
                                reason=LinkState.DISABLED if not cfg.broker_url
                                else LinkState.CONNECTING, offline_since=time.time())
        if cfg.broker_url:
            self._make_client(cfg, password, client_id, session_expiry_s)

    def _make_client(self, cfg: SyncConfig, password: str | None, client_id: str | None,
                     session_expiry_s: int) -> None:
        """The paho client with the project's security defaults; a setting that cannot work
        leaves the worker in the config-error state (it never raises from here)."""
        try:
            self.topics = c.Topics(cfg.topic_prefix, self.station_id)
            self.roster_topics = c.RosterTopics(cfg.topic_prefix)
            endpoint = parse_broker_url(cfg.broker_url)
            if cfg.central_public_key:
                self._key = load_public_key(cfg.central_public_key)
            self._settings = ClientSettings(
                endpoint=endpoint, client_id=client_id or f"fpk-station-{self.station_id}",
                username=cfg.username or self.station_id, password=password,
                ca_file=cfg.ca_file, client_cert=cfg.client_cert, client_key=cfg.client_key,
                allow_insecure=cfg.allow_insecure, keepalive_s=cfg.keepalive_s,
                session_expiry_s=session_expiry_s, reconnect_min_s=self._reconnect[0],
                reconnect_max_s=self._reconnect[1],
            )
            self.client = make_client(self._settings)
        except (BrokerConfigError, CryptoError, c.ContractError) as exc:
            self._state = replace(self._state, reason=LinkState.CONFIG_ERROR, detail=str(exc),
                                  last_error=str(exc))
            log.error("sync disabled: %s", exc)
            return
        cl = self.client
        cl.max_inflight_messages_set(self._max_in_flight)
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
            self._link_up = True
            client.reconnect_delay_set(*[int(x) for x in self._reconnect])
        else:
            self._backoff(client)
        self._q.put((_Cmd.CONNECTED, (rc, getattr(flags, "session_present", False))))

    def _on_connect_fail(self, client: Any, _u: Any) -> None:
        exc = sys.exc_info()[1]  # paho calls this inside its ``except OSError`` block
        self._backoff(client)
        self._q.put((_Cmd.CONNECT_FAIL, classify_connect_error(exc)))

    def _on_disconnect(self, client: Any, _u: Any, flags: Any, rc: Any, _p: Any = None) -> None:
        now = time.monotonic()
        if self._stopping.is_set():
            # Stopping or aborted: no new connection before the network loop is stopped.
            longest = int(self._reconnect[1])
            client.reconnect_delay_set(min_delay=longest, max_delay=longest)
        elif self._failures == 0 and self._link_up and now - self._quick_at >= QUICK_RECONNECT_S \
                and not getattr(flags, "is_disconnect_packet_from_server", True):
            # A working link lost without a word from the broker (NAT reset, Wi-Fi roam): try
            # again at once, at most once per QUICK_RECONNECT_S; a failure then backs off. A
            # broker's DISCONNECT (session taken over, shutting down) always backs off.
            self._quick_at = now
            self._failures = 1
            client.reconnect_delay_set(min_delay=0, max_delay=0)
        else:
            self._backoff(client)
        self._link_up = False
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
        try:
            self.roster = RosterIntake(self.store)
            self.deletions = Deletions(self.store, self.station_id)
            self._recover()
        except StoreError as exc:
            self._error(f"local database: {exc}")
        ep = self._settings.endpoint
        self._set_conn(False, LinkState.CONNECTING, f"connecting to {ep}")
        self.client.connect_async(
            ep.host, ep.port, keepalive=self._settings.keepalive_s, clean_start=False,
            properties=connect_properties(self._settings.session_expiry_s),
        )
        self.client.loop_start()
        try:
            while self._turn():
                pass
        finally:
            if not self._stopping.is_set():
                self._set_conn(False, LinkState.STOPPED, "sync stopped")

    def _turn(self) -> bool:
        """Wait for events or the next timer, handle them, then write the store once.
        Returns False when the worker must end."""
        try:
            events = [self._q.get(timeout=self._sleep_for())]
        except queue.Empty:
            events = []
        while len(events) < MAX_EVENTS_PER_TURN:
            try:
                events.append(self._q.get_nowait())
            except queue.Empty:
                break
        for kind, arg in events:
            if kind is _Cmd.ABORT:
                return False
            if kind is _Cmd.STOP:
                self._goodbye()
                return False
            self._guarded(kind.value, functools.partial(self._handle, kind, arg))
        self._guarded("bookkeeping", self._bookkeeping)
        return True

    def _guarded(self, what: str, fn: Callable[[], None]) -> None:
        try:
            fn()
        except StoreError as exc:
            self._error(f"local database: {exc}")
        except Exception as exc:
            log.exception("sync worker error while handling %s", what)
            self._error(f"internal error: {exc.__class__.__name__}")

    def _sleep_for(self) -> float:
        now = time.monotonic()
        due = [self._stats_at, self._heartbeat_at]
        if self._connected and self._subscribed:
            due += [self._pump_at, self._audit_at]
            if self._flights:
                due.append(min(f.deadline for f in self._flights.values()))
        return max(0.0, min(MAX_SLEEP_S, min(due) - now))

    def _handle(self, kind: _Cmd, arg: Any) -> None:
        if kind is _Cmd.KICK:
            self._pump_at = self._audit_at = 0.0
        elif kind is _Cmd.CONNECTED:
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
                self._pump_at = self._stats_at = self._heartbeat_at = 0.0
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
        self.client.subscribe([(self.topics.acks, 1), (self.topics.deletions, 1),
                               (self.topics.roster, 1), (self.roster_topics.all, 1)])
        # Everything on the wire before the drop gets a fresh ack deadline now.
        deadline = time.monotonic() + self.cfg.ack_timeout_s
        for f in self._flights.values():
            f.deadline = deadline

    def _goodbye(self) -> None:
        assert self.client is not None
        try:
            self._bookkeeping_flush()
        except StoreError as exc:
            log.warning("acks not recorded at stop (they come again): %s", exc)
        if self._connected:
            info = self.client.publish(self.topics.status, self._status("offline"), qos=1,
                                       retain=True, properties=publish_properties())
            # The link may drop meanwhile (paho then raises): the will says "offline" anyway.
            with contextlib.suppress(RuntimeError, ValueError):
                info.wait_for_publish(2)
        self.client.disconnect()
        self.client.loop_stop()
        self._connected = False
        self._set_conn(False, LinkState.STOPPED, "sync stopped")

    def _status(self, state: str) -> bytes:
        return c.StatusMessage(self.station_id, state, self.software,  # type: ignore[arg-type]
                               schema=c.SCHEMA_VERSION).to_bytes()

    def _recover(self) -> None:
        """Rows on the wire when the previous run ended (marked sent, no ack) are due again."""
        far = datetime.now(UTC) + timedelta(days=36500)
        n = self.store.outbox.requeue_unacked(far, error="re-sent after restart (no ack seen)")
        if n:
            log.info("%d message(s) sent before the restart and not acknowledged: re-sending", n)

    # -- bookkeeping: one store write per kind per turn ---------------------------------------

    def _bookkeeping(self) -> None:
        self._bookkeeping_flush()
        now = time.monotonic()
        if self._connected and self._subscribed:
            self._expire(now)
            if now >= self._audit_at:
                self._audit_at = now + AUDIT_EVERY_S
                if self.store.outbox.enqueue_audit():
                    self._pump_at = 0.0
            if now >= self._pump_at:
                self._pump(now)
            if now >= self._heartbeat_at:
                self._heartbeat_at = now + self.cfg.heartbeat_s
                self._heartbeat()
        if now >= self._stats_at:
            self._refresh_stats()
            self._stats_at = now + 1.0

    def _bookkeeping_flush(self) -> None:
        """Settle the acks and put back the refused publishes gathered this turn."""
        if self._answers:
            answers, self._answers = self._answers, []
            self._settle(answers)
        if self._refused:
            refused, self._refused = self._refused, []
            now = datetime.now(UTC)
            self.store.outbox.reschedule_many(
                (i, err, now + timedelta(seconds=jittered_backoff(n + 1, *self._retry)))
                for i, n, err in refused)

    def _expire(self, now: float) -> None:
        late = [mid for mid, f in self._flights.items() if f.deadline <= now]
        if not late:
            return
        err = f"no ack from central within {self.cfg.ack_timeout_s:g}s; re-sending"
        when = datetime.now(UTC)
        items = []
        for msg_id in late:
            f = self._forget(msg_id)
            if f is not None:
                items.append((f.outbox_id, err, when))
                log.info("outbox %s (%s): %s", f.outbox_id, f.uuid, err)
        self.store.outbox.reschedule_many(items)
        self._pump_at = 0.0

    # -- sending ------------------------------------------------------------------------------

    def _pump(self, now: float) -> None:
        room = self._max_in_flight - len(self._flights)
        if room <= 0:
            self._pump_at = float("inf")  # an ack or a deadline frees room and wakes us
            return
        busy = {f.uuid for f in self._flights.values()}
        limit = min(self._batch, room)
        due = self.store.outbox.due(limit=limit)
        # One event per aggregate on the wire at a time (a consent given, then withdrawn,
        # reaches central in that order).
        rows: list[OutboxItem] = []
        for r in due:
            if r.aggregate_uuid not in busy:
                busy.add(r.aggregate_uuid)
                rows.append(r)
        if not rows:
            self._pump_at = now + (0.2 if due else self._until_next_due())
            return
        self._send(rows, now)
        # A full batch: more may be due at once; otherwise sleep until the next one falls due.
        self._pump_at = 0.0 if len(due) == limit else now + self._until_next_due()

    def _until_next_due(self) -> float:
        nxt = self.store.outbox.next_due_at()
        if nxt is None:
            return float("inf")  # a commit kicks us
        return max(0.05, (nxt - datetime.now(UTC)).total_seconds())

    def _send(self, rows: list[OutboxItem], now: float) -> None:
        assert self.client is not None
        # Every template of the batch read in one transaction, opened one by one below.
        templates = self.store.enrollments.template_source(
            r.payload.template_uuid for r in rows if isinstance(r.payload, TemplateEvent))
        sources = Sources(templates, self.store.audit)
        ready: list[tuple[OutboxItem, Outgoing]] = []
        for row in rows:
            try:
                ready.append((row, build(row, station=self.station_id, central_key=self._key,
                                         sources=sources)))
            except Unsendable as exc:
                log.error("outbox %s (%s) cannot be sent: %s", row.id, row.kind, exc)
                self._error(f"outbox {row.id}: {exc}")
                with contextlib.suppress(NotFound):  # dropped meanwhile (data deleted)
                    self.store.outbox.mark_rejected(row.id, f"not sendable: {exc}")
        if not ready:
            return
        deadline = now + self.cfg.ack_timeout_s
        failed = []
        sent: list[int] = []
        for row, out in ready:
            info = self.client.publish(
                self.topics.of(out.kind), out.payload, qos=1,
                properties=publish_properties(response_topic=self.topics.acks,
                                              correlation=c.correlation_for(out.msg_id)),
            )
            if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
                failed.append((row.id, row.attempts, f"publish failed: "
                                                     f"{mqtt.error_string(info.rc)}"))
                continue
            self._flights[out.msg_id] = _Flight(row.id, out.uuid, row.kind, row.attempts,
                                                deadline, info.mid)
            self._by_mid[info.mid] = out.msg_id
            sent.append(row.id)
        # Marked sent after the publishes are handed to paho, so the broker and central work
        # while this transaction reaches the disk. Safe: a crash before it leaves the rows
        # pending, sent again after the restart like any unacknowledged row; their acks and
        # PUBACKs are handled on this thread, after this.
        self.store.outbox.mark_sent_many(sent)
        if failed:
            self._refused += failed
            self._error(failed[0][2])
        self._stats_soon()

    def _forget(self, msg_id: str) -> _Flight | None:
        f = self._flights.pop(msg_id, None)
        if f is not None and f.mid is not None:
            self._by_mid.pop(f.mid, None)
        return f

    def _puback(self, mid: int, rc: Any) -> None:
        msg_id = self._by_mid.pop(mid, None)
        f = self._flights.get(msg_id) if msg_id is not None else None
        if f is None or msg_id is None:
            return  # status / heartbeat / receipt publishes, or a row already settled
        f.mid = None
        if rc.is_failure:
            # The broker refused it (ACL, quota…): not sent, whatever paho thinks.
            self._forget(msg_id)
            log.warning("broker refused outbox %s (%s): %s", f.outbox_id, f.kind, rc)
            self._refused.append((f.outbox_id, f.attempts,
                                  f"broker refused the publish: {rc}"))
            self._error(f"broker refused the publish: {rc}")

    def _heartbeat(self) -> None:
        assert self.client is not None
        st = self.snapshot()
        try:
            sensor = self._sensor_report()
        except Exception:
            log.exception("sensor report for the heartbeat failed")
            sensor = no_sensor()
        roster = self.roster.local_version()
        msg = c.HeartbeatMessage(
            station=self.station_id, software=self.software,
            uptime_s=int(time.monotonic() - self._started),
            backlog=c.Backlog(st.pending, st.oldest_pending_age_s, st.rejected),
            sensor=sensor, roster_version=roster,
            last_error=c.clean_text(st.last_error, 200),
        )
        self.client.publish(self.topics.heartbeat, msg.to_bytes(), qos=1,
                            properties=publish_properties())

    # -- receiving ----------------------------------------------------------------------------

    def _message(self, msg: mqtt.MQTTMessage) -> None:
        topic = msg.topic
        payload = bytes(msg.payload)
        rt = self.roster_topics
        try:
            if topic == self.topics.acks:
                corr = getattr(msg.properties, "CorrelationData", None)
                self._answers += parse_acks(payload, corr)
            elif topic == self.topics.deletions:
                self._deletion(payload, getattr(msg.properties, "CorrelationData", None))
            elif topic == rt.manifest:
                self._roster_changed(self.roster.manifest(payload))
            elif rt.page_number(topic) is not None:
                self._roster_changed(self.roster.page(payload))
            elif topic == rt.deltas:
                self._roster_changed(self.roster.delta(payload))
            elif topic == self.topics.roster:
                self._roster_changed(self.roster.legacy(payload))
            else:
                log.warning("message on unexpected topic %r ignored", topic[:200])
        except c.ContractError as exc:
            log.warning("rejected message on %s (%s): %s", topic, exc.reason, exc)

    def _roster_changed(self, applied: bool) -> None:
        if applied:
            self._stats_at = 0.0

    def _settle(self, answers: list[Answer]) -> None:
        verdicts = []
        for a in answers:
            msg_id = a.msg_id
            if msg_id is None:  # a schema-1 ack names the aggregate only
                msg_id = next((m for m, f in self._flights.items() if f.uuid == a.uuid), None)
                if msg_id is None:
                    log.debug("ack for %s: nothing on the wire names it", a.uuid)
                    continue
            self._forget(msg_id)
            verdicts.append(Verdict(msg_id, a.rejected, f"rejected by central: {a.reason}"
                                    if a.rejected else ""))
            if a.rejected:
                log.error("central rejected %s: %s", a.uuid, a.reason)
                self._error(f"central rejected {a.uuid}: {a.reason}")
        done = self.store.outbox.settle(verdicts, shred=not self.cfg.keep_templates_after_sync)
        if done.unknown:
            log.debug("%d ack(s) named nothing waiting (already settled)", len(done.unknown))
        self._pump_at = 0.0
        self._stats_soon()

    def _stats_soon(self) -> None:
        """Refresh the counts at once when the wire turns busy or idle (the desk's badge and
        anyone waiting for "all sent" see both edges), in between within STATS_BUSY_S."""
        edge = not self._flights or self.snapshot().in_flight == 0
        self._stats_at = 0.0 if edge else min(self._stats_at, time.monotonic() + STATS_BUSY_S)

    def _deletion(self, payload: bytes, correlation: bytes | None) -> None:
        assert self.client is not None
        receipt = self.deletions.handle(payload, correlation)
        if receipt is None and self._on_deletion is not None:
            try:
                self._on_deletion()
            except Exception:  # the slots stay on the release list; cleared at reconnection
                log.exception("could not ask for the sensor slots to be cleared")
        if receipt is not None:
            # Never held here: answer at once; central asks again if this receipt is lost.
            self.client.publish(
                self.topics.deletion_receipts, receipt.payload, qos=1,
                properties=publish_properties(response_topic=self.topics.acks,
                                              correlation=c.correlation_for(receipt.msg_id)))
        self._pump_at = self._stats_at = 0.0

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


__all__ = ["SyncConfigError", "SyncState", "SyncWorker", "no_sensor"]
