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
from collections.abc import Callable, Sequence

from kiosk import __version__
from kiosk.app import StoreError
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
    "kiosk.cli.person_cmd",
    "kiosk.cli.retention_cmd",
    "kiosk.cli.report_cmd",
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


#: Runs the desk GUI for a bare ``kiosk`` (given by :mod:`kiosk.launcher`: the command line
#: itself does not depend on the GUI package).
GuiRunner = Callable[[argparse.Namespace, Context], int]


def main(argv: Sequence[str] | None = None, *, gui: GuiRunner | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context.from_args(args)
    try:
        if args.self_test:
            from kiosk.app.selftest import run_self_test

            return run_self_test(ctx.paths, json_output=ctx.json, verbose=ctx.verbose)
        func = getattr(args, "func", None)
        if func is None:
            if args.command is not None:
                # A command group without its subcommand: show that level's help.
                args.parser.print_help()
                return EXIT_USAGE
            if gui is None:
                raise CliError("This program has no desk GUI; use a subcommand (kiosk --help).",
                               code="no-gui", exit_code=EXIT_USAGE)
            return gui(args, ctx)
        rc: int = func(args, ctx)
        return rc
    except CliError as exc:
        ctx.fail(str(exc), code=exc.code)
        return exc.exit_code
    except StoreError as exc:
        ctx.fail(f"{exc} {exc.hint}".strip(), code=exc.code)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_FAILED


__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
