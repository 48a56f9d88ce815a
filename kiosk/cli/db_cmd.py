"""``kiosk db …``: the technician's database operations.

``backup PATH`` writes a consistent copy while the station may be running; ``check`` runs the
full integrity check and reports schema version and counts (exit 1 when anything is wrong);
``export-audit PATH`` writes the audit log as CSV. None of them upgrades or changes the records,
so they are safe to run against a database that the station refuses to open.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser
from kiosk.store import Store, StoreError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_parser(sub, common, "db", "back up, check or export the station database")
    dsub = group.add_subparsers(dest="db_command", metavar="SUBCOMMAND")

    backup = add_parser(dsub, common, "backup", "write a consistent copy of the database")
    backup.add_argument("path", metavar="PATH", help="file to write (a folder: a dated name)")
    backup.set_defaults(func=cmd_backup)

    check = add_parser(dsub, common, "check", "integrity check, schema version and counts")
    check.set_defaults(func=cmd_check)

    migrate = add_parser(dsub, common, "migrate",
                         "upgrade the database schema now (after a backup); the installer runs it")
    migrate.set_defaults(func=cmd_migrate)

    export = add_parser(dsub, common, "export-audit", "write the audit log as CSV")
    export.add_argument("path", metavar="PATH", help="CSV file to write")
    export.set_defaults(func=cmd_export_audit)


def _open(ctx: Context) -> Store:
    db = ctx.paths.database
    if not db.exists():
        raise CliError(
            f"There is no station database at {db}. Start the station once to create it, "
            "or pass --data-dir.",
            code="no-database",
        )
    try:
        return Store.open(db, backups_dir=ctx.paths.backups, migrate=False, min_free_bytes=0)
    except StoreError as exc:
        raise _cli_error(exc) from exc


def _cli_error(exc: StoreError) -> CliError:
    msg = str(exc) + (f" {exc.hint}" if exc.hint else "")
    return CliError(msg, code=exc.code)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    ctx.start_logging()
    dest = Path(args.path).expanduser()
    store = _open(ctx)
    try:
        if dest.is_dir():
            dest = dest / f"kiosk-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.sqlite3"
        written = store.backup_to(dest)
        size = written.stat().st_size
    except StoreError as exc:
        raise _cli_error(exc) from exc
    finally:
        store.close()
    ctx.emit({"ok": True, "path": str(written), "bytes": size},
             f"Backup written to {written} ({size // 1024} KiB).")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    ctx.start_logging()
    store = _open(ctx)
    try:
        rep = store.integrity_check()
        stats = store.outbox_stats()
        releases = sorted(store.pending_slot_releases())
    except StoreError as exc:
        raise _cli_error(exc) from exc
    finally:
        store.close()
    data = {
        "ok": rep.ok,
        "database": str(ctx.paths.database),
        "integrity": list(rep.messages),
        "foreign_key_violations": rep.foreign_key_violations,
        "schema_revision": rep.schema_revision,
        "head_revision": rep.head_revision,
        "counts": rep.counts,
        "outbox": {
            "pending": stats.pending,
            "sent_unacked": stats.sent_unacked,
            "rejected": stats.rejected,
            "oldest_pending_age_s": stats.oldest_pending_age_s,
            "last_sync_at": stats.last_sync_at.isoformat() if stats.last_sync_at else None,
        },
        "slots_to_clear": releases,
    }
    if rep.schema_revision == rep.head_revision:
        schema = f"{rep.schema_revision} (current)"
    else:
        schema = (f"{rep.schema_revision}, this program expects {rep.head_revision}: start the "
                  "station once to upgrade it")
    integrity = "ok" if rep.messages == ("ok",) else "DAMAGED: " + "; ".join(rep.messages[:5])
    lines = [
        f"Database:  {ctx.paths.database}",
        f"Schema:    {schema}",
        f"Integrity: {integrity}",
    ]
    if rep.foreign_key_violations:
        lines.append(f"Broken references: {rep.foreign_key_violations}")
    lines.append("Records:   " + ", ".join(f"{k} {v}" for k, v in rep.counts.items()))
    age = (f", oldest waiting {stats.oldest_pending_age_s / 60:.0f} min"
           if stats.oldest_pending_age_s is not None else "")
    last = stats.last_sync_at.isoformat(timespec="seconds") if stats.last_sync_at else "never"
    lines.append(
        f"Sync:      {stats.pending} to send, {stats.sent_unacked} awaiting confirmation"
        f"{age}, {stats.rejected} rejected; last sync {last}"
    )
    if releases:
        lines.append(f"Sensor slots still to clear: {', '.join(map(str, releases))}")
    lines.append("Result:    OK" if rep.ok else "Result:    PROBLEMS FOUND (see above)")
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK if rep.ok else EXIT_FAILED


def cmd_migrate(args: argparse.Namespace, ctx: Context) -> int:
    """What the station's start would do to the schema, done by the installer right away."""
    ctx.start_logging()
    db = ctx.paths.database
    if not db.exists():
        ctx.emit({"ok": True, "database": str(db), "migrated": False},
                 f"No station database at {db} yet: nothing to migrate.")
        return EXIT_OK
    before = _open(ctx)
    try:
        old = before.schema_revision()
    finally:
        before.close()
    try:
        store = Store.open(db, backups_dir=ctx.paths.backups, min_free_bytes=0)
    except StoreError as exc:
        raise _cli_error(exc) from exc
    try:
        new = store.schema_revision()
    finally:
        store.close()
    ctx.emit({"ok": True, "database": str(db), "migrated": old != new, "from": old, "to": new},
             f"Schema {old} -> {new}" + (" (a backup is in the backups folder)." if old != new
                                          else ": already current."))
    return EXIT_OK


def cmd_export_audit(args: argparse.Namespace, ctx: Context) -> int:
    ctx.start_logging()
    dest = Path(args.path).expanduser()
    store = _open(ctx)
    try:
        n = store.export_audit_csv(dest)
    except OSError as exc:
        raise CliError(f"Cannot write {dest}: {exc.strerror or exc}.", code="write-failed") from exc
    except StoreError as exc:
        raise _cli_error(exc) from exc
    finally:
        store.close()
    ctx.emit({"ok": True, "path": str(dest), "entries": n},
             f"{n} audit entries written to {dest}.")
    return EXIT_OK
