"""One guided enrollment: three captures, duplicate and quality gates, clean recovery.

Scheme on a two-buffer R307 (protocol reference A7, "merge 2, verify with the 3rd"):

1. capture 1 → CharBuffer1; Search the library (duplicate gate);
2. lift; capture 2 → CharBuffer2; Match against capture 1 (same-finger gate); RegModel;
3. lift; capture 3 → CharBuffer2; Match against the merged template with a score floor;
4. Store in a free slot, UpChar the template, optionally DownChar + Match to verify;
5. hand the template to the sink (the store), which commits it with its outbox row.

"Completed" is reported only after that commit. Whatever goes wrong after Store, the slot is
deleted again (or queued for release if the sensor is gone) so the sensor never keeps a
template the database does not know. The engine is plain Python and not thread-safe: it runs
on the thread that owns the sensor and reports through a callback.

Long on purpose: the enrollment scheme (captures, gates, store, recovery) reads top to
bottom in one class; its events and vocabulary live in :mod:`.events`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Protocol

from kiosk.config import EnrollmentPolicy
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
from kiosk.sensor.codes import Confirmation
from kiosk.sensor.errors import DisconnectedError, SensorCommandError, SensorError
from kiosk_contract.fingers import Finger

log = logging.getLogger(__name__)

POLL_INTERVAL_S = 0.05
#: DownChar + Match pairs of the read-back check, in all.
READBACK_ATTEMPTS = 3


class MatchLike(Protocol):
    @property
    def matched(self) -> bool: ...
    @property
    def score(self) -> int: ...


class HitLike(Protocol):
    @property
    def slot(self) -> int: ...
    @property
    def score(self) -> int: ...


class SensorPort(Protocol):
    """The part of the sensor driver the engine needs."""

    @property
    def capacity(self) -> int: ...
    @property
    def model(self) -> str: ...
    def gen_img(self) -> bool: ...
    def img2tz(self, buffer: int) -> None: ...
    def search(self, buffer: int, start: int, count: int) -> HitLike | None: ...
    def match(self) -> MatchLike: ...
    def reg_model(self) -> None: ...
    def store(self, buffer: int, slot: int) -> None: ...
    def up_char(self, buffer: int) -> bytes: ...
    def down_char(self, buffer: int, template: bytes) -> None: ...
    def delete(self, slot: int, count: int = 1) -> None: ...
    def index_table(self) -> set[int]: ...


@dataclass(frozen=True)
class EnrollmentRequest:
    person_external_id: str
    finger: Finger
    operator: str | None = None
    station_id: str = ""
    #: Admin override: enroll even if the finger is already on the sensor.
    allow_duplicate: bool = False


@dataclass(frozen=True)
class CompletedEnrollment:
    request: EnrollmentRequest
    slot: int
    template: bytes
    sha256: str
    sensor_model: str
    template_format: str
    match_score: int
    retries: int
    started_at: float
    ended_at: float
    timings: list[dict[str, object]]


@dataclass(frozen=True)
class AttemptRecord:
    request: EnrollmentRequest
    outcome: Outcome
    reason: str
    retries: int
    started_at: float
    ended_at: float
    timings: list[dict[str, object]]


class StorageFull(Exception):
    """Raised by a sink whose disk is full. An operating condition, not a defect: the
    enrollment ends with :attr:`FailReason.DISK_FULL` (words a clerk can act on), and it is
    logged without a traceback."""


class EnrollmentSink(Protocol):
    """Where finished enrollments go (implemented over the local store). A full disk is
    raised as :class:`StorageFull`."""

    def owner_of_slot(self, slot: int) -> DuplicateOwner | None: ...
    def reserved_slots(self) -> set[int]: ...
    def reserve_slot(self, slot: int) -> None: ...
    def commit_enrollment(self, rec: CompletedEnrollment) -> str: ...
    def record_attempt(self, rec: AttemptRecord) -> None: ...
    def queue_slot_release(self, slot: int) -> None: ...


class CancelToken:
    """Set from any thread; the engine notices within one poll interval."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)


class _Stop(Exception):
    """Internal: ends the run with a terminal result."""

    def __init__(
        self,
        outcome: Outcome,
        reason: FailReason,
        *,
        retry_reason: RetryReason | None = None,
        duplicate_slot: int | None = None,
        duplicate_of: DuplicateOwner | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(reason.value)
        self.result = Result(outcome, reason, retry_reason=retry_reason,
                             duplicate_slot=duplicate_slot, duplicate_of=duplicate_of,
                             detail=detail)


_CAPTURE_RETRY: dict[int, RetryReason] = {
    Confirmation.IMAGE_FAIL: RetryReason.IMAGE_FAILED,
    Confirmation.PACKET_RECEIVE_ERROR: RetryReason.IMAGE_FAILED,
    Confirmation.IMAGE_TOO_DRY: RetryReason.TOO_DRY,
    Confirmation.IMAGE_TOO_WET: RetryReason.TOO_WET,
    Confirmation.IMAGE_MESSY: RetryReason.MESSY,
    Confirmation.FEATURE_FAIL: RetryReason.TOO_FEW_FEATURES,
    Confirmation.INVALID_IMAGE: RetryReason.IMAGE_FAILED,
}

TEMPLATE_FORMAT = "r30x-char"


@dataclass
class _Run:
    request: EnrollmentRequest
    emit: Callable[[Event], None]
    cancel: CancelToken
    started: float = field(default_factory=time.time)
    retries: int = 0
    timings: list[dict[str, object]] = field(default_factory=list)
    stored_slot: int | None = None


class EnrollmentEngine:
    def __init__(
        self,
        sensor: SensorPort,
        sink: EnrollmentSink,
        policy: EnrollmentPolicy,
        *,
        poll_interval_s: float = POLL_INTERVAL_S,
    ) -> None:
        self.sensor = sensor
        self.sink = sink
        self.policy = policy
        self.poll_interval_s = poll_interval_s

    # -- public -------------------------------------------------------------------------

    def run(
        self,
        request: EnrollmentRequest,
        on_event: Callable[[Event], None],
        cancel: CancelToken | None = None,
    ) -> Result:
        """Run one enrollment to its terminal result (also emitted as the last event)."""
        run = _Run(request, on_event, cancel or CancelToken())
        try:
            result = self._enroll(run)
        except _Stop as stop:
            result = self._abort(run, stop.result)
        except DisconnectedError as exc:
            result = self._abort(run, Result(Outcome.DISCONNECTED, FailReason.UNPLUGGED,
                                             detail=type(exc).__name__))
        except SensorError as exc:
            log.warning("enrollment failed on a sensor error: %s", exc)
            result = self._abort(run, Result(Outcome.FAILED, FailReason.SENSOR_ERROR,
                                             detail=f"{type(exc).__name__}: {exc.hint}"))
        on_event(result)
        return result

    # -- the scheme ---------------------------------------------------------------------

    def _enroll(self, run: _Run) -> Result:
        restarts = 0
        run.emit(Progress(0))
        while True:
            # Capture 1 → CharBuffer1, then the duplicate gate.
            self._capture(run, 1, buffer=1)
            self._duplicate_gate(run)
            run.emit(Progress(1))
            # Capture 2 → CharBuffer2, same-finger gate, merge.
            self._capture_matching(run, 2)
            run.emit(Progress(2))
            # Capture 3 → CharBuffer2, verified against the merged template.
            score = self._verify_third(run)
            if score is not None:
                break
            restarts += 1
            if restarts > 1:
                raise _Stop(Outcome.FAILED, FailReason.VERIFICATION_FAILED)
            run.emit(Prompt(PromptKind.RESTART))
            self._wait_lift(run)
            run.emit(Progress(0))
        run.emit(Prompt(PromptKind.WORKING))
        return self._store_and_commit(run, score)

    def _duplicate_gate(self, run: _Run) -> None:
        hit = self.sensor.search(1, 0, self.sensor.capacity)
        if hit is None or run.request.allow_duplicate:
            return
        raise _Stop(Outcome.DUPLICATE, FailReason.DUPLICATE, duplicate_slot=hit.slot,
                    duplicate_of=self.sink.owner_of_slot(hit.slot))

    def _capture_matching(self, run: _Run, capture: int) -> None:
        attempt = 0
        while True:
            self._capture(run, capture, buffer=2)
            result = self.sensor.match()
            reason: RetryReason | None = None
            if not result.matched:
                reason = RetryReason.NOT_SAME_FINGER
            else:
                try:
                    self.sensor.reg_model()
                except SensorCommandError as exc:
                    if exc.code != Confirmation.ENROLL_MISMATCH:
                        raise
                    reason = RetryReason.MERGE_FAILED
            if reason is None:
                return
            attempt += 1
            self._retry(run, Retry(reason, capture, attempt), attempt)

    def _verify_third(self, run: _Run) -> int | None:
        """Capture 3 against the merged template; None means 'restart the finger'."""
        attempt = 0
        while True:
            self._capture(run, 3, buffer=2)
            result = self.sensor.match()
            if result.matched and result.score >= self.policy.score_floor:
                return result.score
            attempt += 1
            reason = RetryReason.NOT_SAME_FINGER if not result.matched else RetryReason.LOW_QUALITY
            event = Retry(reason, 3, attempt)
            if attempt >= self.policy.retries_per_capture:
                run.retries += 1
                self._record_timing(run, 3, "verify-failed", reason.value)
                run.emit(event)
                return None
            self._retry(run, event, attempt)

    def _store_and_commit(self, run: _Run, score: int) -> Result:
        # Free on the sensor AND unknown to the database (which also remembers slots that
        # still await clearing on the sensor).
        taken = self.sensor.index_table() | self.sink.reserved_slots()
        slot = next((n for n in range(self.sensor.capacity) if n not in taken), None)
        if slot is None:
            raise _Stop(Outcome.FAILED, FailReason.LIBRARY_FULL)
        self._check_cancel(run)
        # Written down before the sensor holds it: if the program dies between the sensor's
        # Store and the database commit, the next connection clears the orphan slot.
        try:
            self.sink.reserve_slot(slot)
        except StorageFull as exc:
            raise self._disk_full(exc) from exc
        except Exception as exc:
            log.exception("reserving sensor slot %d failed", slot)
            raise _Stop(Outcome.FAILED, FailReason.COMMIT_FAILED,
                        detail=f"{type(exc).__name__}: {exc}") from exc
        self.sensor.store(1, slot)
        run.stored_slot = slot
        template = self.sensor.up_char(1)
        if self.policy.verify_after_store:
            check = self._read_back(template)
            if not check.matched:
                raise _Stop(Outcome.FAILED, FailReason.READBACK_MISMATCH)
        self._check_cancel(run)
        rec = CompletedEnrollment(
            request=run.request,
            slot=slot,
            template=template,
            sha256=hashlib.sha256(template).hexdigest(),
            sensor_model=self.sensor.model,
            template_format=f"{TEMPLATE_FORMAT}-{len(template)}",
            match_score=score,
            retries=run.retries,
            started_at=run.started,
            ended_at=time.time(),
            timings=run.timings,
        )
        try:
            uuid = self.sink.commit_enrollment(rec)
        except StorageFull as exc:
            raise self._disk_full(exc) from exc
        except Exception as exc:
            log.exception("committing the enrollment failed")
            raise _Stop(Outcome.FAILED, FailReason.COMMIT_FAILED,
                        detail=f"{type(exc).__name__}: {exc}") from exc
        run.stored_slot = None  # now owned by the database
        run.emit(Progress(STEPS))
        return Result(
            Outcome.COMPLETED,
            template_uuid=uuid,
            slot=slot,
            score=score,
            timings=run.timings,
        )

    @staticmethod
    def _disk_full(exc: StorageFull) -> _Stop:
        log.error("enrollment not saved: %s", exc)
        return _Stop(Outcome.FAILED, FailReason.DISK_FULL, detail=str(exc))

    def _read_back(self, template: bytes) -> MatchLike:
        """The stored template sent back into CharBuffer2 and matched with CharBuffer1. The
        module acknowledges no DownChar data: a transfer damaged on the line shows only as
        01 from the Match that follows, so the pair is sent again (bounded) rather than the
        Match alone, which would find the same broken buffer every time."""
        for attempt in range(READBACK_ATTEMPTS):
            self.sensor.down_char(2, template)
            try:
                return self.sensor.match()
            except SensorCommandError as exc:
                if (exc.code != Confirmation.PACKET_RECEIVE_ERROR
                        or attempt == READBACK_ATTEMPTS - 1):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    # -- captures -----------------------------------------------------------------------

    def _capture(self, run: _Run, capture: int, *, buffer: int) -> None:
        """Wait for a *fresh* finger, extract features into ``buffer``; retry per policy."""
        attempt = 0
        while True:
            # Always start from an empty sensor: a finger still resting from the previous
            # capture (or the previous finger) must never be taken as this capture.
            self._wait_lift(run)
            run.emit(Prompt(PromptKind.PLACE if capture == 1 and attempt == 0
                            else PromptKind.AGAIN, capture))
            t0 = time.monotonic()
            t1 = t0
            try:
                self._wait_finger(run)
                t1 = time.monotonic()
                self.sensor.img2tz(buffer)
            except SensorCommandError as exc:
                reason = _CAPTURE_RETRY.get(exc.code)
                if reason is None:
                    raise
                attempt += 1
                self._retry(run, Retry(reason, capture, attempt, exc.code), attempt,
                            wait_s=t1 - t0)
                continue
            self._record_timing(run, capture, "accepted", "", wait_s=t1 - t0,
                                process_s=time.monotonic() - t1)
            return

    def _retry(self, run: _Run, event: Retry, attempt: int, wait_s: float = 0.0) -> None:
        run.retries += 1
        self._record_timing(run, event.capture, "retry", event.reason.value, wait_s=wait_s)
        run.emit(event)
        if attempt >= self.policy.retries_per_capture or run.retries > self.policy.retries_total:
            raise _Stop(Outcome.FAILED, FailReason.RETRIES_EXHAUSTED, retry_reason=event.reason)

    def _record_timing(self, run: _Run, capture: int, what: str, reason: str,
                       wait_s: float = 0.0, process_s: float = 0.0) -> None:
        run.timings.append({"capture": capture, "result": what, "reason": reason,
                            "wait_s": round(wait_s, 3), "process_s": round(process_s, 3)})

    def _wait_finger(self, run: _Run) -> None:
        deadline = time.monotonic() + self.policy.idle_timeout_s
        while not self.sensor.gen_img():
            self._pause(run, deadline, FailReason.NO_FINGER)

    def _wait_lift(self, run: _Run) -> None:
        deadline = time.monotonic() + self.policy.idle_timeout_s
        prompted = False
        while self._finger_on_glass():
            if not prompted:
                run.emit(Prompt(PromptKind.LIFT))
                prompted = True
            self._pause(run, deadline, FailReason.FINGER_NOT_LIFTED)

    def _finger_on_glass(self) -> bool:
        """GenImg as a presence test: an unreadable image still means something is there."""
        try:
            return self.sensor.gen_img()
        except SensorCommandError as exc:
            if exc.code in _CAPTURE_RETRY:
                return True
            raise

    def _pause(self, run: _Run, deadline: float, reason: FailReason) -> None:
        self._check_cancel(run)
        if time.monotonic() >= deadline:
            raise _Stop(Outcome.TIMED_OUT, reason)
        if run.cancel.wait(self.poll_interval_s):
            self._check_cancel(run)

    def _check_cancel(self, run: _Run) -> None:
        if run.cancel.cancelled:
            raise _Stop(Outcome.CANCELLED, FailReason.CANCELLED)

    # -- recovery -----------------------------------------------------------------------

    def _abort(self, run: _Run, result: Result) -> Result:
        if run.stored_slot is not None:
            slot, run.stored_slot = run.stored_slot, None
            try:
                self.sensor.delete(slot, 1)
            except SensorError as exc:
                log.warning("could not clear slot %d after a failed enrollment (%s); queued",
                            slot, exc)
                try:
                    self.sink.queue_slot_release(slot)
                except StorageFull as full:  # its reservation still marks it for clearing
                    log.warning("slot %d not queued for clearing: %s", slot, full)
        try:
            self.sink.record_attempt(AttemptRecord(
                request=run.request, outcome=result.outcome, reason=result.reason_code,
                retries=run.retries, started_at=run.started, ended_at=time.time(),
                timings=run.timings,
            ))
        except StorageFull as exc:
            log.warning("the failed attempt was not recorded: %s", exc)
        except Exception:
            log.exception("could not record the failed attempt")
        return replace(result, timings=run.timings)

    # -- verification after enrollment ----------------------------------------------------

    def verify(
        self,
        request: VerifyRequest,
        on_event: Callable[[Event | VerifyResult], None],
        cancel: CancelToken | None = None,
    ) -> VerifyResult:
        """One more press, identified through the library (Search), as the reader will do it.

        Enrollment succeeds on a 1:1 Match against the merged template; people later fail at
        the reader, which searches 1:N. This run captures once (same lift/place prompts and
        retry rules as a capture), searches the whole library and says whether it found the
        slot just enrolled. Nothing is stored or deleted here; the desk records the verdict.
        """
        run = _Run(EnrollmentRequest(request.person_external_id, request.finger,
                                     operator=request.operator), on_event, cancel or CancelToken())
        t0 = time.monotonic()
        found: int | None = None
        score: int | None = None
        detail = ""
        try:
            self._capture(run, 1, buffer=1)
            hit = self.sensor.search(1, 0, self.sensor.capacity)
            if hit is None:
                outcome = VerifyOutcome.NOT_FOUND
            else:
                found, score = hit.slot, hit.score
                outcome = (VerifyOutcome.MATCHED if hit.slot == request.expected_slot
                           else VerifyOutcome.OTHER_TEMPLATE)
        except _Stop as stop:
            outcome = _VERIFY_STOPS.get(stop.result.outcome, VerifyOutcome.UNREADABLE)
            detail = stop.result.reason_code
        except DisconnectedError as exc:
            outcome, detail = VerifyOutcome.DISCONNECTED, type(exc).__name__
        except SensorError as exc:
            log.warning("verification failed on a sensor error: %s", exc)
            outcome, detail = VerifyOutcome.SENSOR_ERROR, f"{type(exc).__name__}: {exc.hint}"
        result = VerifyResult(request, outcome, found_slot=found, score=score,
                              retries=run.retries, duration_s=round(time.monotonic() - t0, 3),
                              detail=detail)
        on_event(result)
        return result


class VerifyOutcome(Enum):
    """What the check after enrollment found."""

    #: The library search found the slot just enrolled: this person, this finger.
    MATCHED = "matched"
    #: It found another template (another finger, or another person).
    OTHER_TEMPLATE = "other-template"
    #: It found nothing.
    NOT_FOUND = "not-found"
    #: The press could not be read, after the usual retries.
    UNREADABLE = "unreadable"
    TIMED_OUT = "timed-out"
    CANCELLED = "cancelled"
    DISCONNECTED = "disconnected"
    SENSOR_ERROR = "sensor-error"

    @property
    def passed(self) -> bool:
        return self is VerifyOutcome.MATCHED

    @property
    def failed(self) -> bool:
        """A verdict against the enrollment (the person pressed, the reader would not know
        them); the others mean the check did not happen."""
        return self in (VerifyOutcome.OTHER_TEMPLATE, VerifyOutcome.NOT_FOUND,
                        VerifyOutcome.UNREADABLE)


_VERIFY_STOPS: dict[Outcome, VerifyOutcome] = {
    Outcome.CANCELLED: VerifyOutcome.CANCELLED,
    Outcome.TIMED_OUT: VerifyOutcome.TIMED_OUT,
    Outcome.FAILED: VerifyOutcome.UNREADABLE,
}


@dataclass(frozen=True)
class VerifyRequest:
    """Check ``finger`` of a person, just enrolled into ``expected_slot``."""

    person_external_id: str
    finger: Finger
    expected_slot: int
    template_uuid: str = ""
    operator: str | None = None


@dataclass(frozen=True)
class VerifyResult:
    """The terminal event of a verification run."""

    request: VerifyRequest
    outcome: VerifyOutcome
    found_slot: int | None = None
    score: int | None = None
    retries: int = 0
    duration_s: float = 0.0
    #: Technical detail for the log and the audit entry.
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome.passed

    @property
    def failed(self) -> bool:
        return self.outcome.failed


class EnrollmentBusy(RuntimeError):
    """Another enrollment is running on this sensor; ``cancel_running()`` stops it."""

    def __init__(self, running: EnrollmentRequest, token: CancelToken) -> None:
        super().__init__(
            f"an enrollment is already running ({running.person_external_id}, "
            f"{running.finger})"
        )
        self.running = running
        self._token = token

    def cancel_running(self) -> None:
        self._token.cancel()


class EnrollmentGate:
    """One enrollment per sensor, enforced in process.

    Held only for the duration of a run, in memory: a crash cannot leave a stale lock behind.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: tuple[EnrollmentRequest, CancelToken] | None = None

    def acquire(self, request: EnrollmentRequest, token: CancelToken) -> None:
        with self._lock:
            if self._running is not None:
                raise EnrollmentBusy(*self._running)
            self._running = (request, token)

    def release(self, token: CancelToken) -> bool:
        """End the run that ``token`` belongs to. Releasing twice, or releasing a run that is
        already over, never ends the next run (returns False then)."""
        with self._lock:
            if self._running is None or self._running[1] is not token:
                return False
            self._running = None
            return True

    def cancel(self) -> bool:
        """Cancel the run in progress (also one that is queued and has not started yet)."""
        with self._lock:
            if self._running is None:
                return False
            self._running[1].cancel()
            return True

    @property
    def running(self) -> EnrollmentRequest | None:
        with self._lock:
            return self._running[0] if self._running else None
