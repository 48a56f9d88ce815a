"""``kiosk sync …``: see and drive the station's sync to central without the GUI.

Bare ``kiosk sync`` runs the sync worker in the foreground until the outbox is drained (exit 0,
or 1 after ``--timeout``); ``--watch`` keeps it running. ``status`` reads the outbox and sync
state from the database (no network); ``run`` connects with the station's settings and drains
the outbox (``--until-empty`` exits 0 once everything is acknowledged, 1 on timeout). The broker
password comes from ``--password-file``, ``KIOSK_MQTT_PASSWORD`` or the station's secret store
(``kiosk provision``) and is never printed.
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path
from typing import Any

from kiosk.app import LinkState
from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_parser(sub, common, "sync",
                       "send waiting enrollments to central now (until drained; --watch to "
                       "keep running), or see the sync status")
    group.add_argument("--watch", action="store_true", help="keep running (Ctrl+C to stop)")
    group.add_argument("--password-file", metavar="FILE",
                       help="broker password (else KIOSK_MQTT_PASSWORD or the secret store)")
    group.add_argument("--timeout", type=float, default=300.0, metavar="S",
                       help="give up draining after S seconds (exit 1)")
    group.set_defaults(func=cmd_sync)
    ssub = group.add_subparsers(dest="sync_command", metavar="SUBCOMMAND")
    status = add_parser(ssub, common, "status", "outbox counts, oldest pending, last sync")
    status.set_defaults(func=cmd_status)
    run = add_parser(ssub, common, "run", "connect and drain the outbox to central")
    run.add_argument("--password-file", metavar="FILE",
                     help="broker password (else KIOSK_MQTT_PASSWORD or the secret store)")
    run.add_argument("--until-empty", action="store_true",
                     help="exit once nothing is waiting (exit 1 after --timeout)")
    run.add_argument("--timeout", type=float, default=300.0, metavar="S")
    run.set_defaults(func=cmd_run)


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    station = ctx.open_station(sensor=False, sync=False, migrate=False, need_database=True)
    try:
        st = station.sync.stats()
        roster = station.sync.roster_version()
        broker = station.sync.broker_url
    finally:
        station.close()
    data = {
        "ok": True, "enabled": bool(broker), "broker": broker,
        "pending": st.pending, "sent_unacked": st.sent_unacked, "rejected": st.rejected,
        "acked": st.acked, "oldest_pending_age_s": st.oldest_pending_age_s,
        "last_sync_at": st.last_sync_at, "roster_version": roster,
    }
    age = f"{st.oldest_pending_age_s:.0f}s" if st.oldest_pending_age_s is not None else "-"
    human = (
        f"Sync {'to ' + broker if broker else 'disabled (no broker)'}\n"
        f"  waiting: {st.pending} pending, {st.sent_unacked} sent without ack "
        f"(oldest {age})\n  rejected by central: {st.rejected}\n  acknowledged: {st.acked}\n"
        f"  last successful sync: {st.last_sync_at or 'never'}\n  roster version: {roster or '-'}"
    )
    ctx.emit(data, human)
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    """Bare ``kiosk sync``: drain and exit, or keep running with ``--watch``."""
    args.until_empty = not args.watch
    return cmd_run(args, ctx)


def cmd_run(args: argparse.Namespace, ctx: Context) -> int:
    cfg = ctx.config()
    if not cfg.sync.broker_url:
        raise CliError("sync.broker_url is not set in the settings file", code="sync-disabled")
    password = None
    if args.password_file:
        try:
            password = Path(args.password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CliError(f"cannot read {args.password_file}: {exc.strerror}") from exc
    station = ctx.open_station(sensor=False, sync=False, need_database=True,
                               sync_password=password)
    stop = threading.Event()
    try:
        first = station.sync.state
        if first.reason is LinkState.CONFIG_ERROR:
            raise CliError(first.detail, code="bad-config")
        try:
            result = station.sync.drain(args.timeout, until_empty=args.until_empty, stop=stop)
        except KeyboardInterrupt:
            stop.set()
            result = None
        snap = station.sync.state
    finally:
        station.close()
    ok = result is not None and result.drained
    data = {"ok": ok, "state": snap.reason.value, "detail": snap.detail, "pending": snap.pending,
            "rejected": snap.rejected, "last_error": snap.last_error}
    ctx.emit(data, f"{'drained' if ok else 'stopped'}: {snap.reason.value} ({snap.detail}); "
                   f"{snap.pending} waiting, {snap.rejected} rejected"
                   + (f"; last error: {snap.last_error}" if snap.last_error else ""))
    return EXIT_OK if ok or not args.until_empty else EXIT_FAILED
