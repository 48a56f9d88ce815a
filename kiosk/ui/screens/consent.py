"""The versioned consent notice, the method, and consent or refusal recorded as such."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout, QWidget

from kiosk.app import ConsentMethod, EnrollmentDesk, Operator, PersonStatus
from kiosk.config import Config
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.widgets import button
from kiosk.ui.worker import run_async


class ConsentScreen(Screen):
    """The versioned notice, the method, and consent or refusal recorded as such."""

    decided = Signal(bool)  # True = consent given

    METHODS = (
        ("signed-paper", "Signed the paper form"),
        ("on-screen", "Accepted on this screen"),
        ("operator-attestation", "Said yes; I confirm as the operator"),
    )

    @property
    def config(self) -> Config:
        """The station's settings now (provisioning may change them while the desk runs)."""
        return self._config()

    def __init__(self, desk: EnrollmentDesk, config: Callable[[], Config],
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.desk = desk
        self._config = config
        self.person: PersonStatus | None = None
        self.operator: Operator | None = None
        self.notice = label("", "notice")
        self.version = label("", "hint")
        self.alt = label("", "hint")
        self._show_notice()
        self.method_group = QButtonGroup(self)
        methods = QVBoxLayout()
        methods.setSpacing(0)
        methods.addWidget(label(self.tr("How was consent given?")))
        self.method_buttons: dict[str, QRadioButton] = {}
        for i, (key, text) in enumerate(self.METHODS):
            rb = QRadioButton(self.tr(text))
            self.method_group.addButton(rb, i)
            self.method_buttons[key] = rb
            methods.addWidget(rb)
        self.message = label("", "error")
        self.body.addWidget(self.notice)
        self.body.addWidget(self.version)
        self.body.addLayout(methods)
        self.body.addWidget(self.alt)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.secondary.setText(self.tr("Back"))
        self.secondary.show()
        self.refuse = button(self.tr("Person refuses"), "danger")
        self.extra.addWidget(self.refuse)
        self.primary.setText(self.tr("Consent given"))
        self.primary.setEnabled(False)
        self.method_group.idToggled.connect(lambda _i, _on: self.primary.setEnabled(
            self.method_group.checkedId() >= 0))
        self.primary.clicked.connect(lambda: self._record(True))
        self.refuse.clicked.connect(lambda: self._record(False))

    def _show_notice(self) -> None:
        """The notice in force now: what is shown is what the record's hash will prove."""
        c = self.config.consent
        self.notice.setText(c.notice_text)
        self.version.setText(self.tr("Notice version {v}").format(v=c.notice_version))
        self.alt.setText(self.tr("If the person says no: {alt}. Saying no has no other "
                                 "consequence.").format(alt=c.alternative))

    def start(self, person: PersonStatus, operator: Operator) -> None:
        self.person = person
        self.operator = operator
        self._show_notice()
        self.title.setText(self.tr("Consent — {name}").format(name=person.name))
        self.method_group.setExclusive(False)
        for b in self.method_buttons.values():
            b.setChecked(False)
        self.method_group.setExclusive(True)
        self.primary.setEnabled(False)
        self.message.clear()

    def entered(self) -> None:
        self.method_buttons["signed-paper"].setFocus()

    def method(self) -> ConsentMethod | None:
        i = self.method_group.checkedId()
        return ConsentMethod(self.METHODS[i][0]) if i >= 0 else None

    def _record(self, granted: bool) -> None:
        if self.person is None or self.operator is None:
            return
        method = self.method() if granted else ConsentMethod.REFUSED
        if method is None:
            return
        ext, operator = self.person.external_id, self.operator.name
        language = self.config.ui.language
        self.primary.setEnabled(False)
        self.refuse.setEnabled(False)
        run_async(lambda: self.desk.record_consent(ext, method, operator, language),
                  lambda _v: self._recorded(granted), self._failed)

    def _recorded(self, granted: bool) -> None:
        self.refuse.setEnabled(True)
        self.decided.emit(granted)

    def _failed(self, exc: BaseException) -> None:
        self.refuse.setEnabled(True)
        self.primary.setEnabled(self.method_group.checkedId() >= 0)
        self.message.setText(self.tr("The consent could not be saved: {e}").format(e=exc))
