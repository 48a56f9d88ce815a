"""A person who already has every finger the policy asks for: shown as done.

A student who comes back to the queue must not walk away with a third finger: Enter here means
"next person"; enrolling another finger is a button of its own, and an enrolled finger chosen
on the diagram opens its management (enroll it again, remove it).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.app import Finger, PersonStatus
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.widgets import HandDiagram, button


class PersonScreen(Screen):
    """Done: the enrolled fingers, their sync state, and the deliberate ways on."""

    nextPerson = Signal()
    extraFinger = Signal()
    manageRequested = Signal(object)  # Finger
    #: Consent withdrawn or deletion asked for: every print of this person.
    forgetRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.big = label("", "bigOk")
        self.state = label("", "message")
        self.hands = HandDiagram()
        self.hands.free_choosable = False
        self.hands.enrolledChosen.connect(lambda f: self.manageRequested.emit(Finger(f)))
        self.legend = label(self.tr("To enroll a finger again or remove it, choose it on the "
                                    "diagram."), "hint")
        self.body.addWidget(self.big)
        self.body.addWidget(self.state)
        self.body.addWidget(self.hands, 1)
        self.body.addWidget(self.legend)
        self.another = button(self.tr("Enroll another finger"), description=self.tr(
            "Adds one more finger to a person who is already done."))
        self.another.clicked.connect(self.extraFinger)
        self.extra.addWidget(self.another)
        self.forget = button(self.tr("Withdraw consent or delete…"), description=self.tr(
            "When the person withdraws consent or asks for their prints to be deleted."))
        self.forget.clicked.connect(self.forgetRequested)
        self.extra.addWidget(self.forget)
        self.primary.setText(self.tr("Next person"))
        self.primary.setAccessibleDescription(self.tr("Back to the search for the next "
                                                      "person."))
        self.primary.clicked.connect(self.nextPerson)
        self.person: PersonStatus | None = None

    def show_person(self, person: PersonStatus, required: int) -> None:
        self.person = person
        n = len(person.fingers)
        self.title.setText(self.tr("{name} ({id})").format(name=person.name,
                                                           id=person.external_id))
        self.big.setText(self.tr("Already enrolled: {n} of {m} fingers").format(n=n, m=required)
                         if n <= required else
                         self.tr("Already enrolled: {n} fingers").format(n=n))
        synced = len(person.synced_fingers)
        self.state.setText(
            self.tr("Nothing more to do. Every finger has reached the central server.")
            if synced >= n else
            self.tr("Nothing more to do. Fingers still to be sent to the central server: "
                    "{n}.").format(n=n - synced))
        self.hands.set_state(done=set(person.enrolled_fingers), suggested=set(), chosen=None)

    def entered(self) -> None:
        self.primary.setFocus()

    def reset(self) -> None:
        super().reset()
        self.person = None
        self.hands.set_state(done=set(), suggested=set(), chosen=None)
