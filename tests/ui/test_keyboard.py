"""The whole flow by keyboard, counted: a 2-finger enrollment with the check after it.

A clerk types the name and then presses 7 keys: Enter (open the person), Space (the consent
method), Enter (consent given), Enter (start the first finger), Enter (next finger), Enter
(start the second finger), Enter (next person). The check after the last finger needs no key:
the person presses once more. The test prints the keys and the screen time it measured with a
person at the simulated sensor who takes ``PLACE_S`` to put a finger down and ``LIFT_S`` to
lift it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.app import Station
from kiosk.ui.main_window import MainWindow

from .conftest import WAIT_MS, activate, sign_in
from .day import ScriptedPerson

PLACE_S, LIFT_S = 0.3, 0.1


class Keys:
    """Key presses sent where the keyboard focus is, counted."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0
        self.log: list[str] = []

    def press(self, key: Qt.Key, name: str) -> None:
        target = QApplication.focusWidget()
        assert target is not None, f"nothing has the focus for {name}"
        self.qtbot.keyClick(target, key)
        self.count += 1
        self.log.append(name)

    def type(self, text: str) -> None:
        target = QApplication.focusWidget()
        assert target is not None
        self.qtbot.keyClicks(target, text)


def test_a_two_finger_enrollment_with_its_check_by_keyboard(qtbot: QtBot, window: MainWindow,
                                                            station: Station) -> None:
    w = window
    activate(qtbot, w)
    sign_in(qtbot, w)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.search.query, timeout=WAIT_MS)
    assert station.simulation is not None
    person = ScriptedPerson(station.simulation.sim, lambda: f"S-1003:{w.finger}",
                            place_s=PLACE_S, lift_s=LIFT_S).install()
    keys = Keys(qtbot)
    try:
        keys.type("chen")
        t0 = time.monotonic()
        keys.press(Qt.Key.Key_Return, "open the person")
        qtbot.waitUntil(lambda: w.current() is w.consent, timeout=WAIT_MS)
        keys.press(Qt.Key.Key_Space, "the consent method")
        keys.press(Qt.Key.Key_Return, "consent given")
        qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
        keys.press(Qt.Key.Key_Return, "start the first finger")
        qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
        keys.press(Qt.Key.Key_Return, "next finger")
        qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
        keys.press(Qt.Key.Key_Return, "start the second finger")
        qtbot.waitUntil(lambda: w.current() is w.capture and w.capture.verifying,
                        timeout=WAIT_MS)
        qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
        assert w.result.big.text() == "Fingerprint saved and checked"
        keys.press(Qt.Key.Key_Return, "next person")
        qtbot.waitUntil(lambda: w.current() is w.search, timeout=WAIT_MS)
        seconds = time.monotonic() - t0
    finally:
        person.uninstall()
    status = station.desk.person("S-1003")
    assert status.enrolled_fingers == ("right-index", "left-index")
    assert keys.count == 7, keys.log
    print(f"\n2 fingers + check: {keys.count} keys after the name, {seconds:.1f} s on screen "
          f"(person: {PLACE_S} s to place, {LIFT_S} s to lift)")
