"""Diagnostics page: one support bundle file (logs, serial trace, versions, settings without
passwords, self-test); never fingerprints or PINs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.app import Station
from kiosk.ui.admin.common import ActorFn, Page, error_words
from kiosk.ui.screens.base import label
from kiosk.ui.widgets import button, set_busy
from kiosk.ui.worker import run_async


class DiagnosticsPage(Page):
    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        v = self.column
        about = self.tr("One file for support: the station's log, the sensor's serial trace, "
                        "program versions, the settings without passwords, and the self-test "
                        "results. It holds no fingerprints and no PINs.")
        self.export_button = button(self.tr("Export diagnostics bundle"), description=about)
        self.export_button.setToolTip(about)
        self.export_button.clicked.connect(self.export)
        self.export_result = label(self.tr("No fingerprints and no PINs go into it."), "hint")
        self.export_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = button(self.tr("Open the folder"), description=self.tr(
            "Shows the folder with the bundle."))
        self.open_folder.hide()
        self.open_folder.clicked.connect(self._open_folder)
        row = QHBoxLayout()
        row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.export_result, 1)
        row.addWidget(self.open_folder, 0, Qt.AlignmentFlag.AlignTop)
        v.addLayout(row)
        self.bundle: Path | None = None

    def export(self) -> None:
        set_busy(self.export_button, True)
        self.export_result.setText(self.tr("Collecting…"))
        run_async(self.station.export_bundle, self._exported, self._failed)

    def _exported(self, path: Path) -> None:
        self.bundle = path
        set_busy(self.export_button, False)
        self.export_result.setText(self.tr("Saved for support: {path}").format(path=path))
        self.open_folder.show()

    def _failed(self, exc: BaseException) -> None:
        set_busy(self.export_button, False)
        self.export_result.setText(self.tr("The bundle could not be written: {e}").format(
            e=error_words(exc)))

    def _open_folder(self) -> None:
        if self.bundle is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.bundle.parent)))
