"""Validate payloads against the schemas of ``docs/asyncapi.yaml`` (used by every sync test)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator, FormatChecker

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "asyncapi.yaml"
SPEC_SCHEMA = Path(__file__).with_name("schemas") / "asyncapi-3.1.0.json"

#: topic kind (last topic level; for roster pages the word "pages") → components/messages name
MESSAGE_FOR_KIND = {
    "templates": "template",
    "consents": "consent",
    "acks": "ack",
    "roster": "roster",
    "deletions": "deletion",
    "deletion-receipts": "deletionReceipt",
    "status": "status",
    "attempts": "attempt",
    "audit": "audit",
    "heartbeat": "heartbeat",
    "manifest": "rosterManifest",
    "pages": "rosterPage",
    "deltas": "rosterDelta",
}
#: a topic kind that carries more than one message type: payload ``type`` → message name
MESSAGE_FOR_TYPE = {("acks", "acks"): "acks"}


@cache
def document() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(DOC.read_text(encoding="utf-8"))
    return doc


@cache
def payload_validator(message: str) -> Draft7Validator:
    doc = document()
    payload_ref = doc["components"]["messages"][message]["payload"]["$ref"]
    root = {"$ref": payload_ref, "components": doc["components"]}
    return Draft7Validator(root, format_checker=FormatChecker())


def message_for(topic_kind: str, obj: object) -> str:
    kind = "pages" if topic_kind.isdigit() else topic_kind
    typ = obj.get("type") if isinstance(obj, dict) else None
    return MESSAGE_FOR_TYPE.get((kind, str(typ)), MESSAGE_FOR_KIND[kind])


def payload_errors(topic_kind: str, payload: bytes) -> list[str]:
    """Schema violations of ``payload`` for a topic kind (empty list = valid)."""
    obj = json.loads(payload)
    v = payload_validator(message_for(topic_kind, obj))
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in v.iter_errors(obj)]
