"""The roster: the people this station may enroll (owned by central, or imported from CSV)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, literal_column, select, table, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from kiosk.store import models as m
from kiosk.store.audit import AuditLog
from kiosk.store.consent import active_consent_record, consent_status
from kiosk.store.db import Database, now
from kiosk.store.errors import InvalidInput
from kiosk.store.folding import fold, search_key
from kiosk.store.records import FingerStatus, Person, PersonIn, PersonStatus, UpsertResult
from kiosk.store.state import KEY_ROSTER_VERSION, SyncStateStore
from kiosk.store.vocab import TemplateSync
from kiosk.threadguard import check_io
from kiosk_contract.fingers import Finger

SEARCH_MIN_FTS = 3  # the trigram index needs 3 characters
#: Above this many FTS hits, walking the name index beats sorting the hits.
SEARCH_SORT_MAX = 20_000


def person_record(p: m.Person) -> Person:
    return Person(
        external_id=p.external_id, display_name=p.display_name, role=p.role,
        group=p.group_name, active=p.active, roster_version=p.roster_version,
        updated_at=p.updated_at,
    )


def _fts_phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class People:
    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit
        self.search_sort_max = SEARCH_SORT_MAX
        self._has_fts: bool | None = None

    def upsert(
        self,
        rows: Iterable[PersonIn],
        roster_version: str,
        *,
        deactivate_missing: bool = False,
        actor: str = "sync",
        at: datetime | None = None,
    ) -> UpsertResult:
        """Apply a roster. ``deactivate_missing`` treats ``rows`` as the full roster: people
        not in it stay (their records must) but become inactive."""
        check_io("db", "people.upsert")
        at = at or now()
        incoming: dict[str, PersonIn] = {}
        for r in rows:
            if not r.external_id.strip() or not r.display_name.strip():
                raise InvalidInput(
                    f"Roster row {r.external_id!r} has an empty id or name.",
                    hint="Fix the roster at the central server and sync again.",
                )
            incoming[r.external_id] = r
        deactivated = unchanged = 0
        with self.db.transaction() as s:
            existing = {
                row.external_id: row
                for row in s.execute(select(
                    m.Person.id, m.Person.external_id, m.Person.display_name, m.Person.role,
                    m.Person.group_name, m.Person.active,
                ))
            }
            new_rows: list[dict[str, Any]] = []
            changed: list[dict[str, Any]] = []
            for ext, r in incoming.items():
                old = existing.get(ext)
                values = {"display_name": r.display_name, "role": r.role, "group_name": r.group,
                          "active": r.active, "roster_version": roster_version,
                          "updated_at": at, "search_key": search_key(r.display_name, ext)}
                if old is None:
                    new_rows.append({"external_id": ext, **values})
                elif (old.display_name, old.role, old.group_name, old.active) == (
                        r.display_name, r.role, r.group, r.active):
                    unchanged += 1
                else:
                    # Leaving the roster starts the retention clock; coming back stops it.
                    left = at if old.active and not r.active else None
                    changed.append({"id": old.id, **values, "left_at": left})
            if deactivate_missing:
                for ext, old in existing.items():
                    if ext not in incoming and old.active:
                        changed.append({"id": old.id, "active": False, "updated_at": at,
                                        "left_at": at})
                        deactivated += 1
            if new_rows:
                s.execute(insert(m.Person), new_rows)
            if changed:
                s.execute(update(m.Person), changed)
            result = UpsertResult(len(new_rows), len(changed) - deactivated, unchanged,
                                  deactivated)
            SyncStateStore.write_in(s, KEY_ROSTER_VERSION, roster_version, at)
            self.audit.append(s, actor, "roster-import", roster_version, after={
                "inserted": result.inserted, "updated": result.updated,
                "unchanged": result.unchanged, "deactivated": result.deactivated,
            }, at=at)
        return result

    def search(
        self, text: str, limit: int = 50, *, include_inactive: bool = False
    ) -> list[Person]:
        """People whose name or id contains every word of ``text``, by name, ignoring case and
        accents ("lefevre" finds "Lefèvre"): both sides are folded (:mod:`.folding`).

        Two plans, chosen per query so one keystroke stays well under 20 ms on 100k people:

        * words of 3+ characters go through the FTS5 trigram index; when they match few people
          (under ``search_sort_max``), those rows are fetched and sorted;
        * otherwise (only 1–2 letter words, or a very common trigram) the covering name index is
          walked in order and the walk stops after ``limit`` hits.
        """
        check_io("db", "people.search")
        with self.db.read() as s:
            return [person_record(p) for p in self._search(s, text, limit, include_inactive)]

    def search_status(self, text: str, limit: int = 50) -> list[PersonStatus]:
        """:meth:`search` with each person's fingers and consent, in one read transaction."""
        check_io("db", "people.search_status")
        with self.db.read() as s:
            return [self._status(s, p) for p in self._search(s, text, limit, False)]

    def _search(self, s: Session, text: str, limit: int, include_inactive: bool
                ) -> list[m.Person]:
        words = fold(text).split()
        long_words = [w for w in words if len(w) >= SEARCH_MIN_FTS]
        use_fts = bool(long_words) and self._fts_available(s)
        hits: Select[Any] | None = None
        if use_fts:
            fts = table("people_fts", literal_column("rowid"))
            match = " AND ".join(_fts_phrase(w) for w in long_words)
            hits = (select(literal_column("rowid")).select_from(fts)
                    .where(literal_column("people_fts").op("MATCH")(match)))
        stmt = select(m.Person)
        if not include_inactive:
            stmt = stmt.where(m.Person.active.is_(True))
        for w in words:
            if use_fts and len(w) >= SEARCH_MIN_FTS:
                continue
            stmt = stmt.where(m.Person.search_key.contains(w, autoescape=True))
        stmt = stmt.order_by(m.Person.display_name, m.Person.id).limit(max(0, limit))
        walk = True
        if hits is not None:
            capped = select(func.count()).select_from(hits.limit(self.search_sort_max).subquery())
            if (s.scalar(capped) or 0) < self.search_sort_max:
                stmt, walk = stmt.where(m.Person.id.in_(hits)), False
            else:
                # "id + 0" keeps SQLite from looking rows up by id: it walks the name index.
                stmt = stmt.where((m.Person.id + 0).in_(hits))
        if walk:
            stmt = stmt.with_hint(m.Person, "INDEXED BY ix_people_search", "sqlite")
        return list(s.scalars(stmt))

    def has_fts(self) -> bool:
        """Whether the trigram index exists (SQLite >= 3.34); without it search scans."""
        with self.db.read() as s:
            return self._fts_available(s)

    def _fts_available(self, s: Session) -> bool:
        if self._has_fts is None:
            self._has_fts = s.scalar(
                select(func.count()).select_from(table("sqlite_master", literal_column("name")))
                .where(literal_column("name") == "people_fts")) == 1
        return self._has_fts

    def get(self, external_id: str) -> Person | None:
        check_io("db", "people.get")
        with self.db.read() as s:
            row = s.scalar(select(m.Person).where(m.Person.external_id == external_id))
            return person_record(row) if row else None

    def status(self, external_id: str) -> PersonStatus:
        """Who, which fingers (with slot and sync state), and the consent in force."""
        check_io("db", "people.status")
        with self.db.read() as s:
            return self._status(s, self.db.person_row(s, external_id))

    def _status(self, s: Session, p: m.Person) -> PersonStatus:
        tpls = s.scalars(select(m.Template).where(m.Template.person_id == p.id)
                         .order_by(m.Template.finger)).all()
        fingers = tuple(
            FingerStatus(
                template_uuid=t.uuid, finger=Finger.from_code(t.finger),
                sensor_slot=t.sensor_slot, sync_state=TemplateSync(t.sync_state),
                created_at=t.created_at, synced_at=t.synced_at, shredded=t.shredded,
            )
            for t in tpls
        )
        return PersonStatus(person=person_record(p), fingers=fingers,
                            consent=active_consent_record(s, p),
                            consent_status=consent_status(s, p))

    def groups(self) -> list[tuple[str, int, int]]:
        """Every group/class of active people: (name, people, people with a template)."""
        check_io("db", "people.groups")
        enrolled = (select(m.Template.person_id).distinct().subquery())
        with self.db.read() as s:
            rows = s.execute(
                select(m.Person.group_name, func.count(m.Person.id),
                       func.count(enrolled.c.person_id))
                .outerjoin(enrolled, enrolled.c.person_id == m.Person.id)
                .where(m.Person.active.is_(True), m.Person.group_name != "")
                .group_by(m.Person.group_name).order_by(m.Person.group_name)).all()
            return [(str(g), int(n), int(e)) for g, n, e in rows]

    def in_group(self, group: str, limit: int = 10_000) -> list[PersonStatus]:
        """The active people of ``group``, by name, with fingers and consent (one read)."""
        check_io("db", "people.in_group")
        with self.db.read() as s:
            people = s.scalars(select(m.Person).where(m.Person.active.is_(True),
                                                      m.Person.group_name == group)
                               .order_by(m.Person.display_name, m.Person.id).limit(limit))
            return [self._status(s, p) for p in people]

    def count(self, *, include_inactive: bool = False) -> int:
        check_io("db", "people.count")
        with self.db.read() as s:
            q = select(func.count()).select_from(m.Person)
            if not include_inactive:
                q = q.where(m.Person.active.is_(True))
            return int(s.scalar(q) or 0)


__all__ = ["SEARCH_MIN_FTS", "SEARCH_SORT_MAX", "People", "person_record"]
