"""Topic names: one namespace per station under a versioned prefix (``fpk/v1``), so the
broker ACL can confine each station to its own topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kiosk_contract.fields import ContractError, is_station_id

TopicKind = Literal[
    "templates", "consents", "acks", "roster", "deletions", "deletion-receipts", "status"
]
TOPIC_KINDS: tuple[TopicKind, ...] = (
    "templates", "consents", "acks", "roster", "deletions", "deletion-receipts", "status",
)


@dataclass(frozen=True)
class Topics:
    """Topic names for one station (or the ``+`` wildcard for central's subscriptions)."""

    prefix: str
    station: str

    def __post_init__(self) -> None:
        if not self.prefix or self.prefix.endswith("/") or any(c in self.prefix for c in "+#"):
            raise ContractError(f"bad topic prefix {self.prefix!r}")
        if self.station != "+" and not is_station_id(self.station):
            raise ContractError(f"bad station id {self.station!r}")

    def of(self, kind: TopicKind) -> str:
        return f"{self.prefix}/stations/{self.station}/{kind}"

    templates = property(lambda self: self.of("templates"))
    consents = property(lambda self: self.of("consents"))
    acks = property(lambda self: self.of("acks"))
    roster = property(lambda self: self.of("roster"))
    deletions = property(lambda self: self.of("deletions"))
    deletion_receipts = property(lambda self: self.of("deletion-receipts"))
    status = property(lambda self: self.of("status"))


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


