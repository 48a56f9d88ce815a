"""The capture screen: what the sensor wants, how far along it is, why to repeat, how long the
sensor still waits — for the three presses of an enrollment and for the check after it."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.app import (
    Finger,
    PersonStatus,
    Progress,
    Prompt,
    PromptKind,
    Result,
    Retry,
    VerifyResult,
    wording,
)
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.text import finger_name, render
from kiosk.ui.widgets import HandDiagram, Illustration, SegmentedProgress, set_role

#: Below this many seconds the countdown turns amber.
HURRY_S = 10


class CaptureScreen(Screen):
    """What the sensor wants, how far along it is, and why to repeat — readable from afar."""

    cancelRequested = Signal()
    finished = Signal(object)  # Result
    verified = Signal(object)  # VerifyResult

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        # The screen itself holds the focus during a capture: Space and Enter do nothing
        # (Cancel is Esc, or a click); a stray key never cancels a capture.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Capture"))
        self.finger = Finger.RIGHT_INDEX
        self.verifying = False
        self.hands = HandDiagram(interactive=False)
        self.picture = Illustration()
        left = QVBoxLayout()
        left.addWidget(self.hands, 2)
        left.addWidget(self.picture, 3)
        self.instruction = label("", "instruction")
        self.instruction.setMinimumHeight(120)
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.instruction.setAccessibleName(self.tr("Instruction"))
        self.bar = SegmentedProgress()
        self.percent = label("0 %", "percent", wrap=False)
        self.retry = label("", "retry")
        self.retry.setMinimumHeight(80)
        self.retry.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.retry.setAccessibleName(self.tr("What to do differently"))
        self.countdown = label("", "hint")
        self.countdown.setAccessibleName(self.tr("Time left"))
        right = QVBoxLayout()
        right.addStretch(1)
        right.addWidget(self.instruction)
        right.addSpacing(12)
        right.addWidget(self.bar)
        right.addWidget(self.percent)
        right.addWidget(self.retry)
        right.addWidget(self.countdown)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left, 2)
        row.addSpacing(24)
        row.addLayout(right, 3)
        self.body.addLayout(row, 1)
        self.secondary.setText(self.tr("Cancel"))
        self.secondary.setAccessibleDescription(
            self.tr("Stops this capture; nothing is saved for this finger."))
        self.secondary.show()
        self.secondary.clicked.connect(self._cancel)
        self.primary.hide()
        self.running = False
        self.timeout_s = 60.0
        self._deadline = 0.0
        self._waiting_for = ""
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_countdown)
        #: Prompts shown so far and the last one's kind (tests and the simulated person wait
        #: for "place" before pressing again, as a real person would).
        self.prompts = 0
        self.last_prompt: PromptKind | None = None

    def start(self, person: PersonStatus, finger: Finger, *, timeout_s: float = 60.0,
              verify: bool = False) -> None:
        """Show the capture (``verify``: the check after enrollment, one press) of ``finger``."""
        self.finger = finger
        self.running = True
        self.verifying = verify
        self.timeout_s = timeout_s
        name = finger_name(finger)
        self.title.setText(
            self.tr("{name} — checking the {finger}").format(name=person.name, finger=name)
            if verify else
            self.tr("{name} — {finger}").format(name=person.name, finger=name))
        others = {str(f) for f in person.enrolled_fingers if f is not finger}
        self.hands.set_state(done=others, suggested=set(), chosen=finger)
        self.bar.setVisible(not verify)
        self.percent.setVisible(not verify)
        self.bar.setValue(0)
        self.percent.setText("0 %")
        self.retry.clear()
        self.secondary.setEnabled(True)
        self.secondary.setText(self.tr("Skip the check") if verify else self.tr("Cancel"))
        self.secondary.setAccessibleDescription(
            self.tr("Ends the check; the finger stays saved.") if verify else
            self.tr("Stops this capture; nothing is saved for this finger."))
        self._prompt(Prompt(PromptKind.PLACE, 1))
        self.prompts, self.last_prompt = 0, None  # count only what the engine asks for

    def entered(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)

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
        elif isinstance(ev, Result | VerifyResult):
            self.running = False
            self.hands.set_pulsing(False)
            self._stop_countdown()
            if isinstance(ev, Result):
                self.finished.emit(ev)
            else:
                self.verified.emit(ev)

    def _prompt(self, ev: Prompt) -> None:
        self.prompts += 1
        self.last_prompt = ev.kind
        pic = {PromptKind.LIFT: "lift", PromptKind.RESTART: "lift",
               PromptKind.WORKING: "working"}.get(ev.kind, "place")
        words = (wording.verify_prompt(ev.kind, self.finger) if self.verifying
                 else wording.prompt(ev.kind, ev.capture, self.finger))
        self.instruction.setText(render(words))
        self.picture.show_picture(pic)
        self.hands.set_pulsing(ev.kind in (PromptKind.PLACE, PromptKind.AGAIN))
        if ev.kind in (PromptKind.PLACE, PromptKind.AGAIN):
            self._start_countdown("place")
        elif ev.kind in (PromptKind.LIFT, PromptKind.RESTART):
            self._start_countdown("lift")
        else:
            self._stop_countdown()

    # -- the countdown: the engine gives each wait ``idle_timeout_s`` ----------------------
    def _start_countdown(self, what: str) -> None:
        self._waiting_for = what
        self._deadline = time.monotonic() + self.timeout_s
        self._show_countdown()
        self._tick.start()

    def _stop_countdown(self) -> None:
        self._tick.stop()
        self._waiting_for = ""
        self.countdown.clear()

    def seconds_left(self) -> int:
        return max(0, round(self._deadline - time.monotonic())) if self._waiting_for else 0

    def _show_countdown(self) -> None:
        left = self.seconds_left()
        if self._waiting_for == "lift":
            text = self.tr("{s} s left to lift the finger").format(s=left)
        else:
            text = self.tr("{s} s left to place the finger").format(s=left)
        self.countdown.setText(text)
        set_role(self.countdown, "warn" if left <= HURRY_S else "hint")

    def reset(self) -> None:
        super().reset()
        self.running = False
        self.verifying = False
        self._stop_countdown()
        self.hands.set_pulsing(False)
