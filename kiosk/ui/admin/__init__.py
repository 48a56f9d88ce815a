"""The admin area (administrators only): one widget per page, in tabs; ``Done`` goes back."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from kiosk.app import Station
from kiosk.ui.admin.central import CentralPage
from kiosk.ui.admin.common import ActorFn, Page
from kiosk.ui.admin.diagnostics import DiagnosticsPage
from kiosk.ui.admin.figures import FiguresPage
from kiosk.ui.admin.operators import OperatorsPage
from kiosk.ui.admin.selftest import SelfTestPage
from kiosk.ui.admin.sensor import SensorPage
from kiosk.ui.admin.settings import SettingsPage
from kiosk.ui.admin.sync_queue import SyncQueuePage
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import button


class SupportPage(Page):
    """The self-test and the diagnostics bundle on one tab: what support asks for first."""

    def __init__(self, station: Station, actor: ActorFn, selftest: SelfTestPage,
                 diagnostics: DiagnosticsPage, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        self.selftest, self.diagnostics = selftest, diagnostics
        for p in (selftest, diagnostics):
            p.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(selftest, 1)
        self.column.addWidget(diagnostics)

    def refresh(self) -> None:
        self.selftest.refresh()
        self.diagnostics.refresh()

    def activate_default(self) -> None:
        self.selftest.activate_default()


class AdminScreen(Screen):
    """Tabs for each admin task; the pages do the work."""

    exitRequested = Signal()
    #: New central-server settings are in use (after provisioning).
    settingsReloaded = Signal()

    PAGES = ("selftest", "figures", "diagnostics", "settings", "central", "sync", "sensor",
             "operators")
    #: The tab each page is on (the self-test and the diagnostics bundle share one).
    TABS: ClassVar[dict[str, int]] = {
        "selftest": 0, "diagnostics": 0, "figures": 1, "settings": 2, "central": 3, "sync": 4,
        "sensor": 5, "operators": 6}

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.hide()  # the tabs say where we are; the room goes to the pages
        outer = self.layout()
        if outer is not None:
            outer.setContentsMargins(24, 12, 24, 12)
            outer.setSpacing(10)
        self.station = station
        #: The signed-in administrator, named in the audit log for every change made here.
        self.actor = ""

        def actor() -> str:
            return self.actor

        self.selftest = SelfTestPage(station, actor)
        self.figures = FiguresPage(station, actor)
        self.diagnostics = DiagnosticsPage(station, actor)
        self.settings = SettingsPage(station, actor)
        self.central = CentralPage(station, actor)
        self.sync_queue = SyncQueuePage(station, actor)
        self.sensor = SensorPage(station, actor)
        self.operators = OperatorsPage(station, actor)
        self.support = SupportPage(station, actor, self.selftest, self.diagnostics)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Admin pages"))
        names = (self.tr("Self-test"), self.tr("Figures"), self.tr("Settings"),
                 self.tr("Central server"), self.tr("Sync queue"), self.tr("Sensor"),
                 self.tr("Operators"))
        for page, name in zip(self.tab_pages(), names, strict=True):
            self.tabs.addTab(page, name)
        self.body.addWidget(self.tabs, 1)
        self.primary.setText(self.tr("Done"))
        self.primary.setAccessibleDescription(self.tr("Leaves the admin area (Esc does the "
                                                      "same)."))
        self.exit_button = button(self.tr("Close the program"), "danger", description=self.tr(
            "Closes the desk program (after a confirmation)."))
        self.exit_button.clicked.connect(self._ask_exit)
        self.extra.addWidget(self.exit_button)
        self.central.reloaded.connect(self.settingsReloaded)
        self.tabs.currentChanged.connect(lambda _i: self.current_page().refresh())

    def pages(self) -> tuple[Page, ...]:
        return (self.selftest, self.figures, self.diagnostics, self.settings, self.central,
                self.sync_queue, self.sensor, self.operators)

    def tab_pages(self) -> tuple[Page, ...]:
        return (self.support, self.figures, self.settings, self.central, self.sync_queue,
                self.sensor, self.operators)

    def _ask_exit(self) -> None:
        self.ask(self.tr("Close the desk program? Nobody can enroll until it is started "
                         "again."), self.tr("Yes, close it"), self.exitRequested.emit)

    def activate_primary(self) -> None:
        """Enter in the admin area belongs to the page (a form's own button), never "Done":
        Enter in a field must not leave the page without doing what was typed."""
        if not self.asking():
            self.current_page().activate_default()

    def activate_secondary(self) -> None:
        """Esc leaves the admin area (a question open is closed first)."""
        if self.asking():
            self.close_question()
            return
        self.primary.click()

    def reset(self) -> None:
        super().reset()
        for page in self.pages():
            page.reset()

    def current_page(self) -> Page:
        w = self.tabs.currentWidget()
        assert isinstance(w, Page)
        return w

    def open_page(self, page: str, *, first_run: bool = False) -> None:
        """Show ``page``; ``first_run``: the station's first admin was just created."""
        self.central.central_later.setVisible(first_run)
        if page in self.TABS:
            self.tabs.setCurrentIndex(self.TABS[page])
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
