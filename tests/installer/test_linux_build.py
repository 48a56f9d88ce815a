"""The Linux one-dir build from installer/kiosk.spec passes its own ``--self-test``.

A quick stand-in for the Windows build: the same spec (modules, Qt plugins, migrations shipped
as files) and the same self-test, without Wine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.linux_build, pytest.mark.timeout(900)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux build")
def test_linux_onedir_build_passes_self_test() -> None:
    proc = subprocess.run(
        [str(ROOT / "installer" / "build-linux.sh")],
        cwd=ROOT, capture_output=True, text=True, timeout=880, check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert "self-test passed" in out, out[-4000:]
    app = ROOT / "installer" / "build" / "linux" / "dist" / "kiosk"
    assert (app / "kiosk").is_file()
    # One program: the virtual sensor is its "sim" subcommand, the central service not there.
    assert sorted(p.name for p in app.iterdir() if p.is_file()) == ["kiosk"]
    assert not (app / "_internal" / "kiosk_central").exists()
    sim = subprocess.run([str(app / "kiosk"), "sim", "--help"], capture_output=True, text=True,
                         timeout=120, check=False)
    assert sim.returncode == 0 and "--listen" in sim.stdout, sim.stdout + sim.stderr
    migrations = next(app.glob("_internal/kiosk/store/migrations"), None)
    assert migrations is not None and (migrations / "env.py").is_file()
    qt = app / "_internal" / "PySide6" / "Qt"
    assert not list(qt.glob("translations/*.qm")), "Qt's translations are not shipped"
