"""Sensor administration: reconcile the sensor with the database, probe ports, the simulator.

The same code backs the GUI's sensor page, ``kiosk sensor reconcile``, ``kiosk sensor
info|list`` and ``kiosk doctor``, so they cannot disagree. Every call but the simulator
controls blocks on the serial port or the database: never on the GUI thread. Work on the
station's own sensor goes through the sensor worker (the one thread that owns the port).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kiosk.app.sensor_service import SensorService, SensorStatus
from kiosk.config import SensorConfig
from kiosk.sensor.discovery import (
    CandidatePort,
    ProbeResult,
    Problem,
    candidate_ports,
    find_sensor,
    probe,
)
from kiosk.sensor.trace import FrameTrace
from kiosk.sim import TcpServer, VirtualR307
from kiosk.store import Store
from kiosk.store.reconcile import ReconcileReport, RepairResult, compare, repair
from kiosk.threadguard import check_io


@dataclass(frozen=True)
class Reconciliation:
    """What differed, and (with ``repair``) what was done about it."""

    report: ReconcileReport
    repair: RepairResult | None = None


@dataclass(frozen=True)
class PortVerdict:
    """``state``: "in-use" (the station's worker has it and it answers), "found", "problem"."""

    state: str
    port: str
    model: str = ""
    problem: Problem | None = None
    #: The probe's own explanation (English, technical), for the admin page and the log.
    detail: str = ""


def reconcile(store: Store, sensor: SensorService, *, repair_it: bool) -> Reconciliation:
    """Compare the sensor's used slots with the database; optionally repair the differences.

    Repair loads back templates the sensor lost, clears templates it holds that this station
    has no record of, and clears slots whose templates were deleted here.
    """
    on_sensor = sensor.call(lambda h: h.index_table())
    report = compare(on_sensor, store.slots.template_slots().keys(),
                     store.slots.pending_releases())
    if not repair_it or report.ok:
        return Reconciliation(report)
    result = sensor.call(lambda h: repair(report, h, store.slots.template_for_slot))
    if result.released:
        store.slots.confirm_released(result.released)
    return Reconciliation(report, result)


def port_in_use(port: str, status: SensorStatus) -> bool:
    """True when probing ``port`` would collide with the station's own sensor connection."""
    return status.connected and port in ("auto", status.port)


def probe_port(port: str, sensor: SensorConfig, status: SensorStatus) -> PortVerdict:
    """Ask ``port`` (or every candidate for "auto") whether a sensor answers.

    The station's sensor worker keeps its port open; probing it again would only report
    "busy", so a connected port is answered from the worker's status instead.
    """
    if port_in_use(port, status):
        return PortVerdict("in-use", status.port or port, status.model)
    check_io("serial", "probe_port")
    r = sensor_info(sensor, port)
    return PortVerdict("found" if r.ok else "problem", r.port, problem=r.problem,
                       detail=r.message)


def sensor_info(sensor: SensorConfig, port: str | None = None, *, baud: int | None = None,
                scan: bool = True, trace: FrameTrace | None = None) -> ProbeResult:
    """``kiosk sensor info``: the module's parameters, or one clear diagnosis."""
    check_io("serial", "sensor_info")
    port = port or sensor.port
    baud = baud or sensor.baud
    if port == "auto":
        return find_sensor(baud, address=sensor.address, password=sensor.password,
                           auto_baud=scan, trace=trace)
    return probe(port, baud, address=sensor.address, password=sensor.password, auto_baud=scan,
                 trace=trace)


def list_ports(sensor: SensorConfig, *, include_unknown: bool = False, baud: int | None = None,
               scan: bool = True) -> list[tuple[CandidatePort, ProbeResult]]:
    """``kiosk sensor list``: every candidate USB-serial port with a probe verdict."""
    check_io("serial", "list_ports")
    rate = baud or sensor.baud
    return [(c, probe(c.device, rate, address=sensor.address, password=sensor.password,
                      auto_baud=scan, candidate=c))
            for c in candidate_ports(include_unknown=include_unknown)]


class SimulatorControls:
    """The simulated person and USB cable of ``--simulate`` (training, demos, tests).

    ``place``/``lift``/``fail_next`` act on the virtual module at once (any thread);
    ``unplug``/``replug`` pull the virtual cable on a thread of their own, like a hand would.
    """

    def __init__(self, sim: VirtualR307, server: TcpServer) -> None:
        self.sim = sim
        self._server = server
        self._plugged = True

    def place(self, finger_label: str) -> None:
        self.sim.place(finger_label)

    def lift(self) -> None:
        self.sim.lift()

    def fail_next(self, code: int, count: int = 1) -> None:
        self.sim.fail_next(code, count)

    @property
    def plugged(self) -> bool:
        return self._plugged

    def pending_failures(self) -> list[int]:
        """Codes armed with :meth:`fail_next` and not yet used up (one entry per code)."""
        pending = self.sim.status()["pending_failures"]
        assert isinstance(pending, list)
        return [int(code) for code, _left in pending]

    def unplug(self) -> None:
        self._plugged = False
        threading.Thread(target=self._server.unplug, name="sim-unplug", daemon=True).start()

    def replug(self) -> None:
        self._plugged = True
        threading.Thread(target=self._server.replug, name="sim-replug", daemon=True).start()


__all__ = [
    "CandidatePort",
    "FrameTrace",
    "PortVerdict",
    "ProbeResult",
    "Reconciliation",
    "SimulatorControls",
    "list_ports",
    "port_in_use",
    "probe_port",
    "reconcile",
    "sensor_info",
]
