"""The FastAPI application: routes, error shapes, the body limit, the audit of every call,
and (unless turned off) the webhook dispatcher of this process."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI

from kiosk_central.api import errors, routes_read, routes_write
from kiosk_central.api.context import ApiConfig, ApiContext
from kiosk_central.api.middleware import Audited, BodyLimit
from kiosk_central.clock import now
from kiosk_central.webhooks import Dispatcher

log = logging.getLogger("kiosk_central.api")
VERSION = "1.0.0"
DESCRIPTION = (
    "Central's HTTP API for the web application: enrollment status per person and finger "
    "(paged, and incrementally with since=), roster push (whole, delta, groups), deletion and "
    "consent-withdrawal requests with their receipts per place, subject reports, the station "
    "list and enrollment figures. Every call needs a scoped bearer token and is recorded in "
    "central's audit log. Template bytes are never part of any answer. Errors are "
    '{"error": code, "message": sentence}.')


def create_app(cfg: ApiConfig, *, clock: Callable[[], datetime] = now,
               context: ApiContext | None = None) -> FastAPI:
    cx = context or ApiContext.open(cfg, clock)
    dispatcher = Dispatcher(cx.db, clock=clock) if cfg.webhooks else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if dispatcher is not None:
            dispatcher.start(cfg.webhook_poll_s)
        try:
            yield
        finally:
            if dispatcher is not None:
                dispatcher.stop()
            cx.close()

    app = FastAPI(title="Fingerprint kiosk central API", version=VERSION,
                  description=DESCRIPTION, docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.ctx = cx
    errors.install(app, cfg.retry_after_s)
    app.include_router(routes_read.router)
    app.include_router(routes_write.router)
    # Outermost first: the audit sees every answer, including the body limit's 413.
    app.add_middleware(BodyLimit, limit=cfg.max_body)
    app.add_middleware(Audited, writer=cx.audit, retry_after=cfg.retry_after_s)
    return app


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of these routes (``docs/openapi.json``), built without a
    database."""
    from fastapi.openapi.utils import get_openapi

    app = FastAPI(title="Fingerprint kiosk central API", version=VERSION)
    app.include_router(routes_read.router)
    app.include_router(routes_write.router)
    return get_openapi(title=app.title, version=VERSION, description=DESCRIPTION,
                       routes=app.routes)


ENV_CONFIG = "KIOSK_CENTRAL_API_CONFIG"


def app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call (``--workers N``): the settings come in
    an environment variable as JSON (no secrets: the broker password is read from its file
    or variable again here)."""
    from kiosk_central.api.server import config_from_json

    return create_app(config_from_json(json.loads(os.environ[ENV_CONFIG])))
