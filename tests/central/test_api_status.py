"""Enrollment status, figures and subject reports through the API, fed by the real ingest
over a real Mosquitto: per person and per finger, paged by external id and incrementally by
``since=`` (a poller misses nothing and sees each change once it happened)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

import kiosk_contract as c
from kiosk_central.cli import main as central_cli
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.central.api_helpers import ApiServer, api_factory, make_token  # noqa: F401
from tests.central.conftest import Sender
from tests.central.samples import new_id, template_v2

pytestmark = pytest.mark.timeout(120)


def _send_templates(s: Sender, key: KeyPair, items: list[tuple[str, str]]
                    ) -> dict[str, tuple[str, bytes]]:
    sent = {}
    for person, finger in items:
        tm, data = template_v2(key, station=s.station, person=person, finger=finger)
        s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
        sent[tm.msg_id or ""] = (tm.meta.uuid, data)
    got = s.wait_verdicts(list(sent))
    assert {v.status for v in got.values()} == {"stored"}
    return sent


def _attempt(s: Sender, person: str, outcome: c.AttemptOutcome, seconds: float,
             operator: str = "alice", template: str | None = None) -> str:
    start = datetime.now(UTC) - timedelta(seconds=seconds)
    a = c.AttemptMessage(new_id(), new_id(), s.station, person, c.Finger.RIGHT_INDEX,
                         operator, outcome, None if outcome == "enrolled" else "low-quality",
                         1, 3, start.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                         c.utc_now_iso(), template)
    s.send("attempts", a.to_bytes(), a.msg_id)
    return a.msg_id


def test_status_per_person_and_finger_paged_and_polled_since(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair, central_db_url: str, api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    ingest_factory()
    s = sender_factory()
    api = api_factory(central_db_url)
    with api.client(make_token(central_db_url, "read:status")) as cl:
        first = cl.get("/v1/enrollments", params={"limit": 100})
        assert first.status_code == 200
        page = first.json()
        assert len(page["items"]) == 100 and page["next_after"] == "P-00099"
        assert {i["biometric"] for i in page["items"]} == {"not-registered"}
        cursor = page["cursor"]
        assert cl.get("/v1/enrollments", params={"since": cursor}).json()["items"] == []

        sent = _send_templates(s, central_key, [("P-00001", "right-index"),
                                                ("P-00001", "left-index"),
                                                ("P-00150", "right-thumb")])
        one = cl.get("/v1/enrollments/P-00001").json()
        assert one["biometric"] == "registered" and one["display_name"] == "Person 1"
        assert [(f["finger"], f["state"], f["station"]) for f in one["fingers"]] == [
            ("left-index", "enrolled", "station-01"), ("right-index", "enrolled", "station-01")]
        body = json.dumps(one)
        for _u, data in sent.values():  # never the bytes, in any encoding
            assert base64.b64encode(data).decode() not in body and data.hex() not in body

        changed = cl.get("/v1/enrollments", params={"since": cursor, "limit": 1}).json()
        assert [i["person"] for i in changed["items"]] == ["P-00001"]
        more = cl.get("/v1/enrollments", params={"since": changed["next_since"]}).json()
        assert [i["person"] for i in more["items"]] == ["P-00150"]
        assert more["next_since"] is None
        cursor = more["cursor"]

        # A deletion receipt from the station: the finger shows deleted, with its cause.
        uuid = next(u for u, _ in sent.values() if u)
        r = c.DeletionReceipt(new_id(), None, "P-00001", s.station, (uuid,), c.utc_now_iso(),
                              new_id(), c.DeletionCause.FINGER_REMOVED,
                              c.ReceiptPlaces("done"))
        s.send("deletion-receipts", r.to_bytes(), r.msg_id)
        s.wait_verdicts([r.msg_id or ""])
        after = cl.get("/v1/enrollments", params={"since": cursor}).json()
        assert [i["person"] for i in after["items"]] == ["P-00001"]
        states = {f["finger"]: f["state"] for f in after["items"][0]["fingers"]}
        assert sorted(states.values()) == ["deleted", "enrolled"]
        deleted = next(f for f in after["items"][0]["fingers"] if f["state"] == "deleted")
        assert deleted["cause"] == "finger-removed" and deleted["template"] == uuid

        # paging over the whole roster reaches everyone exactly once
        seen, after_id = [], None
        while True:
            params: dict[str, str | int] = {"limit": 120}
            if after_id:
                params["after"] = after_id
            p = cl.get("/v1/enrollments", params=params).json()
            seen += [i["person"] for i in p["items"]]
            after_id = p["next_after"]
            if after_id is None:
                break
        assert len(seen) == len(set(seen)) == 300

        missing = cl.get("/v1/enrollments/NOBODY")
        assert missing.status_code == 404 and missing.json()["error"] == "unknown-person"
        both = cl.get("/v1/enrollments", params={"since": 0, "after": "P-1"})
        assert both.status_code == 422 and "not both" in both.json()["message"]
        bad = cl.get("/v1/enrollments", params={"limit": 100000})
        assert bad.status_code == 422 and "limit" in bad.json()["message"]


def test_figures_in_the_api_and_the_report_command(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair, central_db_url: str, api_factory: Callable[..., ApiServer],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    ingest_factory()
    a, b = sender_factory("station-01"), sender_factory("station-02")
    ids = [_attempt(a, "P-00001", c.AttemptOutcome.ENROLLED, 20, template=new_id()),
           _attempt(a, "P-00002", c.AttemptOutcome.ENROLLED, 40, template=new_id()),
           _attempt(a, "P-00003", c.AttemptOutcome.FAILED, 60),
           _attempt(a, "P-00004", c.AttemptOutcome.CANCELLED, 5)]
    a.wait_verdicts(ids)
    bid = [_attempt(b, "P-00005", c.AttemptOutcome.ENROLLED, 30, operator="bob",
                    template=new_id()),
           _attempt(b, "P-00006", c.AttemptOutcome.TIMED_OUT, 90, operator="bob")]
    b.wait_verdicts(bid)
    api = api_factory(central_db_url)
    with api.client(make_token(central_db_url, "read:status")) as cl:
        f = cl.get("/v1/figures").json()
        today = datetime.now(UTC).strftime("%Y-%m-%d")
        only_a = cl.get("/v1/figures", params={"station": "station-01", "from": today}).json()
        bad = cl.get("/v1/figures", params={"from": "yesterday"})
    assert f["attempts"] == 6 and f["enrollments"] == 3
    assert f["failure_to_enroll_rate"] == 0.4  # 2 failed of 5 judged; cancelled is not one
    assert f["median_enrollment_s"] == pytest.approx(30, abs=1.5)
    assert {d["station"]: d["enrollments"] for d in f["per_station"]} == {
        "station-01": 2, "station-02": 1}
    assert {d["operator"]: d["enrollments"] for d in f["per_operator"]} == {"alice": 2, "bob": 1}
    assert sum(d["enrollments"] for d in f["per_day"]) == 3
    assert only_a["enrollments"] == 2 and only_a["failure_to_enroll_rate"] == pytest.approx(1 / 3,
                                                                                           abs=1e-3)
    assert bad.status_code == 422 and "from" in bad.json()["message"]
    assert central_cli(["report", "--db", central_db_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["failure_to_enroll_rate"] == 0.4
    assert central_cli(["report", "--db", central_db_url, "--station", "station-02"]) == 0
    out = capsys.readouterr().out
    assert "failure to enroll 50.0%" in out and "bob" in out


def test_subject_report_through_the_api_holds_no_template_bytes(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair, central_db_url: str, api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    ingest_factory()
    s = sender_factory()
    sent = _send_templates(s, central_key, [("P-00007", "right-index")])
    api = api_factory(central_db_url)
    with api.client(make_token(central_db_url, "read:audit")) as cl:
        r = cl.get("/v1/people/P-00007/subject-report")
        nobody = cl.get("/v1/people/NOBODY/subject-report")
    assert r.status_code == 200 and r.json()["templates_held"] == 1
    (_uuid, data), = sent.values()
    assert base64.b64encode(data).decode() not in r.text and data.hex() not in r.text
    assert nobody.status_code == 404 and nobody.json()["error"] == "unknown-person"
