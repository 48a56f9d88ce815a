"""Sensor page: what the station's sensor reports, and reconciling it with the database."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QWidget

from kiosk.app import Reconciliation, Station, wording
from kiosk.ui.admin.common import ActorFn, Page, ask, error_words
from kiosk.ui.screens.base import label
from kiosk.ui.text import render, sensor_words
from kiosk.ui.widgets import button, set_busy
from kiosk.ui.worker import run_async


class SensorPage(Page):
    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        v = self.column
        form = QFormLayout()
        self.fields = {k: QLabel("") for k in ("state", "model", "port", "templates", "problem")}
        names = {"state": self.tr("State"), "model": self.tr("Model"), "port": self.tr("Port"),
                 "templates": self.tr("Templates stored"), "problem": self.tr("Message")}
        for k, lab in self.fields.items():
            lab.setWordWrap(True)
            form.addRow(names[k], lab)
        cfg = station.config.sensor
        form.addRow(self.tr("Configured port"), QLabel(cfg.port))
        form.addRow(self.tr("Baud rate"), QLabel(str(cfg.baud)))
        v.addLayout(form)
        v.addWidget(label(self.tr("Reconcile: compare the templates stored on the sensor with "
                                  "this station's records, and repair differences."), "hint"))
        row = QHBoxLayout()
        self.rec_check = button(self.tr("Compare"), "primary", description=self.tr(
            "Compares the sensor's templates with this station's records; changes nothing."))
        self.rec_repair = button(self.tr("Repair the differences"), description=self.tr(
            "Loads back or clears templates so the sensor matches the records (after a "
            "confirmation)."))
        self.rec_repair.setEnabled(False)  # only once a comparison found something to repair
        self.rec_check.clicked.connect(lambda: self.reconcile(False))
        self.rec_repair.clicked.connect(self._ask_repair)
        row.addWidget(self.rec_check)
        row.addWidget(self.rec_repair)
        row.addStretch(1)
        v.addLayout(row)
        self.rec_result = label("", "message")
        v.addWidget(self.rec_result)
        v.addStretch(1)

    def _ask_repair(self) -> None:
        ask(self, self.tr("Change the sensor so it matches this station's records? Templates "
                          "the records do not know are cleared."), self.tr("Yes, repair"),
            lambda: self.reconcile(True))

    def activate_default(self) -> None:
        if self.rec_check.isEnabled():
            self.reconcile(False)

    def reconcile(self, repair: bool) -> None:
        self.rec_result.setText(self.tr("Working…"))
        set_busy(self.rec_check, True)
        set_busy(self.rec_repair, True)
        run_async(lambda: self.station.reconcile(repair=repair), self._reconciled,
                  self._failed)

    def _reconciled(self, rec: Reconciliation) -> None:
        set_busy(self.rec_check, False)
        set_busy(self.rec_repair, False)
        self.rec_repair.setEnabled(not rec.report.ok and rec.repair is None)
        lines = [render(t) for t in wording.reconcile_summary(rec.report)]
        if rec.repair is not None:
            lines += [render(t) for t in wording.repair_summary(rec.repair)]
        self.rec_result.setText(" ".join(lines))

    def _failed(self, exc: BaseException) -> None:
        set_busy(self.rec_check, False)
        set_busy(self.rec_repair, False)
        self.rec_repair.setEnabled(False)
        self.rec_result.setText(self.tr("The sensor could not be compared: {e}").format(
            e=error_words(exc)))

    def refresh(self) -> None:
        s = self.station.sensor_status
        f = self.fields
        f["state"].setText(sensor_words(s)[0])
        f["model"].setText(s.model or "—")
        f["port"].setText(s.port or "—")
        f["templates"].setText(f"{s.templates} / {s.capacity}" if s.templates is not None
                               else "—")
        f["problem"].setText(render(wording.sensor_problem(s.problem)) if s.problem else "—")
