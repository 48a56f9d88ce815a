"""The broker fixture and the shipped ACL behave as the sync design relies on."""

from __future__ import annotations

import signal

from tests.fixtures.broker import MosquittoBroker, port_accepting, wait_until
from tests.fixtures.faultproxy import FaultProxy
from tests.sync.mqtt_helpers import connect


def test_station_may_publish_only_in_its_own_namespace(broker: MosquittoBroker) -> None:
    st = connect(broker, "station-01")
    try:
        assert not st.connack.is_failure
        ok = st.publish("fpk/v1/stations/station-01/templates", b"{}")
        denied = st.publish("fpk/v1/stations/station-02/templates", b"{}")
        assert not ok.is_failure
        # MQTT v5: an ACL-denied publish is answered with a failure reason code (0x87).
        assert denied.is_failure and denied.value == 0x87
    finally:
        st.close()


def test_wrong_password_is_refused(broker: MosquittoBroker) -> None:
    st = connect(broker, "station-01", password="wrong")
    try:
        assert st.connack.is_failure
    finally:
        st.close()


def test_restart_keeps_port_and_sigkill_is_a_crash(broker: MosquittoBroker) -> None:
    port = broker.port
    broker.restart(signal.SIGKILL)
    assert broker.port == port and port_accepting(port)
    broker.restart(signal.SIGTERM)
    assert "Saving in-memory database" in broker.log_text()


def test_fault_proxy_blackhole_and_cut(
    broker: MosquittoBroker, fault_proxy_factory: type[FaultProxy]
) -> None:
    proxy = fault_proxy_factory(broker.port).start()
    sub = connect(broker, "central")
    sub.subscribe("fpk/v1/stations/+/status")
    st = connect(broker, "station-01", port=proxy.port)
    try:
        assert proxy.live == 1
        st.publish("fpk/v1/stations/station-01/status", b"through")
        wait_until(lambda: sub.received("status"), 5, what="message through the proxy")
        proxy.blackhole = True
        info = st.client.publish("fpk/v1/stations/station-01/status", b"lost", qos=1)
        wait_until(lambda: proxy.swallowed > 0, 5, what="proxy to swallow the publish")
        assert info.mid not in st.pubacks
        assert [m.payload for m in sub.received("status")] == [b"through"]
        assert proxy.cut() == 1
        broker.wait_log("closed its connection")
    finally:
        st.close()
        sub.close()
