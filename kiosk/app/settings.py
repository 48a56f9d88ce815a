"""Saving the station's settings from the admin page: the file, and the password apart.

The password never goes into ``config.toml``; it goes to the station's secret store
(:mod:`kiosk.secrets`). Both writes are atomic. Blocking: off the GUI thread.
"""

from __future__ import annotations

from kiosk.config import Config, save_config
from kiosk.paths import DataPaths
from kiosk.secrets import MQTT_PASSWORD_SECRET, set_secret


def save_settings(paths: DataPaths, config: Config, password: str = "") -> None:
    """Validate and write ``config``; store ``password`` if one was typed."""
    config.validate()
    save_config(config, paths.config_file)
    if password:
        set_secret(paths, MQTT_PASSWORD_SECRET, password)


__all__ = ["save_settings"]
