"""Save a PNG of every kiosk screen and state, at the screen's size, in one language.

Usage: ``make screenshots`` (every language at 1366×768 and 1920×1080, under Xvfb), or::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m scripts.screenshots --language fr

The window is driven the way a clerk and a simulated person would (real store in a throw-away
data folder, the virtual sensor behind the real driver), so the pictures show real states.
Next to the pictures, ``<size>-<language>-report.txt`` lists any text that does not fit its
label or button, and any English left on a translated screen.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.app import (
    Finger,
    LinkState,
    Role,
    SensorCode,
    SensorState,
    SimulatorControls,
    Station,
    SyncState,
)
from kiosk.config import Config, EnrollmentPolicy
from kiosk.paths import DataPaths, resource_dir
from kiosk.ui.app import make_app
from kiosk.ui.i18n import translations
from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens import Screen
from kiosk_central.cli import main as central_main
from tests.ui.clipping import clipped
from tests.ui.day import ScriptedPerson, run_day

ROOT = Path(__file__).resolve().parent.parent


def wait(cond: Callable[[], bool], timeout: float = 20.0) -> None:
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


def english_sources(language: str) -> set[str]:
    """Source strings whose translation differs (their English on screen is a leftover)."""
    ts = resource_dir() / "i18n" / f"kiosk_{language}.ts"
    if language == "en" or not ts.exists():
        return set()
    out = set()
    for m in ET.parse(ts).getroot().iter("message"):
        src, tr = m.findtext("source") or "", m.findtext("translation") or ""
        if tr and tr != src and "{" not in src and len(src) > 3:
            out.add(src)
    return out


class Shooter:
    def __init__(self, out: Path, tag: str, language: str) -> None:
        self.out = out
        self.tag = tag
        self.n = 0
        self.english = english_sources(language)
        self.findings: list[str] = []
        out.mkdir(parents=True, exist_ok=True)

    def __call__(self, win: MainWindow, name: str) -> None:
        settle()
        self.n += 1
        path = self.out / f"{self.tag}-{self.n:02d}-{name}.png"
        win.grab().save(str(path))
        for problem in clipped(win):
            self.findings.append(f"{path.name}: clipped: {problem}")
        if self.english:
            for w in win.findChildren(QLabel) + win.findChildren(QPushButton):
                if isinstance(w, QWidget) and w.isVisibleTo(win) and w.text() in self.english:
                    self.findings.append(f"{path.name}: untranslated: {w.text()!r}")
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    def write_report(self) -> Path:
        report = self.out / f"{self.tag}-report.txt"
        report.write_text("\n".join(self.findings) + ("\n" if self.findings else
                                                      "nothing clipped, nothing untranslated\n"),
                          encoding="utf-8")
        return report


def open_window(data: Path, *, roster: bool, admin: bool,
                config: Config | None = None) -> tuple[MainWindow, Station]:
    station = Station.open(DataPaths(data).ensure(), config or Config(), simulate=True,
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


def open_person(win: MainWindow, text: str) -> None:
    win.search.query.setText(text)
    wait(lambda: win.search.is_settled() and win.search.result_count() >= 1)
    win.search.primary.click()


def consent(win: MainWindow) -> None:
    wait(current(win, win.consent))
    win.consent.method_buttons["signed-paper"].click()
    win.consent.primary.click()


def cooperative(station: Station, label: str | Callable[[], str]) -> ScriptedPerson:
    assert station.simulation is not None
    return ScriptedPerson(station.simulation.sim, label).install()


def new_station(tmp: Path, shot: Shooter) -> None:
    """A brand-new station: first admin, then connecting it to central, an empty roster."""
    win, st = open_window(tmp / "new", roster=False, admin=False)
    wait(win.signin.name_edit.isVisible)
    shot(win, "first-run-admin")
    win.signin.name_edit.setText("Ines Admin")
    win.signin.pin.setText("24")
    win.signin.pin2.setText("24")
    win.signin.primary.click()
    shot(win, "first-run-pin-error")
    win.signin.pin.setText("2468")
    win.signin.pin2.setText("2468")
    win.signin.primary.click()
    wait(current(win, win.admin))
    shot(win, "first-run-central")
    central = win.admin.central
    central.load_provisioning(provisioning_file(tmp / "central"))
    wait(central.prov_box.isVisible)
    shot(win, "central-confirm-key")
    central.prov_import.click()
    wait(lambda: "Sync now" in central.prov_result.text() or "✓" in central.prov_result.text(),
         timeout=30)
    shot(win, "central-imported")
    win.admin.primary.click()
    wait(win.search.empty.isVisible)
    shot(win, "search-empty-roster")
    win.close()
    st.close()


def enrollment(win: MainWindow, st: Station, sim: SimulatorControls, shot: Shooter) -> None:
    """Chen's two fingers, with a retry, the check, and the screens on the way."""
    label = "S-1003:right-index"
    open_person(win, "Chen")
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
    shot(win, "result-1-of-2-queued")
    win.result.primary.click()
    wait(current(win, win.fingers))
    shot(win, "choose-second-finger")
    win.fingers.primary.click()
    hold = [True]  # the person waits at the check until it is photographed
    person = cooperative(st, lambda: "" if win.capture.verifying and hold[0]
                         else "S-1003:left-index")
    wait(lambda: win.capture.verifying and ready_to_place(win))
    shot(win, "check-place")
    hold[0] = False
    wait(current(win, win.result))
    person.uninstall()
    win.result.set_synced(True, online)
    win.statusbar.set_sync(online)
    shot(win, "result-checked-synced")
    win.result.primary.click()


def done_person(win: MainWindow, shot: Shooter) -> None:
    """Chen again: done; one more finger on purpose; managing a finger."""
    open_person(win, "Chen")
    wait(current(win, win.person_screen))
    shot(win, "person-done")
    win.person_screen.another.click()
    wait(current(win, win.fingers))
    shot(win, "extra-finger")
    win.fingers.secondary.click()
    open_person(win, "Chen")
    wait(current(win, win.person_screen))
    win.person_screen.hands.buttons[Finger.LEFT_INDEX].click()
    wait(current(win, win.manage))
    win.manage.reason_buttons["injured"].click()
    shot(win, "manage-finger")
    win.manage.remove_button.click()
    shot(win, "manage-confirm-remove")
    win.manage.confirm.yes.click()
    wait(lambda: win.current() is win.message and win.message.kind == "removed")
    shot(win, "finger-removed")
    win.message.secondary.click()
    open_person(win, "Chen")
    wait(lambda: win.current() in (win.person_screen, win.fingers))
    (win.person_screen.forget if win.current() is win.person_screen
     else win.fingers.forget).click()
    wait(current(win, win.forget))
    win.forget.withdraw.click()
    win.forget.reason_buttons["asked"].click()
    shot(win, "withdraw-consent")
    win.forget.primary.click()
    shot(win, "withdraw-confirm")
    win.forget.secondary.click()  # Back: Chen keeps the prints for the shots after this


def duplicate(win: MainWindow, st: Station, sim: SimulatorControls, shot: Shooter) -> None:
    """Emil presses Chen's finger: the neutral screen, then the supervisor's view."""
    open_person(win, "Emil")
    consent(win)
    wait(current(win, win.fingers))
    win.fingers.primary.click()
    wait(lambda: ready_to_place(win))
    sim.place("S-1003:right-index")
    wait(current(win, win.duplicate))
    sim.lift()
    shot(win, "duplicate-for-the-person")
    d = win.duplicate
    d.supervisor.click()
    wait(lambda: d.admin.count() > 0)
    shot(win, "duplicate-supervisor-pin")
    d.pin.setText("1234")
    d._check_pin()
    wait(d.details_visible)
    d.reason.setText("Same student, two records")
    shot(win, "duplicate-details")
    d.primary.click()


def check_fails(win: MainWindow, st: Station, shot: Shooter) -> None:
    """Hana's second finger: the check presses another finger."""
    open_person(win, "Hana")
    consent(win)
    for finger in ("right-index", "left-index"):
        wait(current(win, win.fingers))
        win.fingers.primary.click()
        label = f"S-1008:{finger}"

        def presented(label: str = label) -> str:
            """The finger the person presents: the check is pressed with another one."""
            return label + (":other" if win.capture.verifying else "")

        person = cooperative(st, presented)
        if finger == "right-index":
            wait(current(win, win.result))
            person.uninstall()
            win.result.primary.click()
        else:
            wait(current(win, win.message))
            person.uninstall()
    shot(win, "check-failed")
    win.message.secondary.click()


def unplugged(win: MainWindow, sim: SimulatorControls, shot: Shooter) -> None:
    open_person(win, "Gabriel")
    consent(win)
    wait(current(win, win.fingers))
    win.fingers.primary.click()
    wait(lambda: ready_to_place(win))
    sim.unplug()
    wait(lambda: win.current() is win.message and not win.message.primary.isEnabled())
    win.statusbar.set_sync(SyncState(enabled=True, online=False, reason=LinkState.UNREACHABLE,
                                     offline_since=time.time() - 600, pending=2))
    shot(win, "error-unplugged")
    sim.replug()
    wait(win.message.primary.isEnabled)
    shot(win, "error-unplugged-back")
    win.message.secondary.click()


def admin_pages(win: MainWindow, st: Station, shot: Shooter) -> None:
    win.open_admin("selftest")
    win.admin.selftest.start()
    wait(lambda: len(win.admin.selftest.checks) >= 5)
    win.admin.diagnostics.export()
    wait(lambda: win.admin.diagnostics.bundle is not None)
    shot(win, "admin-self-test")
    admin = win.admin
    settings = admin.settings
    admin.open_page("settings")
    for section in settings.SECTIONS:
        settings.show_section(section)
        if section == "sensor":
            settings.port_test.click()
            wait(settings.port_test.isEnabled)
        if section == "central":
            settings.set_broker.setText("mqtt://127.0.0.1:1")
            settings.broker_test.click()
            wait(settings.broker_test.isEnabled)
        shot(win, f"admin-settings-{section}")
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
    admin.sensor.reconcile(False)
    wait(admin.sensor.rec_check.isEnabled)
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
    admin.exit_button.click()
    shot(win, "admin-exit-confirm")
    admin.close_question()
    win.statusbar.set_sync(SyncState(enabled=True, online=False, reason=LinkState.AUTH_REFUSED,
                                     offline_since=time.time(), pending=2))
    admin.primary.click()
    shot(win, "status-auth-problem")


def demo_station(tmp: Path, shot: Shooter) -> None:
    win, st = open_window(tmp / "demo", roster=True, admin=True)
    sim = st.simulator
    assert sim is not None
    wait(lambda: win.signin.name_combo.count() > 0)
    shot(win, "sign-in")
    win.signin.pin.setText("0000")
    win.signin.primary.click()
    wait(lambda: "tries left" in win.signin.message.text()
         or win.signin.message.text() != "")
    shot(win, "sign-in-wrong-pin")
    sign_in(win)
    win.search.query.setText("a")
    wait(lambda: win.search.is_settled() and win.search.result_count() > 0)
    shot(win, "search-results")
    win.search.query.setText("zzz")
    wait(win.search.empty.isVisible)
    shot(win, "search-no-match")
    win.search.query.clear()
    enrollment(win, st, sim, shot)
    win.search.set_group("Year 11")
    wait(lambda: win.search.is_settled() and win.search.summary.isVisible())
    shot(win, "search-group-queue")
    win.search.set_group("")
    open_person(win, "Dalia")
    wait(current(win, win.consent))
    win.consent.refuse.click()
    shot(win, "consent-refuse-confirm")
    win.consent.confirm.yes.click()
    wait(current(win, win.message))
    shot(win, "consent-refused")
    win.message.primary.click()
    done_person(win, shot)
    duplicate(win, st, sim, shot)
    check_fails(win, st, shot)
    unplugged(win, sim, shot)
    win.idle.set_times(60_000, 30_000)
    win.idle.start()
    win.idle._warn()
    wait(win.idle_banner.isVisible)
    shot(win, "idle-warning")
    win.idle.poke()
    win.idle.set_times(600_000)
    win.idle.start()
    admin_pages(win, st, shot)
    win.close()
    st.close()


def short_waits(tmp: Path, shot: Shooter) -> None:
    """The two time-outs, on a station that waits 1.5 s instead of 60."""
    win, st = open_window(tmp / "short", roster=True, admin=True,
                          config=Config(enrollment=EnrollmentPolicy(idle_timeout_s=1.5)))
    sim = st.simulator
    assert sim is not None
    sign_in(win)
    open_person(win, "Amara")
    consent(win)
    wait(current(win, win.fingers))
    win.fingers.primary.click()
    wait(lambda: win.current() is win.message, timeout=20)
    shot(win, "error-no-finger")
    win.message.primary.click()
    wait(lambda: ready_to_place(win))
    sim.place("S-1001:right-index")  # and keep it there
    wait(lambda: win.current() is win.message, timeout=20)
    sim.lift()
    shot(win, "error-finger-not-lifted")
    win.close()
    st.close()


def figures_day(tmp: Path, shot: Shooter) -> None:
    """The figures page after the scripted day of 50 enrollments."""
    win, st = open_window(tmp / "day", roster=False, admin=True)
    run_day(st)
    sign_in(win)
    win.open_admin("figures")
    win.admin.figures.show_days(1)
    wait(lambda: win.admin.figures.figures is not None
         and win.admin.figures.figures.attempts > 0)
    shot(win, "admin-figures-scripted-day")
    win.close()
    st.close()


def run(out: Path, tag: str, language: str) -> Shooter:
    make_app()
    translations.use(language)
    shot = Shooter(out, tag, language)
    with tempfile.TemporaryDirectory() as tmp:
        new_station(Path(tmp), shot)
        demo_station(Path(tmp), shot)
        short_waits(Path(tmp), shot)
        figures_day(Path(tmp), shot)
    return shot


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "screenshots")
    ap.add_argument("--language", default="en", help="en, fr or es")
    args = ap.parse_args()
    app = make_app()
    geo = app.primaryScreen().geometry()
    tag = f"{geo.width()}x{geo.height()}-{args.language}"
    shot = run(args.out, tag, args.language)
    report = shot.write_report()
    print(report.relative_to(ROOT) if report.is_relative_to(ROOT) else report)
    print(re.sub(r"^", "  ", report.read_text(encoding="utf-8"), flags=re.M), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
