"""The API on real parts for central's tests: a real uvicorn server on a loopback port (in a
thread of the test process, or as ``kiosk-central api`` processes), real httpx clients, tokens
made by the product's own token code, and a real HTTP webhook receiver that checks every
signature the way a web application would (stdlib only, as documented in
docs/integration.md). Every wait is a condition with a deadline."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import uvicorn

from kiosk_central import tokens
from kiosk_central.api.app import create_app
from kiosk_central.api.context import ApiConfig, ApiContext
from kiosk_central.clock import now
from kiosk_central.db import CentralDB
from kiosk_contract.mqtt import ClientSettings, parse_broker_url
from tests.fixtures.broker import MosquittoBroker, free_port, wait_until

ALL_SCOPES = list(tokens.SCOPES)


@dataclass
class ApiServer:
    """``kiosk_central.api`` served by uvicorn on 127.0.0.1:<port> in a thread."""

    cfg: ApiConfig
    clock: Callable[[], datetime] = now
    port: int = field(default_factory=free_port)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    ctx: ApiContext | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ApiServer:
        app = create_app(self.cfg, clock=self.clock)
        self.ctx = app.state.ctx
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="uvicorn")
        self.thread.start()
        wait_until(lambda: self.server is not None and self.server.started, 20,
                   what="uvicorn started")
        return self

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(20)

    def client(self, token: str | None = None, **kw: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kw)


def make_token(db_url: str, *scopes: str, name: str = "web-app", **kw: Any) -> str:
    token, _ = tokens.create(CentralDB(db_url), name, list(scopes) or ALL_SCOPES, **kw)
    return token


def broker_settings(broker: MosquittoBroker, client_id: str = "fpk-central-api-test"
                    ) -> ClientSettings:
    return ClientSettings(endpoint=parse_broker_url(broker.url), client_id=client_id,
                          username="central", password=broker.password("central"),
                          keepalive_s=5, session_expiry_s=0)


@pytest.fixture
def api_factory() -> Iterator[Callable[..., ApiServer]]:
    made: list[ApiServer] = []

    def make(db_url: str, *, clock: Callable[[], datetime] = now, **kw: Any) -> ApiServer:
        kw.setdefault("webhooks", False)
        srv = ApiServer(ApiConfig(db_url=db_url, **kw), clock).start()
        made.append(srv)
        return srv

    yield make
    for s in made:
        s.stop()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    valid: bool
    arrived: datetime = field(default_factory=now)

    @property
    def event(self) -> dict[str, Any]:
        obj: dict[str, Any] = json.loads(self.body)
        return obj


class Receiver:
    """A web application's webhook endpoint: checks the HMAC over timestamp and raw body with
    ``hmac.compare_digest``, keeps the idempotency keys it has seen, answers 204 — or, while
    ``up`` is False, 503 (or the port is closed entirely with :meth:`close`)."""

    def __init__(self, secret: str = "s" * 32) -> None:
        self.secret = secret
        self.up = True
        self.got: list[Received] = []
        #: every POST that reached the port, refused ones included
        self.posts = 0
        self.keys: set[str] = set()
        self.lock = threading.Lock()
        self.port = free_port()
        self._server: ThreadingHTTPServer | None = None
        self.open()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/fpk"

    def open(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ts = self.headers.get("X-FPK-Timestamp", "")
                mac = hmac.new(outer.secret.encode(), ts.encode() + b"." + raw,
                               hashlib.sha256).hexdigest()
                valid = hmac.compare_digest(mac, self.headers.get("X-FPK-Signature", ""))
                with outer.lock:
                    outer.posts += 1
                    if not outer.up:
                        self.send_response(503)
                        self.end_headers()
                        return
                    outer.got.append(Received(dict(self.headers), raw, valid))
                    if valid:
                        outer.keys.add(self.headers.get("Idempotency-Key", ""))
                self.send_response(204 if valid else 400)
                self.end_headers()

            def log_message(self, *_a: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def events(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r.event for r in self.got if r.valid]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()
