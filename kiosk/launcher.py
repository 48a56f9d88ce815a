"""The ``kiosk`` program: the desk GUI when run bare, the technician's command line otherwise.

The launcher sits above both front ends, so neither depends on the other: the command line
(:mod:`kiosk.cli`) parses every option and runs the subcommands; a bare ``kiosk`` is handed
to the GUI (:mod:`kiosk.ui`), which is imported only then (a headless command never loads Qt).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from kiosk import cli
from kiosk.cli.common import Context


def _gui(args: argparse.Namespace, ctx: Context) -> int:
    from kiosk.ui.app import GuiRequest, run_gui

    return run_gui(GuiRequest(ctx.paths, ctx.config_file, simulate=args.simulate,
                              demo_roster=args.demo_roster, verbose=ctx.verbose))


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, gui=_gui)


__all__ = ["main"]
