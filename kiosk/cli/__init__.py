"""The ``kiosk`` command: the GUI when run bare, and every technician operation as a subcommand.

Conventions shared by all subcommands (see :mod:`kiosk.cli.common`): ``--data-dir`` and
``--config`` at every level, human output by default and ``--json`` for scripts, and exit codes
0 = ok, 1 = a check or operation failed, 2 = usage error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError, Context, add_common

#: Modules that contribute subcommands; each has ``register(subparsers, common)``.
COMMAND_MODULES: tuple[str, ...] = (
    "kiosk.cli.sensor_cmd",
    "kiosk.cli.db_cmd",
    "kiosk.cli.enroll_cmd",
    "kiosk.cli.sync_cmd",
    "kiosk.cli.provision_cmd",
    "kiosk.cli.doctor_cmd",
    "kiosk.cli.diagnostics_cmd",
    "kiosk.cli.roster_cmd",
)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Fingerprint enrollment station. Without a command, starts the desk GUI.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_common(parser, suppress=False)
    parser.add_argument(
        "--simulate",
        action="store_true",
        help="run against the built-in virtual sensor (training, demos); shows a SIMULATED banner",
    )
    parser.add_argument(
        "--demo-roster",
        action="store_true",
        help="with --simulate: load a small demo roster when the roster is empty",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="non-GUI self-check of the installed program (imports, database, virtual sensor)",
    )
    common = argparse.ArgumentParser(add_help=False)
    add_common(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context.from_args(args)
    try:
        if args.self_test:
            from kiosk.selftest import run_self_test

            return run_self_test(ctx)
        func = getattr(args, "func", None)
        if func is None:
            if args.command is not None:
                # A command group without its subcommand: show that level's help.
                args.parser.print_help()
                return EXIT_USAGE
            from kiosk.ui.app import run_gui

            return run_gui(ctx, simulate=args.simulate, demo_roster=args.demo_roster)
        rc: int = func(args, ctx)
        return rc
    except CliError as exc:
        ctx.fail(str(exc), code=exc.code)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_FAILED


__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
