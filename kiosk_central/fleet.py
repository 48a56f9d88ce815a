"""The station list: last seen, software, clock skew, backlog, sensor, last error, online.

A station is **online** while its heartbeats keep coming: the last one arrived less than two
heartbeat periods ago and no retained ``offline`` status came after it. Otherwise it is
offline *since* the last time central heard from it — so a station whose heartbeats stop shows
"offline since …" within two periods, even when it never said goodbye (a pulled cable sends no
last will until the broker's keepalive runs out). Stations still on schema 1 send no
heartbeats; their retained status alone decides.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from kiosk_central.clock import aware, iso, now
from kiosk_central.db import get_setting
from kiosk_central.schema import deletions, station_health, stations

DEFAULT_HEARTBEAT_S = 60.0


def station_list(conn: Connection, *, heartbeat_s: float = DEFAULT_HEARTBEAT_S,
                 at: datetime | None = None, station: str | None = None,
                 ) -> list[dict[str, Any]]:
    when = at or now()
    q = select(stations, station_health).select_from(stations.outerjoin(
        station_health, stations.c.station == station_health.c.station))
    if station is not None:
        q = q.where(stations.c.station == station)
    open_requests = {str(k): int(v) for k, v in conn.execute(
        select(deletions.c.station, func.count()).where(deletions.c.receipt_at.is_(None))
        .group_by(deletions.c.station))}
    roster = int(get_setting(conn, "roster_version") or 0)
    out = []
    for r in conn.execute(q.order_by(stations.c.station)).mappings():
        out.append(_one(r, when, heartbeat_s, int(open_requests.get(r["station"], 0)), roster))
    return out


def _one(r: Any, when: datetime, period: float, open_requests: int,
         roster: int) -> dict[str, Any]:
    status_at = aware(r["seen_at"])
    beat = aware(r["received_at"]) if r["received_at"] is not None else None
    last_seen = max(status_at, beat) if beat is not None else status_at
    said_offline = r["state"] == "offline" and (beat is None or status_at >= beat)
    if beat is not None:
        online = not said_offline and when - beat < timedelta(seconds=2 * period)
    else:
        online = r["state"] == "online"
    health = None if beat is None else {
        "sent_at": r["sent_at"], "uptime_s": r["uptime_s"],
        "clock_skew_s": round(float(r["clock_skew_s"]), 3),
        "backlog": {"pending": r["pending"], "oldest_pending_age_s": r["oldest_pending_age_s"],
                    "rejected": r["rejected"]},
        "sensor": {"state": r["sensor_state"], "model": r["sensor_model"],
                   "templates": r["sensor_templates"], "capacity": r["sensor_capacity"]},
        "roster_version": r["roster_version"],
        "roster_behind": r["roster_version"] < roster,
        "last_error": r["last_error"] or None,
    }
    return {
        "station": r["station"],
        "online": online,
        "offline_since": None if online else iso(last_seen),
        "last_seen": iso(last_seen),
        "software": r["software"],
        "schema": r["schema"],
        "open_deletion_requests": open_requests,
        "heartbeat": health,
    }
