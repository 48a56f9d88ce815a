"""Every contract message: round trip, strictness, size limits and hostile input."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

import kiosk_contract as c
from kiosk_contract.sealing import CryptoError, generate_keypair, load_private_key, open_sealed
from tests.central.samples import STATION, Sample, new_id, samples, template_v1, template_v2

SAMPLES = samples()
NAMES = sorted(SAMPLES)
#: Fields a message may leave out (an ack's detail, a consent's details).
OPTIONAL = {"detail", "method", "notice_version", "text_sha256", "language"}


def _obj(s: Sample) -> dict[str, Any]:
    obj: dict[str, Any] = json.loads(s.raw)
    return obj


def _raw(obj: object) -> bytes:
    return json.dumps(obj).encode()


@pytest.mark.parametrize("name", NAMES)
def test_round_trip(name: str) -> None:
    s = SAMPLES[name]
    msg = s.parse(s.raw)
    again = msg.to_bytes()  # type: ignore[attr-defined]
    assert json.loads(again) == json.loads(s.raw)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_missing_and_duplicate_fields_are_refused(name: str) -> None:
    s = SAMPLES[name]
    obj = _obj(s)
    with pytest.raises(c.ContractError, match="unknown field"):
        s.parse(_raw({**obj, "surprise": 1}))
    for key in obj:
        if key in OPTIONAL:
            continue
        broken = {k: v for k, v in obj.items() if k != key}
        with pytest.raises(c.ContractError):
            s.parse(_raw(broken))
    dup = s.raw[:-1] + b',"type":' + json.dumps(obj["type"]).encode() + b"}"
    with pytest.raises(c.ContractError, match="duplicate"):
        s.parse(dup)


@pytest.mark.parametrize("name", NAMES)
def test_wrong_types_are_refused_field_by_field(name: str) -> None:
    s = SAMPLES[name]
    obj = _obj(s)
    for key, value in obj.items():
        for bad in (12345, "text", [1], {"a": 1}, True, 1.5):
            if type(bad) is type(value) or (bad == value):
                continue
            if key in ("detail", "reason") and isinstance(bad, str) and name in (
                    "ack-v1", "acks", "attempt"):
                continue  # free text, or a code any word fits
            with pytest.raises(c.ContractError):
                s.parse(_raw({**obj, key: bad}))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("schema", [0, 3, 99, -1, "2", None, True])
def test_other_schema_versions_are_refused(name: str, schema: object) -> None:
    s = SAMPLES[name]
    with pytest.raises(c.ContractError) as exc:
        s.parse(_raw({**_obj(s), "schema": schema}))
    if schema in (0, -1):
        assert exc.value.reason == "schema-too-old"


@pytest.mark.parametrize("name", NAMES)
def test_hostile_input_gives_contract_errors_only(name: str) -> None:
    s = SAMPLES[name]
    obj = _obj(s)
    text_key = next((k for k, v in obj.items() if isinstance(v, str) and k not in
                     ("schema", "type")), None)
    cases: list[bytes] = [
        b"", b"\x00" * 64, b"\xff\xfe\x00{", os.urandom(300), b"[" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000, b"1" + b"0" * 5000, b"NaN", b"[1e999]",
        s.raw[:-1] + b',"x":' + b"[" * 20 + b"]" * 20 + b"}",
        s.raw[:-1] + b',"n":' + b"9" * 5000 + b"}",
        b'{"schema":2,"type":"x"}' + b" " * (c.MAX_ROSTER_BYTES + 1),
    ]
    if text_key:
        for bad in ("a\x00b", "a\ud800b", "x" * 100_000, "line\nbreak"):
            cases.append(json.dumps({**obj, text_key: bad}).encode())
    for raw in cases:
        with pytest.raises(c.ContractError):
            s.parse(raw)


def test_schema_1_and_2_differ_exactly_by_msg_id() -> None:
    for name in ("template-v1", "consent-v1"):
        obj = _obj(SAMPLES[name])
        with pytest.raises(c.ContractError, match="schema 2"):
            SAMPLES[name].parse(_raw({**obj, "msg_id": new_id()}))
        with pytest.raises(c.ContractError, match="msg_id"):
            SAMPLES[name].parse(_raw({**obj, "schema": 2}))
    v2 = c.TemplateMessage.parse(SAMPLES["template-v2"].raw)
    assert v2.schema == 2 and v2.msg_id is not None
    assert c.TemplateMessage.parse(SAMPLES["template-v1"].raw).schema == 1


def test_schema_2_template_is_sealed_to_its_own_schema() -> None:
    key = generate_keypair()
    tm, data = template_v2(key)
    priv = load_private_key(key.private_b64)
    assert open_sealed(priv, tm.sealed, tm.meta.aad(2)) == data
    with pytest.raises(CryptoError):
        open_sealed(priv, tm.sealed, tm.meta.aad(1))  # cannot be passed off as schema 1
    v1 = template_v1(key, data)
    assert open_sealed(priv, v1.sealed, v1.meta.aad()) == data  # what stations do today
    assert b"msg_id" not in tm.meta.aad(2)


def test_acks_name_the_event_and_keep_v1_reasons_for_v1() -> None:
    m, u = new_id(), new_id()
    v2 = c.AckMessage.parse(c.AckMessage(u, "rejected", "not-owner", "x", msg_id=m).to_bytes())
    assert (v2.msg_id, v2.uuid, v2.correlation_id, v2.schema) == (m, u, m, 2)
    with pytest.raises(c.ContractError, match="schema-1"):
        c.AckMessage(u, "rejected", "not-owner")
    assert c.v1_reason("not-owner") == "station-mismatch" and c.v1_reason("bad-hash") == "bad-hash"
    with pytest.raises(c.ContractError):
        c.AckMessage(u, "stored", "malformed")  # a reason only with rejected
    v1 = c.AckMessage.parse(c.AckMessage(u, "duplicate").to_bytes())
    assert v1.correlation_id == u and v1.msg_id is None
    assert c.uuid_from_correlation(c.correlation_for(m)) == m
    assert c.uuid_from_correlation(b"short") is None and c.uuid_from_correlation(None) is None


def test_ack_batches_respect_both_limits() -> None:
    items = [c.AckItem.of(new_id(), new_id(), "rejected", "malformed", "é" * 600)
             for _ in range(1200)]
    msgs = c.pack_acks(items)
    assert sum(len(m.acks) for m in msgs if isinstance(m, c.AcksMessage)) == 1200
    for m in msgs:
        assert isinstance(m, c.AcksMessage)
        raw = m.to_bytes()
        assert len(raw) <= c.MAX_PAYLOAD_BYTES and len(m.acks) <= c.MAX_BATCH
        assert c.AcksMessage.parse(raw) == m
    assert [i.msg_id for m in msgs for i in m.acks] == [i.msg_id for i in items]  # type: ignore[union-attr]
    one = c.pack_acks(items[:1])
    assert len(one) == 1 and isinstance(one[0], c.AckMessage) and one[0].msg_id == items[0].msg_id
    with pytest.raises(c.ContractError):
        c.AcksMessage(tuple(items[:501]))
    dup = c.AcksMessage((items[0], items[1])).to_bytes().replace(
        items[1].msg_id.encode(), items[0].msg_id.encode())
    with pytest.raises(c.ContractError, match="twice"):
        c.AcksMessage.parse(dup)


def test_receipts_carry_places_and_consistent_causes() -> None:
    now, u, t = c.utc_now_iso(), new_id(), new_id()
    with pytest.raises(c.ContractError, match="together"):
        c.DeletionReceipt(u, None, "P", STATION, (t,), now, new_id())
    r = c.DeletionReceipt(u, None, "P", STATION, (t,), now, new_id(), c.DeletionCause.DESK,
                          c.ReceiptPlaces("pending"))
    assert not r.places.complete  # type: ignore[union-attr]
    obj = json.loads(r.to_bytes())
    for cause, rid, ok in (("central-request", None, False), ("desk", new_id(), False),
                           ("withdrawal", new_id(), True), ("retention", None, True)):
        raw = _raw({**obj, "cause": cause, "request_id": rid})
        if ok:
            assert c.DeletionReceipt.parse(raw).cause == cause
        else:
            with pytest.raises(c.ContractError):
                c.DeletionReceipt.parse(raw)
    with pytest.raises(c.ContractError):
        c.DeletionReceipt.parse(_raw({**obj, "places": {"station_db": "pending",
                                                         "sensor": "done"}}))
    with pytest.raises(c.ContractError):
        c.DeletionReceipt.parse(_raw({**obj, "template_uuids": [t, t]}))
    with pytest.raises(c.ContractError):
        c.DeletionReceipt(u, None, "P", STATION, tuple(new_id() for _ in range(11)))
    with pytest.raises(c.ContractError, match="cause"):
        c.DeletionRequest(new_id(), "P", STATION, now, c.DeletionCause.DESK)


def test_attempts_and_heartbeats_enforce_their_rules() -> None:
    now = c.utc_now_iso()
    base: dict[str, Any] = dict(uuid=new_id(), msg_id=new_id(), station=STATION, person="P",
                                finger=None, operator="op", reason="sensor-timeout",
                                retries=0, captures=1, started_at=now, ended_at=now)
    with pytest.raises(c.ContractError, match="template_uuid"):
        c.AttemptMessage(**base, outcome=c.AttemptOutcome.ENROLLED)
    with pytest.raises(c.ContractError, match="template_uuid"):
        c.AttemptMessage(**base, outcome=c.AttemptOutcome.FAILED, template_uuid=new_id())
    with pytest.raises(c.ContractError, match="before"):
        c.AttemptMessage(**{**base, "started_at": "2999-01-01T00:00:00Z"},
                         outcome=c.AttemptOutcome.FAILED)
    ok = c.AttemptMessage(**base, outcome=c.AttemptOutcome.TIMED_OUT)
    obj = json.loads(ok.to_bytes())
    for bad in ("Sensor Timeout", "x" * 65, "", "a b"):
        with pytest.raises(c.ContractError):
            c.AttemptMessage.parse(_raw({**obj, "reason": bad}))
    hb = json.loads(SAMPLES["heartbeat"].raw)
    with pytest.raises(c.ContractError):
        c.HeartbeatMessage.parse(_raw({**hb, "last_error": "e" * 201}))
    with pytest.raises(c.ContractError):
        c.HeartbeatMessage.parse(_raw({**hb, "sensor": {**hb["sensor"], "state": "melting"}}))
    assert c.clean_text("bad\x00line\nbreak" + "x" * 300, 200) == ("bad line break" + "x" * 186)
    assert [s.value for s in c.SensorState] == ["starting", "searching", "ready", "busy",
                                                 "disconnected", "error"]


def test_builders_refuse_oversize_before_anything_is_published() -> None:
    big = "x" * 60_000
    entries = [c.AuditEntry.chained(c.GENESIS, STATION, seq=1, at=c.utc_now_iso(),
                                    actor="a", action="b", after={"blob": big})]
    entries.append(c.AuditEntry.chained(entries[0].hash, STATION, seq=2, at=c.utc_now_iso(),
                                        actor="a", action="b", after={"blob": big}))
    with pytest.raises(c.PayloadTooLarge, match="limit"):
        c.AuditMessage(new_id(), STATION, tuple(entries)).to_bytes()
    people = tuple(c.RosterPerson(f"P-{i:06d}", "N" * 150) for i in range(2000))
    with pytest.raises(c.PayloadTooLarge, match="262144"):
        c.RosterMessage("snapshot", 1, people).to_bytes(limit=c.DEFAULT_MAX_PACKET_BYTES)
    with pytest.raises(c.ContractError):
        c.StatusMessage("bad/station", "online", "1").to_bytes()  # builder runs the parser
