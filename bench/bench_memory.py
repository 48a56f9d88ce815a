"""Memory growth of the desk over many enrollments in one process.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_memory [--mode full|quick|smoke]

The real window on the real station (sync to central through a real Mosquitto, central in a
process of its own, the virtual R307 in fast timing with a cooperative simulated person),
driven as a clerk would, one finger of a new person per enrollment. ``rss_growth_mb``:
resident memory after ``N`` enrollments (full: 1,000, the sensor's capacity) minus resident
memory after the first 20 (by then every screen, query and message kind has been
used once); goal ≤ 5 MB. The growth from the first frame is in the detail.

``BENCH_TRACEMALLOC=N`` (for experiments) traces Python allocations from the baseline on and
prints the ``N`` allocation sites that grew most by the end to standard error.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.bench_gui_stall import PaintWatch, enroll_through_gui, pump_until
from bench.bench_sync import STATION
from bench.central import CentralWorkers
from bench.common import Figure, Mode, emit, mode_arg, progress, rss_mb
from kiosk.app import SensorState, Station
from kiosk.config import Config, StationConfig, SyncConfig, UiConfig
from kiosk.paths import DataPaths
from kiosk.secrets import ENV_MQTT_PASSWORD
from kiosk.sim import AutoPerson
from kiosk.store import PersonIn, Store
from kiosk.ui.app import make_app
from kiosk.ui.main_window import MainWindow
from kiosk_contract.sealing import generate_keypair
from tests.fixtures.broker import MosquittoBroker

#: Enrollments before the baseline, and in all.
SIZES: dict[Mode, tuple[int, int]] = {"full": (20, 1000), "quick": (10, 40), "smoke": (2, 4)}


def run(mode: Mode) -> list[Figure]:
    warmup, n = SIZES[mode]
    tmp = Path(tempfile.mkdtemp(prefix="bench-mem-"))
    make_app()
    broker = MosquittoBroker(tmp / "broker")
    broker.add_user(STATION)
    broker.start()
    key = generate_keypair()
    paths = DataPaths(tmp / "station").ensure()
    store = Store.open(paths.database, station_id=STATION)
    store.operators.create("Admin", "1234", role="admin")
    store.people.upsert([PersonIn(f"M-{i:05d}", f"Memory Bench {i}") for i in range(n)], "0")
    store.close()
    os.environ[ENV_MQTT_PASSWORD] = broker.password(STATION)
    # Programmatic clicks are not input events: the idle sign-out (300 s) would end the
    # clerk's session in the middle of a long run.
    cfg = Config(station=StationConfig(id=STATION), ui=UiConfig(idle_signout_s=24 * 3600),
                 sync=SyncConfig(broker_url=broker.url, central_public_key=key.public_b64))
    central = CentralWorkers(broker, f"sqlite:///{tmp / 'central.sqlite3'}", key.private_b64,
                             tmp / "central").start()
    station = Station.open(paths, cfg, simulate=True)
    marks: dict[int, float] = {}
    try:
        assert station.simulation is not None
        sim = station.simulation.sim
        win = MainWindow(station, simulate=True)
        first = PaintWatch(win)
        win.show()
        pump_until(lambda: bool(first.paints), 20, "first frame")
        win.removeEventFilter(first)  # the harness must not grow with the run it measures
        pump_until(lambda: station.sensor_status.state is SensorState.READY, 20, "sensor")
        start_mb = rss_mb()
        pump_until(lambda: win.signin.name_combo.count() > 0, 10, "sign-in")
        win.signin.pin.setText("1234")
        win.signin.primary.click()
        pump_until(lambda: win.current() is win.search, 10, "search screen")
        shown = PaintWatch(win.result.title)
        t = time.perf_counter()
        trace_top = int(os.environ.get("BENCH_TRACEMALLOC", "0") or 0)
        baseline: tracemalloc.Snapshot | None = None
        for i in range(n):
            ext = f"M-{i:05d}"
            person = AutoPerson(sim, f"{ext}:finger").install()
            enroll_through_gui(win, ext, shown)
            shown.paints.clear()
            person.uninstall()
            if i + 1 in (warmup, n) or (i + 1) % 100 == 0:
                pump_until(lambda: station.sync.state.pending == 0, 120, "synced")
                marks[i + 1] = rss_mb()
                progress(f"memory: {i + 1}/{n} enrollments, {marks[i + 1]:.1f} MB")
                if trace_top and i + 1 == warmup:
                    tracemalloc.start(12)
                    baseline = tracemalloc.take_snapshot()
        if baseline is not None:
            report_growth(baseline, tracemalloc.take_snapshot(), trace_top)
            tracemalloc.stop()
        each_s = (time.perf_counter() - t) / n
        enrolled = station.store.enrollments.sealed_count()
        win.close()
    finally:
        central.stop()
        station.close()
        broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    growth = marks[n] - marks[warmup]
    return [Figure(
        "rss_growth_mb", "MB", growth, None, goal="≤ 5 MB over 1,000 enrollments",
        met=growth <= 5 if n >= 1000 else None,
        detail={"enrollments": n, "templates": enrolled, "warmup": warmup,
                "rss_first_frame_mb": start_mb, "rss_after_warmup_mb": marks[warmup],
                "rss_end_mb": marks[n], "from_first_frame_mb": marks[n] - start_mb,
                "enrollment_s_each": each_s,
                "marks_mb": {str(k): round(v, 1) for k, v in sorted(marks.items())}},
        note=f"RSS after {n} enrollments minus RSS after {warmup} (one process: window, "
             "station, sync online)" + ("" if n >= 1000 else
                                        f"; goal judged at 1,000 only (this run: {n})"))]


def report_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, top: int) -> None:
    """The allocation sites that grew most between two snapshots, innermost frames first."""
    diffs = after.compare_to(before, "traceback")
    progress(f"memory: Python allocations grew {sum(d.size_diff for d in diffs) / 1e6:.2f} MB")
    for d in diffs[:top]:
        progress(f"  {d.size_diff / 1e3:+.1f} kB in {d.count_diff:+d} blocks:")
        for line in d.traceback.format(limit=6, most_recent_first=True):
            progress(f"    {line}")


def main(argv: Sequence[str] | None = None) -> int:
    mode, _rest = mode_arg(argv, __doc__ or "")
    for fig in run(mode):
        emit(fig)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
