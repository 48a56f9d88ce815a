"""Write calls: roster push (whole, delta, group) and deletion / consent-withdrawal requests.

A roster change becomes roster versions exactly as a CSV import does (:mod:`kiosk_central.
roster`), and is then published through the same paged publisher the stations read today
(snapshot pages, manifest, and the deltas). A delta is applied only on the version it names:
on any other, 409 and nothing changes.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

import kiosk_contract as c
from kiosk_central import erasure
from kiosk_central.api import models as m
from kiosk_central.api.auth import ctx, require
from kiosk_central.api.context import ApiContext
from kiosk_central.api.errors import ApiError
from kiosk_central.roster import ImportResult, StaleRoster, apply_delta, import_roster
from kiosk_central.schema import people
from kiosk_central.tokens import TokenInfo

router = APIRouter(prefix="/v1")
E: dict[int | str, dict[str, Any]] = {n: {"model": m.ErrorBody}
                                     for n in (401, 403, 409, 413, 422, 503)}
E404: dict[int | str, dict[str, Any]] = {**E, 404: {"model": m.ErrorBody}}
WriteRoster = Annotated[TokenInfo, Depends(require("write:roster"))]
WriteDeletion = Annotated[TokenInfo, Depends(require("write:deletion"))]
Wait = Annotated[float, Query(ge=0, le=60, description="hold the call open up to this many "
                              "seconds until the receipt is complete")]


def _person(p: m.PersonIn) -> c.RosterPerson:
    return c.RosterPerson(p.external_id, p.display_name, p.active, p.group, p.role)


def _checked(people_in: list[m.PersonIn]) -> list[c.RosterPerson]:
    out = [_person(p) for p in people_in]
    try:
        for p in out:
            p.check()
    except c.ContractError as exc:
        raise ApiError(422, "invalid-person", str(exc)) from exc
    return out


def _result(cx: ApiContext, res: ImportResult, token: TokenInfo) -> dict[str, Any]:
    published = None
    if cx.downlink is not None and res.versions:
        try:
            pub = cx.downlink.publish_roster(cx.db, actor=f"api:{token.name}")
        except (TimeoutError, c.ContractError) as exc:
            raise ApiError(502, "not-published", f"roster version {res.version} is stored, "
                           f"but publishing it failed ({exc}); it goes out with the next "
                           "change or `kiosk-central roster publish`") from exc
        published = {"version": pub.version, "pages": pub.pages, "people": pub.people,
                     "deltas": pub.deltas}
    return {"version": res.version, "base_version": res.base_version, "changed": res.upserts,
            "removed": res.removed, "versions": res.versions, "published": published}


def _stale(exc: StaleRoster) -> ApiError:
    return ApiError(409, "stale-roster", str(exc))


@router.post("/roster/delta", response_model=m.RosterResult, responses=E, tags=["roster"])
def roster_delta(request: Request, body: m.RosterDeltaIn, token: WriteRoster
                 ) -> dict[str, Any]:
    """Create or update people and deactivate others, on ``base_version``."""
    cx = ctx(request)
    ups = _checked(body.upsert)
    try:
        res = apply_delta(cx.db, body.base_version, ups, body.deactivate,
                          source=f"api:{token.name}", actor=f"api:{token.name}")
    except StaleRoster as exc:
        raise _stale(exc) from exc
    except KeyError as exc:
        raise ApiError(404, "unknown-person", f"cannot deactivate people central does not "
                       f"know: {exc.args[0][:10]}; nothing was changed") from exc
    except c.ContractError as exc:
        raise ApiError(422, "invalid-request", str(exc)) from exc
    return _result(cx, res, token)


@router.put("/roster", response_model=m.RosterResult, responses=E, tags=["roster"])
def roster_replace(request: Request, body: m.RosterIn, token: WriteRoster) -> dict[str, Any]:
    """Make this list the roster (people not listed are kept, inactive: "removed"), like a
    registrar CSV import."""
    cx = ctx(request)
    rows = _checked(body.people)
    if body.base_version is not None and body.base_version != cx.db.roster_version():
        raise _stale(StaleRoster(body.base_version, cx.db.roster_version()))
    try:
        res = import_roster(cx.db, rows, f"api:{token.name}", actor=f"api:{token.name}")
    except c.ContractError as exc:
        raise ApiError(422, "invalid-request", str(exc)) from exc
    return _result(cx, res, token)


@router.put("/roster/groups/{group}", response_model=m.RosterResult, responses=E404,
            tags=["roster"])
def roster_group(request: Request, group: str, body: m.GroupIn, token: WriteRoster
                 ) -> dict[str, Any]:
    """Set a group's members: the listed people join it, members not listed leave it."""
    cx = ctx(request)
    if not 1 <= len(group) <= 100:
        raise ApiError(422, "invalid-request", "a group name has 1 to 100 characters")
    want = set(body.members)
    with cx.db.engine.connect() as conn:
        rows = conn.execute(select(people.c.external_id, people.c.display_name,
                                   people.c.active, people.c.group_name, people.c.role).where(
            (people.c.external_id.in_(list(want))) | (people.c.group_name == group),
            people.c.listed.is_(True))).all()
    found = {r[0] for r in rows}
    unknown = sorted(want - found)
    if unknown:
        raise ApiError(404, "unknown-person", f"not on the roster: {unknown[:10]}; nothing "
                       "was changed")
    ups = [c.RosterPerson(r[0], r[1], bool(r[2]), group if r[0] in want else "", r[4] or "")
           for r in rows if (r[0] in want) != (r[3] == group)]
    try:
        res = apply_delta(cx.db, body.base_version, ups, [], source=f"api:{token.name}",
                          actor=f"api:{token.name}")
    except StaleRoster as exc:
        raise _stale(exc) from exc
    return _result(cx, res, token)


async def _erasure(request: Request, person: str, kind: erasure.Kind, body: m.ErasureIn,
                   token: TokenInfo, wait: float) -> dict[str, Any]:
    cx = ctx(request)
    request.state.subject = person
    try:
        req = await run_in_threadpool(erasure.request, cx.db, person, kind,
                                      actor=f"api:{token.name}", reason=body.reason)
    except erasure.UnknownPerson as exc:
        raise ApiError(404, "unknown-person", f"central holds nothing about {person!r}; "
                       "nothing was changed") from exc
    published = None
    if cx.downlink is not None:
        published = await run_in_threadpool(cx.downlink.publish_deletions, cx.db,
                                            req.requests)
    got = await _wait(cx, req.erasure_id, wait)
    return {**got, "published": published}


async def _wait(cx: ApiContext, eid: str, wait: float) -> dict[str, Any]:
    """The erasure's state once complete, or as it stands after ``wait`` seconds."""
    deadline = time.monotonic() + min(wait, cx.cfg.max_wait_s)

    def read() -> dict[str, Any] | None:
        with cx.db.engine.connect() as conn:
            return erasure.state(conn, eid)

    while True:
        got = await run_in_threadpool(read)
        if got is None:
            raise ApiError(404, "unknown-deletion", f"no deletion request {eid}")
        if got["complete"] or time.monotonic() >= deadline:
            return got
        await anyio.sleep(0.2)


@router.post("/people/{person:path}/deletion", response_model=m.Erasure, status_code=202,
             responses=E404, tags=["deletion"])
async def delete_person(request: Request, person: str, body: m.ErasureIn,
                        token: WriteDeletion, wait: Wait = 0) -> dict[str, Any]:
    """Delete a person's biometric data everywhere: central's copies at once, and a request
    to every station. The answer is the receipt per place; ``complete`` once every station's
    database and sensor are done (``wait=`` holds the call until then, or poll
    ``GET /v1/deletions/{id}``). The person becomes inactive."""
    return await _erasure(request, person, "deletion", body, token, wait)


@router.post("/people/{person:path}/consent-withdrawal", response_model=m.Erasure,
             status_code=202, responses=E404, tags=["deletion"])
async def withdraw(request: Request, person: str, body: m.ErasureIn, token: WriteDeletion,
                   wait: Wait = 0) -> dict[str, Any]:
    """Record a consent withdrawal and delete the person's biometric data everywhere (the
    person stays on the roster; a template enrolled before it is refused if it arrives)."""
    return await _erasure(request, person, "withdrawal", body, token, wait)


@router.get("/deletions/{erasure_id}", response_model=m.Erasure, responses=E404,
            tags=["deletion"])
async def deletion(request: Request, erasure_id: str, _t: WriteDeletion, wait: Wait = 0
                   ) -> dict[str, Any]:
    """A deletion or withdrawal request's receipt as it stands (or once complete)."""
    return await _wait(ctx(request), erasure_id, wait)
