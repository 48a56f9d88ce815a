"""The repository: every read and write the app does against the station database.

Each public method is one unit of work in its own transaction, so a caller can never leave a
half-written enrollment behind. Writers take the SQLite write lock up front (BEGIN IMMEDIATE);
readers use a deferred BEGIN and, thanks to WAL, never wait for writers. Sessions are created per
call, so the store may be used from several threads at once.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import logging
import uuid as uuidlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Select

from kiosk.store import engine as eng
from kiosk.store import models as m
from kiosk.store.errors import (
    Conflict,
    ConsentMissing,
    InvalidInput,
    NotFound,
    SchemaBehind,
    StoreError,
    translate_sqlite_error,
)
from kiosk.store.pins import check_pin, dummy_hash, hash_pin, valid_pin
from kiosk.store.reconcile import ReconcileReport, compare
from kiosk.store.records import (
    AuditRecord,
    ConsentRecord,
    FingerStatus,
    IntegrityReport,
    Operator,
    OutboxItem,
    OutboxStats,
    Person,
    PersonIn,
    PersonStatus,
    PinCheck,
    StoredTemplate,
    UpsertResult,
)
from kiosk.threadguard import check_io
from kiosk_contract.fingers import Finger

log = logging.getLogger(__name__)

FINGER_NAMES: dict[int, str] = {f.code: f.value for f in Finger}
#: Sync-state keys other layers share.
KEY_ROSTER_VERSION = "roster_version"
KEY_LAST_SYNC = "last_sync_at"

PIN_MAX_FAILURES = 5
PIN_LOCKOUT = timedelta(minutes=5)
SEARCH_MIN_FTS = 3  # the trigram index needs 3 characters
#: Above this many FTS hits, walking the name index beats sorting the hits.
SEARCH_SORT_MAX = 20_000


def _now() -> datetime:
    return datetime.now(UTC)


def _new_uuid() -> str:
    return str(uuidlib.uuid4())


def finger_code(finger: int | str) -> int:
    """Accept an ISO code (1–10) or a name from ``kiosk.config.FINGERS``."""
    if isinstance(finger, str):
        try:
            return Finger(finger).code
        except ValueError:
            raise InvalidInput(
                f"Unknown finger {finger!r}.", hint=f"Use one of: {', '.join(Finger)}."
            ) from None
    if isinstance(finger, bool) or not 1 <= finger <= 10:
        raise InvalidInput(f"Finger code {finger!r} is not 1–10.", hint="Use ISO codes 1–10.")
    return finger


def _person(p: m.Person) -> Person:
    return Person(
        external_id=p.external_id,
        display_name=p.display_name,
        role=p.role,
        group=p.group_name,
        active=p.active,
        roster_version=p.roster_version,
        updated_at=p.updated_at,
    )


def _operator(o: m.Operator) -> Operator:
    return Operator(
        name=o.name,
        role=o.role,
        active=o.active,
        failed_attempts=o.failed_attempts,
        locked_until=o.locked_until,
        created_at=o.created_at,
    )


def _outbox(o: m.OutboxMessage) -> OutboxItem:
    return OutboxItem(
        id=o.id,
        kind=o.kind,
        aggregate_uuid=o.aggregate_uuid,
        payload=dict(o.payload),
        state=o.state,
        attempts=o.attempts,
        next_attempt_at=o.next_attempt_at,
        last_error=o.last_error,
        created_at=o.created_at,
        sent_at=o.sent_at,
        acked_at=o.acked_at,
    )


def _fts_phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class Store:
    """The station database. Create with :meth:`Store.open`; safe to share between threads."""

    def __init__(self, path: Path, engine: Engine, *, station_id: str) -> None:
        self.path = path
        self.station_id = station_id
        self.pin_max_failures = PIN_MAX_FAILURES
        self.pin_lockout = PIN_LOCKOUT
        self.search_sort_max = SEARCH_SORT_MAX
        self._engine = engine
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            bind=engine.execution_options(immediate=True), expire_on_commit=False
        )
        self._has_fts: bool | None = None

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        backups_dir: Path | None = None,
        migrate: bool = True,
        station_id: str = "",
        min_free_bytes: int = eng.MIN_FREE_BYTES,
    ) -> Store:
        """Open (creating or upgrading) the database, or raise a :class:`StoreError`.

        An existing database that is behind is first copied to
        ``backups_dir/kiosk-<UTC time>-pre-<revision>.sqlite3`` (default: ``backups`` next to
        the file). With ``migrate=False`` a database that is behind opens as it is, for
        diagnostics only; a missing one raises :class:`SchemaBehind`.
        """
        path = Path(path)
        check_io("db", "open")
        eng.precheck(path, min_free_bytes=min_free_bytes)
        state = eng.inspect_file(path)
        eng.check_revision(path, state.revision)
        head = eng.head_revision()
        if state.revision != head:
            if not migrate:
                if state.revision is None:
                    raise SchemaBehind(
                        f"{path} holds no station database yet.",
                        hint="Start the program normally once to create it.",
                        path=path,
                    )
            else:
                if state.revision is not None:
                    target = backups_dir if backups_dir is not None else path.parent / "backups"
                    copy = eng.pre_migration_backup(path, target, head)
                    log.info("database backed up to %s before upgrade to %s", copy, head)
                eng.migrate(path, "head")
                log.info("database %s at schema %s", path, head)
        engine = eng.create_store_engine(path)
        store = cls(path, engine, station_id=station_id)
        try:
            # A real write at open: a read-only or full disk shows up now, not mid-enrollment.
            if migrate:
                store.set_sync_state("last_opened_at", _now().isoformat())
        except StoreError:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        """Release connections; WAL contents are checkpointed by SQLite on last close."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write unit of work: commits on success, rolls back everything on any error.

        Database errors come out as typed :class:`StoreError` (disk full, read-only, busy...).
        """
        session = self._write_sessions()
        try:
            with session.begin():
                yield session
        except StoreError:
            raise
        except IntegrityError as exc:
            raise Conflict(
                f"The change breaks a rule of the station data: {exc.orig}.",
                hint="Nothing was saved. Check the values and try again.",
                path=self.path,
            ) from exc
        except DBAPIError as exc:
            translated = translate_sqlite_error(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        session = self._read_sessions()
        try:
            with session.begin():
                yield session
        except DBAPIError as exc:
            translated = translate_sqlite_error(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise
        finally:
            session.close()

    # ------------------------------------------------------------------ helpers

    def _person_row(self, s: Session, external_id: str) -> m.Person:
        row = s.scalar(select(m.Person).where(m.Person.external_id == external_id))
        if row is None:
            raise NotFound(
                f"Nobody with id {external_id!r} is on this station's roster.",
                hint="Check the id, or sync the roster from the central server.",
            )
        return row

    def _operator_id(self, s: Session, name: str | None) -> int | None:
        if name is None:
            return None
        oid = s.scalar(select(m.Operator.id).where(m.Operator.name == name))
        if oid is None:
            raise NotFound(f"No operator named {name!r}.", hint="Create the operator first.")
        return oid

    def _audit(
        self,
        s: Session,
        actor: str,
        action: str,
        subject: str = "",
        before: Any = None,
        after: Any = None,
        now: datetime | None = None,
    ) -> int:
        entry = m.AuditEntry(
            at=now or _now(),
            actor=actor,
            action=action,
            subject=subject,
            before=before,
            after=after,
            station_id=self.station_id,
        )
        s.add(entry)
        s.flush()
        return entry.id

    def _enqueue(
        self, s: Session, kind: str, aggregate_uuid: str, payload: dict[str, Any], now: datetime
    ) -> int:
        msg = m.OutboxMessage(
            kind=kind,
            aggregate_uuid=aggregate_uuid,
            payload=payload,
            state="pending",
            attempts=0,
            next_attempt_at=now,
            last_error="",
            created_at=now,
        )
        s.add(msg)
        s.flush()
        return msg.id

    def _checkpoint(self) -> None:
        """Truncate the WAL after deleting biometric data, so old page images do not linger."""
        try:
            with self._engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except SQLAlchemyError:
            log.warning("WAL checkpoint after deletion did not complete; it will happen later")

    # ------------------------------------------------------------------ people

    def upsert_people(
        self,
        rows: Iterable[PersonIn],
        roster_version: str,
        *,
        deactivate_missing: bool = False,
        actor: str = "sync",
        now: datetime | None = None,
    ) -> UpsertResult:
        """Apply a roster from central. ``deactivate_missing`` treats ``rows`` as the full
        roster: people not in it stay (their records must) but become inactive."""
        check_io("db", "upsert_people")
        now = now or _now()
        incoming: dict[str, PersonIn] = {}
        for r in rows:
            if not r.external_id.strip() or not r.display_name.strip():
                raise InvalidInput(
                    f"Roster row {r.external_id!r} has an empty id or name.",
                    hint="Fix the roster at the central server and sync again.",
                )
            incoming[r.external_id] = r
        inserted = updated = unchanged = deactivated = 0
        with self.transaction() as s:
            existing = {
                row.external_id: row
                for row in s.execute(
                    select(
                        m.Person.id,
                        m.Person.external_id,
                        m.Person.display_name,
                        m.Person.role,
                        m.Person.group_name,
                        m.Person.active,
                    )
                )
            }
            new_rows: list[dict[str, Any]] = []
            changed: list[dict[str, Any]] = []
            for ext, r in incoming.items():
                old = existing.get(ext)
                values = {
                    "display_name": r.display_name,
                    "role": r.role,
                    "group_name": r.group,
                    "active": r.active,
                    "roster_version": roster_version,
                    "updated_at": now,
                }
                if old is None:
                    new_rows.append({"external_id": ext, **values})
                elif (old.display_name, old.role, old.group_name, old.active) == (
                    r.display_name,
                    r.role,
                    r.group,
                    r.active,
                ):
                    unchanged += 1
                else:
                    changed.append({"id": old.id, **values})
            if deactivate_missing:
                for ext, old in existing.items():
                    if ext not in incoming and old.active:
                        changed.append({"id": old.id, "active": False, "updated_at": now})
                        deactivated += 1
            if new_rows:
                s.execute(insert(m.Person), new_rows)
            if changed:
                s.execute(update(m.Person), changed)
            inserted, updated = len(new_rows), len(changed) - deactivated
            self._set_state(s, KEY_ROSTER_VERSION, roster_version, now)
            self._audit(
                s,
                actor,
                "roster-import",
                roster_version,
                after={
                    "inserted": inserted,
                    "updated": updated,
                    "unchanged": unchanged,
                    "deactivated": deactivated,
                },
                now=now,
            )
        return UpsertResult(inserted, updated, unchanged, deactivated)

    def search_people(
        self, text: str, limit: int = 50, *, include_inactive: bool = False
    ) -> list[Person]:
        """People whose name or id contains every word of ``text`` (case-insensitive), by name.

        Two plans, chosen per query so one keystroke stays well under 20 ms on 100k people:

        * words of 3+ characters go through the FTS5 trigram index; when they match few people
          (under ``search_sort_max``), those rows are fetched and sorted;
        * otherwise (only 1–2 letter words, or a very common trigram) the covering name index is
          walked in order and the walk stops after ``limit`` hits.

        LIKE folds only ASCII case, so a 1–2 letter word such as "É" matches case-sensitively.
        """
        check_io("db", "search_people")
        words = text.split()
        long_words = [w for w in words if len(w) >= SEARCH_MIN_FTS]
        use_fts = bool(long_words) and self._fts_available()
        hits: Select[Any] | None = None
        if use_fts:
            fts = table("people_fts", literal_column("rowid"))
            match = " AND ".join(_fts_phrase(w) for w in long_words)
            hits = (
                select(literal_column("rowid"))
                .select_from(fts)
                .where(literal_column("people_fts").op("MATCH")(match))
            )
        stmt = select(m.Person)
        if not include_inactive:
            stmt = stmt.where(m.Person.active.is_(True))
        for w in words:
            if use_fts and len(w) >= SEARCH_MIN_FTS:
                continue
            stmt = stmt.where(
                or_(
                    m.Person.display_name.contains(w, autoescape=True),
                    m.Person.external_id.contains(w, autoescape=True),
                )
            )
        stmt = stmt.order_by(m.Person.display_name, m.Person.id).limit(max(0, limit))
        with self._read() as s:
            walk = True
            if hits is not None:
                capped = select(func.count()).select_from(
                    hits.limit(self.search_sort_max).subquery()
                )
                few = (s.scalar(capped) or 0) < self.search_sort_max
                if few:
                    stmt, walk = stmt.where(m.Person.id.in_(hits)), False
                else:
                    # "id + 0" keeps SQLite from looking rows up by id: it walks the name index.
                    stmt = stmt.where((m.Person.id + 0).in_(hits))
            if walk:
                stmt = stmt.with_hint(m.Person, "INDEXED BY ix_people_search", "sqlite")
            return [_person(p) for p in s.scalars(stmt)]

    def _fts_available(self) -> bool:
        if self._has_fts is None:
            with self._read() as s:
                self._has_fts = (
                    s.scalar(
                        select(func.count())
                        .select_from(table("sqlite_master", literal_column("name")))
                        .where(literal_column("name") == "people_fts")
                    )
                    == 1
                )
        return self._has_fts

    def get_person(self, external_id: str) -> Person | None:
        check_io("db", "get_person")
        with self._read() as s:
            row = s.scalar(select(m.Person).where(m.Person.external_id == external_id))
            return _person(row) if row else None

    def person_status(self, external_id: str) -> PersonStatus:
        """Who, which fingers (with slot and sync state), and the consent in force."""
        check_io("db", "person_status")
        with self._read() as s:
            p = self._person_row(s, external_id)
            tpls = s.scalars(
                select(m.Template).where(m.Template.person_id == p.id).order_by(m.Template.finger)
            ).all()
            fingers = tuple(
                FingerStatus(
                    template_uuid=t.uuid,
                    finger=t.finger,
                    finger_name=FINGER_NAMES[t.finger],
                    sensor_slot=t.sensor_slot,
                    sync_state=t.sync_state,
                    created_at=t.created_at,
                    synced_at=t.synced_at,
                    shredded=t.shredded,
                )
                for t in tpls
            )
            consent = self._active_consent(s, p)
            return PersonStatus(person=_person(p), fingers=fingers, consent=consent)

    # ------------------------------------------------------------------ consent

    def record_consent(
        self,
        external_id: str,
        *,
        notice_version: str,
        notice_text: str,
        method: str,
        operator: str | None,
        language: str = "",
        now: datetime | None = None,
    ) -> str:
        """Record consent given (or ``method="refused"``); returns the record's uuid.

        The notice text itself is not stored, only its sha256, which proves which wording the
        person saw. Announced to central through the outbox (kind ``consent``).
        """
        check_io("db", "record_consent")
        if method not in m.CONSENT_METHODS:
            raise InvalidInput(
                f"Unknown consent method {method!r}.",
                hint=f"Use one of: {', '.join(m.CONSENT_METHODS)}.",
            )
        now = now or _now()
        text_sha = hashlib.sha256(notice_text.encode("utf-8")).hexdigest()
        rec_uuid = _new_uuid()
        with self.transaction() as s:
            p = self._person_row(s, external_id)
            c = m.Consent(
                uuid=rec_uuid,
                person_id=p.id,
                notice_version=notice_version,
                text_sha256=text_sha,
                language=language,
                method=method,
                operator_id=self._operator_id(s, operator),
                station_id=self.station_id,
                at=now,
            )
            s.add(c)
            after = {
                "consent_uuid": rec_uuid,
                "notice_version": notice_version,
                "text_sha256": text_sha,
                "method": method,
                "language": language,
            }
            self._audit(s, operator or "system", "consent-" + (
                "refused" if method == "refused" else "given"), external_id, after=after, now=now)
            self._enqueue(
                s,
                "consent",
                rec_uuid,
                {
                    "event": "refused" if method == "refused" else "given",
                    "external_id": external_id,
                    **after,
                    "operator": operator,
                    "station_id": self.station_id,
                    "at": now.isoformat(),
                },
                now,
            )
        return rec_uuid

    def withdraw_consent(
        self, external_id: str, *, operator: str | None, now: datetime | None = None
    ) -> bool:
        """Mark the consent in force as withdrawn. Returns False when there was none.

        Deleting the biometric data is a separate step (:meth:`delete_person_biometrics`)
        that the caller does next, so each shows up in the audit log on its own.
        """
        check_io("db", "withdraw_consent")
        now = now or _now()
        with self.transaction() as s:
            p = self._person_row(s, external_id)
            row = self._active_consent_row(s, p)
            if row is None:
                return False
            row.withdrawn_at = now
            self._audit(
                s, operator or "system", "consent-withdrawn", external_id,
                before={"consent_uuid": row.uuid, "withdrawn_at": None},
                after={"consent_uuid": row.uuid, "withdrawn_at": now.isoformat()}, now=now,
            )
            self._enqueue(
                s,
                "consent",
                row.uuid,
                {
                    "event": "withdrawn",
                    "external_id": external_id,
                    "consent_uuid": row.uuid,
                    "operator": operator,
                    "station_id": self.station_id,
                    "at": now.isoformat(),
                },
                now,
            )
        return True

    def active_consent(self, external_id: str) -> ConsentRecord | None:
        """The latest consent if it was given and not withdrawn; None after a refusal."""
        check_io("db", "active_consent")
        with self._read() as s:
            return self._active_consent(s, self._person_row(s, external_id))

    def _active_consent_row(self, s: Session, p: m.Person) -> m.Consent | None:
        latest = s.scalar(
            select(m.Consent)
            .where(m.Consent.person_id == p.id)
            .order_by(m.Consent.at.desc(), m.Consent.id.desc())
            .limit(1)
        )
        if latest is None or latest.method == "refused" or latest.withdrawn_at is not None:
            return None
        return latest

    def _active_consent(self, s: Session, p: m.Person) -> ConsentRecord | None:
        c = self._active_consent_row(s, p)
        if c is None:
            return None
        op_name = s.scalar(select(m.Operator.name).where(m.Operator.id == c.operator_id))
        return ConsentRecord(
            uuid=c.uuid,
            external_id=p.external_id,
            notice_version=c.notice_version,
            text_sha256=c.text_sha256,
            language=c.language,
            method=c.method,
            operator=op_name,
            station_id=c.station_id,
            at=c.at,
            withdrawn_at=c.withdrawn_at,
        )

    # ------------------------------------------------------------------ enrollment

    def record_enrollment(
        self,
        *,
        external_id: str,
        finger: int | str,
        slot: int,
        template: bytes,
        sensor_model: str,
        template_format: str,
        match_score: int | None,
        retries: int = 0,
        operator: str | None = None,
        started_at: datetime | None = None,
        captures: Sequence[Mapping[str, Any]] = (),
        now: datetime | None = None,
    ) -> str:
        """Store a finished enrollment: template + attempt + audit + outbox row, atomically.

        Returns the template uuid (its identity everywhere, also at central). Refuses without an
        active consent, for a finger already enrolled, or for a slot another template holds. If
        ``slot`` was waiting on the release list, it is taken off it: the sensor now holds the
        new template there and must not clear it.
        """
        check_io("db", "record_enrollment")
        code = finger_code(finger)
        if not template:
            raise InvalidInput("The template is empty.", hint="Capture the finger again.")
        if slot < 0:
            raise InvalidInput(f"Sensor slot {slot} is negative.", hint="Use the sensor's slot.")
        now = now or _now()
        tpl_uuid = _new_uuid()
        sha = hashlib.sha256(template).hexdigest()
        with self.transaction() as s:
            p = self._person_row(s, external_id)
            consent = self._active_consent_row(s, p)
            if consent is None:
                raise ConsentMissing(
                    f"{p.display_name} has no consent on record, so no fingerprint may be stored.",
                    hint="Record the person's consent first (or offer the alternative).",
                )
            taken = s.scalar(
                select(m.Template.uuid).where(
                    m.Template.person_id == p.id, m.Template.finger == code
                )
            )
            if taken is not None:
                raise Conflict(
                    f"{FINGER_NAMES[code]} is already enrolled for {p.display_name}.",
                    hint="Choose another finger, or delete this person's fingerprints first.",
                )
            holder = s.scalar(select(m.Template.uuid).where(m.Template.sensor_slot == slot))
            if holder is not None:
                raise Conflict(
                    f"Sensor slot {slot} already holds another template.",
                    hint="Pick a free slot (see slots_in_use).",
                )
            s.execute(delete(m.SlotRelease).where(m.SlotRelease.slot == slot))
            op_id = self._operator_id(s, operator)
            s.add(
                m.Template(
                    uuid=tpl_uuid,
                    person_id=p.id,
                    finger=code,
                    sensor_slot=slot,
                    template=bytes(template),
                    length=len(template),
                    sensor_model=sensor_model,
                    template_format=template_format,
                    match_score=match_score,
                    retries=retries,
                    sha256=sha,
                    created_at=now,
                    station_id=self.station_id,
                    operator_id=op_id,
                    sync_state="queued",
                    shredded=False,
                )
            )
            s.add(
                m.EnrollmentAttempt(
                    uuid=_new_uuid(),
                    person_id=p.id,
                    finger=code,
                    outcome="enrolled",
                    reason="",
                    started_at=started_at or now,
                    ended_at=now,
                    captures=[dict(c) for c in captures],
                    template_uuid=tpl_uuid,
                    station_id=self.station_id,
                    operator_id=op_id,
                )
            )
            meta = {
                "template_uuid": tpl_uuid,
                "external_id": external_id,
                "finger": code,
                "finger_name": FINGER_NAMES[code],
                "sensor_slot": slot,
                "length": len(template),
                "sha256": sha,
                "sensor_model": sensor_model,
                "template_format": template_format,
                "match_score": match_score,
                "retries": retries,
                "consent_uuid": consent.uuid,
            }
            self._audit(s, operator or "system", "enroll", external_id, after=meta, now=now)
            self._enqueue(
                s,
                "template",
                tpl_uuid,
                {
                    **meta,
                    "created_at": now.isoformat(),
                    "station_id": self.station_id,
                    "operator": operator,
                },
                now,
            )
        return tpl_uuid

    def record_attempt(
        self,
        *,
        external_id: str,
        outcome: str,
        reason: str,
        started_at: datetime,
        finger: int | str | None = None,
        captures: Sequence[Mapping[str, Any]] = (),
        operator: str | None = None,
        now: datetime | None = None,
    ) -> str:
        """Record a failed or cancelled attempt (for failure-to-enroll and timing figures)."""
        check_io("db", "record_attempt")
        if outcome not in ("failed", "cancelled"):
            raise InvalidInput(
                f"Attempt outcome {outcome!r} is not 'failed' or 'cancelled'.",
                hint="Successful enrollments go through record_enrollment.",
            )
        code = finger_code(finger) if finger is not None else None
        now = now or _now()
        att_uuid = _new_uuid()
        with self.transaction() as s:
            p = self._person_row(s, external_id)
            s.add(
                m.EnrollmentAttempt(
                    uuid=att_uuid,
                    person_id=p.id,
                    finger=code,
                    outcome=outcome,
                    reason=reason,
                    started_at=started_at,
                    ended_at=now,
                    captures=[dict(c) for c in captures],
                    template_uuid=None,
                    station_id=self.station_id,
                    operator_id=self._operator_id(s, operator),
                )
            )
        return att_uuid

    def slots_in_use(self) -> set[int]:
        """Slots the engine must not enroll into: templates here plus slots awaiting release."""
        check_io("db", "slots_in_use")
        with self._read() as s:
            used = set(
                s.scalars(select(m.Template.sensor_slot).where(m.Template.sensor_slot.is_not(None)))
            )
            used.update(s.scalars(select(m.SlotRelease.slot)))
        return {int(x) for x in used if x is not None}

    def template_slots(self) -> dict[int, str]:
        """Slot -> template uuid for every template this database places on the sensor."""
        check_io("db", "template_slots")
        with self._read() as s:
            rows = s.execute(
                select(m.Template.sensor_slot, m.Template.uuid).where(
                    m.Template.sensor_slot.is_not(None)
                )
            ).all()
            return {int(slot): uid for slot, uid in rows if slot is not None}

    def template_for_slot(self, slot: int) -> StoredTemplate | None:
        check_io("db", "template_for_slot")
        with self._read() as s:
            row = s.execute(
                select(m.Template, m.Person.external_id)
                .join(m.Person, m.Person.id == m.Template.person_id)
                .where(m.Template.sensor_slot == slot)
            ).first()
            if row is None:
                return None
            t, ext = row
            return StoredTemplate(
                uuid=t.uuid,
                external_id=ext,
                finger=t.finger,
                sensor_slot=t.sensor_slot,
                sha256=t.sha256,
                length=t.length,
                sensor_model=t.sensor_model,
                template_format=t.template_format,
                data=t.template,
            )

    def template_bytes(self, template_uuid: str) -> bytes | None:
        """The template for the sync layer to seal at send time; None if deleted or shredded."""
        check_io("db", "template_bytes")
        with self._read() as s:
            data = s.scalar(select(m.Template.template).where(m.Template.uuid == template_uuid))
            return bytes(data) if data is not None else None

    def pending_slot_releases(self) -> set[int]:
        """Slots whose template was deleted here and which the sensor must still clear."""
        check_io("db", "pending_slot_releases")
        with self._read() as s:
            return {int(x) for x in s.scalars(select(m.SlotRelease.slot))}

    def queue_slot_release(self, slot: int, *, reason: str = "enrollment aborted") -> bool:
        """Ask for a sensor slot to be cleared that holds a template with no record here.

        The enrollment engine calls this when it could not delete a freshly stored slot (the
        sensor vanished mid-way); the slot is cleared on the next connection. Refuses (returns
        False) when a recorded template lives in that slot, so a real template is never lost.
        """
        check_io("db", "queue_slot_release")
        with self.transaction() as s:
            if s.scalar(select(m.Template.id).where(m.Template.sensor_slot == slot)) is not None:
                log.warning("not queuing release of slot %d: a recorded template is there", slot)
                return False
            s.merge(m.SlotRelease(slot=slot, template_uuid="", requested_at=_now()))
            self._audit(s, "system", "sensor-slot-release-queued", str(slot),
                        after={"slot": slot, "reason": reason})
            return True

    def confirm_slots_released(self, slots: Iterable[int]) -> None:
        """The engine cleared these slots on the sensor (DeleteChar succeeded)."""
        check_io("db", "confirm_slots_released")
        slot_list = sorted(set(slots))
        if not slot_list:
            return
        with self.transaction() as s:
            s.execute(delete(m.SlotRelease).where(m.SlotRelease.slot.in_(slot_list)))
            self._audit(s, "system", "sensor-slots-cleared", "", after={"slots": slot_list})

    def reconcile(self, sensor_slots: Iterable[int]) -> ReconcileReport:
        """Compare the sensor's used slots (ReadIndexTable) with this database."""
        check_io("db", "reconcile")
        with self._read() as s:
            db_slots = [
                int(x)
                for x in s.scalars(
                    select(m.Template.sensor_slot).where(m.Template.sensor_slot.is_not(None))
                )
                if x is not None
            ]
            releasing = [int(x) for x in s.scalars(select(m.SlotRelease.slot))]
        return compare(sensor_slots, db_slots, releasing)

    # ------------------------------------------------------------------ deletion

    def delete_person_biometrics(
        self, external_id: str, *, actor: str, reason: str, now: datetime | None = None
    ) -> list[int]:
        """Delete every template of a person; returns the sensor slots to clear.

        In one transaction: templates deleted (bytes overwritten thanks to secure_delete),
        their slots put on the release list, unsent template messages dropped from the outbox,
        a tombstone and a ``deletion-receipt`` outbox row written, and the audit entry. Consent
        records and attempts stay: they are the proof of what happened.
        """
        check_io("db", "delete_person_biometrics")
        now = now or _now()
        with self.transaction() as s:
            p = self._person_row(s, external_id)
            tpls = s.scalars(select(m.Template).where(m.Template.person_id == p.id)).all()
            uuids = [t.uuid for t in tpls]
            slots = sorted(t.sensor_slot for t in tpls if t.sensor_slot is not None)
            before = [
                {"template_uuid": t.uuid, "finger": t.finger, "slot": t.sensor_slot,
                 "sync_state": t.sync_state}
                for t in tpls
            ]
            if uuids:
                s.execute(
                    delete(m.OutboxMessage).where(
                        m.OutboxMessage.kind == "template",
                        m.OutboxMessage.aggregate_uuid.in_(uuids),
                        m.OutboxMessage.state.in_(("pending", "sent")),
                    )
                )
                s.execute(delete(m.Template).where(m.Template.uuid.in_(uuids)))
            for t in tpls:
                if t.sensor_slot is not None:
                    s.merge(
                        m.SlotRelease(slot=t.sensor_slot, template_uuid=t.uuid, requested_at=now)
                    )
            tomb_uuid = _new_uuid()
            s.add(
                m.Tombstone(
                    uuid=tomb_uuid,
                    person_id=p.id,
                    external_id=external_id,
                    template_uuids=uuids,
                    slots=slots,
                    reason=reason,
                    actor=actor,
                    station_id=self.station_id,
                    deleted_at=now,
                )
            )
            self._enqueue(
                s,
                "deletion-receipt",
                tomb_uuid,
                {
                    "tombstone_uuid": tomb_uuid,
                    "external_id": external_id,
                    "template_uuids": uuids,
                    "reason": reason,
                    "actor": actor,
                    "station_id": self.station_id,
                    "deleted_at": now.isoformat(),
                },
                now,
            )
            self._audit(
                s, actor, "biometrics-deleted", external_id, before=before,
                after={"tombstone_uuid": tomb_uuid, "reason": reason, "slots": slots}, now=now,
            )
        self._checkpoint()
        return slots

    # ------------------------------------------------------------------ outbox

    def outbox_due(self, now: datetime | None = None, limit: int = 20) -> list[OutboxItem]:
        """Pending messages whose next attempt time has come, oldest first."""
        check_io("db", "outbox_due")
        now = now or _now()
        with self._read() as s:
            rows = s.scalars(
                select(m.OutboxMessage)
                .where(m.OutboxMessage.state == "pending", m.OutboxMessage.next_attempt_at <= now)
                .order_by(m.OutboxMessage.next_attempt_at, m.OutboxMessage.id)
                .limit(limit)
            ).all()
            return [_outbox(r) for r in rows]

    def outbox_item(self, outbox_id: int) -> OutboxItem | None:
        check_io("db", "outbox_item")
        with self._read() as s:
            row = s.get(m.OutboxMessage, outbox_id)
            return _outbox(row) if row else None

    def outbox_rows(
        self, states: Iterable[str] = ("pending", "sent", "rejected"), limit: int = 200
    ) -> list[OutboxItem]:
        """Outbox messages in ``states``, oldest first, for the admin's sync-queue view."""
        check_io("db", "outbox_rows")
        with self._read() as s:
            rows = s.scalars(
                select(m.OutboxMessage)
                .where(m.OutboxMessage.state.in_(tuple(states)))
                .order_by(m.OutboxMessage.created_at, m.OutboxMessage.id)
                .limit(limit)
            ).all()
            return [_outbox(r) for r in rows]

    def _outbox_row(self, s: Session, outbox_id: int) -> m.OutboxMessage:
        row = s.get(m.OutboxMessage, outbox_id)
        if row is None:
            raise NotFound(f"No outbox message {outbox_id}.", hint="It may have been dropped.")
        return row

    def mark_sent(self, outbox_id: int, *, now: datetime | None = None) -> None:
        """Published (transport-acked by the broker); waiting for the central ack."""
        check_io("db", "mark_sent")
        with self.transaction() as s:
            row = self._outbox_row(s, outbox_id)
            if row.state in ("pending", "sent"):
                row.state = "sent"
                row.sent_at = now or _now()

    def mark_acked(
        self,
        aggregate_uuid: str,
        *,
        outbox_id: int | None = None,
        shred: bool = False,
        now: datetime | None = None,
    ) -> bool:
        """Central confirmed it stored ``aggregate_uuid``. Returns False if nothing was waiting.

        With ``outbox_id`` only that row is acknowledged: several rows may announce the same
        aggregate (a consent given, then withdrawn), and an ack for one must not settle another
        that central has not received.

        For a template: marks it synced and, with ``shred=True`` (retention setting
        ``keep_templates_after_sync = false``), erases its bytes while the metadata row stays.
        Also records the last successful sync time.
        """
        check_io("db", "mark_acked")
        now = now or _now()
        shredded = False
        with self.transaction() as s:
            query = select(m.OutboxMessage).where(
                m.OutboxMessage.aggregate_uuid == aggregate_uuid,
                m.OutboxMessage.state.in_(("pending", "sent")),
            )
            if outbox_id is not None:
                query = query.where(m.OutboxMessage.id == outbox_id)
            rows = s.scalars(query).all()
            if not rows:
                return False
            for row in rows:
                row.state = "acked"
                row.acked_at = now
            kinds = {r.kind for r in rows}
            if "template" in kinds:
                t = s.scalar(select(m.Template).where(m.Template.uuid == aggregate_uuid))
                if t is not None:
                    t.sync_state = "synced"
                    t.synced_at = now
                    if shred and not t.shredded:
                        t.template = None
                        t.shredded = True
                        shredded = True
                        self._audit(
                            s, "sync", "template-shredded", aggregate_uuid,
                            after={"reason": "acknowledged by central; retention setting"},
                            now=now,
                        )
            if "deletion-receipt" in kinds:
                s.execute(
                    update(m.Tombstone)
                    .where(m.Tombstone.uuid == aggregate_uuid)
                    .values(acked_at=now)
                )
            self._set_state(s, KEY_LAST_SYNC, now.isoformat(), now)
        if shredded:
            self._checkpoint()
        return True

    def mark_rejected(self, outbox_id: int, reason: str, *, now: datetime | None = None) -> None:
        """Central refused the message for good (it will not be retried)."""
        check_io("db", "mark_rejected")
        now = now or _now()
        with self.transaction() as s:
            row = self._outbox_row(s, outbox_id)
            row.state = "rejected"
            row.last_error = reason
            if row.kind == "template":
                s.execute(
                    update(m.Template)
                    .where(m.Template.uuid == row.aggregate_uuid)
                    .values(sync_state="rejected")
                )
            self._audit(
                s, "sync", "sync-rejected", row.aggregate_uuid,
                after={"outbox_id": outbox_id, "kind": row.kind, "reason": reason}, now=now,
            )

    def reschedule(
        self, outbox_id: int, error: str, next_at: datetime, *, now: datetime | None = None
    ) -> int:
        """A delivery attempt failed: back to pending at ``next_at``. Returns the new number
        of failed attempts (``attempts``), which the sync layer's backoff is based on."""
        check_io("db", "reschedule")
        with self.transaction() as s:
            row = self._outbox_row(s, outbox_id)
            if row.state in ("acked", "rejected"):
                return row.attempts
            row.state = "pending"
            row.attempts += 1
            row.last_error = error
            row.next_attempt_at = next_at
            return row.attempts

    def requeue_unacked(
        self, sent_before: datetime, *, error: str = "no acknowledgement from central",
        next_at: datetime | None = None,
    ) -> int:
        """Put messages sent before ``sent_before`` and still unacknowledged back to pending
        (counted as a failed attempt). For the sync worker at start-up and on ack timeouts;
        central de-duplicates by aggregate uuid, so a re-send is harmless. Returns how many."""
        check_io("db", "requeue_unacked")
        when = next_at or _now()
        with self.transaction() as s:
            rows = s.scalars(
                select(m.OutboxMessage).where(
                    m.OutboxMessage.state == "sent", m.OutboxMessage.sent_at < sent_before
                )
            ).all()
            for row in rows:
                row.state, row.attempts = "pending", row.attempts + 1
                row.last_error, row.next_attempt_at = error, when
            return len(rows)

    def retry_outbox(
        self, ids: Iterable[int], *, actor: str, now: datetime | None = None
    ) -> int:
        """An administrator asks to send these again now: rejected or backed-off pending rows
        become pending and due at once (sent and acked rows are left alone). Returns how many."""
        check_io("db", "retry_outbox")
        now = now or _now()
        wanted = sorted(set(ids))
        with self.transaction() as s:
            rows = s.scalars(
                select(m.OutboxMessage).where(
                    m.OutboxMessage.id.in_(wanted),
                    m.OutboxMessage.state.in_(("pending", "rejected")),
                )
            ).all()
            for row in rows:
                if row.state == "rejected" and row.kind == "template":
                    s.execute(
                        update(m.Template)
                        .where(m.Template.uuid == row.aggregate_uuid,
                               m.Template.sync_state == "rejected")
                        .values(sync_state="queued")
                    )
                row.state, row.next_attempt_at = "pending", now
            if rows:
                self._audit(
                    s, actor, "sync-retry", ",".join(str(r.id) for r in rows),
                    after={"outbox_ids": [r.id for r in rows]}, now=now,
                )
            return len(rows)

    def outbox_stats(self, now: datetime | None = None) -> OutboxStats:
        check_io("db", "outbox_stats")
        now = now or _now()
        with self._read() as s:
            counts = dict(
                s.execute(
                    select(m.OutboxMessage.state, func.count()).group_by(m.OutboxMessage.state)
                ).all()
            )
            oldest = s.scalar(
                select(func.min(m.OutboxMessage.created_at)).where(
                    m.OutboxMessage.state.in_(("pending", "sent"))
                )
            )
            last = self._get_state(s, KEY_LAST_SYNC)
        oldest_dt = m.UtcDateTime().process_result_value(oldest, None)  # type: ignore[arg-type]
        return OutboxStats(
            pending=int(counts.get("pending", 0)),
            sent_unacked=int(counts.get("sent", 0)),
            rejected=int(counts.get("rejected", 0)),
            acked=int(counts.get("acked", 0)),
            oldest_pending_age_s=(now - oldest_dt).total_seconds() if oldest_dt else None,
            last_sync_at=datetime.fromisoformat(last) if last else None,
        )

    # ------------------------------------------------------------------ sync state

    def _get_state(self, s: Session, key: str) -> str | None:
        return s.scalar(select(m.SyncStateEntry.value).where(m.SyncStateEntry.key == key))

    def _set_state(self, s: Session, key: str, value: str, now: datetime) -> None:
        s.merge(m.SyncStateEntry(key=key, value=value, updated_at=now))

    def get_sync_state(self, key: str) -> str | None:
        check_io("db", "get_sync_state")
        with self._read() as s:
            return self._get_state(s, key)

    def set_sync_state(self, key: str, value: str) -> None:
        check_io("db", "set_sync_state")
        with self.transaction() as s:
            self._set_state(s, key, value, _now())

    # ------------------------------------------------------------------ operators

    def create_operator(
        self, name: str, pin: str, *, role: str = "staff", actor: str = "system"
    ) -> Operator:
        check_io("db", "create_operator")
        name = name.strip()
        if not name:
            raise InvalidInput("The operator name is empty.", hint="Type a name.")
        if role not in m.OPERATOR_ROLES:
            raise InvalidInput(f"Unknown role {role!r}.", hint="Use staff or admin.")
        if not valid_pin(pin):
            raise InvalidInput("A PIN is 4 to 12 digits.", hint="Choose a PIN of 4–12 digits.")
        now = _now()
        encoded = hash_pin(pin)
        with self.transaction() as s:
            if s.scalar(select(m.Operator.id).where(m.Operator.name == name)) is not None:
                raise Conflict(f"An operator named {name!r} exists.", hint="Pick another name.")
            row = m.Operator(
                name=name, role=role, pin_hash=encoded, failed_attempts=0, active=True,
                created_at=now,
            )
            s.add(row)
            s.flush()
            self._audit(s, actor, "operator-created", name, after={"role": role}, now=now)
            return _operator(row)

    def set_operator_pin(self, name: str, pin: str, *, actor: str) -> None:
        """Replace a PIN (also lifts a lockout)."""
        check_io("db", "set_operator_pin")
        if not valid_pin(pin):
            raise InvalidInput("A PIN is 4 to 12 digits.", hint="Choose a PIN of 4–12 digits.")
        encoded = hash_pin(pin)
        with self.transaction() as s:
            row = s.scalar(select(m.Operator).where(m.Operator.name == name))
            if row is None:
                raise NotFound(f"No operator named {name!r}.", hint="Check the name.")
            row.pin_hash, row.failed_attempts, row.locked_until = encoded, 0, None
            self._audit(s, actor, "operator-pin-changed", name)

    def set_operator_active(self, name: str, active: bool, *, actor: str) -> Operator:
        """Disable or enable an operator; the last active administrator cannot be disabled,
        or nobody could reach the admin area again."""
        check_io("db", "set_operator_active")
        with self.transaction() as s:
            row = s.scalar(select(m.Operator).where(m.Operator.name == name))
            if row is None:
                raise NotFound(f"No operator named {name!r}.", hint="Check the name.")
            if row.active and not active and row.role == "admin":
                admins = s.scalar(
                    select(func.count())
                    .select_from(m.Operator)
                    .where(m.Operator.role == "admin", m.Operator.active.is_(True))
                ) or 0
                if admins <= 1:
                    raise Conflict(
                        f"{name} is the last active administrator.",
                        hint="Add or enable another administrator first.",
                    )
            if row.active != active:
                row.active = active
                self._audit(s, actor, "operator-enabled" if active else "operator-disabled",
                            name)
            return _operator(row)

    def unlock_operator(self, name: str, *, actor: str) -> None:
        """Lift a PIN lockout before it runs out (the PIN stays the same)."""
        check_io("db", "unlock_operator")
        with self.transaction() as s:
            row = s.scalar(select(m.Operator).where(m.Operator.name == name))
            if row is None:
                raise NotFound(f"No operator named {name!r}.", hint="Check the name.")
            row.failed_attempts, row.locked_until = 0, None
            self._audit(s, actor, "operator-unlocked", name)

    def verify_pin(self, name: str, pin: str, *, now: datetime | None = None) -> PinCheck:
        """Check a PIN. After ``pin_max_failures`` wrong PINs in a row the operator is locked
        for ``pin_lockout``; during a lockout even the right PIN is refused."""
        check_io("db", "verify_pin")
        now = now or _now()
        with self.transaction() as s:
            row = s.scalar(select(m.Operator).where(m.Operator.name == name))
            if row is None or not row.active:
                check_pin(pin, dummy_hash())
                return PinCheck(ok=False, operator=None)
            if row.locked_until is not None and row.locked_until > now:
                return PinCheck(ok=False, operator=_operator(row), locked_until=row.locked_until)
            if check_pin(pin, row.pin_hash):
                row.failed_attempts, row.locked_until = 0, None
                return PinCheck(ok=True, operator=_operator(row))
            row.failed_attempts += 1
            if row.failed_attempts >= self.pin_max_failures:
                row.failed_attempts = 0
                row.locked_until = now + self.pin_lockout
                self._audit(
                    s, name, "operator-locked", name,
                    after={"until": row.locked_until.isoformat()}, now=now,
                )
                return PinCheck(ok=False, operator=_operator(row), locked_until=row.locked_until)
            return PinCheck(
                ok=False,
                operator=_operator(row),
                attempts_left=self.pin_max_failures - row.failed_attempts,
            )

    def list_operators(self) -> list[Operator]:
        check_io("db", "list_operators")
        with self._read() as s:
            return [_operator(o) for o in s.scalars(select(m.Operator).order_by(m.Operator.name))]

    def has_admin(self) -> bool:
        """False on a fresh station: the GUI then asks to create the first admin."""
        check_io("db", "has_admin")
        with self._read() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(m.Operator)
                    .where(m.Operator.role == "admin", m.Operator.active.is_(True))
                )
                or 0
            ) > 0

    # ------------------------------------------------------------------ audit

    def audit(
        self,
        actor: str,
        action: str,
        subject: str = "",
        *,
        before: Any = None,
        after: Any = None,
    ) -> int:
        """Append an audit entry (never PINs or template bytes). Returns its id."""
        check_io("db", "audit")
        with self.transaction() as s:
            return self._audit(s, actor, action, subject, before, after)

    def audit_entries(self, limit: int = 100) -> list[AuditRecord]:
        """Newest first."""
        check_io("db", "audit_entries")
        with self._read() as s:
            rows = s.scalars(
                select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(limit)
            ).all()
            return [
                AuditRecord(r.id, r.at, r.actor, r.action, r.subject, r.before, r.after,
                            r.station_id)
                for r in rows
            ]

    def export_audit_csv(self, path: Path) -> int:
        """Write the whole audit log as CSV (oldest first); returns the number of entries."""
        check_io("db", "export_audit_csv")
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        n = 0
        with self._read() as s, open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "at", "station_id", "actor", "action", "subject", "before", "after"])
            for r in s.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id)).yield_per(1000):
                w.writerow([
                    r.id, r.at.isoformat(), r.station_id, r.actor, r.action, r.subject,
                    "" if r.before is None else json.dumps(r.before, sort_keys=True),
                    "" if r.after is None else json.dumps(r.after, sort_keys=True),
                ])
                n += 1
        tmp.replace(path)
        return n

    # ------------------------------------------------------------------ maintenance

    def backup_to(self, path: Path) -> Path:
        """Consistent online copy (sqlite3 backup API). Restore = copy the file back while the
        program is stopped."""
        check_io("db", "backup_to")
        try:
            return eng.backup_file(self.path, Path(path))
        except OSError as exc:
            raise StoreError(
                f"The backup could not be written to {path}: {exc.strerror or exc}.",
                hint="Check that the folder exists, is writable and has space.",
                path=Path(path),
            ) from exc

    def schema_revision(self) -> str | None:
        check_io("db", "schema_revision")
        with self._read() as s:
            return s.scalar(select(literal_column("version_num")).select_from(
                table("alembic_version")))

    def counts(self) -> dict[str, int]:
        check_io("db", "counts")
        tables = {
            "people": m.Person, "templates": m.Template, "attempts": m.EnrollmentAttempt,
            "consents": m.Consent, "operators": m.Operator, "audit_log": m.AuditEntry,
            "outbox": m.OutboxMessage, "tombstones": m.Tombstone, "slot_releases": m.SlotRelease,
        }
        with self._read() as s:
            out: dict[str, int] = {}
            for k, v in tables.items():
                out[k] = s.scalar(select(func.count()).select_from(v)) or 0
            return out

    def integrity_check(self) -> IntegrityReport:
        """Full ``PRAGMA integrity_check`` + foreign key check + schema revision + counts."""
        check_io("db", "integrity_check")
        with self._engine.connect() as conn:
            msgs = tuple(str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check"))
            fk = len(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
        rev = self.schema_revision()
        head = eng.head_revision()
        ok = msgs == ("ok",) and fk == 0 and rev == head
        return IntegrityReport(
            ok=ok, messages=msgs, foreign_key_violations=fk, schema_revision=rev,
            head_revision=head, counts=self.counts(),
        )


__all__ = ["FINGER_NAMES", "Store", "finger_code"]
