"""``kiosk doctor``: the GUI's self-test on the command line (sensor, database, broker, disk,
clock), each with a verdict and the fix. Exit 1 if any check fails.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_parser(sub, common, "doctor",
                   "self-test: sensor, database, central server, disk, clock — with fixes")
    p.add_argument("--port", help="sensor port or URL (default: the configured one / auto)")
    p.add_argument("--simulate", action="store_true", help="check against the virtual sensor")
    p.add_argument("--wait", type=float, default=8.0, metavar="S",
                   help="how long to give the sensor and the broker to answer (default 8 s)")
    p.set_defaults(func=run)


def open_station(ctx: Context, *, port: str | None, simulate: bool, wait: float) -> Any:
    """Open the station and give sensor and sync ``wait`` seconds to settle."""
    from kiosk.app import Station
    from kiosk.store import StoreError

    config = ctx.config()
    ctx.start_logging()
    try:
        station = Station.open(ctx.paths, config, simulate=simulate, sensor_url=port)
    except StoreError as exc:
        raise CliError(f"{exc} {exc.hint}".strip(), code=exc.code) from exc
    except OSError as exc:
        raise CliError(f"Cannot open the data folder {ctx.paths.root}: {exc}",
                       code="data-folder") from exc
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        sensor_done = station.sensor.status.state in ("connected", "disconnected")
        sync_done = station.sync is None or station.sync.snapshot().reason != "connecting"
        if sensor_done and sync_done:
            break
        time.sleep(0.1)
    return station


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kiosk.app.diagnostics import run_self_test

    station = open_station(ctx, port=args.port, simulate=args.simulate, wait=args.wait)
    try:
        checks = run_self_test(station)
    finally:
        station.close()
    ok = all(c.ok for c in checks)
    lines = []
    for c in checks:
        lines.append(f"[{'ok' if c.ok else 'FAIL'}] {c.name}: {c.verdict}")
        if c.fix:
            lines.append(f"       fix: {c.fix}")
    lines.append("All checks passed." if ok else "Some checks failed (see the fixes above).")
    ctx.emit({"ok": ok, "checks": [{"name": c.name, "ok": c.ok, "verdict": c.verdict,
                                    "fix": c.fix} for c in checks]}, "\n".join(lines))
    return EXIT_OK if ok else EXIT_FAILED
