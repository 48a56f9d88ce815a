"""``kiosk-central``: the reference central service and its admin commands.

    kiosk-central keygen --out central.key [--master-key-file master.key]
    kiosk-central serve --broker mqtts://host:8883 --key-file central.key --db URL --worker 1
    kiosk-central roster import people.csv [--publish]      # paged shared roster
    kiosk-central roster publish [--legacy --station ID …]   # --legacy: schema-1 snapshots
    kiosk-central forget PERSON [--station ID …]
    kiosk-central subject-report PERSON
    kiosk-central audit verify STATION | --central
    kiosk-central template export UUID … | --person ID --purpose TEXT --out FILE
    kiosk-central db upgrade
    kiosk-central list
    kiosk-central provision STATION [--broker-url URL] [--broker-dir DIR]   # or --revoke
    kiosk-central api --listen HOST:PORT [--tls-cert C --tls-key K] [--workers N]
    kiosk-central token create NAME --scope read:status … | revoke ID | list
    kiosk-central report [--from DAY --to DAY --station ID]
    kiosk-central webhook add URL | list | remove ID | dead ID | replay ID | run

Exit codes: 0 ok, 1 failed, 2 usage. ``--json`` for machine-readable output. The broker
password comes from ``--password-file`` or ``KIOSK_CENTRAL_PASSWORD``, the private key from
``--key-file`` or ``KIOSK_CENTRAL_KEY`` and the master key from ``--master-key`` (``file:``,
``env:``, ``hook:``) or ``KIOSK_CENTRAL_MASTER_KEY``; none is ever printed or logged. Errors
are one clear line, never a traceback (``-v`` logs the details).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from kiosk_central import cli_api, provision, tokens
from kiosk_central import cli_commands as cmd
from kiosk_central.cli_common import DEFAULT_DB, EXIT_FAILED, CentralError
from kiosk_central.logsetup import setup_logging
from kiosk_contract.fields import DEFAULT_MAX_PACKET_BYTES

log = logging.getLogger("kiosk_central")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable output")
    common.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    common.add_argument("--db", default=os.environ.get("KIOSK_CENTRAL_DB", DEFAULT_DB),
                        help="SQLAlchemy URL (default: %(default)s; postgresql+psycopg://...)")
    common.add_argument("--prefix", default="fpk/v1", help="topic prefix (default: %(default)s)")
    keys = argparse.ArgumentParser(add_help=False)
    keys.add_argument("--key-file", help="central sealing key file (else KIOSK_CENTRAL_KEY)")
    keys.add_argument("--master-key", metavar="SPEC",
                      help="master key for templates at rest: file:PATH, env:VAR or "
                           "hook:module:factory (default: KIOSK_CENTRAL_MASTER_KEY, else "
                           "derived from the sealing key)")
    broker = argparse.ArgumentParser(add_help=False)
    broker.add_argument("--broker", default=os.environ.get("KIOSK_CENTRAL_BROKER", ""),
                        help="mqtts://host:8883 (mqtt:// only on loopback or --allow-insecure)")
    broker.add_argument("--user", default="central", help="broker user name")
    broker.add_argument("--password-file", help="file with the broker password "
                        "(else KIOSK_CENTRAL_PASSWORD)")
    broker.add_argument("--ca-file", default="", help="CA bundle for the broker certificate")
    broker.add_argument("--client-cert", default="")
    broker.add_argument("--client-key", default="")
    broker.add_argument("--allow-insecure", action="store_true",
                        help="allow plaintext MQTT to a non-loopback broker (test networks only)")
    broker.add_argument("--max-packet", type=int, default=DEFAULT_MAX_PACKET_BYTES,
                        help="the broker's max_packet_size (default: %(default)s); nothing "
                             "larger is published")
    stations = argparse.ArgumentParser(add_help=False)
    stations.add_argument("--legacy", action="store_true",
                          help="publish the schema-1 per-station snapshot instead (stations "
                               "not yet on schema 2)")
    stations.add_argument("--station", action="append",
                          help="with --legacy: station to publish to (repeatable; default: "
                               "all known)")

    p = argparse.ArgumentParser(prog="kiosk-central", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    k = sub.add_parser("keygen", parents=[common],
                       help="generate the central X25519 sealing key and Ed25519 signing key")
    k.add_argument("--out", default="central.key", help="private key file (created 0600)")
    k.add_argument("--master-key-file", help="also create a master key file for templates "
                   "at rest (0600)")
    k.add_argument("--force", action="store_true")
    k.set_defaults(func=cmd.keygen)

    s = sub.add_parser("serve", parents=[common, broker, keys], help="run an ingest worker")
    s.add_argument("--group", default="ingest", help="worker group label (default: %(default)s)")
    s.add_argument("--worker", type=int, default=1,
                   help="number of this worker in its group: its client id is "
                        "fpk-central-GROUP-N (default: %(default)s)")
    s.add_argument("--client-id", help="override the client id")
    s.add_argument("--session-expiry", type=int, default=120,
                   help="seconds the broker keeps this worker's session after a crash "
                        "(default: %(default)s; a graceful stop ends it at once)")
    s.add_argument("--batch-size", type=int, default=200,
                   help="schema-2 messages per database transaction (default: %(default)s)")
    s.add_argument("--allow-unknown-people", action="store_true",
                   help="accept templates of people not in the central roster")
    s.add_argument("--legacy-roster", action="store_true",
                   help="also send the schema-1 roster snapshot to a station coming online")
    s.set_defaults(func=cmd.serve)

    r = sub.add_parser("roster", help="import and publish the roster")
    rsub = r.add_subparsers(dest="roster_command", required=True, metavar="COMMAND")
    ri = rsub.add_parser("import", parents=[common, broker, stations],
                         help="import people from a registrar's CSV export")
    ri.add_argument("file", help="CSV: an id column and a name (or first and last name) column; "
                    "optional active, group, role")
    ri.add_argument("--encoding", help="the file's encoding when it is not UTF-8 (latin-1, "
                    "utf-16, cp1252)")
    ri.add_argument("--dry-run", action="store_true", help="check the file, change nothing")
    ri.add_argument("--publish", action="store_true", help="publish right away")
    ri.set_defaults(func=cmd.roster_import)
    rp = rsub.add_parser("publish", parents=[common, broker, stations],
                         help="publish the roster (shared paged snapshot and deltas)")
    rp.set_defaults(func=cmd.roster_publish)

    f = sub.add_parser("forget", parents=[common, broker],
                       help="delete a person's templates centrally and request it on stations")
    f.add_argument("person", help="external id")
    f.add_argument("--station", action="append", help="also ask this station (repeatable)")
    f.set_defaults(func=cmd.forget)

    sr = sub.add_parser("subject-report", parents=[common],
                        help="everything central holds about one person (no template bytes)")
    sr.add_argument("person", help="external id")
    sr.set_defaults(func=cmd.subject_report_cmd)

    a = sub.add_parser("audit", help="audit trails")
    asub = a.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    av = asub.add_parser("verify", parents=[common],
                         help="check a station's audit chain as received (or central's own)")
    av.add_argument("station", nargs="?", help="station id")
    av.add_argument("--central", action="store_true", help="central's own audit log")
    av.set_defaults(func=cmd.audit_verify)

    t = sub.add_parser("template", help="templates at central")
    tsub = t.add_subparsers(dest="template_command", required=True, metavar="COMMAND")
    te = tsub.add_parser("export", parents=[common, keys],
                         help="open templates for an authorised export (audited)")
    te.add_argument("uuid", nargs="*", help="template uuid(s)")
    te.add_argument("--person", help="every template central holds of this person")
    te.add_argument("--purpose", required=True, help="why (recorded in the audit log)")
    te.add_argument("--actor", default=os.environ.get("USER", "central"),
                    help="who (recorded in the audit log)")
    te.add_argument("--out", required=True, help="file to write (created 0600)")
    te.add_argument("--seal-to", metavar="PUBLIC_KEY",
                    help="seal each template to this X25519 public key instead of writing it")
    te.set_defaults(func=cmd.template_export)

    d = sub.add_parser("db", help="database maintenance")
    dsub = d.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    du = dsub.add_parser("upgrade", parents=[common, keys],
                         help="seal templates an older release stored in clear")
    du.set_defaults(func=cmd.db_upgrade)

    pv = sub.add_parser("provision", parents=[common],
                        help="write a signed provisioning file for a station (contains a "
                             "secret), or --revoke one")
    provision.add_arguments(pv)
    pv.set_defaults(func=cmd.provision_cmd)
    _api_parsers(sub, common, broker)
    ls = sub.add_parser("list", parents=[common], help="what central holds")
    ls.add_argument("--limit", type=int, default=50)
    ls.set_defaults(func=cmd.list_cmd)
    return p


def _api_parsers(sub: Any, common: argparse.ArgumentParser,
                 broker: argparse.ArgumentParser) -> None:
    ap = sub.add_parser("api", parents=[common, broker], help="serve the HTTP API")
    ap.add_argument("--listen", default="127.0.0.1:8080", help="HOST:PORT (default: "
                    "%(default)s)")
    ap.add_argument("--workers", type=int, default=1, help="API processes (default: 1)")
    ap.add_argument("--tls-cert", help="certificate chain (PEM): serve HTTPS")
    ap.add_argument("--tls-key", help="its private key (PEM)")
    ap.add_argument("--allow-plain-http", action="store_true",
                    help="plain HTTP on a non-loopback address (behind a TLS proxy only)")
    ap.add_argument("--heartbeat-period", type=float, default=60.0,
                    help="the stations' heartbeat period in seconds; a station is offline "
                         "after two without one (default: %(default)s)")
    ap.add_argument("--max-body", type=int, default=8 * 1024 * 1024,
                    help="largest request body in bytes (default: %(default)s)")
    ap.add_argument("--no-webhooks", action="store_true",
                    help="run no webhook dispatcher in these processes")
    ap.add_argument("--webhook-poll", type=float, default=0.5,
                    help="seconds between the dispatcher's looks at the event feed (default: "
                         "%(default)s)")
    ap.add_argument("--print-openapi", action="store_true",
                    help="print the OpenAPI document and exit")
    ap.set_defaults(func=cli_api.api)

    tk = sub.add_parser("token", help="API tokens")
    tsub = tk.add_subparsers(dest="token_command", required=True, metavar="COMMAND")
    tc = tsub.add_parser("create", parents=[common], help="create a token (shown once)")
    tc.add_argument("name", help="who uses it (e.g. the web application)")
    tc.add_argument("--scope", action="append", choices=tokens.SCOPES,
                    help="repeatable: read:status, write:roster, write:deletion, read:audit")
    tc.add_argument("--expires-days", type=int, help="valid for this many days")
    tc.set_defaults(func=cli_api.token_create)
    tr = tsub.add_parser("revoke", parents=[common], help="revoke a token at once")
    tr.add_argument("id", help="the token's id (token list)")
    tr.set_defaults(func=cli_api.token_revoke)
    tl = tsub.add_parser("list", parents=[common], help="tokens (never their secrets)")
    tl.set_defaults(func=cli_api.token_list)

    rp = sub.add_parser("report", parents=[common], help="enrollment figures")
    rp.add_argument("--from", dest="from_day", help="first day YYYY-MM-DD (UTC)")
    rp.add_argument("--to", dest="to_day", help="last day YYYY-MM-DD")
    rp.add_argument("--station", help="one station only")
    rp.set_defaults(func=cli_api.report)

    wh = sub.add_parser("webhook", help="webhook subscribers")
    wsub = wh.add_subparsers(dest="webhook_command", required=True, metavar="COMMAND")
    wa = wsub.add_parser("add", parents=[common], help="POST events to a URL")
    wa.add_argument("url")
    wa.add_argument("--event", action="append", help="event kind (repeatable; default: "
                    "enrollment.completed and enrollment.deleted)")
    wa.add_argument("--secret-file", help="the signing secret (default: a new one, shown "
                    "once)")
    wa.add_argument("--from-start", action="store_true", help="also every past event")
    for name, what in (("list", "subscribers and how far behind they are"),
                       ("remove", "stop delivering to a subscriber"),
                       ("dead", "a subscriber's dead-letter list"),
                       ("replay", "deliver a subscriber's dead letters again")):
        w = wsub.add_parser(name, parents=[common], help=what)
        if name != "list":
            w.add_argument("id")
    wr = wsub.add_parser("run", parents=[common], help="run a dispatcher on its own")
    wr.add_argument("--poll", type=float, default=0.5, help="seconds between rounds")
    for w in wsub.choices.values():
        w.set_defaults(func=cli_api.webhook)


def _fail(args: Any, message: str, code: int) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "message": message}))
    else:
        print(f"Error: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(verbose=args.verbose)
    try:
        rc: int = args.func(args)
        return rc
    except CentralError as exc:
        return _fail(args, str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return EXIT_FAILED
    except Exception as exc:  # no traceback reaches a user; -v logs it
        log.debug("unexpected error", exc_info=True)
        return _fail(args, f"unexpected {exc.__class__.__name__}: {str(exc)[:300]} (run with "
                     "-v for details)", EXIT_FAILED)


if __name__ == "__main__":
    sys.exit(main())
