"""``kiosk retention run``: apply the retention policy now (the station also does it daily).

``--dry-run`` lists who would be deleted and why, without deleting; ``--at`` evaluates the
policy at another time (e.g. to see what next year's run will delete).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from kiosk.app import RetentionReason, StoreError
from kiosk.cli.common import EXIT_OK, CliError, Context, add_parser


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_parser(sub, common, "retention", "the retention policy for templates")
    rsub = group.add_subparsers(dest="retention_command", metavar="SUBCOMMAND")
    run = add_parser(rsub, common, "run", "delete the templates the policy says must go")
    run.add_argument("--dry-run", action="store_true", help="only report what would go")
    run.add_argument("--at", metavar="TIME",
                     help="evaluate the policy at this ISO time instead of now")
    run.set_defaults(func=cmd_run)


def _when(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"--at {text!r} is not a time like 2027-09-01 or 2027-09-01T08:00Z.",
                       code="bad-time", exit_code=2) from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def cmd_run(args: argparse.Namespace, ctx: Context) -> int:
    at = _when(args.at)
    station = ctx.open_station(sensor=False, sync=False, need_database=True)
    policy = ctx.config().retention
    try:
        result = station.retention.run(at=at, dry_run=args.dry_run)
    except StoreError as exc:
        raise CliError(f"{exc} {exc.hint}".strip(), code=exc.code) from exc
    finally:
        station.close()
    rows = [{"person": d.external_id, "reason": d.reason.value, "since": d.since.isoformat(),
             "templates": d.templates} for d in result.due]
    lines = [f"Retention policy: {policy.after_left_days or 'never'} days after leaving the "
             f"roster, {policy.after_inactive_days or 'never'} days after the last enrollment "
             "activity."]
    for d in result.due:
        why = ("left the roster" if d.reason is RetentionReason.LEFT_ROSTER
               else "no enrollment activity")
        lines.append(f"  {d.external_id} ({d.display_name}): {d.templates} template(s), {why} "
                     f"since {d.since.date().isoformat()}")
    if not result.due:
        lines.append("Nobody's templates are due for deletion.")
    elif args.dry_run:
        lines.append(f"Dry run: nothing deleted ({len(result.due)} person(s) would be).")
    else:
        lines.append(f"Deleted the templates of {len(result.deleted)} person(s); central is told "
                     "at the next sync.")
        if result.sensor_pending:
            lines.append("Sensor slots still to clear (next time the sensor is connected): "
                         + ", ".join(map(str, result.sensor_pending)))
    ctx.emit({"ok": True, "dry_run": args.dry_run, "at": at.isoformat(), "due": rows,
              "deleted": list(result.deleted), "sensor_pending": list(result.sensor_pending)},
             "\n".join(lines))
    return EXIT_OK
