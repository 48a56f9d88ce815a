"""Where the station keeps its data, config and logs — decided in exactly one place.

On Windows the data folder is machine-wide (``%ProgramData%\\FingerprintKiosk``) so every
staff account on the station sees the same records; elsewhere it follows platformdirs.
``--data-dir`` or ``KIOSK_DATA_DIR`` override both.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "FingerprintKiosk"
APP_AUTHOR = "FingerprintKiosk"
ENV_DATA_DIR = "KIOSK_DATA_DIR"


def default_data_dir() -> Path:
    """The machine-wide data folder for this platform."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        return Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    """All files the station writes, derived from one root folder."""

    root: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
        return cls(Path(data_dir).expanduser().resolve() if data_dir else default_data_dir())

    @property
    def config_file(self) -> Path:
        return self.root / "config.toml"

    @property
    def database(self) -> Path:
        return self.root / "kiosk.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "kiosk.log"

    @property
    def trace_file(self) -> Path:
        """Hex trace of every serial frame (when enabled); goes into diagnostics bundles."""
        return self.logs / "serial-trace.log"

    @property
    def secrets(self) -> Path:
        """Fallback secret store when the OS has no key store."""
        return self.root / "secrets"

    @property
    def lock_file(self) -> Path:
        return self.root / "kiosk.lock"

    def ensure(self) -> DataPaths:
        """Create the folders; raise OSError with the path in it if we cannot."""
        for p in (self.root, self.backups, self.logs):
            p.mkdir(parents=True, exist_ok=True)
        return self


def resource_dir() -> Path:
    """The ``resources/`` folder, both from a source tree and from a frozen build."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
