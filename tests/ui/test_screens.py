"""Per-screen behaviour on the real station (store, sensor worker, virtual R307)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from functools import partial

import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from kiosk.app import (
    ConsentEvent,
    ConsentStatus,
    Finger,
    LinkState,
    PersonStatus,
    Role,
    Station,
    SyncState,
)
from kiosk.config import Config, EnrollmentPolicy, SyncConfig, UiConfig
from kiosk.paths import DataPaths
from kiosk.ui.app import SingleInstance, make_app
from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens import suggest_finger
from kiosk.ui.widgets import HandDiagram, SegmentedProgress
from kiosk_contract.sealing import KeyPair
from tests.fixtures.broker import MosquittoBroker

from .conftest import WAIT_MS, cell, find, make_window, open_station, sign_in, sim, sync_config

#: A broker address nobody listens on: sync is set up, and offline.
NOWHERE = "mqtt://127.0.0.1:9"


@pytest.fixture
def stations(paths: DataPaths) -> Iterator[list[Station]]:
    """Stations a test opens itself; all closed afterwards."""
    opened: list[Station] = []
    yield opened
    for st in opened:
        st.close()


def _open(stations: list[Station], paths: DataPaths, config: Config | None = None,
          **kw: object) -> Station:
    st = open_station(paths, config or Config(), **kw)  # type: ignore[arg-type]
    stations.append(st)
    return st


def _offline(config: Config) -> Config:
    return config.replace(sync=SyncConfig(broker_url=NOWHERE, keepalive_s=5))


def test_first_run_creates_the_first_admin(qtbot: QtBot, paths: DataPaths,
                                           stations: list[Station]) -> None:
    st = _open(stations, paths, admin=False)
    w = make_window(qtbot, st)
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
    assert w.admin.tabs.currentIndex() == w.admin.TABS["central"]
    central = w.admin.central
    assert central.prov_choose.isVisible() and central.central_later.isVisible()
    assert "No central server" in central.central_state.text()
    w.admin.primary.click()  # "Done": skip it for now
    qtbot.waitUntil(lambda: w.current() is w.search, timeout=WAIT_MS)
    assert w.operator is not None and w.operator.role is Role.ADMIN
    assert w.topbar.admin.isVisible()
    # the real store has it, with the product's PIN rules
    assert st.operators.verify_pin("Ines", "2468").ok


def test_wrong_pin_then_lockout(qtbot: QtBot, window: MainWindow) -> None:
    w = window
    qtbot.waitUntil(lambda: w.signin.name_combo.count() > 0, timeout=WAIT_MS)
    for left in (4, 3, 2, 1):
        w.signin.pin.setText("9999")
        w.signin.primary.click()
        qtbot.waitUntil(partial(lambda n: f"{n} tries left" in w.signin.message.text(), left),
                        timeout=WAIT_MS)
    w.signin.pin.setText("9999")
    w.signin.primary.click()
    qtbot.waitUntil(w.signin.is_locked, timeout=WAIT_MS)
    assert not w.signin.primary.isEnabled()
    assert "Try again in" in w.signin.message.text()
    # the product's lockout: five minutes
    left = w.signin._lock_left
    assert 280 <= left <= 300, left
    # Enter does nothing while locked
    w.signin.pin.setText("1234")
    qtbot.keyClick(w.signin.pin, Qt.Key.Key_Return)
    assert w.current() is w.signin


def test_operator_without_admin_role_has_no_admin_area(qtbot: QtBot, window: MainWindow,
                                                       station: Station) -> None:
    station.operators.create("Sam", "5555", Role.STAFF, actor="Admin")
    window.signin.entered()
    qtbot.waitUntil(lambda: window.signin.name_combo.count() == 2, timeout=WAIT_MS)
    sign_in(qtbot, window, "Sam", "5555")
    assert not window.topbar.admin.isVisible()
    window.open_admin("selftest")
    assert window.current() is window.search


def test_empty_roster_says_how_to_get_one(qtbot: QtBot, paths: DataPaths,
                                          stations: list[Station]) -> None:
    st = _open(stations, paths, _offline(Config()), roster=False)
    w = make_window(qtbot, st)
    sign_in(qtbot, w)
    qtbot.waitUntil(w.search.empty.isVisible, timeout=WAIT_MS)
    assert "empty" in w.search.empty_title.text()
    assert "kiosk roster import FILE.csv" in w.search.empty_text.text()
    assert w.search.sync_button.isVisible()
    assert not w.search.table.isVisible()


def test_empty_roster_without_central_offers_only_csv(qtbot: QtBot, paths: DataPaths,
                                                      stations: list[Station]) -> None:
    st = _open(stations, paths, roster=False)
    w = make_window(qtbot, st)
    sign_in(qtbot, w)
    qtbot.waitUntil(w.search.empty.isVisible, timeout=WAIT_MS)
    assert "No central server" in w.search.empty_text.text()
    assert not w.search.sync_button.isVisible()


def test_type_ahead_shows_state_and_no_match(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window)
    find(qtbot, window, "S-100")
    assert window.search.result_count() == 8
    assert cell(window.search.table, 0, 3) == "Not enrolled"
    window.search.query.setText("zzz")
    qtbot.waitUntil(window.search.empty.isVisible, timeout=WAIT_MS)
    assert "No one matches" in window.search.empty_title.text()
    assert not window.search.sync_button.isVisible()


def test_refusal_is_recorded_and_alternative_offered(qtbot: QtBot, window: MainWindow,
                                                     station: Station) -> None:
    sign_in(qtbot, window)
    find(qtbot, window, "Dalia")
    window.search.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.consent, timeout=WAIT_MS)
    assert not window.consent.primary.isEnabled()  # a method must be chosen first
    assert Config().consent.notice_text == window.consent.notice.text()
    window.consent.refuse.click()
    assert window.consent.asking()  # a refusal is confirmed first
    window.consent.confirm.yes.click()
    qtbot.waitUntil(lambda: window.current() is window.message, timeout=WAIT_MS)
    assert "ID card check" in window.message.text.text()
    person: PersonStatus = station.desk.person("S-1004")
    assert person.consent_status is ConsentStatus.REFUSED and person.consent is None
    events = [r.payload for r in station.store.outbox.rows()
              if isinstance(r.payload, ConsentEvent)]
    assert [(e.event, e.operator, e.notice_version) for e in events] == [
        ("refused", "Admin", Config().consent.notice_version)]


def test_policy_suggestions() -> None:
    cfg = Config()
    assert suggest_finger(cfg, ()) is Finger.RIGHT_INDEX
    assert suggest_finger(cfg, (Finger.RIGHT_INDEX,)) is Finger.LEFT_INDEX
    same_hand = cfg.replace(enrollment=EnrollmentPolicy(prefer_different_hands=False))
    assert suggest_finger(same_hand, (Finger.RIGHT_INDEX,)) is Finger.LEFT_INDEX


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
    steps = []
    for v in (0, 33, 66, 100):
        bar.setValue(v)
        steps.append(bar.steps_done())
    assert steps == [0, 1, 2, 3]


def test_status_bar_words_offline(qtbot: QtBot, paths: DataPaths,
                                  stations: list[Station]) -> None:
    st = _open(stations, paths, _offline(Config()))
    w = make_window(qtbot, st)
    assert "SIMULATED" in w.statusbar.sensor.text()
    assert w.statusbar.sensor.property("tone") == "sim"
    assert w.banner is not None and "SIMULATED SENSOR" in w.banner.text()
    qtbot.waitUntil(lambda: "offline since" in w.statusbar.central.text(), timeout=WAIT_MS)
    assert w.statusbar.central.property("tone") == "warn"
    w.statusbar.set_sync(SyncState(enabled=True, online=True, reason=LinkState.ONLINE,
                                   pending=3))
    assert "3 waiting" in w.statusbar.pending.text()


def test_status_bar_says_the_login_was_refused(qtbot: QtBot, paths: DataPaths,
                                               broker: MosquittoBroker, central_key: KeyPair,
                                               stations: list[Station]) -> None:
    st = _open(stations, paths, sync_config(Config(), broker, central_key),
               password="not-the-password")
    w = make_window(qtbot, st)
    qtbot.waitUntil(lambda: w.statusbar.central.property("tone") == "error", timeout=WAIT_MS)
    assert "refused the login" in w.statusbar.central.text()
    assert st.sync.state.reason is LinkState.AUTH_REFUSED


def test_self_test_and_diagnostics_bundle(qtbot: QtBot, window: MainWindow,
                                          paths: DataPaths) -> None:
    (paths.logs / "kiosk.log").write_text("started\n", encoding="utf-8")
    sign_in(qtbot, window)
    window.statusbar.sensor.click()
    qtbot.waitUntil(lambda: window.current() is window.admin, timeout=WAIT_MS)
    assert window.admin.tabs.currentIndex() == window.admin.TABS["sensor"]
    page = window.admin.selftest
    page.start()
    qtbot.waitUntil(lambda: len(page.checks) == 10, timeout=WAIT_MS)
    names = [c.name.english() for c in page.checks]
    assert names[:8] == ["Fingerprint sensor", "Sensor and database", "Station database",
                         "Audit trail", "Data key", "Deletions", "Central server",
                         "Disk space"]
    assert all(c.ok for c in page.checks), [(c.name, c.verdict) for c in page.checks]
    window.admin.diagnostics.export()
    qtbot.waitUntil(lambda: window.admin.diagnostics.bundle is not None, timeout=WAIT_MS)
    bundle = window.admin.diagnostics.bundle
    assert bundle is not None
    with zipfile.ZipFile(bundle) as z:
        members = set(z.namelist())
        assert {"versions.json", "config.json", "status.json", "logs/kiosk.log"} <= members
        blob = b"".join(z.read(n) for n in members)
    assert b"1234" not in blob  # the admin PIN never leaves the database
    window.admin.primary.click()
    assert window.current() is window.search


def test_kiosk_mode_ignores_close(qtbot: QtBot, paths: DataPaths,
                                  stations: list[Station]) -> None:
    st = _open(stations, paths, Config(ui=UiConfig(kiosk_mode=True)))
    w = make_window(qtbot, st)
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
                                            station: Station) -> None:
    sign_in(qtbot, window)
    qtbot.waitUntil(window.search.is_settled, timeout=WAIT_MS)
    calls: list[str] = []
    original = station.desk.search

    def counting(text: str, limit: int = 20) -> list[PersonStatus]:
        calls.append(text)
        return original(text, limit)

    station.desk.search = counting  # type: ignore[method-assign]
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
                                     station: Station) -> None:
    sim(station).unplug()
    sign_in(qtbot, window)
    find(qtbot, window, "Hana")
    window.search.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.consent, timeout=WAIT_MS)
    window.consent.method_buttons["operator-attestation"].click()
    window.consent.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.fingers.primary.isEnabled(), timeout=WAIT_MS)
    assert "not connected" in window.fingers.sensor_note.text()
    sim(station).replug()
    qtbot.waitUntil(window.fingers.primary.isEnabled, timeout=WAIT_MS)


def test_settings_are_saved_and_validated(qtbot: QtBot, window: MainWindow,
                                          paths: DataPaths) -> None:
    from kiosk.config import load_config

    sign_in(qtbot, window)
    window.open_admin("settings")
    admin = window.admin.settings
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
    window.admin.sensor.reconcile(False)
    qtbot.waitUntil(lambda: "agree" in window.admin.sensor.rec_result.text(), timeout=WAIT_MS)
    window.open_admin("sync")
    qtbot.waitUntil(lambda: window.admin.sync_queue.queue_form.rowCount() >= 2,
                    timeout=WAIT_MS)


def test_admin_closes_the_program_with_its_own_exit_code(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    from kiosk.ui.main_window import ADMIN_EXIT_CODE

    sign_in(qtbot, window)
    window.open_admin("selftest")
    window.admin.exit_button.click()
    assert window.isVisible() and window.admin.asking()  # confirmed first
    window.admin.confirm.yes.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    assert window.exit_code == ADMIN_EXIT_CODE


def test_kiosk_mode_exit_needs_the_admin_pin(qtbot: QtBot, paths: DataPaths,
                                             monkeypatch: object,
                                             stations: list[Station]) -> None:
    from PySide6.QtWidgets import QInputDialog

    from kiosk.ui import worker

    st = _open(stations, paths, Config(ui=UiConfig(kiosk_mode=True)))
    w = make_window(qtbot, st)
    sign_in(qtbot, w)
    answers = iter([("9999", True), ("1234", True)])
    monkeypatch.setattr(QInputDialog, "getText",  # type: ignore[attr-defined]
                        staticmethod(lambda *a, **k: next(answers)))
    w.request_exit()
    qtbot.waitUntil(lambda: [o.failed_attempts for o in st.operators.list()] == [1],
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not worker._live, timeout=WAIT_MS)  # the answer was delivered
    assert w.isVisible()
    w.request_exit()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=WAIT_MS)


def test_hand_diagram_by_keyboard(qtbot: QtBot) -> None:
    make_app()
    hands = HandDiagram()
    qtbot.addWidget(hands)
    hands.set_state(done={"right-middle"}, suggested=set(), chosen="right-index")
    # an enrolled finger gets the focus (to manage it) but is not chosen for a capture
    qtbot.keyClick(hands, Qt.Key.Key_Right)
    assert hands.chosen() == "right-index"
    assert hands.cursor_finger() == "right-middle"
    with qtbot.waitSignal(hands.fingerChosen, timeout=WAIT_MS) as sig:
        qtbot.keyClick(hands, Qt.Key.Key_Right)
    assert sig.args == ["right-ring"]
    qtbot.keyClick(hands, Qt.Key.Key_Left)
    qtbot.keyClick(hands, Qt.Key.Key_Left)
    qtbot.keyClick(hands, Qt.Key.Key_Left)
    assert hands.chosen() == "right-thumb"
