"""The whole enrollment flow on the in-memory station, driven like a clerk and a person would."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import threadguard
from kiosk.sensor.codes import Confirmation
from kiosk.ui.demo import DemoStation
from kiosk.ui.main_window import MainWindow

from .conftest import WAIT_MS, find, press, ready_to_place, sign_in, to_capture


def _three_presses(qtbot: QtBot, w: MainWindow, station: DemoStation, label: str) -> None:
    sim = station.sensor.simulator
    for pct in (33, 66, 100):
        press(qtbot, w, sim, label, pct)


def test_full_flow_registers_and_syncs(qtbot: QtBot, window: MainWindow,
                                       station: DemoStation) -> None:
    w = window
    to_capture(qtbot, w)
    assert w.capture.instruction.text() == "Place your right index finger"
    assert w.capture.hands.is_pulsing()
    assert w.capture.picture.picture() == "place"
    seen: list[int] = []
    sim = station.sensor.simulator
    label = "S-1003/right-index"
    for pct in (33, 66):
        qtbot.waitUntil(lambda: ready_to_place(w, 0), timeout=WAIT_MS)
        sim.place(label)
        qtbot.waitUntil(lambda p=pct: w.capture.bar.value() == p, timeout=WAIT_MS)
        seen.append(w.capture.bar.value())
        assert w.capture.percent.text() == f"{pct} %"
        since = w.capture.prompts
        sim.lift()
        qtbot.waitUntil(lambda s=since: ready_to_place(w, s), timeout=WAIT_MS)
        assert w.capture.instruction.text().startswith("Again")
    sim.place(label)
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    seen.append(w.capture.bar.value())
    sim.lift()
    assert seen == [33, 66, 100]
    assert w.result.big.text() == "Biometric: Registered"
    assert "Saved on this station" in w.result.saved.text()
    qtbot.waitUntil(w.result.is_synced, timeout=WAIT_MS)
    assert "Synced" in w.result.badge.text()
    # second finger: the diagram suggests the other hand and marks the first as enrolled
    assert w.result.primary.text() == "Next finger"
    w.result.primary.click()
    assert w.current() is w.fingers
    assert w.fingers.hands.chosen() == "left-index"
    w.fingers.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.capture, timeout=WAIT_MS)
    _three_presses(qtbot, w, station, "S-1003/left-index")
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    assert w.result.primary.text() == "Next person"
    w.result.primary.click()
    assert w.current() is w.search
    qtbot.waitUntil(lambda: "Registered" in (w.search.table.item(0, 3).text()
                                             if w.search.table.rowCount() else ""),
                    timeout=WAIT_MS)


def test_retry_reason_in_plain_words(qtbot: QtBot, window: MainWindow,
                                     station: DemoStation) -> None:
    to_capture(qtbot, window)
    sim = station.sensor.simulator
    sim.fail_next(int(Confirmation.IMAGE_MESSY))
    qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
    sim.place("S-1003/right-index")
    qtbot.waitUntil(lambda: "Wipe the glass" in window.capture.retry.text(), timeout=WAIT_MS)
    assert "0x" not in window.capture.retry.text()
    assert window.capture.bar.value() == 0
    sim.lift()
    qtbot.waitUntil(lambda: window.capture.instruction.text().startswith("Again"),
                    timeout=WAIT_MS)
    _three_presses(qtbot, window, station, "S-1003/right-index")
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)


def test_duplicate_is_a_full_screen_message(qtbot: QtBot, window: MainWindow,
                                            station: DemoStation) -> None:
    to_capture(qtbot, window, "Chen")
    _three_presses(qtbot, window, station, "S-1003/right-index")
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
    window.result.secondary.click()  # next person
    find(qtbot, window, "Emil")
    window.search.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.consent, timeout=WAIT_MS)
    window.consent.method_buttons["signed-paper"].click()
    window.consent.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)
    window.fingers.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.capture, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
    station.sensor.simulator.place("S-1003/right-index")  # Chen's finger again
    qtbot.waitUntil(lambda: window.current() is window.message, timeout=WAIT_MS)
    station.sensor.simulator.lift()
    assert window.message.kind == "duplicate"
    assert "Chen Wei" in window.message.text.text()
    assert "Nothing was saved" in window.message.text.text()
    assert window.message.primary.text() == "Choose another finger"
    window.message.primary.click()
    assert window.current() is window.fingers


def test_cancel_with_escape(qtbot: QtBot, window: MainWindow, station: DemoStation) -> None:
    to_capture(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)
    assert station.store.attempts[-1].outcome.value == "cancelled"
    window.fingers.primary.click()  # the sensor is free again
    qtbot.waitUntil(lambda: window.current() is window.capture, timeout=WAIT_MS)
    _three_presses(qtbot, window, station, "S-1003/right-index")
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)


def test_unplug_and_replug(qtbot: QtBot, window: MainWindow, station: DemoStation) -> None:
    to_capture(qtbot, window)
    station.sensor.unplug()
    qtbot.waitUntil(lambda: window.current() is window.message, timeout=WAIT_MS)
    assert window.message.kind == "unplugged"
    qtbot.waitUntil(lambda: not window.message.primary.isEnabled(), timeout=WAIT_MS)
    assert "unplugged" in window.statusbar.sensor.text()
    station.sensor.replug()
    qtbot.waitUntil(window.message.primary.isEnabled, timeout=WAIT_MS)
    assert window.message.primary.text() == "Try again"
    window.message.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.capture, timeout=WAIT_MS)
    _three_presses(qtbot, window, station, "S-1003/right-index")
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)


def test_offline_then_back_online(qtbot: QtBot, window: MainWindow,
                                  station: DemoStation) -> None:
    assert station.sync is not None
    station.sync.set_online(False)
    to_capture(qtbot, window)
    _three_presses(qtbot, window, station, "S-1003/right-index")
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "when the server is back" in window.result.badge.text(),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "1 waiting" in window.statusbar.pending.text(), timeout=WAIT_MS)
    station.sync.set_online(True)
    qtbot.waitUntil(window.result.is_synced, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "Everything synced" in window.statusbar.pending.text(),
                    timeout=WAIT_MS)


def test_idle_timeout_cancels_capture_then_signs_out(qtbot: QtBot, window: MainWindow,
                                                     station: DemoStation) -> None:
    to_capture(qtbot, window)
    window.idle.setInterval(100)
    window.idle.start()
    qtbot.waitUntil(lambda: window.current() is window.signin, timeout=WAIT_MS)
    assert window.operator is None
    assert station.store.attempts[-1].outcome.value == "cancelled"
    assert station.sensor._gate.running is None
    sign_in(qtbot, window)


def test_no_blocking_io_on_the_gui_thread(qtbot: QtBot, window: MainWindow,
                                          station: DemoStation) -> None:
    threadguard.violations.clear()
    threadguard.set_gui_thread(threading.get_ident(), strict=True)
    try:
        to_capture(qtbot, window)
        _three_presses(qtbot, window, station, "S-1003/right-index")
        qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
        qtbot.waitUntil(window.result.is_synced, timeout=WAIT_MS)
        window.result.primary.click()
        window.admin.start_self_test()
        qtbot.waitUntil(lambda: len(window.admin.checks) == 5, timeout=WAIT_MS)
    finally:
        threadguard.set_gui_thread(None)
    assert threadguard.violations == []


def test_simulated_person_panel_drives_a_capture(qtbot: QtBot, window: MainWindow) -> None:
    to_capture(qtbot, window)
    panel = window.sim_panel
    assert panel is not None and panel.which.currentData() == "right-index"
    for pct in (33, 66, 100):
        qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
        since = window.capture.prompts
        panel.press_btn.click()
        qtbot.waitUntil(lambda p=pct: window.capture.bar.value() >= p
                        or window.current() is not window.capture, timeout=WAIT_MS)
        if pct < 100:
            qtbot.waitUntil(lambda s=since: ready_to_place(window, s), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
    panel.messy_btn.click()  # the next capture of the next finger will be messy
    window.result.primary.click()
    window.fingers.primary.click()
    qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
    panel.place_btn.click()
    qtbot.waitUntil(lambda: window.capture.retry.text() != "", timeout=WAIT_MS)
    panel.lift_btn.click()
