"""Admin pages: operators, sensor-port and broker tests, the sync queue with "retry now", and
importing a provisioning file — on the real station (store on disk, virtual R307), with a real
Mosquitto and files from ``kiosk-central provision`` where the page talks to central."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from kiosk.app import LinkState, OutboxState, Station
from kiosk.app.provisioning import PIN_FILE
from kiosk.config import load_config
from kiosk.paths import DataPaths
from kiosk.secrets import get_secret
from kiosk.ui.main_window import MainWindow
from tests.fixtures.broker import MosquittoBroker, wait_until
from tests.provision.conftest import Central, broker_pid

from .conftest import WAIT_MS, sign_in

SLOW_MS = 15_000


def _text(t: QTableWidget, r: int, c: int) -> str:
    item = t.item(r, c)
    return item.text() if item is not None else ""


def _cell(t: QTableWidget, name: str, col: int) -> str:
    """The ``col`` cell of the row whose first cell is ``name``."""
    for r in range(t.rowCount()):
        if _text(t, r, 0) == name:
            return _text(t, r, col)
    raise AssertionError(f"{name} not listed")


def test_operators_disable_enable_reset_and_unlock(qtbot: QtBot, window: MainWindow,
                                                    station: Station) -> None:
    sign_in(qtbot, window)
    window.open_admin("operators")
    admin = window.admin.operators
    admin.op_name.setText("Sam")
    admin.op_pin.setText("5555")
    admin.op_add.click()
    qtbot.waitUntil(lambda: admin.op_table.rowCount() == 2, timeout=WAIT_MS)
    assert _cell(admin.op_table, "Sam", 2) == "Active"
    assert not admin.op_toggle.isEnabled()  # nothing selected yet

    admin.select_operator("Sam")
    assert admin.op_toggle.text() == "Disable" and not admin.op_unlock.isEnabled()
    admin.op_toggle.click()
    qtbot.waitUntil(lambda: _cell(admin.op_table, "Sam", 2) == "Disabled", timeout=WAIT_MS)
    assert "no longer sign in" in admin.op_result.text()
    assert station.operators.names() == ["Admin"]
    assert admin.op_toggle.text() == "Enable"  # the selection survived the reload
    admin.op_toggle.click()
    qtbot.waitUntil(lambda: _cell(admin.op_table, "Sam", 2) == "Active", timeout=WAIT_MS)

    admin.op_new_pin.setText("12")
    admin.op_reset.click()
    assert "4 to 12 digits" in admin.op_result.text()
    admin.op_new_pin.setText("8642")
    admin.op_reset.click()
    qtbot.waitUntil(lambda: "PIN was changed" in admin.op_result.text(), timeout=WAIT_MS)
    assert station.operators.verify_pin("Sam", "8642").ok

    for _ in range(5):
        station.operators.verify_pin("Sam", "0000")
    admin.refresh()
    qtbot.waitUntil(lambda: "Locked" in _cell(admin.op_table, "Sam", 2), timeout=WAIT_MS)
    admin.select_operator("Sam")
    assert admin.op_unlock.isEnabled()
    admin.op_unlock.click()
    qtbot.waitUntil(lambda: _cell(admin.op_table, "Sam", 2) == "Active", timeout=WAIT_MS)
    assert station.operators.verify_pin("Sam", "8642").ok
    audit = [(a.actor, a.action) for a in station.store.audit.entries(limit=20)]
    assert ("Admin", "operator-unlocked") in audit and ("Admin", "operator-pin-changed") in audit

    # the last active administrator cannot be disabled
    admin.select_operator("Admin")
    admin.op_toggle.click()
    qtbot.waitUntil(lambda: "last active administrator" in admin.op_result.text(),
                    timeout=WAIT_MS)
    assert _cell(admin.op_table, "Admin", 2) == "Active"


def test_sensor_port_test_says_in_use_or_what_is_wrong(qtbot: QtBot, window: MainWindow,
                                                       station: Station,
                                                       tmp_path: Path) -> None:
    sign_in(qtbot, window)
    window.open_admin("settings")
    admin = window.admin.settings
    admin.show_section("sensor")
    admin.set_port.setCurrentText(station.sensor_status.port)
    admin.port_test.click()
    qtbot.waitUntil(lambda: "in use by the station" in admin.port_result.text(),
                    timeout=WAIT_MS)
    assert "it answers" in admin.port_result.text() and admin.port_result.isVisible()
    missing = str(tmp_path / "no-such-port")
    admin.set_port.setCurrentText(missing)
    admin.port_test.click()
    qtbot.waitUntil(lambda: "No working sensor" in admin.port_result.text(), timeout=WAIT_MS)
    assert admin.port_result.objectName() == "error" and admin.port_test.isEnabled()


def test_broker_test_connection_in_plain_words(qtbot: QtBot, window: MainWindow,
                                               broker: MosquittoBroker) -> None:
    sign_in(qtbot, window)
    window.open_admin("settings")
    admin = window.admin.settings
    admin.show_section("central")
    admin.test_broker()
    assert "Type the server address" in admin.broker_result.text()
    admin.set_broker.setText(broker.url)
    admin.set_user.setText("station-01")
    admin.set_password.setText("wrong-password")
    admin.broker_test.click()
    qtbot.waitUntil(lambda: "refused this user name" in admin.broker_result.text(),
                    timeout=SLOW_MS)
    admin.set_password.setText(broker.password("station-01"))
    admin.broker_test.click()
    qtbot.waitUntil(lambda: "Connected" in admin.broker_result.text(), timeout=SLOW_MS)
    assert admin.broker_result.objectName() == "hint"
    admin.set_broker.setText("mqtt://central.example.org:1883")  # plaintext off loopback
    admin.broker_test.click()
    qtbot.waitUntil(lambda: "cannot work" in admin.broker_result.text(), timeout=SLOW_MS)


@pytest.fixture
def app_window(qtbot: QtBot, window: MainWindow) -> MainWindow:
    sign_in(qtbot, window)
    return window


def test_sync_queue_lists_reasons_and_retries(
        qtbot: QtBot, app_window: MainWindow, station: Station) -> None:
    from datetime import UTC, datetime, timedelta

    store = station.store
    store.consents.record("S-1003", notice_version="1", notice_text="n", method="on-screen",
                         operator="Admin")
    store.enrollments.record(external_id="S-1003", finger="right-index", slot=5,
                            template=b"\x5a" * 512, sensor_model="R307",
                            template_format="r307-char", match_score=90, operator="Admin")
    consent_row, tpl_row, _attempt = store.outbox.rows()
    store.outbox.mark_rejected(tpl_row.id, "person S-1003 is not on central's roster")
    store.outbox.reschedule(consent_row.id, "broker offline",
                            datetime.now(UTC) + timedelta(hours=2))

    admin = app_window.admin.sync_queue
    app_window.open_admin("sync")
    t = admin.queue_table
    qtbot.waitUntil(lambda: t.rowCount() == 3, timeout=SLOW_MS)
    assert [_text(t, r, 0) for r in range(3)] == ["Waiting", "Rejected", "Waiting"]
    assert _text(t, 2, 1) == "Enrollment record"  # the attempt, for central's figures
    assert _text(t, 1, 1) == "Fingerprint" and _text(t, 1, 3) == "right index finger"
    assert _text(t, 1, 2) == "Chen Wei (S-1003)"
    assert "not on central's roster" in _text(t, 1, 6)
    assert "broker offline" in _text(t, 0, 6) and "next try in" in _text(t, 0, 6)
    assert _text(t, 0, 4) == "1"  # one failed attempt so far
    assert not admin.queue_retry.isEnabled() and admin.queue_retry_all.isEnabled()

    t.selectRow(1)
    assert admin.queue_retry.isEnabled()
    assert admin.queue_reason.text() == "Reason: person S-1003 is not on central's roster"
    admin.queue_retry.click()
    qtbot.waitUntil(lambda: "1 message(s)" in admin.queue_result.text(), timeout=SLOW_MS)
    qtbot.waitUntil(lambda: _text(t, 1, 0) == "Waiting", timeout=SLOW_MS)
    item = store.outbox.item(tpl_row.id)
    assert item is not None and item.state is OutboxState.PENDING
    audit = store.audit.entries(limit=1)[0]
    assert (audit.actor, audit.action) == ("Admin", "sync-retry")

    admin.queue_retry_all.click()  # the backed-off consent row is due now too
    qtbot.waitUntil(lambda: "next try" not in _text(t, 0, 6), timeout=SLOW_MS)
    assert len(store.outbox.due(limit=10)) == 3  # consent, template and attempt


def test_last_admin_cannot_be_disabled(
        qtbot: QtBot, app_window: MainWindow, station: Station) -> None:
    admin = app_window.admin.operators
    app_window.open_admin("operators")
    qtbot.waitUntil(lambda: admin.op_table.rowCount() == 1, timeout=SLOW_MS)
    admin.select_operator("Admin")
    admin.op_toggle.click()
    qtbot.waitUntil(lambda: "last active administrator" in admin.op_result.text(),
                    timeout=SLOW_MS)
    assert "another administrator" in admin.op_result.text()
    assert station.operators.has_admin()


def _provision_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                    broker: MosquittoBroker, station: str) -> tuple[Path, str]:
    """``kiosk-central keygen`` + ``provision`` into the test broker's password file."""
    central = Central(tmp_path / "central", capsys)
    central.keygen()
    before = broker.log_text().count("Reloading config")
    out = central.provision(station, "--broker-url", broker.url, "--broker-dir",
                            str(broker.workdir), "--broker-pid", broker_pid(broker))
    wait_until(lambda: broker.log_text().count("Reloading config") > before, 10,
               what="broker reload")
    file = Path(out["file"])
    return file, str(json.loads(file.read_text())["signature"]["fingerprint"])


def test_provisioning_import_confirms_the_key_and_restarts_sync(
        qtbot: QtBot, app_window: MainWindow, station: Station, paths: DataPaths,
        broker: MosquittoBroker, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file, fp = _provision_file(tmp_path, capsys, broker, "station-07")
    password = str(json.loads(file.read_text())["payload"]["password"])
    admin = app_window.admin.central
    app_window.open_admin("central")
    assert "No central server" in admin.central_state.text()
    assert not station.config.sync.broker_url and not station.sync.enabled

    admin.load_provisioning(file)
    qtbot.waitUntil(admin.prov_box.isVisible, timeout=SLOW_MS)
    assert admin.prov_fp.text() == fp
    assert "station-07" in admin.prov_about.text()
    assert "Compare this fingerprint" in admin.prov_ask.text()
    assert not (paths.root / PIN_FILE).exists()  # nothing written before the admin confirms

    admin.prov_import.click()
    qtbot.waitUntil(lambda: admin.prov_outcome is not None, timeout=SLOW_MS)
    out = admin.prov_outcome
    assert out is not None and out.ok, out
    assert [s.name for s in out.steps] == ["signature", "trust", "connection", "secret", "ca",
                                           "config", "pin"]
    assert all(password not in s.text for s in out.steps)
    qtbot.waitUntil(lambda: "Sync now uses the new settings" in admin.prov_result.text(),
                    timeout=SLOW_MS)
    assert admin.prov_steps.count() == 3 * len(out.steps)
    # sync restarted with the new identity, and the status bar follows the new worker
    qtbot.waitUntil(lambda: station.sync.state.reason is LinkState.ONLINE, timeout=SLOW_MS)
    qtbot.waitUntil(lambda: "Central server: online" in app_window.statusbar.central.text(),
                    timeout=SLOW_MS)
    assert station.config.station.id == "station-07"
    assert "station-07" in admin.central_state.text()
    assert load_config(paths.config_file).station.id == "station-07"
    assert get_secret(paths, "mqtt-password") == password
    assert password not in paths.config_file.read_text()


def test_provisioning_file_refused_or_key_not_confirmed_changes_nothing(
        qtbot: QtBot, app_window: MainWindow, paths: DataPaths, broker: MosquittoBroker,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file, _fp = _provision_file(tmp_path, capsys, broker, "station-07")
    admin = app_window.admin.central
    app_window.open_admin("central")
    doc = json.loads(file.read_text())
    doc["payload"]["broker_urls"] = ["mqtt://127.0.0.1:1"]
    tampered = tmp_path / "tampered.SECRET.kioskprov"
    tampered.write_text(json.dumps(doc))
    admin.load_provisioning(tampered)
    qtbot.waitUntil(lambda: "cannot be used" in admin.prov_result.text(), timeout=SLOW_MS)
    assert "signature" in admin.prov_result.text() and not admin.prov_box.isVisible()

    admin.load_provisioning(file)
    qtbot.waitUntil(admin.prov_box.isVisible, timeout=SLOW_MS)
    admin.prov_reject.click()  # "It does not match"
    assert not admin.prov_box.isVisible() and "Nothing was changed" in admin.prov_result.text()
    assert not (paths.root / PIN_FILE).exists()
    assert not paths.config_file.exists() or "station-07" not in paths.config_file.read_text()


def test_sync_queue_shows_sensor_slots_still_to_clear_until_the_sensor_is_back(
        qtbot: QtBot, app_window: MainWindow, station: Station) -> None:
    from .conftest import enroll_directly, sim

    [enrolled] = enroll_directly(station, "S-1003", "right-index")
    sim(station).unplug()
    wait_until(lambda: not station.sensor_status.connected, 10, what="the sensor gone")
    deletion = station.biometrics.forget("S-1003", actor="Admin", reason="left the school")
    assert deletion.sensor_pending == (enrolled.slot,)
    admin = app_window.admin.sync_queue
    app_window.open_admin("sync")
    qtbot.waitUntil(lambda: admin.slots_pending.isVisibleTo(admin), timeout=SLOW_MS)
    assert f"slots {enrolled.slot}" in admin.slots_pending.text()
    sim(station).replug()
    wait_until(lambda: not station.store.slots.pending_releases(), 15, what="slots cleared")
    admin.refresh()
    qtbot.waitUntil(lambda: not admin.slots_pending.isVisibleTo(admin), timeout=SLOW_MS)
