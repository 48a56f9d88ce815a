"""What every benchmark shares: the figure record, percentiles, the output format, the machine.

A figure is one measured number with the reference it is judged against, measured in the
same run where there is one (the machine is shared, so absolute numbers move with the load;
ratios move much less). Each benchmark prints one JSON line per figure on standard output
(:func:`emit`); ``bench/run.py`` collects them and prints the table (:func:`table`).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parents[1]

Mode = Literal["full", "quick", "smoke"]
MODES: tuple[Mode, ...] = ("full", "quick", "smoke")


@dataclass
class Figure:
    """One row of the table.

    ``reference`` is what ``value`` is judged against (a bare measurement of the same run,
    a physical limit, or None where the goal is absolute); ``ratio`` = value / reference.
    ``met`` says whether ``goal`` holds (None: there is no pass/fail goal).
    """

    name: str
    unit: str
    value: float | None
    reference: float | None = None
    goal: str = ""
    met: bool | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.reference:
            return None
        return self.value / self.reference

    def to_json(self) -> dict[str, Any]:
        ratio = self.ratio
        return {
            "name": self.name, "unit": self.unit, "value": _round(self.value),
            "reference": _round(self.reference),
            "ratio": None if ratio is None else round(ratio, 3),
            "goal": self.goal, "met": self.met, **{k: _round(v) for k, v in self.detail.items()},
            "note": self.note,
        }


def _round(v: Any) -> Any:
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        return round(v, 3) if abs(v) < 100 else round(v, 1)
    if isinstance(v, dict):
        return {k: _round(x) for k, x in v.items()}
    return v


def emit(fig: Figure) -> None:
    """Print one figure as a JSON line (flushed: the harness reads it as it comes)."""
    print(json.dumps(fig.to_json(), ensure_ascii=False), flush=True)


def pct(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile, nearest rank (p95 of 20 samples is the 19th smallest)."""
    if not values:
        return math.nan
    s = sorted(values)
    k = max(1, math.ceil(p / 100 * len(s)))
    return s[min(k, len(s)) - 1]


def progress(text: str) -> None:
    """Where a benchmark is (standard error; standard output carries only figures)."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def wait_for(cond: Callable[[], object], timeout: float, what: str,
             idle: Callable[[float], object] | None = None, step: float = 0.005) -> None:
    """Wait until ``cond`` holds, giving ``idle`` (or a short sleep) the time in between."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        (idle or time.sleep)(step)


# -- processes ---------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def rss_mb(pid: int | None = None, key: str = "VmRSS") -> float:
    """Resident memory of a process in MB (``VmRSS``; ``VmHWM`` for the peak)."""
    path = Path(f"/proc/{pid or 'self'}/status")
    for line in path.read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


def load_average() -> float:
    return os.getloadavg()[0]


def _version(cmd: list[str], pick: Callable[[str], str] = lambda s: s.strip()) -> str:
    exe = shutil.which(cmd[0])
    if exe is None:
        return "not installed"
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    text = (out.stdout or out.stderr).strip()
    return pick(text) if text else "unknown"


def machine() -> dict[str, Any]:
    """The machine and the software a run measured (for docs/performance.md)."""
    import sqlite3

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    pg = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_gb, 1),
        "os": platform.platform(terse=True), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "mosquitto": _version(["mosquitto", "-h"], lambda s: s.splitlines()[0]),
        "postgresql": _version([str(pg[-1]), "--version"]) if pg else "not installed",
    }


# -- the table ---------------------------------------------------------------------------------


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else (f"{v:.1f}" if abs(v) >= 10 else f"{v:.3g}")
    return str(v)


def table(rows: Iterable[dict[str, Any]], *, markdown: bool = False) -> str:
    """The figures as an aligned table (or Markdown) for people."""
    cols = ("name", "unit", "value", "p50", "reference", "ratio", "goal", "met")
    body = [[_fmt(r.get(c)) for c in cols] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join(lines)
    widths = [max(len(c), *(len(row[i]) for row in body)) if body else len(c)
              for i, c in enumerate(cols)]
    out = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in body]
    return "\n".join(out)


def sizes_from_env() -> dict[str, int]:
    """``BENCH_SIZES="backlog=20,latency=100"``: other sizes for an experiment or a profile."""
    out = {}
    for part in filter(None, os.environ.get("BENCH_SIZES", "").split(",")):
        k, _, v = part.partition("=")
        out[k.strip()] = int(v)
    return out


def mode_arg(argv: Sequence[str] | None, doc: str) -> tuple[Mode, list[str]]:
    """``--mode full|quick|smoke`` (also ``--quick``/``--smoke``) and the other arguments."""
    import argparse

    ap = argparse.ArgumentParser(description=doc.splitlines()[0], add_help=False)
    ap.add_argument("--mode", choices=MODES, default="full")
    ap.add_argument("--quick", dest="mode", action="store_const", const="quick")
    ap.add_argument("--smoke", dest="mode", action="store_const", const="smoke")
    ns, rest = ap.parse_known_args(argv)
    return ns.mode, rest


@contextlib.contextmanager
def profiled(name: str, pids: Callable[[], Sequence[int]]) -> Iterator[None]:
    """With ``BENCH_PROFILE_DIR`` set: py-spy samples ``pids`` (raw collapsed stacks, one file
    per process, ``<dir>/<name>-<pid>.txt``; idle threads too with ``BENCH_PROFILE_IDLE``)
    for the duration of the block. Otherwise nothing."""
    folder = os.environ.get("BENCH_PROFILE_DIR")
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not folder or not Path(spy).exists():
        yield
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    procs = [subprocess.Popen([spy, "record", "--pid", str(pid), "--rate", "250", "--format",
                               "raw", "--nonblocking", "--threads",
                               *(["--idle"] if os.environ.get("BENCH_PROFILE_IDLE") else []),
                               "-o",
                               str(Path(folder) / f"{name}-{pid}.txt")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for pid in pids()]
    time.sleep(0.5)  # py-spy attaches before the measured work starts (profiling runs only)
    try:
        yield
    finally:
        for p in procs:
            p.send_signal(signal.SIGINT)
        for p in procs:
            p.wait(60)
