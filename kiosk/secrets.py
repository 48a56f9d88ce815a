"""Station secrets (the MQTT password), kept out of the settings file and out of logs.

Looked up in order: the ``KIOSK_MQTT_PASSWORD`` environment variable (services, tests), then a
file in the data folder's ``secrets/`` directory, written owner-only. The data folder is shared
by every staff account on a station, which per-user OS key stores (Windows Credential Manager)
are not; a machine-scoped store is the next step.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from kiosk.paths import DataPaths

log = logging.getLogger(__name__)

ENV_MQTT_PASSWORD = "KIOSK_MQTT_PASSWORD"
#: Name of the broker password in the secret store (written by ``kiosk provision``).
MQTT_PASSWORD_SECRET = "mqtt-password"


def _file(paths: DataPaths, name: str) -> Path:
    return paths.secrets / name


def get_secret(paths: DataPaths, name: str) -> str | None:
    f = _file(paths, name)
    try:
        return f.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def set_secret(paths: DataPaths, name: str, value: str) -> str:
    """Store ``value``; returns where it went, for the operator's report."""
    f = _file(paths, name)
    f.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(f.parent, 0o700)
    tmp = f.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, f)
    return str(f)


def mqtt_password(paths: DataPaths) -> str | None:
    return os.environ.get(ENV_MQTT_PASSWORD) or get_secret(paths, MQTT_PASSWORD_SECRET)
