"""Admin area (admin role only): self-test, diagnostics, settings, sync, sensor, operators."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.app.diagnostics import Check
from kiosk.config import Config, ConfigError, save_config
from kiosk.provision import FILE_SUFFIX, ConnectionVerdict, Step
from kiosk.secrets import MQTT_PASSWORD_SECRET, set_secret
from kiosk.ui.ports import (
    ROLE_ADMIN,
    ROLE_OPERATOR,
    Operator,
    OperatorRow,
    QueueRow,
    StationPort,
    SyncPort,
    default_bundle_dir,
)
from kiosk.ui.probes import (
    ImportOutcome,
    PortVerdict,
    ProvisionFile,
    import_provisioning,
    probe_port,
    read_provisioning,
    try_broker,
)
from kiosk.ui.screens import Screen, label
from kiosk.ui.text import finger_name, pending_words, sensor_words, sync_words
from kiosk.ui.widgets import button
from kiosk.ui.worker import run_async
from kiosk_contract.mqtt import LinkState


def _page() -> tuple[QWidget, QVBoxLayout]:
    w = QWidget()
    v = QVBoxLayout(w)
    v.setContentsMargins(12, 16, 12, 12)
    v.setSpacing(12)
    return w, v


#: Headings for the steps ``kiosk provision`` reports (translated where shown).
_STEP_NAMES = {"signature": "Signature", "trust": "Central key", "config": "Settings",
               "connection": "Connection", "secret": "Password", "ca": "Certificate",
               "pin": "Key pinned"}


def _role(w: QLabel, name: str) -> None:
    """Switch a label's stylesheet role (object name) and make the style re-apply."""
    if w.objectName() != name:
        w.setObjectName(name)
        w.style().unpolish(w)
        w.style().polish(w)


def _table(columns: list[str], multi: bool = False) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels(columns)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                       else QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(44)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t


def _selected_rows(t: QTableWidget) -> list[int]:
    return sorted({i.row() for i in t.selectionModel().selectedRows()})


def _clear(grid: QGridLayout) -> None:
    while grid.count():
        item = grid.takeAt(0)
        if item is not None and item.widget() is not None:
            item.widget().deleteLater()


class AdminScreen(Screen):
    """Tabs for each admin task; ``Done`` goes back to the flow."""

    exitRequested = Signal()
    syncRequested = Signal()
    #: Sync was restarted with new settings (SyncPort or None): the window re-subscribes.
    syncReloaded = Signal(object)

    PAGES = ("selftest", "diagnostics", "settings", "central", "sync", "sensor", "operators")

    def __init__(self, station: StationPort, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.hide()  # the tabs say where we are; the room goes to the pages
        self.station = station
        self.tabs = QTabWidget()
        self.tabs.addTab(self._selftest_page(), self.tr("Self-test"))
        self.tabs.addTab(self._diagnostics_page(), self.tr("Diagnostics"))
        self.tabs.addTab(self._settings_page(), self.tr("Settings"))
        self.tabs.addTab(self._central_page(), self.tr("Central server"))
        self.tabs.addTab(self._sync_page(), self.tr("Sync queue"))
        self.tabs.addTab(self._sensor_page(), self.tr("Sensor"))
        self.tabs.addTab(self._operators_page(), self.tr("Operators"))
        self.body.addWidget(self.tabs, 1)
        self.primary.setText(self.tr("Done"))
        self.exit_button = button(self.tr("Close the program"), "danger")
        self.exit_button.clicked.connect(self.exitRequested)
        self.extra.addWidget(self.exit_button)
        self.checks: list[Check] = []
        #: The signed-in administrator, named in the audit log for every change made here.
        self.actor = ""
        self.tabs.currentChanged.connect(lambda _i: self.refresh())

    def open_page(self, page: str, *, first_run: bool = False) -> None:
        """Show ``page``; ``first_run``: the station's first admin was just created."""
        self.central_later.setVisible(first_run)
        if page in self.PAGES:
            self.tabs.setCurrentIndex(self.PAGES.index(page))
        self.refresh()

    def refresh(self) -> None:
        self._sensor_refresh()
        self._sync_refresh()
        page = self.PAGES[self.tabs.currentIndex()]
        if page == "operators":
            self.refresh_operators()
        elif page == "central":
            self._central_refresh()

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
        _clear(self.results)
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
        paths = self.station.paths
        password = self.set_password.text()

        def save() -> None:
            save_config(new, paths.config_file)
            if password:
                set_secret(paths, MQTT_PASSWORD_SECRET, password)

        self.settings_save.setEnabled(False)
        run_async(save, self._settings_saved, self._settings_failed)

    def test_port(self) -> None:
        """Probe the chosen port off the GUI thread (the station's own port: ask its worker)."""
        port = self.set_port.currentText().strip() or "auto"
        self.port_test.setEnabled(False)
        self.port_result.show()
        self.port_result.setText(self.tr("Asking {port}…").format(port=port))
        sensor, status = self.station.config.sensor, self.station.sensor.status
        run_async(lambda: probe_port(port, sensor, status), self._port_tested,
                  lambda e: self._port_tested(PortVerdict("problem", port, str(e))))

    def _port_tested(self, v: PortVerdict) -> None:
        self.port_test.setEnabled(True)
        if v.state == "in-use":
            text = self.tr("✓ {port} is in use by the station — it answers ({model}).").format(
                port=v.port, model=v.message or self.tr("sensor"))
        elif v.state == "found":
            text = self.tr("✓ A sensor answers on {port}. {message}").format(
                port=v.port, message=v.message)
        else:
            text = self.tr("✗ No working sensor on {port}: {message}").format(
                port=v.port, message=v.message)
        self.port_result.setText(text)
        _role(self.port_result, "hint" if v.state != "problem" else "error")

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
        elif v.reason == "auth-refused":
            text = self.tr("✗ The broker refused this user name and password.")
        elif v.reason == "tls-error":
            text = self.tr("✗ Secure connection failed (certificate or CA file): {t}").format(
                t=v.text)
        elif v.reason == "config-error":
            text = self.tr("✗ These settings cannot work: {t}").format(t=v.text)
        else:
            text = self.tr("✗ Cannot reach the broker: {t}. Check the address and the "
                           "network.").format(t=v.text)
        self.broker_result.setText(text)
        _role(self.broker_result, "hint" if v.ok else "error")

    def _settings_saved(self, _v: object) -> None:
        self.settings_save.setEnabled(True)
        self.settings_result.setText(self.tr("Saved. Restart the program to use them."))

    def _settings_failed(self, exc: BaseException) -> None:
        self.settings_save.setEnabled(True)
        self.settings_result.setText(self.tr("Not saved: {e}").format(e=exc))

    # -- sync ---------------------------------------------------------------------------
    QUEUE_COLUMNS = ("State", "What", "Person", "Finger", "Tries", "Age", "Reason")

    def _sync_page(self) -> QWidget:
        w, v = _page()
        self.sync_state = label("", "message")
        self.sync_pending = label("", "message")
        self.sync_detail = label("", "hint")
        self.sync_pending.hide()  # the status bar and the counts beside say it already
        top = QHBoxLayout()
        words = QVBoxLayout()
        for x in (self.sync_state, self.sync_detail):
            words.addWidget(x)
        words.addStretch(1)
        top.addLayout(words, 1)
        self.queue_form = QFormLayout()
        self.queue_form.setVerticalSpacing(2)
        top.addLayout(self.queue_form)
        v.addLayout(top)
        self.queue_table = _table([self.tr(c) for c in self.QUEUE_COLUMNS], multi=True)
        self.queue_table.horizontalHeader().setSectionResizeMode(
            6, QHeaderView.ResizeMode.Stretch)
        self.queue_table.itemSelectionChanged.connect(self._queue_selection)
        v.addWidget(self.queue_table, 1)
        self.queue_reason = label("", "hint")
        v.addWidget(self.queue_reason)
        self.queue_empty = label(self.tr("Nothing is waiting: everything this station recorded "
                                         "has reached the central server."), "hint")
        self.queue_empty.hide()
        v.addWidget(self.queue_empty)
        row = QHBoxLayout()
        self.sync_now = button(self.tr("Sync now"), "primary")
        self.sync_now.clicked.connect(self.syncRequested)
        self.sync_now.clicked.connect(self._queue_refresh)
        self.queue_retry = button(self.tr("Retry selected now"))
        self.queue_retry.clicked.connect(lambda: self.retry_queue(selected=True))
        self.queue_retry_all = button(self.tr("Retry all now"))
        self.queue_retry_all.clicked.connect(lambda: self.retry_queue(selected=False))
        self.queue_result = label("", "hint")
        for b in (self.sync_now, self.queue_retry, self.queue_retry_all):
            row.addWidget(b)
        row.addWidget(self.queue_result, 1)
        v.addLayout(row)
        self.queue: list[QueueRow] = []
        return w

    def _queue_refresh(self) -> None:
        run_async(self.station.queue_summary, self._show_queue)
        run_async(self.station.queue_rows, self._show_queue_rows)

    def _show_queue(self, rows: list[tuple[str, str]]) -> None:
        while self.queue_form.rowCount():
            self.queue_form.removeRow(0)
        for name, value in rows:
            self.queue_form.addRow(self.tr(name), QLabel(value))

    def _age(self, s: float) -> str:
        if s < 3600:
            return self.tr("{n} min").format(n=max(1, int(s // 60)))
        if s < 48 * 3600:
            return self.tr("{n} h").format(n=int(s // 3600))
        return self.tr("{n} days").format(n=int(s // 86400))

    def _show_queue_rows(self, rows: list[QueueRow]) -> None:
        """Fill the table; rows stay selected across refreshes (sync updates arrive often)."""
        keep = {self.queue[r].id for r in _selected_rows(self.queue_table)
                if r < len(self.queue)}
        self.queue = rows
        states = {"pending": self.tr("Waiting"), "sent": self.tr("Sent, no receipt yet"),
                  "rejected": self.tr("Rejected")}
        kinds = {"template": self.tr("Fingerprint"), "consent": self.tr("Consent"),
                 "deletion-receipt": self.tr("Deletion receipt")}
        t = self.queue_table
        t.blockSignals(True)
        t.clearSelection()
        t.setRowCount(len(rows))
        for r, q in enumerate(rows):
            reason = q.reason or "—"
            if q.state == "pending" and q.due_in_s > 0:
                reason = self.tr("{reason} · next try in {t}").format(
                    reason=reason, t=self._age(q.due_in_s))
            cells = (states.get(q.state, q.state), kinds.get(q.kind, q.kind), q.person,
                     finger_name(q.finger) if q.finger else "—", str(q.attempts),
                     self._age(q.age_s), reason)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(reason)
                if q.state == "rejected":
                    item.setForeground(Qt.GlobalColor.darkRed)
                t.setItem(r, c, item)
            if q.id in keep:
                t.selectRow(r)
        t.blockSignals(False)
        t.setVisible(bool(rows))
        self.queue_empty.setVisible(not rows)
        self._queue_selection()

    def _retryable(self, selected: bool) -> list[int]:
        rows = ([self.queue[r] for r in _selected_rows(self.queue_table) if r < len(self.queue)]
                if selected else self.queue)
        return [q.id for q in rows if q.state in ("pending", "rejected")]

    def _queue_selection(self) -> None:
        """Enable the retry buttons that apply; spell out the selected row's reason in full."""
        rows = [self.queue[r] for r in _selected_rows(self.queue_table) if r < len(self.queue)]
        reason = rows[0].reason if len(rows) == 1 else ""
        self.queue_reason.setText(self.tr("Reason: {r}").format(r=reason) if reason else "")
        self.queue_reason.setVisible(bool(reason))
        self.queue_retry.setEnabled(bool(self._retryable(True)))
        self.queue_retry_all.setEnabled(bool(self._retryable(False)))

    def retry_queue(self, *, selected: bool) -> None:
        """Rejected rows (after the cause was fixed) and backed-off rows: send them now."""
        ids = self._retryable(selected)
        if not ids:
            return
        actor = self.actor or "admin"
        self.queue_retry.setEnabled(False)
        self.queue_retry_all.setEnabled(False)
        run_async(lambda: self.station.retry_queue(ids, actor), self._retried,
                  lambda e: self.queue_result.setText(str(e)))

    def _retried(self, n: int) -> None:
        self.queue_result.setText(self.tr("{n} message(s) will be sent now.").format(n=n))
        self._queue_refresh()

    def _sync_refresh(self) -> None:
        if self.tabs.currentIndex() == self.PAGES.index("sync"):
            self._queue_refresh()
        sync = self.station.sync
        st = sync.state if sync is not None else None
        self.sync_state.setText(sync_words(st)[0])
        self.sync_pending.setText(pending_words(st)[0])
        self.sync_detail.setText(st.message if st is not None else self.tr(
            "No central server is set up: import a provisioning file on the Central server "
            "page."))
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
        top = QHBoxLayout()
        self.op_table = _table([self.tr("Name"), self.tr("Role"), self.tr("State")])
        self.op_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.op_table.itemSelectionChanged.connect(self._op_selection)
        top.addWidget(self.op_table, 1)
        actions = QVBoxLayout()
        self.op_toggle = button(self.tr("Disable"))
        self.op_toggle.clicked.connect(self.toggle_operator)
        self.op_unlock = button(self.tr("Unlock"))
        self.op_unlock.clicked.connect(self.unlock_operator)
        self.op_new_pin = QLineEdit()
        self.op_new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.op_new_pin.setMaxLength(12)
        self.op_new_pin.setPlaceholderText(self.tr("New PIN"))
        self.op_reset = button(self.tr("Reset PIN"))
        self.op_reset.clicked.connect(self.reset_pin)
        for x in (self.op_toggle, self.op_unlock, self.op_new_pin, self.op_reset):
            actions.addWidget(x)
        actions.addStretch(1)
        top.addLayout(actions)
        v.addLayout(top, 1)
        v.addWidget(label(self.tr("Add an operator (PIN: 4 to 12 digits). Operators enroll; "
                                  "administrators also see this area."), "hint"))
        add = QHBoxLayout()
        self.op_name = QLineEdit()
        self.op_name.setPlaceholderText(self.tr("Name"))
        self.op_pin = QLineEdit()
        self.op_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.op_pin.setMaxLength(12)
        self.op_pin.setPlaceholderText(self.tr("PIN"))
        self.op_role = QComboBox()
        self.op_role.addItem(self.tr("Operator"), ROLE_OPERATOR)
        self.op_role.addItem(self.tr("Administrator"), ROLE_ADMIN)
        self.op_add = button(self.tr("Add operator"), "primary")
        self.op_add.clicked.connect(self._add_operator)
        add.addWidget(self.op_name, 3)
        add.addWidget(self.op_pin, 2)
        add.addWidget(self.op_role)
        add.addWidget(self.op_add)
        v.addLayout(add)
        self.op_result = label("", "message")
        v.addWidget(self.op_result)
        self.ops: list[OperatorRow] = []
        self._op_selection()
        return w

    def refresh_operators(self) -> None:
        run_async(self.station.operators, self._show_operators)

    def _show_operators(self, ops: list[OperatorRow]) -> None:
        current = self.selected_operator()
        self.ops = ops
        t = self.op_table
        t.blockSignals(True)
        t.clearSelection()
        t.setRowCount(len(ops))
        for r, o in enumerate(ops):
            if o.locked_for_s > 0:
                state = self.tr("Locked for {n} min").format(n=int(o.locked_for_s // 60) + 1)
            else:
                state = self.tr("Active") if o.active else self.tr("Disabled")
            role = self.tr("Administrator") if o.role == ROLE_ADMIN else self.tr("Operator")
            for c, text in enumerate((o.name, role, state)):
                t.setItem(r, c, QTableWidgetItem(text))
            if current is not None and o.name == current.name:
                t.selectRow(r)
        t.blockSignals(False)
        self._op_selection()

    def selected_operator(self) -> OperatorRow | None:
        rows = _selected_rows(self.op_table)
        return self.ops[rows[0]] if rows and rows[0] < len(self.ops) else None

    def select_operator(self, name: str) -> None:
        for r, o in enumerate(self.ops):
            if o.name == name:
                self.op_table.selectRow(r)

    def _op_selection(self) -> None:
        op = self.selected_operator()
        self.op_toggle.setEnabled(op is not None)
        self.op_toggle.setText(self.tr("Enable") if op is not None and not op.active
                               else self.tr("Disable"))
        self.op_unlock.setEnabled(op is not None and op.locked_for_s > 0)
        self.op_reset.setEnabled(op is not None)
        self.op_new_pin.setEnabled(op is not None)

    def _op_call(self, fn: object, done_text: str) -> None:
        """Run a store change off the GUI thread, then say what happened and reload."""
        def ok(_v: object) -> None:
            self.op_result.setText(done_text)
            self.refresh_operators()

        def failed(e: BaseException) -> None:
            hint = getattr(e, "hint", "")
            self.op_result.setText(f"{e} {hint}".strip())

        run_async(fn, ok, failed)  # type: ignore[arg-type]

    def toggle_operator(self) -> None:
        op = self.selected_operator()
        if op is None:
            return
        name, active, actor = op.name, not op.active, self.actor or "admin"
        text = (self.tr("{name} can sign in again.") if active
                else self.tr("{name} can no longer sign in.")).format(name=name)
        self._op_call(lambda: self.station.set_operator_active(name, active, actor), text)

    def unlock_operator(self) -> None:
        op = self.selected_operator()
        if op is None:
            return
        name, actor = op.name, self.actor or "admin"
        self._op_call(lambda: self.station.unlock_operator(name, actor),
                      self.tr("{name} is unlocked.").format(name=name))

    def reset_pin(self) -> None:
        op = self.selected_operator()
        pin = self.op_new_pin.text()
        if op is None:
            return
        if not (4 <= len(pin) <= 12 and pin.isdigit()):
            self.op_result.setText(self.tr("Type a new PIN of 4 to 12 digits."))
            return
        self.op_new_pin.clear()
        name, actor = op.name, self.actor or "admin"
        self._op_call(lambda: self.station.reset_pin(name, pin, actor),
                      self.tr("{name}'s PIN was changed.").format(name=name))

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
        self.refresh_operators()

    # -- central server: provisioning -----------------------------------------------------
    def _central_page(self) -> QWidget:
        w, v = _page()
        self.central_state = label("", "message")
        v.addWidget(self.central_state)
        self.central_hint = label(self.tr(
            "A provisioning file from the central server sets this station's id, the broker, "
            "its password, the certificates and the policy in one step. The file contains a "
            "password: keep it safe and delete it after the import."), "hint")
        v.addWidget(self.central_hint)
        self.central_later = label(self.tr(
            "This step is optional: “Done” goes on to the roster, and this page stays in the "
            "admin area for later."), "hint")
        self.central_later.hide()
        v.addWidget(self.central_later)
        self.prov_choose = button(self.tr("Import a provisioning file…"), "primary")
        self.prov_choose.clicked.connect(self.choose_provisioning)
        v.addWidget(self.prov_choose, 0, Qt.AlignmentFlag.AlignLeft)
        self.prov_box = QFrame()
        self.prov_box.setObjectName("card")
        bv = QVBoxLayout(self.prov_box)
        bv.setContentsMargins(20, 16, 20, 16)
        self.prov_about = label("", "hint")
        self.prov_fp = label("", "fingerprint")
        self.prov_fp.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.prov_ask = label(self.tr(
            "Compare this fingerprint of the central server's signing key with the one its "
            "administrator gave you (on paper or by phone). Import only if every group "
            "matches."), "message")
        row = QHBoxLayout()
        self.prov_reject = button(self.tr("It does not match"))
        self.prov_reject.clicked.connect(self._provisioning_rejected)
        self.prov_import = button(self.tr("It matches — import"), "primary")
        self.prov_import.clicked.connect(self.import_provisioning)
        row.addWidget(self.prov_reject)
        row.addStretch(1)
        row.addWidget(self.prov_import)
        for x in (self.prov_about, self.prov_fp, self.prov_ask):
            bv.addWidget(x)
        bv.addLayout(row)
        self.prov_box.hide()
        v.addWidget(self.prov_box)
        self.prov_result = label("", "message")
        v.addWidget(self.prov_result)
        self.prov_steps = QGridLayout()
        self.prov_steps.setColumnStretch(2, 1)
        v.addLayout(self.prov_steps)
        v.addStretch(1)
        self.prov_file: ProvisionFile | None = None
        self.prov_confirmed = ""  # the key fingerprint the admin said matches
        self.prov_outcome: ImportOutcome | None = None
        # the step report can be long: scroll inside the page rather than clip it
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(w)
        return scroll

    def _central_refresh(self) -> None:
        cfg = self.station.config
        if cfg.sync.broker_url:
            self.central_state.setText(self.tr(
                "This station is {id} and sends to {url}.").format(
                    id=cfg.station.id, url=cfg.sync.broker_url))
            self.prov_choose.setText(self.tr("Import a new provisioning file…"))
        else:
            self.central_state.setText(self.tr(
                "No central server is set up yet: enrollments stay on this station."))
            self.prov_choose.setText(self.tr("Import a provisioning file…"))

    def choose_provisioning(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Provisioning file"), str(Path.home()),
            self.tr("Provisioning files (*{suffix} *.kioskprov);;All files (*)").format(
                suffix=FILE_SUFFIX))
        if path:
            self.load_provisioning(Path(path))

    def load_provisioning(self, path: Path) -> None:
        """Read and check the file's signature, then show the key for the admin to compare."""
        self.prov_file = None
        self.prov_box.hide()
        self.central_hint.hide()
        _clear(self.prov_steps)
        self.prov_result.setText(self.tr("Checking {name}…").format(name=path.name))
        paths = self.station.paths
        run_async(lambda: read_provisioning(paths, path), self._provisioning_read,
                  self._provisioning_unreadable)

    def _provisioning_unreadable(self, exc: BaseException) -> None:
        self.prov_result.setText(self.tr("✗ This file cannot be used: {e} Nothing was "
                                         "changed.").format(e=exc))

    def _provisioning_read(self, f: ProvisionFile) -> None:
        self.prov_file = f
        self.prov_result.clear()
        self.prov_about.setText(self.tr(
            "Signed file for station {id}, broker {url}, issued {at}.").format(
                id=f.station_id, url=f.broker, at=f.issued_at))
        self.prov_fp.setText(f.fingerprint)
        known = f.pinned and f.pinned == f.fingerprint
        if f.pinned and not known:
            self.prov_ask.setText(self.tr(
                "This station already trusts another central key ({pinned}). A file signed by "
                "a different key is refused: it is forged or from another central server.")
                .format(pinned=f.pinned))
        elif known:
            self.prov_ask.setText(self.tr(
                "Signed by the central key this station already trusts."))
        else:
            self.prov_ask.setText(self.tr(
                "Compare this fingerprint of the central server's signing key with the one "
                "its administrator gave you (on paper or by phone). Import only if every "
                "group matches."))
        self.prov_import.setEnabled(not f.pinned or bool(known))
        self.prov_import.setText(self.tr("Import") if known else self.tr("It matches — import"))
        self.prov_reject.setText(self.tr("Cancel") if known else self.tr("It does not match"))
        self.prov_box.show()

    def _provisioning_rejected(self) -> None:
        self.prov_file = None
        self.prov_box.hide()
        self.central_hint.show()
        self.prov_result.setText(self.tr(
            "Not imported. Ask the central server's administrator for the right file and "
            "fingerprint. Nothing was changed."))

    def import_provisioning(self) -> None:
        """The admin confirmed the key: the same import as ``kiosk provision``, off-thread."""
        f = self.prov_file
        if f is None:
            return
        self.prov_box.hide()
        self.prov_confirmed = f.fingerprint
        self.prov_choose.setEnabled(False)
        self.prov_result.setText(self.tr("Importing and testing the connection…"))
        paths = self.station.paths
        run_async(lambda: import_provisioning(paths, f), self._provisioned,
                  lambda e: self._provisioned(ImportOutcome(False, (), str(e))))

    def _show_steps(self, steps: tuple[Step, ...]) -> None:
        _clear(self.prov_steps)
        for r, st in enumerate(steps):
            mark = label("✓" if st.ok else "✗", "hint" if st.ok else "error", wrap=False)
            name = label(self.tr(_STEP_NAMES.get(st.name, st.name)), "hint", wrap=False)
            name.setStyleSheet("font-weight: bold")
            text = st.text
            if st.name == "trust" and st.ok and self.prov_confirmed:
                text = self.tr("Signed by central key {fp}, the one you confirmed. From now on "
                               "this station accepts only files signed by it.").format(
                                   fp=self.prov_confirmed)
            self.prov_steps.addWidget(mark, r, 0, Qt.AlignmentFlag.AlignTop)
            self.prov_steps.addWidget(name, r, 1, Qt.AlignmentFlag.AlignTop)
            self.prov_steps.addWidget(label(text, "hint" if st.ok else "error"), r, 2)

    def _provisioned(self, out: ImportOutcome) -> None:
        self.prov_outcome = out
        self.prov_file = None
        self.prov_choose.setEnabled(True)
        self._show_steps(out.steps)
        if not out.ok or out.config is None:
            self.prov_result.setText(self.tr("✗ Not imported: {why} Nothing was changed.")
                                     .format(why=out.refusal))
            return
        self.prov_result.setText(self.tr("Imported. Restarting sync with the new settings…"))
        config = out.config
        run_async(lambda: self.station.reload_sync(config), self._sync_reloaded,
                  self._reload_failed)

    def _sync_reloaded(self, sync: SyncPort | None) -> None:
        self.prov_result.setText(self.tr(
            "✓ Imported. Sync now uses the new settings. Restart the program to apply the "
            "new consent notice version and fingers per person."))
        self._central_refresh()
        self.syncReloaded.emit(sync)

    def _reload_failed(self, exc: BaseException) -> None:
        self.prov_result.setText(self.tr(
            "Imported, but sync could not restart ({e}). Restart the program to use the new "
            "settings.").format(e=exc))
