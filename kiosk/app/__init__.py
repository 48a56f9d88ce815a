"""The application layer: the only door below the front ends (``kiosk.ui``, ``kiosk.cli``).

A front end opens a :class:`Station` and uses its services; the record types, events and
vocabularies it needs are re-exported here, so no front end imports the domain packages
(``kiosk.store``, ``kiosk.sync``, ``kiosk.sensor``, ``kiosk.enrollment``, ``kiosk.sim``) or
the wire contract directly. An import contract in the test run enforces that.

=====================  ===============================================================
``Station.desk``        search, person, consent, enroll, verify, cancel, groups (owns
                        policy and sink)
``Station.operators``   sign-in (PIN), the operator list
``Station.sync``        state and listeners, sync now, the queue, retry, reload
``Station.database``    check, backup, audit export
``Station.biometrics``  remove a finger, forget a person, consent withdrawn (sensor cleared
                        at once when connected)
``Station`` itself      sensor status and listeners, reconcile, port probe, self-test,
                        diagnostics bundle, simulator controls, reload after provisioning
modules                 ``provisioning``, ``roster`` (CSV import), ``sensor_admin``
                        (sensor info/list), ``selftest``, ``settings``, ``wording``
=====================  ===============================================================
"""

from kiosk.app import wording
from kiosk.app.biometrics import BiometricsAdmin, Deletion
from kiosk.app.database import ChainVerdict, DatabaseAdmin, DatabaseCheck
from kiosk.app.desk import SEARCH_ROWS, DuplicateOverride, EnrollmentDesk
from kiosk.app.diagnostics import Check
from kiosk.app.keys import (
    KeyStoreInfo,
    KeyTransferError,
    export_data_key,
    import_data_key,
    key_store_info,
)
from kiosk.app.operators import OperatorAdmin
from kiosk.app.retention import RetentionRun, RetentionService
from kiosk.app.sensor_admin import PortVerdict, Reconciliation, SimulatorControls
from kiosk.app.sensor_service import SensorProblem, SensorStatus
from kiosk.app.station import NoSensorFound, Station
from kiosk.app.sync_service import DrainResult, QueueRow, SyncService
from kiosk.app.types import (
    STEPS,
    AttemptOutcome,
    AttemptRow,
    CancelToken,
    ConsentEvent,
    ConsentMethod,
    ConsentStatus,
    DuplicateOwner,
    EnrollmentBusy,
    Event,
    FailReason,
    Finger,
    FingerStatus,
    LinkState,
    Operator,
    OutboxKind,
    OutboxState,
    OutboxStats,
    Outcome,
    Person,
    PersonStatus,
    PinCheck,
    Progress,
    Prompt,
    PromptKind,
    Result,
    Retry,
    RetryReason,
    Role,
    SensorCode,
    SensorState,
    StoreError,
    SyncState,
    TemplateSync,
    VerifyOutcome,
    VerifyRequest,
    VerifyResult,
)
from kiosk.app.wording import OutcomeText, Text
from kiosk.store import NotFound
from kiosk.store.retention import RetentionDue, RetentionReason

__all__ = [
    "SEARCH_ROWS",
    "STEPS",
    "AttemptOutcome",
    "AttemptRow",
    "BiometricsAdmin",
    "CancelToken",
    "ChainVerdict",
    "Check",
    "ConsentEvent",
    "ConsentMethod",
    "ConsentStatus",
    "DatabaseAdmin",
    "DatabaseCheck",
    "Deletion",
    "DrainResult",
    "DuplicateOverride",
    "DuplicateOwner",
    "EnrollmentBusy",
    "EnrollmentDesk",
    "Event",
    "FailReason",
    "Finger",
    "FingerStatus",
    "KeyStoreInfo",
    "KeyTransferError",
    "LinkState",
    "NoSensorFound",
    "NotFound",
    "Operator",
    "OperatorAdmin",
    "OutboxKind",
    "OutboxState",
    "OutboxStats",
    "Outcome",
    "OutcomeText",
    "Person",
    "PersonStatus",
    "PinCheck",
    "PortVerdict",
    "Progress",
    "Prompt",
    "PromptKind",
    "QueueRow",
    "Reconciliation",
    "Result",
    "RetentionDue",
    "RetentionReason",
    "RetentionRun",
    "RetentionService",
    "Retry",
    "RetryReason",
    "Role",
    "SensorCode",
    "SensorProblem",
    "SensorState",
    "SensorStatus",
    "SimulatorControls",
    "Station",
    "StoreError",
    "SyncService",
    "SyncState",
    "TemplateSync",
    "Text",
    "VerifyOutcome",
    "VerifyRequest",
    "VerifyResult",
    "export_data_key",
    "import_data_key",
    "key_store_info",
    "wording",
]
