"""Self-test page: the same checks as ``kiosk doctor``, each with what to do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QScrollArea, QWidget

from kiosk.app import Check, Station
from kiosk.ui.admin.common import ActorFn, Page, clear_grid
from kiosk.ui.screens.base import label
from kiosk.ui.text import render
from kiosk.ui.widgets import button, set_busy
from kiosk.ui.worker import run_async


class SelfTestPage(Page):
    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        v = self.column
        v.addWidget(label(self.tr("Checks the sensor, the database, the central server and "
                                  "the disk, and says in plain words what to do."), "hint"))
        self.run_tests = button(self.tr("Run the self-test"), "primary", description=self.tr(
            "Checks the sensor, the database, the central server and the disk."))
        self.run_tests.clicked.connect(self.start)
        v.addWidget(self.run_tests, 0, Qt.AlignmentFlag.AlignLeft)
        # the verdicts scroll when a language needs more lines than the page has
        box = QWidget()
        self.results = QGridLayout(box)
        self.results.setContentsMargins(0, 0, 0, 0)
        self.results.setColumnStretch(2, 1)
        self.results.setRowStretch(99, 1)
        self.results_area = QScrollArea()
        self.results_area.setWidgetResizable(True)
        self.results_area.setFrameShape(QFrame.Shape.NoFrame)
        self.results_area.setWidget(box)
        v.addWidget(self.results_area, 1)
        self.checks: list[Check] = []

    def start(self) -> None:
        set_busy(self.run_tests, True, self.tr("Checking…"))
        run_async(self.station.self_test, self._show)

    def activate_default(self) -> None:
        if self.run_tests.isEnabled():
            self.start()

    def _show(self, checks: list[Check]) -> None:
        self.checks = checks
        set_busy(self.run_tests, False, self.tr("Run the self-test again"))
        clear_grid(self.results)
        for r, c in enumerate(checks):
            mark = label("✓" if c.ok else "✗", "message" if c.ok else "error", wrap=False)
            name = label(render(c.name), wrap=False)
            name.setStyleSheet("font-weight: bold")
            text = render(c.verdict) + (f"\n→ {render(c.fix)}" if c.fix and not c.ok else "")
            verdict = label(text, "" if c.ok else "error")
            self.results.addWidget(mark, r, 0, Qt.AlignmentFlag.AlignTop)
            self.results.addWidget(name, r, 1, Qt.AlignmentFlag.AlignTop)
            self.results.addWidget(verdict, r, 2)
