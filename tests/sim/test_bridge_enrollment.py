"""Enrollment through the virtual ESP32 bridge, first attempt, with the station's own code.

The bridge resets on the first open (the worst case: a CH340 that pulses its lines) and holds
for its real boot and power-up times. The station's connector (``make_connector``), the sensor
worker (``SensorService``) and the enrollment engine run unchanged; so does ``kiosk enroll``
in a separate process over real TCP.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.sensor_service import SensorService, SensorStatus
from kiosk.app.station import make_connector
from kiosk.app.store_sink import StoreSink
from kiosk.config import Config, EnrollmentPolicy, SensorConfig
from kiosk.enrollment.engine import EnrollmentRequest
from kiosk.enrollment.events import Result
from kiosk.sim import AutoPerson, SimConfig, VirtualR307
from kiosk.sim.bridge import VirtualBridge
from kiosk.store import Store
from kiosk.store.records import PersonIn
from kiosk_contract.fingers import Finger
from kiosk_contract.telemetry import SensorState

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:serial.rfc2217")

DEADLINE = 30.0


@pytest.fixture
def bridge() -> Iterator[VirtualBridge]:
    sim = VirtualR307(SimConfig(seed=5, startup_byte=False))
    AutoPerson(sim, "ada:right-index").install()
    b = VirtualBridge(sim, host_os="windows" if sys.platform == "win32" else "posix",
                      reset_on_first_open=True)
    yield b
    b.close()


def test_sensor_service_enrolls_through_a_resetting_bridge(
    bridge: VirtualBridge, tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "kiosk.sqlite3")
    store.people.upsert([PersonIn("P1", "Ada Lovelace")], "1")
    store.consents.record("P1", notice_version="t", notice_text="notice", method="on-screen",
                          operator=None)
    config = Config().replace(sensor=SensorConfig(port=bridge.url))
    service = SensorService(make_connector(config, None), retry_interval_s=0.2)
    statuses: list[SensorStatus] = []
    results: list[Result] = []
    cond = threading.Condition()

    def listen(ev: object) -> None:
        with cond:
            if isinstance(ev, SensorStatus):
                statuses.append(ev)
            elif isinstance(ev, Result):
                results.append(ev)
            cond.notify_all()

    service.add_listener(listen)
    service.start()
    try:
        with cond:
            assert cond.wait_for(lambda: any(s.connected for s in statuses), DEADLINE), statuses
        assert bridge.opens == 1, "connected on the first attempt, one open"
        service.enroll(EnrollmentRequest("P1", Finger.RIGHT_INDEX), StoreSink(store),
                       EnrollmentPolicy(idle_timeout_s=10))
        with cond:
            assert cond.wait_for(lambda: bool(results), DEADLINE)
        assert results[0].ok, results[0]
        assert store.people.status("P1").fingers
    finally:
        service.stop()
        store.close()
    assert bridge.resets == 1 and bridge.opens == 1
    assert next(s.state for s in statuses if s.state is not SensorState.STARTING) is (
        SensorState.READY)


def test_kiosk_enroll_through_a_resetting_bridge(bridge: VirtualBridge, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    store = Store.open(data / "kiosk.sqlite3")
    store.people.upsert([PersonIn("S-1001", "Grace Hopper")], "1")
    store.close()
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data), "--json", "enroll",
         "--person", "S-1001", "--finger", "right-index", "--port", bridge.url,
         "--consent", "operator-attestation", "--connect-timeout", "10"],
        capture_output=True, text=True, timeout=90, check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["outcome"] == "completed"
    assert bridge.resets == 1 and bridge.opens == 1
