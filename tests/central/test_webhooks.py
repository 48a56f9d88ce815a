"""Webhooks on real parts: events the real ingest commits are POSTed, signed, to a real HTTP
receiver started here. A receiver down for an hour gets every event, in order, once it is
back (the hour passes on a controllable clock, so the back-off is real but the test is
quick); an event refused past the retry window goes to the dead-letter list and is replayed
from it; the dispatcher thread delivers within moments of the commit."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

import kiosk_contract as c
from kiosk_central import events, webhooks
from kiosk_central.cli import main as central_cli
from kiosk_central.clock import now
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_central.schema import events as events_table
from kiosk_contract.sealing import KeyPair
from tests.central.api_helpers import ApiServer, Receiver, api_factory, receiver  # noqa: F401
from tests.central.conftest import Sender
from tests.central.samples import new_id, template_v2
from tests.fixtures.broker import wait_until

pytestmark = pytest.mark.timeout(120)


class Clock:
    """Central's clock for the dispatcher, moved by the test."""

    def __init__(self) -> None:
        self.t = now()

    def __call__(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


def _enroll(s: Sender, key: KeyPair, n: int, start: int = 0) -> list[str]:
    sent = []
    for i in range(start, start + n):
        tm, _ = template_v2(key, station=s.station, person=f"P-{i:05d}")
        s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
        sent.append(tm)
    got = s.wait_verdicts([tm.msg_id or "" for tm in sent])
    assert {v.status for v in got.values()} == {"stored"}
    return [tm.meta.uuid for tm in sent]


def _feed(db: CentralDB) -> list[tuple[int, str, str]]:
    with db.engine.connect() as conn:
        return [(int(s), i, k) for s, i, k in conn.execute(select(
            events_table.c.seq, events_table.c.id, events_table.c.kind).order_by(
            events_table.c.seq))]


def test_a_receiver_down_for_an_hour_gets_every_event_in_order_once_back(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair, central_db_url: str, receiver: Receiver,  # noqa: F811
) -> None:
    ing = ingest_factory()
    s = sender_factory()
    db = CentralDB(central_db_url)
    sid, _ = webhooks.add(db, receiver.url, secret=receiver.secret)
    clock = Clock()
    d = webhooks.Dispatcher(db, clock=clock)
    receiver.up = False  # answering 503 …
    uuids = _enroll(s, central_key, 10)
    refused = 0
    for minute in range(60):  # … for an hour, while stations keep enrolling and deleting
        if minute == 20:
            receiver.close()  # … and for a while not listening at all
        if minute == 40:
            receiver.open()
        if minute == 30:
            uuids += _enroll(s, central_key, 5, start=100)
            r = c.DeletionReceipt(new_id(), None, "P-00003", s.station, (uuids[3],),
                                  c.utc_now_iso(), new_id(), c.DeletionCause.DESK,
                                  c.ReceiptPlaces("done"))
            s.send("deletion-receipts", r.to_bytes(), r.msg_id)
            s.wait_verdicts([r.msg_id or ""])
        for _ in range(6):
            clock.advance(10)
            assert d.tick() == 0
        refused = receiver.posts
    assert 10 <= refused <= 30  # backed off (1 s doubling to 5 min), not hammered
    assert webhooks.dead_letters(db, sid) == []  # an hour is inside the retry window
    assert webhooks.listing(db)[0]["failing_since"] is not None

    receiver.up = True
    clock.advance(300)  # the longest back-off
    wait_until(lambda: d.tick() == 0 and len(receiver.events()) >= 16, 30,
               what="every event delivered")
    want = [(seq, eid) for seq, eid, kind in _feed(db) if kind in events.WEBHOOK_DEFAULT]
    assert len(want) == 16  # 15 enrollments and 1 deletion
    got = receiver.events()
    assert [(e["seq"], e["id"]) for e in got] == want  # in order, none lost, none twice
    assert receiver.keys == {eid for _s, eid in want}  # each with its idempotency key
    assert all(r.valid for r in receiver.got)  # every delivery was signed
    assert [e["type"] for e in got].count("enrollment.deleted") == 1
    deleted = next(e for e in got if e["type"] == "enrollment.deleted")
    assert deleted["data"]["template"] == uuids[3] and deleted["data"]["cause"] == "desk"
    assert all("data_b64" not in json.dumps(e) and "sealed" not in e["data"] for e in got)
    assert webhooks.listing(db)[0]["behind"] == 0 and ing.counts["worker-error"] == 0


def test_past_the_retry_window_an_event_is_dead_lettered_and_replayed_in_order(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair, central_db_url: str, receiver: Receiver,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    ingest_factory()
    s = sender_factory()
    db = CentralDB(central_db_url)
    sid, _ = webhooks.add(db, receiver.url, secret=receiver.secret)
    clock = Clock()
    d = webhooks.Dispatcher(db, clock=clock, policy=webhooks.RetryPolicy(
        give_up_after_s=600))
    receiver.up = False
    _enroll(s, central_key, 3)
    for _ in range(400):  # 400 × 10 s: each event's ten minutes run out in turn
        clock.advance(10)
        d.tick()
    dead = webhooks.dead_letters(db, sid)
    assert [x["seq"] for x in dead] == [seq for seq, _i, _k in _feed(db)]
    assert all(x["attempts"] > 3 and x["last_error"] == "HTTP 503" for x in dead)
    assert central_cli(["webhook", "dead", sid, "--db", central_db_url]) == 0
    assert "HTTP 503" in capsys.readouterr().out
    receiver.up = True
    _enroll(s, central_key, 1, start=50)  # a newer event, after the dead ones
    assert central_cli(["webhook", "replay", sid, "--db", central_db_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["queued"] == 3
    wait_until(lambda: d.tick() == 0 and len(receiver.events()) == 4, 20, what="replayed")
    assert [e["seq"] for e in receiver.events()] == [seq for seq, _i, _k in _feed(db)]
    assert webhooks.dead_letters(db, sid) == []
    assert central_cli(["webhook", "list", "--db", central_db_url]) == 0
    assert "4 delivered, 0 behind, 0 dead" in capsys.readouterr().out


def test_dispatchers_of_two_api_processes_deliver_in_order_within_moments(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_key: KeyPair, central_db_url: str, receiver: Receiver,  # noqa: F811
    api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    ingest_factory()
    s = sender_factory()
    db = CentralDB(central_db_url)
    webhooks.add(db, receiver.url, secret=receiver.secret)
    api_factory(central_db_url, webhooks=True, webhook_poll_s=0.05)
    api_factory(central_db_url, webhooks=True, webhook_poll_s=0.05)
    for i in range(10):
        tm, _ = template_v2(central_key, station=s.station, person=f"P-{i:05d}")
        s.send("templates", tm.to_bytes(), tm.msg_id)
        s.wait_verdicts([tm.msg_id or ""])
        wait_until(lambda: len(receiver.events()) > i, 10,  # noqa: B023 (waited for here)
                   what=f"event {i} delivered")
    got = receiver.events()
    lat = [(r.arrived - datetime.fromisoformat(r.event["occurred_at"])).total_seconds()
           for r in receiver.got]
    assert [e["seq"] for e in got] == sorted(e["seq"] for e in got)
    assert len({e["id"] for e in got}) == len(got) == 10
    assert max(lat) < 2.0, lat
    print(f"\nwebhook delivery after the commit: median {sorted(lat)[5]:.3f} s, max "
          f"{max(lat):.3f} s")


def test_bad_webhook_input_is_refused(central_db_url: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = CentralDB(central_db_url)
    for url, kw, words in [("ftp://x", {}, "not an http(s) URL"),
                           ("http://x", {"kinds": ["everything"]}, "unknown event kind"),
                           ("http://x", {"secret": "short"}, "16 characters")]:
        with pytest.raises(webhooks.WebhookError, match=re.escape(words)):
            webhooks.add(db, url, **kw)  # type: ignore[arg-type]
    assert central_cli(["webhook", "replay", "nope", "--db", central_db_url]) == 2
    assert "no webhook nope" in capsys.readouterr().err
