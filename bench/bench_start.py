"""Cold start and memory of the desk program: ``kiosk --simulate`` from launch to its first
frame, against a bare PySide6 window launched the same way in the same run.

    .venv/bin/python -m bench.bench_start [--mode full|quick|smoke]

Both run under a virtual X server (Xvfb, the xcb platform as on a desktop; offscreen when
Xvfb is missing) started once before the launches, so its own start-up is not counted. Each
launch is a new Python process (``bench/firstframe.py``), timed from just before the process is
created to the end of the first paint of the main window; kiosk and bare launches alternate.
The kiosk's data folder was created by one launch before the timed ones (the everyday start:
database present, no migration), and that first launch is reported too.

* ``cold_start_s``: median launch → first frame of ``kiosk --simulate``; reference the same for
  the bare window; goal ≤ 1.5 × reference.
* ``rss_mb``: resident memory of the kiosk process ``SETTLE_S`` after its first frame (the
  sensor connected, the window idle); reference: the bare window's, same moment.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO, Figure, Mode, emit, mode_arg, progress

LAUNCHES: dict[Mode, int] = {"full": 7, "quick": 2, "smoke": 1}


@contextlib.contextmanager
def display() -> Iterator[dict[str, str]]:
    """A virtual X server for the launches (or the offscreen platform without one)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    r, w = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(w), "-screen", "0", "1920x1080x24",
                             "-nolisten", "tcp"], pass_fds=(w,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(w)
    try:
        with os.fdopen(r) as f:
            number = f.readline().strip()  # Xvfb writes it once it accepts connections
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{number}"}
    finally:
        proc.terminate()
        proc.wait(10)


def launch(what: str, env: dict[str, str], args: list[str]) -> tuple[float, float, float]:
    """(seconds to first frame, RSS MB when settled, peak RSS MB) of one launch."""
    t0 = time.monotonic()
    p = subprocess.Popen([sys.executable, "-m", "bench.firstframe", what, *args], cwd=REPO,
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None
        frame = p.stdout.readline().split()
        settled = p.stdout.readline().split()
        if len(frame) < 3 or len(settled) < 3:
            p.kill()
            raise RuntimeError(f"{what} showed no frame: {p.communicate()[1][-2000:]}")
        return float(frame[1]) - t0, float(settled[1]), float(settled[2])
    finally:
        if p.poll() is None:
            p.terminate()
        try:
            p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()


def run(mode: Mode) -> list[Figure]:
    n = LAUNCHES[mode]
    tmp = Path(tempfile.mkdtemp(prefix="bench-start-"))
    data = tmp / "station"
    kiosk_args = ["--simulate", "--data-dir", str(data)]
    kiosk: list[tuple[float, float, float]] = []
    bare: list[tuple[float, float, float]] = []
    try:
        with display() as extra:
            env = {**os.environ, **extra, "KIOSK_KEYSTORE": "file"}
            if mode == "smoke":
                env["BENCH_SETTLE_S"] = "0.5"
            platform = extra["QT_QPA_PLATFORM"]
            progress(f"start: first launch ({platform})")
            first = launch("kiosk", env, kiosk_args)
            launch("bare", env, [])  # the same warm-up for the reference
            for i in range(n):
                progress(f"start: launch {i + 1}/{n}, kiosk and bare")
                kiosk.append(launch("kiosk", env, kiosk_args))
                bare.append(launch("bare", env, []))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    k_s = statistics.median(x[0] for x in kiosk)
    b_s = statistics.median(x[0] for x in bare)
    k_rss = statistics.median(x[1] for x in kiosk)
    b_rss = statistics.median(x[1] for x in bare)
    return [
        Figure("cold_start_s", "s", k_s, b_s, goal="≤ 1.5 × bare PySide6 window",
               met=k_s <= 1.5 * b_s,
               detail={"launches": n, "kiosk_s": [round(x[0], 3) for x in kiosk],
                       "bare_s": [round(x[0], 3) for x in bare],
                       "first_launch_s": first[0], "platform": platform},
               note="median of launches alternating with the bare window; the first launch "
                    "(new data folder: database created) is first_launch_s"),
        Figure("rss_mb", "MB", k_rss, b_rss, goal="≤ 150 MB", met=k_rss <= 150,
               detail={"peak_mb": statistics.median(x[2] for x in kiosk),
                       "bare_peak_mb": statistics.median(x[2] for x in bare)},
               note="kiosk --simulate, 3 s after its first frame; reference the bare window"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    mode, _rest = mode_arg(argv, __doc__ or "")
    for fig in run(mode):
        emit(fig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
