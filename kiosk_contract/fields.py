"""Strict field checks and size limits shared by every message of the contract.

Parsing is strict on purpose: unknown fields, duplicate keys, wrong types, control characters,
non-finite numbers, deep nesting and oversize payloads raise a :class:`ContractError` whose
``reason`` is the code sent back in a negative ack, because a lenient parser on either side is
how a bad station or a bad central silently corrupts data. Builders run the same checks before
anything is published (:func:`check_size`), so an oversize message is refused at its source.
"""

from __future__ import annotations

import json
import math
import re
import uuid as uuidlib
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from typing import Any

#: Newest payload schema; builders of v2 messages write it.
SCHEMA_VERSION = 2
#: Oldest payload schema still accepted (older ones get reason "schema-too-old").
MIN_SCHEMA_VERSION = 1
#: Any up message or ack larger than this is refused before JSON parsing.
MAX_PAYLOAD_BYTES = 64 * 1024
#: Parse limit of the legacy (v1) per-station roster snapshot; its publisher is bounded by the
#: broker packet size instead (see ``kiosk_central.roster``).
MAX_ROSTER_BYTES = 4 * 1024 * 1024
#: One page of the paged roster snapshot, and one roster delta.
MAX_ROSTER_PAGE_BYTES = 48 * 1024
#: The roster manifest lists one digest per page (about 2,000 pages fit).
MAX_MANIFEST_BYTES = 160 * 1024
#: ``max_packet_size`` of the shipped broker configuration (docs/mosquitto).
DEFAULT_MAX_PACKET_BYTES = 256 * 1024
#: Deepest JSON nesting any message may have (the audit ``before``/``after`` values included).
MAX_DEPTH = 8

STATION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9._:-]{0,63}$")
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")
#: C0 controls, DEL and lone surrogates never belong in a text field.
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


class ContractError(ValueError):
    """A payload or topic does not follow the contract; ``reason`` is the nack code."""

    reason = "malformed"


class UnsupportedSchema(ContractError):
    def __init__(self, version: object) -> None:
        too_old = isinstance(version, int) and version < MIN_SCHEMA_VERSION
        super().__init__(f"schema version {version!r} is not supported for this message")
        self.reason = "schema-too-old" if too_old else "schema-unsupported"


class PayloadTooLarge(ContractError):
    """Over a size limit; raised by parsers and, before publishing, by every builder."""


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_ts(value: str) -> datetime:
    """An RFC 3339 timestamp of the contract as an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def is_station_id(value: str) -> bool:
    return bool(STATION_RE.match(value))


def clean_text(value: str, max_len: int) -> str:
    """Free text made fit for a text field (controls become spaces, cut to ``max_len``).

    For builders that carry human-written or exception text (``detail``, ``last_error``).
    """
    return _BAD_CHARS.sub(" ", value).strip()[:max_len]


def check_size(raw: bytes, limit: int, what: str) -> bytes:
    """Return ``raw`` or raise :class:`PayloadTooLarge` naming the message and both sizes."""
    if len(raw) > limit:
        raise PayloadTooLarge(f"{what} would be {len(raw)} bytes, over its {limit}-byte limit")
    return raw


def verified(raw: bytes, parse: Callable[[bytes], object]) -> bytes:
    """``raw`` after the receiver's own strict parser accepted it: a builder never emits what
    the other end would refuse."""
    parse(raw)
    return raw


# -- JSON ------------------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ContractError(f"duplicate field {k[:40]!r}")
        out[k] = v
    return out


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ContractError("numbers must be finite")
    return value


def _constant(name: str) -> Any:
    raise ContractError(f"{name} is not allowed in JSON here")


def _depth_ok(obj: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(obj, dict):
        return all(_depth_ok(v, depth + 1) for v in obj.values())
    if isinstance(obj, list):
        return all(_depth_ok(v, depth + 1) for v in obj)
    return True


def load_json(payload: bytes, limit: int) -> Any:
    """Decode one JSON document, refusing anything a strict receiver must not accept."""
    if len(payload) > limit:
        raise PayloadTooLarge(f"payload of {len(payload)} bytes exceeds {limit}")
    try:
        text = payload.decode("utf-8")
        obj = json.loads(text, object_pairs_hook=_no_duplicates, parse_float=_finite,
                         parse_constant=_constant)
    except ContractError:
        raise
    except RecursionError:
        raise ContractError("payload is nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise ContractError("payload is not JSON") from None
    if not _depth_ok(obj, 0):
        raise ContractError(f"payload is nested deeper than {MAX_DEPTH} levels")
    return obj


def dump(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def envelope(
    payload: bytes, type_: str, limit: int = MAX_PAYLOAD_BYTES,
    schemas: Collection[int] = (1, 2),
) -> dict[str, Any]:
    """The checked top level of a message: a JSON object of ``type_`` in one of ``schemas``."""
    obj = load_json(payload, limit)
    if not isinstance(obj, dict):
        raise ContractError("payload must be a JSON object")
    version = obj.get("schema")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ContractError("schema must be a whole number")
    if version not in schemas or not MIN_SCHEMA_VERSION <= version <= SCHEMA_VERSION:
        raise UnsupportedSchema(version)
    if obj.get("type") != type_:
        raise ContractError(f"type must be {type_!r}")
    return obj


def peek_schema(payload: bytes) -> int | None:
    """The ``schema`` of a payload that may be broken (to answer it in its own version)."""
    try:
        obj = load_json(payload, MAX_PAYLOAD_BYTES)
    except ContractError:
        return None
    v = obj.get("schema") if isinstance(obj, dict) else None
    return v if isinstance(v, int) and not isinstance(v, bool) else None


# -- field checks -----------------------------------------------------------------------------


def fail(msg: str) -> ContractError:
    return ContractError(msg)


def text_ok(value: object, max_len: int, min_len: int = 1) -> bool:
    return (isinstance(value, str) and min_len <= len(value) <= max_len
            and not _BAD_CHARS.search(value))


def req_str(obj: Mapping[str, Any], key: str, *, max_len: int = 128, min_len: int = 1) -> str:
    v = obj.get(key)
    if not text_ok(v, max_len, min_len):
        raise fail(f"{key} must be a string of {min_len}..{max_len} characters without "
                   "control characters")
    assert isinstance(v, str)
    return v


def opt_str(obj: Mapping[str, Any], key: str, *, max_len: int = 128) -> str | None:
    return None if obj.get(key) is None else req_str(obj, key, max_len=max_len)


def req_code(obj: Mapping[str, Any], key: str) -> str:
    """A machine-readable code (lowercase letters, digits, ``.``, ``_``, ``:``, ``-``; ≤ 64)."""
    v = obj.get(key)
    if not isinstance(v, str) or not CODE_RE.match(v):
        raise fail(f"{key} must be a code of lowercase letters, digits and .:_- (≤ 64)")
    return v


def req_enum(obj: Mapping[str, Any], key: str, allowed: Collection[str]) -> str:
    v = obj.get(key)
    if not isinstance(v, str) or v not in allowed:
        raise fail(f"{key} must be one of {', '.join(sorted(allowed))}")
    return v


def req_bool(obj: Mapping[str, Any], key: str) -> bool:
    v = obj.get(key)
    if not isinstance(v, bool):
        raise fail(f"{key} must be true or false")
    return v


def req_int(obj: Mapping[str, Any], key: str, lo: int, hi: int) -> int:
    v = obj.get(key)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise fail(f"{key} must be a whole number in {lo}..{hi}")
    return v


def opt_int(obj: Mapping[str, Any], key: str, lo: int, hi: int) -> int | None:
    return None if obj.get(key) is None else req_int(obj, key, lo, hi)


def req_number(obj: Mapping[str, Any], key: str, lo: float, hi: float) -> float:
    v = obj.get(key)
    if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
        raise fail(f"{key} must be a number in {lo:g}..{hi:g}")
    return float(v)


def is_uuid(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        return str(uuidlib.UUID(value)) == value
    except ValueError:
        return False


def req_uuid(obj: Mapping[str, Any], key: str) -> str:
    v = obj.get(key)
    if not is_uuid(v):
        raise fail(f"{key} must be a lowercase hyphenated UUID")
    assert isinstance(v, str)
    return v


def opt_uuid(obj: Mapping[str, Any], key: str) -> str | None:
    return None if obj.get(key) is None else req_uuid(obj, key)


def req_ts(obj: Mapping[str, Any], key: str) -> str:
    v = req_str(obj, key, max_len=40)
    if not TS_RE.match(v):
        raise fail(f"{key} must be an RFC 3339 timestamp")
    try:
        parse_ts(v)
    except ValueError:
        raise fail(f"{key} must be an RFC 3339 timestamp") from None
    return v


def req_station(obj: Mapping[str, Any], key: str = "station") -> str:
    v = req_str(obj, key, max_len=64)
    if not is_station_id(v):
        raise fail(f"{key} is not a valid station id")
    return v


def req_obj(obj: Mapping[str, Any], key: str) -> dict[str, Any]:
    v = obj.get(key)
    if not isinstance(v, dict):
        raise fail(f"{key} must be an object")
    return v


def req_list(obj: Mapping[str, Any], key: str, lo: int, hi: int) -> list[Any]:
    v = obj.get(key)
    if not isinstance(v, list) or not lo <= len(v) <= hi:
        raise fail(f"{key} must be a list of {lo}..{hi} items")
    return v


def check_keys(
    obj: Mapping[str, Any], required: Collection[str], optional: Collection[str] = frozenset()
) -> None:
    missing = set(required) - obj.keys()
    if missing:
        raise fail(f"missing field(s) {sorted(missing)}")
    extra = obj.keys() - set(required) - set(optional)
    if extra:
        raise fail(f"unknown field(s) {sorted(str(k)[:40] for k in extra)[:5]}")
