"""Background calls hand their answer to the GUI thread, and drop it for a closed screen."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.ui import worker
from kiosk.ui.worker import run_async

from .conftest import WAIT_MS


def test_answer_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    seen: list[tuple[str, bool]] = []
    run_async(threading.get_ident, lambda t: seen.append(("done", t != gui)))
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen == [("done", True)]  # ran elsewhere, answered here


def test_answer_for_a_deleted_widget_is_dropped(qtbot: QtBot) -> None:
    label = QLabel("before")
    release = threading.Event()

    def show(text: str) -> None:  # a closure over the widget, as the screens write them
        label.setText(text)

    run_async(lambda: release.wait(10) and "after", show)
    shiboken6.delete(label)  # the screen went away while the call ran
    release.set()
    qtbot.waitUntil(lambda: not worker._live, timeout=WAIT_MS)  # delivered (and dropped)
    assert not shiboken6.isValid(label)
