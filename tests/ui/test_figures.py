"""The figures page and ``kiosk report`` over a scripted day of 50 enrollments (real station,
real engine, virtual R307: the attempt records are the ones a desk writes)."""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Station
from kiosk.app import report as figures
from kiosk.cli import main as cli
from kiosk.paths import DataPaths
from kiosk.ui.main_window import MainWindow

from .conftest import WAIT_MS, sign_in
from .day import run_day


@pytest.fixture
def day(station: Station) -> figures.Figures:
    log = run_day(station)
    assert (log.enrolled, log.failed, log.cancelled) == (50, 4, 1)
    return figures.for_station(station).figures(figures.day_start(date.today()))


def test_the_figures_of_a_scripted_day(day: figures.Figures) -> None:
    f = day
    assert (f.enrolled, f.failed, f.cancelled, f.attempts) == (50, 4, 1, 55)
    assert (f.people_tried, f.people_enrolled, f.people_failed) == (26, 25, 1)
    assert f.fte_rate == 1 / 26
    assert f.failed_attempt_rate == 4 / 54
    assert f.captures == 150 and f.retries == 25  # three captures per enrolled finger
    assert dict(f.retry_reasons) == {"messy": 15, "too-few-features": 6, "too-dry": 4}
    assert dict(f.failure_reasons) == {"retries-exhausted": 4}
    assert (f.checks, f.checks_passed, f.checks_failed) == (25, 24, 1)
    assert [(op, c.enrolled, c.failed, c.cancelled) for op, c in f.per_operator] == [
        ("Admin", 26, 1, 1), ("Sam Clerk", 24, 3, 0)]
    assert [c.enrolled for _d, c in f.per_day] == [50]
    assert f.median_s is not None and f.p90_s is not None and f.median_s <= f.p90_s


def test_the_figures_page_shows_them(qtbot: QtBot, window: MainWindow,
                                     day: figures.Figures) -> None:
    sign_in(qtbot, window)
    window.open_admin("figures")
    page = window.admin.figures
    page.show_days(1)
    qtbot.waitUntil(lambda: page.figures is not None and page.figures.attempts == 55,
                    timeout=WAIT_MS)
    v = page.values
    assert v["enrolled"].text() == "50"
    assert v["people"].text() == "25"
    assert v["fte"].text() == "3.8 % (1 of 26 people)"
    assert v["failed"].text() == "4 (7.4 % of attempts)"
    assert v["retries"].text() == "0.17 (25 of 150 captures)"
    assert v["checks"].text() == "25: 24 passed, 1 failed"
    assert v["reasons"].text().startswith("unclear 15")
    assert page.days.rowCount() == 1 and page.operators.rowCount() == 2
    assert page.operators.item(0, 0).text() == "Admin"  # type: ignore[union-attr]
    assert page.operators.item(0, 1).text() == "26"  # type: ignore[union-attr]


def test_kiosk_report_prints_the_same(day: figures.Figures, paths: DataPaths) -> None:
    today = date.today().isoformat()
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli(["report", "--since", today, "--json", "--data-dir", str(paths.root)]) == 0
    data = json.loads(out.getvalue())
    assert (data["enrolled"], data["failed"], data["fte_rate"]) == (50, 4, 0.0385)
    assert data["per_operator"][1]["operator"] == "Sam Clerk"
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli(["report", "--since", today, "--csv", "--data-dir", str(paths.root)]) == 0
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:3] == ["kind", "key", "enrolled"]
    assert ["total", "", "50", "4", "1", "25"] in [r[:6] for r in rows]
    assert ["retry:messy", "15"] in rows
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli(["report", "--since", today, "--data-dir", str(paths.root)]) == 0
    assert "failure to enroll  3.8 %  (1 of 26 people who tried)" in out.getvalue()
