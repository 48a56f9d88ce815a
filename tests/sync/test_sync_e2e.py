"""End to end on a real Mosquitto: offline backlog → central, exactly once, nothing in clear."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable

import pytest

from kiosk.sync.worker import SyncState, SyncWorker
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.fixtures.faultproxy import FaultProxy
from tests.sync.conftest import Enrolled, Observers, outbox_kinds


def assert_exactly_once(central: CentralDB, e: Enrolled) -> None:
    rows = central.template_rows()
    assert sorted(r.uuid for r in rows) == sorted(e.templates)
    for uuid, data in e.templates.items():
        assert central.template_bytes(uuid) == data


def test_offline_backlog_arrives_exactly_once_and_only_as_ciphertext(
    broker: MosquittoBroker,
    station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker],
    observers: Observers, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    e = station_store(10)  # 20 templates, 20 attempts and 10 consents, enrolled offline
    assert e.stats().pending == 50
    ing = central_factory()
    states: list[SyncState] = []
    w = worker_factory(e.store, states=states)
    wait_until(e.outbox_empty, 30, what="outbox drained")
    assert_exactly_once(ing.db, e)
    assert ing.db.consent_count() == 10
    st = e.stats()
    kinds = outbox_kinds(e.store)
    # ... and the audit trail, in runs of consecutive entries.
    assert kinds.pop("audit") >= 1 and st.rejected == 0
    assert kinds == {"template": 20, "attempt": 20, "consent": 10}
    wait_until(lambda: w.snapshot().pending == 0 and w.snapshot().last_sync_at is not None, 5,
               what="state refreshed")
    snap = w.snapshot()
    assert snap.online and snap.reason == "online" and snap.in_flight == 0
    assert any(s.pending >= 50 for s in states), "listener saw the backlog"
    # Every message seen on the broker matches the contract.
    wait_until(lambda: observers.acked() >= st.acked, 5, what="acks observed")
    # (acks come in batches, so there are fewer ack messages than verdicts)
    assert observers.assert_all_valid() > 50
    # Templates were kept (keep_templates_after_sync = True) and are marked synced.
    for uuid, data in e.templates.items():
        assert e.store.enrollments.template_bytes(uuid) == data
    w.stop()
    ing.stop()
    broker.stop()  # SIGTERM: Mosquitto writes its persistence file
    persisted = broker.persistence_file.read_bytes() + broker.log_file.read_bytes()
    assert len(persisted) > 0
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "connected to" in logged  # the log was captured at all
    for secret in (broker.password("station-01"), broker.password("central")):
        assert secret not in logged
    for data in e.templates.values():
        for form in (data, data.hex().encode(), base64.b64encode(data)):
            assert form[:48] not in persisted
            assert form[:48].decode("latin-1") not in logged


def test_templates_are_shredded_after_ack_when_configured(
    station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(2)
    ing = central_factory()
    worker_factory(e.store, keep=False)
    wait_until(e.outbox_empty, 20, what="outbox drained")
    assert_exactly_once(ing.db, e)
    assert all(e.store.enrollments.template_bytes(u) is None for u in e.templates)


def test_two_ingest_workers_share_the_load_without_duplicates(
    station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest],
    worker_factory: Callable[..., SyncWorker],
) -> None:
    e = station_store(15)
    a, b = central_factory(), central_factory()
    worker_factory(e.store)
    wait_until(e.outbox_empty, 30, what="outbox drained by two workers")
    assert_exactly_once(a.db, e)
    assert a.counts["stored"] > 0 and b.counts["stored"] > 0
    assert a.counts["stored"] + b.counts["stored"] == len(e.templates)


def test_a_lost_link_is_tried_again_at_once_then_backs_off(
    broker: MosquittoBroker, station_store: Callable[..., Enrolled],
    central_factory: Callable[..., Ingest], worker_factory: Callable[..., SyncWorker],
    fault_proxy_factory: type[FaultProxy],
) -> None:
    """A NAT reset costs no back-off; a second loss soon after waits (no reconnect storm)."""
    e = station_store(1)
    proxy = fault_proxy_factory(broker.port).start()
    ing = central_factory()
    states: list[SyncState] = []
    w = worker_factory(e.store, url=f"mqtt://127.0.0.1:{proxy.port}", states=states,
                       reconnect_min_s=1.0, reconnect_max_s=4.0)
    wait_until(e.outbox_empty, 20, what="drained")
    assert_exactly_once(ing.db, e)

    def back_online_after_a_cut() -> float:
        mark = len(states)
        t0 = time.monotonic()
        proxy.cut()
        wait_until(lambda: any(not s.online for s in states[mark:]) and w.snapshot().online,
                   10, what="offline, then online again")
        return time.monotonic() - t0

    # The jittered back-off waits at least reconnect_min_s / 2 after a first failure.
    assert back_online_after_a_cut() < 0.5
    assert back_online_after_a_cut() >= 0.5
    assert proxy.accepted == 3
