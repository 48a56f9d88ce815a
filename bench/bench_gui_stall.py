"""Event-loop stalls of the desk GUI during enrollments and during a sync drain.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui_stall.py [--enrollments 6]
        [--backlog 1000] [--json]

A 5 ms QTimer runs on the GUI thread for the whole run; every gap between two ticks beyond the
interval is time the event loop could not react. The window is driven as a clerk would (real
store, sensor worker, virtual R307 behind the real driver, a cooperative simulated person),
first for N enrollments, then while a backlog of templates drains to the central ingest through
a real Mosquitto on loopback. The goal is no stall above 50 ms; this prints what happens.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer

from bench.bench_sync import STATION, enroll, report
from kiosk.app import SensorState, Station
from kiosk.config import Config, StationConfig, SyncConfig
from kiosk.paths import DataPaths
from kiosk.secrets import ENV_MQTT_PASSWORD
from kiosk.sim import AutoPerson
from kiosk.store import PersonIn, Store
from kiosk.ui.app import make_app
from kiosk.ui.main_window import MainWindow
from kiosk_central.ingest import Ingest, IngestConfig
from kiosk_contract.mqtt import ClientSettings, parse_broker_url
from kiosk_contract.sealing import generate_keypair
from tests.fixtures.broker import MosquittoBroker, wait_until

TICK_MS = 5


class StallMonitor:
    """Records the gaps between ticks of a short repeating timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.last = 0
        self.gaps: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps.clear()
        self.clock.start()
        self.last = self.clock.elapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.gaps.append(max(0, now - self.last - TICK_MS))
        self.last = now

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        g = sorted(self.gaps) or [0.0]
        return {
            "ticks": len(g),
            "stall_median_ms": statistics.median(g),
            "stall_p99_ms": g[int(len(g) * 0.99) - 1] if len(g) > 1 else g[0],
            "stall_max_ms": g[-1],
            "stalls_over_50ms": sum(1 for x in g if x > 50),
        }


def pump_until(cond: Callable[[], bool], timeout: float, what: str) -> None:
    """Let the event loop run (never block it) until ``cond`` holds."""
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError(f"timed out waiting for {what}")
        QCoreApplication.processEvents()
        time.sleep(0.001)


def enroll_through_gui(win: MainWindow, person: str) -> None:
    win.search.query.setText(person)
    pump_until(lambda: win.search.is_settled() and win.search.result_count() >= 1, 15, "search")
    win.search.primary.click()
    pump_until(lambda: win.current() in (win.consent, win.fingers), 15, "consent screen")
    if win.current() is win.consent:
        win.consent.method_buttons["on-screen"].click()
        win.consent.primary.click()
    pump_until(lambda: win.current() is win.fingers, 15, "finger screen")
    win.fingers.primary.click()
    pump_until(lambda: win.current() is win.result, 60, "registered")
    win.result.secondary.click()
    pump_until(lambda: win.current() is win.search, 15, "back to search")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--enrollments", type=int, default=6)
    ap.add_argument("--backlog", type=int, default=1000, help="templates to drain")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    make_app()
    results: dict[str, Any] = {}
    broker = MosquittoBroker(tmp / "broker")
    broker.add_user(STATION)
    broker.start()
    key = generate_keypair()
    paths = DataPaths(tmp / "station").ensure()
    store = Store.open(paths.database, station_id=STATION)
    enroll(store, 0, max(1, args.backlog // 2))  # the offline backlog, drained later
    store.operators.create("Admin", "1234", role="admin")
    store.close()
    os.environ[ENV_MQTT_PASSWORD] = broker.password(STATION)
    cfg = Config(station=StationConfig(id=STATION),
                 sync=SyncConfig(broker_url=broker.url, central_public_key=key.public_b64))
    ing: Ingest | None = None
    station = Station.open(paths, cfg, simulate=True)
    try:
        assert station.simulation is not None and station.sync.enabled
        sim = station.simulation.sim
        station.store.people.upsert(_people(args.enrollments), "0")
        win = MainWindow(station, simulate=True)
        win.show()
        pump_until(lambda: station.sensor_status.state is SensorState.READY, 20, "sensor")
        pump_until(lambda: win.signin.name_combo.count() > 0, 10, "sign-in")
        win.signin.pin.setText("1234")
        win.signin.primary.click()
        pump_until(lambda: win.current() is win.search, 10, "search screen")
        monitor = StallMonitor()

        # 1) enrollments; the broker is up but no ingest listens yet, so nothing is acked and
        #    the worker re-sends after its ack timeout once the ingest is there
        monitor.start()
        t = time.perf_counter()
        for p in _people(args.enrollments):
            person = AutoPerson(sim, f"{p.external_id}:finger").install()
            enroll_through_gui(win, p.external_id)
            person.uninstall()
        results["enrollments"] = args.enrollments
        results["enrollment_s_each"] = round((time.perf_counter() - t) / args.enrollments, 2)
        results["during_enrollments"] = monitor.stop()

        # 2) the ingest comes up and the backlog drains while the window stays live
        settings = ClientSettings(endpoint=parse_broker_url(broker.url), client_id="central-0",
                                  username="central", password=broker.password("central"))
        monitor.start()
        t = time.perf_counter()
        ing = Ingest(IngestConfig(settings, f"sqlite:///{tmp / 'central.sqlite3'}",
                                  key.private_b64, require_known_person=False)).start()
        wait_until(ing.ready.is_set, 10)
        ingest = ing
        pump_until(lambda: ingest.db.template_count() >= args.backlog + args.enrollments,
                   3600, "backlog drained")
        results["drained_templates"] = ingest.db.template_count()
        results["drain_s"] = round(time.perf_counter() - t, 1)
        results["during_drain"] = monitor.stop()
        win.close()
    finally:
        if ing is not None:
            ing.stop()
        station.close()
        broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    report(results, as_json=args.json)
    return 0


def _people(n: int) -> list[PersonIn]:
    return [PersonIn(f"G-{i:04d}", f"Gui Bench {i}") for i in range(n)]


if __name__ == "__main__":
    raise SystemExit(main())
