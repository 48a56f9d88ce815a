"""Every API call into central's audit log, committed before the response leaves.

Appending to the hash chain takes central's one sequencing lock, so one commit per call would
make concurrent callers queue for it. The writer thread commits whatever calls are waiting in
one transaction (group commit) and only then releases them: under load a commit carries many
entries, and each call still waits for its own entry to be durable.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from kiosk_central import audit_log
from kiosk_central.db import CentralDB

log = logging.getLogger(__name__)
MAX_GROUP = 500


class AuditUnavailable(Exception):
    """The entry could not be committed (the database is away)."""


@dataclass
class _Pending:
    actor: str
    action: str
    subject: str
    after: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None


class AuditWriter:
    def __init__(self, db: CentralDB) -> None:
        self.db = db
        self._q: queue.Queue[_Pending | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="api-audit", daemon=True)
        self._thread.start()
        self.commits = 0
        self.entries = 0

    def record(self, actor: str, action: str, subject: str, after: dict[str, Any],
               timeout: float = 30.0) -> None:
        """Block until the entry is committed; :class:`AuditUnavailable` if it cannot be."""
        p = _Pending(actor, action, subject, after)
        self._q.put(p)
        if not p.done.wait(timeout):
            raise AuditUnavailable("the audit log did not answer in time")
        if p.error is not None:
            raise AuditUnavailable(p.error)

    def close(self) -> None:
        self._q.put(None)
        self._thread.join(10)

    def _run(self) -> None:
        while True:
            first = self._q.get()
            if first is None:
                return
            group = [first]
            stop = False
            while len(group) < MAX_GROUP:
                try:
                    nxt = self._q.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                group.append(nxt)
            self._commit(group)
            if stop:
                return

    def _commit(self, group: list[_Pending]) -> None:
        try:
            with self.db.engine.begin() as conn:
                for p in group:
                    audit_log.append(conn, p.actor, p.action, p.subject, after=p.after)
            self.commits += 1
            self.entries += len(group)
        except Exception as exc:  # every waiting call must be released, whatever happened
            msg = f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
            log.error("API audit entries not written (%d call(s) refused): %s", len(group), msg)
            for p in group:
                p.error = msg
        finally:
            for p in group:
                p.done.set()
