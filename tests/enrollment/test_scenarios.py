"""Every enrollment path against the virtual R307 over a real pty, with a real store.

After every scenario the sensor's index table and the database must agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.app import wording
from kiosk.app.station import release_pending_slots
from kiosk.config import EnrollmentPolicy
from kiosk.enrollment.engine import CancelToken
from kiosk.enrollment.events import (
    FailReason,
    Outcome,
    Progress,
    Prompt,
    PromptKind,
    Retry,
    RetryReason,
)
from kiosk.sensor.codes import Confirmation
from kiosk.sim import SimConfig
from kiosk.store import DiskFull, Store
from kiosk_contract.fingers import Finger

from .conftest import FAST_POLICY, Person, Rig, make_rig

ADA = "ada:right-index"


def progress(rig: Rig) -> list[int]:
    return [e.percent for e in rig.events if isinstance(e, Progress)]


def retries(rig: Rig) -> list[RetryReason]:
    return [e.reason for e in rig.events if isinstance(e, Retry)]


def test_clean_enrollment_commits_template_and_outbox(rig: Rig) -> None:
    result = rig.enroll(Person(rig.sim, [ADA]))
    assert result.outcome is Outcome.COMPLETED, result
    assert progress(rig) == [0, 33, 66, 100]
    assert result.template_uuid and result.slot is not None
    tpl = rig.store.slots.template_for_slot(result.slot)
    assert tpl is not None and tpl.uuid == result.template_uuid
    assert tpl.data == rig.sim.library[result.slot]
    due = [o for o in rig.store.outbox.due(limit=50) if o.kind == "template"]
    assert [o.aggregate_uuid for o in due] == [result.template_uuid]
    rig.assert_consistent()


def test_second_capture_from_another_finger_is_retried(rig: Rig) -> None:
    result = rig.enroll(Person(rig.sim, [ADA, "ada:left-thumb", ADA]))
    assert result.outcome is Outcome.COMPLETED, result
    assert retries(rig) == [RetryReason.NOT_SAME_FINGER]
    assert any("same finger" in wording.retry(e.reason).english()
               for e in rig.events if isinstance(e, Retry))
    rig.assert_consistent()


def test_finger_never_lifted_times_out(rig: Rig) -> None:
    policy = EnrollmentPolicy(idle_timeout_s=0.5)
    result = rig.enroll(Person(rig.sim, [ADA], lifts=False), policy=policy)
    assert result.outcome is Outcome.TIMED_OUT
    assert result.reason_code == "finger-not-lifted"
    assert any(isinstance(e, Prompt) and e.kind is PromptKind.LIFT for e in rig.events)
    rig.assert_consistent()


def test_messy_and_low_feature_captures_then_success(rig: Rig) -> None:
    rig.sim.fail_next(Confirmation.IMAGE_MESSY)
    rig.sim.fail_next(Confirmation.FEATURE_FAIL)
    result = rig.enroll(Person(rig.sim, [ADA]))
    assert result.outcome is Outcome.COMPLETED, result
    assert retries(rig) == [RetryReason.MESSY, RetryReason.TOO_FEW_FEATURES]
    texts = [wording.retry(e.reason).english() for e in rig.events if isinstance(e, Retry)]
    assert "Press flatter so the finger covers the window." in texts
    rig.assert_consistent()


def test_retries_exhausted_fails_and_records_attempt(rig: Rig) -> None:
    rig.sim.fail_next(Confirmation.FEATURE_FAIL, count=20)
    result = rig.enroll(Person(rig.sim, [ADA]))
    assert result.outcome is Outcome.FAILED
    assert result.reason_code.startswith("retries-exhausted")
    assert len(retries(rig)) == FAST_POLICY.retries_per_capture
    assert rig.store.maintenance.counts()["attempts"] >= 1
    rig.assert_consistent()


def test_duplicate_finger_is_refused_with_owner(rig: Rig) -> None:
    first = rig.enroll(Person(rig.sim, [ADA]))
    assert first.ok
    second = rig.enroll(Person(rig.sim, [ADA]), external_id="P2", finger="left-index")
    assert second.outcome is Outcome.DUPLICATE
    assert second.duplicate_of is not None
    assert second.duplicate_of.name == "Ada Lovelace"
    assert second.duplicate_of.finger is Finger.RIGHT_INDEX
    assert "Ada Lovelace" in wording.duplicate_detail(second).english()
    assert len(rig.store.slots.template_slots()) == 1
    rig.assert_consistent()


def test_timeout_when_no_finger_comes(rig: Rig) -> None:
    result = rig.enroll(lambda e: None, policy=EnrollmentPolicy(idle_timeout_s=0.3))
    assert result.outcome is Outcome.TIMED_OUT
    assert result.reason_code == "no-finger"
    rig.assert_consistent()


def test_library_full(tmp_path: Path) -> None:
    for rig in make_rig(tmp_path, SimConfig(capacity=1)):
        assert rig.enroll(Person(rig.sim, [ADA])).ok
        result = rig.enroll(Person(rig.sim, ["alan:right-index"]), external_id="P2")
        assert result.outcome is Outcome.FAILED
        assert result.reason_code == "library-full"
        assert "memory is full" in wording.outcome(result, Finger.RIGHT_INDEX).headline.english()
        rig.assert_consistent()


# -- cancel and unplug at every sensor call --------------------------------------------------

SENSOR_CALLS = {"gen_img", "img2tz", "search", "match", "reg_model", "store", "up_char",
                "down_char", "index_table", "delete"}


class CallTrap:
    """The driver, with ``action`` run just before its ``n``-th sensor call."""

    def __init__(self, driver: Any, n: int, action: Callable[[], None]) -> None:
        self._driver, self._n, self._action = driver, n, action
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._driver, name)
        if name not in SENSOR_CALLS:
            return attr

        def call(*args: Any, **kw: Any) -> Any:
            self.calls.append(name)
            if len(self.calls) == self._n:
                self._action()
            return attr(*args, **kw)

        return call


def _clean_call_count(tmp_path: Path) -> list[str]:
    for rig in make_rig(tmp_path / "probe"):
        trap = CallTrap(rig.driver, 0, lambda: None)
        assert rig.enroll(Person(rig.sim, [ADA]), sensor=trap).ok
        return trap.calls
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def clean_calls(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _clean_call_count(tmp_path_factory.mktemp("calls"))


def _each_call(clean_calls: list[str], tmp_path: Path) -> Iterator[tuple[int, str, Rig]]:
    for n, name in enumerate(clean_calls, start=1):
        yield from ((n, name, rig) for rig in make_rig(tmp_path / f"n{n}"))


def test_cancel_at_every_step(clean_calls: list[str], tmp_path: Path) -> None:
    assert {"store", "up_char", "down_char"} <= set(clean_calls)
    for n, name, rig in _each_call(clean_calls, tmp_path):
        token = CancelToken()
        trap = CallTrap(rig.driver, n, token.cancel)
        result = rig.enroll(Person(rig.sim, [ADA]), sensor=trap, cancel=token)
        assert result.outcome is Outcome.CANCELLED, (n, name, result)
        assert rig.store.slots.template_slots() == {}, (n, name)
        assert rig.driver.index_table() == set(), (n, name)
        rig.assert_consistent()


def test_unplug_at_every_step_then_replug(clean_calls: list[str], tmp_path: Path) -> None:
    outcomes = set()
    for n, name, rig in _each_call(clean_calls, tmp_path):
        trap = CallTrap(rig.driver, n, rig.server.unplug)
        result = rig.enroll(Person(rig.sim, [ADA]), sensor=trap)
        assert result.outcome is Outcome.DISCONNECTED, (n, name, result)
        assert result.reason is FailReason.UNPLUGGED
        assert rig.store.slots.template_slots() == {}, (n, name)
        outcomes.add(result.outcome)
        # Re-plug: the next enrollment works without restarting anything.
        rig.server.replug()
        rig.reconnect()
        release_pending_slots(rig.store, rig.driver)
        rig.assert_consistent()
        assert rig.driver.index_table() == set(), (n, name)
        again = rig.enroll(Person(rig.sim, [ADA]))
        assert again.ok, (n, name, again)
        rig.assert_consistent()
    assert outcomes == {Outcome.DISCONNECTED}


def test_auto_person_lifts_after_a_rejected_capture(rig: Rig) -> None:
    """`kiosk-sim --auto` must also complete when some captures are rejected."""
    from kiosk.sim import AutoPerson

    AutoPerson(rig.sim, ADA).install()
    rig.sim.fail_next(Confirmation.IMAGE_TOO_WET)
    rig.sim.fail_next(Confirmation.IMAGE_MESSY)
    result = rig.enroll(lambda e: None)
    assert result.outcome is Outcome.COMPLETED, result
    assert retries(rig) == [RetryReason.TOO_WET, RetryReason.MESSY]
    rig.assert_consistent()


class _ProgramDied(BaseException):
    """Stands for the process dying: nothing after it runs (no ``except Exception`` cleanup)."""


def test_program_dies_between_sensor_store_and_commit(tmp_path: Path) -> None:
    """The sensor holds a template the database never committed; the next connection
    clears it, because its slot was written down before the sensor stored it."""
    for rig in make_rig(tmp_path):
        def die(**_kw: object) -> str:
            raise _ProgramDied

        rig.store.enrollments.record = die  # type: ignore[method-assign]
        with pytest.raises(_ProgramDied):
            rig.enroll(Person(rig.sim, [ADA]))
        orphan = rig.driver.index_table()
        assert len(orphan) == 1 and rig.store.slots.template_slots() == {}
        assert orphan <= rig.store.slots.pending_releases()
        # "Restart": a fresh store on the same file, the sensor reconnected.
        rig.store.close()
        rig.store = Store.open(tmp_path / "kiosk.sqlite3", station_id="test-desk")
        rig.reconnect()
        assert release_pending_slots(rig.store, rig.driver) == sorted(orphan)
        assert rig.driver.index_table() == set()
        rig.assert_consistent()


def test_a_noisy_cable_retries_the_exchange_instead_of_ending_the_enrollment(
        rig: Rig) -> None:
    """One byte in ~25 replies flipped on the way: every enrollment still completes, because
    a garbled reply to a repeatable command is asked again (bounded)."""
    rig.server.reply_noise = 0.04
    fingers = ["right-index", "left-index", "right-middle", "left-middle", "right-ring",
               "left-ring"]
    done = 0
    for ext, name in (("P1", "ada"), ("P2", "alan")):
        for finger in fingers:
            result = rig.enroll(Person(rig.sim, [f"{name}:{finger}"]), external_id=ext,
                                finger=finger)
            assert result.ok, (ext, finger, result)
            done += 1
    assert done == 12 and rig.server.replies_corrupted >= 5
    assert rig.driver.stats.retries >= 5
    rig.server.reply_noise = 0.0
    rig.assert_consistent()


def test_a_read_back_damaged_on_the_line_is_sent_again(rig: Rig) -> None:
    """Hostile serial suite: a DownChar damaged on the way left CharBuffer2 broken; the
    module has no ack for the data, so only the Match after it said 01 — three times, as the
    Match alone was asked again — and a good enrollment failed. Now the pair is repeated."""
    sent: list[int] = []

    class DamagedOnce:
        def __getattr__(self, name: str) -> Any:
            return getattr(rig.driver, name)

        def down_char(self, buffer: int, template: bytes) -> None:
            sent.append(len(template))
            # The first transfer loses its last bytes on the line: the buffer stays broken.
            rig.driver.down_char(buffer, template[:-40] if len(sent) == 1 else template)

    result = rig.enroll(Person(rig.sim, [ADA]), sensor=DamagedOnce())
    assert result.outcome is Outcome.COMPLETED, result
    assert len(sent) == 2
    rig.assert_consistent()


def test_a_full_disk_at_the_commit_is_said_so_without_a_traceback(
        rig: Rig, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Full-disk suite: the commit meeting a full disk ended as "could not write to its
    database" (no word of the disk being full, nor of the records before being safe), with
    two tracebacks in the log (the commit, then the attempt record)."""
    def full(*_a: object, **_k: object) -> str:
        raise DiskFull("The disk holding the station database is full. Nothing was saved.")

    monkeypatch.setattr(rig.store.enrollments, "record", full)
    monkeypatch.setattr(rig.store.enrollments, "record_attempt", full)
    result = rig.enroll(Person(rig.sim, [ADA]))
    assert result.outcome is Outcome.FAILED and result.reason is FailReason.DISK_FULL, result
    said = wording.outcome(result, Finger.RIGHT_INDEX)
    assert "disk is full" in said.headline.english()
    assert "saved before is safe" in said.body.english()
    assert not [r for r in caplog.records if r.exc_info]
    assert rig.driver.index_table() == set()  # the slot stored for it is cleared again
