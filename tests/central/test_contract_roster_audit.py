"""The paged roster (pagination, assembly, deltas) and the audit hash chain of the contract."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import replace

import pytest

import kiosk_contract as c
from tests.central.samples import STATION, audit_entries, new_id


def people(n: int, start: int = 0) -> list[c.RosterPerson]:
    return [c.RosterPerson(f"S-{i:06d}", f"Ünïcode Pérson {i} 山田", i % 7 != 0, f"G{i % 40}",
                           "student") for i in range(start, start + n)]


def test_a_100000_person_roster_pages_under_the_limit_and_reassembles() -> None:
    roster = people(100_000)
    manifest, pages = c.paginate(17, roster)
    assert manifest.pages == len(pages) > 100 and manifest.people == 100_000
    assert max(len(p) for p in pages) <= c.MAX_ROSTER_PAGE_BYTES
    assert len(manifest.to_bytes()) <= c.MAX_MANIFEST_BYTES < c.DEFAULT_MAX_PACKET_BYTES
    snap = c.assemble(c.RosterManifest.parse(manifest.to_bytes()), dict(enumerate(pages)))
    assert snap.version == 17 and list(snap.people) == roster


def test_assembly_refuses_incomplete_foreign_or_tampered_pages() -> None:
    manifest, pages = c.paginate(3, people(3000))
    full = dict(enumerate(pages))
    with pytest.raises(c.ContractError, match="missing"):
        c.assemble(manifest, {k: v for k, v in full.items() if k != 2})
    _, other = c.paginate(4, people(3000))
    with pytest.raises(c.ContractError, match="does not match"):
        c.assemble(manifest, {**full, 1: other[1]})
    tampered = pages[0].replace(b"S-000001", b"S-999999")
    with pytest.raises(c.ContractError, match="does not match"):
        c.assemble(manifest, {**full, 0: tampered})
    short = c.RosterManifest(3, manifest.pages, manifest.people + 1, manifest.digests)
    with pytest.raises(c.ContractError, match="add up"):
        c.assemble(short, full)


def test_assembler_waits_for_every_page_in_any_order_and_ignores_old_ones() -> None:
    old_manifest, old_pages = c.paginate(1, people(2000))
    manifest, pages = c.paginate(2, people(2500))
    asm = c.RosterAssembler()
    arrivals: list[tuple[str, bytes]] = [("page", p) for p in pages + old_pages]
    arrivals += [("manifest", manifest.to_bytes()), ("manifest", old_manifest.to_bytes())]
    random.Random(7).shuffle(arrivals)
    got = []
    for what, raw in arrivals:
        snap = asm.add_manifest(raw) if what == "manifest" else asm.add_page(raw)
        if snap is not None:
            got.append(snap)
    assert [s.version for s in got] in ([2], [1, 2])
    assert got[-1].people == tuple(people(2500))
    assert asm.add_page(pages[0]) is None  # complete once; a repeat page changes nothing


def test_assembler_memory_is_bounded_against_bogus_versions() -> None:
    asm = c.RosterAssembler(keep_versions=3)
    for v in range(1, 200):
        asm.add_page(c.RosterPage(v, 0, 2, tuple(people(1))).to_bytes())
    assert len(asm._pages) == 3


def test_large_deltas_split_into_consecutive_versions() -> None:
    ups, gone = people(9000), [f"S-{i:06d}" for i in range(50_000, 52_000)]
    deltas = c.split_delta(40, ups, gone)
    assert len(deltas) > 5
    assert [d.base_version for d in deltas] == list(range(40, 40 + len(deltas)))
    assert [d.version for d in deltas] == list(range(41, 41 + len(deltas)))
    for d in deltas:
        raw = d.to_bytes()
        assert len(raw) <= c.MAX_ROSTER_PAGE_BYTES and c.RosterDelta.parse(raw) == d
    assert [p for d in deltas for p in d.upserts] == ups
    assert [r for d in deltas for r in d.removed] == gone
    assert c.split_delta(40, [], []) == []
    with pytest.raises(c.ContractError, match="both"):
        c.RosterDelta.parse(c.RosterDelta(2, 1, tuple(ups[:1]), (ups[0].external_id,))
                            .to_bytes())


def test_roster_people_must_fit_the_station_columns() -> None:
    for bad in (c.RosterPerson("x" * 65, "Name"), c.RosterPerson("id", ""),
                c.RosterPerson("id", "N\x00ul"), c.RosterPerson("id", "N", True, "g" * 101),
                c.RosterPerson("id", "N", True, "", "r" * 33)):
        with pytest.raises(c.ContractError):
            c.paginate(1, [bad])
    dup = c.RosterPage(1, 0, 1, (people(1)[0], people(1)[0])).to_bytes
    with pytest.raises(c.ContractError, match="twice"):
        dup()


# -- audit chain --------------------------------------------------------------------------------


def test_the_chain_rule_is_the_documented_one() -> None:
    e = audit_entries(1)[0]
    content = json.dumps({"action": e.action, "actor": e.actor, "after": e.after, "at": e.at,
                          "before": None, "seq": 1, "station": STATION, "subject": e.subject},
                         separators=(",", ":"), ensure_ascii=False)
    assert e.prev_hash == "0" * 64
    assert e.hash == hashlib.sha256(("0" * 64 + content).encode()).hexdigest()
    assert c.verify_chain(audit_entries(50), c.GENESIS, STATION) is None


def test_verify_chain_names_the_first_bad_position_and_why() -> None:
    chain = audit_entries(20)
    edited = [*chain[:7], replace(chain[7], subject="someone else"), *chain[8:]]
    brk = c.verify_chain(edited, c.GENESIS, STATION)
    assert brk is not None and (brk.index, brk.seq, brk.kind) == (7, 8, "content")
    cut = chain[:5] + chain[9:]
    brk = c.verify_chain(cut, c.GENESIS, STATION)
    assert brk is not None and (brk.index, brk.kind) == (5, "gap") and "6..9" in brk.reason
    # Remove one entry and renumber the rest: every seq is consecutive, the link breaks.
    renumbered = chain[:3] + [replace(e, seq=e.seq - 1) for e in chain[4:]]
    brk = c.verify_chain(renumbered, c.GENESIS, STATION)
    assert brk is not None and (brk.index, brk.kind) == (3, "link")
    assert c.verify_chain(chain[10:], chain[9].hash, STATION) is None
    assert c.verify_chain(chain[10:], c.GENESIS, STATION) is not None
    assert c.verify_chain(chain, c.GENESIS, "station-02") is not None  # bound to its station


def test_audit_message_rules() -> None:
    chain = audit_entries(5)
    with pytest.raises(c.ContractError, match="consecutive"):
        c.AuditMessage(new_id(), STATION, (chain[0], chain[2]))
    with pytest.raises(c.ContractError):
        c.AuditMessage(new_id(), STATION, ())
    with pytest.raises(c.ContractError, match="floats"):
        c.AuditEntry.chained(c.GENESIS, STATION, seq=1, at=c.utc_now_iso(), actor="a",
                             action="b", after={"score": 0.5})
    raw = json.loads(c.AuditMessage(new_id(), STATION, tuple(chain)).to_bytes())
    deep: object = 1
    for _ in range(12):
        deep = [deep]
    raw["entries"][0]["after"] = deep
    with pytest.raises(c.ContractError, match="nested"):
        c.AuditMessage.parse(json.dumps(raw).encode())
    raw["entries"][0]["after"] = {"k": "nul\u0000"}
    with pytest.raises(c.ContractError):
        c.AuditMessage.parse(json.dumps(raw).encode())
