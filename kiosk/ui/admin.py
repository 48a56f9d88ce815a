"""Admin area (admin role only): self-test, diagnostics, settings, sync, sensor, operators."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.app.diagnostics import Check
from kiosk.config import Config, ConfigError, save_config
from kiosk.ui.ports import (
    ROLE_ADMIN,
    ROLE_OPERATOR,
    Operator,
    StationPort,
    default_bundle_dir,
)
from kiosk.ui.screens import Screen, label
from kiosk.ui.text import pending_words, sensor_words, sync_words
from kiosk.ui.widgets import button
from kiosk.ui.worker import run_async


def _page() -> tuple[QWidget, QVBoxLayout]:
    w = QWidget()
    v = QVBoxLayout(w)
    v.setContentsMargins(12, 16, 12, 12)
    v.setSpacing(12)
    return w, v


class AdminScreen(Screen):
    """Tabs for each admin task; ``Done`` goes back to the flow."""

    exitRequested = Signal()
    syncRequested = Signal()

    PAGES = ("selftest", "diagnostics", "settings", "sync", "sensor", "operators")

    def __init__(self, station: StationPort, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.hide()  # the tabs say where we are; the room goes to the pages
        self.station = station
        self.tabs = QTabWidget()
        self.tabs.addTab(self._selftest_page(), self.tr("Self-test"))
        self.tabs.addTab(self._diagnostics_page(), self.tr("Diagnostics"))
        self.tabs.addTab(self._settings_page(), self.tr("Settings"))
        self.tabs.addTab(self._sync_page(), self.tr("Sync queue"))
        self.tabs.addTab(self._sensor_page(), self.tr("Sensor"))
        self.tabs.addTab(self._operators_page(), self.tr("Operators"))
        self.body.addWidget(self.tabs, 1)
        self.primary.setText(self.tr("Done"))
        self.exit_button = button(self.tr("Close the program"), "danger")
        self.exit_button.clicked.connect(self.exitRequested)
        self.extra.addWidget(self.exit_button)
        self.checks: list[Check] = []

    def open_page(self, page: str) -> None:
        if page in self.PAGES:
            self.tabs.setCurrentIndex(self.PAGES.index(page))
        self.refresh()

    def refresh(self) -> None:
        self._sensor_refresh()
        self._sync_refresh()

    # -- self-test ----------------------------------------------------------------------
    def _selftest_page(self) -> QWidget:
        w, v = _page()
        v.addWidget(label(self.tr("Checks the sensor, the database, the central server and "
                                  "the disk, and says in plain words what to do."), "hint"))
        self.run_tests = button(self.tr("Run the self-test"), "primary")
        self.run_tests.clicked.connect(self.start_self_test)
        v.addWidget(self.run_tests, 0, Qt.AlignmentFlag.AlignLeft)
        self.results = QGridLayout()
        self.results.setColumnStretch(2, 1)
        v.addLayout(self.results)
        v.addStretch(1)
        return w

    def start_self_test(self) -> None:
        self.run_tests.setEnabled(False)
        self.run_tests.setText(self.tr("Checking…"))
        run_async(self.station.self_test, self._show_checks)

    def _show_checks(self, checks: list[Check]) -> None:
        self.checks = checks
        self.run_tests.setEnabled(True)
        self.run_tests.setText(self.tr("Run the self-test again"))
        while self.results.count():
            item = self.results.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for r, c in enumerate(checks):
            mark = label("✓" if c.ok else "✗", "message" if c.ok else "error", wrap=False)
            name = label(self.tr(c.name), wrap=False)
            name.setStyleSheet("font-weight: bold")
            text = c.verdict + (f"\n→ {c.fix}" if c.fix and not c.ok else "")
            verdict = label(text, "" if c.ok else "error")
            self.results.addWidget(mark, r, 0, Qt.AlignmentFlag.AlignTop)
            self.results.addWidget(name, r, 1, Qt.AlignmentFlag.AlignTop)
            self.results.addWidget(verdict, r, 2)

    # -- diagnostics --------------------------------------------------------------------
    def _diagnostics_page(self) -> QWidget:
        w, v = _page()
        v.addWidget(label(self.tr(
            "One file for support: the station's log, the sensor's serial trace, program "
            "versions, the settings without passwords, and the self-test results. It holds "
            "no fingerprints and no PINs."), "hint"))
        self.export_button = button(self.tr("Export diagnostics bundle"), "primary")
        self.export_button.clicked.connect(self.export)
        v.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.export_result = label("", "message")
        self.export_result.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.export_result)
        self.open_folder = button(self.tr("Open the folder"))
        self.open_folder.hide()
        self.open_folder.clicked.connect(self._open_folder)
        v.addWidget(self.open_folder, 0, Qt.AlignmentFlag.AlignLeft)
        v.addStretch(1)
        self.bundle: Path | None = None
        return w

    def export(self) -> None:
        self.export_button.setEnabled(False)
        self.export_result.setText(self.tr("Collecting…"))
        dest = default_bundle_dir(self.station.paths)
        run_async(lambda: self.station.export_bundle(dest), self._exported, self._export_failed)

    def _exported(self, path: Path) -> None:
        self.bundle = path
        self.export_button.setEnabled(True)
        self.export_result.setText(self.tr("Saved: {path}\nCopy this file to a USB stick or "
                                           "attach it to the support request.").format(path=path))
        self.open_folder.show()

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.export_result.setText(self.tr("The bundle could not be written: {e}").format(e=exc))

    def _open_folder(self) -> None:
        if self.bundle is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.bundle.parent)))

    # -- settings -----------------------------------------------------------------------
    def _settings_page(self) -> QWidget:
        """The everyday settings as a form; saved to the settings file, used after a restart."""
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
        rows: list[tuple[str, QWidget]] = [
            ("Station ID", self.set_station_id), ("Station name", self.set_station_name),
            ("Sensor port (auto = find it)", self.set_port),
            ("Central server (broker URL)", self.set_broker), ("User name", self.set_user),
            ("CA file", self.set_ca), ("Client certificate", self.set_cert),
            ("Client key", self.set_key), ("Consent notice version", self.set_notice_version),
            ("Consent notice", self.set_notice), ("Alternative if refused", self.set_alternative),
            ("Fingers per person", self.set_fingers), ("Sign out when idle for", self.set_idle),
            ("Kiosk mode", self.set_kiosk),
        ]
        for text, widget in rows:
            form.addRow(self.tr(text), widget)
        scroll = QScrollArea()
        scroll.setMinimumHeight(120)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        w, v = _page()
        v.addWidget(label(self.tr("Saved to {f}. The password is kept in the system key store, "
                                  "not here. Changes apply after a restart.").format(
                                      f=self.station.paths.config_file), "hint"))
        v.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.settings_save = button(self.tr("Save settings"), "primary")
        self.settings_save.clicked.connect(self.save_settings)
        self.settings_result = label("", "message")
        row.addWidget(self.settings_save)
        row.addWidget(self.settings_result, 1)
        v.addLayout(row)
        return w

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
        path = self.station.paths.config_file
        self.settings_save.setEnabled(False)
        run_async(lambda: save_config(new, path), self._settings_saved,
                  self._settings_failed)

    def _settings_saved(self, _v: object) -> None:
        self.settings_save.setEnabled(True)
        self.settings_result.setText(self.tr("Saved. Restart the program to use them."))

    def _settings_failed(self, exc: BaseException) -> None:
        self.settings_save.setEnabled(True)
        self.settings_result.setText(self.tr("Not saved: {e}").format(e=exc))

    # -- sync ---------------------------------------------------------------------------
    def _sync_page(self) -> QWidget:
        w, v = _page()
        self.sync_state = label("", "message")
        self.sync_pending = label("", "message")
        self.sync_detail = label("", "hint")
        self.sync_now = button(self.tr("Retry now"), "primary")
        self.sync_now.clicked.connect(self.syncRequested)
        self.sync_now.clicked.connect(self._queue_refresh)
        for x in (self.sync_state, self.sync_pending, self.sync_detail):
            v.addWidget(x)
        self.queue_form = QFormLayout()
        v.addLayout(self.queue_form)
        v.addWidget(self.sync_now, 0, Qt.AlignmentFlag.AlignLeft)
        v.addStretch(1)
        return w

    def _queue_refresh(self) -> None:
        run_async(self.station.queue_summary, self._show_queue)

    def _show_queue(self, rows: list[tuple[str, str]]) -> None:
        while self.queue_form.rowCount():
            self.queue_form.removeRow(0)
        for name, value in rows:
            self.queue_form.addRow(self.tr(name), QLabel(value))

    def _sync_refresh(self) -> None:
        if self.tabs.currentIndex() == self.PAGES.index("sync"):
            self._queue_refresh()
        sync = self.station.sync
        st = sync.state if sync is not None else None
        self.sync_state.setText(sync_words(st)[0])
        self.sync_pending.setText(pending_words(st)[0])
        self.sync_detail.setText(st.message if st is not None else self.tr(
            "Set a broker URL in the settings file to send enrollments to a central server."))
        self.sync_now.setEnabled(sync is not None)

    # -- sensor -------------------------------------------------------------------------
    def _sensor_page(self) -> QWidget:
        w, v = _page()
        form = QFormLayout()
        self.sensor_fields = {k: QLabel("") for k in
                              ("state", "model", "port", "templates", "message")}
        names = {"state": self.tr("State"), "model": self.tr("Model"), "port": self.tr("Port"),
                 "templates": self.tr("Templates stored"), "message": self.tr("Message")}
        for k, lab in self.sensor_fields.items():
            lab.setWordWrap(True)
            form.addRow(names[k], lab)
        cfg = self.station.config.sensor
        form.addRow(self.tr("Configured port"), QLabel(cfg.port))
        form.addRow(self.tr("Baud rate"), QLabel(str(cfg.baud)))
        v.addLayout(form)
        v.addWidget(label(self.tr("Reconcile: compare the templates stored on the sensor with "
                                  "this station's records, and repair differences."), "hint"))
        row = QHBoxLayout()
        self.rec_check = button(self.tr("Compare"))
        self.rec_repair = button(self.tr("Repair"), "primary")
        self.rec_check.clicked.connect(lambda: self.reconcile(False))
        self.rec_repair.clicked.connect(lambda: self.reconcile(True))
        row.addWidget(self.rec_check)
        row.addWidget(self.rec_repair)
        row.addStretch(1)
        v.addLayout(row)
        self.rec_result = label("", "message")
        v.addWidget(self.rec_result)
        v.addStretch(1)
        return w

    def reconcile(self, repair: bool) -> None:
        self.rec_result.setText(self.tr("Working…"))
        self.rec_check.setEnabled(False)
        self.rec_repair.setEnabled(False)
        run_async(lambda: self.station.reconcile(repair), self._reconciled,
                  lambda e: self._reconciled(str(e)))

    def _reconciled(self, text: str) -> None:
        self.rec_check.setEnabled(True)
        self.rec_repair.setEnabled(True)
        self.rec_result.setText(text)

    def _sensor_refresh(self) -> None:
        s = self.station.sensor.status
        f = self.sensor_fields
        f["state"].setText(sensor_words(s)[0])
        f["model"].setText(s.model or "—")
        f["port"].setText(s.port or "—")
        f["templates"].setText(f"{s.templates} / {s.capacity}" if s.templates is not None
                               else "—")
        f["message"].setText(s.message or "—")

    # -- operators ----------------------------------------------------------------------
    def _operators_page(self) -> QWidget:
        w, v = _page()
        v.addWidget(label(self.tr("Add an operator. Operators enroll; administrators also "
                                  "see this area."), "hint"))
        box = QFrame()
        form = QFormLayout(box)
        self.op_name = QLineEdit()
        self.op_pin = QLineEdit()
        self.op_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.op_role = QComboBox()
        self.op_role.addItem(self.tr("Operator"), ROLE_OPERATOR)
        self.op_role.addItem(self.tr("Administrator"), ROLE_ADMIN)
        form.addRow(self.tr("Name"), self.op_name)
        form.addRow(self.tr("PIN (4–12 digits)"), self.op_pin)
        form.addRow(self.tr("Role"), self.op_role)
        v.addWidget(box)
        self.op_add = button(self.tr("Add operator"), "primary")
        self.op_add.clicked.connect(self._add_operator)
        self.op_result = label("", "message")
        v.addWidget(self.op_add, 0, Qt.AlignmentFlag.AlignLeft)
        v.addWidget(self.op_result)
        v.addStretch(1)
        return w

    def _add_operator(self) -> None:
        name, pin = self.op_name.text().strip(), self.op_pin.text()
        role = str(self.op_role.currentData())
        if not name or not (4 <= len(pin) <= 12 and pin.isdigit()):
            self.op_result.setText(self.tr("Type a name and a PIN of 4 to 12 digits."))
            return
        store = self.station.store
        run_async(lambda: store.create_operator(name, pin, role), self._added,
                  lambda e: self.op_result.setText(str(e)))

    def _added(self, op: Operator) -> None:
        self.op_name.clear()
        self.op_pin.clear()
        self.op_result.setText(self.tr("{name} can now sign in.").format(name=op.name))
