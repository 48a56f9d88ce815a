"""``kiosk enroll``: the enrollment engine without the GUI, for technicians and scripted checks.

Shows the prompts and a text progress bar, and exits 0 only when the template is committed to
the local store (with its outbox row); otherwise 1 with the reason.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from typing import Any

from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser
from kiosk_contract.fingers import names as finger_names

CONSENT_CHOICES = ("signed-paper", "on-screen", "operator-attestation")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_parser(sub, common, "enroll", "Enroll one finger of one person from the roster.")
    p.add_argument("--person", required=True, metavar="EXTERNAL_ID", help="roster id")
    p.add_argument("--finger", required=True, choices=finger_names(), help="which finger")
    p.add_argument("--port", help="sensor port or URL (default: the configured one / auto)")
    p.add_argument("--operator", default=None, help="operator name recorded with the template")
    p.add_argument(
        "--consent", choices=CONSENT_CHOICES,
        help="record consent with this method first (needed when none is on file)",
    )
    p.add_argument("--allow-duplicate", action="store_true",
                   help="admin override: enroll even if the finger is already on the sensor")
    p.add_argument("--connect-timeout", type=float, default=15.0, metavar="S",
                   help="how long to wait for the sensor (default 15 s)")
    p.set_defaults(func=run)


def _bar(percent: int, width: int = 30) -> str:
    filled = width * percent // 100
    return f"[{'#' * filled}{'.' * (width - filled)}] {percent:3d}%"


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kiosk.app import Station
    from kiosk.enrollment.engine import EnrollmentRequest
    from kiosk.enrollment.events import Progress, Prompt, Result, Retry
    from kiosk.store import StoreError

    config = ctx.config()
    ctx.start_logging()
    try:
        station = Station.open(ctx.paths, config, sensor_url=args.port)
    except StoreError as exc:
        raise CliError(f"{exc} {exc.hint}", code="store") from exc
    try:
        store = station.store
        person = store.people.get(args.person)
        if person is None:
            raise CliError(
                f"Nobody with id {args.person!r} is on this station's roster. "
                "Import the roster (kiosk roster import FILE.csv) or sync first.",
                code="unknown-person",
            )
        if store.consents.active(args.person) is None:
            if not args.consent:
                raise CliError(
                    f"No consent is on file for {person.display_name}. Record it first: add "
                    f"--consent {'|'.join(CONSENT_CHOICES)}.", code="no-consent",
                )
            store.consents.record(
                args.person, notice_version=config.consent.notice_version,
                notice_text=config.consent.notice_text, method=args.consent,
                operator=args.operator,
            )
        deadline = time.monotonic() + args.connect_timeout
        ready = threading.Event()
        station.sensor.add_listener(lambda ev: ready.set())
        while not station.sensor.status.connected and time.monotonic() < deadline:
            ready.wait(0.2)
            ready.clear()
        status = station.sensor.status
        if not status.connected:
            raise CliError(f"The sensor is not ready: {status.message or status.state}",
                           code="no-sensor")
        if not ctx.json:
            print(f"Sensor {status.model} on {status.port}; enrolling {person.display_name}, "
                  f"{args.finger}.")

        finished = threading.Event()
        outcome: list[Result] = []

        def on_event(ev: object) -> None:
            if isinstance(ev, Result):
                outcome.append(ev)
                finished.set()
            elif ctx.json:
                return
            elif isinstance(ev, Prompt):
                print(f"  > {ev.text}")
            elif isinstance(ev, Progress):
                print(f"  {_bar(ev.percent)}")
            elif isinstance(ev, Retry):
                print(f"  ! {ev.text}")
            sys.stdout.flush()

        station.sensor.add_listener(on_event)
        request = EnrollmentRequest(args.person, args.finger, operator=args.operator,
                                    station_id=config.station.id,
                                    allow_duplicate=args.allow_duplicate)
        token = station.sensor.enroll(request, station.sink, config.enrollment)
        try:
            while not finished.wait(0.25):
                pass
        except KeyboardInterrupt:
            token.cancel()
            finished.wait(10)
        result = outcome[0]
        ctx.emit(
            {"ok": result.ok, "outcome": result.outcome.value, "message": result.message,
             "template_uuid": result.template_uuid, "slot": result.slot, "score": result.score,
             "reason": result.reason_code},
            result.message,
        )
        return EXIT_OK if result.ok else EXIT_FAILED
    finally:
        station.close()
