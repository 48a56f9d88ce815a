"""One error shape for every refusal — ``{"error": code, "message": sentence}`` — and no
traceback ever: a database that is away is 503 with ``Retry-After``, anything unforeseen is
500 with a generic sentence (details go to the log, redacted)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk_central.engine import DatabaseError

log = logging.getLogger("kiosk_central.api")


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message
        self.headers = headers or {}


def body(status: int, error: str, message: str, headers: dict[str, str] | None = None,
         ) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=status,
                        headers=headers)


def database_down(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError | InterfaceError | DisconnectionError
                      | DatabaseError) or (isinstance(exc, DBAPIError)
                                           and bool(exc.connection_invalidated))


def unavailable(retry_after: int) -> JSONResponse:
    return body(503, "database-unavailable", "central's database is not reachable right now; "
                "nothing was changed, try again shortly", {"Retry-After": str(retry_after)})


def _validation_message(exc: RequestValidationError) -> tuple[str, str]:
    errs: list[Any] = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errs):
        e = next(e for e in errs if e.get("type") == "json_invalid")
        why = e.get("ctx", {}).get("error") or e.get("msg")
        return "malformed-json", f"the body is not valid JSON ({why})"
    parts = []
    for e in errs[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "body"
        parts.append(f"{loc}: {e.get('msg')}")
    more = f" (and {len(errs) - 5} more)" if len(errs) > 5 else ""
    return "invalid-request", "; ".join(parts) + more


def install(app: FastAPI, retry_after: int) -> None:
    @app.exception_handler(ApiError)
    async def _api(_r: Request, exc: ApiError) -> JSONResponse:
        _r.scope.setdefault("state", {})["error"] = exc.error
        return body(exc.status, exc.error, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_r: Request, exc: RequestValidationError) -> JSONResponse:
        code, msg = _validation_message(exc)
        _r.scope.setdefault("state", {})["error"] = code
        return body(400 if code == "malformed-json" else 422, code, msg)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        msg = ("no such endpoint (see docs/openapi.json)" if exc.status_code == 404
               else str(exc.detail))
        return body(exc.status_code, code, msg)

    @app.exception_handler(SQLAlchemyError)
    async def _db(_r: Request, exc: SQLAlchemyError) -> JSONResponse:
        if database_down(exc):
            log.warning("database unavailable: %s", exc.__class__.__name__)
            _r.scope.setdefault("state", {})["error"] = "database-unavailable"
            return unavailable(retry_after)
        if isinstance(exc, IntegrityError):
            return body(409, "conflict", "another change was made at the same moment; "
                        "nothing was changed, read the current state and try again")
        raise exc

    @app.exception_handler(DatabaseError)
    async def _dbopen(_r: Request, exc: DatabaseError) -> JSONResponse:
        return unavailable(retry_after)
