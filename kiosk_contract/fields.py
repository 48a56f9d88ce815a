"""Strict field checks shared by every message of the contract.

Parsing is strict on purpose: unknown fields, wrong types and oversize payloads raise a
:class:`ContractError` whose ``reason`` is the code sent back in a negative ack, because a
lenient parser on either side is how a bad station or a bad central silently corrupts data.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 1
#: Oldest payload schema this code still accepts (older ones get reason "schema-too-old").
MIN_SCHEMA_VERSION = 1
#: Any payload larger than this is rejected before JSON parsing.
MAX_PAYLOAD_BYTES = 64 * 1024
MAX_ROSTER_BYTES = 4 * 1024 * 1024

STATION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")



class ContractError(ValueError):
    """A payload or topic does not follow the contract; ``reason`` is the nack code."""

    reason = "malformed"


class UnsupportedSchema(ContractError):
    def __init__(self, version: object) -> None:
        too_old = isinstance(version, int) and version < MIN_SCHEMA_VERSION
        super().__init__(f"schema version {version!r} is not supported")
        self.reason = "schema-too-old" if too_old else "schema-unsupported"


class PayloadTooLarge(ContractError):
    pass


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def is_station_id(value: str) -> bool:
    return bool(STATION_RE.match(value))


# -- field checks -----------------------------------------------------------------------------


def fail(msg: str) -> ContractError:
    return ContractError(msg)


def req_str(obj: Mapping[str, Any], key: str, *, max_len: int = 128, min_len: int = 1) -> str:
    v = obj.get(key)
    if not isinstance(v, str) or not min_len <= len(v) <= max_len:
        raise fail(f"{key} must be a string of {min_len}..{max_len} characters")
    return v


def req_int(obj: Mapping[str, Any], key: str, lo: int, hi: int) -> int:
    v = obj.get(key)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise fail(f"{key} must be a whole number in {lo}..{hi}")
    return v


def req_uuid(obj: Mapping[str, Any], key: str) -> str:
    v = req_str(obj, key, max_len=36, min_len=36)
    try:
        parsed = uuidlib.UUID(v)
    except ValueError:
        raise fail(f"{key} is not a UUID") from None
    if str(parsed) != v:
        raise fail(f"{key} must be a lowercase hyphenated UUID")
    return v


def req_ts(obj: Mapping[str, Any], key: str) -> str:
    v = req_str(obj, key, max_len=40)
    if not TS_RE.match(v):
        raise fail(f"{key} must be an RFC 3339 timestamp")
    try:
        datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise fail(f"{key} must be an RFC 3339 timestamp") from None
    return v


def req_station(obj: Mapping[str, Any], key: str = "station") -> str:
    v = req_str(obj, key, max_len=64)
    if not is_station_id(v):
        raise fail(f"{key} is not a valid station id")
    return v


def check_keys(
    obj: Mapping[str, Any], required: set[str], optional: frozenset[str] = frozenset()
) -> None:
    missing = required - obj.keys()
    if missing:
        raise fail(f"missing field(s) {sorted(missing)}")
    extra = obj.keys() - required - optional
    if extra:
        raise fail(f"unknown field(s) {sorted(extra)[:5]}")


def envelope(payload: bytes, type_: str, limit: int = MAX_PAYLOAD_BYTES) -> dict[str, Any]:
    if len(payload) > limit:
        raise PayloadTooLarge(f"payload of {len(payload)} bytes exceeds {limit}")
    try:
        obj = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise fail("payload is not JSON") from None
    if not isinstance(obj, dict):
        raise fail("payload must be a JSON object")
    version = obj.get("schema")
    if isinstance(version, bool) or not isinstance(version, int):
        raise fail("schema must be a whole number")
    if not MIN_SCHEMA_VERSION <= version <= SCHEMA_VERSION:
        raise UnsupportedSchema(version)
    if obj.get("type") != type_:
        raise fail(f"type must be {type_!r}")
    return obj


def dump(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


