"""``kiosk report --since DATE [--until DATE] [--json|--csv]``: the desk's enrollment figures.

The same numbers as the admin area's Figures page (:mod:`kiosk.app.report`): enrollments per
day and per operator, failure to enroll, time per enrollment, retries per capture and their
reasons, and the checks after enrollment. Reads the database only; safe while the desk runs.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import Any

from kiosk.app import report
from kiosk.cli.common import EXIT_OK, CliError, Context, add_parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD (for example 2026-05-04)") from None


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_parser(sub, common, "report", "enrollment figures: per day and operator, failure to "
                                          "enroll, time per enrollment, retries")
    p.add_argument("--since", type=_day, required=True, metavar="DATE",
                   help="first day (YYYY-MM-DD, local time)")
    p.add_argument("--until", type=_day, metavar="DATE",
                   help="last day, included (default: up to now)")
    p.add_argument("--csv", action="store_true", help="one CSV table instead of text")
    p.set_defaults(func=cmd_report)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f} %"


def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f} s"


def human(f: report.Figures) -> str:
    """The report as a technician reads it in a terminal."""
    until = f"{f.until - timedelta(seconds=1):%Y-%m-%d}" if f.until else "now"
    rpc = "—" if f.retries_per_capture is None else f"{f.retries_per_capture:.2f}"
    lines = [
        f"Enrollments from {f.since:%Y-%m-%d} to {until}",
        f"  fingers enrolled   {f.enrolled}  (people: {f.people_enrolled})",
        f"  failed attempts    {f.failed}  ({_pct(f.failed_attempt_rate)} of attempts)",
        f"  cancelled          {f.cancelled}",
        f"  failure to enroll  {_pct(f.fte_rate)}  ({f.people_failed} of {f.people_tried} "
        "people who tried)",
        f"  time per finger    median {_s(f.median_s)}, 90th percentile {_s(f.p90_s)}",
        f"  retries per capture {rpc}  ({f.retries} rejected presses, {f.captures} accepted "
        "captures)",
        f"  checks after enrollment {f.checks}: {f.checks_passed} passed, "
        f"{f.checks_failed} failed",
    ]
    if f.retry_reasons:
        lines.append("  retry reasons      " + ", ".join(f"{r} {n}" for r, n in f.retry_reasons))
    if f.failure_reasons:
        lines.append("  failure reasons    " + ", ".join(f"{r} {n}"
                                                         for r, n in f.failure_reasons))
    lines.append("")
    lines.append(f"{'day':<12}{'enrolled':>9}{'failed':>8}{'cancelled':>10}{'median':>9}")
    for day, c in f.per_day:
        lines.append(f"{day.isoformat():<12}{c.enrolled:>9}{c.failed:>8}{c.cancelled:>10}"
                     f"{_s(c.median_s):>9}")
    lines.append("")
    lines.append(f"{'operator':<24}{'enrolled':>9}{'failed':>8}{'cancelled':>10}{'median':>9}")
    for op, c in f.per_operator:
        lines.append(f"{op[:23]:<24}{c.enrolled:>9}{c.failed:>8}{c.cancelled:>10}"
                     f"{_s(c.median_s):>9}")
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    since = report.day_start(args.since)
    until = report.day_start(args.until + timedelta(days=1)) if args.until else None
    if until is not None and until <= since:
        raise CliError("--until is before --since.", code="usage", exit_code=2)
    station = ctx.open_station(sensor=False, sync=False, migrate=False, need_database=True)
    try:
        figures = report.for_station(station).figures(since, until)
    finally:
        station.close()
    if args.csv and not ctx.json:
        print(report.to_csv(figures), end="")
        return EXIT_OK
    ctx.emit(figures.to_json(), human(figures))
    return EXIT_OK
