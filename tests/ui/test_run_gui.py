"""``kiosk --simulate`` end to end through run_gui: lock, services, window, clean exit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.app import SensorState
from kiosk.cli import build_parser
from kiosk.cli.common import Context
from kiosk.config import Config
from kiosk.ui import app as ui_app
from kiosk.ui.main_window import MainWindow


def test_run_gui_simulate_opens_and_exits(qtbot: QtBot, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    args = build_parser().parse_args(["--simulate", "--demo-roster",
                                      "--data-dir", str(tmp_path / "data")])
    ctx = Context.from_args(args)
    seen: list[MainWindow] = []
    real_show = ui_app.show
    loop = QEventLoop()
    # app.exec() would run the one QApplication of the test session and quit it for good;
    # a local loop stands in for it.
    monkeypatch.setattr(QApplication, "exec", lambda *_a: loop.exec())
    # closing the last window would quit the test session's application
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    monkeypatch.setattr(app, "quitOnLastWindowClosed", lambda: False)
    app.setQuitOnLastWindowClosed(False)

    def show_then_quit(win: QWidget, config: Config) -> None:
        real_show(win, config)
        assert isinstance(win, MainWindow)
        seen.append(win)

        def finish() -> None:
            if win.station.sensor_status.state is not SensorState.READY:
                QTimer.singleShot(50, finish)
                return
            win.close()
            loop.quit()

        QTimer.singleShot(50, finish)

    monkeypatch.setattr(ui_app, "show", show_then_quit)
    rc = ui_app.run_gui(ui_app.GuiRequest(ctx.paths, simulate=args.simulate,
                                          demo_roster=args.demo_roster))
    assert rc == 0
    win = seen[0]
    assert win.banner is not None
    assert (tmp_path / "data" / "kiosk.sqlite3").exists()
    assert (tmp_path / "data" / "logs" / "kiosk.log").exists()
