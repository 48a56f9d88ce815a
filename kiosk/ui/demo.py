"""An in-memory station for screen tests, screenshots and demos while no real services exist.

It runs the real :class:`~kiosk.enrollment.engine.EnrollmentEngine` on a worker thread against
a tiny in-memory sensor that behaves like the virtual R307 (``place`` / ``lift`` /
``fail_next`` / ``unplug``), so the screens see exactly the event sequence a real enrollment
produces, from a thread that is not the GUI thread. Nothing here imports Qt.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.app.diagnostics import Check, bundle_name, versions
from kiosk.config import Config
from kiosk.enrollment.engine import (
    AttemptRecord,
    CancelToken,
    CompletedEnrollment,
    EnrollmentBusy,
    EnrollmentEngine,
    EnrollmentGate,
    EnrollmentRequest,
)
from kiosk.enrollment.events import Event, Result
from kiosk.paths import DataPaths
from kiosk.sensor.errors import DisconnectedError, SensorCommandError
from kiosk.threadguard import check_io
from kiosk.ui.ports import (
    ROLE_ADMIN,
    ConsentRecord,
    Operator,
    OperatorRow,
    Person,
    PinCheck,
    QueueRow,
    SensorState,
    SyncState,
)

MAX_PIN_FAILURES = 5
LOCKOUT_S = 60.0

DEMO_ROSTER: tuple[tuple[str, str, str], ...] = (
    ("S-1001", "Amara Okafor", "Year 10"),
    ("S-1002", "Bruno Lefèvre", "Year 10"),
    ("S-1003", "Chen Wei", "Year 11"),
    ("S-1004", "Dalia Haddad", "Year 11"),
    ("S-1005", "Emil Johansson", "Year 12"),
    ("S-1006", "Fatima Zahra Benali", "Year 12"),
    ("S-1007", "Gabriel Costa", "Staff"),
    ("S-1008", "Hana Suzuki", "Staff"),
)


def _pin_hash(salt: bytes, pin: str) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, 20_000)


@dataclass
class _Op:
    op: Operator
    salt: bytes
    digest: bytes
    failures: int = 0
    locked_until: float = 0.0
    active: bool = True


class DemoStore:
    """Roster, operators and consent in memory; also the engine's enrollment sink."""

    def __init__(self, roster: bool = True) -> None:
        self._lock = threading.Lock()
        self._ops: dict[str, _Op] = {}
        self._people: dict[str, Person] = {}
        self._slots: dict[int, tuple[str, str]] = {}
        self._templates: dict[str, tuple[str, str]] = {}
        self.consents: list[ConsentRecord] = []
        self.attempts: list[AttemptRecord] = []
        self.on_commit: Callable[[str], None] | None = None
        self.query_delay_s = 0.0
        if roster:
            for ext, name, group in DEMO_ROSTER:
                self._people[ext] = Person(ext, name, group)

    # -- operators ----------------------------------------------------------------------
    def has_operators(self) -> bool:
        return bool(self._ops)

    def operator_names(self) -> list[str]:
        return sorted(n for n, r in self._ops.items() if r.active)

    def operators(self) -> list[OperatorRow]:
        check_io("database", "operators")
        now = time.monotonic()
        with self._lock:
            return [OperatorRow(n, r.op.role, r.active, max(0.0, r.locked_until - now))
                    for n, r in sorted(self._ops.items())]

    def set_active(self, name: str, active: bool) -> None:
        """Same rule as the real store: never disable the last active administrator."""
        check_io("database", "set_active")
        with self._lock:
            rec = self._ops[name]
            admins = [r for r in self._ops.values() if r.active and r.op.role == ROLE_ADMIN]
            if not active and rec.active and rec.op.role == ROLE_ADMIN and len(admins) <= 1:
                raise ValueError(f"{name} is the last active administrator. Add or enable "
                                 "another administrator first.")
            rec.active = active

    def set_pin(self, name: str, pin: str) -> None:
        check_io("database", "set_pin")
        salt = uuid.uuid4().bytes
        with self._lock:
            rec = self._ops[name]
            rec.salt, rec.digest = salt, _pin_hash(salt, pin)
            rec.failures, rec.locked_until = 0, 0.0

    def unlock(self, name: str) -> None:
        check_io("database", "unlock")
        with self._lock:
            rec = self._ops[name]
            rec.failures, rec.locked_until = 0, 0.0

    def create_operator(self, name: str, pin: str, role: str) -> Operator:
        check_io("database", "create_operator")
        salt = uuid.uuid4().bytes
        with self._lock:
            op = Operator(name, role)
            self._ops[name] = _Op(op, salt, _pin_hash(salt, pin))
        return op

    def verify_pin(self, name: str, pin: str) -> PinCheck:
        check_io("database", "verify_pin")
        with self._lock:
            rec = self._ops.get(name)
            if rec is None or not rec.active:
                return PinCheck(None)
            now = time.monotonic()
            if rec.locked_until > now:
                return PinCheck(None, locked_for_s=rec.locked_until - now)
            if _pin_hash(rec.salt, pin) == rec.digest:
                rec.failures = 0
                return PinCheck(rec.op)
            rec.failures += 1
            if rec.failures >= MAX_PIN_FAILURES:
                rec.failures = 0
                rec.locked_until = now + LOCKOUT_S
                return PinCheck(None, locked_for_s=LOCKOUT_S)
            return PinCheck(None, attempts_left=MAX_PIN_FAILURES - rec.failures)

    # -- people -------------------------------------------------------------------------
    def roster_size(self) -> int:
        return len(self._people)

    def search_people(self, text: str, limit: int = 50) -> list[Person]:
        check_io("database", "search_people")
        if self.query_delay_s:
            time.sleep(self.query_delay_s)
        needle = text.strip().casefold()
        with self._lock:
            rows = [p for p in self._people.values()
                    if needle in p.name.casefold() or needle in p.external_id.casefold()]
        return sorted(rows, key=lambda p: p.name.casefold())[:limit]

    def person(self, external_id: str) -> Person:
        check_io("database", "person")
        with self._lock:
            return self._people[external_id]

    def record_consent(self, rec: ConsentRecord) -> None:
        check_io("database", "record_consent")
        with self._lock:
            self.consents.append(rec)
            p = self._people[rec.external_id]
            self._people[rec.external_id] = replace(
                p, consent="granted" if rec.granted else "refused")

    # -- EnrollmentSink -----------------------------------------------------------------
    def owner_of_slot(self, slot: int) -> tuple[str, str] | None:
        with self._lock:
            owner = self._slots.get(slot)
            if owner is None:
                return None
            return (self._people[owner[0]].name, owner[1])

    def commit_enrollment(self, rec: CompletedEnrollment) -> str:
        check_io("database", "commit_enrollment")
        tid = str(uuid.uuid4())
        req = rec.request
        with self._lock:
            self._slots[rec.slot] = (req.person_external_id, req.finger)
            self._templates[tid] = (req.person_external_id, req.finger)
            p = self._people[req.person_external_id]
            self._people[p.external_id] = replace(p, enrolled=(*p.enrolled, req.finger))
        if self.on_commit:
            self.on_commit(tid)
        return tid

    def mark_synced(self, tid: str) -> None:
        with self._lock:
            ext, finger = self._templates[tid]
            p = self._people[ext]
            self._people[ext] = replace(p, synced=(*p.synced, finger))

    def record_attempt(self, rec: AttemptRecord) -> None:
        self.attempts.append(rec)

    def reserved_slots(self) -> set[int]:
        return set()

    def queue_slot_release(self, slot: int) -> None:
        with self._lock:
            self._slots.pop(slot, None)


@dataclass(frozen=True)
class _Hit:
    slot: int
    score: int


@dataclass(frozen=True)
class _Match:
    matched: bool
    score: int


class DemoSensor:
    """The R307 commands the engine needs, answered from a simulated finger on the glass."""

    capacity = 1000
    model = "R307 (simulated)"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.finger: str | None = None
        self.unplugged = False
        self._image: str | None = None
        self._fail: list[int] = []
        self._buf: dict[int, str | None] = {1: None, 2: None}
        self._lib: dict[int, str] = {}

    # simulator controls (any thread)
    def place(self, finger: str) -> None:
        with self._lock:
            self.finger = finger

    def lift(self) -> None:
        with self._lock:
            self.finger = None

    def fail_next(self, code: int) -> None:
        with self._lock:
            self._fail.append(code)

    # engine side (worker thread)
    def _io(self) -> None:
        check_io("serial", "demo sensor")
        if self.unplugged:
            raise DisconnectedError("sensor unplugged")

    def gen_img(self) -> bool:
        self._io()
        with self._lock:
            self._image = self.finger
            return self.finger is not None

    def img2tz(self, buffer: int) -> None:
        self._io()
        with self._lock:
            if self._fail:
                raise SensorCommandError("Img2Tz", self._fail.pop(0))
            self._buf[buffer] = self._image

    def search(self, buffer: int, start: int, count: int) -> _Hit | None:
        self._io()
        for slot, label in self._lib.items():
            if label == self._buf[buffer]:
                return _Hit(slot, 200)
        return None

    def match(self) -> _Match:
        self._io()
        same = self._buf[1] is not None and self._buf[1] == self._buf[2]
        return _Match(same, 180 if same else 0)

    def reg_model(self) -> None:
        self._io()

    def store(self, buffer: int, slot: int) -> None:
        self._io()
        label = self._buf[buffer]
        assert label is not None
        self._lib[slot] = label

    def up_char(self, buffer: int) -> bytes:
        self._io()
        label = self._buf[buffer] or ""
        return label.encode().ljust(512, b"\0")

    def down_char(self, buffer: int, template: bytes) -> None:
        self._io()
        self._buf[buffer] = template.rstrip(b"\0").decode()

    def delete(self, slot: int, count: int = 1) -> None:
        self._io()
        for s in range(slot, slot + count):
            self._lib.pop(s, None)

    def find_free_slot(self) -> int | None:
        self._io()
        return next(s for s in itertools.count() if s not in self._lib)

    def index_table(self) -> set[int]:
        self._io()
        return set(self._lib)


class DemoSensorService:
    """One worker thread per enrollment; listeners hear status and events from it."""

    def __init__(self, store: DemoStore, config: Config, *, simulated: bool = True) -> None:
        self.device = DemoSensor()
        self._store = store
        self._config = config
        self._gate = EnrollmentGate()
        self._listeners: list[Callable[[SensorState | Event], None]] = []
        self._token: CancelToken | None = None
        self._simulated = simulated
        self._status = self._ready()

    def _ready(self) -> SensorState:
        return SensorState("ready", port="virtual", model=self.device.model,
                           simulated=self._simulated, templates=len(self.device._lib),
                           capacity=self.device.capacity)

    @property
    def status(self) -> SensorState:
        return self._status

    @property
    def simulator(self) -> DemoSensor:
        return self.device

    def add_listener(self, cb: Callable[[SensorState | Event], None]) -> None:
        self._listeners.append(cb)

    def _emit(self, item: SensorState | Event) -> None:
        for cb in list(self._listeners):
            cb(item)

    def _set_status(self, st: SensorState) -> None:
        self._status = st
        self._emit(st)

    def enroll(self, request: EnrollmentRequest) -> CancelToken:
        token = CancelToken()
        self._gate.acquire(request, token)
        self._token = token
        engine = EnrollmentEngine(self.device, self._store, self._config.enrollment,
                                  poll_interval_s=0.01)

        def emit(event: Event) -> None:
            if isinstance(event, Result):  # free the sensor before the result is heard
                self._gate.release()
            self._emit(event)

        def work() -> None:
            try:
                self._set_status(replace(self._ready(), state="busy"))
                result: Result = engine.run(request, emit, token)
            finally:
                self._gate.release()
            if result.outcome.value == "disconnected":
                self._set_status(SensorState("disconnected", simulated=self._simulated,
                                             message="The fingerprint sensor is unplugged."))
            else:
                self._set_status(self._ready())

        threading.Thread(target=work, name="sensor-worker", daemon=True).start()
        return token

    def cancel(self) -> None:
        if self._token is not None:
            self._token.cancel()

    def unplug(self) -> None:
        self.device.unplugged = True
        if self._gate.running is None:
            self._set_status(SensorState("disconnected", simulated=self._simulated,
                                         message="The fingerprint sensor is unplugged."))

    def replug(self) -> None:
        self.device.unplugged = False
        self._set_status(self._ready())


class DemoSync:
    """Pretend central server: acknowledges committed templates after ``ack_delay_s``."""

    def __init__(self, store: DemoStore, *, online: bool = True, ack_delay_s: float = 0.3):
        self._store = store
        self._lock = threading.Lock()
        self._listeners: list[Callable[[SyncState], None]] = []
        self._pending: list[str] = []
        self._acked: set[str] = set()
        self.ack_delay_s = ack_delay_s
        self._state = SyncState("online" if online else "offline",
                                since=None if online else time.time())
        store.on_commit = self._queued

    @property
    def state(self) -> SyncState:
        return self._state

    def add_listener(self, cb: Callable[[SyncState], None]) -> None:
        self._listeners.append(cb)

    def _publish(self, **kw: object) -> None:
        with self._lock:
            self._state = replace(self._state, pending=len(self._pending),
                                  acked=frozenset(self._acked), **kw)  # type: ignore[arg-type]
            st = self._state
        for cb in list(self._listeners):
            cb(st)

    def _queued(self, tid: str) -> None:
        with self._lock:
            self._pending.append(tid)
        self._publish()
        self.sync_now()

    def set_online(self, online: bool, problem: str = "offline") -> None:
        if online:
            self._publish(state="online", since=None, message="")
            self.sync_now()
        else:
            self._publish(state=problem, since=time.time())

    def queue(self) -> list[str]:
        with self._lock:
            return list(self._pending)

    def sync_now(self) -> None:
        if self._state.state != "online":
            return

        def drain() -> None:
            time.sleep(self.ack_delay_s)
            check_io("mqtt", "demo drain")
            with self._lock:
                if self._state.state != "online":
                    return
                done, self._pending = self._pending, []
            for tid in done:
                self._store.mark_synced(tid)
                self._acked.add(tid)
            self._publish(last_sync=time.time())

        threading.Thread(target=drain, name="sync-worker", daemon=True).start()


class DemoStation:
    """Implements :class:`kiosk.ui.ports.StationPort` entirely in memory."""

    def __init__(self, paths: DataPaths, config: Config, *, roster: bool = True,
                 online: bool = True, operators: bool = False) -> None:
        self._paths = paths
        self._config = config
        self._store = DemoStore(roster=roster)
        self._sensor = DemoSensorService(self._store, config)
        self._sync: DemoSync | None = DemoSync(self._store, online=online)
        if operators:
            self._store.create_operator("Admin", "1234", ROLE_ADMIN)

    @property
    def config(self) -> Config:
        return self._config

    @property
    def paths(self) -> DataPaths:
        return self._paths

    @property
    def store(self) -> DemoStore:
        return self._store

    @property
    def sensor(self) -> DemoSensorService:
        return self._sensor

    @property
    def sync(self) -> DemoSync | None:
        return self._sync

    def close(self) -> None:
        self._sensor.cancel()

    def self_test(self) -> list[Check]:
        """The in-memory station's verdicts (the real checks live in kiosk.app.diagnostics)."""
        s = self._sensor.status
        sync = self._sync.state if self._sync is not None else None
        return [
            Check("Fingerprint sensor", s.state in ("ready", "busy"),
                  s.message or s.state, "" if s.state in ("ready", "busy") else
                  "Plug the sensor's USB cable in."),
            Check("Station database", True,
                  f"The database answers ({self._store.roster_size()} people)."),
            Check("Central server", sync is None or sync.state == "online",
                  "Connected to the central server." if sync and sync.state == "online"
                  else "No central server is set up." if sync is None
                  else "Cannot reach the central server.",
                  "" if sync is None or sync.state == "online"
                  else "Check the network cable or Wi-Fi of this station."),
            Check("Disk space", True, "Enough free space (in-memory station)."),
            Check("Log files", self._paths.logs.is_dir() or not self._paths.logs.exists(),
                  "The log folder is writable."),
        ]

    def export_bundle(self, dest: Path) -> Path:
        """A small zip with the in-memory station's status and logs (tests and demos)."""
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / bundle_name(self._config.station.id, time.strftime("%Y%m%d-%H%M%S"))
        status = {"sensor": str(self._sensor.status),
                  "self_test": [c.verdict for c in self.self_test()]}
        with zipfile.ZipFile(target, "w") as z:
            z.writestr("versions.json", json.dumps(versions()))
            z.writestr("config.json", json.dumps(self._config.redacted()))
            z.writestr("status.json", json.dumps(status))
            if self._paths.logs.is_dir():
                for f in sorted(self._paths.logs.iterdir()):
                    if f.is_file():
                        z.write(f, f"logs/{f.name}")
        return target

    def reconcile(self, repair: bool) -> str:
        check_io("serial", "reconcile")
        on_sensor = set(self._sensor.device._lib)
        in_db = set(self._store._slots)
        if on_sensor == in_db:
            return "The sensor and the database agree."
        if repair:
            for slot in on_sensor - in_db:
                self._sensor.device._lib.pop(slot, None)
            return "Cleared the templates this station had no record of."
        return f"The sensor holds {len(on_sensor - in_db)} unknown template(s)."

    def queue_summary(self) -> list[tuple[str, str]]:
        st = self._sync.state if self._sync else None
        return [("Waiting to be sent", str(st.pending if st else 0)),
                ("Rejected by the central server", str(st.rejected if st else 0))]

    # -- admin: sync queue and operators ------------------------------------------------
    def queue_rows(self) -> list[QueueRow]:
        check_io("database", "queue_rows")
        pending = self._sync.queue() if self._sync is not None else []
        return [QueueRow(n, "template", "pending", self._store._templates[tid][0],
                         self._store._templates[tid][1])
                for n, tid in enumerate(pending, 1)]

    def retry_queue(self, ids: list[int], actor: str) -> int:
        if self._sync is not None:
            self._sync.sync_now()
        return len(ids)

    def operators(self) -> list[OperatorRow]:
        return self._store.operators()

    def set_operator_active(self, name: str, active: bool, actor: str) -> None:
        self._store.set_active(name, active)

    def reset_pin(self, name: str, pin: str, actor: str) -> None:
        self._store.set_pin(name, pin)

    def unlock_operator(self, name: str, actor: str) -> None:
        self._store.unlock(name)

    def reload_sync(self, config: Config) -> DemoSync | None:
        """The in-memory station has one pretend central server: keep it, take the config."""
        self._config = config
        return self._sync


__all__ = ["DemoStation", "EnrollmentBusy"]
