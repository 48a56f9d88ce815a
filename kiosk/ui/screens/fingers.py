"""Choosing the finger on the hand diagram, with the policy's suggestion preselected."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.app import Finger, PersonStatus
from kiosk.config import Config
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import finger_name
from kiosk.ui.widgets import HandDiagram


def suggest_finger(config: Config, enrolled: tuple[Finger, ...]) -> Finger | None:
    """The policy's next finger: first suggestion not enrolled, on the other hand if asked."""
    policy = config.enrollment
    free = [Finger(f) for f in policy.suggested_fingers if f not in enrolled]
    if policy.prefer_different_hands and enrolled:
        used = {f.hand for f in enrolled}
        other = [f for f in free if f.hand not in used]
        if other:
            return other[0]
    if free:
        return free[0]
    rest = [f for f in Finger if f not in enrolled]
    return rest[0] if rest else None


class FingerScreen(Screen):
    """Choose the finger on the hand diagram; policy suggestion preselected."""

    fingerChosen = Signal(object)  # Finger

    @property
    def config(self) -> Config:
        """The station's settings now (provisioning may change them while the desk runs)."""
        return self._config()

    def __init__(self, config: Callable[[], Config], parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._config = config
        self.hands = HandDiagram()
        self.hands.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hands.fingerChosen.connect(self._picked)
        self.legend = label("", "hint")
        self.choice = label("", "message")
        self.body.addWidget(self.hands, 1)
        self.body.addWidget(self.choice)
        self.body.addWidget(self.legend)
        self.secondary.setText(self.tr("Back"))
        self.secondary.show()
        self.primary.setText(self.tr("Start capture"))
        self.primary.clicked.connect(self._go)
        self.sensor_note = label("", "warn")
        self.body.addWidget(self.sensor_note)
        self._sensor_ok = True
        self._finger: Finger | None = None

    def set_sensor_ready(self, ready: bool, problem: str = "") -> None:
        """No capture can start without a sensor: say so here instead of failing later."""
        self._sensor_ok = ready
        self.sensor_note.setText("" if ready else self.tr(
            "The sensor is not connected. Plug it in; this button turns on by itself.")
            + (f" {problem}" if problem and not ready else ""))
        self._update_primary()

    def _update_primary(self) -> None:
        self.primary.setEnabled(self._finger is not None and self._sensor_ok)
        self.primary.setText(self.tr("Start capture") if self._sensor_ok
                             else self.tr("Waiting for the sensor…"))

    def start(self, person: PersonStatus) -> None:
        self.title.setText(self.tr("Choose the finger — {name}").format(name=person.name))
        suggestion = suggest_finger(self.config, person.enrolled_fingers)
        self.hands.set_state(done=set(person.enrolled_fingers),
                             suggested=set(self.config.enrollment.suggested_fingers),
                             chosen=suggestion)
        self.legend.setText(self.tr("Green: already enrolled. Light blue: recommended. "
                                    "Tap another finger to change."))
        self._picked(suggestion)

    def _picked(self, finger: str | None) -> None:
        finger = Finger(finger) if finger else None
        self._finger = finger
        self._update_primary()
        self.choice.setText(self.tr("Chosen: {finger}").format(finger=finger_name(finger))
                            if finger else self.tr("Every finger is enrolled."))

    def choose(self, finger: Finger) -> None:
        """Keyboard/test path equal to a tap on the diagram."""
        self.hands.set_state(chosen=finger)
        self._picked(finger)

    def entered(self) -> None:
        self.primary.setFocus()

    def _go(self) -> None:
        f = self.hands.chosen()
        if f:
            self.fingerChosen.emit(Finger(f))
