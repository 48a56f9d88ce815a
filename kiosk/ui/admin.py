"""Admin area (admin role only): self-test, diagnostics, settings, sync, sensor, operators."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.diagnostics import export_bundle, run_self_test
from kiosk.ui.ports import ROLE_ADMIN, ROLE_OPERATOR, Check, Operator, StationPort
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
        self.title.setText(self.tr("Administration"))
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
        run_async(lambda: run_self_test(self.station), self._show_checks)

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
            text = c.verdict + (f"\n→ {c.action}" if c.action and not c.ok else "")
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
        run_async(lambda: export_bundle(self.station), self._exported, self._export_failed)

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

    # -- settings (read-only for now) ---------------------------------------------------
    def _settings_page(self) -> QWidget:
        w, v = _page()
        v.addWidget(label(self.tr("Current settings (read-only here; passwords are never "
                                  "shown). File: {f}").format(f=self.station.paths.config_file),
                          "hint"))
        text = QPlainTextEdit()
        text.setReadOnly(True)
        text.setPlainText(self._settings_text(self.station.config.redacted()))
        v.addWidget(text, 1)
        return w

    @staticmethod
    def _settings_text(d: dict[str, Any]) -> str:
        lines = []
        for section, values in d.items():
            lines.append(f"[{section}]")
            lines.extend(f"  {k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items())
            lines.append("")
        return "\n".join(lines)

    # -- sync ---------------------------------------------------------------------------
    def _sync_page(self) -> QWidget:
        w, v = _page()
        self.sync_state = label("", "message")
        self.sync_pending = label("", "message")
        self.sync_detail = label("", "hint")
        self.sync_now = button(self.tr("Retry now"), "primary")
        self.sync_now.clicked.connect(self.syncRequested)
        for x in (self.sync_state, self.sync_pending, self.sync_detail):
            v.addWidget(x)
        v.addWidget(self.sync_now, 0, Qt.AlignmentFlag.AlignLeft)
        v.addStretch(1)
        return w

    def _sync_refresh(self) -> None:
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
        v.addStretch(1)
        return w

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
