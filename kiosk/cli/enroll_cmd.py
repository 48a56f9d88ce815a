"""``kiosk enroll``: the enrollment engine without the GUI, for technicians and scripted checks.

Shows the prompts and a text progress bar, and exits 0 only when the template is committed to
the local store (with its outbox row); otherwise 1 with the reason.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from typing import Any

from kiosk.app import (
    ConsentMethod,
    Finger,
    PersonStatus,
    Progress,
    Prompt,
    Result,
    Retry,
    Station,
    StoreError,
    wording,
)
from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser

CONSENT_CHOICES = tuple(m.value for m in ConsentMethod.ways_to_give())


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_parser(sub, common, "enroll", "Enroll one finger of one person from the roster.")
    p.add_argument("--person", required=True, metavar="EXTERNAL_ID", help="roster id")
    p.add_argument("--finger", required=True, choices=[f.value for f in Finger],
                   help="which finger")
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


def _outcome_words(result: Result, finger: Finger, idle_s: float) -> str:
    words = wording.outcome(result, finger, idle_timeout_s=idle_s)
    parts = [words.headline.english() + ".", words.body.english(), words.next_step.english()]
    if result.duplicate_of is not None or result.duplicate_slot is not None:
        parts.append(wording.duplicate_detail(result).english())
    return " ".join(p for p in parts if p)


def _prepare(args: argparse.Namespace, station: Station) -> PersonStatus:
    """The person, the operator and the consent checked (consent recorded if asked)."""
    desk = station.desk
    try:
        person = desk.person(args.person)
    except StoreError as exc:
        raise CliError(
            f"Nobody with id {args.person!r} is on this station's roster. "
            "Import the roster (kiosk roster import FILE.csv) or sync first.",
            code="unknown-person",
        ) from exc
    if args.operator is not None and args.operator not in station.operators.names():
        raise CliError(f"There is no active operator named {args.operator!r} on this station. "
                       "Leave --operator out, or create the operator in the admin area first.",
                       code="unknown-operator")
    if person.consent is None:
        if not args.consent:
            raise CliError(
                f"No consent is on file for {person.name}. Record it first: add "
                f"--consent {'|'.join(CONSENT_CHOICES)}.", code="no-consent",
            )
        desk.record_consent(args.person, ConsentMethod(args.consent), args.operator)
    return person


def _printer(ctx: Context, finger: Finger, outcome: list[Result],
             finished: threading.Event) -> Callable[[object], None]:
    """The sensor listener: prompts, bar and retry reasons as text; the result collected."""
    def on_event(ev: object) -> None:
        if isinstance(ev, Result):
            outcome.append(ev)
            finished.set()
        elif ctx.json:
            return
        elif isinstance(ev, Prompt):
            print(f"  > {wording.prompt(ev.kind, ev.capture, finger).english()}")
        elif isinstance(ev, Progress):
            print(f"  {_bar(ev.percent)}")
        elif isinstance(ev, Retry):
            print(f"  ! {wording.retry(ev.reason).english()}")
        sys.stdout.flush()

    return on_event


def run(args: argparse.Namespace, ctx: Context) -> int:
    finger = Finger(args.finger)
    station = ctx.open_station(port=args.port, sync=False)
    try:
        person = _prepare(args, station)
        if not station.wait_for_sensor(args.connect_timeout):
            st = station.sensor_status
            why = wording.sensor_problem(st.problem).english() if st.problem else st.state.value
            raise CliError(f"The sensor is not ready: {why}", code="no-sensor")
        status = station.sensor_status
        if not ctx.json:
            print(f"Sensor {status.model} on {status.port}; enrolling {person.name}, "
                  f"{wording.finger_words(finger).english()}.")
        finished = threading.Event()
        outcome: list[Result] = []
        station.add_sensor_listener(_printer(ctx, finger, outcome, finished))
        token = station.desk.enroll(args.person, finger, args.operator,
                                    allow_duplicate=args.allow_duplicate)
        try:
            while not finished.wait(0.25):
                pass
        except KeyboardInterrupt:
            token.cancel()
            finished.wait(10)
        result = outcome[0]
        words = _outcome_words(result, finger, station.config.enrollment.idle_timeout_s)
        ctx.emit(
            {"ok": result.ok, "outcome": result.outcome.value, "reason": result.reason_code,
             "message": words, "template_uuid": result.template_uuid, "slot": result.slot,
             "score": result.score},
            words,
        )
        return EXIT_OK if result.ok else EXIT_FAILED
    finally:
        station.close()
