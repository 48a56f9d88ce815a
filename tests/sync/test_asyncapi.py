"""The contract document is valid AsyncAPI 3 and agrees with kiosk_contract."""

from __future__ import annotations

import copy
import hashlib
import json
import uuid

import pytest
from jsonschema import Draft7Validator

import kiosk_contract as c
from kiosk_contract.sealing import generate_keypair, load_public_key, seal
from tests.sync.asyncapi_check import SPEC_SCHEMA, document, payload_errors


def _spec_validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SPEC_SCHEMA.read_text(encoding="utf-8")))


def test_document_is_valid_asyncapi_3() -> None:
    errors = [e.message for e in _spec_validator().iter_errors(document())]
    assert errors == []


def test_validator_catches_a_broken_document() -> None:
    doc = copy.deepcopy(document())
    doc["operations"]["sendTemplate"]["action"] = "publish"
    assert list(_spec_validator().iter_errors(doc))


def sample_messages() -> dict[str, bytes]:
    """One instance of every message type, built by the production code (the unsuffixed keys
    are schema 1, the ones stations send today)."""
    kp = generate_keypair()
    data = bytes(range(256)) * 2
    meta = c.TemplateMeta(
        uuid=str(uuid.uuid4()), station="station-01", operator="alice", person="P-0001",
        finger="right-index", sensor_model="R307", template_format="r307-char-512",
        template_length=len(data), sha256=hashlib.sha256(data).hexdigest(),
        quality={"score": 80, "captures": 3, "match_score": None}, captured_at=c.utc_now_iso(),
        enrolled_at=c.utc_now_iso(),
    )
    rid = str(uuid.uuid4())
    sealed = seal(load_public_key(kp.public_b64), data, meta.aad())
    return {
        "templates": c.TemplateMessage(meta, sealed).to_bytes(),
        "acks": c.AckMessage(meta.uuid, "rejected", "bad-hash", "sha256 mismatch").to_bytes(),
        "roster": c.RosterMessage("snapshot", 3, (c.RosterPerson("P-0001", "Ann"),)).to_bytes(),
        "roster-delta": c.RosterMessage(
            "delta", 4, (c.RosterPerson("P-2", "Bo", False),), ("P-0001",), 3
        ).to_bytes(),
        "deletions": c.DeletionRequest(rid, "P-0001", "station-01").to_bytes(),
        "deletion-receipts": c.DeletionReceipt(
            str(uuid.uuid4()), rid, "P-0001", "station-01", (meta.uuid,)
        ).to_bytes(),
        "consents": c.ConsentMessage(
            str(uuid.uuid4()), "given", "P-0001", "station-01", "alice", c.utc_now_iso(),
            {"method": "signature", "notice_version": "2026-1"},
        ).to_bytes(),
        "status": c.StatusMessage("station-01", "online", "1.0").to_bytes(),
        **_v2_messages(kp, data),
    }


def _v2_messages(kp: object, data: bytes) -> dict[str, bytes]:
    """Every schema-2 message (keys: ``<topic kind>-v2`` or the kind itself when it is new)."""
    from tests.central.samples import samples

    made = samples()
    pick = {
        "templates-v2": "template-v2", "consents-v2": "consent-v2",
        "deletion-receipts-v2": "receipt-v2", "attempts": "attempt", "audit": "audit",
        "heartbeat": "heartbeat", "status-v2": "status-v2", "acks-v2": "ack-v2",
        "acks-batch": "acks", "deletions-v2": "deletion-v2", "manifest": "roster-manifest",
        "pages": "roster-page", "deltas": "roster-delta",
    }
    return {k: made[v].raw for k, v in pick.items()}


def _kind(key: str) -> str:
    return key.removesuffix("-delta").removesuffix("-v2").removesuffix("-batch")


SAMPLE_KEYS = ["templates", "acks", "roster", "roster-delta", "deletions", "deletion-receipts",
               "status", "consents", "templates-v2", "consents-v2", "deletion-receipts-v2",
               "attempts", "audit", "heartbeat", "status-v2", "acks-v2", "acks-batch",
               "deletions-v2", "manifest", "pages", "deltas"]


@pytest.mark.parametrize("kind", SAMPLE_KEYS)
def test_built_messages_match_the_document(kind: str) -> None:
    payload = sample_messages()[kind]
    assert payload_errors(_kind(kind), payload) == []


PARSERS = {
    "templates": c.TemplateMessage.parse, "acks": c.AckMessage.parse,
    "roster": c.RosterMessage.parse, "deletions": c.DeletionRequest.parse,
    "deletion-receipts": c.DeletionReceipt.parse, "status": c.StatusMessage.parse,
    "consents": c.ConsentMessage.parse,
    "templates-v2": c.TemplateMessage.parse, "consents-v2": c.ConsentMessage.parse,
    "deletion-receipts-v2": c.DeletionReceipt.parse, "attempts": c.AttemptMessage.parse,
    "audit": c.AuditMessage.parse, "heartbeat": c.HeartbeatMessage.parse,
    "status-v2": c.StatusMessage.parse, "acks-v2": c.AckMessage.parse,
    "acks-batch": c.AcksMessage.parse, "deletions-v2": c.DeletionRequest.parse,
    "manifest": c.RosterManifest.parse, "pages": c.RosterPage.parse,
    "deltas": c.RosterDelta.parse,
}


@pytest.mark.parametrize("kind", list(PARSERS))
@pytest.mark.parametrize("mutation", ["extra-field", "drop-field", "wrong-type", "old-schema",
                                      "other-schema"])
def test_parser_and_document_reject_the_same_mutations(kind: str, mutation: str) -> None:
    obj = json.loads(sample_messages()[kind])
    key = sorted(k for k in obj if k not in ("schema", "type"))[0]
    if mutation == "other-schema" and kind.startswith("status"):
        return  # a status has the same fields in both schemas
    if mutation == "extra-field":
        obj["surprise"] = 1
    elif mutation == "drop-field":
        del obj[key]
    elif mutation == "wrong-type":
        obj[key] = 12345 if isinstance(obj[key], str) else "text"
    elif mutation == "other-schema":
        obj["schema"] = 3 - obj["schema"]  # the same fields under the other schema number
    else:
        obj["schema"] = 0
    raw = json.dumps(obj).encode()
    assert payload_errors(_kind(kind), raw), "document accepted a broken payload"
    with pytest.raises(c.ContractError):
        PARSERS[kind](raw)


@pytest.mark.parametrize("kind", list(PARSERS))
def test_built_messages_parse_back(kind: str) -> None:
    raw = sample_messages()[kind]
    assert json.loads(PARSERS[kind](raw).to_bytes()) == json.loads(raw)  # type: ignore[attr-defined]
