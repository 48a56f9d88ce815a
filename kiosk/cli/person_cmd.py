"""``kiosk person …`` and ``kiosk consent withdraw``: deleting biometric data from the station.

``person forget ID`` deletes all of a person's templates (asked at the desk, or an
administrator's decision); ``person remove-finger ID FINGER`` one wrongly enrolled finger;
``consent withdraw ID`` records the withdrawal and deletes everything. Each writes a
tombstone and a receipt for central (cause and places), and the audit entry with the reason.
The sensor slots are cleared at once when this command can reach the sensor (``--sensor``),
otherwise the next time the station connects to it; the report says which.
"""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.app import Deletion, Finger, NotFound, Station, StoreError
from kiosk.cli.common import EXIT_OK, CliError, Context, add_parser


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    person = add_parser(sub, common, "person", "delete a person's fingerprint templates")
    psub = person.add_subparsers(dest="person_command", metavar="SUBCOMMAND")
    forget = add_parser(psub, common, "forget", "delete all templates of one person")
    forget.add_argument("external_id", metavar="ID", help="the person's id on the roster")
    _who(forget)
    forget.set_defaults(func=cmd_forget)
    rf = add_parser(psub, common, "remove-finger",
                    "delete one finger's template (e.g. the wrong finger was enrolled)")
    rf.add_argument("external_id", metavar="ID")
    rf.add_argument("finger", metavar="FINGER", help="e.g. right-index")
    _who(rf)
    rf.set_defaults(func=cmd_remove_finger)

    consent = add_parser(sub, common, "consent", "consent records")
    csub = consent.add_subparsers(dest="consent_command", metavar="SUBCOMMAND")
    wd = add_parser(csub, common, "withdraw",
                    "record a withdrawal of consent and delete the person's templates")
    wd.add_argument("external_id", metavar="ID")
    _who(wd)
    wd.set_defaults(func=cmd_withdraw)


def _who(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reason", required=True, help="why (kept in the audit trail)")
    p.add_argument("--operator", default="technician",
                   help="who asked for it (kept in the audit trail)")
    p.add_argument("--sensor", action="store_true",
                   help="connect to the sensor and clear its slots now")


def _run(args: argparse.Namespace, ctx: Context, what: str, action: Any) -> int:
    ctx.start_logging()
    station: Station = ctx.open_station(sensor=bool(args.sensor), sync=False,
                                        need_database=True)
    try:
        if args.sensor and not station.wait_for_sensor(15.0):
            ctx.fail("The sensor did not answer within 15 s; its slots will be cleared the "
                     "next time the station connects to it.", code="no-sensor")
        done: Deletion = action(station)
    except NotFound as exc:
        raise CliError(f"{exc} {exc.hint}".strip(), code="not-found") from exc
    except StoreError as exc:
        raise CliError(f"{exc} {exc.hint}".strip(), code=exc.code) from exc
    finally:
        station.close()
    sensor = ("cleared" if done.sensor_done else
              f"slot(s) {', '.join(map(str, done.sensor_pending))} still to clear: they are "
              "cleared the next time the station connects to the sensor")
    ctx.emit({"ok": True, "person": done.external_id, "slots": list(done.slots),
              "sensor_pending": list(done.sensor_pending), "what": what},
             f"{what.capitalize()} for {done.external_id}: station database done; sensor "
             f"{sensor}; central is told at the next sync (a receipt, with the reason).")
    return EXIT_OK


def cmd_forget(args: argparse.Namespace, ctx: Context) -> int:
    return _run(args, ctx, "templates deleted", lambda st: st.biometrics.forget(
        args.external_id, actor=args.operator, reason=args.reason))


def cmd_remove_finger(args: argparse.Namespace, ctx: Context) -> int:
    try:
        finger = Finger.parse(args.finger)
    except ValueError as exc:
        raise CliError(str(exc), code="bad-finger", exit_code=2) from exc
    return _run(args, ctx, f"{finger.value} deleted", lambda st: st.biometrics.remove_finger(
        args.external_id, finger, actor=args.operator, reason=args.reason))


def cmd_withdraw(args: argparse.Namespace, ctx: Context) -> int:
    return _run(args, ctx, "consent withdrawn and templates deleted",
                lambda st: st.biometrics.withdraw_consent(
                    args.external_id, actor=args.operator, reason=args.reason))
