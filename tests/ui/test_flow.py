"""The whole enrollment flow on the real station, driven like a clerk and a person would."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import threadguard
from kiosk.app import AttemptOutcome, SensorCode, Station
from kiosk.ui.main_window import MainWindow
from tests.fixtures.broker import MosquittoBroker

from .conftest import (
    CENTRAL_FINGER,
    CENTRAL_PERSON,
    WAIT_MS,
    bar_at,
    cell,
    find,
    make_window,
    place_prompt_after,
    ready_to_place,
    sign_in,
    sim,
    three_presses,
    to_capture,
)

CHEN = "S-1003:right-index"


def test_full_flow_saves_both_fingers(qtbot: QtBot, window: MainWindow,
                                      station: Station) -> None:
    w = window
    to_capture(qtbot, w)
    assert w.capture.instruction.text() == "Place your right index finger on the sensor"
    assert w.capture.hands.is_pulsing()
    assert w.capture.picture.picture() == "place"
    seen: list[int] = []
    controls = sim(station)
    for pct in (33, 66):
        qtbot.waitUntil(lambda: ready_to_place(w, 0), timeout=WAIT_MS)
        controls.place(CHEN)
        qtbot.waitUntil(bar_at(w, pct), timeout=WAIT_MS)
        seen.append(w.capture.bar.value())
        assert w.capture.percent.text() == f"{pct} %"
        since = w.capture.prompts
        controls.lift()
        qtbot.waitUntil(place_prompt_after(w, since), timeout=WAIT_MS)
        assert "again" in w.capture.instruction.text() or "last" in w.capture.instruction.text()
    controls.place(CHEN)
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    seen.append(w.capture.bar.value())
    controls.lift()
    assert seen == [33, 66, 100]
    assert w.result.big.text() == "Fingerprint saved"
    assert "Saved on this station" in w.result.saved.text()
    assert "no central server" in w.result.badge.text()
    # the record is in the real database, with its outbox row
    status = station.desk.person("S-1003")
    assert [f.finger.value for f in status.fingers] == ["right-index"]
    # second finger: the diagram suggests the other hand and marks the first as enrolled
    assert w.result.primary.text() == "Next finger"
    w.result.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    assert w.fingers.hands.chosen() == "left-index"
    w.fingers.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.capture, timeout=WAIT_MS)
    three_presses(qtbot, w, station, "S-1003:left-index")
    # the last finger is checked: one more press, found by the sensor's search
    qtbot.waitUntil(lambda: w.capture.verifying and ready_to_place(w, 0), timeout=WAIT_MS)
    assert "once more" in w.capture.instruction.text()
    controls.place("S-1003:left-index")
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    controls.lift()
    assert w.result.big.text() == "Fingerprint saved and checked"
    assert w.result.primary.text() == "Next person"
    w.result.primary.click()
    assert w.current() is w.search
    qtbot.waitUntil(lambda: cell(w.search.table, 0, 3).startswith("Done: 2 of 2 fingers"),
                    timeout=WAIT_MS)


def test_retry_reason_in_plain_words(qtbot: QtBot, window: MainWindow,
                                     station: Station) -> None:
    to_capture(qtbot, window)
    controls = sim(station)
    controls.fail_next(int(SensorCode.IMAGE_MESSY))
    qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
    controls.place(CHEN)
    qtbot.waitUntil(lambda: "Wipe the glass" in window.capture.retry.text(), timeout=WAIT_MS)
    assert "0x" not in window.capture.retry.text()
    assert window.capture.bar.value() == 0
    controls.lift()
    qtbot.waitUntil(lambda: window.capture.instruction.text().startswith("Again"),
                    timeout=WAIT_MS)
    three_presses(qtbot, window, station, CHEN)
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
    window.result.secondary.click()  # stop here, next person
    find(qtbot, window, "Chen")
    assert "1 of 2 fingers" in cell(window.search.table, 0, 3)


def test_duplicate_is_a_neutral_full_screen_message(qtbot: QtBot, window: MainWindow,
                                                    station: Station) -> None:
    to_capture(qtbot, window, "Chen")
    three_presses(qtbot, window, station, CHEN)
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
    sim(station).place(CHEN)  # Chen's finger again
    qtbot.waitUntil(lambda: window.current() is window.duplicate, timeout=WAIT_MS)
    sim(station).lift()
    m = window.duplicate
    assert "already registered" in m.headline.text()
    shown = " ".join((m.headline.text(), m.text.text(), m.detail.text()))
    assert "Chen" not in shown and "S-1003" not in shown  # the enrollee can see this screen
    assert "Nothing was saved" in m.text.text() and "supervisor" in m.detail.text()
    assert m.headline.text() not in m.text.text()


def test_cancel_with_escape(qtbot: QtBot, window: MainWindow, station: Station) -> None:
    to_capture(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)
    assert station.store.enrollments.attempts()[0].outcome is AttemptOutcome.CANCELLED
    window.fingers.primary.click()  # the sensor is free again
    qtbot.waitUntil(lambda: window.current() is window.capture, timeout=WAIT_MS)
    three_presses(qtbot, window, station, CHEN)
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)


def test_unplug_and_replug(qtbot: QtBot, window: MainWindow, station: Station) -> None:
    to_capture(qtbot, window)
    sim(station).unplug()
    qtbot.waitUntil(lambda: window.current() is window.message, timeout=WAIT_MS)
    assert window.message.kind == "unplugged"
    qtbot.waitUntil(lambda: not window.message.primary.isEnabled(), timeout=WAIT_MS)
    assert "unplugged" in window.statusbar.sensor.text()
    sim(station).replug()
    qtbot.waitUntil(window.message.primary.isEnabled, timeout=WAIT_MS)
    assert window.message.primary.text() == "Try again"
    window.message.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.capture, timeout=WAIT_MS)
    three_presses(qtbot, window, station, CHEN)
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)


def test_offline_then_back_online(qtbot: QtBot, online_station: Station,
                                  broker: MosquittoBroker) -> None:
    w = make_window(qtbot, online_station)
    qtbot.waitUntil(lambda: "online" in w.statusbar.central.text(), timeout=WAIT_MS)
    find(qtbot, w, "Person 1")  # central's roster has arrived
    broker.stop()
    qtbot.waitUntil(lambda: "offline since" in w.statusbar.central.text(), timeout=WAIT_MS)
    to_capture(qtbot, w, CENTRAL_PERSON)
    three_presses(qtbot, w, online_station, CENTRAL_FINGER)
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "when the server is back" in w.result.badge.text(),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "waiting" in w.statusbar.pending.text(), timeout=WAIT_MS)
    broker.start()
    qtbot.waitUntil(w.result.is_synced, timeout=30_000)
    qtbot.waitUntil(lambda: "Everything synced" in w.statusbar.pending.text(),
                    timeout=WAIT_MS)


def test_idle_timeout_cancels_capture_then_signs_out(qtbot: QtBot, window: MainWindow,
                                                     station: Station) -> None:
    to_capture(qtbot, window)
    window.idle.set_times(300, 100)
    window.idle.start()
    qtbot.waitUntil(lambda: window.current() is window.signin, timeout=WAIT_MS)
    assert window.operator is None
    assert station.store.enrollments.attempts()[0].outcome is AttemptOutcome.CANCELLED
    assert station.desk.running is None
    sign_in(qtbot, window)


def test_no_blocking_io_on_the_gui_thread(qtbot: QtBot, online_station: Station) -> None:
    w = make_window(qtbot, online_station)
    threadguard.violations.clear()
    threadguard.set_gui_thread(threading.get_ident(), strict=True)
    try:
        to_capture(qtbot, w, CENTRAL_PERSON)
        three_presses(qtbot, w, online_station, CENTRAL_FINGER)
        qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
        qtbot.waitUntil(w.result.is_synced, timeout=WAIT_MS)
        w.result.primary.click()
        w.open_admin("selftest")
        w.admin.selftest.start()
        qtbot.waitUntil(lambda: len(w.admin.selftest.checks) >= 6, timeout=WAIT_MS)
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
        qtbot.waitUntil(bar_at(window, pct, or_left=True), timeout=WAIT_MS)
        if pct < 100:
            qtbot.waitUntil(place_prompt_after(window, since), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
    panel.messy_btn.click()  # the next capture of the next finger will be messy
    window.result.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)
    window.fingers.primary.click()
    qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
    panel.place_btn.click()
    qtbot.waitUntil(lambda: window.capture.retry.text() != "", timeout=WAIT_MS)
    panel.lift_btn.click()
