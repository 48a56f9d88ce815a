"""Choosing the finger on the hand diagram, with the policy's suggestion preselected; an
enrolled finger chosen on the diagram opens its management (enroll again, remove)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.app import Finger, PersonStatus
from kiosk.config import Config
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import finger_name
from kiosk.ui.widgets import HandDiagram, button


def suggest_finger(config: Config, enrolled: tuple[Finger, ...],
                   avoid: Iterable[Finger] = ()) -> Finger | None:
    """The policy's next finger: first suggestion not enrolled (nor one to avoid, e.g. the one
    that just failed), on the other hand if asked."""
    policy = config.enrollment
    skip = set(enrolled) | set(avoid)
    free = [Finger(f) for f in policy.suggested_fingers if f not in skip]
    if policy.prefer_different_hands and enrolled:
        used = {f.hand for f in enrolled}
        other = [f for f in free if f.hand not in used]
        if other:
            return other[0]
    if free:
        return free[0]
    rest = [f for f in Finger if f not in skip]
    return rest[0] if rest else None


class FingerScreen(Screen):
    """Choose the finger on the hand diagram; policy suggestion preselected."""

    fingerChosen = Signal(object)  # Finger
    #: An enrolled finger was chosen: offer to enroll it again or remove it.
    manageRequested = Signal(object)  # Finger
    #: Consent withdrawn or deletion asked for: every print of this person.
    forgetRequested = Signal()

    @property
    def config(self) -> Config:
        """The station's settings now (provisioning may change them while the desk runs)."""
        return self._config()

    def __init__(self, config: Callable[[], Config], parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._config = config
        self.hands = HandDiagram()
        self.hands.fingerChosen.connect(self._picked)
        self.hands.enrolledChosen.connect(lambda f: self.manageRequested.emit(Finger(f)))
        self.legend = label("", "hint")
        self.choice = label("", "message")
        self.choice.setAccessibleName(self.tr("Chosen finger"))
        self.body.addWidget(self.hands, 1)
        self.body.addWidget(self.choice)
        self.body.addWidget(self.legend)
        self.secondary.setText(self.tr("Back"))
        self.secondary.setAccessibleDescription(self.tr("Back to the search."))
        self.secondary.show()
        self.primary.setText(self.tr("Start capture"))
        self.primary.clicked.connect(self._go)
        self.forget = button(self.tr("Withdraw consent or delete…"), description=self.tr(
            "When the person withdraws consent or asks for their prints to be deleted."))
        self.forget.clicked.connect(self.forgetRequested)
        self.extra.addWidget(self.forget)
        self.sensor_note = label("", "warn")
        self.body.addWidget(self.sensor_note)
        self._sensor_ok = True
        self._finger: Finger | None = None
        self.person: PersonStatus | None = None

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
        self.primary.setAccessibleDescription(
            self.tr("Starts the three presses of the chosen finger.") if self._sensor_ok
            else self.tr("Turns on when the sensor is connected."))

    def start(self, person: PersonStatus, *, avoid: Iterable[Finger] = (),
              extra: bool = False) -> None:
        """Choose a finger for ``person``; ``extra``: they are done and the clerk chose to add
        one more on purpose, so nothing is preselected."""
        self.person = person
        enrolled = person.enrolled_fingers
        self.forget.setVisible(bool(enrolled))  # before the first print: "Back" is enough
        if extra:
            self.title.setText(self.tr("Choose the extra finger — {name}").format(
                name=person.name))
            suggestion = None
        else:
            self.title.setText(self.tr("Choose the finger — {name}").format(name=person.name))
            suggestion = suggest_finger(self.config, enrolled, avoid)
        self.hands.set_state(done=set(enrolled),
                             suggested=set() if extra
                             else set(self.config.enrollment.suggested_fingers),
                             chosen=suggestion)
        self.legend.setText(
            self.tr("Green with a check: enrolled (choose it to enroll it again or remove it). "
                    "Light blue: recommended.") if enrolled
            else self.tr("Light blue: recommended. Choose another finger to change."))
        self._picked(suggestion)

    def _picked(self, finger: str | None) -> None:
        finger = Finger(finger) if finger else None
        self._finger = finger
        self._update_primary()
        if finger:
            self.choice.setText(self.tr("Chosen: {finger}").format(finger=finger_name(finger)))
        elif self.person is not None and len(self.hands.done()) == len(Finger):
            self.choice.setText(self.tr("Every finger is enrolled."))
        else:
            self.choice.setText(self.tr("Choose a finger on the diagram."))

    def choose(self, finger: Finger) -> None:
        """Keyboard/test path equal to a tap on the diagram."""
        self.hands.set_state(chosen=finger)
        self._picked(finger)

    def entered(self) -> None:
        self.hands.focus_finger()

    def _go(self) -> None:
        f = self.hands.chosen()
        if f:
            self.fingerChosen.emit(Finger(f))

    def reset(self) -> None:
        super().reset()
        self.person = None
        self._finger = None
        self.hands.set_state(done=set(), suggested=set(), chosen=None)
