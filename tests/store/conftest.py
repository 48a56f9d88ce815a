"""Fixtures for the store tests: every test gets its own real database file in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store import PersonIn, Store

NOTICE = "We store a template of your fingerprint, not an image."


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    s = Store.open(db_path, station_id="station-test")
    s.people.upsert(
        [
            PersonIn("S-001", "Anna Smith", role="student", group="1A"),
            PersonIn("S-002", "Bob Jones", role="student", group="1B"),
            PersonIn("T-100", "Carla Díaz", role="instructor"),
        ],
        "r1",
    )
    s.operators.create("desk", "2468", role="admin")
    yield s
    s.close()


def consent(store: Store, external_id: str) -> str:
    return store.consents.record(
        external_id, notice_version="2026-1", notice_text=NOTICE, method="on-screen",
        operator="desk",
    )


def enroll(store: Store, external_id: str, finger: str = "right-index", slot: int = 1,
           data: bytes = b"\x5a" * 512) -> str:
    return store.enrollments.record(
        external_id=external_id, finger=finger, slot=slot, template=data, sensor_model="R307",
        template_format="r307-char", match_score=150, retries=1, operator="desk",
        captures=[{"ms": 900, "retries": []}, {"ms": 1200, "retries": ["too-dry"]}],
    )
