"""Read calls: enrollment status, the station list, figures, subject reports, audit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import func, select

from kiosk_central import audit_log, fleet, status
from kiosk_central.api import models as m
from kiosk_central.api.auth import ctx, require
from kiosk_central.api.errors import ApiError
from kiosk_central.figures import figures
from kiosk_central.reports import subject_report
from kiosk_central.schema import central_audit, people
from kiosk_central.tokens import TokenInfo

router = APIRouter(prefix="/v1")
E: dict[int | str, dict[str, Any]] = {n: {"model": m.ErrorBody} for n in (401, 403, 503)}
E404: dict[int | str, dict[str, Any]] = {**E, 404: {"model": m.ErrorBody}}
ReadStatus = Annotated[TokenInfo, Depends(require("read:status"))]
ReadAudit = Annotated[TokenInfo, Depends(require("read:audit"))]
DAY = r"^\d{4}-\d{2}-\d{2}$"


@router.get("/health", response_model=m.Health, tags=["health"])
def health(request: Request) -> dict[str, Any]:
    """For load balancers: no token, not audited, says nothing about anyone."""
    try:
        with ctx(request).reader.connect() as conn:
            conn.execute(select(1))
    except Exception:
        return {"ok": False, "database": "down"}
    return {"ok": True, "database": "up"}


@router.get("/enrollments", response_model=m.StatusPage, responses=E, tags=["status"])
def enrollments(
    request: Request, _t: ReadStatus,
    after: Annotated[str | None, Query(max_length=128, description="continue after this "
                                       "external id (roster order)")] = None,
    since: Annotated[int | None, Query(ge=0, description="only people whose status changed "
                                       "after this cursor (incremental polling)")] = None,
    limit: Annotated[int, Query(ge=1, le=status.MAX_PAGE)] = 100,
) -> dict[str, Any]:
    """Enrollment status of every person on the roster (``after=`` pages), or of the people
    whose status changed since a cursor (``since=``; each page's ``cursor`` is where to poll
    from next). A person's status: roster entry, consent, and per finger enrolled or deleted."""
    if after is not None and since is not None:
        raise ApiError(422, "invalid-request", "give after= or since=, not both")
    with ctx(request).reader.connect() as conn:
        page = (status.changes_page(conn, since, limit) if since is not None
                else status.roster_page(conn, after, limit))
    return {"items": page.items, "next_after": page.next_after, "next_since": page.next_since,
            "cursor": page.cursor}


@router.get("/enrollments/{person:path}", response_model=m.PersonStatus, responses=E404,
            tags=["status"])
def enrollment(request: Request, person: str, _t: ReadStatus) -> dict[str, Any]:
    """One person's enrollment status (what the person page shows)."""
    request.state.subject = person
    with ctx(request).reader.connect() as conn:
        got = status.statuses(conn, [person]).get(person)
    if got is None:
        raise ApiError(404, "unknown-person", f"central knows no person {person!r} (not on "
                       "the roster, nothing enrolled)")
    return got


@router.get("/stations", response_model=list[m.Station], responses=E, tags=["fleet"],
            response_model_by_alias=True)
def stations(request: Request, _t: ReadStatus) -> list[dict[str, Any]]:
    """Every station: online or offline since when, software, clock skew, backlog, sensor,
    roster version, last error, open deletion requests."""
    c = ctx(request)
    with c.reader.connect() as conn:
        return fleet.station_list(conn, heartbeat_s=c.cfg.heartbeat_s, at=c.clock())


@router.get("/stations/{station}", response_model=m.Station, responses=E404, tags=["fleet"])
def station(request: Request, station: str, _t: ReadStatus) -> dict[str, Any]:
    c = ctx(request)
    with c.reader.connect() as conn:
        got = fleet.station_list(conn, heartbeat_s=c.cfg.heartbeat_s, at=c.clock(),
                                 station=station)
    if not got:
        raise ApiError(404, "unknown-station", f"central has never heard of {station!r}")
    return got[0]


@router.get("/figures", response_model=m.Figures, responses=E, tags=["figures"],
            response_model_by_alias=True)
def figures_(
    request: Request, _t: ReadStatus,
    from_: Annotated[str | None, Query(alias="from", pattern=DAY,
                                       description="first day, YYYY-MM-DD (UTC)")] = None,
    to: Annotated[str | None, Query(pattern=DAY, description="last day")] = None,
    station: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """Enrollments per day, station and operator; failure-to-enroll rate; median time per
    enrollment (from the attempts stations sync)."""
    with ctx(request).reader.connect() as conn:
        return figures(conn, day_from=from_, day_to=to, station=station)


@router.get("/people/{person:path}/subject-report", responses=E404, tags=["audit"])
def subject(request: Request, person: str, _t: ReadAudit) -> dict[str, Any]:
    """Everything central holds about one person (GDPR Art. 15), never template bytes."""
    request.state.subject = person
    c = ctx(request)
    report = subject_report(c.db, person)
    if report["on_roster"] is None and not (report["consents"] or report[
            "enrollments_by_finger"] or report["deletion_requests"] or report["attempts"]):
        raise ApiError(404, "unknown-person", f"central holds nothing about {person!r}")
    return report


@router.get("/audit", response_model=m.AuditPage, responses=E, tags=["audit"])
def audit(request: Request, _t: ReadAudit,
          after: Annotated[int, Query(ge=0, description="entries after this seq")] = 0,
          limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:
    """Central's audit log (hash-chained), oldest first."""
    with ctx(request).reader.connect() as conn:
        rows = conn.execute(select(central_audit).where(central_audit.c.seq > after)
                            .order_by(central_audit.c.seq).limit(limit + 1)).mappings().all()
    items = [dict(r) for r in rows[:limit]]
    return {"items": items, "next_after": items[-1]["seq"] if len(rows) > limit else None}


@router.get("/audit/verify", response_model=m.ChainReport, responses=E, tags=["audit"])
def audit_verify(request: Request, _t: ReadAudit,
                 station: Annotated[str | None, Query(max_length=64, description="a "
                                                      "station's chain; default central's")]
                 = None) -> dict[str, Any]:
    with ctx(request).reader.connect() as conn:
        rep = (audit_log.verify_station(conn, station) if station
               else audit_log.verify_central(conn))
    return rep.to_json()


@router.get("/roster", response_model=m.RosterInfo, responses=E, tags=["roster"])
def roster_info(request: Request, _t: ReadStatus) -> dict[str, Any]:
    db = ctx(request).db
    with db.engine.connect() as conn:
        total, active = conn.execute(select(func.count(), func.count().filter(
            people.c.active.is_(True))).where(people.c.listed.is_(True))).one()
    return {"version": db.roster_version(), "people": total, "active": active,
            "published_version": int(db.get_setting("roster_published_version") or 0)}


@router.get("/roster/groups", response_model=list[m.Group], responses=E, tags=["roster"])
def groups(request: Request, _t: ReadStatus) -> list[dict[str, Any]]:
    with ctx(request).reader.connect() as conn:
        rows = conn.execute(select(people.c.group_name, func.count(), func.count().filter(
            people.c.active.is_(True))).where(people.c.listed.is_(True), people.c.group_name
                                               != "").group_by(people.c.group_name)
            .order_by(people.c.group_name)).all()
    return [{"group": g, "people": n, "active": a} for g, n, a in rows]
