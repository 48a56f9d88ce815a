"""Figures from the enrollment attempts stations sync (``kiosk-central report`` and
``GET /v1/figures``): enrollments per day, station and operator, the failure-to-enroll rate
and the median time per enrollment.

* An **enrollment** is an attempt whose outcome is ``enrolled``.
* The **failure-to-enroll rate** is failed and timed-out attempts over enrolled, failed and
  timed-out ones. A cancelled attempt, a duplicate finger refused by the gate and a sensor
  that went away are not the person's failure to enroll and are counted apart (ISO/IEC
  19795-1 counts failures of the enrollment transaction itself).
* The **median time per enrollment** is the median of ``ended_at - started_at`` of enrollments.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from sqlalchemy import Connection, func, select

from kiosk_central.schema import attempts

FAILURES = ("failed", "timed-out")


def figures(conn: Connection, *, day_from: str | None = None, day_to: str | None = None,
            station: str | None = None) -> dict[str, Any]:
    where = []
    if day_from:
        where.append(attempts.c.day >= day_from)
    if day_to:
        where.append(attempts.c.day <= day_to)
    if station:
        where.append(attempts.c.station == station)

    def grouped(col: Any) -> list[dict[str, Any]]:
        q = (select(col, func.count()).where(*where, attempts.c.outcome == "enrolled")
             .group_by(col).order_by(col))
        return [{"key": k, "enrollments": int(n)} for k, n in conn.execute(q)]

    outcomes = Counter({str(k): int(n) for k, n in conn.execute(
        select(attempts.c.outcome, func.count()).where(*where).group_by(attempts.c.outcome))})
    durations = [int(d) for (d,) in conn.execute(select(attempts.c.duration_ms).where(
        *where, attempts.c.outcome == "enrolled"))]
    failed = sum(outcomes[o] for o in FAILURES)
    judged = failed + outcomes["enrolled"]
    return {
        "from": day_from, "to": day_to, "station": station,
        "attempts": sum(outcomes.values()),
        "outcomes": dict(sorted(outcomes.items())),
        "enrollments": outcomes["enrolled"],
        "failure_to_enroll_rate": None if judged == 0 else round(failed / judged, 4),
        "median_enrollment_s": None if not durations else
        round(statistics.median(durations) / 1000, 3),
        "per_day": [{"day": g["key"], "enrollments": g["enrollments"]}
                    for g in grouped(attempts.c.day)],
        "per_station": [{"station": g["key"], "enrollments": g["enrollments"]}
                        for g in grouped(attempts.c.station)],
        "per_operator": [{"operator": g["key"], "enrollments": g["enrollments"]}
                         for g in grouped(attempts.c.operator)],
    }


def figures_text(f: dict[str, Any]) -> str:
    rate = f["failure_to_enroll_rate"]
    out = [f"Enrollment figures {f['from'] or 'start'} .. {f['to'] or 'today'}"
           + (f" at {f['station']}" if f["station"] else ""),
           f"  attempts {f['attempts']}, enrollments {f['enrollments']}, failure to enroll "
           f"{'-' if rate is None else f'{rate:.1%}'}, median time per enrollment "
           f"{'-' if f['median_enrollment_s'] is None else str(f['median_enrollment_s']) + ' s'}",
           f"  outcomes: {f['outcomes'] or 'none'}", "  per day:"]
    out += [f"    {d['day']}  {d['enrollments']}" for d in f["per_day"]]
    out.append("  per station:")
    out += [f"    {d['station']:<20} {d['enrollments']}" for d in f["per_station"]]
    out.append("  per operator:")
    out += [f"    {d['operator']:<20} {d['enrollments']}" for d in f["per_operator"]]
    return "\n".join(out)
