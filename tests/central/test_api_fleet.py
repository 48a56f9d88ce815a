"""The station list through the API, fed by heartbeats over a real Mosquitto and the real
ingest: software, clock skew, backlog, sensor, last error, roster lag; a station whose
heartbeats stop shows "offline since …" within two heartbeat periods."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

import kiosk_contract as c
from kiosk_central.clock import now
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from tests.central.api_helpers import ApiServer, api_factory, make_token  # noqa: F401
from tests.central.conftest import Sender
from tests.fixtures.broker import wait_until

pytestmark = pytest.mark.timeout(120)


def _beat(s: Sender, *, ahead_s: float = 0.0, error: str = "", pending: int = 3,
          sensor: c.SensorState = c.SensorState.READY) -> None:
    sent = (datetime.now(UTC) + timedelta(seconds=ahead_s)).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")
    s.send("heartbeat", c.HeartbeatMessage(
        s.station, "2.1.0", 3600, c.Backlog(pending, 42.0, 1),
        c.SensorReport(sensor, "R307", 17, 1000), 1, error, sent).to_bytes())


def test_station_list_shows_health_and_offline_after_two_missed_periods(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_db_url: str, api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    ingest_factory()
    a, b = sender_factory("station-01"), sender_factory("station-02")
    offset = [0.0]
    api = api_factory(central_db_url, heartbeat_s=60.0,
                      clock=lambda: now() + timedelta(seconds=offset[0]))
    _beat(a, ahead_s=30, error="sensor timeout at 10:02")
    _beat(b, sensor=c.SensorState.DISCONNECTED, pending=0)
    token = make_token(central_db_url, "read:status")
    with api.client(token) as cl:
        wait_until(lambda: len(cl.get("/v1/stations").json()) == 2, 10, what="two stations")
        got = {s["station"]: s for s in cl.get("/v1/stations").json()}
        sa, sb = got["station-01"], got["station-02"]
        assert sa["online"] and sa["offline_since"] is None and sa["software"] == "2.1.0"
        assert sa["heartbeat"]["clock_skew_s"] == pytest.approx(30, abs=2)
        assert sa["heartbeat"]["backlog"] == {"pending": 3, "oldest_pending_age_s": 42.0,
                                              "rejected": 1}
        assert sa["heartbeat"]["last_error"] == "sensor timeout at 10:02"
        assert sa["heartbeat"]["roster_behind"] is False  # central's roster: version 1
        assert sb["heartbeat"]["sensor"]["state"] == "disconnected"
        assert sa["schema"] == 2

        offset[0] = 119.0  # 1.98 periods later: still online
        assert cl.get("/v1/stations/station-01").json()["online"] is True
        offset[0] = 121.0  # more than two periods without a heartbeat
        late = cl.get("/v1/stations/station-01").json()
        assert late["online"] is False and late["offline_since"] == sa["last_seen"]
        _beat(a)  # it comes back
        wait_until(lambda: cl.get("/v1/stations/station-01").json()["last_seen"]
                   != sa["last_seen"], 10, what="the new heartbeat")
        offset[0] = 0.0
        assert cl.get("/v1/stations/station-01").json()["online"] is True
        b.status("offline")  # a station that says goodbye is offline at once
        wait_until(lambda: not cl.get("/v1/stations/station-02").json()["online"], 10,
                   what="station-02 offline")
        CentralDB(central_db_url).import_people([("Z-1", "Z", True)])
        assert cl.get("/v1/stations/station-01").json()["heartbeat"]["roster_behind"] is True
        assert cl.get("/v1/stations/nope").status_code == 404


def test_with_real_time_a_silent_station_is_offline_within_two_periods(
    ingest_factory: Callable[..., Ingest], sender_factory: Callable[..., Sender],
    central_db_url: str, api_factory: Callable[..., ApiServer],  # noqa: F811
) -> None:
    ingest_factory()
    a = sender_factory("station-01")
    period = 0.5
    api = api_factory(central_db_url, heartbeat_s=period)
    with api.client(make_token(central_db_url, "read:status")) as cl:
        _beat(a)
        wait_until(lambda: cl.get("/v1/stations").json(), 10, what="the station listed")
        last = datetime.fromisoformat(cl.get("/v1/stations/station-01").json()["last_seen"])
        wait_until(lambda: not cl.get("/v1/stations/station-01").json()["online"],
                   2 * period + 2, what="offline within two periods")
        noticed = datetime.now(UTC)
    assert (noticed - last).total_seconds() < 2 * period + 1.0
    assert (noticed - last).total_seconds() >= 2 * period - 0.05
