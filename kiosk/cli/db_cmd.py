"""``kiosk db …``: the technician's database operations.

``backup PATH`` writes a consistent copy while the station may be running; ``check`` runs the
full integrity check and reports schema version and counts (exit 1 when anything is wrong);
``export-audit PATH`` writes the audit log as CSV; ``verify-audit`` walks its hash chain.
``export-key``/``import-key`` carry the data key (wrapped under a passphrase) to another
computer, for restoring a backup there. None of them upgrades or changes the records, so they
are safe to run against a database that the station refuses to open.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from kiosk.app import (
    ChainVerdict,
    KeyTransferError,
    Station,
    StoreError,
    export_data_key,
    import_data_key,
    key_store_info,
)
from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser


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

    verify = add_parser(dsub, common, "verify-audit",
                        "check the audit trail's hash chain; says where it breaks")
    verify.set_defaults(func=cmd_verify_audit)

    ek = add_parser(dsub, common, "export-key",
                    "write the data key, wrapped under a passphrase (to restore a backup on "
                    "another computer)")
    ek.add_argument("path", metavar="FILE", help="key file to write")
    ek.add_argument("--passphrase-file", metavar="FILE",
                    help="read the passphrase from FILE (default: ask twice)")
    ek.set_defaults(func=cmd_export_key)

    ik = add_parser(dsub, common, "import-key",
                    "put an exported data key into this computer's key store")
    ik.add_argument("path", metavar="FILE", help="key file written by export-key")
    ik.add_argument("--passphrase-file", metavar="FILE",
                    help="read the passphrase from FILE (default: ask)")
    ik.add_argument("--replace", action="store_true",
                    help="replace a different key this station already has")
    ik.set_defaults(func=cmd_import_key)


def _open(ctx: Context) -> Station:
    """The station's database only: no sensor, no sync, no upgrade (safe on a refused file)."""
    return ctx.open_station(sensor=False, sync=False, migrate=False, need_database=True)


def _cli_error(exc: StoreError) -> CliError:
    msg = str(exc) + (f" {exc.hint}" if exc.hint else "")
    return CliError(msg, code=exc.code)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    ctx.start_logging()
    dest = Path(args.path).expanduser()
    station = _open(ctx)
    try:
        written = station.database.backup(dest)
        size = written.stat().st_size
    except StoreError as exc:
        raise _cli_error(exc) from exc
    finally:
        station.close()
    ctx.emit({"ok": True, "path": str(written), "bytes": size},
             f"Backup written to {written} ({size // 1024} KiB).")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    ctx.start_logging()
    station = _open(ctx)
    try:
        check = station.database.check()
    except StoreError as exc:
        raise _cli_error(exc) from exc
    finally:
        station.close()
    rep, stats, releases = check.integrity, check.outbox, list(check.slots_to_clear)
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
    chain = check.audit
    data["audit_chain"] = {"ok": chain.ok, "entries": chain.checked, "break_seq": chain.seq,
                           "break": chain.kind}
    lines.append(f"Audit:     {_chain_text(chain)}")
    data["unreadable_templates"] = list(check.unreadable_templates)
    if check.unreadable_templates:
        lines.append(f"Templates: {len(check.unreadable_templates)} damaged, they no longer "
                     "open: restore a backup, or enroll those fingers again")
    data["ok"] = check.ok
    lines.append("Result:    OK" if check.ok else "Result:    PROBLEMS FOUND (see above)")
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK if check.ok else EXIT_FAILED


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
        old = before.database.schema_revision()
    finally:
        before.close()
    after = ctx.open_station(sensor=False, sync=False, migrate=True, need_database=True)
    try:
        new = after.database.schema_revision()
    finally:
        after.close()
    ctx.emit({"ok": True, "database": str(db), "migrated": old != new, "from": old, "to": new},
             f"Schema {old} -> {new}" + (" (a backup is in the backups folder)." if old != new
                                          else ": already current."))
    return EXIT_OK


def cmd_export_audit(args: argparse.Namespace, ctx: Context) -> int:
    ctx.start_logging()
    dest = Path(args.path).expanduser()
    station = _open(ctx)
    try:
        n = station.database.export_audit(dest)
    except OSError as exc:
        raise CliError(f"Cannot write {dest}: {exc.strerror or exc}.", code="write-failed") from exc
    except StoreError as exc:
        raise _cli_error(exc) from exc
    finally:
        station.close()
    ctx.emit({"ok": True, "path": str(dest), "entries": n},
             f"{n} audit entries written to {dest}.")
    return EXIT_OK


def _chain_text(v: ChainVerdict) -> str:
    if v.ok:
        return f"{v.checked} entries, the chain is intact"
    what = {"gap": "entries are missing before it (cut out)",
            "link": "it does not follow the entry before it (an entry was removed or rewritten)",
            "content": "it was changed after it was written"}.get(str(v.kind), str(v.kind))
    return f"BROKEN at entry {v.seq}: {what}"


def cmd_verify_audit(args: argparse.Namespace, ctx: Context) -> int:
    ctx.start_logging()
    station = _open(ctx)
    try:
        v = station.database.verify_audit()
    except StoreError as exc:
        raise _cli_error(exc) from exc
    finally:
        station.close()
    ctx.emit({"ok": v.ok, "entries": v.checked, "break_seq": v.seq, "break": v.kind},
             f"Audit trail: {_chain_text(v)}." + ("" if v.ok else
             " Keep this database as evidence and tell your data-protection officer; central "
             "holds its own copy of the entries it received."))
    return EXIT_OK if v.ok else EXIT_FAILED


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    if args.passphrase_file:
        try:
            text = Path(args.passphrase_file).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(f"Cannot read {args.passphrase_file}: {exc.strerror or exc}.",
                           code="bad-passphrase") from exc
        return text.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CliError("No passphrase: give --passphrase-file, or run in a terminal.",
                       code="bad-passphrase")
    first = getpass.getpass("Passphrase for the key file: ")
    if confirm and getpass.getpass("The same passphrase again: ") != first:
        raise CliError("The two passphrases differ; nothing was written.",
                       code="bad-passphrase")
    return first


def cmd_export_key(args: argparse.Namespace, ctx: Context) -> int:
    ctx.start_logging()
    dest = Path(args.path).expanduser()
    try:
        fp = export_data_key(ctx.paths, dest, _passphrase(args, confirm=True))
    except KeyTransferError as exc:
        raise CliError(str(exc), code="key-export") from exc
    ctx.emit({"ok": True, "path": str(dest), "fingerprint": fp},
             f"Data key {fp} written to {dest}, wrapped under your passphrase. Keep the file "
             "and the passphrase apart: together they open this station's templates.")
    return EXIT_OK


def cmd_import_key(args: argparse.Namespace, ctx: Context) -> int:
    ctx.start_logging()
    try:
        fp = import_data_key(ctx.paths, Path(args.path).expanduser(),
                             _passphrase(args, confirm=False), replace=args.replace)
    except KeyTransferError as exc:
        raise CliError(str(exc), code="key-import") from exc
    info = key_store_info(ctx.paths)
    ctx.emit({"ok": True, "fingerprint": fp, "key_store": info.kind.value},
             f"Data key {fp} is now kept in {info.where}.")
    return EXIT_OK
