"""Bearer tokens with scopes: 401 without a valid token, 403 without the scope a call needs.
The token's record is read on every call, so a revocation takes effect at the next one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kiosk_central import tokens
from kiosk_central.api.context import ApiContext
from kiosk_central.api.errors import ApiError

bearer = HTTPBearer(auto_error=False, description="an fpk_… token from "
                    "`kiosk-central token create`")


def ctx(request: Request) -> ApiContext:
    c: ApiContext = request.app.state.ctx
    return c


def require(scope: str) -> Callable[..., tokens.TokenInfo]:
    def check(request: Request,
              cred: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
              ) -> tokens.TokenInfo:
        if cred is None:
            raise ApiError(401, "missing-token", "this call needs an API token: send "
                           "'Authorization: Bearer fpk_…'", {"WWW-Authenticate": "Bearer"})
        c = ctx(request)
        v = tokens.verify(c.db, cred.credentials, c.clock(), engine=c.reader)
        if v.info is None:
            raise ApiError(401, v.code, f"{v.problem}; ask for a new one",
                           {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        request.state.token = v.info
        if scope not in v.info.scopes:
            raise ApiError(403, "wrong-scope", f"this call needs the scope {scope}; the token "
                           f"has {', '.join(v.info.scopes)}")
        return v.info

    return check
