"""The retention policy at work: a person's templates are deleted a set time after they left
the roster, or after their last enrollment activity (``[retention]`` in the settings, set by
provisioning from central's policy; 0 switches a rule off).

:meth:`RetentionService.run` reports what it deletes and why; with ``dry_run`` it only
reports. It deletes through the same path as every other deletion (tombstone, receipt to
central with cause ``retention``, sensor slot cleared at once when the sensor is connected).
:class:`RetentionJob` runs it once a day while the station runs. Blocking: worker threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.app.biometrics import BiometricsAdmin
from kiosk.config import Config
from kiosk.store import Store
from kiosk.store.retention import RetentionDue, RetentionReason

log = logging.getLogger(__name__)

DAY_S = 24 * 3600.0


@dataclass(frozen=True)
class RetentionRun:
    at: datetime
    dry_run: bool
    #: Everyone the policy says must go, oldest first.
    due: tuple[RetentionDue, ...]
    #: Of those, the ones deleted now (empty on a dry run).
    deleted: tuple[str, ...]
    #: Sensor slots still to clear (the sensor is not connected), over all deletions.
    sensor_pending: tuple[int, ...]


class RetentionService:
    def __init__(self, store: Store, config: Callable[[], Config],
                 biometrics: BiometricsAdmin) -> None:
        self._store = store
        self._config = config
        self._biometrics = biometrics

    def plan(self, at: datetime | None = None) -> list[RetentionDue]:
        at = at or datetime.now(UTC)
        r = self._config().retention
        return self._store.retention.due(
            left_before=at - timedelta(days=r.after_left_days) if r.after_left_days else None,
            inactive_before=(at - timedelta(days=r.after_inactive_days)
                             if r.after_inactive_days else None))

    def run(self, *, at: datetime | None = None, dry_run: bool = False) -> RetentionRun:
        at = at or datetime.now(UTC)
        due = self.plan(at)
        deleted: list[str] = []
        pending: set[int] = set()
        if not dry_run:
            r = self._config().retention
            for d in due:
                days = (r.after_left_days if d.reason is RetentionReason.LEFT_ROSTER
                        else r.after_inactive_days)
                why = ("left the roster" if d.reason is RetentionReason.LEFT_ROSTER
                       else "no enrollment activity")
                done = self._biometrics.expire(
                    d.external_id, reason=f"retention: {why} since "
                                          f"{d.since.date().isoformat()} (policy {days} days)")
                deleted.append(d.external_id)
                pending.update(done.sensor_pending)
            if deleted:
                log.info("retention: templates of %d person(s) deleted", len(deleted))
        return RetentionRun(at, dry_run, tuple(due), tuple(deleted), tuple(sorted(pending)))


class RetentionJob:
    """Runs the retention policy shortly after start and then once a day (thread
    ``retention``); a failure is logged and tried again the next day."""

    def __init__(self, service: RetentionService, *, first_after_s: float = 120.0,
                 every_s: float = DAY_S) -> None:
        self._service = service
        self._first, self._every = first_after_s, every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="retention", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def _loop(self) -> None:
        wait = self._first
        while not self._stop.wait(wait):
            try:
                self._service.run()
            except Exception:
                log.exception("retention run failed; next try in a day")
            wait = self._every


__all__ = ["RetentionJob", "RetentionRun", "RetentionService"]
