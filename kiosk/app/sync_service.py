"""The station's link to central, as the front ends see it: state, queue, "sync now", reload.

One :class:`SyncService` lives as long as the station; the :class:`SyncWorker` behind it may be
replaced (provisioning brings new settings), and listeners stay subscribed across that, so no
front end has to re-attach to a new worker. Listeners are called on the worker's thread and
must only hand the state over (emit a queued Qt signal, put it on a queue).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.secrets import mqtt_password
from kiosk.store import (
    KEY_ROSTER_VERSION,
    OutboxKind,
    OutboxState,
    OutboxStats,
    Store,
    TemplateEvent,
    TemplateSync,
)
from kiosk.sync.worker import SyncState, SyncWorker, no_sensor
from kiosk.threadguard import check_io
from kiosk_contract.fingers import Finger
from kiosk_contract.mqtt import LinkState
from kiosk_contract.telemetry import SensorReport

log = logging.getLogger(__name__)

SyncListener = Callable[[SyncState], None]


@dataclass(frozen=True)
class QueueRow:
    """One outbox row for the admin's sync-queue list (never the template bytes)."""

    id: int
    kind: OutboxKind
    state: OutboxState
    person: str
    finger: Finger | None
    attempts: int
    #: The last delivery error, or central's rejection reason.
    reason: str
    age_s: float
    #: > 0 while a pending row waits on back-off.
    due_in_s: float

    @property
    def retryable(self) -> bool:
        return self.state in (OutboxState.PENDING, OutboxState.REJECTED)


@dataclass(frozen=True)
class DrainResult:
    drained: bool
    state: SyncState


def _disabled() -> SyncState:
    return SyncState(enabled=False, online=False, reason=LinkState.DISABLED)


class SyncService:
    def __init__(self, store: Store, paths: DataPaths, config: Config, *,
                 password: str | None = None,
                 sensor_report: Callable[[], SensorReport] | None = None,
                 on_deletion: Callable[[], None] | None = None) -> None:
        self._store = store
        #: After central's deletion request removed templates (non-blocking; see SyncWorker).
        self._on_deletion = on_deletion
        #: What the heartbeat tells central about the sensor (no I/O: the last known state).
        self._sensor_report = sensor_report
        self._paths = paths
        self._config = config
        #: A password given for this run (``kiosk sync --password-file``) instead of the store's.
        self._password = password
        self._lock = threading.Lock()
        self._listeners: list[SyncListener] = []
        self.worker: SyncWorker | None = self._make(config)

    def _make(self, config: Config) -> SyncWorker | None:
        if not config.sync.broker_url:
            return None
        worker = SyncWorker(self._store, config.station.id, config.sync,
                            password=self._password or mqtt_password(self._paths),
                            sensor_report=self._sensor_report or no_sensor,
                            on_deletion=self._on_deletion)
        worker.set_listener(self._relay)
        return worker

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> None:
        if self.worker is not None:
            self.worker.start()

    def stop(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()

    def reload(self, config: Config) -> SyncState:
        """Switch to new central-server settings (after provisioning) without a restart.

        The old worker stops (unsent rows stay in the outbox and go out with the new one);
        listeners hear the new worker's state from now on.
        """
        check_io("mqtt", "SyncService.reload")
        old, self.worker = self.worker, None
        if old is not None:
            old.stop()
        self._config = config
        self._store.station_id = config.station.id
        self.worker = self._make(config)
        if self.worker is not None:
            self.worker.start()
        state = self.state
        self._relay(state)
        return state

    # -- state -----------------------------------------------------------------------------
    @property
    def enabled(self) -> bool:
        return self.worker is not None

    @property
    def broker_url(self) -> str:
        return self._config.sync.broker_url

    @property
    def state(self) -> SyncState:
        """The latest state; no I/O, safe on any thread."""
        worker = self.worker
        return worker.snapshot() if worker is not None else _disabled()

    def add_listener(self, cb: SyncListener) -> None:
        with self._lock:
            self._listeners.append(cb)

    def _relay(self, state: SyncState) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for cb in listeners:
            try:
                cb(state)
            except Exception:
                log.exception("sync listener failed")

    def sync_now(self) -> None:
        """Look at the outbox now (after a commit, or when an administrator asks)."""
        worker = self.worker
        if worker is not None:
            worker.kick()

    # -- the queue (blocking: worker threads only) -----------------------------------------
    def stats(self) -> OutboxStats:
        return self._store.outbox.stats()

    def roster_version(self) -> str | None:
        return self._store.state.get(KEY_ROSTER_VERSION)

    def queue_rows(self, limit: int = 200) -> list[QueueRow]:
        store = self._store
        items = store.outbox.rows(limit=limit)
        names: dict[str, str] = {}
        for ext in {i.payload.external_id for i in items if i.payload is not None}:
            p = store.people.get(ext)
            names[ext] = f"{p.display_name} ({ext})" if p is not None else ext
        now = datetime.now(UTC)
        rows = []
        for i in items:
            ext = i.payload.external_id if i.payload is not None else ""
            due = (max(0.0, (i.next_attempt_at - now).total_seconds())
                   if i.state is OutboxState.PENDING else 0.0)
            rows.append(QueueRow(
                id=i.id, kind=i.kind, state=i.state, person=names.get(ext, ext),
                finger=i.payload.finger if isinstance(i.payload, TemplateEvent) else None,
                attempts=i.attempts, reason=i.last_error,
                age_s=(now - i.created_at).total_seconds(), due_in_s=due,
            ))
        return rows

    def retry(self, ids: list[int], actor: str) -> int:
        """Rejected rows (after the cause was fixed) and backed-off rows: send them now."""
        n = self._store.outbox.retry(ids, actor=actor)
        if n:
            self.sync_now()
        return n

    def synced(self, template_uuid: str) -> bool:
        """Central has acknowledged this template (for the result screen's live badge)."""
        return self._store.enrollments.sync_state(template_uuid) is TemplateSync.SYNCED

    def drain(self, timeout_s: float, *, until_empty: bool = True,
              stop: threading.Event | None = None) -> DrainResult:
        """Run the worker until nothing waits (CLI ``kiosk sync``) or ``timeout_s`` passes."""
        self.start()
        deadline = time.monotonic() + timeout_s
        stop = stop or threading.Event()
        drained = False
        while not stop.is_set() and (time.monotonic() < deadline or not until_empty):
            st = self._store.outbox.stats()
            if until_empty and st.pending + st.sent_unacked == 0:
                drained = True
                break
            stop.wait(0.2)
        return DrainResult(drained, self.state)


__all__ = ["DrainResult", "QueueRow", "SyncListener", "SyncService", "SyncState"]
