"""The store's vocabularies: one typed definition each, used by every layer above.

The values are what the database stores (the CHECK constraints in :mod:`kiosk.store.models`
are built from them), so a member is never renamed without a migration.
"""

from __future__ import annotations

from enum import StrEnum

# Shared with central: defined once, in the wire contract.
from kiosk_contract.messages import DeletionCause, SensorPlace
from kiosk_contract.telemetry import AttemptOutcome


class OutboxKind(StrEnum):
    """What an outbox row announces to central."""

    TEMPLATE = "template"
    DELETION_RECEIPT = "deletion-receipt"
    CONSENT = "consent"
    #: An enrollment attempt (no template bytes), for central's figures.
    ATTEMPT = "attempt"
    #: A run of consecutive audit entries, so central holds a copy of the chain.
    AUDIT = "audit"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    ACKED = "acked"
    REJECTED = "rejected"


class TemplateSync(StrEnum):
    """Where a template stands with central."""

    QUEUED = "queued"
    SYNCED = "synced"
    REJECTED = "rejected"


class ConsentMethod(StrEnum):
    SIGNED_PAPER = "signed-paper"
    ON_SCREEN = "on-screen"
    OPERATOR_ATTESTATION = "operator-attestation"
    REFUSED = "refused"

    @property
    def granted(self) -> bool:
        return self is not ConsentMethod.REFUSED

    @classmethod
    def ways_to_give(cls) -> tuple[ConsentMethod, ...]:
        """The methods that record consent given (everything but a refusal)."""
        return tuple(m for m in cls if m.granted)


class ConsentStatus(StrEnum):
    """A person's consent as the desk sees it."""

    NONE = "none"
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class Role(StrEnum):
    STAFF = "staff"
    ADMIN = "admin"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


__all__ = [
    "AttemptOutcome",
    "ConsentMethod",
    "ConsentStatus",
    "DeletionCause",
    "OutboxKind",
    "OutboxState",
    "Role",
    "SensorPlace",
    "TemplateSync",
    "values",
]
