"""Layouts must survive 30 % longer text and the real translations, and fit a 1366×768 screen:
every screen's minimum size, and then the whole flow, screen by screen, with nothing clipped.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from kiosk.app import Finger, Station
from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.ui.app import make_app
from kiosk.ui.i18n import translations
from kiosk.ui.main_window import MainWindow

from .clipping import clipped
from .conftest import (
    WAIT_MS,
    cooperative,
    find,
    make_window,
    open_station,
    ready_to_place,
    sign_in,
)


class Longer(QTranslator):
    """A pseudo-translation: every string 30 % longer (extra letters inside the words)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        if not source:
            return source
        extra = max(1, len(source) * 3 // 10)
        return source + " " + "x" * extra if " " in source else source + "x" * extra


@pytest.fixture(params=["longer", "fr", "es"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    make_app()
    tr = Longer()
    if request.param == "longer":
        QCoreApplication.installTranslator(tr)
    else:
        translations.use(request.param)
    yield request.param
    QCoreApplication.removeTranslator(tr)
    translations.use("en")


def test_every_screen_fits_1366x768(qtbot: QtBot, paths: DataPaths, language: str) -> None:
    st = open_station(paths, Config())
    try:
        w = MainWindow(st, simulate=True)
        qtbot.addWidget(w)
        assert w.search.title.text() != "Find the person"  # the translation is in effect
        too_big = {}
        for i in range(w.stack.count()):
            screen = w.stack.widget(i)
            hint = screen.minimumSizeHint()
            if hint.width() > 1366 - 290 - 20 or hint.height() > 768 - 150:
                too_big[type(screen).__name__] = (hint.width(), hint.height())
        assert too_big == {}
        hint = w.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768
    finally:
        st.close()


def _flow(qtbot: QtBot, w: MainWindow, st: Station) -> Iterator[str]:
    """Sign-in to the result of the second finger, yielding at each screen on the way."""
    qtbot.waitUntil(lambda: w.signin.name_combo.count() > 0, timeout=WAIT_MS)
    yield "sign-in"
    sign_in(qtbot, w)
    find(qtbot, w, "Chen")
    yield "search"
    w.search.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.consent, timeout=WAIT_MS)
    yield "consent"
    w.consent.refuse.click()
    yield "consent, asked to confirm a refusal"
    w.consent.close_question()
    w.consent.method_buttons["on-screen"].click()
    w.consent.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    yield "finger"
    w.fingers.primary.click()
    qtbot.waitUntil(lambda: ready_to_place(w, 0), timeout=WAIT_MS)
    yield "capture"
    with cooperative(st, "S-1003:right-index"):
        qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    yield "result"
    w.result.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    w.fingers.primary.click()
    with cooperative(st, "S-1003:left-index"):  # the three presses and the check
        qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    yield "result, checked"
    w.result.primary.click()
    find(qtbot, w, "Chen")
    w.search.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.person_screen, timeout=WAIT_MS)
    yield "done person"
    w.person_screen.hands.buttons[Finger.LEFT_INDEX].click()
    qtbot.waitUntil(lambda: w.current() is w.manage, timeout=WAIT_MS)
    w.manage.reason_buttons["wrong-finger"].click()
    yield "manage finger"
    w.manage.remove_button.click()
    yield "manage, asked to confirm"
    w.manage.close_question()
    w.open_admin("figures")
    qtbot.waitUntil(lambda: w.admin.figures.figures is not None, timeout=WAIT_MS)
    yield "figures"
    for section in w.admin.settings.SECTIONS:
        w.admin.open_page("settings")
        w.admin.settings.show_section(section)
        yield f"settings: {section}"


def test_the_whole_flow_fits_without_clipping(qtbot: QtBot, paths: DataPaths,
                                              language: str) -> None:
    st = open_station(paths, Config())
    try:
        w = make_window(qtbot, st)
        found = {}
        for step in _flow(qtbot, w, st):
            QCoreApplication.processEvents()  # the layout requests posted by the step
            problems = clipped(w)
            if problems:
                found[step] = problems
        assert not found, "\n".join(f"{k}: {p}" for k, v in found.items() for p in v)
    finally:
        st.close()
