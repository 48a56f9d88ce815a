"""The roster: who a station may enroll.

Schema 2 (default) sends ONE copy for all stations on shared topics, so it scales to any
number of people with every message well under the broker's packet limit:

* ``{prefix}/roster/pages/{n}`` (retained): page ``n`` (0-based) of the snapshot of a version,
  each at most :data:`MAX_ROSTER_PAGE_BYTES`;
* ``{prefix}/roster/manifest`` (retained): the version, the number of pages and people, and
  the SHA-256 of every page's payload, published after its pages;
* ``{prefix}/roster/deltas`` (QoS 1, not retained): upserts and removals from
  ``base_version`` to ``version``; a large change is split into consecutive versions.

A station applies a snapshot only once it holds every page of the manifest's version with the
digests the manifest names (:class:`RosterAssembler`), and a delta only on its base version.
The schema-1 :class:`RosterMessage` (one retained message per station) is kept for stations
not yet on schema 2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kiosk_contract.fields import (
    HEX64_RE,
    MAX_MANIFEST_BYTES,
    MAX_ROSTER_BYTES,
    MAX_ROSTER_PAGE_BYTES,
    ContractError,
    check_keys,
    check_size,
    dump,
    envelope,
    fail,
    req_bool,
    req_int,
    req_list,
    req_str,
    req_ts,
    text_ok,
    utc_now_iso,
    verified,
)

MAX_VERSION = 2**53
#: Field limits of a person (the station database's column sizes).
ID_MAX, NAME_MAX, GROUP_MAX, ROLE_MAX = 64, 200, 100, 32


@dataclass(frozen=True)
class RosterPerson:
    external_id: str
    display_name: str
    active: bool = True
    group: str = ""
    role: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"external_id": self.external_id, "display_name": self.display_name,
                "active": self.active, "group": self.group, "role": self.role}

    def to_json_v1(self) -> dict[str, Any]:
        return {"external_id": self.external_id, "display_name": self.display_name,
                "active": self.active}

    @classmethod
    def parse(cls, p: object, *, v1: bool = False) -> RosterPerson:
        if not isinstance(p, dict):
            raise fail("people entries must be objects")
        if v1:
            check_keys(p, {"external_id", "display_name", "active"})
            return cls(req_str(p, "external_id"), req_str(p, "display_name", max_len=NAME_MAX),
                       req_bool(p, "active"))
        check_keys(p, {"external_id", "display_name", "active", "group", "role"})
        return cls(req_str(p, "external_id", max_len=ID_MAX),
                   req_str(p, "display_name", max_len=NAME_MAX), req_bool(p, "active"),
                   req_str(p, "group", max_len=GROUP_MAX, min_len=0),
                   req_str(p, "role", max_len=ROLE_MAX, min_len=0))

    def check(self) -> RosterPerson:
        """Raise :class:`ContractError` unless every field fits schema 2."""
        ok = (text_ok(self.external_id, ID_MAX) and text_ok(self.display_name, NAME_MAX)
              and isinstance(self.active, bool) and text_ok(self.group, GROUP_MAX, 0)
              and text_ok(self.role, ROLE_MAX, 0))
        if not ok:
            raise ContractError(f"roster person {self.external_id[:40]!r} has a field that "
                                "is empty, too long or holds control characters")
        return self


def _people(obj: Mapping[str, Any], key: str, *, v1: bool = False) -> tuple[RosterPerson, ...]:
    raw = obj.get(key)
    if not isinstance(raw, list):
        raise fail(f"{key} must be a list")
    people = tuple(RosterPerson.parse(p, v1=v1) for p in raw)
    if len({p.external_id for p in people}) != len(people):
        raise fail(f"{key} lists an external_id twice")
    return people


def _ids(obj: Mapping[str, Any], key: str, max_len: int) -> tuple[str, ...]:
    r = obj.get(key)
    if not isinstance(r, list) or not all(text_ok(x, max_len) for x in r):
        raise fail(f"{key} must be a list of external ids")
    return tuple(r)


@dataclass(frozen=True)
class RosterMessage:
    """Schema 1, down, per station: a retained full snapshot, or a delta on a version."""

    kind: Literal["snapshot", "delta"]
    version: int
    people: tuple[RosterPerson, ...]
    removed: tuple[str, ...] = ()
    base_version: int | None = None
    issued_at: str = field(default_factory=utc_now_iso)

    def to_bytes(self, limit: int = MAX_ROSTER_BYTES) -> bytes:
        obj: dict[str, Any] = {
            "schema": 1, "type": "roster", "kind": self.kind, "version": self.version,
            "people": [p.to_json_v1() for p in self.people], "issued_at": self.issued_at,
        }
        if self.kind == "delta":
            obj["base_version"] = self.base_version
            obj["removed"] = list(self.removed)
        what = f"roster {self.kind} of {len(self.people)} people"
        raw = check_size(dump(obj), limit, what)
        return verified(raw, self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> RosterMessage:
        obj = envelope(payload, "roster", MAX_ROSTER_BYTES, schemas=(1,))
        kind = obj.get("kind")
        base = {"schema", "type", "kind", "version", "people", "issued_at"}
        if kind == "snapshot":
            check_keys(obj, base)
        elif kind == "delta":
            check_keys(obj, base | {"base_version", "removed"})
        else:
            raise fail("kind must be snapshot or delta")
        version = req_int(obj, "version", 1, MAX_VERSION)
        people = _people(obj, "people", v1=True)
        removed: tuple[str, ...] = ()
        base_version: int | None = None
        if kind == "delta":
            base_version = req_int(obj, "base_version", 0, version - 1)
            removed = _ids(obj, "removed", 128)
        return cls(kind, version, people, removed, base_version, req_ts(obj, "issued_at"))


# -- schema 2: pages, manifest, deltas -------------------------------------------------------


@dataclass(frozen=True)
class RosterPage:
    """Page ``page`` (0-based) of ``pages`` of the snapshot of ``version``."""

    version: int
    page: int
    pages: int
    people: tuple[RosterPerson, ...]

    def to_bytes(self, limit: int = MAX_ROSTER_PAGE_BYTES) -> bytes:
        return verified(check_size(dump({
            "schema": 2, "type": "roster-page", "version": self.version, "page": self.page,
            "pages": self.pages, "people": [p.to_json() for p in self.people],
        }), limit, f"roster page {self.page}"), self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> RosterPage:
        obj = envelope(payload, "roster-page", MAX_ROSTER_PAGE_BYTES, schemas=(2,))
        check_keys(obj, {"schema", "type", "version", "page", "pages", "people"})
        pages = req_int(obj, "pages", 1, MAX_VERSION)
        return cls(req_int(obj, "version", 1, MAX_VERSION), req_int(obj, "page", 0, pages - 1),
                   pages, _people(obj, "people"))


@dataclass(frozen=True)
class RosterManifest:
    """The complete snapshot of ``version``: its pages (by payload digest) and head count."""

    version: int
    pages: int
    people: int
    digests: tuple[str, ...]
    issued_at: str = field(default_factory=utc_now_iso)

    def __post_init__(self) -> None:
        if self.pages < 1 or len(self.digests) != self.pages:
            raise ContractError("a manifest names one digest per page (at least one page)")

    def to_bytes(self, limit: int = MAX_MANIFEST_BYTES) -> bytes:
        return verified(check_size(dump({
            "schema": 2, "type": "roster-manifest", "version": self.version,
            "pages": self.pages, "people": self.people, "digests": list(self.digests),
            "issued_at": self.issued_at,
        }), limit, f"roster manifest of {self.pages} pages"), self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> RosterManifest:
        obj = envelope(payload, "roster-manifest", MAX_MANIFEST_BYTES, schemas=(2,))
        check_keys(obj, {"schema", "type", "version", "pages", "people", "digests",
                         "issued_at"})
        pages = req_int(obj, "pages", 1, 100_000)
        digests = req_list(obj, "digests", pages, pages)
        if not all(isinstance(d, str) and HEX64_RE.match(d) for d in digests):
            raise fail("digests must be SHA-256 values in lowercase hex")
        return cls(req_int(obj, "version", 1, MAX_VERSION), pages,
                   req_int(obj, "people", 0, MAX_VERSION), tuple(digests),
                   req_ts(obj, "issued_at"))


@dataclass(frozen=True)
class RosterDelta:
    """Changes from ``base_version`` to ``version``: people added or changed, ids removed
    (a removed person stays in the station's records, inactive)."""

    version: int
    base_version: int
    upserts: tuple[RosterPerson, ...]
    removed: tuple[str, ...] = ()
    issued_at: str = field(default_factory=utc_now_iso)

    def __post_init__(self) -> None:
        if not 0 <= self.base_version < self.version:
            raise ContractError("a delta's version must be newer than its base_version")

    def to_bytes(self, limit: int = MAX_ROSTER_PAGE_BYTES) -> bytes:
        return verified(check_size(dump({
            "schema": 2, "type": "roster-delta", "version": self.version,
            "base_version": self.base_version, "upserts": [p.to_json() for p in self.upserts],
            "removed": list(self.removed), "issued_at": self.issued_at,
        }), limit, f"roster delta {self.version}"), self.parse)

    @classmethod
    def parse(cls, payload: bytes) -> RosterDelta:
        obj = envelope(payload, "roster-delta", MAX_ROSTER_PAGE_BYTES, schemas=(2,))
        check_keys(obj, {"schema", "type", "version", "base_version", "upserts", "removed",
                         "issued_at"})
        version = req_int(obj, "version", 1, MAX_VERSION)
        upserts, removed = _people(obj, "upserts"), _ids(obj, "removed", ID_MAX)
        if {p.external_id for p in upserts} & set(removed):
            raise fail("a person is both upserted and removed")
        return cls(version, req_int(obj, "base_version", 0, version - 1), upserts, removed,
                   req_ts(obj, "issued_at"))


def _sized_chunks(sizes: Sequence[int], budget: int) -> list[tuple[int, int]]:
    """``(start, end)`` runs of items whose sizes (plus a comma each) fit ``budget``."""
    runs: list[tuple[int, int]] = []
    start, used = 0, 0
    for i, n in enumerate(sizes):
        if n + 1 > budget:
            raise ContractError(f"one roster entry of {n} bytes cannot fit a page")
        if used + n + 1 > budget and i > start:
            runs.append((start, i))
            start, used = i, 0
        used += n + 1
    runs.append((start, len(sizes)))
    return runs


def paginate(version: int, people: Sequence[RosterPerson],
             limit: int = MAX_ROSTER_PAGE_BYTES,
             issued_at: str | None = None) -> tuple[RosterManifest, list[bytes]]:
    """Split a snapshot into pages of at most ``limit`` bytes; returns the manifest and the
    page payloads (publish every page, then the manifest)."""
    sizes = [len(dump(p.check().to_json())) for p in people]
    # Room for the page envelope with the largest numbers it can carry.
    overhead = len(RosterPage(MAX_VERSION, 10**6 - 1, 10**6, ()).to_bytes(limit))
    runs = _sized_chunks(sizes, limit - overhead) if people else [(0, 0)]
    payloads = [RosterPage(version, n, len(runs), tuple(people[a:b])).to_bytes(limit)
                for n, (a, b) in enumerate(runs)]
    manifest = RosterManifest(version, len(payloads), len(people),
                              tuple(hashlib.sha256(p).hexdigest() for p in payloads),
                              issued_at or utc_now_iso())
    manifest.to_bytes()  # refuse a roster whose manifest would not fit either
    return manifest, payloads


def split_delta(base_version: int, upserts: Sequence[RosterPerson], removed: Sequence[str],
                limit: int = MAX_ROSTER_PAGE_BYTES,
                issued_at: str | None = None) -> list[RosterDelta]:
    """One change as consecutive deltas ``base+1, base+2, …``, each within ``limit``."""
    items: list[RosterPerson | str] = [*(p.check() for p in upserts), *removed]
    sizes = [len(dump(x.to_json())) if isinstance(x, RosterPerson) else len(dump({"x": x}))
             for x in items]
    overhead = len(RosterDelta(MAX_VERSION, MAX_VERSION - 1, ()).to_bytes(limit))
    when = issued_at or utc_now_iso()
    out = []
    for n, (a, b) in enumerate(_sized_chunks(sizes, limit - overhead) if items else []):
        chunk = items[a:b]
        out.append(RosterDelta(base_version + n + 1, base_version + n,
                               tuple(x for x in chunk if isinstance(x, RosterPerson)),
                               tuple(x for x in chunk if isinstance(x, str)), when))
    for d in out:
        d.to_bytes(limit)
    return out


@dataclass(frozen=True)
class RosterSnapshot:
    version: int
    people: tuple[RosterPerson, ...]
    issued_at: str


def assemble(manifest: RosterManifest, pages: Mapping[int, bytes]) -> RosterSnapshot:
    """The snapshot of ``manifest`` from its page payloads; raises :class:`ContractError`
    when a page is missing, of another version, or not the one the manifest names."""
    people: list[RosterPerson] = []
    for n in range(manifest.pages):
        raw = pages.get(n)
        if raw is None:
            raise ContractError(f"page {n} of roster version {manifest.version} is missing")
        if hashlib.sha256(raw).hexdigest() != manifest.digests[n]:
            raise ContractError(f"page {n} does not match the manifest of version "
                                f"{manifest.version}")
        page = RosterPage.parse(raw)
        if (page.version, page.page, page.pages) != (manifest.version, n, manifest.pages):
            raise ContractError(f"page {n} belongs to another roster version")
        people.extend(page.people)
    if len(people) != manifest.people or len({p.external_id for p in people}) != len(people):
        raise ContractError("the pages do not add up to the manifest's people")
    return RosterSnapshot(manifest.version, tuple(people), manifest.issued_at)


class RosterAssembler:
    """Collects retained pages and manifests as they arrive, in any order, and hands out a
    snapshot once every page of the newest manifest is held. Pages are kept for at most
    ``keep_versions`` versions, so a flood of bogus versions cannot fill memory."""

    def __init__(self, keep_versions: int = 3) -> None:
        self.keep_versions = keep_versions
        self.manifest: RosterManifest | None = None
        self._pages: dict[int, dict[int, bytes]] = {}

    def add_manifest(self, payload: bytes) -> RosterSnapshot | None:
        m = RosterManifest.parse(payload)
        if self.manifest is None or m.version >= self.manifest.version:
            self.manifest = m
        self._prune()
        return self._try()

    def add_page(self, payload: bytes) -> RosterSnapshot | None:
        page = RosterPage.parse(payload)
        if self.manifest is not None and page.version < self.manifest.version:
            return None  # an old retained page: its replacement is on its way
        self._pages.setdefault(page.version, {})[page.page] = payload
        self._prune()
        return self._try()

    def _prune(self) -> None:
        floor = self.manifest.version if self.manifest else 0
        keep = sorted(v for v in self._pages if v >= floor)[: self.keep_versions]
        self._pages = {v: self._pages[v] for v in keep}

    def _try(self) -> RosterSnapshot | None:
        m = self.manifest
        if m is None or len(self._pages.get(m.version, {})) < m.pages:
            return None
        try:
            snap = assemble(m, self._pages[m.version])
        except ContractError:
            return None  # a page that does not match is replaced when the right one arrives
        self._pages.pop(m.version, None)
        return snap


def people_bytes(people: Iterable[RosterPerson]) -> int:
    """Encoded size of people entries (for sizing estimates and reports)."""
    return sum(len(dump(p.to_json())) + 1 for p in people)
