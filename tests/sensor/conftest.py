"""Fixtures: a virtual R307 on a real pseudo-terminal, and a waiting helper."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.sensor.driver import R307

if sys.platform == "win32":  # pragma: no cover - ptys are POSIX-only
    collect_ignore_glob = ["test_pty_*.py"]

SimFactory = Callable[..., tuple[Any, Any]]


def wait_for(cond: Callable[[], bool], timeout: float = 5.0, what: str = "condition") -> None:
    """Poll ``cond`` until true; fail the test after ``timeout`` (never a bare sleep)."""
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


@pytest.fixture
def sim_pty(tmp_path: Path) -> Iterator[SimFactory]:
    """``make(**SimConfig fields) -> (sim, server)``: a VirtualR307 served on a pty.

    ``server.port`` is a symlink that follows the pty across unplug/replug, like a udev name.
    """
    from kiosk.sim import PtyServer, SimConfig, VirtualR307

    servers: list[Any] = []

    def make(**cfg: Any) -> tuple[Any, Any]:
        sim = VirtualR307(SimConfig(**cfg))
        server = PtyServer(sim, link=tmp_path / f"ttySENSOR{len(servers)}")
        servers.append(server)
        return sim, server

    yield make
    for s in servers:
        s.close()


@pytest.fixture
def driver(sim_pty: SimFactory) -> Iterator[tuple[R307, Any, Any]]:
    """An opened driver on a factory-default virtual sensor (seeded)."""
    sim, server = sim_pty(seed=7)
    drv = R307.open(server.port)
    yield drv, sim, server
    drv.close()
