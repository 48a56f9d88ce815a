"""Per-screen behaviour against the in-memory station (no sensor thread needed for most)."""

from __future__ import annotations

import zipfile

from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from kiosk.config import Config, EnrollmentPolicy
from kiosk.paths import DataPaths
from kiosk.ui.app import SingleInstance, make_app
from kiosk.ui.demo import DemoStation
from kiosk.ui.main_window import MainWindow
from kiosk.ui.ports import SyncState
from kiosk.ui.screens import suggest_finger
from kiosk.ui.widgets import HandDiagram, SegmentedProgress

from .conftest import WAIT_MS, find, sign_in


def _window(qtbot: QtBot, station: DemoStation) -> MainWindow:
    make_app()
    w = MainWindow(station, simulate=True)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def test_first_run_creates_the_first_admin(qtbot: QtBot, paths: DataPaths) -> None:
    st = DemoStation(paths, Config(), operators=False)
    w = _window(qtbot, st)
    qtbot.waitUntil(lambda: "first administrator" in w.signin.title.text(), timeout=WAIT_MS)
    assert w.signin.name_edit.isVisible() and w.signin.pin2.isVisible()
    w.signin.name_edit.setText("Ines")
    w.signin.pin.setText("2468")
    w.signin.pin2.setText("2469")
    w.signin.primary.click()
    assert "different" in w.signin.message.text()
    w.signin.pin.setText("2468")
    w.signin.pin2.setText("2468")
    w.signin.primary.click()
    # optional next step on a station without a central server: the provisioning page
    qtbot.waitUntil(lambda: w.current() is w.admin, timeout=WAIT_MS)
    assert w.admin.tabs.currentIndex() == w.admin.PAGES.index("central")
    assert w.admin.prov_choose.isVisible() and w.admin.central_later.isVisible()
    assert "No central server" in w.admin.central_state.text()
    w.admin.primary.click()  # "Done": skip it for now
    qtbot.waitUntil(lambda: w.current() is w.search, timeout=WAIT_MS)
    assert w.operator is not None and w.operator.is_admin
    assert w.topbar.admin.isVisible()


def test_wrong_pin_then_lockout(qtbot: QtBot, window: MainWindow) -> None:
    w = window
    qtbot.waitUntil(lambda: w.signin.name_combo.count() > 0, timeout=WAIT_MS)
    for left in (4, 3, 2, 1):
        w.signin.pin.setText("9999")
        w.signin.primary.click()
        qtbot.waitUntil(lambda n=left: f"{n} tries left" in w.signin.message.text(),
                        timeout=WAIT_MS)
    w.signin.pin.setText("9999")
    w.signin.primary.click()
    qtbot.waitUntil(w.signin.is_locked, timeout=WAIT_MS)
    assert not w.signin.primary.isEnabled()
    assert "Try again in" in w.signin.message.text()
    # Enter does nothing while locked
    w.signin.pin.setText("1234")
    qtbot.keyClick(w.signin.pin, Qt.Key.Key_Return)
    assert w.current() is w.signin


def test_operator_without_admin_role_has_no_admin_area(qtbot: QtBot, window: MainWindow,
                                                       station: DemoStation) -> None:
    station.store.create_operator("Sam", "5555", "staff")
    window.signin.entered()
    qtbot.waitUntil(lambda: window.signin.name_combo.count() == 2, timeout=WAIT_MS)
    sign_in(qtbot, window, "Sam", "5555")
    assert not window.topbar.admin.isVisible()
    window.open_admin("selftest")
    assert window.current() is window.search


def test_empty_roster_says_how_to_get_one(qtbot: QtBot, paths: DataPaths) -> None:
    st = DemoStation(paths, Config(), roster=False, operators=True)
    w = _window(qtbot, st)
    sign_in(qtbot, w)
    qtbot.waitUntil(w.search.empty.isVisible, timeout=WAIT_MS)
    assert "empty" in w.search.empty_title.text()
    assert "kiosk roster import FILE.csv" in w.search.empty_text.text()
    assert w.search.sync_button.isVisible()
    assert not w.search.table.isVisible()


def test_empty_roster_without_central_offers_only_csv(qtbot: QtBot, paths: DataPaths) -> None:
    st = DemoStation(paths, Config(), roster=False, operators=True)
    st._sync = None
    w = _window(qtbot, st)
    sign_in(qtbot, w)
    qtbot.waitUntil(w.search.empty.isVisible, timeout=WAIT_MS)
    assert "No central server" in w.search.empty_text.text()
    assert not w.search.sync_button.isVisible()


def test_type_ahead_shows_state_and_no_match(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window)
    find(qtbot, window, "S-100")
    assert window.search.result_count() == 8
    assert window.search.table.item(0, 3).text() == "Not enrolled"
    window.search.query.setText("zzz")
    qtbot.waitUntil(window.search.empty.isVisible, timeout=WAIT_MS)
    assert "No one matches" in window.search.empty_title.text()
    assert not window.search.sync_button.isVisible()


def test_refusal_is_recorded_and_alternative_offered(qtbot: QtBot, window: MainWindow,
                                                     station: DemoStation) -> None:
    sign_in(qtbot, window)
    find(qtbot, window, "Dalia")
    window.search.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.consent, timeout=WAIT_MS)
    assert not window.consent.primary.isEnabled()  # a method must be chosen first
    assert Config().consent.notice_text == window.consent.notice.text()
    window.consent.refuse.click()
    qtbot.waitUntil(lambda: window.current() is window.message, timeout=WAIT_MS)
    assert "ID card check" in window.message.text.text()
    rec = station.store.consents[-1]
    assert rec.method == "refused" and not rec.granted and rec.operator == "Admin"
    assert rec.notice_version == Config().consent.notice_version


def test_policy_suggestions() -> None:
    cfg = Config()
    assert suggest_finger(cfg, ()) == "right-index"
    assert suggest_finger(cfg, ("right-index",)) == "left-index"
    same_hand = cfg.replace(enrollment=EnrollmentPolicy(prefer_different_hands=False))
    assert suggest_finger(same_hand, ("right-index",)) == "left-index"


def test_hand_diagram_click_and_enrolled_fingers(qtbot: QtBot) -> None:
    make_app()
    hands = HandDiagram()
    qtbot.addWidget(hands)
    hands.resize(520, 300)
    hands.set_state(done={"right-index"}, suggested={"left-index"}, chosen=None)
    with qtbot.waitSignal(hands.fingerChosen, timeout=WAIT_MS) as sig:
        qtbot.mouseClick(hands, Qt.MouseButton.LeftButton,
                         pos=hands.finger_rect("left-middle").center().toPoint())
    assert sig.args == ["left-middle"]
    # an enrolled finger cannot be chosen
    qtbot.mouseClick(hands, Qt.MouseButton.LeftButton,
                     pos=hands.finger_rect("right-index").center().toPoint())
    assert hands.chosen() == "left-middle"
    assert hands.finger_rect("left-thumb").contains(
        QPointF(hands.finger_rect("left-thumb").center()))


def test_segmented_progress_steps(qtbot: QtBot) -> None:
    bar = SegmentedProgress()
    qtbot.addWidget(bar)
    assert [(bar.setValue(v), bar.steps_done())[1] for v in (0, 33, 66, 100)] == [0, 1, 2, 3]


def test_status_bar_words(qtbot: QtBot, window: MainWindow, station: DemoStation) -> None:
    assert "SIMULATED" in window.statusbar.sensor.text()
    assert window.statusbar.sensor.property("tone") == "sim"
    assert window.banner is not None and "SIMULATED SENSOR" in window.banner.text()
    assert station.sync is not None
    station.sync.set_online(False)
    qtbot.waitUntil(lambda: "offline since" in window.statusbar.central.text(),
                    timeout=WAIT_MS)
    assert window.statusbar.central.property("tone") == "warn"
    station.sync.set_online(False, problem="auth")
    qtbot.waitUntil(lambda: window.statusbar.central.property("tone") == "error",
                    timeout=WAIT_MS)
    window.statusbar.set_sync(SyncState("online", pending=3))
    assert "3 waiting" in window.statusbar.pending.text()


def test_self_test_and_diagnostics_bundle(qtbot: QtBot, window: MainWindow,
                                          paths: DataPaths) -> None:
    (paths.logs / "kiosk.log").write_text("started\n", encoding="utf-8")
    sign_in(qtbot, window)
    window.statusbar.sensor.click()
    qtbot.waitUntil(lambda: window.current() is window.admin, timeout=WAIT_MS)
    assert window.admin.tabs.currentIndex() == window.admin.PAGES.index("sensor")
    window.admin.start_self_test()
    qtbot.waitUntil(lambda: len(window.admin.checks) == 5, timeout=WAIT_MS)
    names = [c.name for c in window.admin.checks]
    assert names[:4] == ["Fingerprint sensor", "Station database", "Central server",
                         "Disk space"]
    window.admin.export()
    qtbot.waitUntil(lambda: window.admin.bundle is not None, timeout=WAIT_MS)
    bundle = window.admin.bundle
    assert bundle is not None
    with zipfile.ZipFile(bundle) as z:
        members = set(z.namelist())
        assert {"versions.json", "config.json", "status.json", "logs/kiosk.log"} <= members
        blob = b"".join(z.read(n) for n in members)
    assert b"1234" not in blob  # the admin PIN never leaves the database
    window.admin.primary.click()
    assert window.current() is window.search


def test_kiosk_mode_ignores_close(qtbot: QtBot, paths: DataPaths) -> None:
    from kiosk.config import UiConfig

    st = DemoStation(paths, Config(ui=UiConfig(kiosk_mode=True)), operators=True)
    w = _window(qtbot, st)
    w.close()
    assert w.isVisible()


def test_single_instance_raises_the_first(qtbot: QtBot, paths: DataPaths) -> None:
    make_app()
    first = SingleInstance(paths)
    assert first.acquire()
    second = SingleInstance(paths)
    with qtbot.waitSignal(first.raiseRequested, timeout=WAIT_MS):
        assert not second.acquire()
    first.release()


def test_typing_is_debounced_into_one_query(qtbot: QtBot, window: MainWindow,
                                            station: DemoStation) -> None:
    sign_in(qtbot, window)
    qtbot.waitUntil(window.search.is_settled, timeout=WAIT_MS)
    calls: list[str] = []
    original = station.store.search_people

    def counting(text: str, limit: int = 50) -> list[object]:
        calls.append(text)
        return original(text, limit)  # type: ignore[return-value]

    station.store.search_people = counting  # type: ignore[method-assign]
    qtbot.keyClicks(window.search.query, "Chen")
    qtbot.waitUntil(lambda: window.search.is_settled() and window.search.result_count() == 1,
                    timeout=WAIT_MS)
    assert calls == ["Chen"]


def test_keyboard_enter_is_primary(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.signin.name_combo.count() > 0, timeout=WAIT_MS)
    qtbot.keyClicks(window.signin.pin, "1234")
    qtbot.keyClick(window.signin.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current() is window.search, timeout=WAIT_MS)
    qtbot.keyClicks(window.search.query, "Hana")
    qtbot.waitUntil(lambda: window.search.is_settled() and window.search.result_count() == 1,
                    timeout=WAIT_MS)
    qtbot.keyClick(window.search.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current() is window.consent, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.current() is window.search


def test_no_capture_without_a_sensor(qtbot: QtBot, window: MainWindow,
                                     station: DemoStation) -> None:
    station.sensor.unplug()
    sign_in(qtbot, window)
    find(qtbot, window, "Hana")
    window.search.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.consent, timeout=WAIT_MS)
    window.consent.method_buttons["operator-attestation"].click()
    window.consent.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.fingers.primary.isEnabled(), timeout=WAIT_MS)
    assert "not connected" in window.fingers.sensor_note.text()
    station.sensor.replug()
    qtbot.waitUntil(window.fingers.primary.isEnabled, timeout=WAIT_MS)


def test_settings_are_saved_and_validated(qtbot: QtBot, window: MainWindow,
                                          paths: DataPaths) -> None:
    from kiosk.config import load_config

    sign_in(qtbot, window)
    window.open_admin("settings")
    admin = window.admin
    admin.set_broker.setText("http://wrong")
    admin.save_settings()
    assert "mqtt://" in admin.settings_result.text()
    admin.set_broker.setText("mqtts://central.example.org:8883")
    admin.set_fingers.setValue(3)
    admin.save_settings()
    qtbot.waitUntil(lambda: "Saved" in admin.settings_result.text(), timeout=WAIT_MS)
    saved = load_config(paths.config_file)
    assert saved.sync.broker_url == "mqtts://central.example.org:8883"
    assert saved.enrollment.fingers_per_person == 3


def test_sensor_reconcile_and_queue_pages(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window)
    window.open_admin("sensor")
    window.admin.reconcile(False)
    qtbot.waitUntil(lambda: "agree" in window.admin.rec_result.text(), timeout=WAIT_MS)
    window.open_admin("sync")
    qtbot.waitUntil(lambda: window.admin.queue_form.rowCount() >= 2, timeout=WAIT_MS)


def test_admin_closes_the_program_with_its_own_exit_code(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    from kiosk.ui.main_window import ADMIN_EXIT_CODE

    sign_in(qtbot, window)
    window.open_admin("selftest")
    window.admin.exit_button.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    assert window.exit_code == ADMIN_EXIT_CODE


def test_kiosk_mode_exit_needs_the_admin_pin(qtbot: QtBot, paths: DataPaths,
                                             monkeypatch: object) -> None:
    from PySide6.QtWidgets import QInputDialog

    from kiosk.config import UiConfig
    from kiosk.ui import worker

    st = DemoStation(paths, Config(ui=UiConfig(kiosk_mode=True)), operators=True)
    w = _window(qtbot, st)
    sign_in(qtbot, w)
    answers = iter([("9999", True), ("1234", True)])
    monkeypatch.setattr(QInputDialog, "getText",  # type: ignore[attr-defined]
                        staticmethod(lambda *a, **k: next(answers)))
    w.request_exit()
    qtbot.waitUntil(lambda: st.store._ops["Admin"].failures == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not worker._live, timeout=WAIT_MS)  # the answer was delivered
    assert w.isVisible()
    w.request_exit()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=WAIT_MS)


def test_hand_diagram_by_keyboard(qtbot: QtBot) -> None:
    make_app()
    hands = HandDiagram()
    qtbot.addWidget(hands)
    hands.set_state(done={"right-middle"}, suggested=set(), chosen="right-index")
    with qtbot.waitSignal(hands.fingerChosen, timeout=WAIT_MS) as sig:
        qtbot.keyClick(hands, Qt.Key.Key_Right)
    assert sig.args == ["right-ring"]  # the enrolled middle finger is skipped
    qtbot.keyClick(hands, Qt.Key.Key_Left)
    qtbot.keyClick(hands, Qt.Key.Key_Left)
    assert hands.chosen() == "right-thumb"
