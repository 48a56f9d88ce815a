"""The ``kiosk-central`` commands (the parser lives in :mod:`kiosk_central.cli`)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

import kiosk_contract as c
from kiosk_central import audit_log, provision
from kiosk_central.cli_common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CentralError,
    close,
    emit,
    one_shot,
    open_db,
    private_key,
    settings,
    vault,
)
from kiosk_central.db import CentralDB
from kiosk_central.engine import DatabaseError
from kiosk_central.ingest import Ingest, IngestConfig, publish_pending_deletions
from kiosk_central.publish import publish_all
from kiosk_central.reports import export_templates, report_text, subject_report
from kiosk_central.roster import import_roster, legacy_messages, publish_paged
from kiosk_central.roster_csv import RosterFileError, read_roster_csv
from kiosk_central.vault import VaultError, write_master_key_file
from kiosk_contract.mqtt import BrokerConfigError
from kiosk_contract.sealing import CryptoError, generate_keypair, key_id, load_private_key

log = logging.getLogger("kiosk_central")


def keygen(args: argparse.Namespace) -> int:
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
    extra = ""
    if args.master_key_file:
        try:
            data["master_key_id"] = write_master_key_file(Path(args.master_key_file))
        except FileExistsError as exc:
            raise CentralError(f"{args.master_key_file} exists; a master key is never "
                               "overwritten (the templates sealed under it would be lost)"
                               ) from exc
        extra = (f"\nMaster key for templates at rest written to {args.master_key_file} (keep "
                 f"it secret; serve with --master-key file:{args.master_key_file}).")
    emit(args, data,
         f"Private key written to {out} (keep it secret).\n"
         f"Public key (sync.central_public_key on every station):\n{kp.public_b64}\n"
         f"Signing key for provisioning files written to {signing} (keep it secret).\n"
         f"Its fingerprint (stations check it on first import): {fp}{extra}")
    return EXIT_OK


def serve(args: argparse.Namespace) -> int:
    key = private_key(args)
    assert key is not None
    if args.worker < 1 or not 1 <= args.batch_size <= 1000:
        raise CentralError("--worker must be 1 or more and --batch-size 1..1000", EXIT_USAGE)
    client_id = args.client_id or f"fpk-central-{args.group}-{args.worker}"
    try:
        load_private_key(key)
        cfg = IngestConfig(
            broker=settings(args, client_id, args.session_expiry), db_url=args.db,
            private_key_b64=key, prefix=args.prefix, group=args.group,
            require_known_person=not args.allow_unknown_people, batch_size=args.batch_size,
            max_packet=args.max_packet, legacy_roster=args.legacy_roster,
            master_key=args.master_key,
        )
        ingest = Ingest(cfg)
    except (CryptoError, BrokerConfigError, VaultError, DatabaseError, c.ContractError) as exc:
        raise CentralError(str(exc)) from exc
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    ingest.start()
    log.info("ingest %s running: broker %s, group %s, prefix %s, master key %s", client_id,
             cfg.broker.endpoint, cfg.group, cfg.prefix, ingest.db.vault.master.source
             if ingest.db.vault else "-")
    print(f"kiosk-central {client_id} serving {cfg.broker.endpoint} (Ctrl+C to stop)",
          file=sys.stderr)
    while not stop.wait(1.0):
        pass
    ingest.stop()
    emit(args, {"ok": True, "client_id": client_id, "counts": dict(ingest.counts),
                "timing": {k: round(v, 3) for k, v in ingest.timing.items()}},
         f"stopped; {dict(ingest.counts)}")
    return EXIT_OK


def _publish(args: argparse.Namespace, db: CentralDB) -> dict[str, object]:
    """The roster to the broker: the shared paged snapshot, or with --legacy the schema-1
    snapshot per station (refused whole when it would not fit a packet)."""
    if args.legacy:
        stations = list(args.station or []) or [s for s, _st, _seen in db.station_rows()]
        bad = [s for s in stations if not c.is_station_id(s)]
        if bad:
            raise CentralError(f"bad station id(s): {bad}", EXIT_USAGE)
        if not stations:
            raise CentralError("no stations known yet; name them with --station")
        try:
            out = legacy_messages(db, args.prefix, stations, args.max_packet)
        except c.ContractError as exc:
            raise CentralError(f"{exc}. Stations on schema 2 get the paged roster: publish "
                               "without --legacy") from exc
        client = one_shot(args)
        try:
            publish_all(client, out, args.max_packet, 30)
        except TimeoutError as exc:
            raise CentralError(str(exc)) from exc
        finally:
            close(client)
        db.audit("central", "roster-published-legacy", args.prefix,
                 after={"version": db.roster_version(), "stations": stations})
        return {"mode": "legacy", "version": db.roster_version(), "published_to": stations}
    client = one_shot(args)
    try:
        result = publish_paged(client, db, args.prefix, args.max_packet)
    except c.ContractError as exc:
        raise CentralError(str(exc)) from exc
    except TimeoutError as exc:
        raise CentralError(str(exc)) from exc
    finally:
        close(client)
    return {"mode": "paged", **result.to_json()}


def roster_import(args: argparse.Namespace) -> int:
    try:
        parsed = read_roster_csv(Path(args.file), args.encoding)
    except RosterFileError as exc:
        raise CentralError(str(exc), EXIT_USAGE) from exc
    mapped = ", ".join(f"{v!r} -> {k}" for k, v in parsed.mapping.items())
    info = {"people": len(parsed.people), "mapped": parsed.mapping, "ignored": parsed.ignored,
            "encoding": parsed.encoding, "delimiter": parsed.delimiter,
            "blank_rows": parsed.blank_rows}
    if args.dry_run:
        emit(args, {"ok": True, "dry_run": True, **info},
             f"{len(parsed.people)} people read, nothing changed (columns: {mapped})")
        return EXIT_OK
    db = open_db(args)
    try:
        res = import_roster(db, parsed.people, Path(args.file).name)
    except c.ContractError as exc:
        raise CentralError(str(exc), EXIT_USAGE) from exc
    published = _publish(args, db) if args.publish else None
    emit(args, {"ok": True, "version": res.version, "upserts": res.upserts,
                "removed": res.removed, "versions": res.versions, "published": published,
                **info},
         f"roster version {res.version}: {len(parsed.people)} people ({res.upserts} new or "
         f"changed, {res.removed} removed); columns: {mapped}"
         + (f"; ignored: {', '.join(parsed.ignored)}" if parsed.ignored else "")
         + (f"; published ({published['mode']})" if published else ""))
    return EXIT_OK


def roster_publish(args: argparse.Namespace) -> int:
    db = open_db(args)
    if db.roster_version() == 0:
        raise CentralError("no roster imported yet (kiosk-central roster import FILE.csv)")
    out = _publish(args, db)
    emit(args, {"ok": True, **out}, f"roster version {db.roster_version()} published ("
         + (f"to {', '.join(out['published_to'])}" if out["mode"] == "legacy" else  # type: ignore[arg-type]
            f"{out['pages']} page(s), {out['people']} people, {out['deltas']} delta(s)") + ")")
    return EXIT_OK


def forget(args: argparse.Namespace) -> int:
    db = open_db(args)
    stations = list(args.station or [])
    bad = [s for s in stations if not c.is_station_id(s)]
    if bad:
        raise CentralError(f"bad station id(s): {bad}", EXIT_USAGE)
    requests = db.forget(args.person, stations)
    published = False
    if args.broker and requests:
        client = one_shot(args)
        try:
            infos = publish_pending_deletions(client, db, args.prefix)
            for i in infos:
                i.wait_for_publish(15)
            published = all(i.is_published() for i in infos)
        except (RuntimeError, ValueError) as exc:
            raise CentralError(f"the broker did not confirm every publish: {exc}") from exc
        finally:
            close(client)
        if not published:
            raise CentralError("the broker did not confirm every publish in time")
    emit(args, {"ok": True, "person": args.person, "requests": [
        {"request_id": r, "station": s} for r, s in requests], "published": published},
        f"forgot {args.person}: {len(requests)} deletion request(s)"
        + (" published" if published else " queued (sent when each station comes online)"))
    return EXIT_OK


def subject_report_cmd(args: argparse.Namespace) -> int:
    report = subject_report(open_db(args), args.person)
    emit(args, report, report_text(report))
    return EXIT_OK


def audit_verify(args: argparse.Namespace) -> int:
    if bool(args.station) == bool(args.central):
        raise CentralError("give a STATION or --central", EXIT_USAGE)
    db = open_db(args)
    with db.engine.connect() as conn:
        rep = (audit_log.verify_central(conn) if args.central
               else audit_log.verify_station(conn, args.station))
    who = "central" if args.central else args.station
    if rep.entries == 0 and rep.ok:
        emit(args, {**rep.to_json(), "ok": False, "problem": "no audit entries received"},
             f"{who}: no audit entries received yet")
        return EXIT_FAILED
    emit(args, rep.to_json(), f"{who}: ok, {rep.entries} entries, chain intact up to entry "
         f"{rep.last_seq}" if rep.ok else f"{who}: BROKEN at entry {rep.seq} ({rep.kind}): "
         f"{rep.problem}; {rep.entries} entries verified before it")
    return EXIT_OK if rep.ok else EXIT_FAILED


def template_export(args: argparse.Namespace) -> int:
    if bool(args.uuid) == bool(args.person):
        raise CentralError("give template uuid(s) or --person", EXIT_USAGE)
    db = open_db(args, vault(args))
    uuids = list(args.uuid) or [r.uuid for r in db.template_rows(args.person)]
    if not uuids:
        raise CentralError(f"central holds no templates of {args.person}")
    try:
        res = export_templates(db, uuids, actor=args.actor, purpose=args.purpose,
                               out=Path(args.out), seal_to=args.seal_to)
    except FileExistsError as exc:
        raise CentralError(f"{args.out} exists; an export never overwrites a file") from exc
    except (VaultError, DatabaseError, CryptoError, ValueError) as exc:
        raise CentralError(str(exc)) from exc
    emit(args, {"ok": True, **res}, f"{res['templates']} template(s) written to {res['file']} "
         f"({'sealed' if res['sealed'] else 'IN CLEAR, keep the file safe'}); the opening is "
         "recorded in central's audit log")
    return EXIT_OK


def db_upgrade(args: argparse.Namespace) -> int:
    db = open_db(args)
    if not db.plaintext_layout:
        emit(args, {"ok": True, "sealed": 0}, "nothing to do: templates are sealed at rest")
        return EXIT_OK
    db.vault = vault(args)
    n = db.seal_plaintext_layout()
    emit(args, {"ok": True, "sealed": n}, f"{n} template(s) sealed at rest")
    return EXIT_OK


def provision_cmd(args: argparse.Namespace) -> int:
    try:
        return provision.run(args)
    except provision.ProvisionError as exc:
        raise CentralError(str(exc), exc.exit_code) from exc


def list_cmd(args: argparse.Namespace) -> int:
    db = open_db(args)
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
    emit(args, data, "\n".join(lines))
    return EXIT_OK
