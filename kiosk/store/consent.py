"""Consent: required before a template may be stored; every change is announced to central."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store import models as m
from kiosk.store.audit import AuditLog
from kiosk.store.db import Database, new_uuid, now
from kiosk.store.errors import InvalidInput
from kiosk.store.outbox import Outbox
from kiosk.store.payloads import ConsentEvent, ConsentEventKind
from kiosk.store.records import ConsentRecord
from kiosk.store.vocab import ConsentMethod, ConsentStatus
from kiosk.threadguard import check_io


def latest_consent_row(s: Session, p: m.Person) -> m.Consent | None:
    return s.scalar(select(m.Consent).where(m.Consent.person_id == p.id)
                    .order_by(m.Consent.at.desc(), m.Consent.id.desc()).limit(1))


def active_consent_row(s: Session, p: m.Person) -> m.Consent | None:
    """The latest consent if it was given and not withdrawn (None after a refusal)."""
    latest = latest_consent_row(s, p)
    if latest is None or latest.method == ConsentMethod.REFUSED or latest.withdrawn_at:
        return None
    return latest


def consent_status(s: Session, p: m.Person) -> ConsentStatus:
    latest = latest_consent_row(s, p)
    if latest is None:
        return ConsentStatus.NONE
    if latest.method == ConsentMethod.REFUSED:
        return ConsentStatus.REFUSED
    return ConsentStatus.WITHDRAWN if latest.withdrawn_at else ConsentStatus.GRANTED


def active_consent_record(s: Session, p: m.Person) -> ConsentRecord | None:
    c = active_consent_row(s, p)
    if c is None:
        return None
    op_name = s.scalar(select(m.Operator.name).where(m.Operator.id == c.operator_id))
    return ConsentRecord(
        uuid=c.uuid, external_id=p.external_id, notice_version=c.notice_version,
        text_sha256=c.text_sha256, language=c.language, method=ConsentMethod(c.method),
        operator=op_name, station_id=c.station_id, at=c.at, withdrawn_at=c.withdrawn_at,
    )


class Consents:
    def __init__(self, db: Database, audit: AuditLog, outbox: Outbox) -> None:
        self.db = db
        self.audit = audit
        self.outbox = outbox

    def record(
        self,
        external_id: str,
        *,
        notice_version: str,
        notice_text: str,
        method: ConsentMethod | str,
        operator: str | None,
        language: str = "",
        at: datetime | None = None,
    ) -> str:
        """Record consent given (or :attr:`ConsentMethod.REFUSED`); returns the record's uuid.

        The notice text itself is not stored, only its sha256, which proves which wording the
        person saw. Announced to central through the outbox.
        """
        check_io("db", "consents.record")
        try:
            how = ConsentMethod(method)
        except ValueError:
            raise InvalidInput(
                f"Unknown consent method {method!r}.",
                hint=f"Use one of: {', '.join(ConsentMethod)}.",
            ) from None
        at = at or now()
        text_sha = hashlib.sha256(notice_text.encode("utf-8")).hexdigest()
        rec_uuid = new_uuid()
        event: ConsentEventKind = "given" if how.granted else "refused"
        with self.db.transaction() as s:
            p = self.db.person_row(s, external_id)
            s.add(m.Consent(
                uuid=rec_uuid, person_id=p.id, notice_version=notice_version,
                text_sha256=text_sha, language=language, method=how.value,
                operator_id=self.db.operator_id(s, operator), station_id=self.db.station_id,
                at=at,
            ))
            after = {"consent_uuid": rec_uuid, "notice_version": notice_version,
                     "text_sha256": text_sha, "method": how.value, "language": language}
            self.audit.append(s, operator or "system", f"consent-{event}", external_id,
                              after=after, at=at)
            self.outbox.enqueue(s, ConsentEvent(
                event=event, external_id=external_id, consent_uuid=rec_uuid,
                operator=operator, station_id=self.db.station_id, at=at, method=how.value,
                notice_version=notice_version, text_sha256=text_sha, language=language,
            ), at)
        return rec_uuid

    def withdraw(self, external_id: str, *, operator: str | None,
                 at: datetime | None = None) -> bool:
        """Mark the consent in force as withdrawn. Returns False when there was none.

        Deleting the biometric data is a separate step (:class:`~kiosk.store.deletion.Deletions`)
        that the caller does next, so each shows up in the audit log on its own.
        """
        check_io("db", "consents.withdraw")
        at = at or now()
        with self.db.transaction() as s:
            p = self.db.person_row(s, external_id)
            row = active_consent_row(s, p)
            if row is None:
                return False
            row.withdrawn_at = at
            self.audit.append(
                s, operator or "system", "consent-withdrawn", external_id,
                before={"consent_uuid": row.uuid, "withdrawn_at": None},
                after={"consent_uuid": row.uuid, "withdrawn_at": at.isoformat()}, at=at,
            )
            self.outbox.enqueue(s, ConsentEvent(
                event="withdrawn", external_id=external_id, consent_uuid=row.uuid,
                operator=operator, station_id=self.db.station_id, at=at,
            ), at)
        return True

    def active(self, external_id: str) -> ConsentRecord | None:
        """The latest consent if it was given and not withdrawn; None after a refusal."""
        check_io("db", "consents.active")
        with self.db.read() as s:
            return active_consent_record(s, self.db.person_row(s, external_id))


__all__ = ["Consents", "active_consent_record", "active_consent_row", "consent_status"]
