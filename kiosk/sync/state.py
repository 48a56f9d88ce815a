"""What the front ends see of the link to central (one immutable snapshot at a time)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from kiosk_contract.mqtt import LinkState


@dataclass(frozen=True)
class SyncState:
    """Where the link stands (``reason``), since when it is not online, and the backlog."""

    enabled: bool
    online: bool
    reason: LinkState
    #: Technical detail for logs and the self-test; never shown as a headline.
    detail: str = ""
    #: Messages not yet acknowledged by central (waiting + on the wire).
    pending: int = 0
    in_flight: int = 0
    rejected: int = 0
    oldest_pending_age_s: float | None = None
    last_sync_at: datetime | None = None
    last_error: str = ""
    roster_version: str | None = None
    #: When the link last stopped being online (or when the worker started, if it never was).
    offline_since: float | None = None
    updated_at: float = field(default_factory=time.time)


__all__ = ["SyncState"]
