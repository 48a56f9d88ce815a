"""Deleting a person's biometric data: templates gone, proof kept, central and sensor told."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select

from kiosk.store import models as m
from kiosk.store.audit import AuditLog
from kiosk.store.db import Database, new_uuid, now
from kiosk.store.outbox import Outbox
from kiosk.store.payloads import DeletionReceiptEvent
from kiosk.store.vocab import DeletionCause, OutboxKind
from kiosk.threadguard import check_io
from kiosk_contract.fingers import Finger


class Deletions:
    def __init__(self, db: Database, audit: AuditLog, outbox: Outbox) -> None:
        self.db = db
        self.audit = audit
        self.outbox = outbox

    def delete_person(
        self, external_id: str, *, actor: str, reason: str, request_id: str | None = None,
        cause: DeletionCause | None = None, fingers: Iterable[Finger] | None = None,
        at: datetime | None = None,
    ) -> list[int]:
        """Delete a person's templates (all, or only ``fingers``); returns the slots to clear.

        In one transaction: templates deleted (bytes overwritten thanks to secure_delete),
        their slots put on the release list, unsent template messages dropped from the outbox,
        a tombstone and a deletion-receipt outbox row written (naming central's request when
        there was one, and the cause), and the audit entry. Consent records and attempts stay:
        they are the proof of what happened.
        """
        check_io("db", "deletions.delete_person")
        at = at or now()
        cause = cause or (DeletionCause.CENTRAL_REQUEST if request_id else DeletionCause.DESK)
        with self.db.transaction() as s:
            p = self.db.person_row(s, external_id)
            q = select(m.Template).where(m.Template.person_id == p.id)
            if fingers is not None:
                q = q.where(m.Template.finger.in_([f.code for f in fingers]))
            tpls = s.scalars(q).all()
            uuids = [t.uuid for t in tpls]
            slots = sorted(t.sensor_slot for t in tpls if t.sensor_slot is not None)
            before = [{"template_uuid": t.uuid, "finger": t.finger, "slot": t.sensor_slot,
                       "sync_state": t.sync_state} for t in tpls]
            if uuids:
                self.outbox.drop_open(s, OutboxKind.TEMPLATE, uuids)
                s.execute(delete(m.Template).where(m.Template.uuid.in_(uuids)))
            for t in tpls:
                if t.sensor_slot is not None:
                    s.merge(m.SlotRelease(slot=t.sensor_slot, template_uuid=t.uuid,
                                          requested_at=at))
            tomb_uuid = new_uuid()
            s.add(m.Tombstone(
                uuid=tomb_uuid, person_id=p.id, external_id=external_id, template_uuids=uuids,
                slots=slots, reason=reason, actor=actor, station_id=self.db.station_id,
                deleted_at=at, request_id=request_id, cause=cause.value,
                sensor_done_at=None if slots else at,
            ))
            self.outbox.enqueue(s, DeletionReceiptEvent(
                tombstone_uuid=tomb_uuid, external_id=external_id, template_uuids=tuple(uuids),
                reason=reason, actor=actor, station_id=self.db.station_id, deleted_at=at,
                request_id=request_id, cause=cause, sensor="pending" if slots else "not-held",
            ), at)
            self.audit.append(s, actor, "biometrics-deleted", external_id, before=before,
                              after={"tombstone_uuid": tomb_uuid, "reason": reason,
                                     "cause": cause.value, "request_id": request_id,
                                     "slots": slots}, at=at)
        self.db.checkpoint()
        return slots


__all__ = ["Deletions"]
