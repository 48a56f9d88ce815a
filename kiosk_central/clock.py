"""Central's clock in the two forms its tables use (aware datetimes, contract timestamps)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None = None) -> str:
    """An RFC 3339 timestamp in the contract's form (UTC, milliseconds, ``Z``)."""
    return (dt or now()).astimezone(UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def aware(dt: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands them back naive, in UTC)."""
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
