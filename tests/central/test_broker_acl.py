"""The production broker layout (docs/mosquitto: base + stations listener) against a rogue
station account: every topic, every subscription trick, another station's client id.

What the real Mosquitto does, checked here: it refuses publishes outside a station's own
topics (PUBACK 0x87) and delivers nothing a station may not read, but it grants every
SUBSCRIBE — its ACL file is not consulted for subscriptions, ``$share/...`` included — so
central's shared group is protected by its name (derived from central's key), and a rogue
that knew the name would be routed part of everyone's uplink (shown below).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

import kiosk_contract as c
from kiosk.sync.worker import SyncWorker
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.central.conftest import PREFIX, Sender
from tests.central.samples import template_v2
from tests.fixtures.broker import TEMPLATES, MosquittoBroker, free_port, render, wait_until
from tests.sync.conftest import Enrolled
from tests.sync.mqtt_helpers import connect

pytestmark = pytest.mark.timeout(120)


class ProductionBroker(MosquittoBroker):
    """The shipped templates as production uses them: internal listener + station listener."""

    station_port: int = 0

    def _write_files(self) -> None:
        super()._write_files()
        if not self.station_port:
            self.station_port = free_port()
        with self.conf_file.open("a") as fh:
            fh.write(render(TEMPLATES / "stations.conf.tmpl", station_port=self.station_port,
                            station_bind_address="127.0.0.1"))


@pytest.fixture
def broker(tmp_path: Any) -> Any:
    b = ProductionBroker(tmp_path / "prod-broker")
    for user in ("station-01", "station-02"):
        b.add_user(user)
    b.start()
    yield b
    b.kill()


def _client(broker: ProductionBroker, user: str, client_id: str, port: int) -> tuple[
        mqtt.Client, dict[str, Any]]:
    cl = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id,
                     protocol=mqtt.MQTTv5)
    cl.username_pw_set(user, broker.password(user))
    st: dict[str, Any] = {"disconnects": 0, "connack": None, "msgs": []}
    ok = threading.Event()

    def on_connect(*a: Any) -> None:
        st["connack"] = a[3]
        ok.set()

    def on_disconnect(*a: Any) -> None:
        st["disconnects"] += 1

    cl.on_connect = on_connect
    cl.on_disconnect = on_disconnect
    cl.on_message = lambda _c, _u, m: st["msgs"].append(m.topic)
    cl.reconnect_delay_set(30, 30)
    cl.connect(broker.host, port, keepalive=10)
    cl.loop_start()
    assert ok.wait(10)
    return cl, st


def test_a_rogue_station_can_publish_and_read_nothing_of_others(
    broker: ProductionBroker, ingest_factory: Callable[..., Ingest],
    sender_factory: Callable[..., Sender], central_key: KeyPair,
) -> None:
    ing = ingest_factory()
    rogue = connect(broker, "station-02", port=broker.station_port)
    victim = c.Topics(PREFIX, "station-01")
    shared = c.RosterTopics(PREFIX)
    refused = []
    for topic in [victim.of(k) for k in c.TOPIC_KINDS] + [shared.manifest, shared.page(0),
                                                          shared.deltas, "$SYS/broker/x",
                                                          f"{PREFIX}/other"]:
        rc = rogue.publish(topic, b"{}")
        refused.append(rc.is_failure and rc.value == 0x87)
    assert all(refused), refused
    own = c.Topics(PREFIX, "station-02")
    assert not rogue.publish(own.heartbeat, b"{}").is_failure  # its own topics: allowed
    filters = [victim.acks, victim.deletions, victim.roster, f"{PREFIX}/stations/+/templates",
               "#", "$SYS/#", f"$share/ingest/{PREFIX}/stations/+/templates",
               f"$share/{ing.cfg.group}/{PREFIX}/stations/+/consents"]
    for f in filters:
        rogue.subscribe(f)  # Mosquitto grants every SUBSCRIBE (its ACL file ignores them)
    s = sender_factory("station-01")
    ids = []
    t0 = time.monotonic()
    for i in range(75):
        tm, _ = template_v2(central_key, person=f"P-{i:05d}")
        s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
        ids.append(tm.msg_id or "")
    s.wait_verdicts(ids, 20)
    took = time.monotonic() - t0
    time.sleep(0.5)
    leaked = [m.topic for m in rogue.received() if "station-02" not in m.topic]
    assert leaked == [], leaked  # nothing of station-01, nothing of $SYS
    assert took < 10, f"75 templates took {took:.1f}s with the rogue subscribed"
    print(f"\nrogue: {len(refused)} publishes refused (0x87), {len(filters)} subscriptions "
          f"granted but 0 messages delivered; victim's 75 templates acked in {took:.2f}s")
    rogue.close()


def test_the_share_name_is_what_keeps_stations_out_of_the_group(
    broker: ProductionBroker, ingest_factory: Callable[..., Ingest],
    sender_factory: Callable[..., Sender], central_key: KeyPair,
) -> None:
    """If the derived group name leaked, a station could join and swallow part of the uplink:
    this is the limit of Mosquitto's ACL file, and why the name is secret."""
    ing = ingest_factory()
    rogue = connect(broker, "station-02", port=broker.station_port)
    rogue.subscribe(f"$share/{ing.share}/{PREFIX}/stations/+/templates")
    s = sender_factory("station-01")
    ids = []
    for i in range(40):
        tm, _ = template_v2(central_key, person=f"P-{i:05d}")
        s.send("templates", tm.to_bytes(), tm.msg_id, wait=False)
        ids.append(tm.msg_id or "")
    time.sleep(3)
    answered = sum(1 for m in ids if s.verdict(m))
    assert answered < len(ids), "the rogue member got no share"
    assert rogue.received() == []  # and what was routed to it is dropped
    rogue.close()


def test_another_stations_client_id_cannot_push_it_off(broker: ProductionBroker) -> None:
    victim, vs = _client(broker, "station-01", "whatever", broker.station_port)
    rogue, rs = _client(broker, "station-02", "station-01", broker.station_port)
    time.sleep(1.5)
    assert not rs["connack"].is_failure  # it may connect — as itself
    assert vs["disconnects"] == 0 and victim.is_connected()
    assert "as station-02 (" in broker.log_text() and "as station-01 (" in broker.log_text()
    for cl in (victim, rogue):
        cl.disconnect()
        cl.loop_stop()
    # On the internal listener (no binding) the same trick does push the victim off: that
    # listener must be out of the stations' reach.
    victim, vs = _client(broker, "station-01", "station-01", broker.port)
    rogue, rs = _client(broker, "station-02", "station-01", broker.port)
    wait_until(lambda: vs["disconnects"] > 0, 10, what="takeover on the internal listener")
    for cl in (victim, rogue):
        cl.disconnect()
        cl.loop_stop()


def test_a_real_station_drains_through_the_station_listener(
    broker: ProductionBroker, ingest_factory: Callable[..., Ingest],
    station_store: Callable[..., Enrolled], worker_factory: Callable[..., SyncWorker],
) -> None:
    ing = ingest_factory()
    e = station_store(10)
    worker_factory(e.store, url=f"mqtt://127.0.0.1:{broker.station_port}")
    wait_until(e.outbox_empty, 30, what="drained through the station listener")
    assert ing.db.template_count() == len(e.templates)
    assert "as station-01 (" in broker.log_text()  # client id = user name


def test_what_provision_writes_lets_a_new_station_use_exactly_its_topics(
    broker: ProductionBroker, tmp_path: Any, capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from kiosk_central.cli import main

    key = tmp_path / "central.key"
    assert main(["keygen", "--out", str(key), "--json"]) == 0
    out = tmp_path / "s7.SECRET.kioskprov"
    before = broker.log_text().count("Reloading config")
    assert main(["provision", "station-07", "--key-file", str(key), "--out", str(out),
                 "--broker-url", broker.url, "--broker-dir", str(broker.workdir),
                 "--broker-pid", str(broker.proc.pid), "--json"]) == 0  # type: ignore[union-attr]
    capsys.readouterr()
    wait_until(lambda: broker.log_text().count("Reloading config") > before, 10, what="reload")
    acl = broker.acl_file.read_text()
    for kind in c.UP_KINDS:
        assert f"topic write {PREFIX}/stations/station-07/{kind}" in acl
    assert f"topic read {PREFIX}/roster/#" in acl
    broker.users["station-07"] = json.loads(out.read_text())["payload"]["password"]
    st = connect(broker, "station-07", port=broker.station_port)
    own, other = c.Topics(PREFIX, "station-07"), c.Topics(PREFIX, "station-01")
    assert all(not st.publish(own.of(k), b"{}").is_failure for k in c.UP_KINDS)
    assert all(st.publish(other.of(k), b"{}").value == 0x87 for k in c.UP_KINDS)
    st.close()
