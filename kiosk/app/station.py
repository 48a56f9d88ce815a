"""Application services: the one object that wires config, store, sensor and sync together.

Both front ends (the Qt GUI and the ``kiosk`` command line) build a :class:`Station` and use
nothing below it directly, so they behave identically. ``simulate=True`` runs the sensor side
against an in-process virtual R307 served on a loopback TCP port — the same driver, framing and
worker as with a real sensor, only the module is software.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.app.sensor_service import SensorHandle, SensorService
from kiosk.app.store_sink import StoreSink
from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.secrets import mqtt_password
from kiosk.sensor.discovery import CandidatePort, connect_sensor
from kiosk.sensor.errors import PortUnavailableError, SensorError
from kiosk.sensor.trace import FrameTrace
from kiosk.sim import SimConfig, TcpServer, VirtualR307
from kiosk.store import Store
from kiosk.sync import SyncWorker

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


def release_pending_slots(store: Store, sensor: SensorHandle) -> list[int]:
    """Clear sensor slots whose templates this station deleted (or never committed).

    Run on every (re)connection, so the sensor never keeps a template the database does not
    know, even when the sensor was unplugged in the middle of an enrollment.
    """
    pending = sorted(store.pending_slot_releases())
    cleared = []
    used = sensor.index_table() if pending else set()
    for slot in pending:
        if slot in used:
            sensor.delete(slot, 1)
        cleared.append(slot)
    if cleared:
        store.confirm_slots_released(cleared)
        log.info("cleared %d sensor slot(s) awaiting release", len(cleared))
    return cleared


def _discard(_: object) -> None:
    return None


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


@dataclass
class Station:
    paths: DataPaths
    config: Config
    store: Store
    sensor: SensorService
    simulation: Simulation | None = None
    trace: FrameTrace | None = None
    sync: SyncWorker | None = None
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def open(
        cls,
        paths: DataPaths,
        config: Config,
        *,
        simulate: bool = False,
        sensor_url: str | None = None,
        start_sensor: bool = True,
        start_sync: bool = True,
    ) -> Station:
        """Open the database (migrating it after a backup), start the sensor and sync workers.

        Sync runs only when a broker is configured; a configuration problem shows in its state
        (and the self-test), it never stops the station from enrolling offline.
        """
        paths.ensure()
        store = Store.open(paths.database, backups_dir=paths.backups,
                           station_id=config.station.id)
        trace = FrameTrace(paths.trace_file) if config.sensor.trace else None
        simulation = Simulation.start() if simulate else None
        url = simulation.server.url if simulation else sensor_url
        connect = make_connector(config, trace, url)
        sensor = SensorService(connect, simulated=simulate,
                               on_connect=lambda h: _discard(release_pending_slots(store, h)))
        sync = None
        if config.sync.broker_url:
            sync = SyncWorker(store, config.station.id, config.sync,
                              password=mqtt_password(paths))
        station = cls(paths, config, store, sensor, simulation, trace, sync)
        if start_sensor:
            sensor.start()
        if sync is not None and start_sync:
            sync.start()
        return station

    @property
    def sink(self) -> StoreSink:
        return StoreSink(self.store)

    @property
    def simulator(self) -> VirtualR307 | None:
        return self.simulation.sim if self.simulation else None

    def reload_sync(self, config: Config) -> SyncWorker | None:
        """Switch to new central-server settings (after provisioning) without a restart.

        The old sync worker stops (unsent rows stay in the outbox and go out with the new
        worker); the sensor side is left alone. Returns the new worker, None without a broker.
        """
        old, self.sync = self.sync, None
        if old is not None:
            old.stop()
        self.config = config
        self.store.station_id = config.station.id
        if config.sync.broker_url and not self._closed:
            self.sync = SyncWorker(self.store, config.station.id, config.sync,
                                   password=mqtt_password(self.paths))
            self.sync.start()
        return self.sync

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.sync is not None:
            self.sync.stop()
        self.sensor.stop()
        if self.simulation is not None:
            self.simulation.close()
        if self.trace is not None:
            self.trace.close()
        self.store.close()


__all__ = [
    "NoSensorFound",
    "PortUnavailableError",
    "Simulation",
    "Station",
    "make_connector",
    "release_pending_slots",
]


