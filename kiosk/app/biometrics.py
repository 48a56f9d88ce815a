"""Deleting biometric data at the desk: remove one finger, forget a person, consent withdrawn.

Every deletion goes the same way: the store deletes the templates and writes a tombstone, a
deletion receipt for central and the audit entry in one transaction; then the sensor slots are
cleared at once if the sensor is connected (otherwise they wait on the release list and are
cleared the moment it reconnects — the receipt says "sensor pending" until then). Blocking
calls: never on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.app.sensor_service import SensorHandle, SensorService
from kiosk.sensor.errors import SensorError
from kiosk.store import DeletionCause, NotFound, Store
from kiosk_contract.fingers import Finger

log = logging.getLogger(__name__)

#: How long a deletion waits for the sensor worker to clear the slots now.
CLEAR_TIMEOUT_S = 15.0


def release_pending_slots(store: Store, sensor: SensorHandle) -> list[int]:
    """Clear sensor slots whose templates this station deleted (or never committed).

    Run on every (re)connection and right after a deletion, so the sensor never keeps a
    template the database does not know, even when it was unplugged in the middle.
    """
    pending = sorted(store.slots.pending_releases())
    cleared = []
    used = sensor.index_table() if pending else set()
    for slot in pending:
        if slot in used:
            sensor.delete(slot, 1)
        cleared.append(slot)
    if cleared:
        store.slots.confirm_released(cleared)
        log.info("cleared %d sensor slot(s) awaiting release", len(cleared))
    return cleared


@dataclass(frozen=True)
class Deletion:
    """What a deletion did, place by place."""

    external_id: str
    #: Sensor slots the deleted templates occupied.
    slots: tuple[int, ...]
    #: Of those, the ones still to clear (the sensor is not connected).
    sensor_pending: tuple[int, ...]

    @property
    def sensor_done(self) -> bool:
        return not self.sensor_pending


class BiometricsAdmin:
    def __init__(self, store: Store, sensor: SensorService,
                 on_change: Callable[[], None]) -> None:
        self._store = store
        self._sensor = sensor
        #: Tells sync there is a receipt to send (called after every deletion).
        self._on_change = on_change

    def remove_finger(self, external_id: str, finger: Finger, *, actor: str,
                      reason: str) -> Deletion:
        """One finger's template, e.g. the wrong finger was enrolled (re-enroll it next)."""
        status = self._store.people.status(external_id)
        if finger not in status.enrolled_fingers:
            raise NotFound(f"{status.name} has no {finger.value} enrolled.",
                           hint="Choose a finger shown as enrolled.")
        slots = self._store.deletions.delete_person(
            external_id, actor=actor, reason=reason, cause=DeletionCause.FINGER_REMOVED,
            fingers=[finger])
        return self._after(external_id, slots)

    def forget(self, external_id: str, *, actor: str, reason: str) -> Deletion:
        """All of a person's templates (asked at the desk, or an administrator's decision)."""
        status = self._store.people.status(external_id)
        if not status.fingers:
            raise NotFound(f"{status.name} has no fingerprint templates on this station.",
                           hint="Nothing to delete here.")
        slots = self._store.deletions.delete_person(external_id, actor=actor, reason=reason,
                                                    cause=DeletionCause.DESK)
        return self._after(external_id, slots)

    def withdraw_consent(self, external_id: str, *, actor: str, reason: str) -> Deletion:
        """Consent withdrawn: the withdrawal is recorded, then every template is deleted."""
        self._store.consents.withdraw(external_id, operator=actor)
        slots = self._store.deletions.delete_person(external_id, actor=actor, reason=reason,
                                                    cause=DeletionCause.WITHDRAWAL)
        return self._after(external_id, slots)

    def expire(self, external_id: str, *, reason: str) -> Deletion:
        """The retention policy's deletion (the same receipts path as every other)."""
        slots = self._store.deletions.delete_person(external_id, actor="retention",
                                                    reason=reason,
                                                    cause=DeletionCause.RETENTION)
        return self._after(external_id, slots)

    def pending_slots(self) -> list[int]:
        """Sensor slots of deleted templates not yet cleared (the sensor was not connected);
        shown in the sync queue and by ``kiosk doctor`` until they are."""
        return sorted(self._store.slots.pending_releases())

    def clear_pending_slots(self) -> list[int]:
        """Clear every slot on the release list now, if the sensor is connected."""
        if not self._sensor.status.connected or not self._store.slots.pending_releases():
            return []
        try:
            return self._sensor.call(lambda h: release_pending_slots(self._store, h),
                                     timeout=CLEAR_TIMEOUT_S)
        except (SensorError, TimeoutError) as exc:
            log.info("sensor slots stay on the release list for now: %s", exc)
            return []

    def _after(self, external_id: str, slots: list[int]) -> Deletion:
        self.clear_pending_slots()
        pending = tuple(sorted(set(slots) & self._store.slots.pending_releases()))
        self._on_change()
        return Deletion(external_id, tuple(slots), pending)


__all__ = ["BiometricsAdmin", "Deletion", "release_pending_slots"]
