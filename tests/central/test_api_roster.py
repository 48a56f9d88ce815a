"""Roster push through the API becomes the paged roster stations read (as a station's account
sees it on a real Mosquitto, assembled by the contract's own assembler), also as deltas; a
delta on a stale version, malformed JSON, an oversized body, unknown people and bad fields
are refused with a clear message and change nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import kiosk_contract as c
from kiosk_central.db import CentralDB
from tests.central.api_helpers import (  # noqa: F401
    ApiServer,
    api_factory,
    broker_settings,
    make_token,
)
from tests.central.test_roster_publish import assemble_from, station_view
from tests.fixtures.broker import MosquittoBroker, wait_until

pytestmark = pytest.mark.timeout(120)


def person(i: int, **kw: object) -> dict[str, object]:
    return {"external_id": f"S-{i:05d}", "display_name": f"Student {i}", "active": True,
            "group": f"Y{i % 7}", "role": "student", **kw}


def test_roster_push_reaches_stations_as_snapshot_and_deltas(
    broker: MosquittoBroker, central_db_url: str, api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    api = api_factory(central_db_url, broker=broker_settings(broker))
    st, asm = station_view(broker)
    with api.client(make_token(central_db_url, "write:roster", "read:status")) as cl:
        r = cl.put("/v1/roster", json={"people": [person(i) for i in range(3000)]})
        assert r.status_code == 200, r.text
        v1 = r.json()["version"]
        assert r.json()["published"]["version"] == v1 and r.json()["published"]["pages"] > 1
        snaps: list[c.RosterSnapshot] = []

        def assembled() -> bool:
            got = assemble_from(st, asm)
            if got is not None:
                snaps.append(got)
            return bool(snaps)

        wait_until(assembled, 20, what="the station assembled the snapshot")
        assert snaps[-1].version == v1 and len(snaps[-1].people) == 3000
        assert snaps[-1].people[5] == c.RosterPerson("S-00005", "Student 5", True, "Y5",
                                                     "student")

        d = cl.post("/v1/roster/delta", json={
            "base_version": v1, "upsert": [person(1, display_name="Renamed"), person(9000)],
            "deactivate": ["S-00002"]})
        assert d.status_code == 200, d.text
        v2 = d.json()["version"]
        assert v2 == v1 + 1 and d.json()["changed"] == 3 and d.json()["published"]["deltas"] == 1
        wait_until(lambda: st.received("deltas"), 10, what="the delta")
        delta = c.RosterDelta.parse(st.received("deltas")[-1].payload)
        assert (delta.base_version, delta.version) == (v1, v2)
        assert {p.external_id: (p.display_name, p.active) for p in delta.upserts} == {
            "S-00001": ("Renamed", True), "S-09000": ("Student 9000", True),
            "S-00002": ("Student 2", False)}

        st.messages.clear()
        stale = cl.post("/v1/roster/delta", json={"base_version": v1, "upsert": [person(1)]})
        assert stale.status_code == 409 and stale.json()["error"] == "stale-roster"
        assert f"version {v1}" in stale.json()["message"] and f"version {v2}" in \
            stale.json()["message"] and "nothing was changed" in stale.json()["message"]
        assert CentralDB(central_db_url).roster_version() == v2
        assert cl.put("/v1/roster", json={"people": [person(1)], "base_version": v1}
                      ).status_code == 409

        g = cl.put("/v1/roster/groups/Chess club", json={
            "base_version": v2, "members": ["S-00010", "S-00011"]})
        assert g.status_code == 200 and g.json()["changed"] == 2, g.text
        g2 = cl.put("/v1/roster/groups/Chess club", json={
            "base_version": g.json()["version"], "members": ["S-00011"]})
        assert g2.json()["changed"] == 1  # S-00010 left the group
        groups = {x["group"]: x["people"] for x in cl.get("/v1/roster/groups").json()}
        assert groups["Chess club"] == 1
        info = cl.get("/v1/roster").json()
        assert info["version"] == info["published_version"] == g2.json()["version"]
        assert info["people"] == 3001 and info["active"] == 3000
    wait_until(lambda: len(st.received("deltas")) == 2, 10, what="the group deltas")
    st.close()


def test_bad_roster_input_is_refused_clearly_and_changes_nothing(
    central_db_url: str, api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    db = CentralDB(central_db_url)
    db.import_people([("S-00001", "Student 1", True)])
    api = api_factory(central_db_url, max_body=64 * 1024)
    before = (db.roster_version(), db.people_rows())
    v = db.roster_version()
    with api.client(make_token(central_db_url, "write:roster")) as cl:
        cases = [
            (cl.post("/v1/roster/delta", content=b'{"base_version": 1, "upsert": [',
                     headers={"Content-Type": "application/json"}),
             400, "malformed-json", "not valid JSON"),
            (cl.put("/v1/roster", json={"people": [person(i) for i in range(2000)]}),
             413, "body-too-large", "65536 bytes"),
            (cl.post("/v1/roster/delta", json={"base_version": v, "deactivate": ["NOBODY"]}),
             404, "unknown-person", "NOBODY"),
            (cl.post("/v1/roster/delta", json={"base_version": v,
                                               "upsert": [person(1, display_name="x" * 201)]}),
             422, "invalid-request", "display_name"),
            (cl.post("/v1/roster/delta", json={"base_version": v,
                                               "upsert": [person(1, shoe_size=42)]}),
             422, "invalid-request", "shoe_size"),
            (cl.post("/v1/roster/delta", json={"base_version": v,
                                               "upsert": [person(1, display_name="a\x00b")]}),
             422, "invalid-person", "control characters"),
            (cl.post("/v1/roster/delta", json={"base_version": v, "upsert": [person(1)],
                                               "deactivate": ["S-00001"]}),
             422, "invalid-request", "twice"),
            (cl.post("/v1/roster/delta", json=[1, 2]), 422, "invalid-request", "body"),
            (cl.get("/v1/no-such-thing"), 404, "not-found", "no such endpoint"),
        ]
        # A chunked body (no Content-Length) over the limit is cut off as well.
        chunked = cl.put("/v1/roster", content=iter([b'{"people": [', b" " * 70_000, b"]}"]),
                         headers={"Content-Type": "application/json"})
    cases.append((chunked, 413, "body-too-large", "limit"))
    for r, status, code, words in cases:
        assert (r.status_code, r.json()["error"]) == (status, code), r.text
        assert words in r.json()["message"], r.json()
        assert "Traceback" not in r.text
    assert (db.roster_version(), db.people_rows()) == before
