"""Enrollment overhead: a 3-capture enrollment against the virtual R307 in real timing, timed
against what the module and the person take by themselves.

    .venv/bin/python -m bench.bench_enroll [--mode full|quick|smoke]

The station is the real one (``Station.open`` with the desk, the sensor worker, the driver
over a TCP socket, the store committing the template), the sensor is ``VirtualR307`` with
``SimConfig(timing="real")`` behind its TCP server: every command takes the module's own
processing time (capture 0.3 s, feature extraction 0.4 s, a library search ~1 s, …) and every
byte its wire time at 57,600 baud, both ways. A scripted person puts the finger on the glass
``PLACE_S`` after the host first finds it empty and lifts it ``LIFT_S`` after a capture was
accepted.

``enrollment_overhead``: value = wall time from ``desk.enroll`` to the completed result;
reference = the physical limit, the length of the union of every interval in which the module
was busy (processing or sending or receiving bytes) or the person was deliberately keeping the
host waiting. What is left is time in which only the host could have been working (its poll
pauses, Python, the database commit); ratio = wall / limit (1.0 = nothing but physics).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Figure, Mode, emit, mode_arg, progress, wait_for
from kiosk.app import ConsentMethod, SensorState, Station
from kiosk.config import Config, SensorConfig, StationConfig
from kiosk.enrollment.events import Result
from kiosk.paths import DataPaths
from kiosk.sensor.packet import Packet
from kiosk.sim import SimConfig, TcpServer, VirtualR307
from kiosk.store import PersonIn
from kiosk_contract.fingers import Finger

#: The scripted person: seconds from "the host finds the glass empty" to the finger on it,
#: and from "capture accepted" to the finger lifted.
PLACE_S = 0.5
LIFT_S = 0.6

RUNS: dict[Mode, int] = {"full": 5, "quick": 2, "smoke": 1}


class TimedR307(VirtualR307):
    """The virtual module, noting when it is busy: each command's processing time (the delay
    it reports for itself) and each transfer's wire time, as (start, seconds) intervals."""

    def __init__(self, config: SimConfig) -> None:
        super().__init__(config)
        self.busy: list[tuple[float, float]] = []
        self._busy_lock = threading.Lock()

    def wire_time(self, nbytes: int) -> float:
        d = super().wire_time(nbytes)
        if d:
            with self._busy_lock:
                self.busy.append((time.perf_counter(), d))
        return d

    def _dispatch(self, pkt: Packet) -> Any:
        reply, delay, hook = super()._dispatch(pkt)
        if delay:
            with self._busy_lock:
                self.busy.append((time.perf_counter(), delay))
        return reply, delay, hook


class ScriptedPerson:
    """Places and lifts the finger after fixed delays; notes each deliberate wait."""

    def __init__(self, sim: VirtualR307, finger: str) -> None:
        self.sim = sim
        self.finger = finger
        self.waits: list[tuple[float, float]] = []
        self._pending: threading.Timer | None = None
        self._lock = threading.Lock()

    def install(self) -> ScriptedPerson:
        self.sim.on_wait_for_finger = self._host_waits
        self.sim.on_capture_accepted = self._accepted
        self.sim.on_finger_resting = self._accepted
        return self

    def uninstall(self) -> None:
        self.sim.on_wait_for_finger = self.sim.on_capture_accepted = None
        self.sim.on_finger_resting = None
        with self._lock:
            if self._pending is not None:
                self._pending.cancel()

    def _later(self, seconds: float, action: str) -> None:
        with self._lock:
            if self._pending is not None and self._pending.is_alive():
                return
            start = time.perf_counter()

            def act() -> None:
                if action == "place":
                    self.sim.place(self.finger)
                else:
                    self.sim.lift()
                self.waits.append((start, time.perf_counter() - start))

            self._pending = threading.Timer(seconds, act)
            self._pending.start()

    def _host_waits(self, sim: VirtualR307) -> None:
        if not sim.finger_present:
            self._later(PLACE_S, "place")

    def _accepted(self, sim: VirtualR307) -> None:
        self._later(LIFT_S, "lift")


def union_length(intervals: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Length of the union of (start, seconds) intervals, clipped to [lo, hi]."""
    total, end = 0.0, lo
    for start, d in sorted(intervals):
        a, b = max(start, end, lo), min(start + d, hi)
        if b > a:
            total += b - a
        end = max(end, min(start + d, hi))
    return total


def run(mode: Mode) -> list[Figure]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-enroll-"))
    sim = TimedR307(SimConfig(timing="real"))
    server = TcpServer(sim)
    paths = DataPaths(tmp / "station").ensure()
    cfg = Config(station=StationConfig(id="station-01"), sensor=SensorConfig(port=server.url))
    station = Station.open(paths, cfg, sensor_url=server.url)
    walls: list[float] = []
    limits: list[float] = []
    parts: dict[str, list[float]] = {"module_busy_s": [], "person_s": []}
    try:
        wait_for(lambda: station.sensor_status.state is SensorState.READY, 30, "sensor")
        n = RUNS[mode]
        station.store.people.upsert([PersonIn(f"E-{i:03d}", f"Enroll {i}") for i in range(n)],
                                    "0")
        for i in range(n):
            ext = f"E-{i:03d}"
            station.desk.record_consent(ext, ConsentMethod.ON_SCREEN, None)
            progress(f"enroll: {i + 1}/{n} in real timing")
            person = ScriptedPerson(sim, f"{ext}:right-index").install()
            sim.busy.clear()
            done = threading.Event()
            results: list[Result] = []

            def finished(r: Result, results: list[Result] = results,
                         done: threading.Event = done) -> None:
                results.append(r)
                done.set()

            t0 = time.perf_counter()
            station.desk.enroll(ext, Finger.RIGHT_INDEX, None, done=finished)
            if not done.wait(120):
                raise TimeoutError("enrollment did not finish")
            t1 = time.perf_counter()
            person.uninstall()
            if not results[0].ok:
                raise RuntimeError(f"enrollment failed: {results[0]}")
            walls.append(t1 - t0)
            limits.append(union_length(sim.busy + person.waits, t0, t1))
            parts["module_busy_s"].append(union_length(list(sim.busy), t0, t1))
            parts["person_s"].append(sum(d for _s, d in person.waits))
            sim.lift()
            wait_for(lambda: station.sensor_status.state is SensorState.READY, 10, "idle")
    finally:
        station.close()
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)
    wall, limit = sum(walls), sum(limits)
    ratio = wall / limit
    return [Figure(
        "enrollment_overhead", "s", wall / len(walls), limit / len(limits),
        goal="wall ≤ 1.05 × physical limit", met=ratio <= 1.05,
        detail={"enrollments": len(walls), "wall_s_each": [round(w, 3) for w in walls],
                "host_only_s": (wall - limit) / len(walls),
                "module_busy_s": statistics.mean(parts["module_busy_s"]),
                "person_s": statistics.mean(parts["person_s"]),
                "ratio_worst": max(w / lim for w, lim in zip(walls, limits, strict=True))},
        note=f"value: wall time per enrollment; reference: the physical limit (module busy ∪ "
             f"person waiting; the person places {PLACE_S} s after the host finds the glass "
             f"empty, lifts {LIFT_S} s after a capture is accepted)")]


def main(argv: Sequence[str] | None = None) -> int:
    mode, _rest = mode_arg(argv, __doc__ or "")
    for fig in run(mode):
        emit(fig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
