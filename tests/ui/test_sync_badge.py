"""The result badge turns from queued to synced live, with a real broker and the central ingest,
and the status bar follows the station going offline; the GUI thread stays free of I/O while
a large backlog drains."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from kiosk import threadguard
from kiosk.app import Role, SensorState, Station
from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.store import PersonIn
from kiosk_central.ingest import Ingest
from kiosk_central.roster import publish_paged
from kiosk_contract.fields import DEFAULT_MAX_PACKET_BYTES
from kiosk_contract.sealing import KeyPair
from tests.fixtures.broker import MosquittoBroker

from .conftest import (
    ADMIN,
    ADMIN_PIN,
    CENTRAL_FINGER,
    CENTRAL_PERSON,
    make_window,
    press,
    sim,
    sync_config,
    three_presses,
    to_capture,
)

SLOW_MS = 20_000
DRAIN_MS = 150_000


def test_badge_turns_synced_and_status_follows_the_broker(
        qtbot: QtBot, online_station: Station, broker: MosquittoBroker) -> None:
    w = make_window(qtbot, online_station)
    qtbot.waitUntil(lambda: "online" in w.statusbar.central.text(), timeout=SLOW_MS)
    to_capture(qtbot, w, CENTRAL_PERSON)
    three_presses(qtbot, w, online_station, CENTRAL_FINGER)
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=SLOW_MS)
    qtbot.waitUntil(w.result.is_synced, timeout=SLOW_MS)
    qtbot.waitUntil(lambda: "Everything synced" in w.statusbar.pending.text(), timeout=SLOW_MS)
    broker.stop()
    qtbot.waitUntil(lambda: "offline since" in w.statusbar.central.text(), timeout=SLOW_MS)


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_gui_thread_stays_free_of_io_during_a_1000_row_drain(
        qtbot: QtBot, paths: DataPaths, broker: MosquittoBroker, central_key: KeyPair,
        central_factory: Callable[..., Ingest], central_db_url: str) -> None:
    from kiosk_central.db import CentralDB
    from tests.sync.conftest import STATION, enroll

    # Central's whole roster (an import replaces it): the fixture's people and 334 more.
    CentralDB(central_db_url).import_people(
        [(f"P-{i:05d}", f"Person {i}", True) for i in (*range(200), *range(2000, 2334))])
    ing = central_factory()
    publish_paged(ing.client, ing.db, "fpk/v1", DEFAULT_MAX_PACKET_BYTES)
    st = Station.open(paths, sync_config(Config(), broker, central_key), simulate=True,
                      start_sync=False, sync_password=broker.password(STATION))
    try:
        templates = enroll(st.store, 334, start=2000)  # 668 templates + 334 consents
        st.store.people.upsert([PersonIn(CENTRAL_PERSON, "Person 1")], "1")
        st.operators.create(ADMIN, ADMIN_PIN, Role.ADMIN, actor="test")
        assert st.store.outbox.stats().pending >= 1000
        threadguard.violations.clear()
        threadguard.set_gui_thread(threading.get_ident(), strict=True)
        try:
            w = make_window(qtbot, st)
            # started by the station's services, not by the GUI
            threading.Thread(target=st.sync.start, name="starter").start()
            qtbot.waitUntil(lambda: st.sensor_status.state is SensorState.READY,
                            timeout=SLOW_MS)
            to_capture(qtbot, w, CENTRAL_PERSON)
            for pct in (33, 66, 100):
                press(qtbot, w, sim(st), "P-00001:left-index", pct)
            qtbot.waitUntil(lambda: w.current() is w.result, timeout=DRAIN_MS)
            qtbot.waitUntil(lambda: "Everything synced" in w.statusbar.pending.text(),
                            timeout=DRAIN_MS)
            qtbot.waitUntil(w.result.is_synced, timeout=DRAIN_MS)
        finally:
            threadguard.set_gui_thread(None)
        assert threadguard.violations == []
        assert len(templates) == 668
    finally:
        st.close()
