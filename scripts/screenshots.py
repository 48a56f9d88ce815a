"""Save a PNG of every kiosk screen at 1366×768 and 1920×1080 into ``screenshots/``.

Usage: ``make screenshots`` (runs this under Xvfb once per screen size), or directly::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py

The window is driven the way a clerk and a simulated person would (real store in a throw-away
data folder, the virtual sensor behind the real driver), so the pictures show real states.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

from kiosk.app import (
    LinkState,
    Role,
    SensorCode,
    SensorState,
    SimulatorControls,
    Station,
    SyncState,
)
from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.ui.app import make_app
from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens import Screen
from kiosk_central.cli import main as central_main

ROOT = Path(__file__).resolve().parent.parent


def wait(cond: Callable[[], bool], timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the kiosk did not reach the expected state")
        QCoreApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


class Shooter:
    def __init__(self, out: Path, tag: str) -> None:
        self.out = out
        self.tag = tag
        self.n = 0
        out.mkdir(parents=True, exist_ok=True)

    def __call__(self, win: MainWindow, name: str) -> None:
        settle()
        self.n += 1
        path = self.out / f"{self.tag}-{self.n:02d}-{name}.png"
        win.grab().save(str(path))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def open_window(data: Path, *, roster: bool, admin: bool) -> tuple[MainWindow, Station]:
    station = Station.open(DataPaths(data).ensure(), Config(), simulate=True,
                           demo_roster=roster)
    if admin:
        station.operators.create("Admin", "1234", Role.ADMIN, actor="setup")
    win = MainWindow(station, simulate=True)
    geo = QGuiApplication.primaryScreen().geometry()
    win.setGeometry(geo)
    win.showFullScreen()
    wait(lambda: station.sensor_status.state is SensorState.READY)
    return win, station


def provisioning_file(folder: Path) -> Path:
    """A signed file from ``kiosk-central provision`` for a broker that is not running."""
    key = folder / "central.key"
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.redirect_stdout(io.StringIO()):
        central_main(["keygen", "--out", str(key)])
        out = folder / "station-07.SECRET.kioskprov"
        central_main(["provision", "station-07", "--key-file", str(key), "--out", str(out),
                      "--broker-url", "mqtt://127.0.0.1:1"])
    return out


def current(win: MainWindow, screen: Screen) -> Callable[[], bool]:
    return lambda: win.current() is screen


def sign_in(win: MainWindow) -> None:
    wait(lambda: win.signin.name_combo.count() > 0)
    win.signin.pin.setText("1234")
    win.signin.primary.click()
    wait(current(win, win.search))


def ready_to_place(win: MainWindow) -> bool:
    c = win.capture
    return c.prompts > 0 and c.last_prompt is not None and c.last_prompt.value in (
        "place", "again")


def run(out: Path, tag: str) -> None:
    make_app()
    shot = Shooter(out, tag)
    with tempfile.TemporaryDirectory() as tmp:
        # A brand-new station: first admin, then an empty roster.
        win, st = open_window(Path(tmp) / "new", roster=False, admin=False)
        wait(win.signin.name_edit.isVisible)
        shot(win, "first-run-admin")
        win.signin.name_edit.setText("Ines Admin")
        win.signin.pin.setText("2468")
        win.signin.pin2.setText("2468")
        win.signin.primary.click()
        # the optional next step: connect the new station to central with a provisioning file
        wait(current(win, win.admin))
        shot(win, "first-run-central")
        central = win.admin.central
        central.load_provisioning(provisioning_file(Path(tmp) / "central"))
        wait(central.prov_box.isVisible)
        shot(win, "central-confirm-key")
        central.prov_import.click()
        wait(lambda: "Sync now uses" in central.prov_result.text(), timeout=30)
        shot(win, "central-imported")
        win.admin.primary.click()
        wait(win.search.empty.isVisible)
        shot(win, "search-empty-roster")
        win.close()
        st.close()

        win, st = open_window(Path(tmp) / "demo", roster=True, admin=True)
        sim: SimulatorControls | None = st.simulator
        assert sim is not None
        wait(lambda: win.signin.name_combo.count() > 0)
        win.signin.pin.setText("0000")
        win.signin.primary.click()
        wait(lambda: "tries left" in win.signin.message.text())
        shot(win, "sign-in-wrong-pin")
        sign_in(win)
        win.search.query.setText("a")
        wait(lambda: win.search.is_settled() and win.search.result_count() > 0)
        shot(win, "search-results")
        win.search.query.setText("Chen")
        wait(lambda: win.search.is_settled() and win.search.result_count() == 1)
        win.search.primary.click()
        wait(current(win, win.consent))
        shot(win, "consent")
        win.consent.method_buttons["on-screen"].click()
        win.consent.primary.click()
        wait(current(win, win.fingers))
        shot(win, "choose-finger")
        win.fingers.primary.click()
        wait(current(win, win.capture))
        wait(lambda: ready_to_place(win))
        shot(win, "capture-place")
        label = "S-1003:right-index"
        sim.place(label)
        wait(lambda: win.capture.bar.value() == 33)
        wait(lambda: win.capture.last_prompt is not None
             and win.capture.last_prompt.value == "lift")
        shot(win, "capture-lift-33")
        sim.lift()
        sim.fail_next(int(SensorCode.IMAGE_MESSY))
        wait(lambda: win.capture.last_prompt is not None
             and win.capture.last_prompt.value == "again")
        sim.place(label)
        wait(lambda: win.capture.retry.text() != "")
        shot(win, "capture-retry")
        sim.lift()
        for pct in (66, 100):
            wait(lambda: ready_to_place(win) and win.capture.last_prompt is not None
                 and win.capture.last_prompt.value == "again")
            sim.place(label)
            wait(partial(lambda p: win.capture.bar.value() >= p
                         or win.current() is not win.capture, pct))
            if pct == 66:
                shot(win, "capture-66")
            sim.lift()
        wait(current(win, win.result))
        online = SyncState(enabled=True, online=True, reason=LinkState.ONLINE)
        win._sync_state(replace(online, pending=1))
        shot(win, "result-queued")
        win.result.set_synced(True, online)
        win.statusbar.set_sync(online)
        shot(win, "result-synced")
        win.result.secondary.click()

        # Another person presses Chen's finger: duplicate.
        win.search.query.setText("Emil")
        wait(lambda: win.search.is_settled() and win.search.result_count() == 1)
        win.search.primary.click()
        wait(current(win, win.consent))
        win.consent.method_buttons["signed-paper"].click()
        win.consent.primary.click()
        wait(current(win, win.fingers))
        win.fingers.primary.click()
        wait(lambda: ready_to_place(win))
        sim.place(label)
        wait(current(win, win.message))
        sim.lift()
        shot(win, "error-duplicate")
        win.message.primary.click()
        wait(current(win, win.fingers))
        win.fingers.primary.click()
        wait(lambda: ready_to_place(win))
        sim.unplug()
        wait(lambda: win.current() is win.message and not win.message.primary.isEnabled())
        win.statusbar.set_sync(SyncState(enabled=True, online=False,
                                         reason=LinkState.UNREACHABLE,
                                         offline_since=time.time() - 600, pending=2))
        shot(win, "error-unplugged")
        sim.replug()
        wait(win.message.primary.isEnabled)
        win.message.secondary.click()
        wait(current(win, win.fingers))
        win.fingers.secondary.click()

        win.search.query.setText("Dalia")
        wait(lambda: win.search.is_settled() and win.search.result_count() == 1)
        win.search.primary.click()
        wait(current(win, win.consent))
        win.consent.refuse.click()
        wait(current(win, win.message))
        shot(win, "consent-refused")
        win.message.primary.click()

        win.open_admin("selftest")
        win.admin.selftest.start()
        wait(lambda: len(win.admin.selftest.checks) >= 5)
        shot(win, "admin-self-test")
        win.admin.open_page("diagnostics")
        win.admin.diagnostics.export()
        wait(lambda: win.admin.diagnostics.bundle is not None)
        shot(win, "admin-diagnostics")
        admin = win.admin
        settings = admin.settings
        admin.open_page("settings")
        settings.port_test.click()
        settings.set_broker.setText("mqtt://127.0.0.1:1")
        settings.broker_test.click()
        wait(lambda: settings.port_test.isEnabled() and settings.broker_test.isEnabled())
        shot(win, "admin-settings")
        settings.show_section("central")
        shot(win, "admin-settings-broker-test")
        store = st.store
        rows = store.outbox.rows()
        template = next(r for r in rows if r.kind == "template")
        store.outbox.mark_rejected(template.id, "central does not know this person yet")
        store.outbox.reschedule(rows[0].id, "the broker did not answer in time",
                         datetime.now(UTC) + timedelta(minutes=4))
        admin.open_page("sync")
        wait(lambda: admin.sync_queue.queue_table.rowCount() == len(rows))
        admin.sync_queue.queue_table.selectRow(rows.index(template))
        shot(win, "admin-sync")
        admin.open_page("sensor")
        shot(win, "admin-sensor")
        store.operators.create("Sam Clerk", "5555", role="staff")
        store.operators.create("Lee Night Shift", "7777", role="staff")
        store.operators.set_active("Lee Night Shift", False, actor="Admin")
        for _ in range(store.operators.pin_max_failures):
            store.operators.verify_pin("Sam Clerk", "0000")
        admin.open_page("operators")
        wait(lambda: admin.operators.op_table.rowCount() == 3)
        admin.operators.select_operator("Sam Clerk")
        shot(win, "admin-operators")
        win.statusbar.set_sync(SyncState(enabled=True, online=False,
                                         reason=LinkState.AUTH_REFUSED,
                                         offline_since=time.time(), pending=2))
        win.admin.primary.click()
        shot(win, "status-auth-problem")
        win.close()
        st.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = ap.parse_args()
    app = make_app()
    geo = app.primaryScreen().geometry()
    tag = f"{geo.width()}x{geo.height()}"
    run(args.out, tag)
    return 0


if __name__ == "__main__":
    sys.exit(main())
