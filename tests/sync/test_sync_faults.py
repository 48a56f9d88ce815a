"""The fault matrix. Each case ends with: central has exactly one row per template and the
station's outbox is empty (or, for refusals, provably unchanged)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.store import OutboxState, PersonIn, Store
from kiosk.sync.worker import SyncWorker
from kiosk_central.ingest import Ingest
from kiosk_central.schema import consents
from tests.fixtures.broker import MosquittoBroker, make_tls_files, wait_until
from tests.fixtures.faultproxy import FaultProxy
from tests.sync.conftest import STATION, Enrolled, Observers, events_of, outbox_kinds
from tests.sync.test_sync_e2e import assert_exactly_once

pytestmark = pytest.mark.timeout(90)


def drained(e: Enrolled, ing: Ingest, timeout: float = 40) -> None:
    wait_until(e.outbox_empty, timeout, what="station outbox empty")
    assert_exactly_once(ing.db, e)
    assert e.stats().rejected == 0


def test_broker_down_at_start(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest], worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(3)
    broker.stop()
    w = worker_factory(e.store)
    wait_until(lambda: w.snapshot().reason == "unreachable"
               and w.snapshot().pending == events_of(3), 10, what="state unreachable, all waiting")
    assert not w.snapshot().online
    broker.start()
    ing = central_factory()
    drained(e, ing)
    assert w.snapshot().online


def test_broker_sigkilled_mid_drain_and_restarted(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest], worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(40)  # 80 templates + 40 consents
    ing = central_factory()
    # The drain is faster than a poll: hold central between a commit and its acks, so the
    # broker dies while the station still has messages waiting for their acknowledgement.
    held, release = threading.Event(), threading.Event()

    def hold_after_commit(_uuid: str) -> None:
        if not held.is_set() and ing.db.template_count() >= 5:
            held.set()
            release.wait(20)

    ing.after_commit = hold_after_commit
    worker_factory(e.store, ack_timeout_s=3)
    wait_until(held.is_set, 20, what="drain under way")
    broker.kill()
    release.set()
    assert not e.outbox_empty()
    broker.start()
    drained(e, ing, 60)


def test_ingest_killed_after_commit_before_ack(
    station_store: Callable[..., Enrolled], central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(3)
    first = central_factory()
    committed: list[str] = []

    def crash_after_commit(uuid: str) -> None:
        committed.append(uuid)
        first.crash()

    first.after_commit = crash_after_commit
    worker_factory(e.store, ack_timeout_s=2)
    wait_until(lambda: committed, 15, what="first commit")
    # Central commits a batch per transaction: the crash comes after the first batch.
    assert first.db.template_count() >= 1
    second = central_factory()
    drained(e, second)
    # What was committed but not acked came back and was recognised, not stored twice.
    assert second.counts["duplicate"] >= 1
    assert second.db.template_count() == len(e.templates)


def test_station_killed_after_publish_before_ack(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest], worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(3)
    # No ingest yet: the broker PUBACKs, nobody acks.
    w = worker_factory(e.store)
    wait_until(lambda: e.stats().sent_unacked >= 3, 15, what="rows published and PUBACKed")
    w.abort()
    ing = central_factory()
    worker_factory(e.store, ack_timeout_s=3)  # the restarted station
    drained(e, ing)


def test_connection_black_holed_then_cut(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest], worker_factory: Callable[..., SyncWorker],
    fault_proxy_factory: type[FaultProxy],
) -> None:
    e = station_store(20)
    proxy = fault_proxy_factory(broker.port).start()
    ing = central_factory()
    proxy.blackhole = True  # the station's traffic vanishes from the start
    w = worker_factory(e.store, url=f"mqtt://127.0.0.1:{proxy.port}", keepalive_s=2,
                       ack_timeout_s=3)
    wait_until(lambda: proxy.swallowed > 0, 10, what="traffic swallowed")
    assert ing.db.template_count() == 0
    proxy.blackhole = False
    proxy.cut()  # like a NAT reset: both sides see the connection die
    wait_until(lambda: ing.db.template_count() >= 5, 20, what="drain under way")
    proxy.cut()  # and again mid-drain
    drained(e, ing, 60)
    assert proxy.accepted >= 2
    assert w.snapshot().online


def test_acl_denied_publish_is_not_counted_as_sent(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest], worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(2)
    ing = central_factory()
    original = broker.acl_file.read_text()
    broker.reload(original.replace("pattern write fpk/v1/stations/%u/templates\n", ""))
    w = worker_factory(e.store, retry_min_s=0.5, retry_max_s=1.0)
    wait_until(lambda: "refused the publish" in w.snapshot().last_error, 15,
               what="PUBACK failure seen")
    wait_until(lambda: outbox_kinds(e.store)["consent"] == 2
               and outbox_kinds(e.store)["attempt"] == 4, 10, what="the rest still goes through")
    # Templates: refused by the broker, so not "sent": waiting to retry (between retries).
    wait_until(lambda: (e.stats().sent_unacked, e.stats().pending) == (0, 4), 10,
               what="refused templates back to waiting")
    assert outbox_kinds(e.store, OutboxState.PENDING) == {"template": 4}
    assert ing.db.template_count() == 0
    broker.reload(original)
    drained(e, ing)


def test_wrong_password_shows_auth_refused(
    station_store: Callable[..., Enrolled], worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(1)
    w = worker_factory(e.store, password="not-the-password")
    wait_until(lambda: w.snapshot().reason == "auth-refused", 10, what="auth refused state")
    assert not w.snapshot().online
    assert e.stats().pending == events_of(1) and e.stats().sent_unacked == 0


def test_tls_with_wrong_ca_shows_tls_error_and_right_ca_works(
    broker_factory: Callable[..., MosquittoBroker], station_store: Callable[..., Enrolled],
    worker_factory: Callable[..., SyncWorker], tmp_path_factory: pytest.TempPathFactory,
) -> None:
    good = make_tls_files(tmp_path_factory.mktemp("tls-good"))
    wrong = make_tls_files(tmp_path_factory.mktemp("tls-wrong"))
    tls_broker = broker_factory("tls-broker", tls=good)
    pw = tls_broker.add_user("station-01")
    tls_broker.start()
    e = station_store(1)
    url = f"mqtts://localhost:{tls_broker.port}"
    bad = worker_factory(e.store, url=url, password=pw, ca_file=str(wrong.ca_file))
    wait_until(lambda: bad.snapshot().reason == "tls-error", 10, what="TLS error state")
    assert "certificate" in bad.snapshot().detail
    bad.stop()
    ok = worker_factory(e.store, url=url, password=pw, ca_file=str(good.ca_file))
    wait_until(lambda: ok.snapshot().online, 10, what="TLS connection with the right CA")


def test_status_birth_and_last_will(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    worker_factory: Callable[..., SyncWorker], observers: Observers,
) -> None:
    e = station_store(1)
    w = worker_factory(e.store)
    wait_until(lambda: observers.up.received("status"), 10, what="birth message")
    w.abort()
    wait_until(lambda: b'"offline"' in observers.up.received("status")[-1].payload, 10,
               what="last will")
    observers.assert_all_valid()


def test_abort_leaves_no_connection_behind_when_the_network_thread_reconnected_first(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    worker_factory: Callable[..., SyncWorker], observers: Observers,
) -> None:
    """An abort cuts the link, then stops paho's network thread; if that thread reconnects in
    between, the new connection must be cut too. It used to stay open with nobody behind it,
    so the broker said nothing for a keep-alive and a half (the last-will check failed)."""
    e = station_store(1)
    w = worker_factory(e.store, keepalive_s=60)
    wait_until(lambda: observers.up.received("status"), 10, what="birth message")
    client = w.client
    assert client is not None
    connects = threading.Semaphore(0)
    on_connect, loop_stop = client.on_connect, client.loop_stop
    assert on_connect is not None

    def counted(*a: Any, **kw: Any) -> None:
        on_connect(*a, **kw)
        connects.release()

    def stop_after_a_reconnection() -> Any:  # the race, made certain
        assert connects.acquire(timeout=15), "the network thread did not reconnect"
        return loop_stop()

    client.on_connect = counted
    client.loop_stop = stop_after_a_reconnection  # type: ignore[method-assign]
    w.abort()
    # Without a live connection behind the will, it comes at once, not after 90 s.
    wait_until(lambda: b'"offline"' in observers.up.received("status")[-1].payload, 10,
               what="last will")


def test_plaintext_to_remote_broker_is_refused(
    station_store: Callable[..., Enrolled], worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(1)
    w = worker_factory(e.store, url="mqtt://broker.example.org:1883", start=False)
    assert w.snapshot().reason == "config-error"
    assert "TLS" in w.snapshot().detail


def test_sigterm_restart_keeps_sessions(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest], worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(10)
    ing = central_factory()
    worker_factory(e.store)
    wait_until(lambda: ing.db.template_count() >= 2, 20, what="drain under way")
    broker.restart(signal.SIGTERM)
    drained(e, ing)


def test_withdrawal_after_a_crash_is_not_settled_by_the_late_ack_of_the_consent(
    tmp_path: Path, central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker],
) -> None:
    """Consent given → central commits it but its ack is held → the station is killed → the
    consent is withdrawn → the held ack arrives. It names the "given" event only, so the
    withdrawal still reaches central (#12.2: an ack used to settle every row of the consent)."""
    store = Store.open(tmp_path / "station.sqlite3", station_id=STATION)
    try:
        store.people.upsert([PersonIn("P-00001", "Person 1")], "0")
        store.consents.record("P-00001", notice_version="1", notice_text="n",
                              method="on-screen", operator=None)
        ing = central_factory()
        held, release = [], threading.Event()

        def hold_the_ack(uuid: str) -> None:
            held.append(uuid)
            release.wait(30)

        ing.after_any_commit = hold_the_ack
        w1 = worker_factory(store)
        wait_until(lambda: held, 15, what="central committed the consent")
        w1.abort()  # the station dies before the ack
        assert store.consents.withdraw("P-00001", operator="desk")
        release.set()  # the late ack goes out, to a station that is not there
        worker_factory(store)  # the station again, same session
        wait_until(lambda: store.outbox.open_count() == 0, 30, what="everything acked")
        with ing.db.engine.connect() as conn:
            events = sorted(r[0] for r in conn.execute(select(consents.c.event)))
        assert events == ["given", "withdrawn"]
    finally:
        store.close()
