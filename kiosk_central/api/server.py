"""Running the API: uvicorn on the configured address, with TLS when a certificate is given,
one or several worker processes (each with its own database pool, audit writer and webhook
dispatcher; the subscriber leases keep webhook order across them)."""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import asdict
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from kiosk_central.api.app import ENV_CONFIG, create_app
from kiosk_central.api.context import ApiConfig
from kiosk_contract.mqtt import BrokerEndpoint, ClientSettings

log = logging.getLogger("kiosk_central.api")


class NoDelayH11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with Nagle's algorithm off on every connection. A worker
    process gets the listening socket passed from uvicorn's supervisor without the TCP
    protocol number, so asyncio does not set TCP_NODELAY there, and each small response then
    waits about 40 ms for the client's delayed ACK (measured: 1 ms with one process, 44 ms
    with two)."""

    def connection_made(self, transport: Any) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def config_to_json(cfg: ApiConfig, password_file: str | None,
                   password_env: str = "KIOSK_CENTRAL_PASSWORD") -> dict[str, Any]:
    """The settings for uvicorn's worker processes, without the broker password (each
    worker reads it again from its file or variable)."""
    d = asdict(cfg)
    if cfg.broker is not None:
        b = dict(d["broker"])
        b["password"] = None
        b["password_file"], b["password_env"] = password_file, password_env
        d["broker"] = b
    return d


def config_from_json(d: dict[str, Any]) -> ApiConfig:
    b = d.pop("broker", None)
    broker = None
    if b is not None:
        pw_file, pw_env = b.pop("password_file", None), b.pop("password_env", None)
        b["endpoint"] = BrokerEndpoint(**b["endpoint"])
        b["password"] = (Path(pw_file).read_text(encoding="utf-8").strip() if pw_file
                         else os.environ.get(pw_env) if pw_env else None)
        broker = ClientSettings(**b)
    return ApiConfig(broker=broker, **d)


def serve(cfg: ApiConfig, *, host: str, port: int, workers: int = 1,
          tls_cert: str | None = None, tls_key: str | None = None,
          password_file: str | None = None, log_level: str = "info") -> None:
    ssl: dict[str, Any] = {"ssl_certfile": tls_cert, "ssl_keyfile": tls_key} if tls_cert \
        else {}
    common: dict[str, Any] = {"host": host, "port": port, "log_level": log_level,
                              "access_log": False, "server_header": False,
                              "proxy_headers": False,
                              "http": "kiosk_central.api.server:NoDelayH11", **ssl}
    if workers == 1:
        uvicorn.run(create_app(cfg), **common)
        return
    os.environ[ENV_CONFIG] = json.dumps(config_to_json(cfg, password_file))
    uvicorn.run("kiosk_central.api.app:app_from_env", factory=True, workers=workers, **common)
