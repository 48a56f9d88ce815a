"""The domain's record types, events and vocabularies, as the front ends may use them.

Re-exported (not redefined) so that ``kiosk.ui`` and ``kiosk.cli`` depend on the application
layer only; each type still has exactly one definition, in its own package.
"""

from kiosk.enrollment.engine import (
    CancelToken,
    EnrollmentBusy,
    VerifyOutcome,
    VerifyRequest,
    VerifyResult,
)
from kiosk.enrollment.events import (
    STEPS,
    DuplicateOwner,
    Event,
    FailReason,
    Outcome,
    Progress,
    Prompt,
    PromptKind,
    Result,
    Retry,
    RetryReason,
)
from kiosk.sensor.codes import Confirmation as SensorCode
from kiosk.store import (
    AttemptOutcome,
    AttemptRow,
    ConsentEvent,
    ConsentMethod,
    ConsentStatus,
    FingerStatus,
    Operator,
    OutboxKind,
    OutboxState,
    OutboxStats,
    Person,
    PersonStatus,
    PinCheck,
    Role,
    StoreError,
    TemplateSync,
)
from kiosk.sync.worker import SyncState
from kiosk_contract.fingers import Finger
from kiosk_contract.mqtt import LinkState
from kiosk_contract.telemetry import SensorState

__all__ = [
    "STEPS",
    "AttemptOutcome",
    "AttemptRow",
    "CancelToken",
    "ConsentEvent",
    "ConsentMethod",
    "ConsentStatus",
    "DuplicateOwner",
    "EnrollmentBusy",
    "Event",
    "FailReason",
    "Finger",
    "FingerStatus",
    "LinkState",
    "Operator",
    "OutboxKind",
    "OutboxState",
    "OutboxStats",
    "Outcome",
    "Person",
    "PersonStatus",
    "PinCheck",
    "Progress",
    "Prompt",
    "PromptKind",
    "Result",
    "Retry",
    "RetryReason",
    "Role",
    "SensorCode",
    "SensorState",
    "StoreError",
    "SyncState",
    "TemplateSync",
    "VerifyOutcome",
    "VerifyRequest",
    "VerifyResult",
]
