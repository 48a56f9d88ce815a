"""Fixtures for the sync tests: a real station store, the reference ingest, station workers and
observers that capture every message on the broker (each is checked against docs/asyncapi.yaml).
"""

from __future__ import annotations

import json
import os
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import kiosk_contract as c
from kiosk.config import SyncConfig
from kiosk.store import OutboxState, PersonIn, Store
from kiosk.sync.worker import SyncState, SyncWorker
from kiosk_central.db import CentralDB
from kiosk_central.ingest import Ingest, IngestConfig
from kiosk_contract.mqtt import ClientSettings, parse_broker_url
from kiosk_contract.sealing import KeyPair, generate_keypair
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.sync.asyncapi_check import payload_errors
from tests.sync.mqtt_helpers import TestClient, connect

STATION = "station-01"
FINGER_NAMES = ("right-index", "left-index")


@dataclass
class Enrolled:
    store: Store
    path: Path
    templates: dict[str, bytes] = field(default_factory=dict)  # uuid -> bytes
    people: list[str] = field(default_factory=list)

    def stats(self) -> Any:
        return self.store.outbox.stats()

    def outbox_empty(self) -> bool:
        st = self.store.outbox.stats()
        return st.pending == 0 and st.sent_unacked == 0


def enroll(store: Store, n_people: int, *, start: int = 0, size: int = 512) -> dict[str, bytes]:
    """Enroll ``n_people`` × 2 fingers through the store's real API (template + outbox)."""
    people = [PersonIn(f"P-{i:05d}", f"Person {i}") for i in range(start, start + n_people)]
    store.people.upsert(people, "0")
    out: dict[str, bytes] = {}
    for i, p in enumerate(people):
        store.consents.record(p.external_id, notice_version="2026-1", notice_text="notice",
                             method="on-screen", operator=None)
        for j, finger in enumerate(FINGER_NAMES):
            data = os.urandom(size)
            uuid = store.enrollments.record(
                external_id=p.external_id, finger=finger, slot=(start + i) * 2 + j,
                template=data, sensor_model="R307", template_format="r307-char-512",
                match_score=90, retries=1,
            )
            out[uuid] = data
    return out


@pytest.fixture
def station_store(tmp_path: Path) -> Iterator[Callable[..., Enrolled]]:
    opened: list[Store] = []

    def make(n_people: int = 5, name: str = "station.sqlite3") -> Enrolled:
        path = tmp_path / name
        store = Store.open(path, station_id=STATION)
        opened.append(store)
        e = Enrolled(store, path)
        e.templates = enroll(store, n_people)
        e.people = sorted({f"P-{i:05d}" for i in range(n_people)})
        return e

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def central_key() -> KeyPair:
    return generate_keypair()


@pytest.fixture
def central_db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'central.sqlite3'}"


@pytest.fixture
def central_factory(
    broker: MosquittoBroker, central_key: KeyPair, central_db_url: str
) -> Iterator[Callable[..., Ingest]]:
    made: list[Ingest] = []
    CentralDB(central_db_url).import_people(
        [(f"P-{i:05d}", f"Person {i}", True) for i in range(200)]
    )

    def make(start: bool = True, wait: bool = True, db_url: str | None = None,
             **kw: Any) -> Ingest:
        settings = ClientSettings(
            endpoint=parse_broker_url(broker.url), client_id=f"central-{len(made)}",
            username="central", password=broker.password("central"), keepalive_s=5,
            session_expiry_s=kw.pop("session_expiry_s", 300),
        )
        ing = Ingest(IngestConfig(settings, db_url or central_db_url, central_key.private_b64,
                                  **kw))
        made.append(ing)
        if start:
            ing.start()
            if wait:
                wait_until(ing.ready.is_set, 10, what="ingest subscribed")
        return ing

    yield make
    for ing in made:
        ing.stop()


@pytest.fixture
def worker_factory(
    broker: MosquittoBroker, central_key: KeyPair
) -> Iterator[Callable[..., SyncWorker]]:
    made: list[SyncWorker] = []

    def make(store: Store, *, url: str | None = None, password: str | None = None,
             start: bool = True, states: list[SyncState] | None = None, **kw: Any) -> SyncWorker:
        cfg = SyncConfig(
            broker_url=url or broker.url, central_public_key=central_key.public_b64,
            ack_timeout_s=kw.pop("ack_timeout_s", 5.0), keepalive_s=kw.pop("keepalive_s", 5),
            keep_templates_after_sync=kw.pop("keep", True), username=kw.pop("username", ""),
            ca_file=kw.pop("ca_file", ""),
        )
        w = SyncWorker(
            store, kw.pop("station_id", STATION), cfg,
            password=broker.password(STATION) if password is None else password,
            listener=states.append if states is not None else None,
            retry_min_s=kw.pop("retry_min_s", 0.5), retry_max_s=kw.pop("retry_max_s", 2.0),
            reconnect_max_s=kw.pop("reconnect_max_s", 2.0), **kw,
        )
        made.append(w)
        if start:
            w.start()
        return w

    yield make
    for w in made:
        w.stop()


@dataclass
class Observers:
    """Two extra subscribers: one as central (uplink topics), one as the station (downlink)."""

    up: TestClient
    down: TestClient

    def all(self) -> list[Any]:
        return self.up.received() + self.down.received()

    def acked(self) -> int:
        """Verdicts central sent the station (an ``acks`` batch counts each item)."""
        n = 0
        for m in self.down.received("acks"):
            obj = json.loads(m.payload)
            n += len(obj["acks"]) if obj.get("type") == "acks" else 1
        return n

    def assert_all_valid(self) -> int:
        msgs = [m for m in self.all() if m.payload]
        bad = []
        for m in msgs:
            kind = m.topic.rsplit("/", 1)[1]
            errs = payload_errors(kind, m.payload)
            if errs:
                bad.append((m.topic, errs[:3]))
        assert bad == [], bad
        return len(msgs)


def outbox_kinds(store: Store, state: OutboxState = OutboxState.ACKED) -> Counter[str]:
    """How many outbox events of each kind are in ``state``."""
    return Counter(str(r.kind) for r in store.outbox.rows(states=(state,), limit=1_000_000))


def events_of(n_people: int) -> int:
    """Outbox events :func:`enroll` makes: per person a consent, two templates and the two
    enrollment attempts that made them."""
    return 5 * n_people


@pytest.fixture
def observers(broker: MosquittoBroker) -> Iterator[Observers]:
    up = connect(broker, "central")
    for kind in c.UP_KINDS:
        up.subscribe(f"fpk/v1/stations/+/{kind}")
    down = connect(broker, STATION)
    for kind in c.DOWN_KINDS:
        down.subscribe(f"fpk/v1/stations/{STATION}/{kind}")
    down.subscribe("fpk/v1/roster/#")
    yield Observers(up, down)
    up.close()
    down.close()


def random_password() -> str:
    return secrets.token_urlsafe(8)
