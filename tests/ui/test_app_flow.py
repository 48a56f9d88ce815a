"""The whole flow against the real application services: store on disk, sensor worker, and
the virtual R307 behind the real driver (simulate mode)."""

from __future__ import annotations

import threading
import zipfile

import pytest
from pytestqt.qtbot import QtBot

from kiosk import threadguard
from kiosk.sensor.codes import Confirmation
from kiosk.ui.adapter import AppStation
from kiosk.ui.app import make_app
from kiosk.ui.main_window import MainWindow

from .conftest import WAIT_MS, find, press, ready_to_place, sign_in, to_capture

SLOW_MS = 15_000


@pytest.fixture
def app_window(qtbot: QtBot, app_station: AppStation) -> MainWindow:
    make_app()
    w = MainWindow(app_station, simulate=True)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: app_station.sensor.status.state == "ready", timeout=SLOW_MS)
    return w


def _presses(qtbot: QtBot, w: MainWindow, st: AppStation, label: str) -> None:
    sim = st.sensor.simulator
    assert sim is not None
    for pct in (33, 66, 100):
        press(qtbot, w, sim, label, pct)


def test_full_flow_on_the_virtual_sensor_without_gui_thread_io(
        qtbot: QtBot, app_window: MainWindow, app_station: AppStation) -> None:
    w = app_window
    threadguard.violations.clear()
    threadguard.set_gui_thread(threading.get_ident(), strict=True)
    seen: list[int] = []
    w.capture.bar.valueChanged.connect(seen.append)
    try:
        to_capture(qtbot, w)
        _presses(qtbot, w, app_station, "S-1003:right-index")
        qtbot.waitUntil(lambda: w.current() is w.result, timeout=SLOW_MS)
        assert w.result.big.text() == "Biometric: Registered"
        assert [v for v in seen if v] == [33, 66, 100]
        # no central server configured: says so instead of pretending to sync
        assert "no central server" in w.result.badge.text()
        w.result.secondary.click()
        find(qtbot, w, "Chen")
        assert "1 of 2 fingers" in w.search.table.item(0, 3).text()
    finally:
        threadguard.set_gui_thread(None)
    assert threadguard.violations == []
    status = app_station.app.store.people.status("S-1003")
    assert [f.finger.value for f in status.fingers] == ["right-index"]
    assert status.consent is not None and status.consent.method == "on-screen"


def test_retry_and_unplug_on_the_virtual_sensor(
        qtbot: QtBot, app_window: MainWindow, app_station: AppStation) -> None:
    w = app_window
    sim = app_station.sensor.simulator
    assert sim is not None
    to_capture(qtbot, w)
    sim.fail_next(int(Confirmation.IMAGE_MESSY))
    qtbot.waitUntil(lambda: ready_to_place(w, 0), timeout=SLOW_MS)
    sim.place("S-1003:right-index")
    qtbot.waitUntil(lambda: w.capture.retry.text() != "", timeout=SLOW_MS)
    sim.lift()
    app_station.sensor.unplug()
    qtbot.waitUntil(lambda: w.current() is w.message, timeout=SLOW_MS)
    assert w.message.kind == "unplugged"
    assert "Nothing was saved" in w.message.text.text()
    app_station.sensor.replug()
    qtbot.waitUntil(w.message.primary.isEnabled, timeout=SLOW_MS)
    w.message.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.capture, timeout=WAIT_MS)
    _presses(qtbot, w, app_station, "S-1003:right-index")
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=SLOW_MS)


def test_sign_in_against_the_real_store(qtbot: QtBot, app_window: MainWindow) -> None:
    sign_in(qtbot, app_window)
    assert app_window.operator is not None and app_window.operator.is_admin


def test_admin_maintenance_on_the_real_stack(qtbot: QtBot, app_window: MainWindow) -> None:
    sign_in(qtbot, app_window)
    admin = app_window.admin
    app_window.open_admin("sensor")
    admin.reconcile(False)
    qtbot.waitUntil(lambda: "agree" in admin.rec_result.text(), timeout=SLOW_MS)
    app_window.open_admin("sync")
    qtbot.waitUntil(lambda: admin.queue_form.rowCount() >= 4, timeout=SLOW_MS)
    admin.start_self_test()
    qtbot.waitUntil(lambda: len(admin.checks) > 0, timeout=SLOW_MS)
    # the very checks `kiosk doctor` runs (kiosk.app.diagnostics)
    assert [c.name for c in admin.checks] == [
        "Fingerprint sensor", "Station database", "Central server", "Disk space", "Clock",
        "Log files"]
    assert admin.checks[0].ok and "Simulated" in admin.checks[0].verdict
    admin.export()
    qtbot.waitUntil(lambda: admin.bundle is not None, timeout=SLOW_MS)
    assert admin.bundle is not None
    with zipfile.ZipFile(admin.bundle) as z:
        members = set(z.namelist())
        blob = b"".join(z.read(n) for n in members)
    assert {"versions.json", "config.json", "status.json"} <= members
    assert b"1234" not in blob  # the admin PIN never leaves the database
