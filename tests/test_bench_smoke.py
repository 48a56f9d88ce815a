"""``python -m bench.run --smoke``: every figure of the performance table is still measured
and printed as a JSON line with its reference and ratio, plus the table for people. Numbers
are not asserted (they belong to docs/performance.md, measured by ``make bench``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The rows of the performance goals' table (ingest scaling: per database and worker count).
ROWS = (
    "sync_drain_rate", "online_commit_to_ack_ms",
    *(f"ingest_scaling_{db}_{w}w" for db in ("sqlite", "postgres") for w in (1, 2, 4)),
    "capture_to_screen_ms", "enrollment_overhead", "roster_search_ms", "cold_start_s",
    "rss_mb", "rss_growth_mb", "gui_stall_ms",
)
FIELDS = ("name", "unit", "value", "reference", "ratio")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_every_figure_is_printed_as_a_json_line_and_in_the_table() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("BENCH_PROFILE_DIR", None)
    env.pop("BENCH_SIZES", None)
    out = subprocess.run([sys.executable, "-m", "bench.run", "--smoke"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=280, check=False)
    figures: dict[str, dict[str, Any]] = {}
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            obj = json.loads(line)
            figures[obj["name"]] = obj
    assert sorted(figures) == sorted(ROWS), out.stderr[-3000:]
    for name, fig in figures.items():
        assert all(f in fig for f in FIELDS), (name, fig)
        assert isinstance(fig["unit"], str) and fig["unit"], (name, fig)
        # A benchmark that broke prints its row with a null value and the error.
        assert isinstance(fig["value"], int | float), (name, fig.get("note"))
    table = out.stdout.split("\n\n")
    assert any(block.startswith("name ") and all(r in block for r in ROWS) for block in table)
    assert out.returncode == 0, out.stderr[-3000:]
