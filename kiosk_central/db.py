"""Central's database: what it holds and the operations that are not message ingest.

Templates are stored sealed (:mod:`.vault`) and opened only through :meth:`CentralDB.
open_templates`, which writes a central audit entry for every opening. Ingest of station
messages lives in :mod:`.apply` (one transaction per batch); roster import and deltas in
:mod:`.roster`.
"""

from __future__ import annotations

import logging
import uuid as uuidlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, func, insert, inspect, select, text, update
from sqlalchemy.engine import Engine

import kiosk_contract as c
from kiosk_central import audit_log
from kiosk_central.clock import iso, now
from kiosk_central.engine import DatabaseError, open_engine
from kiosk_central.schema import (
    consents,
    deletions,
    people,
    settings,
    stations,
    template_tombstones,
    templates,
)
from kiosk_central.vault import SealedRecord, Vault, VaultError

log = logging.getLogger(__name__)
StoreOutcome = Literal["stored", "duplicate", "conflict"]


@dataclass(frozen=True)
class StoredRow:
    uuid: str
    station: str
    person: str
    finger: str
    sha256: str
    received_at: datetime


class CentralDB:
    """One database; ``vault`` is needed to store or open templates, nothing else."""

    def __init__(self, url: str, vault: Vault | None = None) -> None:
        self.url = url
        self.vault = vault
        self.engine: Engine = open_engine(url)
        self.dialect = self.engine.dialect.name
        with self.engine.connect() as conn:
            cols = {col["name"] for col in inspect(conn).get_columns("templates")}
        self.plaintext_layout = "template" in cols
        if self.plaintext_layout and vault is not None:
            self.seal_plaintext_layout()

    def close(self) -> None:
        self.engine.dispose()

    def _need_vault(self) -> Vault:
        if self.vault is None:
            raise VaultError("this operation needs the master key (--key-file / "
                             "--master-key)")
        if self.plaintext_layout:
            raise DatabaseError("the templates are still in the unsealed layout of an older "
                                "release; run `kiosk-central db upgrade` with the key first")
        return self.vault

    # -- the old unsealed layout -------------------------------------------------------------
    def seal_plaintext_layout(self) -> int:
        """Seal every template an older release stored in clear, drop the clear column and
        compact the file so the clear bytes do not linger in free pages. Returns the count."""
        vault = self.vault
        assert vault is not None
        key = vault.batch()
        n = 0
        with self.engine.begin() as conn:
            rows = conn.execute(text(
                "SELECT uuid, station, sha256, template FROM templates "
                "WHERE template IS NOT NULL AND sealed IS NULL")).all()
            for u, station, sha, data in rows:
                rec = key.seal(u, station, sha, bytes(data))
                conn.execute(text("UPDATE templates SET sealed=:s, wrapped_key=:w, key_id=:k, "
                                  "template=:e WHERE uuid=:u"),
                             {"s": rec.sealed, "w": rec.wrapped_key, "k": rec.key_id,
                              "e": b"", "u": u})
                n += 1
            conn.execute(text("ALTER TABLE templates DROP COLUMN template"))
            audit_log.append(conn, "central", "templates-sealed-at-rest", "",
                             after={"templates": n, "key_id": vault.master.key_id})
        if self.dialect == "sqlite":
            raw = self.engine.raw_connection()  # autocommit: VACUUM runs outside a transaction
            try:
                raw.cursor().execute("VACUUM")
                # Old page images in the write-ahead log go too.
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        elif self.dialect == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM FULL templates")
        self.plaintext_layout = False
        log.info("sealed %d template(s) of the old unsealed layout at rest", n)
        return n

    # -- templates -------------------------------------------------------------------------
    def store_template(self, meta: c.TemplateMeta, data: bytes) -> StoreOutcome:
        """Insert-if-absent of one template outside the ingest (tests, imports)."""
        from kiosk_central.apply import Batch, TemplateIn

        vault = self._need_vault()
        with self.engine.begin() as conn:
            batch = Batch(conn, self.dialect, vault, require_known_person=False)
            verdict = batch.templates([TemplateIn(meta, data, "", None)])[0]
            batch.flush_events()
        if verdict.status == "rejected":
            return "conflict"
        return verdict.status

    def template_rows(self, person: str | None = None) -> list[StoredRow]:
        q = select(templates.c.uuid, templates.c.station, templates.c.person,
                   templates.c.finger, templates.c.sha256, templates.c.received_at)
        if person is not None:
            q = q.where(templates.c.person == person)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(templates.c.received_at, templates.c.uuid)).all()
        return [StoredRow(*r) for r in rows]

    def template_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(templates)).scalar_one())

    def open_templates(self, uuids: Sequence[str], *, actor: str,
                       purpose: str) -> dict[str, bytes]:
        """The template bytes of ``uuids`` that central holds; every opening is audited
        (one central audit entry per template, committed before any bytes are returned)."""
        vault = self._need_vault()
        with self.engine.begin() as conn:
            rows = conn.execute(select(
                templates.c.uuid, templates.c.station, templates.c.person, templates.c.sha256,
                templates.c.sealed, templates.c.wrapped_key, templates.c.key_id,
            ).where(templates.c.uuid.in_(list(uuids)))).all()
            for r in rows:
                audit_log.append(conn, actor, "template-opened", r[0],
                                 after={"person": r[2], "station": r[1], "purpose": purpose})
        return {r[0]: vault.open(r[0], r[1], r[3], SealedRecord(bytes(r[4]), bytes(r[5]),
                                                               str(r[6]))) for r in rows}

    def template_bytes(self, uuid: str, *, actor: str = "central",
                       purpose: str = "verification") -> bytes | None:
        """One template's bytes (an audited opening); None when central does not hold it."""
        return self.open_templates([uuid], actor=actor, purpose=purpose).get(uuid)

    def consent_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(consents)).scalar_one())

    # -- people ------------------------------------------------------------------------------
    def roster_version(self) -> int:
        return int(self.get_setting("roster_version") or 0)

    def import_people(self, rows: Iterable[tuple[str, str, bool] | c.RosterPerson],
                      source: str = "") -> int:
        """Replace the roster with ``rows``; people not listed become inactive. Returns the
        new version (several when the change is split into deltas, see :mod:`.roster`)."""
        from kiosk_central.roster import import_roster

        people_in = [r if isinstance(r, c.RosterPerson) else c.RosterPerson(r[0], r[1], r[2])
                     for r in rows]
        return import_roster(self, people_in, source).version

    def people_rows(self) -> list[tuple[str, str, bool]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(people.c.external_id, people.c.display_name,
                                       people.c.active).order_by(people.c.external_id)).all()
        return [(r[0], r[1], bool(r[2])) for r in rows]

    def person_known(self, external_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(people.c.active).where(
                people.c.external_id == external_id)).scalar() is not None

    # -- deletions -----------------------------------------------------------------------------
    def forget(self, person: str, extra_stations: Sequence[str] = (), *,
               actor: str = "central") -> list[tuple[str, str]]:
        """Delete central's copies of a person's templates and create one deletion request
        per station that may hold any (every known station). Returns ``(request_id, station)``
        pairs to publish."""
        with self.engine.begin() as conn:
            return request_erasure(conn, person, c.DeletionCause.CENTRAL_REQUEST,
                                   extra_stations, actor=actor)

    def pending_deletions(self, station: str | None = None) -> list[tuple[str, str, str, str]]:
        """``(request_id, person, station, issued_at)`` without a receipt yet."""
        rows = self.pending_deletion_requests(station)
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def pending_deletion_requests(self, station: str | None = None
                                  ) -> list[tuple[str, str, str, str, str]]:
        q = select(deletions.c.request_id, deletions.c.person, deletions.c.station,
                   deletions.c.issued_at, deletions.c.cause).where(
            deletions.c.receipt_at.is_(None))
        if station is not None:
            q = q.where(deletions.c.station == station)
        with self.engine.connect() as conn:
            return [(r[0], r[1], r[2], r[3], r[4] or "central-request")
                    for r in conn.execute(q.order_by(deletions.c.issued_at)).all()]

    # -- stations / settings --------------------------------------------------------------------
    def station_rows(self) -> list[tuple[str, str, str]]:
        with self.engine.connect() as conn:
            return [(r[0], r[1], str(r[2])) for r in conn.execute(
                select(stations.c.station, stations.c.state, stations.c.seen_at))]

    def station_schemas(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {r[0]: int(r[1] or 1) for r in conn.execute(
                select(stations.c.station, stations.c.schema))}

    def get_setting(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            v = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return None if v is None else str(v)

    def set_setting(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            set_setting(conn, key, value)

    def audit(self, actor: str, action: str, subject: str = "", **kw: Any) -> int:
        with self.engine.begin() as conn:
            return audit_log.append(conn, actor, action, subject, **kw)

    def summary(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            by_station: dict[str, int] = {str(k): int(v) for k, v in conn.execute(
                select(templates.c.station, func.count()).group_by(templates.c.station)).all()}
            n_people = conn.execute(select(func.count()).select_from(people)).scalar_one()
            tomb = conn.execute(select(func.count()).select_from(template_tombstones)
                                ).scalar_one()
        return {
            "templates": sum(by_station.values()), "templates_by_station": by_station,
            "people": n_people, "roster_version": self.roster_version(),
            "pending_deletions": len(self.pending_deletions()), "templates_deleted": tomb,
        }


def request_erasure(conn: Connection, person: str, cause: c.DeletionCause,
                    extra_stations: Sequence[str] = (), *, actor: str = "central",
                    ) -> list[tuple[str, str]]:
    """In the caller's transaction: delete central's copies of ``person``'s templates and
    create one deletion request per station that may hold any (every known station).
    A ``central-request`` (forget) also makes the person inactive. ``(request_id, station)``
    of each request, to publish after the commit."""
    from kiosk_central.apply import delete_person_templates

    out: list[tuple[str, str]] = []
    st = set(extra_stations)
    st.update(r[0] for r in conn.execute(
        select(templates.c.station).where(templates.c.person == person).distinct()))
    st.update(r[0] for r in conn.execute(select(stations.c.station)))
    removed = delete_person_templates(conn, person, cause, "forget" if cause ==
                                      c.DeletionCause.CENTRAL_REQUEST else "withdrawal")
    if cause == c.DeletionCause.CENTRAL_REQUEST:
        conn.execute(update(people).where(people.c.external_id == person).values(active=False))
    for station in sorted(st):
        rid = str(uuidlib.uuid4())
        conn.execute(insert(deletions).values(
            request_id=rid, person=person, station=station, issued_at=iso(), cause=str(cause)))
        out.append((rid, station))
    audit_log.append(conn, actor, "person-forgotten" if cause ==
                     c.DeletionCause.CENTRAL_REQUEST else "consent-withdrawn-at-central",
                     person, after={"central_templates_deleted": [u for u, _ in removed],
                                    "requests": [s for _, s in out]})
    return out


def set_setting(conn: Connection, key: str, value: str) -> None:
    found = conn.execute(select(settings.c.key).where(settings.c.key == key)).scalar()
    if found is None:
        conn.execute(insert(settings).values(key=key, value=value))
    else:
        conn.execute(update(settings).where(settings.c.key == key).values(value=value))


def get_setting(conn: Connection, key: str) -> str | None:
    v = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
    return None if v is None else str(v)


__all__ = ["CentralDB", "DatabaseError", "StoreOutcome", "StoredRow", "iso", "now"]
