"""Issue #15, defects 7–11, on the real station (store, sensor worker, virtual R307)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QScrollArea,
    QSpinBox,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.app import Finger, SensorCode, SensorState, Station
from kiosk.config import Config, EnrollmentPolicy
from kiosk.paths import DataPaths
from kiosk.ui.main_window import MainWindow
from kiosk.ui.widgets import TOUCH_PX, button

from .conftest import (
    WAIT_MS,
    activate,
    cell,
    enroll_directly,
    find,
    make_window,
    open_station,
    place_prompt_after,
    ready_to_place,
    sign_in,
    sim,
    three_presses,
    to_capture,
)

CHEN = "S-1003:right-index"


@pytest.fixture
def stations() -> Iterator[list[Station]]:
    opened: list[Station] = []
    yield opened
    for st in opened:
        st.close()


# -- 7: waits count down; the timeout screen has "Next person" -------------------------------


def test_7_every_wait_counts_down(qtbot: QtBot, window: MainWindow, station: Station) -> None:
    to_capture(qtbot, window)
    qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
    c = window.capture
    assert c.countdown.text() == "60 s left to place the finger"
    c._deadline -= 51  # the same wait, 51 s later
    qtbot.waitUntil(lambda: c.seconds_left() <= 9 and c.countdown.text() ==
                    f"{c.seconds_left()} s left to place the finger", timeout=WAIT_MS)
    assert c.countdown.objectName() == "warn"  # amber when it gets short
    sim(station).place(CHEN)
    qtbot.waitUntil(lambda: "to lift the finger" in c.countdown.text(), timeout=WAIT_MS)
    assert c.countdown.text() == "60 s left to lift the finger"  # each wait starts afresh
    sim(station).lift()


def test_7_the_timeout_screen_offers_next_person(qtbot: QtBot, paths: DataPaths,
                                                 stations: list[Station]) -> None:
    st = open_station(paths, Config(enrollment=EnrollmentPolicy(idle_timeout_s=1.0)))
    stations.append(st)
    w = make_window(qtbot, st)
    to_capture(qtbot, w)
    qtbot.waitUntil(lambda: w.current() is w.message, timeout=WAIT_MS)
    assert w.message.secondary.text() == "Next person" and w.message.secondary.isVisible()
    assert w.message.third.text() == "Choose another finger"
    assert w.message.primary.text() == "Try again"
    w.message.activate_secondary()  # Esc
    assert w.current() is w.search


# -- 8: visual faults ---------------------------------------------------------------------------


def _interior(img: QImage, inset: int) -> list[int]:
    return [img.pixel(x, y) for y in range(inset, img.height() - inset)
            for x in range(inset, img.width() - inset)]


def test_8_the_focus_shows_on_the_border_and_no_box_clips_the_label(qtbot: QtBot,
                                                                    window: MainWindow) -> None:
    activate(qtbot, window)
    holder = QWidget(window.search)
    b = button("Choose another finger", parent=holder)
    b.resize(300, 56)
    holder.show()
    b.clearFocus()
    plain = b.grab().toImage()
    qtbot.keyClick(window, Qt.Key.Key_Tab)  # the desk is used from the keyboard: the style
    b.setFocus(Qt.FocusReason.TabFocusReason)  # then draws its focus marks
    qtbot.waitUntil(b.hasFocus, timeout=WAIT_MS)
    focused = b.grab().toImage()
    assert _interior(plain, 0) != _interior(focused, 0)  # the focus is visible…
    assert _interior(plain, 6) == _interior(focused, 6)  # …on the border only


def _arrow_rect(combo: QComboBox) -> QRect:
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    return combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                        QStyle.SubControl.SC_ComboBoxArrow, combo)


def test_8_drop_down_lists_have_a_touch_sized_arrow(qtbot: QtBot, window: MainWindow) -> None:
    combos = [c for c in window.findChildren(QComboBox) if c.isVisibleTo(window)]
    assert combos
    for combo in combos:
        assert _arrow_rect(combo).width() >= 40, combo.accessibleName()


def test_8_the_pin_error_has_its_own_room_and_enter_submits(qtbot: QtBot, paths: DataPaths,
                                                            stations: list[Station]) -> None:
    st = open_station(paths, Config(), admin=False)
    stations.append(st)
    w = make_window(qtbot, st)
    s = w.signin
    qtbot.waitUntil(s.name_edit.isVisible, timeout=WAIT_MS)
    s.name_edit.setText("Maria Clerk")
    s.pin.setText("12")
    s.pin2.setText("12")
    def where(x: QWidget) -> QRect:
        return QRect(x.mapTo(w, QPoint(0, 0)), x.size())

    fields = [where(s.pin2)]
    qtbot.keyClick(s.pin2, Qt.Key.Key_Return)  # Enter in the last field submits
    assert s.message.text() == "The PIN is at least 4 digits."
    message = where(s.message)
    after = [where(s.pin2)]
    assert after == fields  # nothing moved…
    assert not message.intersects(after[0])  # …and the message covers no field
    assert s.message.height() >= s.message.heightForWidth(s.message.width())


def test_8_every_finger_is_a_48_px_target(qtbot: QtBot, window: MainWindow) -> None:
    to_capture(qtbot, window)  # through the finger screen, at 1366×768
    window.capture.secondary.click()
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)
    hands = window.fingers.hands
    rects = {f: b.geometry() for f, b in hands.buttons.items()}
    assert set(rects) == set(Finger)
    for f, r in rects.items():
        assert r.width() >= TOUCH_PX and r.height() >= TOUCH_PX, (f, r)
        assert hands.rect().contains(r), (f, r)
        drawn = hands.finger_rect(f).toAlignedRect()
        assert r.intersects(drawn)
    for f, r in rects.items():
        assert not any(r.intersects(o) for g, o in rects.items() if g != f), f
    # a tap at the edge of a target still chooses that finger
    edge = rects[Finger.LEFT_MIDDLE].topLeft() + QPoint(2, 2)
    qtbot.mouseClick(hands.buttons[Finger.LEFT_MIDDLE], Qt.MouseButton.LeftButton,
                     pos=edge - rects[Finger.LEFT_MIDDLE].topLeft())
    assert hands.chosen() == "left-middle"


def test_8_settings_fit_the_screen_without_a_scroll_box(qtbot: QtBot, window: MainWindow,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in(qtbot, window)
    window.open_admin("settings")
    page = window.admin.settings
    assert not page.findChildren(QScrollArea)  # no scroll box inside a scroll page
    for name in page.SECTIONS:
        page.show_section(name)
        qtbot.waitUntil(lambda: page.sections.currentWidget().isVisible(), timeout=WAIT_MS)
        section = page.sections.currentWidget()
        area = page.sections.rect()
        for field in section.findChildren(QWidget):
            if not field.isVisibleTo(section) or field.parentWidget() is not section:
                continue
            r = field.geometry()
            assert area.contains(r), (name, field.accessibleName() or type(field).__name__, r)
    # number fields: less and more, each a touch target with its arrow
    spin = page.set_fingers
    opt = QStyleOptionSpinBox()
    spin.initStyleOption(opt)
    for sub in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
        r = spin.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, opt, sub, spin)
        assert r.width() >= 44 and r.height() >= 44, (sub, r)
    assert all(s.findChildren(QSpinBox) is not None for s in (spin,))
    # file paths have a picker
    chosen = tmp_path / "ca.pem"
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(chosen), "")))
    page.show_section("certificates")
    page.set_ca.choose.click()
    assert page.set_ca.text() == str(chosen)
    assert page.edited_config().sync.ca_file == str(chosen)


# -- 9: nothing of the last operator stays; the idle sign-out warns first -----------------------


def test_9_the_next_operator_starts_from_an_empty_desk(qtbot: QtBot, window: MainWindow,
                                                       station: Station) -> None:
    w = window
    sign_in(qtbot, w)
    find(qtbot, w, "Chen")
    w.search.set_group("Year 11")
    w.search.query.setText("Chen")
    w.topbar.sign_out.click()
    assert w.current() is w.signin
    assert w.search.query.text() == "" and w.search.current_group() == ""
    assert w.search.result_count() == 0
    sign_in(qtbot, w)
    qtbot.waitUntil(w.search.is_settled, timeout=WAIT_MS)
    assert w.search.query.text() == ""


def test_9_the_idle_sign_out_warns_and_any_touch_stays(qtbot: QtBot, window: MainWindow) -> None:
    w = window
    sign_in(qtbot, w)
    find(qtbot, w, "Chen")
    w.idle.set_times(1500, 1200)
    w.idle.start()
    qtbot.waitUntil(w.idle_banner.isVisible, timeout=WAIT_MS)
    assert "signing out in" in w.idle_banner.text.text()
    qtbot.keyClick(w.search.query, Qt.Key.Key_Shift)  # someone is there
    assert not w.idle_banner.isVisible() and w.operator is not None
    qtbot.waitUntil(w.idle_banner.isVisible, timeout=WAIT_MS)  # nobody, this time
    qtbot.waitUntil(lambda: w.current() is w.signin, timeout=WAIT_MS)
    assert not w.idle_banner.isVisible()
    assert w.search.query.text() == ""


# -- 10: words -------------------------------------------------------------------------------


def test_10_roster_and_result_speak_one_language(qtbot: QtBot, window: MainWindow,
                                                 station: Station) -> None:
    enroll_directly(station, "S-1003", "right-index", "left-index")
    enroll_directly(station, "S-1001", "right-index")
    w = window
    sign_in(qtbot, w)
    find(qtbot, w, "S-100")
    states = {cell(w.search.table, r, 1): cell(w.search.table, r, 3)
              for r in range(w.search.result_count())}
    assert states["S-1003"] == "Done: 2 of 2 fingers · waiting to sync"
    assert states["S-1001"] == "1 of 2 fingers · waiting to sync"
    assert states["S-1002"] == "Not enrolled"
    words = " ".join(states.values())
    assert "Registered" not in words and "Biometric" not in words


def test_10_technician_words_stay_off_the_desk(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel

    sign_in(qtbot, window)
    window.open_admin("settings")
    page = window.admin.settings
    labels = " ".join(lab.text() for lab in page.findChildren(QLabel))
    for jargon in ("broker URL", "auto = find it", "Biometric"):
        assert jargon not in labels
    assert page.set_port.currentText() == "Find it automatically"
    assert page.port_setting() == "auto"


def test_10_repair_is_not_the_main_button(qtbot: QtBot, window: MainWindow) -> None:
    activate(qtbot, window)
    sign_in(qtbot, window)
    window.open_admin("sensor")
    page = window.admin.sensor
    assert page.rec_check.property("role") == "primary"
    assert page.rec_repair.property("role") != "primary"
    assert not page.rec_repair.isEnabled()  # nothing to repair before a comparison
    page.rec_check.setFocus()
    page.rec_check.click()
    qtbot.waitUntil(lambda: "agree" in page.rec_result.text(), timeout=WAIT_MS)
    assert not page.rec_repair.isEnabled()  # they agree: nothing to repair
    assert page.rec_check.hasFocus()


# -- 11: the simulate panel --------------------------------------------------------------------


def test_11_press_and_lift_uses_the_finger_chosen_above_it(qtbot: QtBot, window: MainWindow,
                                                            station: Station) -> None:
    to_capture(qtbot, window)
    panel = window.sim_panel
    assert panel is not None
    panel.which.setCurrentIndex(panel.which.findData(Finger.LEFT_THUMB))
    qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
    panel.press_btn.click()
    assert sim(station).sim.finger == "S-1003:left-thumb"
    qtbot.waitUntil(lambda: sim(station).sim.finger is None, timeout=WAIT_MS)


def test_11_the_unplug_button_follows_the_cable(qtbot: QtBot, window: MainWindow,
                                                station: Station) -> None:
    panel = window.sim_panel
    assert panel is not None and panel.unplug_btn.text() == "Unplug the sensor"
    panel.unplug_btn.click()
    assert panel.unplug_btn.text() == "Plug the sensor back in"
    qtbot.waitUntil(lambda: "unplugged" in window.statusbar.sensor.text(), timeout=WAIT_MS)
    panel.unplug_btn.click()
    assert panel.unplug_btn.text() == "Unplug the sensor"
    qtbot.waitUntil(lambda: station.sensor_status.state is SensorState.READY, timeout=WAIT_MS)
    sim(station).unplug()  # pulled some other way: the label follows
    qtbot.waitUntil(lambda: panel.unplug_btn.text() == "Plug the sensor back in",
                    timeout=WAIT_MS)
    sim(station).replug()
    qtbot.waitUntil(lambda: panel.unplug_btn.text() == "Unplug the sensor", timeout=WAIT_MS)


def test_11_messy_shows_armed_until_used_and_lift_too_early(qtbot: QtBot, window: MainWindow,
                                                            station: Station) -> None:
    to_capture(qtbot, window)
    panel = window.sim_panel
    assert panel is not None
    panel.messy_btn.click()
    assert panel.messy_btn.isChecked() and panel.messy_btn.text() == "Messy capture armed"
    qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
    sim(station).place(CHEN)
    qtbot.waitUntil(lambda: "Wipe the glass" in window.capture.retry.text(), timeout=WAIT_MS)
    since = window.capture.prompts
    sim(station).lift()
    qtbot.waitUntil(place_prompt_after(window, since), timeout=WAIT_MS)  # a fresh "place"
    assert panel.messy_btn.text() == "Next capture messy"  # used up
    assert not panel.messy_btn.isChecked()
    assert int(SensorCode.IMAGE_MESSY) not in sim(station).pending_failures()
    window.capture.retry.clear()
    since = window.capture.prompts
    panel.early_btn.click()  # a touch, lifted before the print is read
    qtbot.waitUntil(lambda: "covers the window" in window.capture.retry.text(),
                    timeout=WAIT_MS)
    assert window.capture.bar.value() == 0
    # The touch's own lift comes 150 ms later; a finger placed before the station asks again
    # would be lifted by it.
    qtbot.waitUntil(place_prompt_after(window, since), timeout=WAIT_MS)
    three_presses(qtbot, window, station, CHEN)
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
