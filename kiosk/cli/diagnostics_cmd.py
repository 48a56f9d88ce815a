"""``kiosk diagnostics FILE.zip``: the support bundle (logs, serial trace, versions, settings
without credentials, live status and the self-test), never template bytes, PINs or passwords."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_OK, CliError, Context, add_parser
from kiosk.cli.doctor_cmd import open_settled


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_parser(sub, common, "diagnostics", "write a diagnostics bundle for support")
    p.add_argument("file", metavar="FILE.zip", help="zip to write (a folder: a dated name)")
    p.add_argument("--port", help="sensor port or URL (default: the configured one / auto)")
    p.add_argument("--wait", type=float, default=5.0, metavar="S",
                   help="how long to give the sensor and the broker to answer (default 5 s)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    station = open_settled(ctx, port=args.port, simulate=False, wait=args.wait)
    try:
        checks = station.self_test()
        try:
            written = station.write_bundle(Path(args.file).expanduser(), checks)
        except OSError as exc:
            raise CliError(f"Cannot write {args.file}: {exc.strerror or exc}.",
                           code="write-failed") from exc
    finally:
        station.close()
    failed = [c.name.english() for c in checks if not c.ok]
    size = written.stat().st_size
    ctx.emit({"ok": True, "path": str(written), "bytes": size, "failed_checks": failed},
             f"Diagnostics bundle written to {written} ({max(1, size // 1024)} KiB)."
             + (f" Failing checks: {', '.join(failed)}." if failed else ""))
    return EXIT_OK
