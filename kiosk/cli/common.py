"""Shared plumbing for CLI subcommands: common options, context, output and exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.app import Station, StoreError
from kiosk.config import Config, ConfigError, load_for
from kiosk.logsetup import setup_logging
from kiosk.paths import DataPaths

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class CliError(Exception):
    """An operation failed in a way the user can act on; printed without a traceback."""

    def __init__(self, message: str, *, code: str = "failed", exit_code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code
        self.exit_code = exit_code


def add_common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """``--data-dir``, ``--config``, ``--json``, ``-v`` on every level of the command tree.

    Sub-levels use SUPPRESS defaults so an option given before the subcommand is not reset.
    """
    d: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", default=d, metavar="DIR", help="station data folder")
    parser.add_argument("--config", default=d, metavar="FILE", help="settings file (TOML)")
    parser.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS if suppress else False,
        help="machine-readable output",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true",
        default=argparse.SUPPRESS if suppress else False, help="log debug details to stderr",
    )


def add_parser(
    sub: Any, common: argparse.ArgumentParser, name: str, help_text: str, **kw: Any
) -> argparse.ArgumentParser:
    """Add a subcommand parser that carries the common options and knows itself (for help)."""
    p: argparse.ArgumentParser = sub.add_parser(
        name, parents=[common], help=help_text, description=help_text, **kw
    )
    p.set_defaults(parser=p)
    return p


@dataclass
class Context:
    paths: DataPaths
    config_file: Path | None
    json: bool = False
    verbose: bool = False
    #: The global ``--simulate``: every command that opens the sensor uses the virtual one.
    simulate: bool = False
    _config: Config | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        return cls(
            paths=DataPaths.resolve(getattr(args, "data_dir", None)),
            config_file=Path(args.config) if getattr(args, "config", None) else None,
            json=bool(getattr(args, "json", False)),
            verbose=bool(getattr(args, "verbose", False)),
            simulate=bool(getattr(args, "simulate", False)),
        )

    def open_station(self, *, port: str | None = None, simulate: bool = False,
                     sensor: bool = True, sync: bool = True, migrate: bool = True,
                     need_database: bool = False, sync_password: str | None = None
                     ) -> Station:
        """Open the station for a command; every failure becomes a :class:`CliError`.

        ``need_database``: refuse (instead of creating one) when there is no database yet.
        """
        config = self.config()
        if need_database and not self.paths.database.exists():
            raise CliError(f"There is no station database at {self.paths.database}. Start the "
                           "station once to create it, or pass --data-dir.",
                           code="no-database")
        self.start_logging()
        try:
            return Station.open(self.paths, config, simulate=simulate or self.simulate,
                                sensor_url=port, start_sensor=sensor, start_sync=sync,
                                migrate=migrate, sync_password=sync_password)
        except StoreError as exc:
            raise CliError(f"{exc} {exc.hint}".strip(), code=exc.code) from exc
        except OSError as exc:
            raise CliError(f"Cannot open the data folder {self.paths.root}: "
                           f"{exc.strerror or exc}", code="data-folder") from exc

    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_for(self.paths, self.config_file)
            except ConfigError as exc:
                raise CliError(str(exc), code="bad-config") from exc
        return self._config

    @property
    def config_path(self) -> Path:
        return self.config_file or self.paths.config_file

    def start_logging(self) -> None:
        """Log to the data folder if it is writable; never fail a command because of logging."""
        import logging

        try:
            self.paths.logs.mkdir(parents=True, exist_ok=True)
            log_file: Path | None = self.paths.log_file
        except OSError:
            log_file = None
        setup_logging(log_file, level=logging.DEBUG if self.verbose else logging.INFO)

    def emit(self, data: Any, human: str) -> None:
        """Print ``human`` text, or ``data`` as JSON with ``--json``."""
        if self.json:
            print(json.dumps(data, indent=2, default=str))
        else:
            print(human)

    def fail(self, message: str, *, code: str = "failed") -> None:
        if self.json:
            print(json.dumps({"ok": False, "error": code, "message": message}))
        else:
            print(f"Error: {message}", file=sys.stderr)
