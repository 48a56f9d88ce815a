"""Every performance figure of the project in one command, with its reference and ratio.

    .venv/bin/python -m bench.run            # make bench        (full; about 15 minutes on 2 cores)
    .venv/bin/python -m bench.run --quick    # make bench-quick  (≤ 3 minutes on 2 cores)
    .venv/bin/python -m bench.run --smoke    # every row once with tiny sizes (the test run)
    .venv/bin/python -m bench.run --only sync,search [--out results.json] [--markdown]

Each group of figures runs in a fresh Python process of its own, one after the other (so one
benchmark's threads, caches and Qt application never disturb another's numbers). Standard
output gets one JSON line per figure as it is measured ({"name", "unit", "value",
"reference", "ratio", "goal", "met", details…, "note"}) and the table at the end; progress
goes to standard error. The machine is shared with other work, so every reference is measured
in the same run and the ratios are what to compare between runs. A group that fails still
prints its rows, with ``"value": null`` and the error.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import MODES, REPO, Figure, emit, load_average, machine, progress, table


@dataclass(frozen=True)
class Group:
    name: str
    module: str
    figures: tuple[str, ...]
    #: Seconds the group may take, per mode (a hung benchmark must not hang the run).
    timeout: dict[str, float]


INGEST_ROWS = tuple(f"ingest_scaling_{db}_{w}w" for db in ("sqlite", "postgres")
                    for w in (1, 2, 4))
GROUPS = (
    Group("sync", "bench.bench_sync", ("sync_drain_rate", "online_commit_to_ack_ms"),
          {"full": 3600, "quick": 300, "smoke": 180}),
    Group("ingest", "bench.bench_ingest", INGEST_ROWS,
          {"full": 3600, "quick": 400, "smoke": 300}),
    Group("gui", "bench.bench_gui_stall", ("capture_to_screen_ms", "gui_stall_ms"),
          {"full": 1800, "quick": 300, "smoke": 180}),
    Group("enroll", "bench.bench_enroll", ("enrollment_overhead",),
          {"full": 600, "quick": 300, "smoke": 180}),
    Group("search", "bench.bench_search", ("roster_search_ms",),
          {"full": 900, "quick": 300, "smoke": 180}),
    Group("start", "bench.bench_start", ("cold_start_s", "rss_mb"),
          {"full": 900, "quick": 300, "smoke": 180}),
    Group("memory", "bench.bench_memory", ("rss_growth_mb",),
          {"full": 3600, "quick": 300, "smoke": 180}),
)


def run_group(group: Group, mode: str) -> list[dict[str, Any]]:
    """Run one group's process; its figure lines are echoed as they come."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "KIOSK_KEYSTORE": "file", "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", group.module, "--mode", mode]
    rows: list[dict[str, Any]] = []
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    timer = threading.Timer(group.timeout[mode], proc.kill)
    timer.start()
    error = ""
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                obj = json.loads(line)
            except ValueError:
                print(line, end="", file=sys.stderr)
                continue
            if isinstance(obj, dict) and "name" in obj:
                rows.append(obj)
                print(json.dumps(obj, ensure_ascii=False), flush=True)
        rc = proc.wait()
        if rc:
            error = (f"killed after {group.timeout[mode]:.0f} s" if rc < 0 else
                     f"exited with {rc}")
    finally:
        timer.cancel()
    progress(f"{group.name}: {time.monotonic() - t0:.0f} s")
    seen = {r["name"] for r in rows}
    for name in group.figures:
        if name not in seen:
            fig = Figure(name, "", None, note=f"not measured: {group.module} "
                                              f"{error or 'printed no such row'}")
            emit(fig)
            rows.append(fig.to_json())
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--mode", choices=MODES, default="full")
    ap.add_argument("--quick", dest="mode", action="store_const", const="quick")
    ap.add_argument("--smoke", dest="mode", action="store_const", const="smoke")
    ap.add_argument("--only", default="", help="comma-separated groups: "
                    + ",".join(g.name for g in GROUPS))
    ap.add_argument("--out", type=Path, help="also write figures and machine to this JSON file")
    ap.add_argument("--markdown", action="store_true", help="the table as Markdown")
    args = ap.parse_args(argv)
    wanted = [g for g in GROUPS if not args.only or g.name in args.only.split(",")]
    if not wanted:
        ap.error(f"--only: no such group (groups: {', '.join(g.name for g in GROUPS)})")
    started = time.time()
    load0 = load_average()
    rows: list[dict[str, Any]] = []
    for g in wanted:
        progress(f"{g.name}: {g.module} --mode {args.mode}")
        rows += run_group(g, args.mode)
    info = {**machine(), "mode": args.mode, "load_average_start": round(load0, 2),
            "load_average_end": round(load_average(), 2),
            "minutes": round((time.time() - started) / 60, 1),
            "date": time.strftime("%Y-%m-%d", time.gmtime(started))}
    print()
    print(table(rows, markdown=args.markdown))
    print()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    if args.out:
        args.out.write_text(json.dumps({"machine": info, "figures": rows}, indent=2,
                                       ensure_ascii=False) + "\n")
    return 0 if all(r.get("value") is not None for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
