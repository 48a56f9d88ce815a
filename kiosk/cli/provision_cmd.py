"""``kiosk provision FILE``: set the station up from central's signed provisioning file.

Each step is reported in plain words (or as JSON). Nothing is written unless the file is genuine,
signed by the trusted central key and its credentials are not refused by the broker; an
unreachable broker does not stop the import (the station keeps trying).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.app.provisioning import ImportRefused, ImportReport, import_file
from kiosk.cli.common import EXIT_FAILED, EXIT_OK, CliError, Context, add_parser


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_parser(sub, common, "provision",
                   "import central's provisioning file (station id, broker, credentials)")
    p.add_argument("file", metavar="FILE", help="the *.SECRET.kioskprov file from central")
    p.add_argument("--trust-key", metavar="FINGERPRINT",
                   help="central's signing key fingerprint, as central's administrator gave it")
    p.add_argument("--trust-on-first-use", action="store_true",
                   help="first import only: trust whatever central key signed the file")
    p.add_argument("--connect-timeout", type=float, default=5.0, metavar="S",
                   help="how long the connection test waits (default 5 s)")
    p.set_defaults(func=run)


def _data(report: ImportReport, ok: bool, **extra: Any) -> dict[str, Any]:
    prov = report.provisioning
    conn = report.connection
    return {
        "ok": ok,
        "steps": [{"step": s.name, "ok": s.ok, "text": s.text} for s in report.steps],
        "provisioning": prov.summary() if prov else None,
        "connection": ({"reason": conn.reason, "text": conn.text, "url": conn.url}
                       if conn else None),
        "replaced_station": report.replaced_station,
        **extra,
    }


def _human(report: ImportReport) -> str:
    return "\n".join(f"  [{'ok' if s.ok else 'FAILED'}] {s.name}: {s.text}"
                     for s in report.steps)


def run(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"Cannot read {path}: {exc.strerror or exc}.", code="unreadable") from exc
    try:
        report = import_file(
            ctx.paths, ctx.config_path, data, trust_key=args.trust_key,
            trust_on_first_use=args.trust_on_first_use, connect_timeout=args.connect_timeout,
        )
    except ImportRefused as exc:
        if ctx.json:
            ctx.emit(_data(exc.report, False, error=exc.code, message=str(exc)), "")
        else:
            print(_human(exc.report))
            print(f"Error: {exc} Nothing was changed.", file=sys.stderr)
        return EXIT_FAILED
    prov = report.provisioning
    assert prov is not None and report.connection is not None
    if report.connection.ok:
        verdict = f"Provisioned as {prov.station_id}; connected to {report.connection.url}."
    else:
        verdict = (f"Provisioned as {prov.station_id}: saved; could not reach the broker yet: "
                   f"{report.connection.text}.")
    if report.replaced_station:
        verdict += (f" (This station was {report.replaced_station}; its database and pending "
                    "enrollments are kept.)")
    verdict += f" You can now delete {path.name}: it contains the station's password."
    ctx.emit(_data(report, True, message=verdict), _human(report) + "\n" + verdict)
    return EXIT_OK
