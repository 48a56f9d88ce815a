"""Deletion and consent-withdrawal requests through the API, answered with the receipt per
place as the stations complete it (real uvicorn, Mosquitto, ingest; the stations are schema-2
senders that answer the way the contract says a ported station does)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

import kiosk_contract as c
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.central.api_helpers import (  # noqa: F401
    ApiServer,
    api_factory,
    broker_settings,
    make_token,
)
from tests.central.conftest import Sender
from tests.central.samples import new_id, template_v2
from tests.fixtures.broker import MosquittoBroker, wait_until

pytestmark = pytest.mark.timeout(120)
PERSON = "P-00042"


def _enrolled(s: Sender, key: KeyPair, finger: str = "right-index") -> str:
    tm, _ = template_v2(key, station=s.station, person=PERSON, finger=finger)
    s.send("templates", tm.to_bytes(), tm.msg_id)
    assert s.wait_verdicts([tm.msg_id or ""])[tm.msg_id or ""].status == "stored"
    return tm.meta.uuid


def _request(s: Sender) -> c.DeletionRequest:
    wait_until(lambda: any(t.endswith("/deletions") for t, _, _ in s.down), 10,
               what=f"deletion request to {s.station}")
    return c.DeletionRequest.parse(next(p for t, p, _ in s.down if t.endswith("/deletions")))


def _answer(s: Sender, req: c.DeletionRequest, uuids: tuple[str, ...], sensor: c.SensorPlace,
            uuid: str | None = None) -> str:
    r = c.DeletionReceipt(uuid or new_id(), req.request_id, req.person, s.station, uuids,
                          c.utc_now_iso(), new_id(), req.cause, c.ReceiptPlaces(sensor))
    s.send("deletion-receipts", r.to_bytes(), r.msg_id)
    assert s.wait_verdicts([r.msg_id or ""])[r.msg_id or ""].status == "stored"
    return r.uuid


def test_a_deletion_returns_its_receipt_complete_only_when_every_place_is_done(
    broker: MosquittoBroker, ingest_factory: Callable[..., Ingest],
    sender_factory: Callable[..., Sender], central_key: KeyPair, central_db_url: str,
    api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    ingest_factory()
    a, b = sender_factory("station-01"), sender_factory("station-02")
    a.status()
    b.status()
    ua, ub = _enrolled(a, central_key), _enrolled(b, central_key, "left-thumb")
    api = api_factory(central_db_url, broker=broker_settings(broker))
    token = make_token(central_db_url, "write:deletion", "read:status")
    with api.client(token) as cl:
        r = cl.post(f"/v1/people/{PERSON}/deletion", json={"reason": "left the school"})
        assert r.status_code == 202, r.text
        got = r.json()
        assert got["published"] is True and got["complete"] is False
        assert got["central"] == {"state": "done", "templates_deleted": 2}
        assert got["waiting_for"] == ["station-01", "station-02"]
        assert CentralDB(central_db_url).template_rows(PERSON) == []  # central: at once
        ra, rb = _request(a), _request(b)
        assert (ra.cause, rb.cause) == ("central-request", "central-request")

        _answer(a, ra, (ua,), "done")
        receipt_b = _answer(b, rb, (ub,), "pending")  # its sensor is unplugged
        now = cl.get(f"/v1/deletions/{got['id']}").json()
        assert [(s["station"], s["complete"]) for s in now["stations"]] == [
            ("station-01", True), ("station-02", False)]
        assert now["stations"][1]["places"] == {"station_db": "done", "sensor": "pending",
                                                "central": "done"}
        assert now["complete"] is False and now["waiting_for"] == ["station-02"]

        # A caller holding the request open gets the receipt the moment it completes.
        answer: list[dict[str, Any]] = []
        waiting = threading.Thread(target=lambda: answer.append(cl.get(
            f"/v1/deletions/{got['id']}", params={"wait": 30}).json()))
        waiting.start()
        _answer(b, rb, (ub,), "done", uuid=receipt_b)  # the sensor is back and cleared
        waiting.join(30)
        assert answer and answer[0]["complete"] is True and answer[0]["waiting_for"] == []
        status = cl.get(f"/v1/enrollments/{PERSON}").json()
        assert status["biometric"] == "deleted" and status["active"] is False
        assert cl.get("/v1/deletions/nope").status_code == 404
        missing = cl.post("/v1/people/NOBODY/deletion", json={"reason": "x"})
        assert missing.status_code == 404 and "nothing was changed" in missing.json()["message"]
        empty = cl.post(f"/v1/people/{PERSON}/deletion", json={"reason": ""})
        assert empty.status_code == 422 and "reason" in empty.json()["message"]


def test_a_withdrawal_keeps_the_person_and_refuses_a_late_template(
    broker: MosquittoBroker, ingest_factory: Callable[..., Ingest],
    sender_factory: Callable[..., Sender], central_key: KeyPair, central_db_url: str,
    api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    ingest_factory()
    a = sender_factory("station-01")
    a.status()
    ua = _enrolled(a, central_key)
    late, _ = template_v2(central_key, station=a.station, person=PERSON, finger="left-ring")
    api = api_factory(central_db_url, broker=broker_settings(broker))
    with api.client(make_token(central_db_url, "write:deletion", "read:status")) as cl:
        r = cl.post(f"/v1/people/{PERSON}/consent-withdrawal",
                    json={"reason": "withdrew by e-mail"}, params={"wait": 0})
        assert r.status_code == 202 and r.json()["kind"] == "withdrawal"
        req = _request(a)
        assert req.cause == "withdrawal"
        a.send("templates", late.to_bytes(), late.msg_id)  # enrolled before the withdrawal
        v = a.wait_verdicts([late.msg_id or ""])[late.msg_id or ""]
        assert (v.status, v.reason) == ("rejected", "consent-withdrawn")
        _answer(a, req, (ua,), "done")
        done = cl.get(f"/v1/deletions/{r.json()['id']}", params={"wait": 10}).json()
        assert done["complete"] is True
        st = cl.get(f"/v1/enrollments/{PERSON}").json()
    assert st["active"] is True and st["consent"]["state"] == "withdrawn"
    assert st["biometric"] == "deleted"
