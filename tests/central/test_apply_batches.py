"""Consents and attempts applied many at a time: each message still gets its own verdict, in
message order, and the event feed keeps that order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

import kiosk_contract as c
from kiosk_central import events as ev
from kiosk_central.apply import Batch
from kiosk_central.db import CentralDB
from kiosk_central.schema import attempts, consents
from kiosk_central.vault import LocalMasterKey, Vault
from tests.central.samples import new_id


@pytest.fixture
def db(tmp_path: Path) -> CentralDB:
    d = CentralDB(f"sqlite:///{tmp_path / 'central.sqlite3'}",
                  Vault(LocalMasterKey(os.urandom(32), "test")))
    d.import_people([("P-1", "Ann Lee", True), ("P-2", "Bo Chen", True)])
    return d


def consent(uuid: str, event: str, person: str, station: str = "station-01"
            ) -> c.ConsentMessage:
    return c.ConsentMessage(uuid, event, person, station, "op",  # type: ignore[arg-type]
                            c.utc_now_iso(), {"notice_version": "1"}, new_id())


def attempt(uuid: str, station: str = "station-01") -> c.AttemptMessage:
    now = c.utc_now_iso()
    return c.AttemptMessage(uuid, new_id(), station, "P-1", None, "op",
                            c.AttemptOutcome.FAILED, "too-dry", 2, 3, now, now)


def test_consents_in_one_batch(db: CentralDB) -> None:
    a, b = new_id(), new_id()
    batch = [consent(a, "given", "P-1"), consent(a, "given", "P-1"),  # a re-send
             consent(b, "given", "P-2"), consent(a, "given", "P-1", "station-02"),
             consent(a, "withdrawn", "P-1")]
    with db.engine.begin() as conn:
        b_ = Batch(conn, db.dialect, db.vault)
        verdicts = b_.consents(batch)
        b_.flush_events()
    assert [v.status for v in verdicts] == ["stored", "duplicate", "stored", "rejected",
                                            "stored"]
    assert verdicts[3].reason == "not-owner"
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(consents)).scalar() == 3
        feed = [(e.kind, e.person) for e in ev.after(conn, 0, 100)]
    assert feed == [(ev.CONSENT_GIVEN, "P-1"), (ev.CONSENT_GIVEN, "P-2"),
                    (ev.CONSENT_WITHDRAWN, "P-1")]


def test_attempts_in_one_batch(db: CentralDB) -> None:
    a, b = new_id(), new_id()
    with db.engine.begin() as conn:
        verdicts = Batch(conn, db.dialect, db.vault).attempts(
            [attempt(a), attempt(a), attempt(b), attempt(b, "station-02")])
    assert [v.status for v in verdicts] == ["stored", "duplicate", "stored", "rejected"]
    with db.engine.begin() as conn:
        again = Batch(conn, db.dialect, db.vault).attempts([attempt(a), attempt(a, "station-02")])
        assert conn.execute(select(func.count()).select_from(attempts)).scalar() == 2
    assert [v.status for v in again] == ["duplicate", "rejected"]
