"""A desk GUI that cannot start leaves its reason in ``kiosk.log`` and tells the user.

Real processes: the ``kiosk`` entry point run as the installer's shortcut runs it, once with a
Python error during start-up and once with Qt aborting inside ``QApplication()`` (no platform
plugin), which ends the process without any Python exception.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CMD = [sys.executable, "-c", "import sys; from kiosk.launcher import main; sys.exit(main())"]


def run_kiosk(data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("KIOSK_FAIL_START",)}
    full.update(env)
    return subprocess.run([*CMD, "--data-dir", str(data)], capture_output=True, text=True,
                          timeout=120, env=full, check=False)


def test_python_error_at_start_is_logged_and_shown_without_traceback(tmp_path: Path) -> None:
    proc = run_kiosk(tmp_path, KIOSK_FAIL_START="the settings file is unreadable",
                     QT_QPA_PLATFORM="offscreen")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    log = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "starting" in log
    assert "the kiosk could not start" in log and "Traceback" in log, log
    # The user sees one sentence and where the details are, never the traceback.
    assert "The kiosk cannot start: the settings file is unreadable" in proc.stderr
    assert "kiosk.log" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_qt_abort_in_qapplication_still_leaves_a_log(tmp_path: Path) -> None:
    proc = run_kiosk(tmp_path, QT_QPA_PLATFORM="no-such-platform")
    assert proc.returncode != 0
    log = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert log.strip(), "kiosk.log must not be empty after an abort"
    assert "starting" in log
    assert "Qt fatal error" in log and "no-such-platform" in log, log
    # faulthandler's dump of the aborting process, in the same file.
    assert "Fatal Python error" in log, log
    assert "The kiosk cannot start" in proc.stderr
