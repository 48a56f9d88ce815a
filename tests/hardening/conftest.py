"""The hardening suites (issue #12): crash, unplug, broker and ingest chaos, hostile input,
full disk. Marker ``hardening``.

Two lengths: the quick one runs in the regular test run; ``make hardening`` sets
``KIOSK_HARDENING=long`` for the long one. Every suite counts what it did in a
:class:`Counts` (iterations, faults injected, records checked, lost, duplicated, tracebacks),
prints it at the end of the run and, with ``KIOSK_HARDENING_REPORT=FILE``, appends it to FILE
as one JSON line. A suite fails when anything was lost or duplicated or a traceback appeared.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

# The real station's and central's fixtures (tests/sync/conftest.py).
from tests.sync.conftest import (  # noqa: F401
    central_db_url,
    central_factory,
    central_key,
    station_store,
    worker_factory,
)

#: ``make hardening``: the long runs.
LONG = os.environ.get("KIOSK_HARDENING", "").lower() == "long"
REPORT_ENV = "KIOSK_HARDENING_REPORT"
_RESULTS = pytest.StashKey[list["Counts"]]()


_N = TypeVar("_N", int, float)


def pick(quick: _N, long: _N) -> _N:
    """The quick figure in the regular run, the long one under ``make hardening``."""
    return long if LONG else quick


def timeout(quick: float, long: float) -> pytest.MarkDecorator:
    return pytest.mark.timeout(long if LONG else quick)


TRACEBACK = "Traceback (most recent call last)"
LOGGING_ERROR = "--- Logging error ---"


def tracebacks_in(text: str) -> int:
    """Python tracebacks (and logging's own error reports) in a captured output."""
    return text.count(TRACEBACK) + text.count(LOGGING_ERROR)


@dataclass
class Counts:
    """What one suite did; printed at the end of the run."""

    suite: str
    mode: str = "long" if LONG else "quick"
    iterations: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    checked: int = 0
    lost: int = 0
    duplicated: int = 0
    tracebacks: int = 0
    notes: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0
    _t0: float = field(default_factory=time.monotonic, repr=False)

    def fault(self, kind: str, n: int = 1) -> None:
        self.faults[kind] += n

    def saw(self, output: str, where: str = "") -> int:
        """Count tracebacks in ``output``; keep the first one for the failure message."""
        n = tracebacks_in(output)
        if n:
            self.tracebacks += n
            self.notes.setdefault("first_traceback", f"{where}: {output[-3000:]}")
        return n

    def line(self) -> str:
        faults = sum(self.faults.values())
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
        extra = "".join(f", {k} {v}" for k, v in self.notes.items()
                        if k != "first_traceback")
        return (f"{self.suite} [{self.mode}]: {self.iterations} iterations, {faults} faults "
                f"injected ({kinds}), {self.checked} records checked, lost {self.lost}, "
                f"duplicated {self.duplicated}, tracebacks {self.tracebacks}{extra}; "
                f"{self.seconds:.0f} s")

    def to_json(self) -> dict[str, object]:
        return {"suite": self.suite, "mode": self.mode, "iterations": self.iterations,
                "faults": dict(self.faults), "faults_total": sum(self.faults.values()),
                "records_checked": self.checked, "lost": self.lost,
                "duplicated": self.duplicated, "tracebacks": self.tracebacks,
                "seconds": round(self.seconds, 1),
                "notes": {k: v for k, v in self.notes.items() if k != "first_traceback"}}

    def assert_clean(self) -> None:
        assert self.iterations > 0 and self.checked > 0, self.line()
        assert self.tracebacks == 0, self.notes.get("first_traceback", self.line())
        assert self.lost == 0 and self.duplicated == 0, self.line()


@pytest.fixture
def counts(request: pytest.FixtureRequest) -> Iterator[Counts]:
    """The suite's counts, reported whether it passes or fails."""
    c = Counts(request.node.name.removeprefix("test_"))
    yield c
    c.seconds = time.monotonic() - c._t0
    request.config.stash.setdefault(_RESULTS, []).append(c)
    report = os.environ.get(REPORT_ENV)
    if report:
        with Path(report).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(c.to_json()) + "\n")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    results = config.stash.get(_RESULTS, [])
    if results:
        terminalreporter.section("hardening counts")
        for c in results:
            terminalreporter.write_line(c.line())
