"""The frame around every screen: top bar, SIMULATED banner, status bar, simulated person."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import Finger, SensorCode, SensorStatus, SimulatorControls, SyncState
from kiosk.ui.text import finger_name, pending_words, sensor_words, sync_words
from kiosk.ui.widgets import button, set_tone


class TopBar(QFrame):
    """Station name, signed-in operator, clock, Admin and Sign out."""

    signOut = Signal()
    adminRequested = Signal()

    def __init__(self, station_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 6, 12, 6)
        self.station = QLabel(station_name)
        self.station.setObjectName("stationName")
        self.operator = QLabel("")
        self.clock = QLabel("")
        self.admin = button(self.tr("Admin"))
        self.sign_out = button(self.tr("Sign out"))
        for b in (self.admin, self.sign_out):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        row.addWidget(self.station)
        row.addSpacing(24)
        row.addWidget(self.operator)
        row.addStretch(1)
        row.addWidget(self.clock)
        row.addSpacing(12)
        row.addWidget(self.admin)
        row.addWidget(self.sign_out)
        self.sign_out.clicked.connect(self.signOut)
        self.admin.clicked.connect(self.adminRequested)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(10_000)
        self._tick()
        self.set_operator(None, False)

    def _tick(self) -> None:
        self.clock.setText(time.strftime("%H:%M"))

    def set_operator(self, name: str | None, admin: bool) -> None:
        self.operator.setText(self.tr("Operator: {name}").format(name=name) if name else "")
        self.sign_out.setVisible(name is not None)
        self.admin.setVisible(admin)


class StatusBar(QFrame):
    """Sensor, central server and pending count; each a button that opens its admin page."""

    pageRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        self.sensor = QPushButton("")
        self.central = QPushButton("")
        self.pending = QPushButton("")
        for b, page in ((self.sensor, "sensor"), (self.central, "sync"),
                        (self.pending, "sync")):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _c=False, p=page: self.pageRequested.emit(p))
            row.addWidget(b)
        row.insertStretch(1, 1)
        row.insertStretch(3, 1)

    def set_sensor(self, s: SensorStatus) -> None:
        text, tone = sensor_words(s)
        self.sensor.setText("● " + text)
        set_tone(self.sensor, tone)

    def set_sync(self, s: SyncState) -> None:
        text, tone = sync_words(s)
        self.central.setText("● " + text)
        set_tone(self.central, tone)
        text, tone = pending_words(s)
        self.pending.setText(text)
        set_tone(self.pending, tone)


def sim_banner(parent: QWidget | None = None) -> QLabel:
    b = QLabel(parent)
    b.setObjectName("simBanner")
    b.setText(b.tr("SIMULATED SENSOR — training mode: nothing captured here is a real "
                   "fingerprint"))
    b.setWordWrap(True)
    return b


class SimPanel(QFrame):
    """The simulated person: place the right or a wrong finger, lift, make a capture messy."""

    def __init__(self, sim: SimulatorControls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("simPanel")
        self.sim = sim
        self.person = ""
        self.finger = ""
        self.enrolled_labels: list[str] = []
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 12, 12, 12)
        title = QLabel(self.tr("Simulated person"))
        title.setObjectName("simTitle")
        self.target = QLabel("")
        self.target.setWordWrap(True)
        col.addWidget(title)
        col.addWidget(self.target)
        self.which = QComboBox()
        self.which.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for f in Finger:
            self.which.addItem(finger_name(f), f)
        col.addWidget(self.which)
        self.place_btn = button(self.tr("Place this finger"))
        self.press_btn = button(self.tr("Press and lift"))
        self.lift_btn = button(self.tr("Lift"))
        self.other_btn = button(self.tr("Place a different finger"))
        self.dup_btn = button(self.tr("Place an enrolled finger"))
        self.messy_btn = button(self.tr("Next capture messy"))
        for b in (self.press_btn, self.place_btn, self.lift_btn, self.other_btn,
                  self.dup_btn, self.messy_btn):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            col.addWidget(b)
        self.unplug_btn = button(self.tr("Unplug the sensor"))
        self.unplug_btn.setCheckable(True)
        self.unplug_btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.unplug_btn.toggled.connect(self._plug)
        col.addWidget(self.unplug_btn)
        col.addStretch(1)
        self.place_btn.clicked.connect(
            lambda: self.sim.place(f"{self.person}:{self.which.currentData()}"))
        self.press_btn.clicked.connect(self.press)
        self.lift_btn.clicked.connect(self.sim.lift)
        self.other_btn.clicked.connect(lambda: self.sim.place(self.label() + ":other"))
        self.dup_btn.clicked.connect(self._dup)
        self.messy_btn.clicked.connect(lambda: self.sim.fail_next(int(SensorCode.IMAGE_MESSY)))
        self.setFixedWidth(260)
        self.set_target("", "")

    def label(self) -> str:
        """The simulated finger's identity: one per person and finger."""
        return f"{self.person}:{self.finger}"

    def _plug(self, unplugged: bool) -> None:
        if unplugged:
            self.sim.unplug()
        else:
            self.sim.replug()

    def set_target(self, person: str, finger: str) -> None:
        self.person, self.finger = person, finger
        if finger:
            self.which.setCurrentIndex(max(0, self.which.findData(finger)))
        self.target.setText(self.tr("Acting as: {p}, {f}").format(p=person, f=finger_name(finger))
                            if person else self.tr("Start a capture first."))
        self.dup_btn.setEnabled(bool(self.enrolled_labels))

    def remember_enrolled(self) -> None:
        self.enrolled_labels.append(self.label())
        self.dup_btn.setEnabled(True)

    def press(self) -> None:
        self.sim.place(self.label())
        QTimer.singleShot(400, self.sim.lift)

    def _dup(self) -> None:
        if self.enrolled_labels:
            self.sim.place(self.enrolled_labels[0])
