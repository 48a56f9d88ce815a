"""The paged shared roster through a real Mosquitto: 50,000 people reach a station (as the
station's account reads them) while the ingest keeps draining; deltas; cleared pages; the
legacy snapshot refused over the packet limit, with nothing half-published."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import kiosk_contract as c
from kiosk_central.cli import main
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_central.roster import import_roster, publish_paged
from kiosk_contract.mqtt import ClientSettings, make_client, parse_broker_url
from kiosk_contract.sealing import KeyPair
from tests.central.conftest import PREFIX, Sender
from tests.central.samples import template_v2
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.sync import mqtt_helpers
from tests.sync.asyncapi_check import payload_errors
from tests.sync.mqtt_helpers import connect

pytestmark = pytest.mark.timeout(180)
TOPICS = c.RosterTopics(PREFIX)


def people(n: int, tag: str = "") -> list[c.RosterPerson]:
    return [c.RosterPerson(f"U-{i:06d}", f"Student {i} {tag}".strip(), True, f"Y{i % 13}",
                           "student") for i in range(n)]


def publisher(broker: MosquittoBroker) -> object:
    cl = make_client(ClientSettings(parse_broker_url(broker.url), "fpk-central-test-publisher",
                                    "central", broker.password("central")))
    cl.connect(broker.host, broker.port)
    cl.loop_start()
    wait_until(cl.is_connected, 10, what="publisher connected")
    return cl


def station_view(broker: MosquittoBroker) -> tuple[mqtt_helpers.TestClient, c.RosterAssembler]:
    st = connect(broker, "station-02")
    st.subscribe(TOPICS.all)
    return st, c.RosterAssembler()


def assemble_from(st: mqtt_helpers.TestClient, asm: c.RosterAssembler) -> c.RosterSnapshot | None:
    snap = None
    for m in st.take("/roster/"):
        if not m.payload:
            continue
        got = (asm.add_manifest(m.payload) if m.topic == TOPICS.manifest else
               asm.add_page(m.payload) if TOPICS.page_number(m.topic) is not None else None)
        snap = got or snap
    return snap


def test_a_50000_person_roster_reaches_a_station_while_the_ingest_drains(
    broker: MosquittoBroker, ingest_factory: Callable[..., Ingest],
    sender_factory: Callable[..., Sender], central_key: KeyPair, central_db_url: str,
) -> None:
    ing = ingest_factory()
    db = CentralDB(central_db_url)
    roster = people(50_000)
    import_roster(db, roster)
    st, asm = station_view(broker)
    s = sender_factory("station-01")
    ids = []
    cl = publisher(broker)
    t0 = time.monotonic()
    for i in range(100):  # a drain running while the roster goes out
        tm, _ = template_v2(central_key, person=f"P-{i:05d}")
        s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
        ids.append(tm.msg_id or "")
    result = publish_paged(cl, db, PREFIX, c.DEFAULT_MAX_PACKET_BYTES)  # type: ignore[arg-type]
    s.wait_verdicts(ids, 60)
    drain_s = time.monotonic() - t0
    snap: list[c.RosterSnapshot] = []
    def holds_every_page() -> bool:
        got = assemble_from(st, asm)
        if got is not None:
            snap.append(got)
        return bool(snap)

    wait_until(holds_every_page, 60, what="station holds every page")
    roster_s = time.monotonic() - t0
    assert snap[0].version == result.version and list(snap[0].people) == roster
    assert result.pages > 50 and ing.client.is_connected()
    assert {v.status for v in (s.verdict(m) for m in ids) if v} == {"stored"}
    print(f"\nroster of 50000 in {result.pages} pages ({result.bytes} bytes): delivered in "
          f"{roster_s:.1f}s; 100 templates drained meanwhile in {drain_s:.1f}s")
    cl.loop_stop()  # type: ignore[attr-defined]
    st.close()


def test_deltas_chain_versions_and_stale_pages_are_cleared(
    broker: MosquittoBroker, central_db_url: str,
) -> None:
    db = CentralDB(central_db_url)
    cl = publisher(broker)
    first = import_roster(db, people(6000)).version
    publish_paged(cl, db, PREFIX, c.DEFAULT_MAX_PACKET_BYTES)  # type: ignore[arg-type]
    st, _asm = station_view(broker)
    wait_until(lambda: st.received("manifest"), 10, what="retained manifest")
    old_pages = c.RosterManifest.parse(st.received("manifest")[-1].payload).pages
    st.messages.clear()
    changed = people(6000, "renamed")[:1000] + people(6000)[1000:2500]  # 3500 left removed
    res = import_roster(db, changed)
    out = publish_paged(cl, db, PREFIX, c.DEFAULT_MAX_PACKET_BYTES)  # type: ignore[arg-type]
    assert out.deltas == res.versions > 1 and out.cleared_pages == old_pages - out.pages > 0
    wait_until(lambda: len(st.received("deltas")) == out.deltas, 20, what="every delta")
    deltas = [c.RosterDelta.parse(m.payload) for m in st.received("deltas")]
    assert all(payload_errors("deltas", m.payload) == [] for m in st.received("deltas"))
    assert [d.base_version for d in deltas] == list(range(first, first + len(deltas)))
    # A station at the old version applying the deltas ends where the snapshot is.
    held = {p.external_id: p for p in people(6000)}
    for d in deltas:
        held.update({p.external_id: p for p in d.upserts})
        for gone in d.removed:
            held.pop(gone)
    assert sorted(held.values(), key=lambda p: p.external_id) == changed
    st.close()
    late = connect(broker, "station-01")  # a station connecting now sees only current pages
    late.subscribe(TOPICS.pages)
    wait_until(lambda: len(late.received("pages")) == out.pages, 10, what="current pages")
    time.sleep(0.5)  # nothing more is retained (the stale pages were cleared)
    assert {TOPICS.page_number(m.topic) for m in late.received("pages")} == set(
        range(out.pages))
    assert all(payload_errors(m.topic.rsplit("/", 1)[1], m.payload) == []
               for m in late.received("pages"))
    late.close()
    cl.loop_stop()  # type: ignore[attr-defined]


def test_the_legacy_snapshot_is_refused_whole_over_the_packet_limit(
    broker: MosquittoBroker, central_db_url: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = CentralDB(central_db_url)
    import_roster(db, people(5000))
    watcher = connect(broker, "central")
    watcher.subscribe(f"{PREFIX}/stations/+/roster")
    monkeypatch.setenv("KIOSK_CENTRAL_PASSWORD", broker.password("central"))
    rc = main(["roster", "publish", "--legacy", "--station", "station-01", "--station",
               "station-02", "--db", central_db_url, "--broker", broker.url, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1 and "over the broker's 262144-byte limit" in out["message"]
    assert "without --legacy" in out["message"]
    rc = main(["roster", "publish", "--db", central_db_url, "--broker", broker.url, "--json"])
    assert rc == 0 and json.loads(capsys.readouterr().out)["mode"] == "paged"
    time.sleep(0.5)
    assert watcher.received("roster") == []  # nothing half-published
    watcher.close()


def test_the_ingest_stays_up_when_a_legacy_snapshot_would_not_fit(
    broker: MosquittoBroker, ingest_factory: Callable[..., Ingest],
    sender_factory: Callable[..., Sender], central_key: KeyPair, central_db_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Issue #12 defect 1: a roster over the packet limit used to knock the ingest offline."""
    caplog.set_level(logging.ERROR, logger="kiosk_central")
    ing = ingest_factory(legacy_roster=True)
    import_roster(ing.db, people(5000))
    s = sender_factory()
    s.status()  # birth: would publish the legacy snapshot
    ids = []
    for i in range(50):
        tm, _ = template_v2(central_key, person=f"U-{i:06d}")
        s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
        ids.append(tm.msg_id or "")
    s.wait_verdicts(ids, 30)
    assert ing.client.is_connected() and ing.db.template_count() == 50
    assert any("schema-1 roster not sent" in r.getMessage() for r in caplog.records)
    assert not any(t.endswith("/roster") for t, _, _ in s.down)


def test_stations_read_but_cannot_write_the_shared_roster(
    broker: MosquittoBroker, tmp_path: Path,
) -> None:
    st = connect(broker, "station-01")
    for topic in (TOPICS.manifest, TOPICS.page(0), TOPICS.deltas):
        rc = st.publish(topic, b"{}", retain=True)
        assert rc.is_failure and rc.value == 0x87, topic
    st.close()
