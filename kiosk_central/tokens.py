"""API tokens: scoped, expiring, revocable; only a hash is stored.

A token reads ``fpk_<id>_<secret>``: ``id`` (12 hex) finds the row, ``secret`` is 32 random
bytes (url-safe base64). The database holds SHA-256 of the whole token — a secret of 256 random
bits needs no slow hash, and a copy of the database gives nobody a usable token. The token is
shown once, when it is created (``kiosk-central token create``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from kiosk_central import audit_log
from kiosk_central.clock import aware, now
from kiosk_central.db import CentralDB
from kiosk_central.schema import api_tokens

SCOPES = ("read:status", "write:roster", "write:deletion", "read:audit")
PREFIX = "fpk_"


class TokenError(Exception):
    """Bad input to a token command (unknown scope, unknown token)."""


@dataclass(frozen=True)
class TokenInfo:
    id: str
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "scopes": list(self.scopes),
                "created_at": self.created_at, "expires_at": self.expires_at,
                "revoked_at": self.revoked_at}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(db: CentralDB, name: str, scopes: list[str], *, expires_in: timedelta | None = None,
           actor: str = "central") -> tuple[str, TokenInfo]:
    """A new token (returned once, never stored) and its record."""
    bad = sorted(set(scopes) - set(SCOPES))
    if bad or not scopes:
        raise TokenError(f"unknown scope(s) {bad}; choose from {', '.join(SCOPES)}" if bad
                         else f"give at least one scope ({', '.join(SCOPES)})")
    if not name.strip() or len(name) > 100:
        raise TokenError("a token needs a name of 1 to 100 characters (who uses it)")
    tid = secrets.token_hex(6)
    token = f"{PREFIX}{tid}_{secrets.token_urlsafe(32)}"
    created = now()
    expires = created + expires_in if expires_in is not None else None
    scopes = sorted(set(scopes))
    with db.engine.begin() as conn:
        conn.execute(insert(api_tokens).values(
            id=tid, name=name, token_hash=_hash(token), scopes=scopes, created_at=created,
            expires_at=expires))
        audit_log.append(conn, actor, "api-token-created", tid,
                         after={"name": name, "scopes": scopes,
                                "expires_at": None if expires is None else expires.isoformat()})
    return token, TokenInfo(tid, name, tuple(scopes), created, expires, None)


def revoke(db: CentralDB, token_id: str, *, actor: str = "central") -> None:
    with db.engine.begin() as conn:
        res = conn.execute(update(api_tokens).where(api_tokens.c.id == token_id,
                                                    api_tokens.c.revoked_at.is_(None))
                           .values(revoked_at=now()))
        if not res.rowcount:
            known = conn.execute(select(api_tokens.c.id).where(api_tokens.c.id == token_id)
                                 ).scalar()
            raise TokenError(f"token {token_id} is already revoked" if known else
                             f"no token {token_id} (kiosk-central token list)")
        audit_log.append(conn, actor, "api-token-revoked", token_id)


def listing(db: CentralDB) -> list[TokenInfo]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(api_tokens).order_by(api_tokens.c.created_at)).all()
    return [TokenInfo(r.id, r.name, tuple(r.scopes), r.created_at, r.expires_at, r.revoked_at)
            for r in rows]


@dataclass(frozen=True)
class Verified:
    """The outcome of checking a presented token: ``info`` when it is valid, else a refusal
    (``problem`` says why, without saying whether the id exists)."""

    info: TokenInfo | None
    problem: str = ""
    #: invalid-token | revoked-token | expired-token
    code: str = ""


def verify(db: CentralDB, presented: str, at: datetime | None = None, *,
           engine: Engine | None = None) -> Verified:
    """Check a presented token (through ``engine`` when given: the API's read engine)."""
    parts = presented[len(PREFIX):].split("_", 1)  # the secret may hold "_" itself
    if not presented.startswith(PREFIX) or len(parts) != 2 or len(parts[0]) != 12:
        return Verified(None, "the token is not an fpk_ API token", "invalid-token")
    with (engine or db.engine).connect() as conn:
        r = conn.execute(select(api_tokens).where(api_tokens.c.id == parts[0])).first()
    if r is None or not hmac.compare_digest(r.token_hash, _hash(presented)):
        return Verified(None, "the token is not valid", "invalid-token")
    if r.revoked_at is not None:
        return Verified(None, "the token was revoked", "revoked-token")
    when = at or now()
    if r.expires_at is not None and aware(r.expires_at) <= when:
        return Verified(None, "the token has expired", "expired-token")
    return Verified(TokenInfo(r.id, r.name, tuple(r.scopes), r.created_at, r.expires_at, None))
