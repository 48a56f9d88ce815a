"""The sensor worker: one thread owns the serial port; everyone else submits jobs to it.

The GUI (through a Qt bridge in ``kiosk.ui``) and the CLI talk to the sensor only through this
service. It connects (configured port, USB discovery, or the in-process simulator), watches
the connection while idle so an unplug shows within a couple of seconds, reconnects by itself
when the sensor comes back, and runs enrollments one at a time. Listeners are called on the
worker thread and must only hand the event over (queue it / emit a queued signal).

Long on purpose (a little over 400 lines): the one thread that owns the serial port, its job
queue, reconnection and the enrollment and check jobs are kept together so the single-owner rule
is visible in one class.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from kiosk.config import EnrollmentPolicy
from kiosk.enrollment.engine import (
    CancelToken,
    EnrollmentEngine,
    EnrollmentGate,
    EnrollmentRequest,
    EnrollmentSink,
    SensorPort,
    VerifyOutcome,
    VerifyRequest,
    VerifyResult,
)
from kiosk.enrollment.events import Event, FailReason, Outcome, Result
from kiosk.sensor.errors import (
    DisconnectedError,
    PortUnavailableError,
    SensorError,
    SensorTimeout,
)
from kiosk_contract.telemetry import SensorState

log = logging.getLogger(__name__)

T = TypeVar("T")


class SensorProblem(StrEnum):
    """Why the sensor is not ready, for the front ends to put into words."""

    NOT_FOUND = "not-found"
    UNPLUGGED = "unplugged"
    NOT_ANSWERING = "not-answering"
    PORT_MISSING = "port-missing"
    PORT_BUSY = "port-busy"
    NO_PERMISSION = "no-permission"


@dataclass(frozen=True)
class SensorStatus:
    """What the status bar shows; ``detail`` is technical (log, self-test), never a headline."""

    state: SensorState
    port: str = ""
    model: str = ""
    simulated: bool = False
    problem: SensorProblem | None = None
    detail: str = ""
    templates: int | None = None
    capacity: int | None = None

    @property
    def connected(self) -> bool:
        return self.state in (SensorState.READY, SensorState.BUSY)


def problem_of(exc: BaseException) -> SensorProblem:
    """Classify a failed connection by its type (never by its message text)."""
    if isinstance(exc, PortUnavailableError):
        return {PortUnavailableError.BUSY: SensorProblem.PORT_BUSY,
                PortUnavailableError.PERMISSION: SensorProblem.NO_PERMISSION,
                PortUnavailableError.MISSING: SensorProblem.PORT_MISSING,
                }.get(exc.reason, SensorProblem.NOT_FOUND)
    if isinstance(exc, SensorTimeout):
        return SensorProblem.NOT_ANSWERING
    return SensorProblem.NOT_FOUND


class SensorHandle(SensorPort, Protocol):
    """A connected sensor as the service needs it (the engine's port plus housekeeping)."""

    @property
    def port_name(self) -> str: ...
    def template_count(self) -> int: ...
    def close(self) -> None: ...


Connector = Callable[[], SensorHandle]


@dataclass
class _Job(Generic[T]):
    fn: Callable[[SensorHandle], T]
    done: Callable[[T | BaseException], None] | None
    result: T | BaseException | None = None
    finished: threading.Event | None = None


def _record_safely(record: Callable[[VerifyResult], None] | None, result: VerifyResult) -> None:
    if record is None:
        return
    try:
        record(result)
    except Exception:
        log.exception("could not record the verification")


class SensorService:
    def __init__(
        self,
        connector: Connector,
        *,
        simulated: bool = False,
        retry_interval_s: float = 1.0,
        health_interval_s: float = 1.5,
        on_connect: Callable[[SensorHandle], None] | None = None,
    ) -> None:
        self._connector = connector
        self._on_connect = on_connect
        self._simulated = simulated
        self._retry_interval_s = retry_interval_s
        self._health_interval_s = health_interval_s
        self._jobs: queue.Queue[_Job[Any] | None] = queue.Queue()
        self._listeners: list[Callable[[object], None]] = []
        self._status = SensorStatus(SensorState.STARTING, simulated=simulated)
        self._status_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._handle: SensorHandle | None = None
        self.gate = EnrollmentGate()
        self._current_cancel: CancelToken | None = None

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sensor-worker", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._current_cancel is not None:
            self._current_cancel.cancel()
        self._jobs.put(None)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def add_listener(self, cb: Callable[[object], None]) -> None:
        self._listeners.append(cb)

    @property
    def status(self) -> SensorStatus:
        with self._status_lock:
            return self._status

    # -- jobs ---------------------------------------------------------------------------

    def submit(
        self,
        fn: Callable[[SensorHandle], T],
        done: Callable[[T | BaseException], None] | None = None,
    ) -> None:
        """Run ``fn(sensor)`` on the worker; ``done`` gets the result or the exception."""
        self._jobs.put(_Job(fn, done))

    def call(self, fn: Callable[[SensorHandle], T], timeout: float = 30.0) -> T:
        """Run ``fn`` on the worker and wait for it (CLI and tests; never the GUI thread)."""
        job: _Job[T] = _Job(fn, None, finished=threading.Event())
        self._jobs.put(job)
        assert job.finished is not None
        if not job.finished.wait(timeout):
            raise TimeoutError("the sensor worker did not finish the job in time")
        if isinstance(job.result, BaseException):
            raise job.result
        return job.result  # type: ignore[return-value]

    def enroll(
        self,
        request: EnrollmentRequest,
        sink: EnrollmentSink,
        policy: EnrollmentPolicy,
        done: Callable[[Result], None] | None = None,
    ) -> CancelToken:
        """Start an enrollment; events reach the listeners. Raises ``EnrollmentBusy``."""
        token = CancelToken()
        self.gate.acquire(request, token)

        def emit(event: object) -> None:
            # Free the sensor before anyone hears the terminal result, so whoever reacts to
            # it (the next finger, the next person) can start at once instead of "busy".
            if isinstance(event, Result):
                if self._current_cancel is token:
                    self._current_cancel = None
                self.gate.release(token)
            self._emit(event)

        def job(sensor: SensorHandle) -> Result:
            self._current_cancel = token
            self._set_status(replace(self.status, state=SensorState.BUSY))
            try:
                # A slot a failed enrollment could not clear (a noisy line) is cleared now,
                # not at the next reconnection: until then that person's next try would be
                # refused as a duplicate of a template nobody owns.
                self._housekeeping(sensor)
                engine = EnrollmentEngine(sensor, sink, policy)
                result = engine.run(request, emit, token)
            finally:
                if self._current_cancel is token:
                    self._current_cancel = None
                self.gate.release(token)  # only this run's: the next one may have started
            if result.outcome is Outcome.DISCONNECTED:
                self._drop_connection(SensorProblem.UNPLUGGED, "unplugged during an enrollment")
            else:
                self._refresh_counts(sensor)
            return result

        def finished(res: Result | BaseException) -> None:
            if isinstance(res, BaseException):
                # The sensor is not connected (or the job never ran): still a terminal result.
                self.gate.release(token)
                res = Result(Outcome.DISCONNECTED, FailReason.NOT_CONNECTED,
                             detail=type(res).__name__)
                self._emit(res)
            if done is not None:
                done(res)

        self.submit(job, finished)
        return token

    def verify(
        self,
        request: VerifyRequest,
        sink: EnrollmentSink,
        policy: EnrollmentPolicy,
        *,
        record: Callable[[VerifyResult], None] | None = None,
        done: Callable[[VerifyResult], None] | None = None,
    ) -> CancelToken:
        """Start the check after an enrollment (one press, one library search).

        It holds the same gate as an enrollment (one sensor job of this kind at a time, and
        :meth:`cancel` stops it). ``record`` runs on the worker before the terminal
        :class:`VerifyResult` reaches the listeners, so whoever hears it finds it recorded.
        Raises ``EnrollmentBusy``.
        """
        token = CancelToken()
        self.gate.acquire(EnrollmentRequest(request.person_external_id, request.finger,
                                            operator=request.operator), token)

        def keep(result: VerifyResult) -> None:
            _record_safely(record, result)

        def emit(event: object) -> None:
            if isinstance(event, VerifyResult):
                keep(event)
                if self._current_cancel is token:
                    self._current_cancel = None
                self.gate.release(token)
            self._emit(event)

        def job(sensor: SensorHandle) -> VerifyResult:
            self._current_cancel = token
            self._set_status(replace(self.status, state=SensorState.BUSY))
            try:
                result = EnrollmentEngine(sensor, sink, policy).verify(request, emit, token)
            finally:
                if self._current_cancel is token:
                    self._current_cancel = None
                self.gate.release(token)
            if result.outcome is VerifyOutcome.DISCONNECTED:
                self._drop_connection(SensorProblem.UNPLUGGED, "unplugged during a check")
            else:
                self._refresh_counts(sensor)
            return result

        def finished(res: VerifyResult | BaseException) -> None:
            if isinstance(res, BaseException):
                self.gate.release(token)
                res = VerifyResult(request, VerifyOutcome.DISCONNECTED,
                                   detail=type(res).__name__)
                keep(res)
                self._emit(res)
            if done is not None:
                done(res)

        self.submit(job, finished)
        return token

    def cancel(self) -> None:
        """Cancel the enrollment in progress, even one still queued behind another job (a
        Cancel pressed the moment the capture screen appears must not be lost)."""
        self.gate.cancel()

    # -- worker -------------------------------------------------------------------------

    def _emit(self, event: object) -> None:
        for cb in list(self._listeners):
            try:
                cb(event)
            except Exception:
                log.exception("sensor listener failed")

    def _set_status(self, status: SensorStatus) -> None:
        with self._status_lock:
            changed = status != self._status
            self._status = status
        if changed:
            self._emit(status)

    def _connect(self) -> SensorHandle | None:
        try:
            handle = self._connector()
        except Exception as exc:  # no port, port busy, no answer…: keep looking, say why
            log.debug("sensor connect failed: %s", exc)
            if self.status.state is not SensorState.DISCONNECTED:
                detail = exc.hint if isinstance(exc, SensorError) else str(exc)
                self._set_status(SensorStatus(SensorState.SEARCHING, simulated=self._simulated,
                                              problem=problem_of(exc), detail=detail))
            return None
        self._handle = handle
        try:
            self._housekeeping(handle)
        except DisconnectedError:
            self._drop_connection(SensorProblem.UNPLUGGED, "unplugged while connecting")
            return None
        self._refresh_counts(handle)
        return handle

    def _housekeeping(self, sensor: SensorHandle) -> None:
        """``on_connect`` (clear the slots awaiting release), on every connection and before
        every enrollment. A sensor error leaves the work for the next time: on a noisy line
        that is an expected event (a warning), not a defect (a traceback). Raises only
        :class:`DisconnectedError`."""
        if self._on_connect is None:
            return
        try:
            self._on_connect(sensor)
        except DisconnectedError:
            raise
        except SensorError as exc:
            log.warning("sensor housekeeping left for later: %s", exc)
        except Exception:
            log.exception("sensor housekeeping failed")

    def _refresh_counts(self, sensor: SensorHandle) -> None:
        try:
            count = sensor.template_count()
        except DisconnectedError:
            self._drop_connection(SensorProblem.UNPLUGGED, "unplugged")
            return
        except SensorError:
            count = None
        busy = self.gate.running is not None and self._current_cancel is not None
        self._set_status(SensorStatus(
            SensorState.BUSY if busy else SensorState.READY, port=sensor.port_name,
            model=sensor.model, simulated=self._simulated, templates=count,
            capacity=sensor.capacity,
        ))

    def _drop_connection(self, problem: SensorProblem, detail: str) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            try:
                handle.close()
            except Exception:
                log.debug("closing a lost sensor failed", exc_info=True)
        self._set_status(replace(self.status, state=SensorState.DISCONNECTED, problem=problem,
                                 detail=detail, templates=None))

    def _run(self) -> None:
        while not self._stop.is_set():
            sensor = self._handle or self._connect()
            try:
                job = self._jobs.get(timeout=self._health_interval_s if sensor
                                     else self._retry_interval_s)
            except queue.Empty:
                if sensor is not None:
                    self._health_check(sensor)
                continue
            if job is None:
                break
            if sensor is None:
                sensor = self._connect()
            self._run_job(job, sensor)
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _health_check(self, sensor: SensorHandle) -> None:
        try:
            sensor.template_count()
        except DisconnectedError:
            self._drop_connection(SensorProblem.UNPLUGGED, "unplugged")
        except SensorError as exc:
            log.warning("sensor health check failed: %s", exc)
            self._drop_connection(SensorProblem.NOT_ANSWERING, exc.hint)

    def _run_job(self, job: _Job[Any], sensor: SensorHandle | None) -> None:
        result: Any
        if sensor is None:
            result = DisconnectedError("The fingerprint sensor is not connected.")
        else:
            try:
                result = job.fn(sensor)
            except DisconnectedError as exc:
                self._drop_connection(SensorProblem.UNPLUGGED, "unplugged")
                result = exc
            except BaseException as exc:
                result = exc
        job.result = result
        if job.finished is not None:
            job.finished.set()
        if job.done is not None:
            try:
                job.done(result)
            except Exception:
                log.exception("sensor job callback failed")


__all__ = ["Event", "SensorHandle", "SensorProblem", "SensorService", "SensorState",
           "SensorStatus", "problem_of"]
