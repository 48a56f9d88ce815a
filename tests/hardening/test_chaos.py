"""Broker and ingest chaos during a large drain (5,000 templates in the long run).

The station's real sync worker drains its outbox through a fault proxy to a real Mosquitto;
central is two real ``kiosk-central serve`` processes on one database, also behind a proxy.
While the drain runs, faults are injected one after another at random: Mosquitto SIGKILLed
or stopped and started again (same port, same persistence), an ingest process SIGKILLed or
stopped and started again, the station's or central's connection black-holed for a while or
cut. At the end, with everything back:

* the station's outbox is empty (nothing waiting, nothing sent without an ack, nothing
  rejected);
* central holds every template, consent and attempt of the station exactly once;
* no traceback from the ingest processes or the station's worker.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from kiosk.sync.worker import SyncWorker
from kiosk_central.db import CentralDB
from kiosk_contract.sealing import KeyPair
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.fixtures.faultproxy import FaultProxy
from tests.hardening.conftest import Counts, pick, timeout
from tests.hardening.station import central_rows, station_rows, tally_exactly_once
from tests.sync.conftest import Enrolled

pytestmark = [pytest.mark.hardening, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
PEOPLE = pick(400, 2500)  # two templates each: 800 / 5,000 templates
FAULTS = pick(8, 60)


class Serve:
    """One ``kiosk-central serve --worker N`` process; stderr in a file per start."""

    def __init__(self, n: int, url: str, key_file: Path, db_url: str, password: str,
                 workdir: Path) -> None:
        self.n = n
        self.argv = [sys.executable, "-m", "kiosk_central.cli", "serve", "--broker", url,
                     "--key-file", str(key_file), "--db", db_url, "--worker", str(n)]
        self.env = {**os.environ, "KIOSK_CENTRAL_PASSWORD": password}
        self.workdir = workdir
        self.starts = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._err: IO[bytes] | None = None

    @property
    def err_file(self) -> Path:
        return self.workdir / f"serve-{self.n}-{self.starts}.err"

    def start(self) -> Serve:
        self.starts += 1
        self._err = self.err_file.open("wb")
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=REPO,
                                     stdout=subprocess.DEVNULL, stderr=self._err)
        return self

    def subscribed(self) -> bool:
        return f"subscribed as fpk-central-ingest-{self.n}" in self.err_file.read_text(
            errors="replace")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> int:
        """Graceful stop (SIGTERM): finishes and acknowledges what it already received."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError(f"worker {self.n} ignored SIGTERM") from None
        return self.proc.returncode

    def stderr_all(self) -> str:
        return "".join((self.workdir / f"serve-{self.n}-{i}.err").read_text(errors="replace")
                       for i in range(1, self.starts + 1))

    def close(self) -> None:
        self.kill()
        if self._err is not None:
            self._err.close()


@dataclass
class Chaos:
    broker: MosquittoBroker
    station_link: FaultProxy
    central_link: FaultProxy
    workers: list[Serve]
    counts: Counts
    rng: random.Random
    done: threading.Event = field(default_factory=threading.Event)

    def inject(self, kind: str) -> None:
        rng = self.rng
        if kind == "broker-kill":
            self.broker.kill()
            self.broker.start()
        elif kind == "broker-restart":
            self.broker.stop()
            self.broker.start()
        elif kind in ("ingest-kill", "ingest-restart"):
            w = rng.choice(self.workers)
            # As an operator's restart: of a worker that is serving (SIGTERM before its
            # handler is installed ends a starting process with -15, a test artefact).
            wait_until(w.subscribed, 60, what=f"ingest worker {w.n} serving")
            if kind == "ingest-kill":
                w.kill()
            else:
                assert w.stop() == 0, w.err_file.read_text(errors="replace")[-2000:]
            # Down for a moment, then back under the same worker number (same session).
            self.done.wait(rng.uniform(0.0, 2.0))
            w.start()
        elif kind in ("station-blackhole", "central-blackhole"):
            link = self.station_link if kind.startswith("station") else self.central_link
            link.blackhole = True
            self.done.wait(rng.uniform(1.0, 8.0))
            link.blackhole = False
            link.cut()  # what the dead NAT entry ends in: both sides see the connection die
        elif kind in ("station-cut", "central-cut"):
            (self.station_link if kind.startswith("station") else self.central_link).cut()
        else:
            raise AssertionError(kind)
        self.counts.fault(kind)


KINDS = ["broker-kill", "broker-restart", "ingest-kill", "ingest-restart", "station-blackhole",
         "central-blackhole", "station-cut", "central-cut"]


@pytest.fixture
def central(tmp_path: Path, broker: MosquittoBroker, central_key: KeyPair,
            fault_proxy_factory: type[FaultProxy]) -> Iterator[tuple[FaultProxy, list[Serve]]]:
    key_file = tmp_path / "central.key"
    key_file.write_text(central_key.private_b64)
    os.chmod(key_file, 0o600)
    db_url = f"sqlite:///{tmp_path / 'central' / 'central.sqlite3'}"
    CentralDB(db_url).import_people([(f"P-{i:05d}", f"Person {i}", True)
                                     for i in range(PEOPLE)])
    link = fault_proxy_factory(broker.port).start()
    workers = [Serve(n, f"mqtt://127.0.0.1:{link.port}", key_file, db_url,
                     broker.password("central"), tmp_path) for n in (1, 2)]
    for w in workers:
        w.start()
    try:
        yield link, workers
    finally:
        for w in workers:
            w.close()


@timeout(240, 3600)
def test_chaos(tmp_path: Path, broker: MosquittoBroker, central: tuple[FaultProxy, list[Serve]],
               station_store: Callable[..., Enrolled], worker_factory: Callable[..., SyncWorker],
               fault_proxy_factory: type[FaultProxy], counts: Counts,
               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    central_link, workers = central
    for w in workers:
        wait_until(w.subscribed, 60, what=f"ingest worker {w.n} subscribed")
    e = station_store(PEOPLE)
    station_link = fault_proxy_factory(broker.port).start()
    chaos = Chaos(broker, station_link, central_link, workers, counts, random.Random(31))
    worker = worker_factory(e.store, url=f"mqtt://127.0.0.1:{station_link.port}",
                            ack_timeout_s=5, keepalive_s=5)
    central_db = tmp_path / "central" / "central.sqlite3"

    def delivered() -> int:
        return len(central_rows(central_db)["templates"])

    wait_until(lambda: delivered() > 0, 60, what="the drain to start")
    # Faults one after another while the drain runs (each kind at least once).
    plan = KINDS + [chaos.rng.choice(KINDS) for _ in range(max(0, FAULTS - len(KINDS)))]
    chaos.rng.shuffle(plan)
    for kind in plan:
        chaos.inject(kind)
        counts.iterations += 1
        chaos.done.wait(chaos.rng.uniform(0.2, pick(1.0, 2.5)))
    counts.notes["delivered while faults ran"] = delivered()
    # Everything back: the outbox drains completely.
    wait_until(e.outbox_empty, pick(180, 900), interval=0.5,
               what=f"the outbox to drain ({e.stats()})")
    assert e.stats().rejected == 0, e.stats()
    station, got = station_rows(e.path), central_rows(central_db)
    tally_exactly_once(counts, station, got)
    assert len(station["templates"]) == 2 * PEOPLE
    for s in workers:
        counts.saw(s.stderr_all(), f"kiosk-central serve --worker {s.n}")
    errors = [r for r in caplog.records if r.exc_info]
    counts.tracebacks += len(errors)
    if errors:
        counts.notes["first_traceback"] = errors[0].getMessage()
    assert worker.snapshot().enabled
    counts.notes["templates"] = len(station["templates"])
    counts.notes["ingest starts"] = sum(s.starts for s in workers)
    chaos.done.set()
    counts.assert_clean()
