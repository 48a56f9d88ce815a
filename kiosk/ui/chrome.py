"""The frame around every screen: top bar, SIMULATED banner, idle warning, status bar, and the
simulated person."""

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
from kiosk.ui.widgets import button, describe, set_tone


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
        self.clock.setAccessibleName(self.tr("Time"))
        self.admin = button(self.tr("Admin"), description=self.tr(
            "The administrator's pages: self-test, settings, figures, operators."))
        self.sign_out = button(self.tr("Sign out"), description=self.tr(
            "Signs you out; the next operator starts from an empty desk."))
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

    def set_capturing(self, capturing: bool) -> None:
        """During a capture Sign out and Admin wait: they would abort it without a word."""
        for b in (self.sign_out, self.admin):
            b.setEnabled(not capturing)
        self.sign_out.setToolTip(self.tr("Finish or cancel the capture first.") if capturing
                                 else "")


class IdleBanner(QFrame):
    """The warning before an idle sign-out, with the seconds left."""

    stay = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idleBanner")
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 6, 12, 6)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setAccessibleName(self.tr("Idle sign-out"))
        self.stay_button = button(self.tr("Stay signed in"), description=self.tr(
            "Keeps you signed in; any touch or key does the same."))
        self.stay_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stay_button.clicked.connect(self.stay)
        row.addWidget(self.text, 1)
        row.addWidget(self.stay_button)
        self.hide()

    def show_left(self, seconds: int) -> None:
        self.text.setText(self.tr("No one has used the desk for a while: signing out in {s} s. "
                                  "Touch the screen or press any key to stay.").format(s=seconds))
        self.show()


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
        describe(self.sensor, self.tr("Sensor"), self.tr("Administrators: opens the sensor "
                                                         "page."))
        describe(self.central, self.tr("Central server"), self.tr(
            "Administrators: opens the sync queue."))
        describe(self.pending, self.tr("Waiting to sync"), self.tr(
            "Administrators: opens the sync queue."))
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
        self.sensor.setAccessibleName(text)
        set_tone(self.sensor, tone)

    def set_sync(self, s: SyncState) -> None:
        text, tone = sync_words(s)
        self.central.setText("● " + text)
        self.central.setAccessibleName(text)
        set_tone(self.central, tone)
        text, tone = pending_words(s)
        self.pending.setText(text)
        self.pending.setAccessibleName(text)
        set_tone(self.pending, tone)


class SimBanner(QLabel):
    """Across the top in simulate mode: this is training, not production."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("simBanner")
        self.setText(self.tr("SIMULATED SENSOR — training mode: nothing captured here is a "
                             "real fingerprint"))
        self.setWordWrap(True)


def sim_banner(parent: QWidget | None = None) -> QLabel:
    return SimBanner(parent)


#: The simulated person's panel: wide enough for its buttons' words in every language.
SIM_PANEL_PX = 290


class SimPanel(QFrame):
    """The simulated person: place the chosen or a wrong finger, lift (also too early), make
    a capture messy, pull the USB cable. Each control says what it will do next."""

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
        title.setWordWrap(True)
        self.target = QLabel("")
        self.target.setWordWrap(True)
        col.addWidget(title)
        col.addWidget(self.target)
        self.which = QComboBox()
        self.which.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        describe(self.which, self.tr("Simulated finger"), self.tr(
            "The finger the buttons below place and press."))
        for f in Finger:
            self.which.addItem(finger_name(f), f)
        col.addWidget(self.which)
        self.place_btn = button(self.tr("Place this finger"))
        self.press_btn = button(self.tr("Press and lift"))
        self.lift_btn = button(self.tr("Lift"))
        self.early_btn = button(self.tr("Lift too early"))
        self.other_btn = button(self.tr("Place a different finger"))
        self.dup_btn = button(self.tr("Place a saved finger"))
        self.messy_btn = button(self.tr("Next capture messy"))
        self.messy_btn.setCheckable(True)
        descriptions = {
            self.place_btn: self.tr("Puts the chosen finger on the sensor and keeps it there."),
            self.press_btn: self.tr("Puts the chosen finger on the sensor, then lifts it."),
            self.lift_btn: self.tr("Lifts the finger off the sensor."),
            self.early_btn: self.tr("Touches the sensor and lifts before the print is read."),
            self.other_btn: self.tr("Places a finger that is not the one being enrolled."),
            self.dup_btn: self.tr("Places a finger enrolled earlier in this session."),
            self.messy_btn: self.tr("The next capture comes out smudged."),
        }
        for b in (self.press_btn, self.place_btn, self.lift_btn, self.early_btn,
                  self.other_btn, self.dup_btn, self.messy_btn):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setAccessibleDescription(descriptions[b])
            col.addWidget(b)
        self.unplug_btn = button("")
        self.unplug_btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.unplug_btn.clicked.connect(self._plug)
        col.addWidget(self.unplug_btn)
        col.addStretch(1)
        self.place_btn.clicked.connect(lambda: self.sim.place(self.chosen_label()))
        self.press_btn.clicked.connect(self.press)
        self.lift_btn.clicked.connect(self.sim.lift)
        self.early_btn.clicked.connect(self.lift_too_early)
        self.other_btn.clicked.connect(lambda: self.sim.place(self.label() + ":other"))
        self.dup_btn.clicked.connect(self._dup)
        self.messy_btn.clicked.connect(self._arm_messy)
        self.setFixedWidth(SIM_PANEL_PX)
        self.set_target("", "")
        self.refresh()

    def label(self) -> str:
        """The finger being enrolled, as the simulator knows it: one per person and finger."""
        return f"{self.person}:{self.finger}"

    def chosen_label(self) -> str:
        """The finger chosen in the list above the buttons (the enrolled one by default)."""
        return f"{self.person}:{self.which.currentData()}"

    def _plug(self) -> None:
        if self.sim.plugged:
            self.sim.unplug()
        else:
            self.sim.replug()
        self.refresh()

    def _arm_messy(self) -> None:
        if int(SensorCode.IMAGE_MESSY) not in self.sim.pending_failures():
            self.sim.fail_next(int(SensorCode.IMAGE_MESSY))
        self.refresh()

    def refresh(self) -> None:
        """Labels follow the simulator: the cable's state, whether a messy capture is armed."""
        plugged = self.sim.plugged
        self.unplug_btn.setText(self.tr("Unplug the sensor") if plugged
                                else self.tr("Plug the sensor back in"))
        self.unplug_btn.setAccessibleDescription(
            self.tr("Pulls the simulated USB cable.") if plugged
            else self.tr("Plugs the simulated USB cable back in."))
        armed = int(SensorCode.IMAGE_MESSY) in self.sim.pending_failures()
        self.messy_btn.setChecked(armed)
        self.messy_btn.setText(self.tr("Messy capture armed") if armed
                               else self.tr("Next capture messy"))

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
        """The chosen finger on the glass, lifted a moment later (a cooperative person)."""
        self.sim.place(self.chosen_label())
        QTimer.singleShot(400, self.sim.lift)

    def lift_too_early(self) -> None:
        """A touch lifted before the module has read the print: the image is unusable (too
        few features), as when a real finger leaves the glass mid-capture."""
        self.sim.fail_next(int(SensorCode.FEATURE_FAIL))
        self.sim.place(self.chosen_label())
        QTimer.singleShot(150, self.sim.lift)

    def _dup(self) -> None:
        if self.enrolled_labels:
            self.sim.place(self.enrolled_labels[0])
