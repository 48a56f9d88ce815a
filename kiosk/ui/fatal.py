"""Start-up failures of the desk GUI end in the log and in a message box, never in silence.

Support gets nothing from a kiosk that vanishes at log-in, so before Qt starts:

* a first line goes to ``kiosk.log`` (flushed), so the log is never empty after an abort;
* :mod:`faulthandler` writes into the same file: a native crash inside Qt (an abort in
  ``QApplication()`` ends the process, no Python exception is raised) still leaves the Python
  stack of every thread in the log;
* a Qt message handler puts Qt's warnings into the log and, for a fatal one (which Qt follows
  with an abort), shows a native message box first.

A Python exception out of the start-up is logged with its traceback and shown as one plain
sentence; the traceback itself never reaches the user.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

TITLE = "Fingerprint Kiosk"
EXIT_CANNOT_START = 1
#: Set to make the next start fail at once (the installer smoke test checks the log and box).
FAIL_ENV = "KIOSK_FAIL_START"

#: The open log file faulthandler writes into (kept open while the GUI runs).
_state: dict[str, IO[str] | None] = {"fault_file": None}


def _message_box(text: str) -> None:
    """A message box that needs no working Qt: Win32 on Windows, stderr elsewhere."""
    if os.environ.get("KIOSK_NO_MESSAGE_BOX"):
        return
    if sys.platform == "win32":
        import ctypes

        mb_iconerror, mb_topmost, mb_setforeground = 0x10, 0x40000, 0x10000
        ctypes.windll.user32.MessageBoxW(None, text, TITLE,
                                         mb_iconerror | mb_topmost | mb_setforeground)
        return
    print(f"{TITLE}: {text}", file=sys.stderr)


def show_error(text: str) -> None:
    """Tell the person at the desk (Qt's box when Qt is up, else a native one)."""
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if isinstance(QApplication.instance(), QApplication) and not os.environ.get(
            "KIOSK_NO_MESSAGE_BOX"
        ):
            QMessageBox.critical(None, TITLE, text)
            return
    except Exception:  # Qt itself is what failed: fall back to the native box
        log.debug("no Qt message box", exc_info=True)
    _message_box(text)


def _qt_handler(log_file: Path | None) -> Callable[[Any, Any, str], None]:
    from PySide6.QtCore import QtMsgType

    qt_log = logging.getLogger("qt")

    def handler(mode: Any, context: Any, message: str) -> None:
        if mode == QtMsgType.QtFatalMsg:
            qt_log.critical("Qt fatal error: %s", message)
            for h in logging.getLogger().handlers:
                h.flush()
            where = f" Details are in {log_file}." if log_file else ""
            _message_box(f"The kiosk cannot start: {message}.{where}")
        elif mode == QtMsgType.QtCriticalMsg:
            qt_log.error("%s", message)
        elif mode == QtMsgType.QtWarningMsg:
            qt_log.warning("%s", message)
        else:
            qt_log.debug("%s", message)

    return handler


def prepare(log_file: Path | None, version: str) -> Any:
    """Before the QApplication exists: first log line, crash dump to the log, Qt handler.

    Returns the Qt message handler that was installed before (to put back afterwards).
    """
    log.info("Fingerprint Kiosk %s starting (Python %s, %s)", version,
             sys.version.split()[0], sys.platform)
    for h in logging.getLogger().handlers:
        h.flush()
    if log_file is not None and _state["fault_file"] is None:
        try:
            fault_file = open(log_file, "a", encoding="utf-8")  # noqa: SIM115 (kept open)
            faulthandler.enable(fault_file, all_threads=True)
            _state["fault_file"] = fault_file
        except OSError:
            log.warning("cannot write crash details to %s", log_file)
    from PySide6.QtCore import qInstallMessageHandler

    return qInstallMessageHandler(_qt_handler(log_file))


def _restore(previous: Any) -> None:
    """Put back Qt's previous handler and stop writing crash dumps into the log."""
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(previous)
    fault_file, _state["fault_file"] = _state["fault_file"], None
    if fault_file is not None:
        faulthandler.disable()
        if sys.__stderr__ is not None:
            faulthandler.enable(sys.__stderr__)
        fault_file.close()


def _log_to_files(message: str, exc: BaseException) -> None:
    """The traceback goes to the log files only: never to a console someone reads."""
    record = log.makeRecord(log.name, logging.ERROR, __file__, 0, message, (),
                            (type(exc), exc, exc.__traceback__))
    for h in logging.getLogger().handlers:
        if isinstance(h, logging.FileHandler):
            h.handle(record)
            h.flush()


def guarded(log_file: Path | None, version: str, start: Callable[[], int]) -> int:
    """Run the GUI start-up ``start``; a failure is logged and shown, exit code 1."""
    previous: Any = None
    try:
        previous = prepare(log_file, version)
        if os.environ.get(FAIL_ENV):
            raise RuntimeError(os.environ[FAIL_ENV])
        return start()
    except Exception as exc:
        _log_to_files("the kiosk could not start", exc)
        hint = getattr(exc, "hint", "")
        where = f"\n\nDetails are in {log_file}." if log_file else ""
        show_error(f"The kiosk cannot start: {exc}" + (f"\n\n{hint}" if hint else "") + where)
        return EXIT_CANNOT_START
    finally:
        _restore(previous)


__all__ = ["EXIT_CANNOT_START", "FAIL_ENV", "guarded", "prepare", "show_error"]
