"""The reference central for the benchmarks: ``kiosk-central serve`` worker processes.

Central runs on its own machine in production, so the benchmarks run it in processes of its
own (it does not share the station's interpreter lock). Each worker is the real
:class:`kiosk_central.ingest.Ingest` behind the real command line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, cpu_seconds
from tests.fixtures.broker import MosquittoBroker


class CentralWorkers:
    """``workers`` ingest processes on one database, subscribed before :meth:`start` returns."""

    def __init__(self, broker: MosquittoBroker, db_url: str, private_key_b64: str, work: Path,
                 *, workers: int = 1, batch_size: int = 200,
                 allow_unknown_people: bool = True) -> None:
        self.broker = broker
        self.db_url = db_url
        self.workers = workers
        self.batch_size = batch_size
        self.allow_unknown_people = allow_unknown_people
        work.mkdir(parents=True, exist_ok=True)
        self.key_file = work / "central.key"
        self.key_file.write_text(private_key_b64)
        os.chmod(self.key_file, 0o600)
        self.procs: list[subprocess.Popen[str]] = []
        self.logs: list[list[str]] = []
        self.reports: list[dict[str, Any]] = []

    def start(self, timeout: float = 30.0) -> CentralWorkers:
        env = {**os.environ, "KIOSK_CENTRAL_PASSWORD": self.broker.password("central")}
        for n in range(1, self.workers + 1):
            cmd = [sys.executable, "-m", "kiosk_central.cli", "serve", "--broker",
                   self.broker.url, "--key-file", str(self.key_file), "--db", self.db_url,
                   "--worker", str(n), "--batch-size", str(self.batch_size), "--json"]
            if self.allow_unknown_people:
                cmd.append("--allow-unknown-people")
            p = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            self.procs.append(p)
            lines: list[str] = []
            self.logs.append(lines)
            assert p.stderr is not None
            threading.Thread(target=lines.extend, args=(p.stderr,), daemon=True).start()
        deadline = time.monotonic() + timeout
        for n, (p, lines) in enumerate(zip(self.procs, self.logs, strict=True), 1):
            needle = f"subscribed as fpk-central-ingest-{n} "
            # The worker logs one line once its SUBACK arrived; read as the process writes.
            while not any(needle in ln for ln in list(lines)):
                if p.poll() is not None:
                    raise RuntimeError(f"central worker {n} exited: {''.join(lines)[-2000:]}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"central worker {n} did not subscribe")
                time.sleep(0.02)
        return self

    def cpu(self) -> float:
        return sum(cpu_seconds(p.pid) for p in self.procs)

    def stop(self) -> list[dict[str, Any]]:
        """Graceful stop (SIGTERM); each worker's own report (counts, timing)."""
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                out, _err = p.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                out, _err = p.communicate()
            try:
                self.reports.append(json.loads(out))
            except ValueError:
                self.reports.append({})
        self.procs = []
        return self.reports
