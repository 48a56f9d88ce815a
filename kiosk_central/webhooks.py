"""Webhooks: central POSTs each enrollment event, signed, to the URLs that subscribed.

Delivery, per subscriber:

* **Signed.** ``X-FPK-Signature`` is the hex HMAC-SHA256, under the subscriber's secret, of
  ``X-FPK-Timestamp`` (Unix seconds), a ``.``, and the raw body; ``Idempotency-Key`` (also the
  body's ``id``) is the event's id, the same on every retry, so a receiver stores it and
  ignores a second delivery. ``docs/integration.md`` has a Django receiver.
* **In order.** The subscriber's cursor names the last event it accepted; the next one is
  sent only after that (at least once: a receiver that took an event but answered too late
  gets it again).
* **Retried with back-off** (1 s, doubling, at most 5 min between tries) while the receiver
  fails, for up to 24 h per event; then the event goes to the subscriber's **dead-letter
  list** and delivery goes on with the next. ``kiosk-central webhook replay`` sends dead
  letters again, before any newer event.
* **Several API processes** may run a dispatcher each: a lease in the subscriber's row lets
  one of them at a time deliver to a subscriber, which is what keeps the order.

The clock is a parameter, so tests run an hour of outage in a moment; the dispatcher thread
(:meth:`Dispatcher.start`) polls the event feed every ``poll_s``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import uuid as uuidlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from kiosk_central import audit_log, events
from kiosk_central.clock import aware, now
from kiosk_central.db import CentralDB
from kiosk_central.schema import webhook_dead_letters, webhook_subscribers

log = logging.getLogger(__name__)
SIGNATURE, TIMESTAMP, IDEMPOTENCY, EVENT = (
    "X-FPK-Signature", "X-FPK-Timestamp", "Idempotency-Key", "X-FPK-Event")


class WebhookError(Exception):
    """Bad input to a webhook command; the message says what to change."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body,
                    hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class RetryPolicy:
    first_s: float = 1.0
    factor: float = 2.0
    max_s: float = 300.0
    give_up_after_s: float = 24 * 3600.0
    timeout_s: float = 10.0

    def delay(self, attempts: int) -> float:
        return float(min(self.max_s, self.first_s * self.factor ** max(0, attempts - 1)))


# -- subscribers -----------------------------------------------------------------------------
def add(db: CentralDB, url: str, *, kinds: Sequence[str] = events.WEBHOOK_DEFAULT,
        secret: str | None = None, from_start: bool = False, actor: str = "central",
        ) -> tuple[str, str]:
    """A new subscriber; returns ``(id, secret)``. It gets events from now on (or every
    event central holds with ``from_start``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(f"{url!r} is not an http(s) URL")
    bad = sorted(set(kinds) - set(events.KINDS))
    if bad or not kinds:
        raise WebhookError(f"unknown event kind(s) {bad}; choose from {', '.join(events.KINDS)}")
    if secret is not None and len(secret) < 16:
        raise WebhookError("a webhook secret needs at least 16 characters")
    sid, secret = secrets.token_hex(4), secret or secrets.token_urlsafe(32)
    with db.engine.begin() as conn:
        cursor = 0 if from_start else events.head(conn)
        conn.execute(insert(webhook_subscribers).values(
            id=sid, url=url, secret=secret, kinds=sorted(set(kinds)), created_at=now(),
            active=True, cursor=cursor, delivered=0, attempts=0, last_error=""))
        audit_log.append(conn, actor, "webhook-added", sid, after={"url": url,
                                                                   "kinds": sorted(kinds)})
    return sid, secret


def remove(db: CentralDB, sid: str, *, actor: str = "central") -> None:
    with db.engine.begin() as conn:
        res = conn.execute(update(webhook_subscribers).where(webhook_subscribers.c.id == sid)
                           .values(active=False))
        if not res.rowcount:
            raise WebhookError(f"no webhook {sid} (kiosk-central webhook list)")
        audit_log.append(conn, actor, "webhook-removed", sid)


def listing(db: CentralDB) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        head = events.head(conn)
        rows = conn.execute(select(webhook_subscribers).order_by(
            webhook_subscribers.c.created_at)).mappings().all()
        dead_n = {str(k): int(v) for k, v in conn.execute(
            select(webhook_dead_letters.c.subscriber, func.count()).where(
                webhook_dead_letters.c.replayed_at.is_(None)).group_by(
                webhook_dead_letters.c.subscriber))}
    return [{"id": r["id"], "url": r["url"], "kinds": list(r["kinds"]), "active": r["active"],
             "cursor": r["cursor"], "behind": max(0, head - r["cursor"]),
             "delivered": r["delivered"], "failing_since": r["failing_since"],
             "attempts": r["attempts"], "last_error": r["last_error"] or None,
             "dead_letters": dead_n.get(r["id"], 0)} for r in rows]


def dead_letters(db: CentralDB, sid: str) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(webhook_dead_letters).where(
            webhook_dead_letters.c.subscriber == sid, webhook_dead_letters.c.replayed_at.is_(
                None)).order_by(webhook_dead_letters.c.seq)).mappings().all()
    return [{"seq": r["seq"], "attempts": r["attempts"], "last_error": r["last_error"],
             "dead_at": r["dead_at"], "replay_requested": bool(r["replay"])} for r in rows]


def replay(db: CentralDB, sid: str, *, actor: str = "central") -> int:
    """Queue every dead letter of ``sid`` for delivery again (before newer events)."""
    with db.engine.begin() as conn:
        if conn.execute(select(webhook_subscribers.c.id).where(
                webhook_subscribers.c.id == sid)).first() is None:
            raise WebhookError(f"no webhook {sid} (kiosk-central webhook list)")
        res = conn.execute(update(webhook_dead_letters).where(
            webhook_dead_letters.c.subscriber == sid,
            webhook_dead_letters.c.replayed_at.is_(None)).values(replay=True))
        # Try at once, not after the back-off of the last failure.
        conn.execute(update(webhook_subscribers).where(webhook_subscribers.c.id == sid)
                     .values(next_attempt_at=None))
        audit_log.append(conn, actor, "webhook-replay", sid, after={"events": res.rowcount})
    return int(res.rowcount or 0)


# -- delivery --------------------------------------------------------------------------------
class Dispatcher:
    """Delivers events to every active subscriber. :meth:`tick` does one round (tests call
    it with their own clock); :meth:`start` runs rounds on a thread."""

    def __init__(self, db: CentralDB, *, clock: Callable[[], datetime] = now,
                 policy: RetryPolicy | None = None, owner: str | None = None,
                 client: httpx.Client | None = None, batch: int = 100,
                 lease_s: float = 30.0) -> None:
        self.db, self.clock = db, clock
        self.policy = policy or RetryPolicy()
        self.owner = owner or f"dispatcher-{uuidlib.uuid4().hex[:12]}"
        self.client = client or httpx.Client(timeout=self.policy.timeout_s)
        self.batch, self.lease_s = batch, lease_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.delivered = 0

    # -- thread ------------------------------------------------------------------------------
    def start(self, poll_s: float = 0.5) -> Dispatcher:
        self._thread = threading.Thread(target=self._run, args=(poll_s,), daemon=True,
                                        name="webhook-dispatcher")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.policy.timeout_s + 5)
        self.client.close()

    def _run(self, poll_s: float) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except SQLAlchemyError as exc:  # the database is away: try again next round
                log.warning("webhook dispatcher: database error %s", exc.__class__.__name__)
            except Exception as exc:  # the thread must outlive anything one round provokes
                log.error("webhook dispatcher error: %s: %s", exc.__class__.__name__,
                          str(exc)[:300])
            self._stop.wait(poll_s)

    # -- one round -----------------------------------------------------------------------------
    def tick(self) -> int:
        """Deliver what is due to every subscriber this dispatcher holds the lease of;
        returns the number of events delivered."""
        with self.db.engine.connect() as conn:
            subs = [r[0] for r in conn.execute(select(webhook_subscribers.c.id).where(
                webhook_subscribers.c.active.is_(True)))]
        n = 0
        for sid in subs:
            if self._lease(sid):
                n += self._deliver(sid)
        self.delivered += n
        return n

    def _lease(self, sid: str) -> bool:
        t = self.clock()
        s = webhook_subscribers.c
        with self.db.engine.begin() as conn:
            res = conn.execute(update(webhook_subscribers).where(
                s.id == sid, (s.lease_owner.is_(None)) | (s.lease_owner == self.owner)
                | (s.lease_until < t)).values(lease_owner=self.owner,
                                               lease_until=t + timedelta(seconds=self.lease_s)))
        return bool(res.rowcount)

    def _deliver(self, sid: str) -> int:
        with self.db.engine.connect() as conn:
            sub = conn.execute(select(webhook_subscribers).where(
                webhook_subscribers.c.id == sid)).mappings().first()
            if sub is None:
                return 0
            due = sub["next_attempt_at"]
            if due is not None and self.clock() < aware(due):
                return 0
            replays = [r[0] for r in conn.execute(select(webhook_dead_letters.c.seq).where(
                webhook_dead_letters.c.subscriber == sid, webhook_dead_letters.c.replay.is_(
                    True), webhook_dead_letters.c.replayed_at.is_(None)).order_by(
                webhook_dead_letters.c.seq))]
            queued = events.by_seq(conn, replays) if replays else []
            fresh = events.after(conn, int(sub["cursor"]), self.batch, list(sub["kinds"]))
        n = 0
        failing_since = sub["failing_since"]
        attempts = int(sub["attempts"])
        for ev, replayed in [(e, True) for e in queued] + [(e, False) for e in fresh]:
            error = self._post(sub["url"], sub["secret"], ev)
            with self.db.engine.begin() as conn:
                if error is None:
                    self._settled(conn, sid, ev, replayed)
                    attempts, failing_since = 0, None
                    n += 1
                    continue
                t = self.clock()
                failing_since = aware(failing_since) if failing_since is not None else t
                attempts += 1
                if not replayed and (t - failing_since).total_seconds() \
                        >= self.policy.give_up_after_s:
                    self._dead(conn, sid, ev, attempts, error, t)
                    attempts, failing_since = 0, None
                    continue
                self._owned(conn, sid, attempts=attempts, failing_since=failing_since,
                            last_error=error[:300], next_attempt_at=t + timedelta(
                                seconds=self.policy.delay(attempts)))
                log.info("webhook %s: event %d not accepted (%s); attempt %d, next in %.0f s",
                         sid, ev.seq, error, attempts, self.policy.delay(attempts))
                return n
        return n

    def _post(self, url: str, secret: str, ev: events.Event) -> str | None:
        body = json.dumps(ev.to_json(), separators=(",", ":"), sort_keys=True).encode()
        ts = int(self.clock().timestamp())
        headers = {"Content-Type": "application/json", EVENT: ev.kind, IDEMPOTENCY: ev.id,
                   TIMESTAMP: str(ts), SIGNATURE: sign(secret, ts, body)}
        try:
            r = self.client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return f"{exc.__class__.__name__}: {str(exc)[:200]}"
        return None if 200 <= r.status_code < 300 else f"HTTP {r.status_code}"

    def _owned(self, conn: Connection, sid: str, **values: Any) -> None:
        conn.execute(update(webhook_subscribers).where(
            webhook_subscribers.c.id == sid, webhook_subscribers.c.lease_owner == self.owner)
            .values(**values))

    def _settled(self, conn: Connection, sid: str, ev: events.Event, replayed: bool) -> None:
        s = webhook_subscribers.c
        if replayed:
            conn.execute(update(webhook_dead_letters).where(
                webhook_dead_letters.c.subscriber == sid, webhook_dead_letters.c.seq == ev.seq)
                .values(replay=False, replayed_at=self.clock()))
            self._owned(conn, sid, attempts=0, failing_since=None, next_attempt_at=None,
                        delivered=s.delivered + 1, last_error="")
        else:
            self._owned(conn, sid, cursor=ev.seq, attempts=0, failing_since=None,
                        next_attempt_at=None, delivered=s.delivered + 1, last_error="")

    def _dead(self, conn: Connection, sid: str, ev: events.Event, attempts: int, error: str,
              t: datetime) -> None:
        conn.execute(insert(webhook_dead_letters).values(
            subscriber=sid, seq=ev.seq, attempts=attempts, last_error=error[:300], dead_at=t,
            replay=False))
        self._owned(conn, sid, cursor=ev.seq, attempts=0, failing_since=None,
                    next_attempt_at=None, last_error=error[:300])
        audit_log.append(conn, "webhooks", "webhook-dead-letter", sid,
                         after={"seq": ev.seq, "event": ev.id, "attempts": attempts,
                                "error": error[:200]})
        log.warning("webhook %s: event %d moved to the dead-letter list after %d attempts",
                    sid, ev.seq, attempts)
