"""Start a GUI program and say when its first frame was on screen (for ``bench_start``).

    python -m bench.firstframe kiosk [kiosk arguments…]     # the real ``kiosk`` program
    python -m bench.firstframe bare                         # a bare PySide6 window

The QApplication is created first (the kiosk's ``make_app`` takes the existing one), with an
application-wide event filter: when the main window (the first top-level window of the
expected class) has been painted for the first time, a line ``frame <monotonic seconds>
<RSS MB>`` goes to standard output, and ``SETTLE_S`` later ``settled <RSS MB> <peak MB>``.
``time.monotonic`` is the system-wide monotonic clock on Linux, so the parent compares it with
its own launch time. Nothing else of the program is changed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from bench.common import rss_mb

#: Seconds after the first frame at which memory is read (``BENCH_SETTLE_S`` overrides).
SETTLE_S = float(os.environ.get("BENCH_SETTLE_S", "3"))


class FirstFrame(QObject):
    def __init__(self, window_class: str) -> None:
        super().__init__()
        self.window_class = window_class
        self.seen = False

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if (not self.seen and ev.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                and obj.isWindow() and type(obj).__name__ == self.window_class):
            self.seen = True
            # After this paint event and the flush of the frame it belongs to.
            QTimer.singleShot(0, self._framed)
        return False

    def _framed(self) -> None:
        print(f"frame {time.monotonic():.6f} {rss_mb():.1f}", flush=True)
        QTimer.singleShot(int(SETTLE_S * 1000), self._settled)

    def _settled(self) -> None:
        print(f"settled {rss_mb():.1f} {rss_mb(key='VmHWM'):.1f}", flush=True)


def main() -> int:
    what, args = sys.argv[1], sys.argv[2:]
    app = QApplication(sys.argv[:1])
    watch = FirstFrame("MainWindow" if what == "kiosk" else "QWidget")
    app.installEventFilter(watch)
    if what == "bare":
        w = QWidget()
        w.setWindowTitle("bare")
        w.resize(1366, 768)
        w.show()
        return app.exec()
    from kiosk.launcher import main as kiosk_main

    return kiosk_main(args)


if __name__ == "__main__":
    sys.exit(main())
