"""A scripted day at the desk: 50 finger enrollments on the real station and simulator.

Two operators work through two classes (27 people): most press cleanly, some need a repeated
press (unclear, too faint, not flat), two lose a finger to unclear presses and enroll another
one, one capture is cancelled, one check after enrollment fails, one person cannot be
enrolled at all (failure to enroll) and one refuses. Every enrollment goes through the desk
service, the enrollment engine and the virtual R307, so the figures page and ``kiosk report``
read real attempt records.

``python -m tests.ui.day --place 0.8 --lift 0.3`` runs the day with a person's reaction times
(a few minutes) into a throw-away data folder and prints the figures.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kiosk.app import ConsentMethod, Finger, Result, Role, SensorCode, Station, VerifyResult
from kiosk.app import report as figures_report
from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.sim.core import VirtualR307
from kiosk.store import PersonIn

ADMIN, CLERK = "Admin", "Sam Clerk"
GIVEN = ("Ada", "Bilal", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas",
         "Kwame", "Lena", "Mateo", "Nour", "Oskar", "Priya", "Quentin", "Rosa", "Sami", "Tala",
         "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoé", "Aylin")
FAMILY = ("Abara", "Brandt", "Costa", "Dimitrov", "Eriksen", "Fontaine", "García", "Horváth",
          "Ibrahim", "Jansen", "Kowalski", "López", "Moreau", "Nakamura", "Olsen", "Petrov",
          "Quispe", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz",
          "Zimmermann", "Arslan")


def roster() -> list[PersonIn]:
    return [PersonIn(f"D-{i + 1:03d}", f"{GIVEN[i]} {FAMILY[i]}",
                     group="Class 7B" if i < 14 else "Class 7C") for i in range(len(GIVEN))]


class ScriptedPerson:
    """A person at the virtual sensor with a person's timing: the finger goes on ``place_s``
    after the station starts waiting for it and comes off ``lift_s`` after each capture."""

    def __init__(self, sim: VirtualR307, label: str | Callable[[], str], *,
                 place_s: float = 0.0, lift_s: float = 0.0) -> None:
        self.sim = sim
        self.label = label
        self.place_s = place_s
        self.lift_s = lift_s
        self._pending: threading.Timer | None = None
        self._lock = threading.Lock()

    def install(self) -> ScriptedPerson:
        self.sim.on_wait_for_finger = self._waits
        self.sim.on_capture_accepted = self._done
        self.sim.on_finger_resting = self._done
        return self

    def uninstall(self) -> None:
        self.sim.on_wait_for_finger = None
        self.sim.on_capture_accepted = None
        self.sim.on_finger_resting = None
        with self._lock:
            if self._pending is not None:
                self._pending.cancel()
        self.sim.lift()

    def _later(self, seconds: float, action: object) -> None:
        with self._lock:
            if self._pending is not None and self._pending.is_alive():
                return
            t = threading.Timer(seconds, action)  # type: ignore[arg-type]
            t.daemon = True
            self._pending = t
            t.start()

    def _finger(self) -> str:
        return self.label if isinstance(self.label, str) else self.label()

    def _waits(self, sim: VirtualR307) -> None:
        if sim.finger_present or not self._finger():
            return  # (a label of "" means: the person holds back for now)
        if self.place_s <= 0:
            sim.place(self._finger())
        else:
            self._later(self.place_s, lambda: sim.place(self._finger()))

    def _done(self, sim: VirtualR307) -> None:
        if self.lift_s <= 0:
            sim.lift()
        else:
            self._later(self.lift_s, sim.lift)


@dataclass
class DayLog:
    enrolled: int = 0
    failed: int = 0
    cancelled: int = 0
    checks: list[str] = field(default_factory=list)


def _wait(event: threading.Event, what: str) -> None:
    if not event.wait(120):
        raise TimeoutError(f"{what} did not finish")


def _enroll(station: Station, ext: str, finger: Finger, operator: str, label: str, *,
            place_s: float, lift_s: float, faults: tuple[tuple[int, int], ...] = ()) -> Result:
    sim = station.simulation.sim if station.simulation else None
    assert sim is not None
    for code, count in faults:
        sim.fail_next(code, count)
    done = threading.Event()
    got: list[Result] = []

    def finished(r: Result) -> None:
        got.append(r)
        done.set()

    person = ScriptedPerson(sim, label, place_s=place_s, lift_s=lift_s).install()
    try:
        station.desk.enroll(ext, finger, operator, done=finished)
        _wait(done, f"enrolling {ext}")
    finally:
        person.uninstall()
    return got[0]


def _cancelled(station: Station, ext: str, finger: Finger, operator: str) -> Result:
    """The clerk starts a capture and cancels it before the person presses."""
    sim = station.simulation.sim if station.simulation else None
    assert sim is not None
    done = threading.Event()
    got: list[Result] = []

    def finished(r: Result) -> None:
        got.append(r)
        done.set()

    sim.on_wait_for_finger = lambda _s: station.desk.cancel()
    try:
        station.desk.enroll(ext, finger, operator, done=finished)
        _wait(done, "the cancelled capture")
    finally:
        sim.on_wait_for_finger = None
    return got[0]


def _check(station: Station, ext: str, result: Result, finger: Finger, operator: str,
           label: str, *, place_s: float, lift_s: float) -> VerifyResult:
    sim = station.simulation.sim if station.simulation else None
    assert sim is not None and result.slot is not None
    done = threading.Event()
    got: list[VerifyResult] = []

    def finished(v: VerifyResult) -> None:
        got.append(v)
        done.set()

    person = ScriptedPerson(sim, label, place_s=place_s, lift_s=lift_s).install()
    try:
        station.desk.verify(ext, finger, slot=result.slot,
                            template_uuid=result.template_uuid or "", operator=operator,
                            done=finished)
        _wait(done, f"checking {ext}")
    finally:
        person.uninstall()
    return got[0]


MESSY, DRY, FLAT = (int(SensorCode.IMAGE_MESSY), int(SensorCode.IMAGE_TOO_DRY),
                    int(SensorCode.FEATURE_FAIL))


def _plan(i: int) -> tuple[list[tuple[Finger, tuple[tuple[int, int], ...], bool]], bool]:
    """For person ``i``: the attempts (finger, injected faults, expected to succeed) and
    whether the check after enrollment is pressed with another finger (so it fails)."""
    first: tuple[tuple[int, int], ...] = ()
    second: tuple[tuple[int, int], ...] = ()
    if i % 5 == 1:
        first = ((MESSY, 1),)
    if i % 7 == 2:
        second = ((DRY, 1),)
    if i % 8 == 3:
        first = ((FLAT, 2),)
    attempts = [(Finger.RIGHT_INDEX, first, True), (Finger.LEFT_INDEX, second, True)]
    if i in (6, 17):  # the right index will not give a clear print: the middle one instead
        attempts = [(Finger.RIGHT_INDEX, ((MESSY, 3),), False),
                    (Finger.RIGHT_MIDDLE, (), True), (Finger.LEFT_INDEX, second, True)]
    if i == 25:  # no finger gives a clear print: failure to enroll (the ID card instead)
        attempts = [(Finger.RIGHT_INDEX, ((MESSY, 3),), False),
                    (Finger.LEFT_INDEX, ((MESSY, 3),), False)]
    return attempts, i == 20


def run_day(station: Station, *, place_s: float = 0.0, lift_s: float = 0.0) -> DayLog:
    """The whole day, person by person (blocking: run it off the GUI thread, or before)."""
    station.roster.import_rows(roster(), actor="registrar")
    if CLERK not in station.operators.names():
        station.operators.create(CLERK, "5555", Role.STAFF, actor=ADMIN)
    log = DayLog()
    people = roster()
    for i, p in enumerate(people):
        operator = ADMIN if i < 13 else CLERK
        if i == len(people) - 1:
            station.desk.record_consent(p.external_id, ConsentMethod.REFUSED, operator)
            continue
        station.desk.record_consent(p.external_id, ConsentMethod.SIGNED_PAPER, operator)
        if i == 11:
            _cancelled(station, p.external_id, Finger.RIGHT_INDEX, operator)
            log.cancelled += 1
        attempts, bad_check = _plan(i)
        last: tuple[Result, Finger] | None = None
        for finger, faults, ok in attempts:
            r = _enroll(station, p.external_id, finger, operator, f"{p.external_id}:{finger}",
                        place_s=place_s, lift_s=lift_s, faults=faults)
            if r.ok != ok:
                raise AssertionError(f"{p.external_id} {finger}: {r}")
            if r.ok:
                log.enrolled += 1
                last = (r, finger)
            else:
                log.failed += 1
        if last is not None:
            r, finger = last
            label = f"{p.external_id}:{finger}" + (":other" if bad_check else "")
            v = _check(station, p.external_id, r, finger, operator, label, place_s=place_s,
                       lift_s=lift_s)
            log.checks.append(v.outcome.value)
    return log


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--place", type=float, default=0.8, help="seconds before a finger goes on")
    ap.add_argument("--lift", type=float, default=0.3, help="seconds before it comes off")
    args = ap.parse_args()
    from kiosk.cli.report_cmd import human

    with tempfile.TemporaryDirectory() as tmp:
        station = Station.open(DataPaths(Path(tmp)).ensure(), Config(), simulate=True,
                               demo_roster=False)
        try:
            station.operators.create(ADMIN, "1234", Role.ADMIN, actor="setup")
            log = run_day(station, place_s=args.place, lift_s=args.lift)
            f = figures_report.for_station(station).figures(
                figures_report.day_start(date.today()))
        finally:
            station.close()
    print(f"scripted day: {log.enrolled} enrolled, {log.failed} failed, {log.cancelled} "
          f"cancelled, checks {log.checks.count('matched')} passed of {len(log.checks)}")
    print(human(f))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
