"""Enrollments: a finished template with its attempt, audit entry and outbox row, atomically;
and the failed or cancelled attempts, for failure-to-enroll and timing figures."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from kiosk.store import models as m
from kiosk.store.audit import AuditLog
from kiosk.store.cipher import TemplateCipher, TemplateDamaged
from kiosk.store.consent import active_consent_row
from kiosk.store.db import Database, new_uuid, now
from kiosk.store.errors import Conflict, ConsentMissing, InvalidInput
from kiosk.store.outbox import Outbox
from kiosk.store.payloads import AttemptEvent, TemplateEvent
from kiosk.store.records import AttemptRow
from kiosk.store.vocab import AttemptOutcome, TemplateSync
from kiosk.threadguard import check_io
from kiosk_contract.fingers import Finger


def as_finger(finger: Finger | str | int) -> Finger:
    """A :class:`Finger` from a name or an ISO code, or :class:`InvalidInput`."""
    try:
        return Finger.parse(finger)
    except ValueError as exc:
        raise InvalidInput(f"Unknown finger {finger!r}.", hint=str(exc)) from None


def _captures(captures: Sequence[Mapping[str, Any]]) -> int:
    """How many presses an attempt took (accepted and rejected), from its timing records."""
    return sum(1 for c in captures if "capture" in c)


def _retries(captures: Sequence[Mapping[str, Any]]) -> int:
    """How many presses were turned away (each timing record lists its retry reasons)."""
    total = 0
    for c in captures:
        r = c.get("retries", ())
        total += len(r) if isinstance(r, list | tuple) else int(r or 0)
    return total


class Enrollments:
    def __init__(self, db: Database, audit: AuditLog, outbox: Outbox,
                 cipher: TemplateCipher) -> None:
        self.db = db
        self.audit = audit
        self.outbox = outbox
        self.cipher = cipher

    def record(
        self,
        *,
        external_id: str,
        finger: Finger | str | int,
        slot: int,
        template: bytes,
        sensor_model: str,
        template_format: str,
        match_score: int | None,
        retries: int = 0,
        operator: str | None = None,
        started_at: datetime | None = None,
        captures: Sequence[Mapping[str, Any]] = (),
        at: datetime | None = None,
    ) -> str:
        """Store a finished enrollment: template + attempt + audit + outbox row, atomically.

        Returns the template uuid (its identity everywhere, also at central). Refuses without an
        active consent, for a finger already enrolled, or for a slot another template holds. If
        ``slot`` was waiting on the release list, it is taken off it: the sensor now holds the
        new template there and must not clear it.
        """
        check_io("db", "enrollments.record")
        f = as_finger(finger)
        if not template:
            raise InvalidInput("The template is empty.", hint="Capture the finger again.")
        if slot < 0:
            raise InvalidInput(f"Sensor slot {slot} is negative.", hint="Use the sensor's slot.")
        at = at or now()
        tpl_uuid = new_uuid()
        sha = hashlib.sha256(template).hexdigest()
        with self.db.transaction() as s:
            p = self.db.person_row(s, external_id)
            consent = active_consent_row(s, p)
            if consent is None:
                raise ConsentMissing(
                    f"{p.display_name} has no consent on record, so no fingerprint may be stored.",
                    hint="Record the person's consent first (or offer the alternative).",
                )
            taken = s.scalar(select(m.Template.uuid).where(
                m.Template.person_id == p.id, m.Template.finger == f.code))
            if taken is not None:
                raise Conflict(
                    f"{f.value} is already enrolled for {p.display_name}.",
                    hint="Choose another finger, or remove that finger first.",
                )
            holder = s.scalar(select(m.Template.uuid).where(m.Template.sensor_slot == slot))
            if holder is not None:
                raise Conflict(f"Sensor slot {slot} already holds another template.",
                               hint="Pick a free slot (see slots.in_use).")
            s.execute(delete(m.SlotRelease).where(m.SlotRelease.slot == slot))
            op_id = self.db.operator_id(s, operator)
            sealed = self.cipher.seal(bytes(template), station_id=self.db.station_id,
                                      template_uuid=tpl_uuid)
            s.add(m.Template(
                uuid=tpl_uuid, person_id=p.id, finger=f.code, sensor_slot=slot,
                template=sealed, length=len(template), sensor_model=sensor_model,
                template_format=template_format, match_score=match_score, retries=retries,
                sha256=sha, created_at=at, station_id=self.db.station_id, operator_id=op_id,
                sync_state=TemplateSync.QUEUED.value, shredded=False,
            ))
            att_uuid = new_uuid()
            s.add(m.EnrollmentAttempt(
                uuid=att_uuid, person_id=p.id, finger=f.code,
                outcome=AttemptOutcome.ENROLLED.value, reason="", started_at=started_at or at,
                ended_at=at, captures=[dict(c) for c in captures], template_uuid=tpl_uuid,
                station_id=self.db.station_id, operator_id=op_id,
            ))
            event = TemplateEvent(
                template_uuid=tpl_uuid, external_id=external_id, finger=f, sensor_slot=slot,
                length=len(template), sha256=sha, sensor_model=sensor_model,
                template_format=template_format, match_score=match_score, retries=retries,
                consent_uuid=consent.uuid, created_at=at, station_id=self.db.station_id,
                operator=operator,
            )
            meta = event.to_json()
            for key in ("created_at", "station_id", "operator"):
                meta.pop(key)
            self.audit.append(s, operator or "system", "enroll", external_id, after=meta, at=at)
            # The template first: when the link is slow, the biometric record travels first.
            self.outbox.enqueue(s, event, at)
            self.outbox.enqueue(s, AttemptEvent(
                attempt_uuid=att_uuid, external_id=external_id, finger=f,
                outcome=AttemptOutcome.ENROLLED, reason="", retries=retries,
                captures=_captures(captures), started_at=started_at or at, ended_at=at,
                operator=operator, template_uuid=tpl_uuid, station_id=self.db.station_id,
            ), at)
        return tpl_uuid

    def record_attempt(
        self,
        *,
        external_id: str,
        outcome: AttemptOutcome | str,
        reason: str,
        started_at: datetime,
        finger: Finger | str | int | None = None,
        captures: Sequence[Mapping[str, Any]] = (),
        operator: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """Record an attempt that stored nothing (for failure-to-enroll and timing figures);
        central gets it too (an ``attempt`` event, never template bytes)."""
        check_io("db", "enrollments.record_attempt")
        try:
            how = AttemptOutcome(outcome)
        except ValueError:
            how = AttemptOutcome.ENROLLED
        if how is AttemptOutcome.ENROLLED:
            raise InvalidInput(
                f"Attempt outcome {outcome!r} is not one of a failed attempt.",
                hint="Successful enrollments go through Enrollments.record.",
            )
        f = as_finger(finger) if finger is not None else None
        at = at or now()
        att_uuid = new_uuid()
        retries = _retries(captures)
        with self.db.transaction() as s:
            p = self.db.person_row(s, external_id)
            s.add(m.EnrollmentAttempt(
                uuid=att_uuid, person_id=p.id, finger=f.code if f else None,
                outcome=how.value, reason=reason, started_at=started_at, ended_at=at,
                captures=[dict(c) for c in captures], template_uuid=None,
                station_id=self.db.station_id, operator_id=self.db.operator_id(s, operator),
            ))
            self.outbox.enqueue(s, AttemptEvent(
                attempt_uuid=att_uuid, external_id=external_id, finger=f, outcome=how,
                reason=reason, retries=retries, captures=_captures(captures),
                started_at=started_at, ended_at=at, operator=operator, template_uuid=None,
                station_id=self.db.station_id,
            ), at)
        return att_uuid

    def attempts(self, *, since: datetime | None = None, limit: int = 10_000) -> list[AttemptRow]:
        """Attempts (enrolled, failed, cancelled), newest first, for figures and tests."""
        check_io("db", "enrollments.attempts")
        with self.db.read() as s:
            q = (select(m.EnrollmentAttempt, m.Person.external_id, m.Operator.name)
                 .join(m.Person, m.Person.id == m.EnrollmentAttempt.person_id)
                 .outerjoin(m.Operator, m.Operator.id == m.EnrollmentAttempt.operator_id))
            if since is not None:
                q = q.where(m.EnrollmentAttempt.started_at >= since)
            q = q.order_by(m.EnrollmentAttempt.id.desc()).limit(limit)
            return [AttemptRow(
                uuid=a.uuid, external_id=ext,
                finger=Finger.from_code(a.finger) if a.finger is not None else None,
                outcome=AttemptOutcome(a.outcome), reason=a.reason, started_at=a.started_at,
                ended_at=a.ended_at, operator=op, template_uuid=a.template_uuid,
                captures=list(a.captures or []),
            ) for a, ext, op in s.execute(q).all()]

    def sync_state(self, template_uuid: str) -> TemplateSync | None:
        """Where a template stands with central; None if it is not (or no longer) here."""
        check_io("db", "enrollments.sync_state")
        with self.db.read() as s:
            v = s.scalar(select(m.Template.sync_state).where(m.Template.uuid == template_uuid))
            return TemplateSync(v) if v is not None else None

    def sealed_count(self) -> int:
        """How many templates hold sealed bytes (not deleted, not shredded)."""
        check_io("db", "enrollments.sealed_count")
        with self.db.read() as s:
            return int(s.scalar(select(func.count()).select_from(m.Template)
                                .where(m.Template.template.is_not(None))) or 0)

    def key_opens_templates(self) -> bool:
        """Whether the data key opens the newest stored template (True when there is none)."""
        check_io("db", "enrollments.key_opens_templates")
        with self.db.read() as s:
            row = s.execute(select(m.Template.template, m.Template.station_id, m.Template.uuid)
                            .where(m.Template.template.is_not(None))
                            .order_by(m.Template.id.desc()).limit(1)).first()
        if row is None:
            return True
        try:
            self.cipher.open(bytes(row.template), station_id=row.station_id,
                             template_uuid=row.uuid)
        except TemplateDamaged:
            return False
        return True

    def template_source(self, template_uuids: Iterable[str]) -> TemplateBatch:
        """Many templates' sealed bytes read in one transaction, for the sync layer to open
        one by one (:meth:`TemplateBatch.template_bytes` answers as :meth:`template_bytes`;
        a uuid not asked for here is read when asked)."""
        check_io("db", "enrollments.template_source")
        wanted = sorted(set(template_uuids))
        found: dict[str, tuple[bytes | None, str]] = {}
        with self.db.read() as s:
            for i in range(0, len(wanted), 5000):
                found.update((r.uuid, (r.template, r.station_id)) for r in s.execute(
                    select(m.Template.uuid, m.Template.template, m.Template.station_id)
                    .where(m.Template.uuid.in_(wanted[i:i + 5000]))))
        return TemplateBatch(self, found, frozenset(wanted))

    def template_bytes(self, template_uuid: str) -> bytes | None:
        """The template for the sync layer to seal at send time; None if deleted or shredded."""
        check_io("db", "enrollments.template_bytes")
        with self.db.read() as s:
            row = s.execute(select(m.Template.template, m.Template.station_id)
                            .where(m.Template.uuid == template_uuid)).first()
        if row is None or row.template is None:
            return None
        return self.cipher.open(bytes(row.template), station_id=row.station_id,
                                template_uuid=template_uuid)

    def unreadable_templates(self) -> list[str]:
        """Uuids of stored templates that no longer open with this station's key. SQLite's
        integrity check sees the file's structure, not a flipped byte inside a template:
        each is opened (its authentication tag checked) to know."""
        check_io("db", "enrollments.unreadable_templates")
        with self.db.read() as s:
            rows = s.execute(select(m.Template.uuid, m.Template.template, m.Template.station_id)
                             .where(m.Template.template.is_not(None))).all()
        bad = []
        for uuid, blob, station in rows:
            try:
                self.cipher.open(bytes(blob or b""), station_id=station, template_uuid=uuid)
            except TemplateDamaged:
                bad.append(uuid)
        return bad


class TemplateBatch:
    """Templates read ahead by :meth:`Enrollments.template_source`."""

    def __init__(self, enrollments: Enrollments, rows: dict[str, tuple[bytes | None, str]],
                 asked: frozenset[str]) -> None:
        self._enrollments = enrollments
        self._rows = rows
        self._asked = asked

    def template_bytes(self, template_uuid: str) -> bytes | None:
        """The template opened with the data key; None if deleted or shredded; raises
        :class:`TemplateDamaged` when the sealed bytes do not open."""
        if template_uuid not in self._asked:
            return self._enrollments.template_bytes(template_uuid)
        sealed, station_id = self._rows.get(template_uuid, (None, ""))
        if sealed is None:
            return None
        return self._enrollments.cipher.open(bytes(sealed), station_id=station_id,
                                             template_uuid=template_uuid)


__all__ = ["Enrollments", "TemplateBatch", "as_finger"]
