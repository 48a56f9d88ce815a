"""Adapt the application services (:class:`kiosk.app.Station`) to the screens' ports.

This is the only module of the GUI that knows the store's and the sensor service's own types.
Every store call here is blocking and is only ever made from :mod:`kiosk.ui.worker` threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.app import SensorStatus, Station, diagnostics
from kiosk.app.diagnostics import Check
from kiosk.config import Config
from kiosk.enrollment.engine import CancelToken, EnrollmentRequest
from kiosk.enrollment.events import Event
from kiosk.paths import DataPaths
from kiosk.store import Store, TemplateEvent
from kiosk.store.reconcile import compare
from kiosk.store.reconcile import repair as repair_slots
from kiosk.store.records import PersonIn, PersonStatus
from kiosk.ui.demo import DEMO_ROSTER
from kiosk.ui.ports import (
    ConsentRecord,
    Operator,
    OperatorRow,
    Person,
    PinCheck,
    QueueRow,
    SensorState,
    SimulatorPort,
    SyncState,
)
from kiosk_contract.fingers import Finger

log = logging.getLogger(__name__)


def _person(st: PersonStatus) -> Person:
    p = st.person
    consent = "granted" if st.consent is not None and st.consent.withdrawn_at is None \
        and st.consent.method != "refused" else "none"
    return Person(
        external_id=p.external_id, name=p.display_name, group=p.group,
        enrolled=tuple(f.finger.value for f in st.fingers),
        synced=tuple(f.finger.value for f in st.fingers if f.sync_state == "synced"),
        consent=consent,
    )


class AppStore:
    """:class:`kiosk.ui.ports.StorePort` over :class:`kiosk.store.Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def has_operators(self) -> bool:
        return self.store.operators.has_admin()

    def operator_names(self) -> list[str]:
        return [o.name for o in self.store.operators.list() if o.active]

    def create_operator(self, name: str, pin: str, role: str) -> Operator:
        op = self.store.operators.create(name, pin, role=role, actor=name)
        return Operator(op.name, op.role)

    def verify_pin(self, name: str, pin: str) -> PinCheck:
        r = self.store.operators.verify_pin(name, pin)
        if r.ok and r.operator is not None:
            return PinCheck(Operator(r.operator.name, r.operator.role))
        locked = 0.0
        if r.locked_until is not None:
            locked = max(0.0, (r.locked_until - datetime.now(UTC)).total_seconds())
        return PinCheck(None, locked_for_s=locked, attempts_left=r.attempts_left)

    def roster_size(self) -> int:
        return int(self.store.maintenance.counts().get("people", 0))

    def search_people(self, text: str, limit: int = 50) -> list[Person]:
        return [_person(self.store.people.status(p.external_id))
                for p in self.store.people.search(text, limit)]

    def person(self, external_id: str) -> Person:
        return _person(self.store.people.status(external_id))

    def record_consent(self, rec: ConsentRecord) -> None:
        self.store.consents.record(
            rec.external_id, notice_version=rec.notice_version, notice_text=rec.notice_text,
            method=rec.method, operator=rec.operator, language=rec.language)


def _state(s: SensorStatus) -> SensorState:
    state = {"connected": "ready"}.get(s.state, s.state)
    return SensorState(state, s.port, s.model, s.simulated, s.message, s.templates, s.capacity)


class AppSensor:
    """:class:`kiosk.ui.ports.SensorPort` over :class:`kiosk.app.SensorService`."""

    def __init__(self, station: Station) -> None:
        self.station = station
        self.service = station.sensor

    @property
    def status(self) -> SensorState:
        return _state(self.service.status)

    @property
    def simulator(self) -> SimulatorPort | None:
        return self.station.simulator

    def add_listener(self, cb: Callable[[SensorState | Event], None]) -> None:
        def relay(item: object) -> None:
            if isinstance(item, SensorStatus):
                cb(_state(item))
            else:
                cb(item)  # type: ignore[arg-type]

        self.service.add_listener(relay)

    def enroll(self, request: EnrollmentRequest) -> CancelToken:
        return self.service.enroll(request, self.station.sink, self.station.config.enrollment)

    def cancel(self) -> None:
        self.service.cancel()

    # simulate mode: pull and push the virtual USB cable
    def unplug(self) -> None:
        if self.station.simulation is not None:
            threading.Thread(target=self.station.simulation.server.unplug, daemon=True).start()

    def replug(self) -> None:
        if self.station.simulation is not None:
            threading.Thread(target=self.station.simulation.server.replug, daemon=True).start()


_FINGER_NAMES = {f.code: f.value for f in Finger}


def _seconds_until(when: datetime | None, now: datetime) -> float:
    return max(0.0, (when - now).total_seconds()) if when is not None else 0.0


_SYNC_REASON = {"auth-refused": "auth", "tls-error": "tls"}


class AppSync:
    """:class:`kiosk.ui.ports.SyncPort` over :class:`kiosk.sync.worker.SyncWorker`.

    The worker reports *why* it is offline; the status bar also wants *since when*, which is
    remembered here at the moment the station goes from online to anything else.
    """

    def __init__(self, worker: Any) -> None:
        self.worker = worker
        self._lock = threading.Lock()
        self._listeners: list[Callable[[SyncState], None]] = []
        self._offline_since: float | None = None
        self._state = self._convert(worker.snapshot())
        worker.set_listener(self._changed)

    @property
    def state(self) -> SyncState:
        with self._lock:
            return self._state

    def _convert(self, raw: Any) -> SyncState:
        if not raw.enabled:
            return SyncState("disabled")
        last = raw.last_sync_at.timestamp() if raw.last_sync_at is not None else None
        if raw.online:
            self._offline_since = None
            state = "online"
        else:
            if self._offline_since is None:
                self._offline_since = float(raw.updated_at)
            state = _SYNC_REASON.get(raw.reason, "offline")
        return SyncState(state, since=self._offline_since, pending=int(raw.pending),
                         rejected=int(raw.rejected), last_sync=last,
                         message=raw.detail or raw.last_error or "")

    def _changed(self, raw: Any) -> None:
        # sync worker thread: convert and hand over, nothing else
        with self._lock:
            self._state = st = self._convert(raw)
        for cb in list(self._listeners):
            cb(st)

    def add_listener(self, cb: Callable[[SyncState], None]) -> None:
        self._listeners.append(cb)

    def sync_now(self) -> None:
        self.worker.kick()


class AppStation:
    """:class:`kiosk.ui.ports.StationPort` over :class:`kiosk.app.Station`."""

    def self_test(self) -> list[Check]:
        return diagnostics.run_self_test(self.app)

    def export_bundle(self, dest: Path) -> Path:
        dest.mkdir(parents=True, exist_ok=True)
        return diagnostics.export_bundle(self.app, dest)

    def __init__(self, station: Station) -> None:
        self.app = station
        self._store = AppStore(station.store)
        self._sensor = AppSensor(station)
        self._sync = AppSync(station.sync) if station.sync is not None else None

    @property
    def config(self) -> Config:
        return self.app.config

    @property
    def paths(self) -> DataPaths:
        return self.app.paths

    @property
    def store(self) -> AppStore:
        return self._store

    @property
    def sensor(self) -> AppSensor:
        return self._sensor

    @property
    def sync(self) -> AppSync | None:
        return self._sync

    def close(self) -> None:
        self.app.close()

    def reconcile(self, repair: bool) -> str:
        """Compare the sensor's used slots with the database; optionally repair."""
        store = self.app.store
        sensor_slots = self.app.sensor.call(lambda h: h.index_table())
        report = compare(sensor_slots, store.slots.template_slots().keys(),
                         store.slots.pending_releases())
        if not repair or report.ok:
            return report.summary()
        result = self.app.sensor.call(
            lambda h: repair_slots(report, h, store.slots.template_for_slot))
        if result.released:
            store.slots.confirm_released(result.released)
        parts = [f"Restored {len(result.restored)}, cleared {len(result.cleared)}."]
        parts += [f"Slot {slot}: {why}." for slot, why in result.failed]
        return " ".join(parts)

    def queue_summary(self) -> list[tuple[str, str]]:
        s = self.app.store.outbox.stats()
        rows = [("Waiting to be sent", str(s.pending)),
                ("Sent, waiting for the server's receipt", str(s.sent_unacked)),
                ("Rejected by the central server", str(s.rejected)),
                ("Received by the central server", str(s.acked))]
        if s.oldest_pending_age_s is not None:
            rows.append(("Oldest waiting for", f"{s.oldest_pending_age_s / 60:.0f} min"))
        if s.last_sync_at is not None:
            rows.append(("Last successful sync", s.last_sync_at.astimezone().strftime(
                "%Y-%m-%d %H:%M")))
        return rows


    # -- admin: sync queue and operators (worker threads) ---------------------------------
    def queue_rows(self) -> list[QueueRow]:
        store = self.app.store
        items = store.outbox.rows()
        names: dict[str, str] = {}
        for ext in {i.payload.external_id for i in items if i.payload is not None}:
            p = store.people.get(ext)
            names[ext] = f"{p.display_name} ({ext})" if p is not None else ext
        now = datetime.now(UTC)
        rows = []
        for i in items:
            ext = i.payload.external_id if i.payload is not None else ""
            finger = i.payload.finger.value if isinstance(i.payload, TemplateEvent) else ""
            rows.append(QueueRow(
                id=i.id, kind=i.kind, state=i.state, person=names.get(ext, ext),
                finger=finger,
                attempts=i.attempts, reason=i.last_error,
                age_s=(now - i.created_at).total_seconds(),
                due_in_s=_seconds_until(i.next_attempt_at, now) if i.state == "pending" else 0.0,
            ))
        return rows

    def retry_queue(self, ids: list[int], actor: str) -> int:
        n = self.app.store.outbox.retry(ids, actor=actor)
        if n and self.app.sync is not None:
            self.app.sync.kick()
        return n

    def operators(self) -> list[OperatorRow]:
        now = datetime.now(UTC)
        return [OperatorRow(o.name, o.role, o.active, _seconds_until(o.locked_until, now))
                for o in self.app.store.operators.list()]

    def set_operator_active(self, name: str, active: bool, actor: str) -> None:
        self.app.store.operators.set_active(name, active, actor=actor)

    def reset_pin(self, name: str, pin: str, actor: str) -> None:
        self.app.store.operators.set_pin(name, pin, actor=actor)

    def unlock_operator(self, name: str, actor: str) -> None:
        self.app.store.operators.unlock(name, actor=actor)

    def reload_sync(self, config: Config) -> AppSync | None:
        """Restart sync with new settings; the window re-subscribes to the returned port."""
        worker = self.app.reload_sync(config)
        self._sync = AppSync(worker) if worker is not None else None
        return self._sync


def load_demo_roster(store: Store) -> None:
    """``--demo-roster``: a few made-up people when the roster is empty."""
    if store.maintenance.counts().get("people", 0):
        return
    rows = [PersonIn(ext, name, group=group) for ext, name, group in DEMO_ROSTER]
    store.people.upsert(rows, "demo")


def open_app_station(paths: DataPaths, config: Config, *, simulate: bool,
                     demo_roster: bool) -> AppStation:
    station = Station.open(paths, config, simulate=simulate)
    if demo_roster and simulate:
        load_demo_roster(station.store)
    return AppStation(station)
