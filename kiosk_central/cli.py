"""``kiosk-central``: the reference central service and its admin commands.

    kiosk-central keygen --out central.key          # prints the public key for station configs
    kiosk-central serve --broker mqtts://host:8883 --key-file central.key --db URL
    kiosk-central roster import people.csv [--publish --station ID ...]
    kiosk-central roster publish [--station ID ...]
    kiosk-central forget PERSON [--station ID ...]
    kiosk-central list
    kiosk-central provision STATION [--broker-url URL] [--broker-dir DIR]   # or --revoke STATION

Exit codes: 0 ok, 1 failed, 2 usage. ``--json`` for machine-readable output. The broker
password comes from ``--password-file`` or ``KIOSK_CENTRAL_PASSWORD`` and the private key from
``--key-file`` or ``KIOSK_CENTRAL_KEY``; neither is ever printed or logged.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from kiosk_central import provision
from kiosk_central.db import CentralDB
from kiosk_central.ingest import (
    Ingest,
    IngestConfig,
    publish_pending_deletions,
    publish_roster,
    wait_published,
)
from kiosk_central.logsetup import setup_logging
from kiosk_contract import is_station_id
from kiosk_contract.mqtt import (
    BrokerConfigError,
    ClientSettings,
    make_client,
    parse_broker_url,
)
from kiosk_contract.sealing import CryptoError, generate_keypair, key_id, load_private_key

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_DB = "sqlite:///central.sqlite3"
log = logging.getLogger("kiosk_central")


class CentralError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    print(json.dumps(data, indent=2, default=str) if args.json else human)


def _db(args: argparse.Namespace) -> CentralDB:
    return CentralDB(args.db)


def _secret(path: str | None, env: str, what: str) -> str | None:
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CentralError(f"cannot read the {what} file {path}: {exc.strerror}") from exc
    return os.environ.get(env) or None


def _settings(args: argparse.Namespace, suffix: str) -> ClientSettings:
    if not args.broker:
        raise CentralError("--broker (or KIOSK_CENTRAL_BROKER) is required", EXIT_USAGE)
    try:
        endpoint = parse_broker_url(args.broker)
    except BrokerConfigError as exc:
        raise CentralError(str(exc), EXIT_USAGE) from exc
    return ClientSettings(
        endpoint=endpoint, client_id=f"{args.client_id}-{suffix}", username=args.user,
        password=_secret(args.password_file, "KIOSK_CENTRAL_PASSWORD", "password"),
        ca_file=args.ca_file, client_cert=args.client_cert, client_key=args.client_key,
        allow_insecure=args.allow_insecure, keepalive_s=30,
        session_expiry_s=args.session_expiry,
    )


def _one_shot(args: argparse.Namespace) -> mqtt.Client:
    """A connected client for a CLI command that publishes and exits."""
    try:
        client = make_client(_settings(args, f"cli-{os.getpid()}"))
    except BrokerConfigError as exc:
        raise CentralError(str(exc)) from exc
    done = threading.Event()
    result: list[Any] = []

    def on_connect(_c: Any, _u: Any, _f: Any, rc: Any, _p: Any = None) -> None:
        result.append(rc)
        done.set()

    client.on_connect = on_connect
    ep = parse_broker_url(args.broker)
    try:
        client.connect(ep.host, ep.port, keepalive=30)
    except OSError as exc:
        raise CentralError(f"cannot reach the broker {ep}: {exc}") from exc
    client.loop_start()
    if not done.wait(15) or result[0].is_failure:
        client.loop_stop()
        raise CentralError(f"broker refused the connection: {result[0] if result else 'timeout'}")
    return client


def _finish(client: mqtt.Client, infos: list[mqtt.MQTTMessageInfo]) -> None:
    ok = wait_published(infos, 15)
    client.disconnect()
    client.loop_stop()
    if not ok:
        raise CentralError("the broker did not confirm every publish in time")


# -- commands ------------------------------------------------------------------------------------
def cmd_keygen(args: argparse.Namespace) -> int:
    kp = generate_keypair()
    out = Path(args.out)
    signing = provision.signing_key_path(out)
    if (out.exists() or signing.exists()) and not args.force:
        raise CentralError(f"{out} or {signing} exists; use --force to replace them (old "
                           "templates become unreadable and stations must be re-provisioned)")
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(kp.private_b64 + "\n")
    kid = key_id(load_private_key(kp.private_b64).public_key())
    fp = provision.write_signing_key(signing)
    data = {"ok": True, "public_key": kp.public_b64, "key_id": kid, "private_key_file": str(out),
            "signing_key_file": str(signing), "signing_key_fingerprint": fp}
    _emit(args, data,
          f"Private key written to {out} (keep it secret).\n"
          f"Public key (sync.central_public_key on every station):\n{kp.public_b64}\n"
          f"Signing key for provisioning files written to {signing} (keep it secret).\n"
          f"Its fingerprint (stations check it on first import): {fp}")
    return EXIT_OK


def cmd_provision(args: argparse.Namespace) -> int:
    try:
        return provision.run(args)
    except provision.ProvisionError as exc:
        raise CentralError(str(exc), exc.exit_code) from exc


def cmd_serve(args: argparse.Namespace) -> int:
    key = _secret(args.key_file, "KIOSK_CENTRAL_KEY", "private key")
    if not key:
        raise CentralError("--key-file (or KIOSK_CENTRAL_KEY) is required", EXIT_USAGE)
    try:
        load_private_key(key)
        cfg = IngestConfig(
            broker=_settings(args, f"ingest-{os.getpid()}"), db_url=args.db, private_key_b64=key,
            prefix=args.prefix, group=args.group,
            require_known_person=not args.allow_unknown_people,
        )
        ingest = Ingest(cfg)
    except (CryptoError, BrokerConfigError) as exc:
        raise CentralError(str(exc)) from exc
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    ingest.start()
    log.info("ingest running: broker %s, group %s, prefix %s", cfg.broker.endpoint, cfg.group,
             cfg.prefix)
    print(f"kiosk-central serving {cfg.broker.endpoint} (Ctrl+C to stop)", file=sys.stderr)
    while not stop.wait(1.0):
        pass
    ingest.stop()
    _emit(args, {"ok": True, "counts": dict(ingest.counts)}, f"stopped; {dict(ingest.counts)}")
    return EXIT_OK


def _read_roster(path: Path) -> list[tuple[str, str, bool]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = set(reader.fieldnames or ())
            if not {"external_id", "display_name"} <= header:
                raise CentralError(f"{path}: the header must contain external_id,display_name "
                                   "(and optionally active)", EXIT_USAGE)
            rows = []
            for n, r in enumerate(reader, start=2):
                ext = (r.get("external_id") or "").strip()
                name = (r.get("display_name") or "").strip()
                if not ext or not name or len(ext) > 128 or len(name) > 200:
                    raise CentralError(f"{path}:{n}: empty or too long external_id/display_name",
                                       EXIT_USAGE)
                active = (r.get("active") or "true").strip().lower() not in ("0", "false", "no")
                rows.append((ext, name, active))
    except OSError as exc:
        raise CentralError(f"cannot read {path}: {exc.strerror}") from exc
    if len({r[0] for r in rows}) != len(rows):
        raise CentralError(f"{path}: duplicate external_id", EXIT_USAGE)
    return rows


def _stations(args: argparse.Namespace, db: CentralDB) -> list[str]:
    stations = list(args.station or []) or [s for s, _st, _seen in db.station_rows()]
    bad = [s for s in stations if not is_station_id(s)]
    if bad:
        raise CentralError(f"bad station id(s): {bad}", EXIT_USAGE)
    return stations


def cmd_roster_import(args: argparse.Namespace) -> int:
    rows = _read_roster(Path(args.file))
    db = _db(args)
    version = db.import_people(rows)
    published: list[str] = []
    if args.publish:
        published = _publish_roster(args, db)
    _emit(args, {"ok": True, "version": version, "people": len(rows), "published_to": published},
          f"roster version {version}: {len(rows)} people"
          + (f"; published to {', '.join(published)}" if published else ""))
    return EXIT_OK


def _publish_roster(args: argparse.Namespace, db: CentralDB) -> list[str]:
    stations = _stations(args, db)
    if not stations:
        raise CentralError("no stations known yet; name them with --station")
    client = _one_shot(args)
    infos = [publish_roster(client, db, args.prefix, st) for st in stations]
    _finish(client, [i for i in infos if i is not None])
    return stations


def cmd_roster_publish(args: argparse.Namespace) -> int:
    db = _db(args)
    if db.roster_version() == 0:
        raise CentralError("no roster imported yet (kiosk-central roster import FILE.csv)")
    stations = _publish_roster(args, db)
    _emit(args, {"ok": True, "version": db.roster_version(), "published_to": stations},
          f"roster version {db.roster_version()} published to {', '.join(stations)}")
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    db = _db(args)
    requests = db.forget(args.person, _stations(args, db) if args.station else ())
    published = False
    if args.broker and requests:
        client = _one_shot(args)
        infos = publish_pending_deletions(client, db, args.prefix)
        _finish(client, infos)
        published = True
    _emit(args, {"ok": True, "person": args.person, "requests": [
        {"request_id": r, "station": s} for r, s in requests], "published": published},
          f"forgot {args.person}: {len(requests)} deletion request(s)"
          + (" published" if published else " queued (sent when each station comes online)"))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    db = _db(args)
    summary = db.summary()
    rows = db.template_rows()
    data = {**summary, "stations": [
        {"station": s, "state": st, "seen_at": seen} for s, st, seen in db.station_rows()],
        "rows": [{"uuid": r.uuid, "station": r.station, "person": r.person, "finger": r.finger,
                  "received_at": r.received_at} for r in rows[-args.limit:]]}
    lines = [f"{summary['templates']} template(s), {summary['people']} people (roster version "
             f"{summary['roster_version']}), {summary['pending_deletions']} pending deletion(s)"]
    lines += [f"  {r.received_at:%Y-%m-%d %H:%M:%S}  {r.station:<16} {r.person:<16} {r.finger:<13} "
              f"{r.uuid}" for r in rows[-args.limit:]]
    _emit(args, data, "\n".join(lines))
    return EXIT_OK


# -- parser ----------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable output")
    common.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    common.add_argument("--db", default=os.environ.get("KIOSK_CENTRAL_DB", DEFAULT_DB),
                        help="SQLAlchemy URL (default: %(default)s; postgresql+psycopg://...)")
    common.add_argument("--prefix", default="fpk/v1", help="topic prefix (default: %(default)s)")
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
    broker.add_argument("--client-id", default="kiosk-central")
    broker.add_argument("--session-expiry", type=int, default=3600)

    p = argparse.ArgumentParser(prog="kiosk-central", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    k = sub.add_parser("keygen", parents=[common],
                       help="generate the central X25519 sealing key and Ed25519 signing key")
    k.add_argument("--out", default="central.key", help="private key file (created 0600)")
    k.add_argument("--force", action="store_true")
    k.set_defaults(func=cmd_keygen)
    s = sub.add_parser("serve", parents=[common, broker], help="run an ingest worker")
    s.add_argument("--key-file", help="private key file (else KIOSK_CENTRAL_KEY)")
    s.add_argument("--group", default="ingest", help="shared-subscription group")
    s.add_argument("--allow-unknown-people", action="store_true",
                   help="accept templates of people not in the central roster")
    s.set_defaults(func=cmd_serve)
    r = sub.add_parser("roster", help="import and publish the roster")
    rsub = r.add_subparsers(dest="roster_command", required=True, metavar="COMMAND")
    ri = rsub.add_parser("import", parents=[common, broker], help="import people from CSV")
    ri.add_argument("file", help="CSV with external_id,display_name[,active]")
    ri.add_argument("--publish", action="store_true", help="publish the snapshot right away")
    ri.add_argument("--station", action="append", help="station to publish to (repeatable)")
    ri.set_defaults(func=cmd_roster_import)
    rp = rsub.add_parser("publish", parents=[common, broker], help="publish the retained snapshot")
    rp.add_argument("--station", action="append", help="station (repeatable; default: all known)")
    rp.set_defaults(func=cmd_roster_publish)
    f = sub.add_parser("forget", parents=[common, broker],
                       help="delete a person's templates centrally and request it on stations")
    f.add_argument("person", help="external id")
    f.add_argument("--station", action="append", help="also ask this station (repeatable)")
    f.set_defaults(func=cmd_forget)
    pv = sub.add_parser("provision", parents=[common],
                        help="write a signed provisioning file for a station (contains a "
                             "secret), or --revoke one")
    provision.add_arguments(pv)
    pv.set_defaults(func=cmd_provision)
    ls = sub.add_parser("list", parents=[common], help="what central holds")
    ls.add_argument("--limit", type=int, default=50)
    ls.set_defaults(func=cmd_list)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(verbose=args.verbose)
    try:
        rc: int = args.func(args)
        return rc
    except CentralError as exc:
        if getattr(args, "json", False):
            print(json.dumps({"ok": False, "message": str(exc)}))
        else:
            print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
