"""Station secrets (the MQTT password), kept out of the settings file and out of logs.

Looked up in order: the ``KIOSK_MQTT_PASSWORD`` environment variable (services, tests), then
the station's key store (:mod:`kiosk.keystore`: Windows DPAPI at machine scope, the system key
store, or an owner-only key file where neither exists). A password left in the old plain file
of ``secrets/`` by an earlier version is moved into the key store the first time it is read.
"""

from __future__ import annotations

import logging
import os

from kiosk import keystore
from kiosk.paths import DataPaths

log = logging.getLogger(__name__)

ENV_MQTT_PASSWORD = "KIOSK_MQTT_PASSWORD"
#: Name of the broker password in the key store (written by ``kiosk provision``).
MQTT_PASSWORD_SECRET = "mqtt-password"


def _store(paths: DataPaths) -> keystore.KeyStore:
    return keystore.choose(paths.secrets)


def get_secret(paths: DataPaths, name: str) -> str | None:
    store = _store(paths)
    value = store.load(name)
    if value is None and store.kind is not keystore.StoreKind.FILE:
        legacy = keystore.FileKeyStore(paths.secrets)
        value = legacy.load(name)
        if value is not None:  # written in clear by an earlier version: move it
            store.save(name, value)
            legacy.delete(name)
            log.info("secret %s moved into %s", name, store.describe())
    return value.decode("utf-8").strip() or None if value is not None else None


def set_secret(paths: DataPaths, name: str, value: str) -> str:
    """Store ``value``; returns where it went, in words, for the operator's report."""
    store = _store(paths)
    store.save(name, value.encode("utf-8"))
    return store.describe()


def delete_secret(paths: DataPaths, name: str) -> None:
    _store(paths).delete(name)


def secret_store_description(paths: DataPaths) -> str:
    """Where this station keeps its secrets: the only sentence any screen uses about it."""
    return _store(paths).describe()


def mqtt_password(paths: DataPaths) -> str | None:
    return os.environ.get(ENV_MQTT_PASSWORD) or get_secret(paths, MQTT_PASSWORD_SECRET)
