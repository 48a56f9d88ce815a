"""The versioned consent notice in the person's language, the method, and consent or refusal
recorded as such (a refusal only after a confirmation)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import ConsentMethod, ConsentStatus, EnrollmentDesk, Operator, PersonStatus
from kiosk.app.wording import QT_TRANSLATE_NOOP
from kiosk.config import Config, ConsentNotice
from kiosk.ui.i18n import LANGUAGES
from kiosk.ui.screens.base import Screen, label
from kiosk.ui.widgets import button, describe
from kiosk.ui.worker import run_async

_LANGUAGE_NAMES = dict(LANGUAGES)


class ConsentScreen(Screen):
    """The versioned notice, the method, and consent or refusal recorded as such."""

    decided = Signal(bool)  # True = consent given

    METHODS = (
        ("signed-paper", QT_TRANSLATE_NOOP("ConsentScreen", "Signed the paper form")),
        ("on-screen", QT_TRANSLATE_NOOP("ConsentScreen", "Accepted on this screen")),
        ("operator-attestation",
         QT_TRANSLATE_NOOP("ConsentScreen", "Said yes; I confirm as the operator")),
    )

    @property
    def config(self) -> Config:
        """The station's settings now (provisioning may change them while the desk runs)."""
        return self._config()

    def __init__(self, desk: EnrollmentDesk, config: Callable[[], Config],
                 language: Callable[[], str] = lambda: "en",
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.desk = desk
        self._config = config
        self._ui_language = language
        self.person: PersonStatus | None = None
        self.operator: Operator | None = None
        self.notice = label("", "notice")
        self.notice.setAccessibleName(self.tr("Consent notice"))
        self.version = label("", "hint")
        self.alt = label("", "hint")
        self.before = label("", "warn")
        self.before.hide()
        self.notice_language = QComboBox()
        describe(self.notice_language, self.tr("Notice language"), self.tr(
            "The language the person reads the notice in; it is recorded with the consent."))
        self.notice_language.activated.connect(lambda _i: self._show_notice())
        # beside the methods: the notice's language and version, and what "no" means
        side = QVBoxLayout()
        side.setSpacing(6)
        lang_row = QHBoxLayout()
        lang_row.addWidget(label(self.tr("Notice in"), wrap=False))
        lang_row.addWidget(self.notice_language, 1)
        side.addLayout(lang_row)
        side.addWidget(self.version)
        side.addWidget(self.alt)
        side.addStretch(1)
        self.method_group = QButtonGroup(self)
        methods = QVBoxLayout()
        methods.setSpacing(0)
        methods.addWidget(label(self.tr("How was consent given?")))
        self.method_buttons: dict[str, QRadioButton] = {}
        for i, (key, text) in enumerate(self.METHODS):
            rb = QRadioButton(self.tr(text))
            rb.setAccessibleDescription(self.tr("How the person gave consent."))
            self.method_group.addButton(rb, i)
            self.method_buttons[key] = rb
            methods.addWidget(rb)
        self.message = label("", "error")
        choices = QHBoxLayout()
        choices.addLayout(methods, 3)
        choices.addSpacing(24)
        choices.addLayout(side, 2)
        self.body.addWidget(self.before)
        self.body.addWidget(self.notice)
        self.body.addLayout(choices)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.secondary.setText(self.tr("Back"))
        self.secondary.setAccessibleDescription(self.tr("Back to the search; nothing is "
                                                        "recorded."))
        self.secondary.show()
        self.refuse = button(self.tr("Person refuses"), "danger", description=self.tr(
            "Records that the person said no (after a confirmation)."))
        self.extra.addWidget(self.refuse)
        self.primary.setText(self.tr("Consent given"))
        self.primary.setAccessibleDescription(self.tr(
            "Records the consent with the chosen method and goes on to the fingers."))
        self.primary.setEnabled(False)
        self.method_group.idToggled.connect(lambda _i, _on: self.primary.setEnabled(
            self.method_group.checkedId() >= 0))
        self.primary.clicked.connect(lambda: self._record(True))
        self.refuse.clicked.connect(self._ask_refusal)
        self._fill_languages("")
        self._show_notice()

    def _fill_languages(self, wanted: str) -> None:
        notices = self.config.consent.notices()
        self.notice_language.clear()
        for n in notices:
            self.notice_language.addItem(_LANGUAGE_NAMES.get(n.language, n.language),
                                         n.language)
        chosen = self.config.consent.notice_for(wanted).language
        self.notice_language.setCurrentIndex(max(0, self.notice_language.findData(chosen)))

    def current_notice(self) -> ConsentNotice:
        code = self.notice_language.currentData()
        return self.config.consent.notice_for(code if isinstance(code, str) else "")

    def _show_notice(self) -> None:
        """The notice in force now: what is shown is what the record's hash will prove."""
        n = self.current_notice()
        self.notice.setText(n.notice_text)
        self.version.setText(self.tr("Notice version {v}").format(v=n.notice_version))
        alternative = self.config.consent.notice_for(self._ui_language()).alternative
        self.alt.setText(self.tr("If the person says no: {alt}. Saying no has no other "
                                 "consequence.").format(alt=alternative))

    def start(self, person: PersonStatus, operator: Operator) -> None:
        self.person = person
        self.operator = operator
        self._fill_languages(self._ui_language())
        self._show_notice()
        self.title.setText(self.tr("Consent — {name}").format(name=person.name))
        refused = person.consent_status is ConsentStatus.REFUSED
        withdrawn = person.consent_status is ConsentStatus.WITHDRAWN
        self.before.setVisible(refused or withdrawn)
        self.before.setText(
            self.tr("{name} refused before. Record consent only if they have changed their "
                    "mind.").format(name=person.name) if refused else
            self.tr("{name} withdrew consent before. Record it again only if they ask to "
                    "enroll.").format(name=person.name))
        self.method_group.setExclusive(False)
        for b in self.method_buttons.values():
            b.setChecked(False)
        self.method_group.setExclusive(True)
        self.primary.setEnabled(False)
        self.refuse.setEnabled(True)
        self.message.clear()

    def entered(self) -> None:
        self.method_buttons["signed-paper"].setFocus()

    def method(self) -> ConsentMethod | None:
        i = self.method_group.checkedId()
        return ConsentMethod(self.METHODS[i][0]) if i >= 0 else None

    def _ask_refusal(self) -> None:
        if self.person is None:
            return
        self.ask(self.tr("Record that {name} refuses? Nothing is captured, and the alternative "
                         "is offered.").format(name=self.person.name),
                 self.tr("Yes, record the refusal"), lambda: self._record(False))

    def _record(self, granted: bool) -> None:
        if self.person is None or self.operator is None:
            return
        method = self.method() if granted else ConsentMethod.REFUSED
        if method is None:
            return
        ext, operator = self.person.external_id, self.operator.name
        language = self.current_notice().language
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

    def reset(self) -> None:
        super().reset()
        self.person = None
        self.operator = None
        self.message.clear()
