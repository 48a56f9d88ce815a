"""``kiosk roster import FILE.csv`` and ``kiosk roster list``: the roster without central.

Import reads a registrar's CSV export (``kiosk.app.roster``: UTF-8, UTF-16 or Windows-1252;
``,``/``;``/tab; common header spellings mapped and reported), validates every row first and
reports bad rows by line number; nothing is imported if any row is bad (unless
``--skip-bad``), and importing the same file twice changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.app import StoreError
from kiosk.app.roster import RosterFileError, preview, read_roster_csv
from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_parser(sub, common, "roster", "import or list the people on this station")
    rsub = group.add_subparsers(dest="roster_command", metavar="SUBCOMMAND")
    imp = add_parser(rsub, common, "import",
                     "import people from CSV (external_id, display_name, role, group, active)")
    imp.add_argument("file", metavar="FILE.csv", help="CSV file with a header row")
    imp.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    imp.add_argument("--skip-bad", action="store_true",
                     help="import the good rows even if some rows are bad")
    imp.set_defaults(func=cmd_import)
    lst = add_parser(rsub, common, "list", "list or search the roster")
    lst.add_argument("--search", default="", metavar="TEXT", help="words in the name or id")
    lst.add_argument("--limit", type=int, default=50, metavar="N")
    lst.add_argument("--inactive", action="store_true", help="include inactive people")
    lst.set_defaults(func=cmd_list)


def _mapped_words(mapped: dict[str, str], encoding: str) -> str:
    notes = []
    if mapped:
        notes.append("columns read as: " + ", ".join(f"{k} → {v}" for k, v in mapped.items()))
    if encoding != "utf-8":
        notes.append(f"file read as {encoding} text")
    return ("(" + "; ".join(notes) + ")\n") if notes else ""


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file).expanduser()
    try:
        parsed = read_roster_csv(path)
    except RosterFileError as exc:
        raise CliError(str(exc), code=exc.code) from exc
    note = _mapped_words(parsed.mapped, parsed.encoding)
    errors = [{"line": n, "error": e} for n, e in parsed.errors]
    err_lines = [f"  line {n}: {e}" for n, e in parsed.errors]
    info = {"mapped_columns": parsed.mapped, "encoding": parsed.encoding}
    if parsed.errors and not args.skip_bad:
        ctx.emit({"ok": False, "error": "bad-rows", "imported": 0, "errors": errors,
                  "message": f"{len(errors)} bad row(s); nothing was imported", **info},
                 note + f"{path}: {len(errors)} bad row(s); nothing was imported:\n"
                 + "\n".join(err_lines)
                 + "\nFix them, or add --skip-bad to import the good rows only.")
        return EXIT_FAILED
    if args.dry_run:
        if ctx.paths.database.exists():
            station = ctx.open_station(sensor=False, sync=False, migrate=False)
            try:
                counts = station.roster.preview(parsed.rows)
            finally:
                station.close()
        else:
            counts = preview(None, parsed.rows)
        ctx.emit({"ok": True, "dry_run": True, **counts, "skipped": len(errors),
                  "errors": errors, **info},
                 note + f"Dry run: {counts['inserted']} new, {counts['updated']} changed, "
                 f"{counts['unchanged']} unchanged" + (f", {len(errors)} bad row(s) would be "
                 "skipped:\n" + "\n".join(err_lines) if errors else "") + ". Nothing changed.")
        return EXIT_OK
    station = ctx.open_station(sensor=False, sync=False)
    try:
        res = station.roster.import_rows(parsed.rows, actor="cli-roster-import")
    except StoreError as exc:
        raise CliError(f"{exc} {exc.hint}".strip(), code=exc.code) from exc
    finally:
        station.close()
    ctx.emit({"ok": True, "inserted": res.inserted, "updated": res.updated,
              "unchanged": res.unchanged, "skipped": len(errors), "errors": errors, **info},
             note + f"Roster imported from {path.name}: {res.inserted} new, {res.updated} "
             f"changed, {res.unchanged} unchanged"
             + (f"; {len(errors)} bad row(s) skipped:\n" + "\n".join(err_lines)
                if errors else "."))
    return EXIT_OK


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1", code="usage", exit_code=2)
    if not ctx.paths.database.exists():
        raise CliError(f"There is no station database at {ctx.paths.database}; import a roster "
                       "first (kiosk roster import FILE.csv) or pass --data-dir.",
                       code="no-database")
    station = ctx.open_station(sensor=False, sync=False, migrate=False)
    try:
        people = station.roster.list(args.search, args.limit, include_inactive=args.inactive)
    finally:
        station.close()
    rows = [{"external_id": p.external_id, "display_name": p.display_name, "role": p.role,
             "group": p.group, "active": p.active} for p in people]
    lines = [f"{p.external_id:<16} {p.display_name:<30} {p.role:<12} {p.group:<12}"
             f"{'' if p.active else ' (inactive)'}" for p in people]
    lines.append(f"{len(people)} shown" + (" (limit reached; use --limit)"
                                           if len(people) == args.limit else ""))
    ctx.emit({"ok": True, "people": rows}, "\n".join(lines))
    return EXIT_OK
