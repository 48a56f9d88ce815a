"""Schema-2 batch ingest with two workers on a real PostgreSQL server (started by the fixture
of tests/sync/test_central_postgres.py): exactly once, and central's audit chain stays one
chain when both workers append to it at the same time."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import kiosk_contract as c
from kiosk_central import audit_log
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.central.conftest import ROSTER, Sender
from tests.central.samples import new_id, template_v2
from tests.sync.test_central_postgres import pg_server, pg_url  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(180)]


def test_two_workers_batch_into_postgres_exactly_once(
    pg_url: str, ingest_factory: Callable[..., Ingest],  # noqa: F811
    sender_factory: Callable[..., Sender], central_key: KeyPair,
) -> None:
    CentralDB(pg_url).import_people(ROSTER)
    a = ingest_factory(db_url=pg_url, batch_size=100)
    b = ingest_factory(db_url=pg_url, batch_size=100)
    assert a.db.dialect == "postgresql"
    senders = [sender_factory("station-01"), sender_factory("station-02")]
    sent: dict[int, dict[str, str]] = {0: {}, 1: {}}
    for i in range(200):
        for n, s in enumerate(senders):
            tm, _ = template_v2(central_key, station=s.station, person=f"P-{i:05d}")
            s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
            sent[n][tm.msg_id or ""] = tm.meta.uuid
            if i % 20 == 0:  # receipts make both workers append to central's audit chain
                r = c.DeletionReceipt(new_id(), None, f"P-{i:05d}", s.station, (), c.utc_now_iso(),
                                      new_id(), c.DeletionCause.DESK, c.ReceiptPlaces("not-held"))
                s.send("deletion-receipts", r.to_bytes(), r.msg_id, wait=False)
                sent[n][r.msg_id or ""] = r.uuid
    for n, s in enumerate(senders):
        got = s.wait_verdicts(list(sent[n]), 90)
        assert {v.status for v in got.values()} == {"stored"}
        assert {m: v.uuid for m, v in got.items()} == sent[n]
    assert a.db.template_count() == 400
    assert a.counts["stored"] > 0 and b.counts["stored"] > 0
    assert a.counts["stored"] + b.counts["stored"] == 400
    with a.db.engine.connect() as conn:
        chain = audit_log.verify_central(conn)
    assert chain.ok and chain.entries >= 20
