"""``kiosk doctor``: the GUI's self-test on the command line (settings, sensor, sensor/database
agreement, database, broker, disk, clock), each with a verdict and the fix. Exit 1 if any
check fails. A settings file that cannot be used is itself a failed check, not a crash.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from kiosk.app import Check, Station, Text
from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_parser(sub, common, "doctor",
                   "self-test: sensor, database, central server, disk, clock — with fixes")
    p.add_argument("--port", help="sensor port or URL (default: the configured one / auto)")
    # SUPPRESS: a global "kiosk --simulate doctor" must not be reset by this flag's default.
    p.add_argument("--simulate", action="store_true", default=argparse.SUPPRESS,
                   help="check against the virtual sensor")
    p.add_argument("--wait", type=float, default=8.0, metavar="S",
                   help="how long to give the sensor and the broker to answer (default 8 s)")
    p.set_defaults(func=run)


def open_settled(ctx: Context, *, port: str | None, simulate: bool, wait: float) -> Station:
    """Open the station and give sensor and sync ``wait`` seconds to settle."""
    station = ctx.open_station(port=port, simulate=simulate)
    deadline = time.monotonic() + wait
    station.wait_for_sensor(wait)
    while time.monotonic() < deadline and station.sync.state.reason.value == "connecting":
        time.sleep(0.1)
    return station


def _print(ctx: Context, checks: list[Check]) -> int:
    ok = all(c.ok for c in checks)
    lines = []
    for c in checks:
        lines.append(f"[{'ok' if c.ok else 'FAIL'}] {c.name.english()}: {c.verdict.english()}")
        if c.fix:
            lines.append(f"       fix: {c.fix.english()}")
    lines.append("All checks passed." if ok else "Some checks failed (see the fixes above).")
    ctx.emit({"ok": ok, "checks": [{"name": c.name.english(), "ok": c.ok,
                                    "verdict": c.verdict.english(), "fix": c.fix.english()}
                                   for c in checks]}, "\n".join(lines))
    return EXIT_OK if ok else EXIT_FAILED


def run(args: argparse.Namespace, ctx: Context) -> int:
    try:
        ctx.config()
    except CliError as exc:
        return _print(ctx, [Check(Text("Settings file"), False, Text(str(exc)),
                                  Text("Fix the setting named above, or import a provisioning "
                                       "file (kiosk provision FILE)."))])
    simulate = bool(getattr(args, "simulate", False)) or ctx.simulate
    station = open_settled(ctx, port=args.port, simulate=simulate, wait=args.wait)
    try:
        checks = station.self_test()
    finally:
        station.close()
    return _print(ctx, checks)
