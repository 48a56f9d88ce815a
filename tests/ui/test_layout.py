"""Layouts must survive 30 % longer text (translations) and fit a 1366×768 screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.ui.app import make_app
from kiosk.ui.main_window import MainWindow

from .conftest import open_station


class Longer(QTranslator):
    """A pseudo-translation: every string 30 % longer (extra letters inside the words)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        if not source:
            return source
        extra = max(1, len(source) * 3 // 10)
        return source + " " + "x" * extra if " " in source else source + "x" * extra


def test_every_screen_fits_1366x768_with_longer_text(qtbot: QtBot, paths: DataPaths) -> None:
    make_app()
    tr = Longer()
    QCoreApplication.installTranslator(tr)
    try:
        st = open_station(paths, Config())
        w = MainWindow(st, simulate=True)
        qtbot.addWidget(w)
        assert w.search.title.text().endswith("x")  # the pseudo-translation is in effect
        too_big = {}
        for i in range(w.stack.count()):
            screen = w.stack.widget(i)
            hint = screen.minimumSizeHint()
            if hint.width() > 1366 - 260 - 20 or hint.height() > 768 - 150:
                too_big[type(screen).__name__] = (hint.width(), hint.height())
        assert too_big == {}
        hint = w.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768
        st.close()
    finally:
        QCoreApplication.removeTranslator(tr)
