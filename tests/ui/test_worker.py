"""Background calls hand their answer to the GUI thread, and drop it for a closed screen."""

from __future__ import annotations

import functools
import gc
import threading

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
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


def _relays() -> int:
    gc.collect()
    return sum(isinstance(o, worker._Relay) for o in gc.get_objects())


def test_answered_calls_leave_nothing_behind(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A desk makes several background calls per keystroke and per enrollment, all day: each
    one's relay and callbacks must go once it has answered (they used to stay for good)."""
    # The test run keeps every log record, and a failure's record holds its traceback.
    monkeypatch.setattr(worker.log, "disabled", True)
    before = _relays()
    answers: list[int] = []
    for i in range(200):
        run_async(functools.partial(int, i), answers.append, lambda _e: None)
        run_async(lambda: 1 / 0, answers.append, lambda _e: answers.append(-1))
    qtbot.waitUntil(lambda: len(answers) == 400, timeout=WAIT_MS)
    assert answers.count(-1) == 200
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert _relays() - before < 5
