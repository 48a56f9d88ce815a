"""Adapts the local store to the enrollment engine's sink interface."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime

from kiosk.enrollment.engine import AttemptRecord, CompletedEnrollment, StorageFull
from kiosk.enrollment.events import DuplicateOwner, Outcome
from kiosk.store import AttemptOutcome, DiskFull, Store


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


#: The engine's outcome as the attempt record (and central's figures) keep it.
_OUTCOMES: dict[Outcome, AttemptOutcome] = {
    Outcome.FAILED: AttemptOutcome.FAILED, Outcome.CANCELLED: AttemptOutcome.CANCELLED,
    Outcome.TIMED_OUT: AttemptOutcome.TIMED_OUT, Outcome.DUPLICATE: AttemptOutcome.DUPLICATE,
    Outcome.DISCONNECTED: AttemptOutcome.DISCONNECTED,
}


@contextlib.contextmanager
def _full_disk_as_storage_full() -> Iterator[None]:
    """The store's DiskFull as the engine's StorageFull (the engine knows no store)."""
    try:
        yield
    except DiskFull as exc:
        raise StorageFull(str(exc)) from exc


class StoreSink:
    """Commits finished enrollments and records failed ones in the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def owner_of_slot(self, slot: int) -> DuplicateOwner | None:
        tpl = self.store.slots.template_for_slot(slot)
        if tpl is None:
            return None
        person = self.store.people.get(tpl.external_id)
        name = person.display_name if person else tpl.external_id
        return DuplicateOwner(tpl.external_id, name, tpl.finger)

    def reserved_slots(self) -> set[int]:
        return self.store.slots.in_use()

    def reserve_slot(self, slot: int) -> None:
        with _full_disk_as_storage_full():
            self.store.slots.reserve(slot)

    def commit_enrollment(self, rec: CompletedEnrollment) -> str:
        with _full_disk_as_storage_full():
            return self._record(rec)

    def _record(self, rec: CompletedEnrollment) -> str:
        return self.store.enrollments.record(
            external_id=rec.request.person_external_id,
            finger=rec.request.finger,
            slot=rec.slot,
            template=rec.template,
            sensor_model=rec.sensor_model,
            template_format=rec.template_format,
            match_score=rec.match_score,
            retries=rec.retries,
            operator=rec.request.operator,
            started_at=_utc(rec.started_at),
            captures=rec.timings,
        )

    def record_attempt(self, rec: AttemptRecord) -> None:
        with _full_disk_as_storage_full():
            self._record_attempt(rec)

    def _record_attempt(self, rec: AttemptRecord) -> None:
        self.store.enrollments.record_attempt(
            external_id=rec.request.person_external_id,
            outcome=_OUTCOMES.get(rec.outcome, AttemptOutcome.FAILED),
            reason=rec.reason,
            started_at=_utc(rec.started_at),
            finger=rec.request.finger,
            captures=[*rec.timings, {"retries": rec.retries}],
            operator=rec.request.operator,
        )

    def queue_slot_release(self, slot: int) -> None:
        with _full_disk_as_storage_full():
            self.store.slots.queue_release(slot)
