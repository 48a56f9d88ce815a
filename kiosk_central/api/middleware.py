"""ASGI middleware: the body limit, and the audit entry of every call.

The audit middleware holds the response back until the call's entry is committed in central's
audit log (who: the token's name, which token, what: method, path and subject, result: status
and error code). If the entry cannot be written the client gets 503, not the response — a
read that is not in the log is not answered. (A change that was committed is answered: its
own entry, written in the change's transaction, is in the log already.) An exception that
escaped a route becomes a 500 with a generic message here, so no traceback reaches a client.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import anyio

from kiosk_central.api.audit_writer import AuditUnavailable, AuditWriter
from kiosk_central.api.errors import database_down

log = logging.getLogger("kiosk_central.api")
Scope = dict[str, Any]
Message = dict[str, Any]
#: Calls that read nothing about anyone and are not audited (load-balancer probes).
UNAUDITED = ("/v1/health",)


def _json(status: int, error: str, message: str,
          headers: list[tuple[bytes, bytes]] | None = None) -> list[Message]:
    payload = json.dumps({"error": error, "message": message}).encode()
    return [{"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
        *(headers or [])]}, {"type": "http.response.body", "body": payload}]


class BodyLimit:
    """Refuse a body over ``limit`` bytes (413) before the route parses any of it."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        chunks, size = [], 0
        while True:
            msg = await receive()
            if msg["type"] != "http.request":
                break
            size += len(msg.get("body", b""))
            if size > self.limit:
                await self._refuse(scope, send)
                return
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        data = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                nxt: Message = await receive()
                return nxt
            sent = True
            return {"type": "http.request", "body": data, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Any) -> None:
        scope.setdefault("state", {})["error"] = "body-too-large"
        for m in _json(413, "body-too-large", f"the request body is over the limit of "
                       f"{self.limit} bytes; send the roster in several deltas"):
            await send(m)


class Audited:
    def __init__(self, app: Any, writer: AuditWriter, retry_after: int) -> None:
        self.app, self.writer, self.retry_after = app, writer, retry_after

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] in UNAUDITED:
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold(msg: Message) -> None:
            held.append(msg)

        state = scope.setdefault("state", {})
        try:
            await self.app(scope, receive, hold)
        except Exception as exc:
            down = database_down(exc)
            log.error("API call %s %s failed: %s", scope["method"], scope["path"],
                      exc.__class__.__name__)
            log.debug("API call failed", exc_info=True)
            state["error"] = "database-unavailable" if down else "internal"
            held = (_json(503, "database-unavailable", "central's database is not reachable "
                          "right now; try again shortly",
                          [(b"retry-after", str(self.retry_after).encode())]) if down else
                    _json(500, "internal", "central could not answer this call; it is in "
                          "central's log"))
        status = next((m["status"] for m in held if m["type"] == "http.response.start"), 500)
        token = state.get("token")
        entry = {
            "token": None if token is None else token.id,
            "method": scope["method"], "path": scope["path"],
            "query": scope.get("query_string", b"").decode("latin-1")[:200] or None,
            "status": status, "result": state.get("error") or ("ok" if status < 400 else
                                                               "refused"),
        }
        actor = f"api:{token.name}" if token is not None else "api:anonymous"
        try:
            await anyio.to_thread.run_sync(self.writer.record, actor, "api-call",
                                           str(state.get("subject") or scope["path"])[:200],
                                           entry)
        except AuditUnavailable as exc:
            if status < 400 and scope["method"] not in ("GET", "HEAD"):
                # The change is committed, and its own entry with it (same transaction):
                # answering 503 now would make the client repeat a change that was made.
                log.error("call %s %s: its api-call entry could not be written (%s); the "
                          "change's own entry is in the log", scope["method"], scope["path"],
                          exc)
            elif status != 503:
                log.error("call %s %s answered 503: its audit entry could not be written "
                          "(%s)", scope["method"], scope["path"], exc)
                held = _json(503, "audit-unavailable", "the call could not be recorded in "
                             "central's audit log; try again shortly",
                             [(b"retry-after", str(self.retry_after).encode())])
        for m in held:
            await send(m)
