"""Sensor ↔ database reconciliation: pure comparison, plain-words summary, repair via a fake."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kiosk.app import wording
from kiosk.store import Store
from kiosk.store.reconcile import CHAR_BUFFER, ReconcileReport, RepairFailure, compare, repair
from tests.store.conftest import consent, enroll


@dataclass
class FakeSensor:
    """Just enough of a sensor library for repair(): slots -> template bytes."""

    library: dict[int, bytes] = field(default_factory=dict)
    buffers: dict[int, bytes] = field(default_factory=dict)
    calls: list[tuple[str, int]] = field(default_factory=list)
    fail_on_store: bool = False

    def down_char(self, buffer: int, data: bytes) -> None:
        self.calls.append(("down_char", buffer))
        self.buffers[buffer] = data

    def store(self, buffer: int, slot: int) -> None:
        self.calls.append(("store", slot))
        if self.fail_on_store:
            raise OSError("sensor did not answer")
        self.library[slot] = self.buffers[buffer]

    def delete(self, slot: int, n: int) -> None:
        self.calls.append(("delete", slot))
        for s in range(slot, slot + n):
            self.library.pop(s, None)


def test_compare_is_pure_set_logic() -> None:
    rep = compare(sensor_slots={1, 2, 3, 7}, db_slots={2, 3, 4}, pending_release={7, 8})
    assert rep == ReconcileReport(
        orphans=frozenset({1}), missing=frozenset({4}), to_release=frozenset({7}),
        already_released=frozenset({8}),
    )
    assert not rep.ok
    text = " ".join(t.english() for t in wording.reconcile_summary(rep))
    assert "1 template(s) recorded here are missing on the sensor (slots 4)" in text
    assert "The sensor holds 1 template(s) this station has no record of (slots 1)" in text
    assert "(slots 7) and must be cleared" in text
    assert compare({5}, {5}).ok
    assert [t.english() for t in wording.reconcile_summary(compare({5}, {5}))] == [
        "The sensor and the database agree."]


def test_repair_restores_and_clears(store: Store) -> None:
    consent(store, "S-001")
    consent(store, "S-002")
    enroll(store, "S-001", slot=1, data=b"\x01" * 512)
    enroll(store, "S-002", slot=2, data=b"\x02" * 512)
    enroll(store, "S-002", "left-index", slot=3, data=b"\x03" * 512)
    store.deletions.delete_person("S-001", actor="desk", reason="left the school")
    # The sensor was partly wiped and has a stray template in 40; slot 1 awaits release.
    sensor = FakeSensor(library={1: b"\x01" * 512, 2: b"\x02" * 512, 40: b"\xee" * 512})
    rep = store.slots.reconcile(sensor.library.keys())
    assert (set(rep.missing), set(rep.orphans), set(rep.to_release)) == ({3}, {40}, {1})

    result = repair(rep, sensor, store.slots.template_for_slot)
    assert result.restored == (3,) and result.cleared == (40,) and result.released == (1,)
    assert result.failed == ()
    assert sensor.library == {2: b"\x02" * 512, 3: b"\x03" * 512}
    assert ("down_char", CHAR_BUFFER) in sensor.calls
    store.slots.confirm_released(result.released)
    assert store.slots.reconcile(sensor.library.keys()).ok


def test_repair_reports_shredded_templates(store: Store) -> None:
    consent(store, "S-001")
    uid = enroll(store, "S-001", slot=5)
    item = next(i for i in store.outbox.due() if i.aggregate_uuid == uid)
    store.outbox.mark_sent(item.id)
    store.outbox.mark_acked(uid, shred=True)
    sensor = FakeSensor()
    result = repair(store.slots.reconcile([]), sensor, store.slots.template_for_slot)
    assert result.restored == () and result.failed[0][0] == 5
    assert result.failed[0][1] is RepairFailure.SHREDDED
    assert "enroll the person again" in wording.repair_summary(result)[1].english()
    assert sensor.calls == []


def test_repair_stops_on_a_failing_sensor(store: Store) -> None:
    consent(store, "S-001")
    enroll(store, "S-001", slot=6)
    sensor = FakeSensor(fail_on_store=True, library={50: b"x"})
    with pytest.raises(OSError):
        repair(store.slots.reconcile(sensor.library.keys()), sensor, store.slots.template_for_slot)
    assert 50 in sensor.library  # nothing cleared after the failure
