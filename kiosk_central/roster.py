"""The roster at central: versions and deltas in the database, and publishing it.

An import compares the new list with what central holds; the changes become one or more
consecutive versions (each fits one delta message), and every changed person records the
version of its change, so the delta of version ``v`` is "the people changed in ``v``". The
default publisher sends the shared paged snapshot (and the deltas since the last publish);
the schema-1 per-station snapshot remains behind ``legacy`` for stations not yet ported and
refuses, before publishing anything, a snapshot larger than the broker's packet limit.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import paho.mqtt.client as mqtt
from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

import kiosk_contract as c
from kiosk_central import audit_log
from kiosk_central.clock import now
from kiosk_central.db import get_setting, set_setting
from kiosk_central.publish import Outgoing, PacketTooLarge, publish_all
from kiosk_central.schema import people, roster_versions, settings

if TYPE_CHECKING:
    from kiosk_central.db import CentralDB

log = logging.getLogger(__name__)
K_VERSION, K_PUBLISHED, K_PAGES = "roster_version", "roster_published_version", "roster_pages"


@dataclass(frozen=True)
class ImportResult:
    version: int
    base_version: int
    upserts: int
    removed: int
    versions: int


def import_roster(db: CentralDB, rows: Sequence[c.RosterPerson], source: str = "",
                  actor: str = "central") -> ImportResult:
    """Make ``rows`` the roster (people not listed are removed: inactive, kept)."""
    for p in rows:
        p.check()
    if len({p.external_id for p in rows}) != len(rows):
        raise c.ContractError("the roster lists an external id twice")
    with db.engine.begin() as conn:
        base = int(get_setting(conn, K_VERSION) or 0)
        current = {r[0]: (r[1], bool(r[2]), r[3], r[4], bool(r[5])) for r in conn.execute(
            select(people.c.external_id, people.c.display_name, people.c.active,
                   people.c.group_name, people.c.role, people.c.listed))}
        listed = {p.external_id for p in rows}
        upserts = [p for p in rows if current.get(p.external_id)
                   != (p.display_name, p.active, p.group, p.role, True)]
        removed = sorted(e for e, v in current.items() if e not in listed and v[4])
        deltas = c.split_delta(base, upserts, removed)
        version = _write_versions(conn, db.dialect, base, deltas, source)
        audit_log.append(conn, actor, "roster-imported", source[:200], after={
            "version": version, "base_version": base, "upserts": len(upserts),
            "removed": len(removed), "people": len(rows)})
    return ImportResult(version, base, len(upserts), len(removed), len(deltas))


def _write_versions(conn: Connection, dialect: str, base: int,
                    deltas: Sequence[c.RosterDelta], source: str) -> int:
    """Write the people of ``deltas`` with the version of their change; the new version."""
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(people)
    for d in deltas:
        if d.upserts:
            values = [{"external_id": p.external_id, "display_name": p.display_name,
                       "active": p.active, "group_name": p.group, "role": p.role,
                       "listed": True, "roster_version": d.version} for p in d.upserts]
            conn.execute(ins.on_conflict_do_update(index_elements=["external_id"], set_={
                k: ins.excluded[k] for k in ("display_name", "active", "group_name", "role",
                                             "listed", "roster_version")}), values)
        if d.removed:
            conn.execute(update(people).where(people.c.external_id.in_(d.removed)).values(
                active=False, listed=False, roster_version=d.version))
        conn.execute(roster_versions.insert().values(
            version=d.version, base_version=d.base_version, issued_at=now(),
            upserts=len(d.upserts), removed=len(d.removed), source=source[:200]))
    version = deltas[-1].version if deltas else base
    set_setting(conn, K_VERSION, str(version))
    return version


class StaleRoster(c.ContractError):
    """A delta was written against a version that is not the current one; nothing changed."""

    def __init__(self, base: int, current: int) -> None:
        super().__init__(f"the delta is based on roster version {base}, but central holds "
                         f"version {current}: fetch the current version, rebase the change "
                         "and send it again (nothing was changed)")
        self.base, self.current = base, current


def apply_delta(db: CentralDB, base_version: int, upserts: Sequence[c.RosterPerson],
                deactivate: Sequence[str], source: str = "api", actor: str = "central",
                ) -> ImportResult:
    """Create or update ``upserts`` and deactivate ``deactivate`` (kept on the roster,
    inactive), as the next version(s) after ``base_version``; :class:`StaleRoster` when
    central holds another version, ``KeyError`` naming ids to deactivate that it does not know.
    The same people records and versions as an import, so stations get the same deltas."""
    for p in upserts:
        p.check()
    ids = [p.external_id for p in upserts]
    if len(set(ids)) != len(ids) or set(ids) & set(deactivate):
        raise c.ContractError("the delta names an external id twice")
    with db.engine.begin() as conn:
        held = conn.execute(select(settings.c.value).where(settings.c.key == K_VERSION)
                            .with_for_update()).scalar()
        current = int(held or 0)
        if base_version != current:
            raise StaleRoster(base_version, current)
        names = [*ids, *deactivate]
        now_, listed = {}, set()
        for r in conn.execute(select(people.c.external_id, people.c.display_name,
                                     people.c.active, people.c.group_name, people.c.role,
                                     people.c.listed).where(people.c.external_id.in_(names))):
            now_[r[0]] = c.RosterPerson(r[0], r[1], bool(r[2]), r[3] or "", r[4] or "")
            if r[5]:
                listed.add(r[0])
        unknown = sorted(set(deactivate) - set(now_))
        if unknown:
            raise KeyError(unknown)
        changed = [p for p in upserts
                   if now_.get(p.external_id) != p or p.external_id not in listed]
        changed += [replace(now_[e], active=False) for e in deactivate if now_[e].active]
        deltas = c.split_delta(current, changed, [])
        version = _write_versions(conn, db.dialect, current, deltas, source)
        audit_log.append(conn, actor, "roster-delta", source[:200], after={
            "version": version, "base_version": current, "upserts": len(changed),
            "deactivated": len(deactivate)})
    return ImportResult(version, current, len(changed), 0, len(deltas))


def snapshot_people(conn: Connection, *, listed_only: bool = True) -> list[c.RosterPerson]:
    q = select(people.c.external_id, people.c.display_name, people.c.active,
               people.c.group_name, people.c.role).order_by(people.c.external_id)
    if listed_only:
        q = q.where(people.c.listed.is_(True))
    return [c.RosterPerson(r[0], r[1], bool(r[2]), r[3] or "", r[4] or "")
            for r in conn.execute(q)]


def deltas_since(conn: Connection, after: int, upto: int) -> list[c.RosterDelta]:
    """The deltas ``after+1 .. upto`` rebuilt from the people's change versions (a version
    whose people changed again later is sent empty, so the chain of bases stays whole)."""
    rows = conn.execute(select(people.c.external_id, people.c.display_name, people.c.active,
                               people.c.group_name, people.c.role, people.c.listed,
                               people.c.roster_version).where(
        people.c.roster_version > after, people.c.roster_version <= upto)).all()
    by_version: dict[int, list[Any]] = {}
    for r in rows:
        by_version.setdefault(int(r[6]), []).append(r)
    out = []
    for v in range(after + 1, upto + 1):
        rs = sorted(by_version.get(v, []), key=lambda r: r[0])
        out.append(c.RosterDelta(
            v, v - 1, tuple(c.RosterPerson(r[0], r[1], bool(r[2]), r[3], r[4]) for r in rs
                            if r[5]), tuple(r[0] for r in rs if not r[5])))
    return out


@dataclass(frozen=True)
class PublishResult:
    version: int
    pages: int
    people: int
    deltas: int
    cleared_pages: int
    bytes: int

    def to_json(self) -> dict[str, int]:
        return dict(self.__dict__)


def roster_messages(db: CentralDB, prefix: str, max_packet: int
                    ) -> tuple[list[Outgoing], PublishResult]:
    """Everything one publish sends, in order: deltas since the last publish, the pages, the
    manifest, then empty retained messages for pages the new snapshot no longer has."""
    topics = c.RosterTopics(prefix)
    with db.engine.connect() as conn:
        version = int(get_setting(conn, K_VERSION) or 0)
        published = int(get_setting(conn, K_PUBLISHED) or 0)
        old_pages = int(get_setting(conn, K_PAGES) or 0)
        roster = snapshot_people(conn)
        deltas = deltas_since(conn, published, version) if 0 < published < version else []
    page_limit = min(c.MAX_ROSTER_PAGE_BYTES, max_packet - 512)
    manifest, pages = c.paginate(version, roster, limit=page_limit)
    out = [Outgoing(topics.deltas, d.to_bytes(page_limit), retain=False) for d in deltas]
    out += [Outgoing(topics.page(n), p, retain=True) for n, p in enumerate(pages)]
    out.append(Outgoing(topics.manifest, manifest.to_bytes(), retain=True))
    out += [Outgoing(topics.page(n), b"", retain=True) for n in range(len(pages), old_pages)]
    total = sum(len(o.payload) for o in out)
    return out, PublishResult(version, len(pages), len(roster), len(deltas),
                              max(0, old_pages - len(pages)), total)


def publish_paged(client: mqtt.Client, db: CentralDB, prefix: str, max_packet: int,
                  timeout: float = 60.0, actor: str = "central") -> PublishResult:
    """Publish the shared roster and wait for every PUBACK; raises :class:`PacketTooLarge`
    (nothing published) or ``TimeoutError``."""
    if db.roster_version() == 0:
        raise c.ContractError("no roster imported yet (kiosk-central roster import FILE.csv)")
    out, result = roster_messages(db, prefix, max_packet)
    publish_all(client, out, max_packet, timeout)
    with db.engine.begin() as conn:
        set_setting(conn, K_PUBLISHED, str(result.version))
        set_setting(conn, K_PAGES, str(result.pages))
        audit_log.append(conn, actor, "roster-published", prefix, after=result.to_json())
    return result


def legacy_snapshot(db: CentralDB) -> bytes | None:
    """The schema-1 snapshot payload (None: no roster yet). Its size is checked by the
    publisher against the broker packet limit."""
    version = db.roster_version()
    if version == 0:
        return None
    with db.engine.connect() as conn:
        everyone = snapshot_people(conn, listed_only=False)
    return c.RosterMessage("snapshot", version, tuple(everyone)).to_bytes()


def legacy_messages(db: CentralDB, prefix: str, stations: Sequence[str],
                    max_packet: int) -> list[Outgoing]:
    """One retained snapshot per station, or :class:`PacketTooLarge` before any publish."""
    payload = legacy_snapshot(db)
    if payload is None:
        return []
    out = [Outgoing(c.Topics(prefix, st).roster, payload, retain=True) for st in stations]
    for o in out:
        o.check(max_packet)  # raises before anything was sent
    return out


__all__ = ["ImportResult", "PacketTooLarge", "PublishResult", "StaleRoster", "apply_delta",
           "deltas_since", "import_roster",
           "legacy_messages", "publish_paged", "roster_messages"]
