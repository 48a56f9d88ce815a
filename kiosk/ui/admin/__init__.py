"""The admin area (administrators only): one widget per page, in tabs; ``Done`` goes back."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from kiosk.app import Station
from kiosk.ui.admin.central import CentralPage
from kiosk.ui.admin.common import Page
from kiosk.ui.admin.diagnostics import DiagnosticsPage
from kiosk.ui.admin.operators import OperatorsPage
from kiosk.ui.admin.selftest import SelfTestPage
from kiosk.ui.admin.sensor import SensorPage
from kiosk.ui.admin.settings import SettingsPage
from kiosk.ui.admin.sync_queue import SyncQueuePage
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import button


class AdminScreen(Screen):
    """Tabs for each admin task; the pages do the work."""

    exitRequested = Signal()
    #: New central-server settings are in use (after provisioning).
    settingsReloaded = Signal()

    PAGES = ("selftest", "diagnostics", "settings", "central", "sync", "sensor", "operators")

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.hide()  # the tabs say where we are; the room goes to the pages
        self.station = station
        #: The signed-in administrator, named in the audit log for every change made here.
        self.actor = ""

        def actor() -> str:
            return self.actor

        self.selftest = SelfTestPage(station, actor)
        self.diagnostics = DiagnosticsPage(station, actor)
        self.settings = SettingsPage(station, actor)
        self.central = CentralPage(station, actor)
        self.sync_queue = SyncQueuePage(station, actor)
        self.sensor = SensorPage(station, actor)
        self.operators = OperatorsPage(station, actor)
        self.tabs = QTabWidget()
        names = (self.tr("Self-test"), self.tr("Diagnostics"), self.tr("Settings"),
                 self.tr("Central server"), self.tr("Sync queue"), self.tr("Sensor"),
                 self.tr("Operators"))
        for page, name in zip(self.pages(), names, strict=True):
            self.tabs.addTab(page, name)
        self.body.addWidget(self.tabs, 1)
        self.primary.setText(self.tr("Done"))
        self.exit_button = button(self.tr("Close the program"), "danger")
        self.exit_button.clicked.connect(self.exitRequested)
        self.extra.addWidget(self.exit_button)
        self.central.reloaded.connect(self.settingsReloaded)
        self.tabs.currentChanged.connect(lambda _i: self.current_page().refresh())

    def pages(self) -> tuple[Page, ...]:
        return (self.selftest, self.diagnostics, self.settings, self.central, self.sync_queue,
                self.sensor, self.operators)

    def current_page(self) -> Page:
        w = self.tabs.currentWidget()
        assert isinstance(w, Page)
        return w

    def open_page(self, page: str, *, first_run: bool = False) -> None:
        """Show ``page``; ``first_run``: the station's first admin was just created."""
        self.central.central_later.setVisible(first_run)
        if page in self.PAGES:
            self.tabs.setCurrentIndex(self.PAGES.index(page))
        self.current_page().refresh()

    def sensor_changed(self) -> None:
        """The sensor's status changed (no I/O)."""
        self.sensor.refresh()

    def sync_changed(self) -> None:
        """The link's state changed: words at once, the queue when it is the page shown."""
        self.sync_queue.show_state()
        if self.current_page() is self.sync_queue:
            self.sync_queue.refresh()


__all__ = ["AdminScreen"]
