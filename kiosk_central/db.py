"""Central storage: any SQLAlchemy URL (SQLite by default, PostgreSQL supported).

``store_template`` is an insert-if-absent keyed on the template UUID, so a re-sent or
redelivered message is recognised as a duplicate and acknowledged again, never stored twice,
even with several ingest workers racing on the same database.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from kiosk_contract import ConsentMessage, TemplateMeta

metadata = MetaData()

templates = Table(
    "templates", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("station", String(64), nullable=False, index=True),
    Column("person", String(128), nullable=False, index=True),
    Column("finger", String(16), nullable=False),
    Column("operator", String(128), nullable=False),
    Column("sensor_model", String(64), nullable=False),
    Column("template_format", String(64), nullable=False),
    Column("template_length", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("quality", JSON, nullable=False),
    Column("captured_at", String(40), nullable=False),
    Column("enrolled_at", String(40), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("template", LargeBinary, nullable=False),
)

people = Table(
    "people", metadata,
    Column("external_id", String(128), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("roster_version", Integer, nullable=False),
)

deletions = Table(
    "deletions", metadata,
    Column("request_id", String(36), primary_key=True),
    Column("person", String(128), nullable=False, index=True),
    Column("station", String(64), nullable=False, index=True),
    Column("issued_at", String(40), nullable=False),
    Column("receipt_at", DateTime(timezone=True)),
    Column("templates_removed", Integer),
)

consents = Table(
    "consents", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("event", String(16), primary_key=True),
    Column("person", String(128), nullable=False, index=True),
    Column("station", String(64), nullable=False),
    Column("operator", String(128), nullable=False),
    Column("at", String(40), nullable=False),
    Column("details", JSON, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

stations = Table(
    "stations", metadata,
    Column("station", String(64), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("software", String(64), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(4000), nullable=False),
)

StoreOutcome = Literal["stored", "duplicate", "conflict"]


@dataclass(frozen=True)
class StoredRow:
    uuid: str
    station: str
    person: str
    finger: str
    sha256: str
    received_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


class CentralDB:
    def __init__(self, url: str) -> None:
        self.url = url
        kw: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kw["connect_args"] = {"timeout": 30, "check_same_thread": False}
        self.engine: Engine = create_engine(url, future=True, **kw)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- templates -------------------------------------------------------------------------
    def store_template(self, meta: TemplateMeta, data: bytes) -> StoreOutcome:
        """Insert unless the UUID exists; an existing UUID with another hash is a conflict."""
        row = {
            "uuid": meta.uuid, "station": meta.station, "person": meta.person,
            "finger": meta.finger, "operator": meta.operator, "sensor_model": meta.sensor_model,
            "template_format": meta.template_format, "template_length": meta.template_length,
            "sha256": meta.sha256, "quality": meta.quality, "captured_at": meta.captured_at,
            "enrolled_at": meta.enrolled_at, "received_at": _now(), "template": data,
        }
        try:
            with self.engine.begin() as conn:
                existing = conn.execute(
                    select(templates.c.sha256).where(templates.c.uuid == meta.uuid)
                ).scalar_one_or_none()
                if existing is None:
                    conn.execute(insert(templates).values(**row))
                    return "stored"
        except IntegrityError:
            # Another worker inserted the same UUID between our select and insert.
            with self.engine.connect() as conn:
                existing = conn.execute(
                    select(templates.c.sha256).where(templates.c.uuid == meta.uuid)
                ).scalar_one()
        return "duplicate" if existing == meta.sha256 else "conflict"

    def store_consent(self, msg: ConsentMessage) -> Literal["stored", "duplicate"]:
        """Insert-if-absent keyed on (uuid, event): a withdrawal shares the consent's uuid."""
        try:
            with self.engine.begin() as conn:
                found = conn.execute(select(consents.c.uuid).where(
                    consents.c.uuid == msg.uuid, consents.c.event == msg.event)).scalar()
                if found is not None:
                    return "duplicate"
                conn.execute(insert(consents).values(
                    uuid=msg.uuid, event=msg.event, person=msg.person, station=msg.station,
                    operator=msg.operator, at=msg.at, details=dict(msg.details),
                    received_at=_now()))
                return "stored"
        except IntegrityError:
            return "duplicate"

    def consent_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(consents)).scalar_one())

    def delete_templates(self, uuids: Sequence[str]) -> int:
        if not uuids:
            return 0
        with self.engine.begin() as conn:
            return int(conn.execute(delete(templates).where(templates.c.uuid.in_(list(uuids))))
                       .rowcount)

    def template_rows(self) -> list[StoredRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(templates.c.uuid, templates.c.station, templates.c.person,
                       templates.c.finger, templates.c.sha256, templates.c.received_at)
                .order_by(templates.c.received_at)
            ).all()
        return [StoredRow(*r) for r in rows]

    def template_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(templates)).scalar_one())

    def template_bytes(self, uuid: str) -> bytes | None:
        with self.engine.connect() as conn:
            v = conn.execute(select(templates.c.template).where(templates.c.uuid == uuid)).scalar()
        return bytes(v) if v is not None else None

    # -- people / roster ---------------------------------------------------------------------
    def roster_version(self) -> int:
        return int(self.get_setting("roster_version") or 0)

    def import_people(self, rows: Iterable[tuple[str, str, bool]]) -> int:
        """Replace the roster with ``rows``; people not listed become inactive. New version."""
        rows = list(rows)
        with self.engine.begin() as conn:
            current = conn.execute(
                select(settings.c.value).where(settings.c.key == "roster_version")
            ).scalar()
            version = int(current or 0) + 1
            listed = {r[0] for r in rows}
            conn.execute(
                update(people).where(people.c.external_id.not_in(listed))
                .values(active=False, roster_version=version)
            )
            for ext, name, active in rows:
                found = conn.execute(
                    select(people.c.external_id).where(people.c.external_id == ext)
                ).scalar()
                values = {"display_name": name, "active": active, "roster_version": version}
                if found is None:
                    conn.execute(insert(people).values(external_id=ext, **values))
                else:
                    conn.execute(update(people).where(people.c.external_id == ext).values(**values))
            _set(conn, "roster_version", str(version))
        return version

    def people_rows(self) -> list[tuple[str, str, bool]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(people.c.external_id, people.c.display_name, people.c.active)
                .order_by(people.c.external_id)
            ).all()
        return [(r[0], r[1], bool(r[2])) for r in rows]

    def person_known(self, external_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(
                select(people.c.active).where(people.c.external_id == external_id)
            ).scalar() is not None

    # -- deletions -----------------------------------------------------------------------------
    def forget(self, person: str, extra_stations: Sequence[str] = ()) -> list[tuple[str, str]]:
        """Delete central copies and create one deletion request per station that may hold any.

        Returns ``(request_id, station)`` pairs to publish.
        """
        now_iso = _now().isoformat(timespec="milliseconds").replace("+00:00", "Z")
        out: list[tuple[str, str]] = []
        with self.engine.begin() as conn:
            st = set(extra_stations)
            st.update(r[0] for r in conn.execute(
                select(templates.c.station).where(templates.c.person == person).distinct()))
            st.update(r[0] for r in conn.execute(select(stations.c.station)))
            conn.execute(delete(templates).where(templates.c.person == person))
            conn.execute(update(people).where(people.c.external_id == person).values(active=False))
            for station in sorted(st):
                rid = str(uuidlib.uuid4())
                conn.execute(insert(deletions).values(
                    request_id=rid, person=person, station=station, issued_at=now_iso))
                out.append((rid, station))
        return out

    def pending_deletions(self, station: str | None = None) -> list[tuple[str, str, str, str]]:
        """``(request_id, person, station, issued_at)`` without a receipt yet."""
        q = select(deletions.c.request_id, deletions.c.person, deletions.c.station,
                   deletions.c.issued_at).where(deletions.c.receipt_at.is_(None))
        if station is not None:
            q = q.where(deletions.c.station == station)
        with self.engine.connect() as conn:
            return [(r[0], r[1], r[2], r[3]) for r in conn.execute(q).all()]

    def record_receipt(self, request_id: str, station: str, removed: int) -> bool:
        """Mark a request done; False when it is unknown or belongs to another station."""
        with self.engine.begin() as conn:
            res = conn.execute(
                update(deletions)
                .where(deletions.c.request_id == request_id, deletions.c.station == station,
                       deletions.c.receipt_at.is_(None))
                .values(receipt_at=_now(), templates_removed=removed)
            )
            return bool(res.rowcount)

    # -- stations / settings --------------------------------------------------------------------
    def station_seen(self, station: str, state: str, software: str) -> None:
        with self.engine.begin() as conn:
            found = conn.execute(
                select(stations.c.station).where(stations.c.station == station)).scalar()
            values = {"state": state, "software": software, "seen_at": _now()}
            if found is None:
                conn.execute(insert(stations).values(station=station, **values))
            else:
                conn.execute(update(stations).where(stations.c.station == station).values(**values))

    def station_rows(self) -> list[tuple[str, str, str]]:
        with self.engine.connect() as conn:
            return [(r[0], r[1], str(r[2])) for r in conn.execute(
                select(stations.c.station, stations.c.state, stations.c.seen_at))]

    def get_setting(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            v = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return None if v is None else str(v)

    def summary(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            by_station: dict[str, int] = dict(conn.execute(
                select(templates.c.station, func.count()).group_by(templates.c.station)).all())
            n_people = conn.execute(select(func.count()).select_from(people)).scalar_one()
        return {
            "templates": sum(by_station.values()),
            "templates_by_station": by_station,
            "people": n_people,
            "roster_version": self.roster_version(),
            "pending_deletions": len(self.pending_deletions()),
        }


def _set(conn: Any, key: str, value: str) -> None:
    found = conn.execute(select(settings.c.key).where(settings.c.key == key)).scalar()
    if found is None:
        conn.execute(insert(settings).values(key=key, value=value))
    else:
        conn.execute(update(settings).where(settings.c.key == key).values(value=value))


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def dumps(obj: Any) -> str:
    return json.dumps(obj, default=str)
