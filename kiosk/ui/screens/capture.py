"""The capture screen: what the sensor wants, how far along it is, and why to repeat."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.app import Finger, PersonStatus, Progress, Prompt, PromptKind, Result, Retry, wording
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import finger_name, render
from kiosk.ui.widgets import HandDiagram, Illustration, SegmentedProgress


class CaptureScreen(Screen):
    """What the sensor wants, how far along it is, and why to repeat — readable from afar."""

    cancelRequested = Signal()
    finished = Signal(object)  # Result

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.finger = Finger.RIGHT_INDEX
        self.hands = HandDiagram(interactive=False)
        self.picture = Illustration()
        left = QVBoxLayout()
        left.addWidget(self.hands, 2)
        left.addWidget(self.picture, 3)
        self.instruction = label("", "instruction")
        self.instruction.setMinimumHeight(120)
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.bar = SegmentedProgress()
        self.percent = label("0 %", "percent", wrap=False)
        self.retry = label("", "retry")
        self.retry.setMinimumHeight(80)
        self.retry.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        right = QVBoxLayout()
        right.addStretch(1)
        right.addWidget(self.instruction)
        right.addSpacing(12)
        right.addWidget(self.bar)
        right.addWidget(self.percent)
        right.addWidget(self.retry)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left, 2)
        row.addSpacing(24)
        row.addLayout(right, 3)
        self.body.addLayout(row, 1)
        self.secondary.setText(self.tr("Cancel"))
        self.secondary.show()
        self.secondary.clicked.connect(self._cancel)
        self.primary.hide()
        self.running = False
        #: Prompts shown so far and the last one's kind (tests and the simulated person wait
        #: for "place" before pressing again, as a real person would).
        self.prompts = 0
        self.last_prompt: PromptKind | None = None

    def start(self, person: PersonStatus, finger: Finger) -> None:
        self.finger = finger
        self.running = True
        self.title.setText(self.tr("{name} — {finger}").format(
            name=person.name, finger=finger_name(finger)))
        self.hands.set_state(done=set(person.enrolled_fingers), suggested=set(), chosen=finger)
        self.bar.setValue(0)
        self.percent.setText("0 %")
        self.retry.clear()
        self.secondary.setEnabled(True)
        self.secondary.setText(self.tr("Cancel"))
        self._prompt(Prompt(PromptKind.PLACE, 1))
        self.prompts, self.last_prompt = 0, None  # count only what the engine asks for

    def entered(self) -> None:
        self.secondary.setFocus()

    def _cancel(self) -> None:
        if self.running:
            self.secondary.setEnabled(False)
            self.secondary.setText(self.tr("Cancelling…"))
            self.cancelRequested.emit()

    def on_event(self, ev: object) -> None:
        """One engine event; runs on the GUI thread (queued from the sensor worker)."""
        if not self.running:
            return
        if isinstance(ev, Prompt):
            self._prompt(ev)
        elif isinstance(ev, Progress):
            self.bar.setValue(ev.percent)
            self.percent.setText(f"{ev.percent} %")
            if ev.step > 0:
                self.retry.clear()
        elif isinstance(ev, Retry):
            self.retry.setText(render(wording.retry(ev.reason)))
        elif isinstance(ev, Result):
            self.running = False
            self.hands.set_pulsing(False)
            self.finished.emit(ev)

    def _prompt(self, ev: Prompt) -> None:
        self.prompts += 1
        self.last_prompt = ev.kind
        pic = {PromptKind.LIFT: "lift", PromptKind.RESTART: "lift",
               PromptKind.WORKING: "working"}.get(ev.kind, "place")
        self.instruction.setText(render(wording.prompt(ev.kind, ev.capture, self.finger)))
        self.picture.show_picture(pic)
        self.hands.set_pulsing(ev.kind in (PromptKind.PLACE, PromptKind.AGAIN))
