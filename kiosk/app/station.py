"""The station: the one object that wires config, store, sensor and sync together.

Both front ends (the Qt GUI and the ``kiosk`` command line) open a :class:`Station` and use
its services — :attr:`desk`, :attr:`operators`, :attr:`sync`, :attr:`sensor` — and nothing
below it, so they behave identically. ``simulate=True`` runs the sensor side against an
in-process virtual R307 served on a loopback TCP port: the same driver, framing and worker as
with a real sensor, only the module is software.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk import keystore
from kiosk.app import diagnostics
from kiosk.app.biometrics import BiometricsAdmin, release_pending_slots
from kiosk.app.database import DatabaseAdmin
from kiosk.app.demo import load_demo_roster
from kiosk.app.desk import EnrollmentDesk
from kiosk.app.diagnostics import Check
from kiosk.app.operators import OperatorAdmin
from kiosk.app.retention import RetentionJob, RetentionService
from kiosk.app.roster import RosterAdmin
from kiosk.app.sensor_admin import (
    PortVerdict,
    Reconciliation,
    SimulatorControls,
    probe_port,
    reconcile,
)
from kiosk.app.sensor_service import SensorHandle, SensorService, SensorStatus
from kiosk.app.sync_service import SyncService
from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.sensor.discovery import CandidatePort, connect_sensor
from kiosk.sensor.errors import SensorError
from kiosk.sensor.trace import FrameTrace
from kiosk.sim import SimConfig, TcpServer, VirtualR307
from kiosk.store import Store
from kiosk.store.engine import MIN_FREE_BYTES
from kiosk_contract.telemetry import SensorReport

log = logging.getLogger(__name__)


class NoSensorFound(SensorError):
    hint = "Plug in the fingerprint sensor. The station keeps looking for it."


def make_connector(
    config: Config, trace: FrameTrace | None, url: str | None = None
) -> Callable[[], SensorHandle]:
    """Build the connector function for the configured port (or ``url``)."""
    s = config.sensor
    port = url or s.port

    def connect() -> SensorHandle:
        # One open per attempt: the probed port stays open (boards that reset on open).
        fixed = [CandidatePort(port)] if port and port != "auto" else None
        verdict, drv = connect_sensor(s.baud, address=s.address, password=s.password,
                                      trace=trace, candidates=fixed, auto_baud=fixed is None)
        if drv is None:
            raise NoSensorFound(verdict.message, hint=verdict.message)
        return drv

    return connect


@dataclass
class Simulation:
    """The in-process virtual sensor and the TCP server the driver talks to."""

    sim: VirtualR307
    server: TcpServer

    @classmethod
    def start(cls, config: SimConfig | None = None) -> Simulation:
        sim = VirtualR307(config or SimConfig())
        return cls(sim, TcpServer(sim))

    def close(self) -> None:
        self.server.close()


class Station:
    """An open station. Create with :meth:`open`; :meth:`close` when done (idempotent)."""

    def __init__(self, paths: DataPaths, config: Config, store: Store, sensor: SensorService,
                 sync: SyncService, simulation: Simulation | None,
                 trace: FrameTrace | None) -> None:
        self.paths = paths
        self._config = config
        self.store = store
        self.sensor_service = sensor
        self.sync = sync
        self.simulation = simulation
        self.trace = trace
        self._closed = False
        self.desk = EnrollmentDesk(store, sensor, lambda: self._config, sync.sync_now)
        self.operators = OperatorAdmin(store)
        self.database = DatabaseAdmin(store)
        self.roster = RosterAdmin(store)
        self.biometrics = BiometricsAdmin(store, sensor, sync.sync_now)
        self.retention = RetentionService(store, lambda: self._config, self.biometrics)
        self._retention_job = RetentionJob(self.retention)
        self.simulator = (SimulatorControls(simulation.sim, simulation.server)
                          if simulation is not None else None)

    @classmethod
    def open(
        cls,
        paths: DataPaths,
        config: Config,
        *,
        simulate: bool = False,
        demo_roster: bool = False,
        sensor_url: str | None = None,
        start_sensor: bool = True,
        start_sync: bool = True,
        migrate: bool = True,
        sync_password: str | None = None,
    ) -> Station:
        """Open the database (migrating it after a backup), start the sensor and sync workers.

        Sync runs only when a broker is configured; a configuration problem shows in its state
        (and the self-test), it never stops the station from enrolling offline. If anything
        fails half-way, what was already opened is closed again before the error propagates.
        """
        paths.ensure()
        # Without migrating (technician tools), open even on a nearly full disk.
        store = Store.open(paths.database, backups_dir=paths.backups,
                           station_id=config.station.id, migrate=migrate,
                           min_free_bytes=MIN_FREE_BYTES if migrate else 0,
                           keys=keystore.choose(paths.secrets))
        with contextlib.ExitStack() as undo:
            undo.callback(store.close)
            if demo_roster and simulate:
                load_demo_roster(store)
            trace = FrameTrace(paths.trace_file) if config.sensor.trace else None
            if trace is not None:
                undo.callback(trace.close)
            simulation = Simulation.start() if simulate else None
            if simulation is not None:
                undo.callback(simulation.close)
            url = simulation.server.url if simulation else sensor_url

            def on_connect(handle: SensorHandle) -> None:
                release_pending_slots(store, handle)

            sensor = SensorService(make_connector(config, trace, url), simulated=simulate,
                                   on_connect=on_connect)
            undo.callback(sensor.stop)
            def sensor_report() -> SensorReport:
                st = sensor.status
                return SensorReport(st.state, st.model[:64], st.templates, st.capacity)

            def clear_slots_now() -> None:
                """Central deleted templates here: clear their slots on the sensor worker
                (queued, never waited for), then send the receipt's sensor update."""
                if not sensor.status.connected:
                    return  # cleared on reconnection (on_connect)

                def then(result: object) -> None:
                    if isinstance(result, BaseException):
                        log.info("sensor slots stay on the release list for now: %s", result)
                    sync.sync_now()

                sensor.submit(lambda h: release_pending_slots(store, h), then)

            sync = SyncService(store, paths, config, password=sync_password,
                               sensor_report=sensor_report, on_deletion=clear_slots_now)
            undo.callback(sync.stop)
            station = cls(paths, config, store, sensor, sync, simulation, trace)
            if start_sensor:
                sensor.start()
            if start_sync:
                sync.start()
                station._retention_job.start()  # a running station applies the policy daily
            undo.pop_all()
        return station

    # -- configuration --------------------------------------------------------------------
    @property
    def config(self) -> Config:
        return self._config

    def reload_config(self, config: Config) -> None:
        """New settings after provisioning: sync restarts with them; the desk uses them next."""
        self._config = config
        self.sync.reload(config)

    # -- sensor ---------------------------------------------------------------------------
    @property
    def sensor_status(self) -> SensorStatus:
        return self.sensor_service.status

    def add_sensor_listener(self, cb: Callable[[object], None]) -> None:
        """Sensor status changes and enrollment events, on the sensor worker's thread."""
        self.sensor_service.add_listener(cb)

    def wait_for_sensor(self, timeout_s: float) -> bool:
        """Block until the sensor is connected (CLI); False after ``timeout_s``."""
        changed = threading.Event()
        self.sensor_service.add_listener(lambda _e: changed.set())
        deadline = time.monotonic() + timeout_s
        while not self.sensor_service.status.connected:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            changed.wait(min(left, 0.5))
            changed.clear()
        return True

    def reconcile(self, *, repair: bool) -> Reconciliation:
        return reconcile(self.store, self.sensor_service, repair_it=repair)

    def probe_port(self, port: str) -> PortVerdict:
        return probe_port(port, self._config.sensor, self.sensor_service.status)

    # -- diagnostics ----------------------------------------------------------------------
    def self_test(self) -> list[Check]:
        """The same checks as ``kiosk doctor``."""
        return diagnostics.run_self_test(self)

    def export_bundle(self, folder: Path | None = None) -> Path:
        """The support bundle (GUI): a dated file in ``folder`` or the data folder's
        ``diagnostics`` folder."""
        folder = folder or self.paths.root / "diagnostics"
        folder.mkdir(parents=True, exist_ok=True)
        return diagnostics.export_bundle(self, folder)

    def write_bundle(self, dest: Path, checks: list[Check] | None = None) -> Path:
        """The support bundle to ``dest`` (a file, or a folder for a dated name)."""
        return diagnostics.export_bundle(self, dest, checks)

    # -- end ------------------------------------------------------------------------------
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._retention_job.stop()
        self.sync.stop()
        self.sensor_service.stop()
        if self.simulation is not None:
            self.simulation.close()
        if self.trace is not None:
            self.trace.close()
        self.store.close()


__all__ = ["NoSensorFound", "Simulation", "Station", "make_connector", "release_pending_slots"]
