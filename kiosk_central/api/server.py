"""Running the API: uvicorn on the configured address, with TLS when a certificate is given,
one or several worker processes (each with its own database pool, audit writer and webhook
dispatcher; the subscriber leases keep webhook order across them)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict
from typing import Any

import uvicorn

from kiosk_central.api.app import ENV_CONFIG, create_app
from kiosk_central.api.context import ApiConfig
from kiosk_contract.mqtt import BrokerEndpoint, ClientSettings

log = logging.getLogger("kiosk_central.api")


def config_to_json(cfg: ApiConfig, password_env: str | None) -> dict[str, Any]:
    d = asdict(cfg)
    if cfg.broker is not None:
        b = dict(d["broker"])
        b["password"] = None  # never in the environment; re-read from password_env
        b["password_env"] = password_env
        d["broker"] = b
    return d


def config_from_json(d: dict[str, Any]) -> ApiConfig:
    b = d.pop("broker", None)
    broker = None
    if b is not None:
        env = b.pop("password_env", None)
        b["endpoint"] = BrokerEndpoint(**b["endpoint"])
        b["password"] = os.environ.get(env) if env else None
        broker = ClientSettings(**b)
    return ApiConfig(broker=broker, **d)


def serve(cfg: ApiConfig, *, host: str, port: int, workers: int = 1,
          tls_cert: str | None = None, tls_key: str | None = None,
          password_env: str | None = None, log_level: str = "info") -> None:
    ssl: dict[str, Any] = {"ssl_certfile": tls_cert, "ssl_keyfile": tls_key} if tls_cert \
        else {}
    common: dict[str, Any] = {"host": host, "port": port, "log_level": log_level,
                              "access_log": False, "server_header": False,
                              "proxy_headers": False, **ssl}
    if workers == 1:
        uvicorn.run(create_app(cfg), **common)
        return
    os.environ[ENV_CONFIG] = json.dumps(config_to_json(cfg, password_env))
    uvicorn.run("kiosk_central.api.app:app_from_env", factory=True, workers=workers, **common)
