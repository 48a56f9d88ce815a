"""``kiosk sensor …``: the field technician's sensor check (replaces "flash a test sketch").

``info`` prints the module's parameters or one clear diagnosis; ``list`` shows candidate ports
with a probe verdict each; ``reconcile`` compares the sensor's templates with the database (and
``--repair`` fixes the differences). Exit 0 = a working sensor / agreement, 1 = a diagnosis,
2 = usage.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any

from kiosk.app import wording
from kiosk.app.sensor_admin import FrameTrace, ProbeResult, list_ports, sensor_info
from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_parser(sub, common, "sensor", "check the fingerprint sensor")
    ssub = group.add_subparsers(dest="sensor_command", metavar="SUBCOMMAND")

    info = add_parser(ssub, common, "info", "show the sensor's parameters, or what is wrong")
    _port_options(info)
    info.set_defaults(func=cmd_info)

    lst = add_parser(ssub, common, "list", "list candidate ports and probe each one")
    lst.add_argument("--all", action="store_true", help="include ports of unknown USB adapters")
    lst.add_argument("--baud", type=int, default=None, help="rate to probe first")
    lst.add_argument("--no-scan", action="store_true", help="do not try other baud rates")
    lst.set_defaults(func=cmd_list)

    rec = add_parser(ssub, common, "reconcile",
                     "compare the sensor's templates with the database (--repair: fix them)")
    rec.add_argument("--port", default=None, help="sensor port or URL (default: sensor.port)")
    rec.add_argument("--repair", action="store_true",
                     help="load back missing templates and clear the ones nobody owns")
    rec.add_argument("--connect-timeout", type=float, default=15.0, metavar="S",
                     help="how long to wait for the sensor (default 15 s)")
    rec.set_defaults(func=cmd_reconcile)


def _port_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", default=None,
                   help="port name or pyserial URL; 'auto' finds it (default: sensor.port)")
    p.add_argument("--baud", type=int, default=None, help="baud rate (default: sensor.baud)")
    p.add_argument("--no-scan", action="store_true",
                   help="do not try other baud rates when the sensor is silent")
    p.add_argument("--trace", action="store_true", help="print every frame to stderr")


def _trace(ctx: Context, args: argparse.Namespace, enabled: bool) -> FrameTrace | None:
    if getattr(args, "trace", False):
        return FrameTrace(sys.stderr)
    if enabled:
        with contextlib.suppress(OSError):
            return FrameTrace(ctx.paths.trace_file)
    return None


def cmd_info(args: argparse.Namespace, ctx: Context) -> int:
    cfg = ctx.config()  # config first: a bad config is reported before touching any port
    ctx.start_logging()
    port = args.port or cfg.sensor.port
    baud = args.baud or cfg.sensor.baud
    trace = _trace(ctx, args, cfg.sensor.trace)
    try:
        res = sensor_info(cfg.sensor, port, baud=baud, scan=not args.no_scan, trace=trace)
    finally:
        if trace is not None:
            trace.close()
    _emit_result(ctx, res)
    return EXIT_OK if res.ok else EXIT_FAILED


def _emit_result(ctx: Context, res: ProbeResult) -> None:
    if ctx.json:
        ctx.emit(res.to_dict(), "")
        return
    lines: list[str] = []
    if res.parameters is not None:
        p = res.parameters
        lines += [
            f"Sensor on {res.port}",
            f"  capacity        {p.capacity} templates",
            f"  templates       {res.templates if res.templates is not None else '?'} stored",
            f"  security level  {p.security_level} (1 = most tolerant, 5 = strictest)",
            f"  packet size     {p.packet_size} bytes",
            f"  baud            {p.baud}",
            f"  address         0x{p.address:08X}",
            f"  status          0x{p.status:04X}"
            + (" (password verified)" if p.password_verified else ""),
        ]
    if res.ok:
        print("\n".join(lines))
        return
    if lines:
        print("\n".join(lines))
    print(f"Problem: {res.message}", file=sys.stderr)
    if res.detail and ctx.verbose:
        print(f"  ({res.detail})", file=sys.stderr)


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    cfg = ctx.config()
    ctx.start_logging()
    found = list_ports(cfg.sensor, include_unknown=args.all, baud=args.baud,
                       scan=not args.no_scan)
    cands = [c for c, _r in found]
    results = [r for _c, r in found]
    if ctx.json:
        ctx.emit({
            "ok": any(r.ok for r in results),
            "ports": [dict(c.to_dict(), probe=r.to_dict()) for c, r in zip(cands, results,
                                                                           strict=True)],
        }, "")
    elif not cands:
        print("No candidate ports (CP210x, CH340/CH9102, FTDI, ESP32 USB) found."
              + ("" if args.all else " Use --all to list every serial port."))
    else:
        for c, r in zip(cands, results, strict=True):
            verdict = "sensor found" if r.ok else r.problem.value
            extra = f" at {r.baud} baud" if r.found and r.baud else ""
            print(f"{c.device:<16} {c.adapter or c.description or '?':<34} {verdict}{extra}")
            if not r.ok:
                print(f"  {r.message}")
    return EXIT_OK if any(r.ok for r in results) else EXIT_FAILED


def cmd_reconcile(args: argparse.Namespace, ctx: Context) -> int:
    station = ctx.open_station(port=args.port, sync=False)
    try:
        if not station.wait_for_sensor(args.connect_timeout):
            problem = station.sensor_status.problem
            raise CliError("The sensor is not connected"
                           + (f": {wording.sensor_problem(problem).english()}" if problem
                              else "."), code="no-sensor")
        rec = station.reconcile(repair=args.repair)
    finally:
        station.close()
    lines = [t.english() for t in wording.reconcile_summary(rec.report)]
    if rec.repair is not None:
        lines += [t.english() for t in wording.repair_summary(rec.repair)]
    elif not rec.report.ok:
        lines.append("Run again with --repair to fix it.")
    r = rec.report
    data = {"ok": r.ok or (rec.repair is not None and not rec.repair.failed),
            "agree": r.ok, "missing_on_sensor": sorted(r.missing),
            "unknown_on_sensor": sorted(r.orphans), "to_clear": sorted(r.to_release),
            "repair": None if rec.repair is None else {
                "restored": list(rec.repair.restored), "cleared": list(rec.repair.cleared),
                "failed": [{"slot": s, "why": w.value} for s, w in rec.repair.failed]}}
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK if data["ok"] else EXIT_FAILED


__all__ = ["cmd_info", "cmd_list", "cmd_reconcile", "register"]
