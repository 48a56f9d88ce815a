"""``kiosk roster import FILE.csv`` and ``kiosk roster list``: the roster without central.

Import reads ``external_id, display_name[, role, group, active]``, validates every row first
and reports bad rows by line number; nothing is imported if any row is bad (unless
``--skip-bad``), and importing the same file twice changes nothing. The station's roster
version (central's counter) is left as it is: a local CSV is not a central snapshot.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser
from kiosk.store import KEY_ROSTER_VERSION, PersonIn, Store, StoreError

REQUIRED = ("external_id", "display_name")
OPTIONAL = ("role", "group", "active")
TRUE = {"", "1", "true", "yes", "y", "active"}
FALSE = {"0", "false", "no", "n", "inactive"}
MAX_ID, MAX_NAME, MAX_TEXT = 128, 200, 100


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


@dataclass
class Parsed:
    rows: list[PersonIn] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_csv(path: Path) -> Parsed:
    """Every row checked; errors carry the file's line number (header = line 1)."""
    out = Parsed()
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED if c not in header]
            unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
            if missing or unknown:
                raise CliError(
                    f"{path}: line 1: the header must name the columns "
                    f"{', '.join(REQUIRED + OPTIONAL)} (the last three are optional); "
                    + (f"missing {', '.join(missing)}" if missing else "")
                    + ("; " if missing and unknown else "")
                    + (f"unknown {', '.join(unknown)}" if unknown else ""), code="bad-csv")
            reader.fieldnames = header
            seen: dict[str, int] = {}
            for rec in reader:
                line = reader.line_num
                problem = _check(rec, seen, line)
                if problem:
                    out.errors.append((line, problem))
                    continue
                ext = rec["external_id"].strip()
                seen[ext] = line
                active = (rec.get("active") or "").strip().lower() not in FALSE
                out.rows.append(PersonIn(ext, rec["display_name"].strip(),
                                         (rec.get("role") or "").strip(),
                                         (rec.get("group") or "").strip(), active))
    except UnicodeDecodeError as exc:
        raise CliError(f"{path} is not UTF-8 text; save it as CSV UTF-8.", code="bad-csv") from exc
    except csv.Error as exc:
        raise CliError(f"{path}: not a valid CSV file: {exc}", code="bad-csv") from exc
    except OSError as exc:
        raise CliError(f"Cannot read {path}: {exc.strerror or exc}.", code="unreadable") from exc
    return out


def _check(rec: dict[str | Any, Any], seen: dict[str, int], line: int) -> str:
    if None in rec:
        return "more values than columns in the header"
    if any(rec.get(c) is None for c in REQUIRED):
        return "fewer values than columns in the header"
    ext = rec["external_id"].strip()
    name = rec["display_name"].strip()
    if not ext:
        return "external_id is empty"
    if not name:
        return "display_name is empty"
    if len(ext) > MAX_ID:
        return f"external_id is longer than {MAX_ID} characters"
    if len(name) > MAX_NAME:
        return f"display_name is longer than {MAX_NAME} characters"
    for col in ("role", "group"):
        if len(rec.get(col) or "") > MAX_TEXT:
            return f"{col} is longer than {MAX_TEXT} characters"
    active = (rec.get("active") or "").strip().lower()
    if active not in TRUE | FALSE:
        return f"active must be true or false, not {active[:20]!r}"
    if ext in seen:
        return f"external_id {ext!r} is already on line {seen[ext]}"
    return ""


def _open(ctx: Context, *, create: bool) -> Store | None:
    db = ctx.paths.database
    if not db.exists() and not create:
        return None
    try:
        if create:
            ctx.paths.ensure()
        return Store.open(db, backups_dir=ctx.paths.backups, station_id=ctx.config().station.id)
    except StoreError as exc:
        raise CliError(f"{exc} {exc.hint}".strip(), code=exc.code) from exc
    except OSError as exc:
        raise CliError(f"Cannot create the data folder {ctx.paths.root}: {exc}",
                       code="data-folder") from exc


def _preview(store: Store | None, rows: list[PersonIn]) -> dict[str, int]:
    new = changed = same = 0
    for r in rows:
        old = store.people.get(r.external_id) if store is not None else None
        if old is None:
            new += 1
        elif (old.display_name, old.role, old.group, old.active) == (
                r.display_name, r.role, r.group, r.active):
            same += 1
        else:
            changed += 1
    return {"inserted": new, "updated": changed, "unchanged": same}


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file).expanduser()
    parsed = read_csv(path)
    errors = [{"line": n, "error": e} for n, e in parsed.errors]
    err_lines = [f"  line {n}: {e}" for n, e in parsed.errors]
    if parsed.errors and not args.skip_bad:
        ctx.emit({"ok": False, "error": "bad-rows", "imported": 0, "errors": errors,
                  "message": f"{len(errors)} bad row(s); nothing was imported"},
                 f"{path}: {len(errors)} bad row(s); nothing was imported:\n"
                 + "\n".join(err_lines)
                 + "\nFix them, or add --skip-bad to import the good rows only.")
        return EXIT_FAILED
    if args.dry_run:
        store = _open(ctx, create=False)
        try:
            counts = _preview(store, parsed.rows)
        finally:
            if store is not None:
                store.close()
        ctx.emit({"ok": True, "dry_run": True, **counts, "skipped": len(errors),
                  "errors": errors},
                 f"Dry run: {counts['inserted']} new, {counts['updated']} changed, "
                 f"{counts['unchanged']} unchanged" + (f", {len(errors)} bad row(s) would be "
                 "skipped:\n" + "\n".join(err_lines) if errors else "") + ". Nothing changed.")
        return EXIT_OK
    ctx.start_logging()
    store = _open(ctx, create=True)
    assert store is not None
    try:
        version = store.state.get(KEY_ROSTER_VERSION) or "0"
        res = store.people.upsert(parsed.rows, version, actor="cli-roster-import")
    except StoreError as exc:
        raise CliError(f"{exc} {exc.hint}".strip(), code=exc.code) from exc
    finally:
        store.close()
    ctx.emit({"ok": True, "inserted": res.inserted, "updated": res.updated,
              "unchanged": res.unchanged, "skipped": len(errors), "errors": errors},
             f"Roster imported from {path.name}: {res.inserted} new, {res.updated} changed, "
             f"{res.unchanged} unchanged"
             + (f"; {len(errors)} bad row(s) skipped:\n" + "\n".join(err_lines)
                if errors else "."))
    return EXIT_OK


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1", code="usage", exit_code=2)
    store = _open(ctx, create=False)
    if store is None:
        raise CliError(f"There is no station database at {ctx.paths.database}; import a roster "
                       "first (kiosk roster import FILE.csv) or pass --data-dir.",
                       code="no-database")
    try:
        people = store.people.search(args.search, limit=args.limit,
                                     include_inactive=args.inactive)
    finally:
        store.close()
    rows = [{"external_id": p.external_id, "display_name": p.display_name, "role": p.role,
             "group": p.group, "active": p.active} for p in people]
    lines = [f"{p.external_id:<16} {p.display_name:<30} {p.role:<12} {p.group:<12}"
             f"{'' if p.active else ' (inactive)'}" for p in people]
    lines.append(f"{len(people)} shown" + (" (limit reached; use --limit)"
                                           if len(people) == args.limit else ""))
    ctx.emit({"ok": True, "people": rows}, "\n".join(lines))
    return EXIT_OK
