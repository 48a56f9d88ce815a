"""Tokens and the audit of every call, on a real uvicorn server with a real httpx client:
a call without a valid token (missing, malformed, wrong, revoked, expired) is 401, one
without the scope it needs 403, and in every case nothing changes; every call — allowed or
refused — is an entry in central's audit log naming the token and the result."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk_central import audit_log, tokens
from kiosk_central.cli import main as central_cli
from kiosk_central.db import CentralDB
from kiosk_central.schema import api_tokens, central_audit, deletions
from tests.central.api_helpers import ApiServer, api_factory, make_token  # noqa: F401

pytestmark = pytest.mark.timeout(120)
PEOPLE = [(f"S-{i:04d}", f"Student {i}", True) for i in range(20)]


def _api_calls(db: CentralDB) -> list[dict[str, object]]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(central_audit.c.actor, central_audit.c.subject,
                                   central_audit.c.after).where(
            central_audit.c.action == "api-call").order_by(central_audit.c.seq)).all()
    return [{"actor": a, "subject": s, **after} for a, s, after in rows]


def _state(db: CentralDB) -> tuple[int, object, int]:
    with db.engine.connect() as conn:
        n_del = len(conn.execute(select(deletions.c.request_id)).all())
    return db.roster_version(), db.people_rows(), n_del


def test_refused_tokens_change_nothing_and_every_call_is_audited(
    central_db_url: str, api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    db = CentralDB(central_db_url)
    db.import_people(PEOPLE)
    api = api_factory(central_db_url)
    reader = make_token(central_db_url, "read:status", name="reader")
    writer = make_token(central_db_url, "write:roster", "write:deletion", name="writer")
    expired = make_token(central_db_url, "write:roster", name="old",
                         expires_in=timedelta(seconds=-1))
    revoked = make_token(central_db_url, "write:roster", "write:deletion", name="gone")
    tokens.revoke(db, revoked.split("_")[1])
    forged = writer[:-4] + ("AAAA" if not writer.endswith("AAAA") else "BBBB")
    before = _state(db)
    delta = {"base_version": db.roster_version(),
             "upsert": [{"external_id": "S-9999", "display_name": "New"}]}
    cases = [
        (None, 401, "missing-token"), ("not-a-token", 401, "invalid-token"),
        (forged, 401, "invalid-token"), (revoked, 401, "revoked-token"),
        (expired, 401, "expired-token"), (reader, 403, "wrong-scope"),
    ]
    for tok, status, code in cases:
        with api.client(tok) as cl:
            r1 = cl.post("/v1/roster/delta", json=delta)
            r2 = cl.post("/v1/people/S-0001/deletion", json={"reason": "test"})
        for r in (r1, r2):
            assert r.status_code == status, (tok, r.text)
            assert r.json()["error"] == code and r.json()["message"]
            assert "Traceback" not in r.text
    assert _state(db) == before  # nothing changed by any refused call
    with api.client(reader) as cl:
        assert cl.get("/v1/enrollments/S-0001").status_code == 200
        assert cl.get("/v1/people/S-0001/subject-report").status_code == 403  # read:audit
    with api.client(writer) as cl:
        ok = cl.post("/v1/roster/delta", json=delta)
    assert ok.status_code == 200, ok.text
    assert db.roster_version() == before[0] + 1  # the same call with the right token works
    tokens.revoke(db, writer.split("_")[1])
    with api.client(writer) as cl:  # a revocation takes effect at the very next call
        assert cl.get("/v1/roster").status_code == 401

    calls = _api_calls(db)
    assert len(calls) == len(cases) * 2 + 4
    refused = [c for c in calls if c["status"] in (401, 403)]
    assert len(refused) == len(cases) * 2 + 2
    assert {c["result"] for c in refused} == {code for _t, _s, code in cases}
    assert {c["actor"] for c in calls if c["status"] == 401} == {"api:anonymous"}
    last = calls[-2]
    assert (last["actor"], last["method"], last["path"], last["status"], last["result"]) == (
        "api:writer", "POST", "/v1/roster/delta", 200, "ok")
    assert last["token"] == writer.split("_")[1]
    read = next(c for c in calls if c["path"] == "/v1/enrollments/S-0001")
    assert read["subject"] == "S-0001" and read["actor"] == "api:reader"
    with db.engine.connect() as conn:
        assert audit_log.verify_central(conn).ok  # the chain stays one chain
    assert api.ctx is not None and api.ctx.db.vault is None  # it cannot open a template


def test_tokens_are_stored_hashed_and_managed_from_the_command_line(
    central_db_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    assert central_cli(["token", "create", "web-app", "--scope", "read:status", "--scope",
                        "write:roster", "--expires-days", "30", "--db", central_db_url,
                        "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    token = made["token"]
    db = CentralDB(central_db_url)
    with db.engine.connect() as conn:
        row = conn.execute(select(api_tokens)).mappings().one()
    assert token not in json.dumps({k: str(v) for k, v in row.items()})  # only a hash
    assert row["scopes"] == ["read:status", "write:roster"]
    assert tokens.verify(db, token).info is not None
    assert central_cli(["token", "list", "--db", central_db_url]) == 0
    listed = capsys.readouterr().out
    assert made["id"] in listed and token not in listed
    assert central_cli(["token", "revoke", made["id"], "--db", central_db_url]) == 0
    assert tokens.verify(db, token).code == "revoked-token"
    assert central_cli(["token", "revoke", made["id"], "--db", central_db_url]) == 1
    assert "already revoked" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        central_cli(["token", "create", "x", "--scope", "write:everything", "--db",
                     central_db_url])
    assert central_cli(["token", "create", "x", "--db", central_db_url]) == 2
    assert "at least one scope" in capsys.readouterr().err
