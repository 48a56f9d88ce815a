"""Enrollment figures for the desk: the admin "Figures" page and ``kiosk report``.

Everything comes from records the store already keeps: one attempt per finger tried
(enrolled, failed or cancelled, with the timing of each capture and the reason of each
rejected press) and the audit entries of the check after enrollment. Nothing here writes.

Definitions (ISO/IEC 19795-1 in spirit, for a desk):

* **failure to enroll (FTE)** — of the people who tried (an attempt that was not cancelled),
  the share who left with no finger enrolled in the period;
* **failed attempts** — failed / (enrolled + failed) finger attempts;
* **time per enrollment** — start of the first capture to the commit, per enrolled finger;
* **retries per capture** — rejected presses / accepted captures, with the reasons.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.store import AttemptOutcome, AttemptRow, Store

if TYPE_CHECKING:
    from kiosk.app.station import Station

#: How many audit entries a report reads at most to find the checks after enrollment.
AUDIT_WINDOW = 200_000


@dataclass(frozen=True)
class Count:
    """Enrolled / failed / cancelled finger attempts, and the median time of the enrolled."""

    enrolled: int = 0
    failed: int = 0
    cancelled: int = 0
    people: int = 0
    median_s: float | None = None


@dataclass(frozen=True)
class Figures:
    since: datetime
    until: datetime | None
    attempts: int
    enrolled: int
    failed: int
    cancelled: int
    people_tried: int
    people_enrolled: int
    people_failed: int
    fte_rate: float | None
    failed_attempt_rate: float | None
    median_s: float | None
    p90_s: float | None
    captures: int
    retries: int
    retries_per_capture: float | None
    retry_reasons: list[tuple[str, int]] = field(default_factory=list)
    failure_reasons: list[tuple[str, int]] = field(default_factory=list)
    per_day: list[tuple[date, Count]] = field(default_factory=list)
    per_operator: list[tuple[str, Count]] = field(default_factory=list)
    checks: int = 0
    checks_passed: int = 0
    checks_failed: int = 0

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["since"] = self.since.isoformat()
        d["until"] = self.until.isoformat() if self.until else None
        d["per_day"] = [{"day": day.isoformat(), **asdict(c)} for day, c in self.per_day]
        d["per_operator"] = [{"operator": op, **asdict(c)} for op, c in self.per_operator]
        for key in ("fte_rate", "failed_attempt_rate", "retries_per_capture"):
            if d[key] is not None:
                d[key] = round(d[key], 4)
        d["retry_reasons"] = dict(self.retry_reasons)
        d["failure_reasons"] = dict(self.failure_reasons)
        return d


def _seconds(a: AttemptRow) -> float:
    return max(0.0, (a.ended_at - a.started_at).total_seconds())


def _captures(a: AttemptRow) -> Iterable[dict[str, Any]]:
    return (c for c in a.captures if isinstance(c, dict) and "result" in c)


def _count(rows: list[AttemptRow]) -> Count:
    ok = [a for a in rows if a.outcome is AttemptOutcome.ENROLLED]
    times = [_seconds(a) for a in ok]
    return Count(
        enrolled=len(ok),
        failed=sum(1 for a in rows if a.outcome is AttemptOutcome.FAILED),
        cancelled=sum(1 for a in rows if a.outcome is AttemptOutcome.CANCELLED),
        people=len({a.external_id for a in ok}),
        median_s=round(statistics.median(times), 1) if times else None)


def failure_reason(a: AttemptRow) -> str:
    """``timed-out: no-finger`` → ``no-finger``; ``duplicate:7`` → ``duplicate``;
    ``failed: retries-exhausted:messy`` → ``retries-exhausted`` (the retry reasons are
    counted on their own)."""
    code = a.reason.split(": ", 1)[-1]
    return code.split(":", 1)[0]


def figures(store: Store, since: datetime, until: datetime | None = None,
            *, audit_window: int = AUDIT_WINDOW) -> Figures:
    """The figures of the attempts started in [since, until)."""
    rows = [a for a in store.enrollments.attempts(since=since, limit=10_000_000)
            if until is None or a.started_at < until]
    rows.sort(key=lambda a: a.started_at)
    enrolled = [a for a in rows if a.outcome is AttemptOutcome.ENROLLED]
    failed = [a for a in rows if a.outcome is AttemptOutcome.FAILED]
    tried = {a.external_id for a in rows if a.outcome is not AttemptOutcome.CANCELLED}
    people_ok = {a.external_id for a in enrolled}
    times = sorted(_seconds(a) for a in enrolled)
    captures = retries = 0
    reasons: Counter[str] = Counter()
    for a in (*enrolled, *failed):
        for c in _captures(a):
            if c.get("result") == "accepted":
                captures += 1
            else:
                retries += 1
                reasons[str(c.get("reason") or c.get("result"))] += 1
    by_day: dict[date, list[AttemptRow]] = defaultdict(list)
    by_op: dict[str, list[AttemptRow]] = defaultdict(list)
    for a in rows:
        by_day[a.started_at.astimezone().date()].append(a)
        by_op[a.operator or "—"].append(a)
    passed = failed_checks = checks = 0
    for e in store.audit.entries(limit=audit_window):
        if e.at < since:
            break
        if e.action != "verify" or (until is not None and e.at >= until):
            continue
        outcome = (e.after or {}).get("outcome", "")
        checks += 1
        passed += outcome == "matched"
        failed_checks += outcome in ("not-found", "other-template", "unreadable")
    fte = (len(tried - people_ok) / len(tried)) if tried else None
    done = len(enrolled) + len(failed)
    return Figures(
        since=since, until=until, attempts=len(rows), enrolled=len(enrolled),
        failed=len(failed), cancelled=len(rows) - done,
        people_tried=len(tried), people_enrolled=len(people_ok),
        people_failed=len(tried - people_ok),
        fte_rate=fte,
        failed_attempt_rate=len(failed) / done if done else None,
        median_s=round(statistics.median(times), 1) if times else None,
        p90_s=round(times[min(len(times) - 1, int(0.9 * len(times)))], 1) if times else None,
        captures=captures, retries=retries,
        retries_per_capture=retries / captures if captures else None,
        retry_reasons=reasons.most_common(),
        failure_reasons=Counter(failure_reason(a) for a in failed).most_common(),
        per_day=[(d, _count(v)) for d, v in sorted(by_day.items())],
        per_operator=[(op, _count(v)) for op, v in sorted(by_op.items())],
        checks=checks, checks_passed=passed, checks_failed=failed_checks,
    )


def day_start(d: date) -> datetime:
    """Local midnight of ``d`` (what "since 2026-05-04" means at a desk)."""
    return datetime(d.year, d.month, d.day).astimezone()


def last_days(n: int, today: date | None = None) -> datetime:
    today = today or date.today()
    return day_start(today - timedelta(days=n - 1))


def to_csv(f: Figures) -> str:
    """One table: a row per day and per operator, then the totals (for a spreadsheet)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["kind", "key", "enrolled", "failed", "cancelled", "people", "median_s"])
    for day, c in f.per_day:
        w.writerow(["day", day.isoformat(), c.enrolled, c.failed, c.cancelled, c.people,
                    c.median_s if c.median_s is not None else ""])
    for op, c in f.per_operator:
        w.writerow(["operator", op, c.enrolled, c.failed, c.cancelled, c.people,
                    c.median_s if c.median_s is not None else ""])
    w.writerow(["total", "", f.enrolled, f.failed, f.cancelled, f.people_enrolled,
                f.median_s if f.median_s is not None else ""])
    w.writerow([])
    w.writerow(["measure", "value"])
    rates = {k: None if v is None else round(v, 4) for k, v in (
        ("fte_rate", f.fte_rate), ("failed_attempt_rate", f.failed_attempt_rate),
        ("retries_per_capture", f.retries_per_capture))}
    for key, value in (*rates.items(), ("p90_s", f.p90_s), ("captures", f.captures),
                       ("retries", f.retries), ("checks", f.checks),
                       ("checks_passed", f.checks_passed), ("checks_failed", f.checks_failed)):
        w.writerow([key, "" if value is None else value])
    for reason, n in f.retry_reasons:
        w.writerow([f"retry:{reason}", n])
    for reason, n in f.failure_reasons:
        w.writerow([f"failure:{reason}", n])
    return out.getvalue()


class ReportService:
    """The figures as a station service (blocking: off the GUI thread)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def figures(self, since: datetime, until: datetime | None = None) -> Figures:
        return figures(self._store, since, until)


def for_station(station: Station) -> ReportService:
    """The report service of an open station (front ends reach the store only through it)."""
    return ReportService(station.store)


__all__ = ["Count", "Figures", "ReportService", "day_start", "failure_reason", "figures",
           "for_station", "last_days", "to_csv"]
