"""What the enrollment engine tells its front ends (GUI, CLI): plain, immutable event objects.

The vocabulary follows fprintd's enroll statuses, turned into short sentences that tell the
person what to *do* ("press flatter so it covers the window"), never what went wrong inside.
Sensor codes go to the log and the attempt record, not to the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from kiosk_contract.fingers import is_finger

STEPS = 3


def finger_words(finger: str) -> str:
    """'right-index' -> 'right index finger'; 'left-thumb' -> 'left thumb'."""
    if not is_finger(finger):
        return "finger"
    side, digit = finger.split("-")
    return f"{side} thumb" if digit == "thumb" else f"{side} {digit} finger"


class PromptKind(Enum):
    PLACE = "place"
    LIFT = "lift"
    AGAIN = "again"
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

    @property
    def text(self) -> str:
        return _RETRY_TEXT[self]


_RETRY_TEXT: dict[RetryReason, str] = {
    RetryReason.IMAGE_FAILED: "The sensor could not read the finger. Place it flat and still.",
    RetryReason.TOO_DRY: "The print is too faint. Press a little harder.",
    RetryReason.TOO_WET: "The print is smudged. Dry the finger and wipe the glass.",
    RetryReason.MESSY: "The print is unclear. Wipe the glass and place the finger again.",
    RetryReason.TOO_FEW_FEATURES: "Press flatter so the finger covers the window.",
    RetryReason.NOT_SAME_FINGER: "That was a different finger. Use the same finger each time.",
    RetryReason.LOW_QUALITY: "The print was not clear enough. Place the finger again, flat.",
    RetryReason.MERGE_FAILED: "The presses did not fit together. Use the same finger each time.",
}


class Outcome(Enum):
    COMPLETED = "completed"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed-out"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True)
class Prompt:
    kind: PromptKind
    text: str


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

    @property
    def text(self) -> str:
        return self.reason.text


@dataclass(frozen=True)
class Result:
    """The one terminal event of an enrollment."""

    outcome: Outcome
    message: str
    template_uuid: str | None = None
    slot: int | None = None
    score: int | None = None
    #: For DUPLICATE: who already owns the finger (None if the sensor slot is unknown here).
    duplicate_of: tuple[str, str] | None = None
    reason_code: str = ""
    timings: list[dict[str, object]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.COMPLETED


Event = Prompt | Progress | Retry | Result
