"""The ``kiosk-central`` commands of the HTTP API side: ``api``, ``token``, ``report`` and
``webhook``. FastAPI and uvicorn are imported only by ``api`` (the ``central`` extra)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

from kiosk_central import tokens, webhooks
from kiosk_central.cli_common import (
    EXIT_OK,
    EXIT_USAGE,
    CentralError,
    emit,
    open_db,
    settings,
)
from kiosk_central.events import WEBHOOK_DEFAULT
from kiosk_central.figures import figures, figures_text


def api(args: argparse.Namespace) -> int:
    try:
        from kiosk_central.api.context import ApiConfig
        from kiosk_central.api.server import serve
    except ModuleNotFoundError as exc:
        raise CentralError(f"the API needs the central extra ({exc.name} is missing): "
                           "pip install 'fingerprint-kiosk[central]'") from exc
    if args.print_openapi:
        import json

        from kiosk_central.api.app import openapi_document

        print(json.dumps(openapi_document(), indent=2, sort_keys=True))
        return EXIT_OK
    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit():
        raise CentralError(f"--listen {args.listen!r}: give HOST:PORT", EXIT_USAGE)
    if bool(args.tls_cert) != bool(args.tls_key):
        raise CentralError("--tls-cert and --tls-key go together", EXIT_USAGE)
    for f in (args.tls_cert, args.tls_key):
        if f and not Path(f).is_file():
            raise CentralError(f"cannot read {f}")
    loopback = host in ("127.0.0.1", "localhost", "::1")
    if not args.tls_cert and not loopback and not args.allow_plain_http:
        raise CentralError("serving tokens and personal data over plain HTTP beyond loopback "
                           "is refused: give --tls-cert/--tls-key (or --allow-plain-http "
                           "behind a TLS-terminating proxy)", EXIT_USAGE)
    broker = settings(args, f"fpk-central-api-{os.getpid()}") if args.broker else None
    cfg = ApiConfig(db_url=args.db, broker=broker, prefix=args.prefix,
                    max_packet=args.max_packet, heartbeat_s=args.heartbeat_period,
                    max_body=args.max_body, webhooks=not args.no_webhooks,
                    webhook_poll_s=args.webhook_poll)
    open_db(args).close()  # a clear error now, rather than in every worker
    print(f"kiosk-central API on {'https' if args.tls_cert else 'http'}://{args.listen} "
          f"({args.workers} worker(s); Ctrl+C to stop)", file=sys.stderr)
    serve(cfg, host=host, port=int(port), workers=args.workers, tls_cert=args.tls_cert,
          tls_key=args.tls_key, password_file=args.password_file,
          log_level="debug" if args.verbose else "warning")
    return EXIT_OK


def token_create(args: argparse.Namespace) -> int:
    try:
        token, info = tokens.create(open_db(args), args.name, args.scope or [],
                                    expires_in=timedelta(days=args.expires_days)
                                    if args.expires_days else None,
                                    actor=os.environ.get("USER", "central"))
    except tokens.TokenError as exc:
        raise CentralError(str(exc), EXIT_USAGE) from exc
    emit(args, {"ok": True, "token": token, **info.to_json()},
         f"token {info.id} for {info.name} ({', '.join(info.scopes)}"
         f"{', expires ' + str(info.expires_at) if info.expires_at else ''}):\n{token}\n"
         "It is shown only now; central keeps only its hash.")
    return EXIT_OK


def token_revoke(args: argparse.Namespace) -> int:
    try:
        tokens.revoke(open_db(args), args.id, actor=os.environ.get("USER", "central"))
    except tokens.TokenError as exc:
        raise CentralError(str(exc)) from exc
    emit(args, {"ok": True, "revoked": args.id}, f"token {args.id} revoked")
    return EXIT_OK


def token_list(args: argparse.Namespace) -> int:
    rows = tokens.listing(open_db(args))
    def state(t: tokens.TokenInfo) -> str:
        if t.revoked_at:
            return f"revoked {t.revoked_at}"
        return f"expires {t.expires_at}" if t.expires_at else "active"

    emit(args, [t.to_json() for t in rows], "\n".join(
        f"{t.id}  {t.name:<24} {','.join(t.scopes):<40} {state(t)}" for t in rows)
         or "no tokens")
    return EXIT_OK


def report(args: argparse.Namespace) -> int:
    with open_db(args).engine.connect() as conn:
        f = figures(conn, day_from=args.from_day, day_to=args.to_day, station=args.station)
    emit(args, f, figures_text(f))
    return EXIT_OK


def webhook(args: argparse.Namespace) -> int:
    db = open_db(args)
    actor = os.environ.get("USER", "central")
    try:
        if args.webhook_command == "add":
            secret = None
            if args.secret_file:
                secret = Path(args.secret_file).read_text(encoding="utf-8").strip()
            sid, secret = webhooks.add(db, args.url, kinds=args.event or
                                       list(WEBHOOK_DEFAULT), secret=secret,
                                       from_start=args.from_start, actor=actor)
            emit(args, {"ok": True, "id": sid, "secret": secret},
                 f"webhook {sid} → {args.url}\nsigning secret (shown only now): {secret}")
        elif args.webhook_command == "list":
            rows = webhooks.listing(db)
            emit(args, rows, "\n".join(
                f"{r['id']}  {r['url']}  {'active' if r['active'] else 'removed'}, "
                f"{r['delivered']} delivered, {r['behind']} behind, {r['dead_letters']} dead"
                + (f", failing since {r['failing_since']}: {r['last_error']}"
                   if r["failing_since"] else "") for r in rows) or "no webhooks")
        elif args.webhook_command == "remove":
            webhooks.remove(db, args.id, actor=actor)
            emit(args, {"ok": True}, f"webhook {args.id} removed")
        elif args.webhook_command == "dead":
            rows = webhooks.dead_letters(db, args.id)
            emit(args, rows, "\n".join(
                f"event {r['seq']}: {r['attempts']} attempts, {r['last_error']} "
                f"({r['dead_at']})" for r in rows) or "no dead letters")
        elif args.webhook_command == "replay":
            n = webhooks.replay(db, args.id, actor=actor)
            emit(args, {"ok": True, "queued": n}, f"{n} dead letter(s) queued for delivery")
        else:  # run: a dispatcher on its own, e.g. when the API processes run with none
            d = webhooks.Dispatcher(db)
            import signal
            import threading

            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
            d.start(args.poll)
            stop.wait()
            d.stop()
            emit(args, {"ok": True, "delivered": d.delivered}, f"{d.delivered} delivered")
    except (webhooks.WebhookError, OSError) as exc:
        raise CentralError(str(exc), EXIT_USAGE) from exc
    return EXIT_OK
