"""Acceptance, end to end on real parts: a roster pushed through the API reaches the real
station; an enrollment there (virtual R307, the real enrollment engine and store) shows in the
API's status within seconds and fires the webhook to a real HTTP receiver; a deletion
requested through the API clears the station's database and its sensor and returns a
complete receipt.

It needs the station on contract v2 (paged shared roster, schema-2 deletion requests and
receipts with the sensor place); until then the station reads only the schema-1 roster and
its receipts never report the sensor, so the receipt could never be complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.app import ConsentMethod, Finger, SensorState, Station
from kiosk.config import Config, SyncConfig
from kiosk.paths import DataPaths
from kiosk.store import NotFound
from kiosk_central import webhooks
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest
from kiosk_contract.sealing import KeyPair
from tests.central.api_helpers import (  # noqa: F401
    ApiServer,
    Receiver,
    api_factory,
    broker_settings,
    make_token,
    receiver,
)
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.fixtures.desk import enroll_cooperative

pytestmark = [pytest.mark.timeout(180)]
STATION, PERSON = "station-01", "S-1001"
DEADLINE = 30.0


@pytest.fixture
def station(tmp_path: Path, broker: MosquittoBroker, central_key: KeyPair) -> Iterator[Station]:
    sync = SyncConfig(broker_url=broker.url, central_public_key=central_key.public_b64,
                      ack_timeout_s=5.0, keepalive_s=5)
    base = Config()
    config = base.replace(station=replace(base.station, id=STATION), sync=sync)
    st = Station.open(DataPaths(tmp_path / "station"), config, simulate=True,
                      sync_password=broker.password(STATION))
    wait_until(lambda: st.sensor_status.state is SensorState.READY, DEADLINE,
               what="the virtual sensor ready")
    yield st
    st.close()


def _on_roster(st: Station, person: str) -> bool:
    try:
        return st.desk.person(person).person.display_name == "Ada Lovelace"
    except NotFound:
        return False


def test_roster_enrollment_webhook_and_deletion_end_to_end(
    broker: MosquittoBroker, ingest_factory: Callable[..., Ingest], central_db_url: str,
    api_factory: Callable[..., ApiServer], receiver: Receiver,  # noqa: F811
    station: Station,
) -> None:
    ingest_factory()
    webhooks.add(CentralDB(central_db_url), receiver.url, secret=receiver.secret)
    api = api_factory(central_db_url, broker=broker_settings(broker), webhooks=True,
                      webhook_poll_s=0.1)
    token = make_token(central_db_url, "read:status", "write:roster", "write:deletion")
    with api.client(token) as cl:
        pushed = cl.put("/v1/roster", json={"people": [
            {"external_id": PERSON, "display_name": "Ada Lovelace", "group": "7B",
             "role": "student"},
            {"external_id": "S-1002", "display_name": "Alan Turing", "group": "7B"}]})
        assert pushed.status_code == 200 and pushed.json()["published"], pushed.text
        wait_until(lambda: _on_roster(station, PERSON), DEADLINE,
                   what="the pushed roster on the station")

        station.desk.record_consent(PERSON, ConsentMethod.ON_SCREEN, None)
        enrolled = enroll_cooperative(station, PERSON, Finger.RIGHT_INDEX)
        wait_until(lambda: cl.get(f"/v1/enrollments/{PERSON}").json()["biometric"]
                   == "registered", 10, what="the enrollment in the API's status")
        fingers = cl.get(f"/v1/enrollments/{PERSON}").json()["fingers"]
        assert [(f["finger"], f["state"], f["station"], f["template"]) for f in fingers] == [
            ("right-index", "enrolled", STATION, enrolled.template_uuid)]
        wait_until(lambda: any(e["type"] == "enrollment.completed" and e["person"] == PERSON
                               for e in receiver.events()), 10, what="the webhook")
        assert station.simulation is not None
        assert enrolled.slot in station.simulation.sim.library

        d = cl.post(f"/v1/people/{PERSON}/deletion", json={"reason": "left the school"},
                    params={"wait": 30}, timeout=60)
        assert d.status_code == 202, d.text
        receipt = d.json()
        assert receipt["complete"] is True, __import__("json").dumps(receipt)
        mine = next(s for s in receipt["stations"] if s["station"] == STATION)
        assert mine["places"] == {"station_db": "done", "sensor": "done", "central": "done"}
    assert station.desk.person(PERSON).fingers == ()
    assert enrolled.slot not in station.simulation.sim.library
    wait_until(lambda: any(e["type"] == "enrollment.deleted" and e["person"] == PERSON
                           for e in receiver.events()), 10, what="the deletion webhook")
