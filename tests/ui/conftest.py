"""Fixtures for the GUI tests: an in-memory station and the main window around it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.enrollment.events import PromptKind
from kiosk.paths import DataPaths
from kiosk.ui.adapter import AppStation, open_app_station
from kiosk.ui.app import make_app
from kiosk.ui.demo import DemoStation
from kiosk.ui.main_window import MainWindow

WAIT_MS = 10_000


@pytest.fixture
def paths(tmp_path: Path) -> DataPaths:
    return DataPaths(tmp_path / "data").ensure()


@pytest.fixture
def config() -> Config:
    return Config()


@pytest.fixture
def station(paths: DataPaths, config: Config) -> Iterator[DemoStation]:
    st = DemoStation(paths, config, operators=True)
    st.sync.ack_delay_s = 0.05 if st.sync else 0  # type: ignore[union-attr]
    yield st
    st.close()


@pytest.fixture
def app_station(paths: DataPaths) -> Iterator[AppStation]:
    """The real application services (store, sensor worker, virtual R307) behind the GUI."""
    st = open_app_station(paths, Config(), simulate=True, demo_roster=True)
    st.app.store.operators.create("Admin", "1234", role="admin")
    yield st
    st.close()


@pytest.fixture
def window(qtbot: QtBot, station: DemoStation, qapp: object) -> MainWindow:
    make_app()
    w = MainWindow(station, simulate=True)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def sign_in(qtbot: QtBot, w: MainWindow, name: str = "Admin", pin: str = "1234") -> None:
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


def ready_to_place(w: MainWindow, since: int) -> bool:
    c = w.capture
    return (c.prompts > since and c.last_prompt in (PromptKind.PLACE, PromptKind.AGAIN)) \
        or w.current() is not c


def press(qtbot: QtBot, w: MainWindow, sim: object, label: str, percent: int) -> None:
    """Place ``label``, wait for the bar to reach ``percent``, lift, wait for "place"."""
    qtbot.waitUntil(lambda: ready_to_place(w, 0), timeout=WAIT_MS)
    sim.place(label)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: w.capture.bar.value() >= percent or w.current() is not w.capture,
                    timeout=WAIT_MS)
    since = w.capture.prompts
    sim.lift()  # type: ignore[attr-defined]
    if percent < 100:
        qtbot.waitUntil(lambda: ready_to_place(w, since), timeout=WAIT_MS)
