"""The small interface the screens are written against.

The GUI never calls the store, the sensor or sync directly with their own types: it talks to
these Protocols and plain records, so every screen can be tested with an in-memory station
(:mod:`kiosk.ui.demo`) and the application services are adapted in one place
(:mod:`kiosk.ui.adapter`). Nothing here imports Qt.

Threading contract: listener callbacks may run on any thread; the Qt bridge re-emits them on
the GUI thread. Store methods may block (SQLite): the screens call them through
:mod:`kiosk.ui.worker`, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kiosk.app.diagnostics import Check
from kiosk.config import Config
from kiosk.enrollment.engine import CancelToken, EnrollmentRequest
from kiosk.enrollment.events import Event
from kiosk.paths import DataPaths

ROLE_ADMIN = "admin"
ROLE_OPERATOR = "staff"

CONSENT_METHODS: tuple[str, ...] = ("signed-paper", "on-screen", "operator-attestation")
CONSENT_REFUSED = "refused"


@dataclass(frozen=True)
class Operator:
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN


@dataclass(frozen=True)
class PinCheck:
    """Answer to a sign-in attempt; ``locked_for_s`` > 0 means the account is locked."""

    operator: Operator | None
    locked_for_s: float = 0.0
    attempts_left: int | None = None


@dataclass(frozen=True)
class Person:
    external_id: str
    name: str
    group: str = ""
    #: Fingers with a stored template (finger names as in ``kiosk.config.FINGERS``).
    enrolled: tuple[str, ...] = ()
    #: Of those, the ones the central server has acknowledged.
    synced: tuple[str, ...] = ()
    consent: str = "none"  # "none" | "granted" | "refused"


@dataclass(frozen=True)
class SensorState:
    state: str  # "ready" | "busy" | "searching" | "disconnected" | "error"
    port: str = ""
    model: str = ""
    simulated: bool = False
    message: str = ""
    templates: int | None = None
    capacity: int | None = None


@dataclass(frozen=True)
class SyncState:
    #: "disabled" | "online" | "offline" | "auth" | "tls"
    state: str
    since: float | None = None
    pending: int = 0
    rejected: int = 0
    last_sync: float | None = None
    message: str = ""
    #: Template ids acknowledged by central since the station opened (for live badges).
    acked: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ConsentRecord:
    external_id: str
    #: One of CONSENT_METHODS, or CONSENT_REFUSED.
    method: str
    notice_version: str
    notice_text: str
    operator: str
    alternative_offered: bool = True
    language: str = ""

    @property
    def granted(self) -> bool:
        return self.method != CONSENT_REFUSED


@dataclass(frozen=True)
class QueueRow:
    """One outbox row for the admin's sync-queue list (never the template bytes)."""

    id: int
    kind: str  # "template" | "consent" | "deletion-receipt" | ...
    state: str  # "pending" | "sent" | "rejected"
    person: str
    finger: str = ""  # finger name as in kiosk.config.FINGERS, "" when not a finger
    attempts: int = 0
    reason: str = ""  # the last delivery error, or central's rejection reason
    age_s: float = 0.0
    #: > 0 while a pending row waits on back-off.
    due_in_s: float = 0.0


@dataclass(frozen=True)
class OperatorRow:
    name: str
    role: str
    active: bool = True
    #: > 0 while the account is locked after wrong PINs.
    locked_for_s: float = 0.0


class StorePort(Protocol):
    def has_operators(self) -> bool: ...
    def operator_names(self) -> list[str]: ...
    def create_operator(self, name: str, pin: str, role: str) -> Operator: ...
    def verify_pin(self, name: str, pin: str) -> PinCheck: ...
    def roster_size(self) -> int: ...
    def search_people(self, text: str, limit: int = 50) -> list[Person]: ...
    def person(self, external_id: str) -> Person: ...
    def record_consent(self, rec: ConsentRecord) -> None: ...


class SimulatorPort(Protocol):
    def place(self, finger: str) -> None: ...
    def lift(self) -> None: ...
    def fail_next(self, code: int) -> None: ...


class SensorPort(Protocol):
    @property
    def status(self) -> SensorState: ...
    @property
    def simulator(self) -> SimulatorPort | None: ...
    def add_listener(self, cb: Callable[[SensorState | Event], None]) -> None: ...
    def enroll(self, request: EnrollmentRequest) -> CancelToken: ...
    def cancel(self) -> None: ...


class SyncPort(Protocol):
    @property
    def state(self) -> SyncState: ...
    def add_listener(self, cb: Callable[[SyncState], None]) -> None: ...
    def sync_now(self) -> None: ...


class StationPort(Protocol):
    @property
    def config(self) -> Config: ...
    @property
    def paths(self) -> DataPaths: ...
    @property
    def store(self) -> StorePort: ...
    @property
    def sensor(self) -> SensorPort: ...
    @property
    def sync(self) -> SyncPort | None: ...
    def close(self) -> None: ...
    # admin maintenance; both block (sensor and database) and run on worker threads
    def reconcile(self, repair: bool) -> str: ...
    def queue_summary(self) -> list[tuple[str, str]]: ...
    # admin: sync queue and operators (block on the database; worker threads only)
    def queue_rows(self) -> list[QueueRow]: ...
    def retry_queue(self, ids: list[int], actor: str) -> int: ...
    def operators(self) -> list[OperatorRow]: ...
    def set_operator_active(self, name: str, active: bool, actor: str) -> None: ...
    def reset_pin(self, name: str, pin: str, actor: str) -> None: ...
    def unlock_operator(self, name: str, actor: str) -> None: ...
    #: New central-server settings (after provisioning): restart sync with them.
    def reload_sync(self, config: Config) -> SyncPort | None: ...
    # the same self-test and support bundle as ``kiosk doctor`` / ``kiosk diagnostics``
    def self_test(self) -> list[Check]: ...
    def export_bundle(self, dest: Path) -> Path: ...


def default_bundle_dir(paths: DataPaths) -> Path:
    return paths.root / "diagnostics"
