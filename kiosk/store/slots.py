"""Sensor slots: which slot of the sensor holds which template, and which must be cleared.

The sensor keeps its own copy of every template (it matches on-module), so the database and
the sensor must agree. A slot whose template was deleted here, or that an aborted enrollment
left behind, goes on the release list until the sensor confirms the slot is empty.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.store import models as m
from kiosk.store.audit import AuditLog
from kiosk.store.cipher import TemplateCipher
from kiosk.store.db import Database, now
from kiosk.store.outbox import Outbox
from kiosk.store.payloads import DeletionReceiptEvent
from kiosk.store.reconcile import ReconcileReport, compare
from kiosk.store.records import StoredTemplate
from kiosk.store.vocab import DeletionCause
from kiosk.threadguard import check_io
from kiosk_contract.fingers import Finger

log = logging.getLogger(__name__)


class SensorSlots:
    def __init__(self, db: Database, audit: AuditLog, outbox: Outbox,
                 cipher: TemplateCipher) -> None:
        self.db = db
        self.audit = audit
        self.outbox = outbox
        self.cipher = cipher

    def in_use(self) -> set[int]:
        """Slots the engine must not enroll into: templates here plus slots awaiting release."""
        check_io("db", "slots.in_use")
        with self.db.read() as s:
            used = set(s.scalars(select(m.Template.sensor_slot)
                                 .where(m.Template.sensor_slot.is_not(None))))
            used.update(s.scalars(select(m.SlotRelease.slot)))
        return {int(x) for x in used if x is not None}

    def template_slots(self) -> dict[int, str]:
        """Slot -> template uuid for every template this database places on the sensor."""
        check_io("db", "slots.template_slots")
        with self.db.read() as s:
            rows = s.execute(select(m.Template.sensor_slot, m.Template.uuid)
                             .where(m.Template.sensor_slot.is_not(None))).all()
            return {int(slot): uid for slot, uid in rows if slot is not None}

    def template_for_slot(self, slot: int) -> StoredTemplate | None:
        check_io("db", "slots.template_for_slot")
        with self.db.read() as s:
            row = s.execute(select(m.Template, m.Person.external_id)
                            .join(m.Person, m.Person.id == m.Template.person_id)
                            .where(m.Template.sensor_slot == slot)).first()
            if row is None:
                return None
            t, ext = row
            data = (self.cipher.open(bytes(t.template), station_id=t.station_id,
                                     template_uuid=t.uuid) if t.template is not None else None)
            return StoredTemplate(
                uuid=t.uuid, external_id=ext, finger=Finger.from_code(t.finger),
                sensor_slot=t.sensor_slot, sha256=t.sha256, length=t.length,
                sensor_model=t.sensor_model, template_format=t.template_format,
                data=data,
            )

    def pending_releases(self) -> set[int]:
        """Slots whose template was deleted here and which the sensor must still clear."""
        check_io("db", "slots.pending_releases")
        with self.db.read() as s:
            return {int(x) for x in s.scalars(select(m.SlotRelease.slot))}

    def queue_release(self, slot: int, *, reason: str = "enrollment aborted") -> bool:
        """Ask for a sensor slot to be cleared that holds a template with no record here.

        The enrollment engine calls this when it could not delete a freshly stored slot (the
        sensor vanished mid-way); the slot is cleared on the next connection. Refuses (returns
        False) when a recorded template lives in that slot, so a real template is never lost.
        """
        check_io("db", "slots.queue_release")
        with self.db.transaction() as s:
            if s.scalar(select(m.Template.id).where(m.Template.sensor_slot == slot)) is not None:
                log.warning("not queuing release of slot %d: a recorded template is there", slot)
                return False
            s.merge(m.SlotRelease(slot=slot, template_uuid="", requested_at=now()))
            self.audit.append(s, "system", "sensor-slot-release-queued", str(slot),
                              after={"slot": slot, "reason": reason})
            return True

    def reserve(self, slot: int) -> None:
        """About to store a template in ``slot``: if the program dies before the commit, the
        slot is on the release list, so the next connection clears the orphan (an enrollment
        that commits takes it off the list in the same transaction)."""
        check_io("db", "slots.reserve")
        with self.db.transaction() as s:
            s.merge(m.SlotRelease(slot=slot, template_uuid="", requested_at=now()))

    def confirm_released(self, slots: Iterable[int]) -> None:
        """The sensor cleared these slots (DeleteChar succeeded). Deletions whose every slot
        is now clear get their receipt's sensor place "done" (an update for central)."""
        check_io("db", "slots.confirm_released")
        slot_list = sorted(set(slots))
        if not slot_list:
            return
        at = now()
        with self.db.transaction() as s:
            s.execute(delete(m.SlotRelease).where(m.SlotRelease.slot.in_(slot_list)))
            still = set(s.scalars(select(m.SlotRelease.slot)))
            for t in s.scalars(select(m.Tombstone).where(m.Tombstone.sensor_done_at.is_(None))):
                if not set(t.slots) & still:
                    t.sensor_done_at = at
                    self._receipt_sensor_done(s, t, at)
            self.audit.append(s, "system", "sensor-slots-cleared", "", after={"slots": slot_list})

    def _receipt_sensor_done(self, s: Session, t: m.Tombstone, at: datetime) -> None:
        """Central hears that the sensor is done too: an update of the receipt (same receipt
        uuid, an event of its own). An event already queued is never rewritten: it may be on
        the wire at this moment, and its ack would then settle a message central never got."""
        self.outbox.enqueue(s, DeletionReceiptEvent(
            tombstone_uuid=t.uuid, external_id=t.external_id,
            template_uuids=tuple(t.template_uuids), reason=t.reason, actor=t.actor,
            station_id=t.station_id, deleted_at=t.deleted_at, request_id=t.request_id,
            cause=DeletionCause(t.cause), sensor="done"), at)

    def reconcile(self, sensor_slots: Iterable[int]) -> ReconcileReport:
        """Compare the sensor's used slots (ReadIndexTable) with this database."""
        check_io("db", "slots.reconcile")
        with self.db.read() as s:
            db_slots = [int(x) for x in s.scalars(select(m.Template.sensor_slot)
                                                  .where(m.Template.sensor_slot.is_not(None)))
                        if x is not None]
            releasing = [int(x) for x in s.scalars(select(m.SlotRelease.slot))]
        return compare(sensor_slots, db_slots, releasing)


__all__ = ["SensorSlots"]
