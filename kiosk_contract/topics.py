"""Topic names: one namespace per station under a versioned prefix (``fpk/v1``), so the
broker ACL can confine each station to its own topics, plus the shared roster topics every
station reads (one copy for all)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kiosk_contract.fields import ContractError, is_station_id

TopicKind = Literal[
    "templates", "consents", "deletion-receipts", "attempts", "audit", "heartbeat", "status",
    "acks", "roster", "deletions",
]
TOPIC_KINDS: tuple[TopicKind, ...] = (
    "templates", "consents", "deletion-receipts", "attempts", "audit", "heartbeat", "status",
    "acks", "roster", "deletions",
)
#: What a station publishes (central subscribes to these through its shared group).
UP_KINDS: tuple[TopicKind, ...] = (
    "templates", "consents", "deletion-receipts", "attempts", "audit", "heartbeat", "status",
)
#: What central publishes to one station (``roster`` is the schema-1 per-station snapshot).
DOWN_KINDS: tuple[TopicKind, ...] = ("acks", "deletions", "roster")
#: Up kinds answered on ``acks`` (the outbox events).
ACKED_KINDS: tuple[TopicKind, ...] = ("templates", "consents", "deletion-receipts", "attempts",
                                      "audit")


def check_prefix(prefix: str) -> str:
    if (not prefix or prefix.startswith("/") or prefix.endswith("/") or "//" in prefix
            or any(c in prefix for c in "+#\x00") or prefix.startswith("$")):
        raise ContractError(f"bad topic prefix {prefix[:60]!r}: use levels like fpk/v1, "
                            "without wildcards, $ or empty levels")
    return prefix


@dataclass(frozen=True)
class Topics:
    """Topic names for one station (or the ``+`` wildcard for central's subscriptions)."""

    prefix: str
    station: str

    def __post_init__(self) -> None:
        check_prefix(self.prefix)
        if self.station != "+" and not is_station_id(self.station):
            raise ContractError(f"bad station id {self.station[:60]!r}")

    def of(self, kind: TopicKind) -> str:
        return f"{self.prefix}/stations/{self.station}/{kind}"

    templates = property(lambda self: self.of("templates"))
    consents = property(lambda self: self.of("consents"))
    deletion_receipts = property(lambda self: self.of("deletion-receipts"))
    attempts = property(lambda self: self.of("attempts"))
    audit = property(lambda self: self.of("audit"))
    heartbeat = property(lambda self: self.of("heartbeat"))
    status = property(lambda self: self.of("status"))
    acks = property(lambda self: self.of("acks"))
    roster = property(lambda self: self.of("roster"))
    deletions = property(lambda self: self.of("deletions"))


@dataclass(frozen=True)
class RosterTopics:
    """The shared (schema 2) roster topics under ``prefix``."""

    prefix: str

    def __post_init__(self) -> None:
        check_prefix(self.prefix)

    @property
    def manifest(self) -> str:
        return f"{self.prefix}/roster/manifest"

    def page(self, n: int) -> str:
        return f"{self.prefix}/roster/pages/{n}"

    @property
    def pages(self) -> str:
        """Filter matching every page."""
        return f"{self.prefix}/roster/pages/+"

    @property
    def deltas(self) -> str:
        return f"{self.prefix}/roster/deltas"

    @property
    def all(self) -> str:
        """Filter a station subscribes to for the whole roster."""
        return f"{self.prefix}/roster/#"

    def page_number(self, topic: str) -> int | None:
        head = f"{self.prefix}/roster/pages/"
        rest = topic[len(head):] if topic.startswith(head) else ""
        return int(rest) if rest.isdigit() and len(rest) <= 7 else None


def parse_topic(prefix: str, topic: str) -> tuple[str, TopicKind]:
    """``{prefix}/stations/{station}/{kind}`` → ``(station, kind)``."""
    head = f"{prefix}/stations/"
    if not topic.startswith(head):
        raise ContractError(f"topic outside {prefix!r}")
    parts = topic[len(head):].split("/")
    if len(parts) != 2 or not is_station_id(parts[0]) or parts[1] not in TOPIC_KINDS:
        raise ContractError("unknown topic")
    kind: TopicKind = parts[1]
    return parts[0], kind
