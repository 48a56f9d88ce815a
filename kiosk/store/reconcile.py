"""Sensor ↔ database reconciliation.

The sensor keeps its own template library (index table of used slots); the database believes
certain slots hold certain templates. They drift apart when a sensor is swapped, wiped, or a
deletion could not reach it. :func:`compare` is pure and says what differs in plain words;
:func:`repair` fixes it through a minimal driver-like protocol, so it can be tested with a fake.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from kiosk.store.records import StoredTemplate

#: The R307 has two character buffers; DownChar into 1, then Store from 1.
CHAR_BUFFER = 1


class SlotDriver(Protocol):
    """What :func:`repair` needs from the sensor driver (R307 commands in brackets)."""

    def down_char(self, buffer: int, data: bytes) -> None:
        """Download a template into a character buffer (DownChar)."""

    def store(self, buffer: int, slot: int) -> None:
        """Store the buffer's template into a library slot (Store)."""

    def delete(self, slot: int, n: int) -> None:
        """Delete ``n`` templates starting at ``slot`` (DeleteChar)."""


@dataclass(frozen=True)
class ReconcileReport:
    """Differences between the sensor's used slots and the database's."""

    #: On the sensor, unknown to the database (and not awaiting release).
    orphans: frozenset[int]
    #: In the database, absent from the sensor.
    missing: frozenset[int]
    #: Deleted here, still on the sensor: clear them.
    to_release: frozenset[int]
    #: On the release list but already empty on the sensor: just confirm.
    already_released: frozenset[int] = field(default_factory=frozenset)

    @property
    def ok(self) -> bool:
        return not (self.orphans or self.missing or self.to_release)


def compare(
    sensor_slots: Iterable[int],
    db_slots: Iterable[int],
    pending_release: Iterable[int] = (),
) -> ReconcileReport:
    """Pure comparison of used slots (sensor index table vs. database)."""
    on_sensor = frozenset(sensor_slots)
    in_db = frozenset(db_slots)
    releasing = frozenset(pending_release) - in_db
    return ReconcileReport(
        orphans=on_sensor - in_db - releasing,
        missing=in_db - on_sensor,
        to_release=on_sensor & releasing,
        already_released=releasing - on_sensor,
    )


class RepairFailure(StrEnum):
    """Why a template missing on the sensor could not be loaded back."""

    #: The database no longer records a template for the slot.
    NOT_RECORDED = "not-recorded"
    #: The bytes were erased here after central received them (retention setting).
    SHREDDED = "shredded"


@dataclass(frozen=True)
class RepairResult:
    restored: tuple[int, ...]
    cleared: tuple[int, ...]
    #: Slots that could not be restored, and why.
    failed: tuple[tuple[int, RepairFailure], ...]
    #: Release-list slots now empty on the sensor (give to Store.confirm_slots_released).
    released: tuple[int, ...]


def repair(
    report: ReconcileReport,
    driver: SlotDriver,
    template_for_slot: Callable[[int], StoredTemplate | None],
    *,
    restore_missing: bool = True,
    clear_orphans: bool = True,
) -> RepairResult:
    """Re-download missing templates (DownChar + Store) and clear orphans (DeleteChar).

    A template shredded after sync cannot be restored from here; it is reported in ``failed``
    and the person has to be enrolled again (or the template fetched from central).
    A driver exception stops the repair: a failing sensor must not be hammered.
    """
    restored: list[int] = []
    failed: list[tuple[int, RepairFailure]] = []
    cleared: list[int] = []
    if restore_missing:
        for slot in sorted(report.missing):
            tpl = template_for_slot(slot)
            if tpl is None:
                failed.append((slot, RepairFailure.NOT_RECORDED))
                continue
            if tpl.data is None:
                failed.append((slot, RepairFailure.SHREDDED))
                continue
            driver.down_char(CHAR_BUFFER, tpl.data)
            driver.store(CHAR_BUFFER, slot)
            restored.append(slot)
    released: list[int] = []
    for slot in sorted(report.to_release):
        driver.delete(slot, 1)
        released.append(slot)
    if clear_orphans:
        for slot in sorted(report.orphans):
            driver.delete(slot, 1)
            cleared.append(slot)
    released.extend(sorted(report.already_released))
    return RepairResult(
        restored=tuple(restored),
        cleared=tuple(cleared),
        failed=tuple(failed),
        released=tuple(sorted(released)),
    )
