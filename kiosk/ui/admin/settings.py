"""Settings page: the everyday settings as a form, with a test beside each connection."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from kiosk.app import LinkState, PortVerdict, Station
from kiosk.app.provisioning import ConnectionVerdict, try_broker
from kiosk.app.settings import save_settings
from kiosk.config import Config, ConfigError
from kiosk.ui.admin.common import ActorFn, Page, set_role
from kiosk.ui.screens.base import label
from kiosk.ui.widgets import button
from kiosk.ui.worker import run_async


class SettingsPage(Page):
    """Saved to the settings file; used after a restart (the page says so)."""

    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        self._build()

    def _build(self) -> None:
        cfg = self.station.config
        inner = QWidget()
        form = QFormLayout(inner)
        form.setVerticalSpacing(10)
        self.set_station_id = QLineEdit(cfg.station.id)
        self.set_station_name = QLineEdit(cfg.station.name)
        self.set_port = QComboBox()
        self.set_port.setEditable(True)
        self.set_port.addItem("auto")
        if cfg.sensor.port != "auto":
            self.set_port.addItem(cfg.sensor.port)
        self.set_port.setCurrentText(cfg.sensor.port)
        self.set_broker = QLineEdit(cfg.sync.broker_url)
        self.set_broker.setPlaceholderText("mqtts://central.example.org:8883")
        self.set_user = QLineEdit(cfg.sync.username)
        self.set_ca = QLineEdit(cfg.sync.ca_file)
        self.set_cert = QLineEdit(cfg.sync.client_cert)
        self.set_key = QLineEdit(cfg.sync.client_key)
        self.set_notice_version = QLineEdit(cfg.consent.notice_version)
        self.set_notice = QPlainTextEdit(cfg.consent.notice_text)
        self.set_notice.setMinimumHeight(120)
        self.set_alternative = QLineEdit(cfg.consent.alternative)
        self.set_fingers = QSpinBox()
        self.set_fingers.setRange(1, 10)
        self.set_fingers.setValue(cfg.enrollment.fingers_per_person)
        self.set_idle = QSpinBox()
        self.set_idle.setRange(30, 3600)
        self.set_idle.setSuffix(" s")
        self.set_idle.setValue(cfg.ui.idle_signout_s)
        self.set_kiosk = QCheckBox(self.tr("Full screen, exit only with an administrator PIN"))
        self.set_kiosk.setChecked(cfg.ui.kiosk_mode)
        self.set_password = QLineEdit()
        self.set_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.set_password.setPlaceholderText(self.tr("Leave empty to keep the stored password"))
        self.port_test = button(self.tr("Test"))
        self.port_test.clicked.connect(self.test_port)
        self.port_result = label("", "hint")
        self.broker_test = button(self.tr("Test connection"))
        self.broker_test.clicked.connect(self.test_broker)
        self.broker_result = label("", "hint")
        port_cell = QWidget()
        ph = QHBoxLayout(port_cell)
        ph.setContentsMargins(0, 0, 0, 0)
        ph.addWidget(self.set_port, 1)
        ph.addWidget(self.port_test)
        broker_cell = QWidget()
        bh = QHBoxLayout(broker_cell)
        bh.setContentsMargins(0, 0, 0, 0)
        bh.addWidget(self.broker_test)
        bh.addStretch(1)
        rows: list[tuple[str, QWidget]] = [
            ("Station ID", self.set_station_id), ("Station name", self.set_station_name),
            ("Sensor port (auto = find it)", port_cell), ("", self.port_result),
            ("Central server (broker URL)", self.set_broker), ("User name", self.set_user),
            ("Password", self.set_password),
            ("CA file", self.set_ca), ("Client certificate", self.set_cert),
            ("Client key", self.set_key), ("", broker_cell), ("", self.broker_result),
            ("Consent notice version", self.set_notice_version),
            ("Consent notice", self.set_notice), ("Alternative if refused", self.set_alternative),
            ("Fingers per person", self.set_fingers), ("Sign out when idle for", self.set_idle),
            ("Kiosk mode", self.set_kiosk),
        ]
        for text, widget in rows:
            form.addRow(self.tr(text) if text else "", widget)
        self.port_result.hide()
        self.broker_result.hide()
        scroll = QScrollArea()
        scroll.setMinimumHeight(120)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.settings_scroll = scroll
        v = self.column
        v.addWidget(label(self.tr("Saved to {f}. The password is not saved in that file: it is "
                                  "kept apart, in the station's secret store. Changes apply "
                                  "after a restart.").format(
                                      f=self.station.paths.config_file), "hint"))
        v.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.settings_save = button(self.tr("Save settings"), "primary")
        self.settings_save.clicked.connect(self.save_settings)
        self.settings_result = label("", "message")
        row.addWidget(self.settings_save)
        row.addWidget(self.settings_result, 1)
        v.addLayout(row)

    def edited_config(self) -> Config:
        """The settings form as a Config (not yet validated)."""
        cfg = self.station.config
        return cfg.replace(
            station=replace(cfg.station, id=self.set_station_id.text().strip(),
                            name=self.set_station_name.text().strip()),
            sensor=replace(cfg.sensor, port=self.set_port.currentText().strip() or "auto"),
            sync=replace(cfg.sync, broker_url=self.set_broker.text().strip(),
                         username=self.set_user.text().strip(),
                         ca_file=self.set_ca.text().strip(),
                         client_cert=self.set_cert.text().strip(),
                         client_key=self.set_key.text().strip()),
            consent=replace(cfg.consent, notice_version=self.set_notice_version.text().strip(),
                            notice_text=self.set_notice.toPlainText().strip(),
                            alternative=self.set_alternative.text().strip()),
            enrollment=replace(cfg.enrollment, fingers_per_person=self.set_fingers.value()),
            ui=replace(cfg.ui, idle_signout_s=self.set_idle.value(),
                       kiosk_mode=self.set_kiosk.isChecked()),
        )

    def save_settings(self) -> None:
        try:
            new = self.edited_config()
            new.validate()
        except ConfigError as exc:
            self.settings_result.setText(str(exc))
            return
        paths = self.station.paths
        password = self.set_password.text()
        self.settings_save.setEnabled(False)
        run_async(lambda: save_settings(paths, new, password), self._settings_saved,
                  self._settings_failed)

    def test_port(self) -> None:
        """Probe the chosen port off the GUI thread (the station's own port: ask its worker)."""
        port = self.set_port.currentText().strip() or "auto"
        self.port_test.setEnabled(False)
        self.port_result.show()
        self.port_result.setText(self.tr("Asking {port}…").format(port=port))
        run_async(lambda: self.station.probe_port(port), self._port_tested,
                  lambda e: self._port_tested(PortVerdict("problem", port, detail=str(e))))

    def _port_tested(self, v: PortVerdict) -> None:
        self.port_test.setEnabled(True)
        if v.state == "in-use":
            text = self.tr("✓ {port} is in use by the station — it answers ({model}).").format(
                port=v.port, model=v.model or self.tr("sensor"))
        elif v.state == "found":
            text = self.tr("✓ A sensor answers on {port}. {message}").format(
                port=v.port, message=v.detail)
        else:
            text = self.tr("✗ No working sensor on {port}: {message}").format(
                port=v.port, message=v.detail)
        self.port_result.setText(text)
        set_role(self.port_result, "hint" if v.state != "problem" else "error")

    def test_broker(self) -> None:
        """One MQTT login with the settings as typed (not yet saved)."""
        url = self.set_broker.text().strip()
        self.broker_result.show()
        if not url:
            self.broker_result.setText(self.tr("Type the broker URL first."))
            return
        user, pw = self.set_user.text().strip(), self.set_password.text()
        ca, paths = self.set_ca.text().strip(), self.station.paths
        self.broker_test.setEnabled(False)
        self.broker_result.setText(self.tr("Connecting to {url}…").format(url=url))
        run_async(lambda: try_broker(paths, url, user, pw, ca), self._broker_tested,
                  lambda e: self._broker_tested(
                      ConnectionVerdict(LinkState.CONFIG_ERROR, str(e), url)))

    def _broker_tested(self, v: ConnectionVerdict) -> None:
        self.broker_test.setEnabled(True)
        if v.ok:
            text = self.tr("✓ Connected: the broker accepted the station's login.")
        elif v.reason is LinkState.AUTH_REFUSED:
            text = self.tr("✗ The broker refused this user name and password.")
        elif v.reason is LinkState.TLS_ERROR:
            text = self.tr("✗ Secure connection failed (certificate or CA file): {t}").format(
                t=v.text)
        elif v.reason is LinkState.CONFIG_ERROR:
            text = self.tr("✗ These settings cannot work: {t}").format(t=v.text)
        else:
            text = self.tr("✗ Cannot reach the broker: {t}. Check the address and the "
                           "network.").format(t=v.text)
        self.broker_result.setText(text)
        set_role(self.broker_result, "hint" if v.ok else "error")

    def _settings_saved(self, _v: object) -> None:
        self.settings_save.setEnabled(True)
        self.settings_result.setText(self.tr("Saved. Restart the program to use them."))

    def _settings_failed(self, exc: BaseException) -> None:
        self.settings_save.setEnabled(True)
        self.settings_result.setText(self.tr("Not saved: {e}").format(e=exc))
