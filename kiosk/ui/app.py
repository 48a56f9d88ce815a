"""Start the desk GUI: one instance per machine, stylesheet, station services, kiosk mode."""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kiosk import threadguard
from kiosk.app import Station
from kiosk.config import Config, load_for
from kiosk.logsetup import setup_logging
from kiosk.paths import DataPaths, resource_dir
from kiosk.ui.i18n import translations
from kiosk.ui.main_window import MainWindow
from kiosk.ui.widgets import resource

log = logging.getLogger(__name__)

EXIT_ALREADY_RUNNING = 0
EXIT_CANNOT_START = 1


def _start_logging(paths: DataPaths, *, verbose: bool) -> None:
    """The log file in the data folder if it can be written; never fail to start over it."""
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        log_file: Path | None = paths.log_file
    except OSError:
        log_file = None
    setup_logging(log_file, level=logging.DEBUG if verbose else logging.INFO)


def stylesheet() -> str:
    return resource("kiosk.qss").read_text(encoding="utf-8")


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the kiosk's font and stylesheet (idempotent, for tests too)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Fingerprint Kiosk")
    # the stylesheet names its pictures (arrows) as kiosk:<file>
    QDir.addSearchPath("kiosk", str(resource_dir()))
    font = QFont("Segoe UI" if sys.platform == "win32" else "DejaVu Sans")
    font.setPointSize(16)
    app.setFont(font)
    app.setStyleSheet(stylesheet())
    return app


def install_translation(app: QApplication, language: str) -> str:
    """The desk's language: ``language`` (``[ui] language``), else the system's if we have
    it, else English; returns the one in use."""
    del app  # the translators belong to the one QApplication (kiosk.ui.i18n)
    return translations.use(language)


def server_name(paths: DataPaths) -> str:
    """One local-socket name per data folder, so two stations on one machine don't clash."""
    digest = hashlib.sha256(str(paths.root).encode()).hexdigest()[:12]
    return f"fingerprint-kiosk-{digest}"


class SingleInstance(QObject):
    """A ``QLockFile`` in the data folder; a second start asks the first to come forward."""

    raiseRequested = Signal()

    def __init__(self, paths: DataPaths) -> None:
        super().__init__()
        self.paths = paths
        self.lock = QLockFile(str(paths.lock_file))
        self.lock.setStaleLockTime(0)
        self.server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if we are the only instance; otherwise the running one was told to raise."""
        if not self.lock.tryLock(100):
            sock = QLocalSocket()
            sock.connectToServer(server_name(self.paths))
            if sock.waitForConnected(1000):
                sock.write(b"raise\n")
                sock.waitForBytesWritten(1000)
                sock.disconnectFromServer()
            return False
        name = server_name(self.paths)
        QLocalServer.removeServer(name)
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._incoming)
        if not self.server.listen(name):
            log.warning("cannot listen for second starts: %s", self.server.errorString())
        return True

    def _incoming(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: c.readAll())
            conn.disconnected.connect(conn.deleteLater)
            self.raiseRequested.emit()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
        self.lock.unlock()


def bring_forward(w: QWidget) -> None:
    if w.isMinimized():
        w.showNormal()
    w.raise_()
    w.activateWindow()


def open_station(paths: DataPaths, config: Config, *, simulate: bool,
                 demo_roster: bool) -> Station:
    """The application services behind the GUI (the demo roster only with the simulator)."""
    return Station.open(paths, config, simulate=simulate, demo_roster=demo_roster)


@dataclass(frozen=True)
class GuiRequest:
    """What the ``kiosk`` command line asks of the desk GUI (``kiosk.launcher``)."""

    paths: DataPaths
    config_file: Path | None = None
    simulate: bool = False
    demo_roster: bool = False
    verbose: bool = False


def run_gui(req: GuiRequest) -> int:
    """The ``kiosk`` command without a subcommand."""
    _start_logging(req.paths, verbose=req.verbose)
    from kiosk import __version__
    from kiosk.ui import fatal  # start-up failures: logged and shown (kiosk/ui/fatal.py)

    return fatal.guarded(req.paths.log_file, __version__, lambda: _run_gui(req))


def _run_gui(req: GuiRequest) -> int:
    paths = req.paths
    app = make_app()
    try:
        paths.ensure()
        config = load_for(paths, req.config_file)
    except Exception as exc:
        log.exception("cannot read the settings")
        QMessageBox.critical(None, "Fingerprint Kiosk", str(exc))
        return EXIT_CANNOT_START
    install_translation(app, config.ui.language)
    single = SingleInstance(paths)
    if not single.acquire():
        log.info("already running; asked the running instance to come forward")
        return EXIT_ALREADY_RUNNING
    try:
        # Opening (migrations, demo roster) blocks; it happens before the event loop runs.
        station = open_station(paths, config, simulate=req.simulate,
                               demo_roster=req.demo_roster)
    except Exception as exc:
        log.exception("cannot open the station")
        hint = getattr(exc, "hint", "")
        QMessageBox.critical(None, "Fingerprint Kiosk",
                             QApplication.translate("kiosk", "The station cannot start: {e}")
                             .format(e=exc) + (f"\n\n{hint}" if hint else ""))
        single.release()
        return EXIT_CANNOT_START
    threadguard.set_gui_thread(threading.get_ident())
    win = MainWindow(station, simulate=req.simulate)
    single.raiseRequested.connect(lambda: bring_forward(win))
    show(win, config)
    rc = app.exec()
    threadguard.set_gui_thread(None)  # closing the services may block; the loop is gone
    station.close()
    single.release()
    return win.exit_code or rc


def show(win: QWidget, config: Config) -> None:
    """Full-screen and frameless in kiosk mode; a normal window for development."""
    if config.ui.kiosk_mode:
        win.setWindowFlags(Qt.WindowType.FramelessWindowHint
                           | Qt.WindowType.WindowStaysOnTopHint)
        win.showFullScreen()
    else:
        win.resize(1366, 768)
        win.show()
