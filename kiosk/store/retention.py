"""Which people's templates the retention policy says must go, and why (read only).

The deleting is done by :class:`~kiosk.store.deletion.Deletions` with the cause ``retention``,
so a retention deletion leaves the same tombstone, receipt and audit entry as any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select

from kiosk.store import models as m
from kiosk.store.db import Database
from kiosk.threadguard import check_io


class RetentionReason(StrEnum):
    LEFT_ROSTER = "left-roster"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class RetentionDue:
    external_id: str
    display_name: str
    reason: RetentionReason
    #: When the person left the roster, or their last enrollment activity.
    since: datetime
    templates: int


class Retention:
    def __init__(self, db: Database) -> None:
        self.db = db

    def due(self, *, left_before: datetime | None,
            inactive_before: datetime | None) -> list[RetentionDue]:
        """People holding templates who left the roster before ``left_before``, or whose
        last enrollment or attempt is older than ``inactive_before`` (None: that rule is off).
        A person matching both is listed once, for leaving."""
        check_io("db", "retention.due")
        with self.db.read() as s:
            held = dict(s.execute(select(m.Template.person_id, func.count())
                                  .group_by(m.Template.person_id)).all())
            if not held:
                return []
            last_tpl = dict(s.execute(select(m.Template.person_id, func.max(m.Template.created_at))
                                      .group_by(m.Template.person_id)).all())
            last_att = dict(s.execute(
                select(m.EnrollmentAttempt.person_id, func.max(m.EnrollmentAttempt.ended_at))
                .group_by(m.EnrollmentAttempt.person_id)).all())
            people = s.execute(select(m.Person.id, m.Person.external_id, m.Person.display_name,
                                      m.Person.active, m.Person.left_at)
                               .where(m.Person.id.in_(list(held)))).all()
        out = []
        for p in people:
            if left_before is not None and not p.active and p.left_at is not None \
                    and p.left_at < left_before:
                out.append(RetentionDue(p.external_id, p.display_name,
                                        RetentionReason.LEFT_ROSTER, p.left_at, held[p.id]))
                continue
            last = max(d for d in (last_tpl.get(p.id), last_att.get(p.id)) if d is not None)
            if inactive_before is not None and last < inactive_before:
                out.append(RetentionDue(p.external_id, p.display_name,
                                        RetentionReason.INACTIVE, last, held[p.id]))
        return sorted(out, key=lambda d: (d.since, d.external_id))


__all__ = ["Retention", "RetentionDue", "RetentionReason"]
