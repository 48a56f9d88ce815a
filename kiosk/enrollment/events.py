"""What the enrollment engine tells its front ends: plain, immutable events with no words.

Each event says *what* happened as a kind with parameters (which capture, which retry
reason, whose finger); the GUI and the CLI turn that into a sentence (``kiosk.app.wording``),
so every sentence can be translated. The vocabulary follows fprintd's enroll statuses.
Sensor codes go to the log and the attempt record, never to the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum

from kiosk_contract.fingers import Finger

STEPS = 3


class PromptKind(Enum):
    PLACE = "place"
    LIFT = "lift"
    AGAIN = "again"
    #: The third capture did not verify: the finger starts over from the first capture.
    RESTART = "restart"
    WORKING = "working"


class RetryReason(Enum):
    """Why a capture must be repeated (non-terminal)."""

    IMAGE_FAILED = "image-failed"
    TOO_DRY = "too-dry"
    TOO_WET = "too-wet"
    MESSY = "messy"
    TOO_FEW_FEATURES = "too-few-features"
    NOT_SAME_FINGER = "not-same-finger"
    LOW_QUALITY = "low-quality"
    MERGE_FAILED = "merge-failed"


class Outcome(Enum):
    COMPLETED = "completed"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed-out"
    DISCONNECTED = "disconnected"


class FailReason(StrEnum):
    """Why an enrollment ended without a template (the attempt record keeps the code)."""

    NONE = ""
    NO_FINGER = "no-finger"
    FINGER_NOT_LIFTED = "finger-not-lifted"
    RETRIES_EXHAUSTED = "retries-exhausted"
    VERIFICATION_FAILED = "verification-failed"
    LIBRARY_FULL = "library-full"
    READBACK_MISMATCH = "readback-mismatch"
    COMMIT_FAILED = "commit-failed"
    #: The station's disk is full: nothing of this finger was written, the rest is safe.
    DISK_FULL = "disk-full"
    SENSOR_ERROR = "sensor-error"
    #: The sensor went away during the enrollment.
    UNPLUGGED = "unplugged"
    #: No sensor was connected when the enrollment was to start.
    NOT_CONNECTED = "not-connected"
    CANCELLED = "cancelled"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Prompt:
    kind: PromptKind
    #: The capture (1–3) the prompt is for; 0 when it is about no particular capture.
    capture: int = 0


@dataclass(frozen=True)
class Progress:
    """``step`` captures accepted out of :data:`STEPS`; the GUI shows ``percent``."""

    step: int

    @property
    def percent(self) -> int:
        return (100 * self.step) // STEPS if self.step < STEPS else 100


@dataclass(frozen=True)
class Retry:
    reason: RetryReason
    capture: int
    attempt: int
    sensor_code: int | None = None


@dataclass(frozen=True)
class DuplicateOwner:
    """Who already holds a finger found on the sensor (for an administrator's eyes only)."""

    external_id: str
    name: str
    finger: Finger


@dataclass(frozen=True)
class Result:
    """The one terminal event of an enrollment."""

    outcome: Outcome
    reason: FailReason = FailReason.NONE
    template_uuid: str | None = None
    slot: int | None = None
    score: int | None = None
    #: RETRIES_EXHAUSTED: the reason of the last rejected press.
    retry_reason: RetryReason | None = None
    #: DUPLICATE: the sensor slot that matched, and its owner (None if this station's records
    #: do not know the slot).
    duplicate_slot: int | None = None
    duplicate_of: DuplicateOwner | None = None
    #: Technical detail for the log and the attempt record (exception class, sensor hint).
    detail: str = ""
    timings: list[dict[str, object]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.COMPLETED

    @property
    def reason_code(self) -> str:
        """A short code for records and scripts: ``retries-exhausted:messy``, ``duplicate:7``."""
        if self.reason is FailReason.RETRIES_EXHAUSTED and self.retry_reason is not None:
            return f"{self.reason.value}:{self.retry_reason.value}"
        if self.reason is FailReason.DUPLICATE and self.duplicate_slot is not None:
            return f"{self.reason.value}:{self.duplicate_slot}"
        return self.reason.value


Event = Prompt | Progress | Retry | Result

__all__ = [
    "STEPS",
    "DuplicateOwner",
    "Event",
    "FailReason",
    "Outcome",
    "Progress",
    "Prompt",
    "PromptKind",
    "Result",
    "Retry",
    "RetryReason",
]
