"""Fixtures for the GUI tests: the real station (store in a temporary folder, the virtual R307
in-process over loopback TCP, the real sensor worker), a window around it, and — where a test
needs one — a real Mosquitto broker with the reference central ingest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from kiosk.app import (
    ConsentMethod,
    Finger,
    PromptKind,
    Result,
    Role,
    SensorState,
    SimulatorControls,
    Station,
)
from kiosk.config import Config, SyncConfig
from kiosk.paths import DataPaths
from kiosk.sim.auto import AutoPerson
from kiosk.ui.app import make_app
from kiosk.ui.main_window import MainWindow
from kiosk_central.ingest import Ingest
from kiosk_central.roster import publish_paged
from kiosk_contract.fields import DEFAULT_MAX_PACKET_BYTES
from kiosk_contract.sealing import KeyPair
from tests.fixtures.broker import MosquittoBroker
from tests.fixtures.desk import enroll_cooperative
from tests.sync.conftest import (  # noqa: F401  (fixtures)
    STATION,
    central_db_url,
    central_factory,
    central_key,
)

WAIT_MS = 10_000
ADMIN, ADMIN_PIN = "Admin", "1234"


@pytest.fixture
def paths(tmp_path: Path) -> DataPaths:
    return DataPaths(tmp_path / "data").ensure()


@pytest.fixture
def config() -> Config:
    return Config()


#: A person on central's roster, and their right index finger on the simulated sensor.
CENTRAL_PERSON, CENTRAL_FINGER = "P-00001", "P-00001:right-index"


def open_station(paths: DataPaths, config: Config, *, roster: bool = True,
                 admin: bool = True, password: str | None = None) -> Station:
    """The real station in simulate mode, as ``kiosk --simulate --demo-roster`` opens it."""
    st = Station.open(paths, config, simulate=True, demo_roster=roster, sync_password=password)
    if admin:
        st.operators.create(ADMIN, ADMIN_PIN, Role.ADMIN, actor="test")
    return st


@pytest.fixture
def station(paths: DataPaths, config: Config) -> Iterator[Station]:
    st = open_station(paths, config)
    yield st
    st.close()


def sync_config(config: Config, broker: MosquittoBroker, key: KeyPair) -> Config:
    """``config`` with sync to the test broker (the station's account, central's key)."""
    sync = SyncConfig(broker_url=broker.url, central_public_key=key.public_b64,
                      ack_timeout_s=5.0, keepalive_s=5)
    return config.replace(station=replace(config.station, id=STATION),
                          sync=sync)


@pytest.fixture
def online_station(paths: DataPaths, broker: MosquittoBroker, central_key: KeyPair,  # noqa: F811
                   central_factory: Callable[..., Ingest]) -> Iterator[Station]:  # noqa: F811
    """The station with a real broker and the central ingest behind it. Central's roster
    (P-00000 … P-00199, "Person N") replaces the demo roster once the station connects."""
    ing = central_factory()
    publish_paged(ing.client, ing.db, "fpk/v1", DEFAULT_MAX_PACKET_BYTES)  # the shared roster
    st = open_station(paths, sync_config(Config(), broker, central_key),
                      password=broker.password(STATION))
    yield st
    st.close()


def cell(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


def make_window(qtbot: QtBot, station: Station) -> MainWindow:
    make_app()
    w = MainWindow(station, simulate=True)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: station.sensor_status.state is SensorState.READY, timeout=WAIT_MS)
    return w


@pytest.fixture
def window(qtbot: QtBot, station: Station, qapp: object) -> MainWindow:
    return make_window(qtbot, station)


def sim(station: Station) -> SimulatorControls:
    assert station.simulator is not None
    return station.simulator


def sign_in(qtbot: QtBot, w: MainWindow, name: str = ADMIN, pin: str = ADMIN_PIN) -> None:
    qtbot.waitUntil(lambda: w.signin.name_combo.count() > 0, timeout=WAIT_MS)
    w.signin.name_combo.setCurrentText(name)
    w.signin.pin.setText(pin)
    w.signin.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.search, timeout=WAIT_MS)


def find(qtbot: QtBot, w: MainWindow, text: str) -> None:
    w.search.query.setText(text)
    qtbot.waitUntil(lambda: w.search.is_settled() and w.search.result_count() >= 1,
                    timeout=WAIT_MS)


def to_capture(qtbot: QtBot, w: MainWindow, text: str = "Chen") -> None:
    """Sign in, find the person, give consent on screen, start the suggested finger."""
    sign_in(qtbot, w)
    find(qtbot, w, text)
    qtbot.waitUntil(w.search.primary.isEnabled, timeout=WAIT_MS)
    w.search.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.consent, timeout=WAIT_MS)
    w.consent.method_buttons["on-screen"].click()
    w.consent.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    w.fingers.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.capture, timeout=WAIT_MS)


def bar_at(w: MainWindow, percent: int, *, or_left: bool = False) -> Callable[[], bool]:
    """A condition: the progress bar shows ``percent`` (or more, or the capture screen left)."""
    def reached() -> bool:
        if or_left:
            return w.capture.bar.value() >= percent or w.current() is not w.capture
        return w.capture.bar.value() == percent
    return reached


def place_prompt_after(w: MainWindow, since: int) -> Callable[[], bool]:
    """A condition: the engine asked to place the finger after prompt number ``since``."""
    return lambda: ready_to_place(w, since)


def ready_to_place(w: MainWindow, since: int) -> bool:
    c = w.capture
    return (c.prompts > since and c.last_prompt in (PromptKind.PLACE, PromptKind.AGAIN)) \
        or w.current() is not c


def press(qtbot: QtBot, w: MainWindow, controls: SimulatorControls, label: str,
          percent: int) -> None:
    """Place ``label``, wait for the bar to reach ``percent``, lift, wait for "place"."""
    qtbot.waitUntil(lambda: ready_to_place(w, 0), timeout=WAIT_MS)
    checking = w.capture.verifying
    controls.place(label)
    # the last press ends the capture: a result, a message, or the check after enrollment
    qtbot.waitUntil(lambda: w.capture.bar.value() >= percent or w.current() is not w.capture
                    or w.capture.verifying != checking, timeout=WAIT_MS)
    since = w.capture.prompts
    controls.lift()
    if percent < 100:
        qtbot.waitUntil(lambda: ready_to_place(w, since), timeout=WAIT_MS)


def three_presses(qtbot: QtBot, w: MainWindow, station: Station, label: str) -> None:
    for pct in (33, 66, 100):
        press(qtbot, w, sim(station), label, pct)


@contextmanager
def cooperative(station: Station, label: str) -> Iterator[AutoPerson]:
    """A person at the virtual sensor who places ``label`` whenever the station waits for a
    finger and lifts it after each accepted capture (``kiosk-sim --auto``)."""
    assert station.simulation is not None
    person = AutoPerson(station.simulation.sim, label).install()
    try:
        yield person
    finally:
        person.uninstall()
        station.simulation.sim.lift()


def enroll_directly(station: Station, ext: str, *fingers: str) -> list[Result]:
    """Consent and enrollments through the desk service, with a cooperative person (set-up
    for tests about people who are already enrolled; the GUI is not involved)."""
    station.desk.record_consent(ext, ConsentMethod.ON_SCREEN, ADMIN)
    results = [enroll_cooperative(station, ext, Finger(f), ADMIN, deadline=15)
               for f in fingers]
    return results


def activate(qtbot: QtBot, w: MainWindow) -> None:
    """Make the window the active one, so keyboard focus and key presses behave as on a desk."""
    w.activateWindow()
    w.raise_()
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT_MS)


def focused_key(qtbot: QtBot, key: Qt.Key) -> None:
    """Press ``key`` where the keyboard focus is (as a person's key press would arrive)."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key)
