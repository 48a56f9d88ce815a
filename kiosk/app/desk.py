"""The enrollment desk: find the person, record consent, enroll a finger — the clerk's day.

This service owns the enrollment policy and the sink (the local store), so no front end can
enroll against other rules, and it asks sync to send a template the moment it is committed.
Every method but :meth:`enroll` and :meth:`cancel` blocks on the database: call them off the
GUI thread. Enrollment events reach the sensor listeners (:class:`SensorService`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.app.sensor_service import SensorService
from kiosk.app.store_sink import StoreSink
from kiosk.config import Config
from kiosk.enrollment.engine import CancelToken, EnrollmentRequest, VerifyRequest, VerifyResult
from kiosk.enrollment.events import Result
from kiosk.store import ConsentMethod, PersonStatus, Store
from kiosk_contract.fingers import Finger

#: Rows a search returns: more than fit on the screen is only slower; typing narrows it down.
SEARCH_ROWS = 20


@dataclass(frozen=True)
class DuplicateOverride:
    """An administrator's decision to enroll a finger the duplicate gate stopped."""

    admin: str
    reason: str


class EnrollmentDesk:
    def __init__(self, store: Store, sensor: SensorService, config: Callable[[], Config],
                 on_commit: Callable[[], None]) -> None:
        self._store = store
        self._sensor = sensor
        self._config = config
        self._on_commit = on_commit
        self._sink = StoreSink(store)

    # -- people ----------------------------------------------------------------------------
    def search(self, text: str, limit: int = SEARCH_ROWS) -> list[PersonStatus]:
        """People matching every word of ``text``, each with fingers and consent (one read)."""
        return self._store.people.search_status(text, limit)

    def groups(self) -> list[tuple[str, int, int]]:
        """Groups/classes of the roster: (name, people, people with a template)."""
        return self._store.people.groups()

    def group(self, name: str) -> list[PersonStatus]:
        """Everyone in a group, with fingers and consent (for "next not enrolled")."""
        return self._store.people.in_group(name)

    def roster_size(self) -> int:
        return self._store.people.count()

    def person(self, external_id: str) -> PersonStatus:
        return self._store.people.status(external_id)

    # -- consent ---------------------------------------------------------------------------
    def record_consent(self, external_id: str, method: ConsentMethod, operator: str | None,
                       language: str = "") -> str:
        """Consent given (or refused) with the station's current notice in ``language`` (the
        one the person was shown: each language has its own version); returns its uuid."""
        notice = self._config().consent.notice_for(language)
        return self._store.consents.record(
            external_id, notice_version=notice.notice_version, notice_text=notice.notice_text,
            method=method, operator=operator, language=notice.language)

    # -- enrollment ------------------------------------------------------------------------
    def enroll(self, external_id: str, finger: Finger, operator: str | None, *,
               allow_duplicate: bool = False, override: DuplicateOverride | None = None,
               done: Callable[[Result], None] | None = None) -> CancelToken:
        """Start one finger; raises ``EnrollmentBusy`` if another is running.

        ``override``: an administrator decided (after the duplicate screen, with their PIN)
        that this finger may be enrolled although the sensor already holds a matching one;
        the decision and its reason go to the audit log before the capture starts.
        The terminal :class:`Result` reaches the sensor listeners (and ``done``); a completed
        one is already committed with its outbox row, and sync has been asked to send it.
        """
        config = self._config()
        if override is not None:
            self._store.audit.record(override.admin, "duplicate-override", external_id,
                                     after={"finger": finger.value, "reason": override.reason,
                                            "operator": operator})
        request = EnrollmentRequest(external_id, finger, operator=operator,
                                    station_id=config.station.id,
                                    allow_duplicate=allow_duplicate or override is not None)

        def finished(result: Result) -> None:
            if result.ok:
                self._on_commit()
            if done is not None:
                done(result)

        return self._sensor.enroll(request, self._sink, config.enrollment, finished)

    def verify(self, external_id: str, finger: Finger, *, slot: int, template_uuid: str = "",
               operator: str | None,
               done: Callable[[VerifyResult], None] | None = None) -> CancelToken:
        """The check after enrollment: one more press must be found by a library search.

        Non-blocking (like :meth:`enroll`); raises ``EnrollmentBusy``. The verdict is recorded
        with the enrollment (an audit entry ``verify`` naming the template) before the
        terminal :class:`VerifyResult` reaches the sensor listeners (and ``done``).
        """
        request = VerifyRequest(external_id, finger, slot, template_uuid, operator)
        return self._sensor.verify(request, self._sink, self._config().enrollment,
                                   record=self._record_verify, done=done)

    def _record_verify(self, result: VerifyResult) -> None:
        req = result.request
        self._store.audit.record(
            req.operator or "system", "verify", req.person_external_id,
            after={"finger": req.finger.value, "template_uuid": req.template_uuid,
                   "outcome": result.outcome.value, "slot": req.expected_slot,
                   "found_slot": result.found_slot, "score": result.score,
                   "retries": result.retries, "duration_s": result.duration_s,
                   "detail": result.detail})

    def cancel(self) -> None:
        self._sensor.cancel()

    @property
    def running(self) -> EnrollmentRequest | None:
        return self._sensor.gate.running


__all__ = ["SEARCH_ROWS", "DuplicateOverride", "EnrollmentDesk"]
