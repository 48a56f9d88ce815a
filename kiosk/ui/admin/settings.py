"""Settings page: the station's settings in sections that each fit the screen, a test beside
each connection, file pickers for the certificate files, and the consent notice per language.

A list of sections on the left (desk, enrollment, consent notice, sensor, central server,
certificates) replaces the long form in a scroll box: at 1366×768 every field of a section is
in view, and the consent notice's text box is the only thing that scrolls.

Long on purpose (a little over 400 lines): the six sections share one form model (load,
validate, save through the settings service); each section is a short method.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from kiosk.app import LinkState, PortVerdict, Station
from kiosk.app.provisioning import ConnectionVerdict, try_broker
from kiosk.app.settings import save_settings
from kiosk.app.wording import QT_TRANSLATE_NOOP
from kiosk.config import VERIFY_POLICIES, Config, ConfigError, ConsentNotice
from kiosk.ui.admin.common import ActorFn, Page, set_role
from kiosk.ui.i18n import LANGUAGES
from kiosk.ui.screens.base import label
from kiosk.ui.widgets import button, compact, describe, set_busy
from kiosk.ui.worker import run_async

#: The check after enrollment, in words (the policy's values in the settings file).
VERIFY_WORDS = {
    "off": QT_TRANSLATE_NOOP("SettingsPage", "Off"),
    "last-finger": QT_TRANSLATE_NOOP("SettingsPage", "After each person's last finger"),
    "every-finger": QT_TRANSLATE_NOOP("SettingsPage", "After every finger"),
}

_LANGUAGE_NAMES = dict(LANGUAGES)


class PathField(QWidget):
    """A file's path, typed or chosen with "Choose…"."""

    def __init__(self, text: str, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(text)
        describe(self.edit, name, self.tr("The path of the file; or use Choose."))
        self.choose = button(self.tr("Choose…"), description=self.tr(
            "Opens a file picker for {name}.").format(name=name))
        self.choose.clicked.connect(self._choose)
        self._title = title
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def _choose(self) -> None:
        start = self.edit.text().strip() or str(Path.home())
        path, _f = QFileDialog.getOpenFileName(
            self, self._title, start,
            self.tr("Certificates and keys (*.pem *.crt *.cer *.key);;All files (*)"))
        if path:
            self.edit.setText(path)


class SettingsPage(Page):
    """Saved to the settings file; used after a restart (the page says so)."""

    SECTIONS = ("desk", "enrollment", "consent", "sensor", "central", "certificates")

    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        self._notices: dict[str, ConsentNotice] = {}
        self._build()

    def _form(self, title: str) -> QFormLayout:
        page = QWidget()
        form = QFormLayout(page)
        form.setVerticalSpacing(8)
        form.setContentsMargins(16, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sections.addWidget(page)
        self.nav.addItem(title)
        return form

    def _build(self) -> None:
        cfg = self.station.config
        body = QHBoxLayout()
        self.nav = QListWidget()
        self.nav.setObjectName("sectionList")
        describe(self.nav, self.tr("Sections"), self.tr("The groups of settings; Up and Down "
                                                        "move between them."))
        self.nav.setFixedWidth(220)
        self.sections = QStackedWidget()
        body.addWidget(self.nav)
        body.addWidget(self.sections, 1)
        self.nav.currentRowChanged.connect(self.sections.setCurrentIndex)

        # -- the desk --
        f = self._form(self.tr("Desk"))
        self.set_station_name = QLineEdit(cfg.station.name)
        describe(self.set_station_name, self.tr("Station name"),
                 self.tr("Shown in the top bar."))
        self.set_station_id = QLineEdit(cfg.station.id)
        describe(self.set_station_id, self.tr("Station ID"),
                 self.tr("How the central server knows this station."))
        self.set_language = QComboBox()
        self.set_language.addItem(self.tr("The computer's language"), "")
        for code, name in LANGUAGES:
            self.set_language.addItem(name, code)
        self.set_language.setCurrentIndex(max(0, self.set_language.findData(cfg.ui.language)))
        describe(self.set_language, self.tr("Language"), self.tr(
            "The desk's language at start; each operator can change it when signing in."))
        self.set_sounds = QCheckBox(self.tr("Sounds: a tick per press, a chime when saved"))
        self.set_sounds.setChecked(cfg.ui.sounds)
        self.set_sounds.setAccessibleDescription(self.tr("Sounds on or off."))
        self.set_idle = QSpinBox()
        self.set_idle.setRange(30, 3600)
        self.set_idle.setSingleStep(30)
        self.set_idle.setSuffix(" s")
        self.set_idle.setValue(cfg.ui.idle_signout_s)
        describe(self.set_idle, self.tr("Sign out when idle for"), self.tr(
            "Seconds without anyone touching the desk before it signs out (with a warning)."))
        self.set_kiosk = QCheckBox(self.tr("Full screen, exit only with an administrator PIN"))
        self.set_kiosk.setChecked(cfg.ui.kiosk_mode)
        self.set_kiosk.setAccessibleDescription(self.tr("Kiosk mode on or off."))
        for text, w in ((self.tr("Station name"), self.set_station_name),
                        (self.tr("Language"), self.set_language),
                        (self.tr("Sign out when idle for"), self.set_idle)):
            f.addRow(text, w)
        # check boxes say what they do in their own words, across the whole row
        f.addRow(self.set_sounds)
        f.addRow(self.set_kiosk)

        # -- enrollment --
        f = self._form(self.tr("Enrollment"))
        self.set_fingers = QSpinBox()
        self.set_fingers.setRange(1, 10)
        self.set_fingers.setValue(cfg.enrollment.fingers_per_person)
        describe(self.set_fingers, self.tr("Fingers per person"),
                 self.tr("How many fingers make a person done."))
        self.set_verify = QComboBox()
        for key in VERIFY_POLICIES:
            self.set_verify.addItem(self.tr(VERIFY_WORDS[key]), key)
        self.set_verify.setCurrentIndex(max(0, self.set_verify.findData(cfg.enrollment.verify)))
        describe(self.set_verify, self.tr("Check after enrollment"), self.tr(
            "One more press, found by the sensor's search as a reader will find it."))
        self.set_wait = QSpinBox()
        self.set_wait.setRange(10, 300)
        self.set_wait.setSingleStep(10)
        self.set_wait.setSuffix(" s")
        self.set_wait.setValue(int(cfg.enrollment.idle_timeout_s))
        describe(self.set_wait, self.tr("Wait for a finger"), self.tr(
            "Seconds the sensor waits for each press; the capture screen counts down."))
        f.addRow(self.tr("Fingers per person"), self.set_fingers)
        f.addRow(self.tr("Check after enrollment"), self.set_verify)
        f.addRow(self.tr("Wait for a finger"), self.set_wait)

        # -- consent notice, per language --
        f = self._form(self.tr("Consent notice"))
        self.set_notice_language = QComboBox()
        describe(self.set_notice_language, self.tr("Notice language"),
                 self.tr("Which language's notice is shown below."))
        self.set_notice_version = QLineEdit()
        describe(self.set_notice_version, self.tr("Notice version"), self.tr(
            "Change it whenever the text changes: each consent records it."))
        self.set_notice = QPlainTextEdit()
        self.set_notice.setMinimumHeight(110)
        describe(self.set_notice, self.tr("Consent notice"), self.tr(
            "What the person reads before consenting."))
        self.set_alternative = QLineEdit()
        describe(self.set_alternative, self.tr("Alternative if refused"), self.tr(
            "What is offered to someone who says no."))
        for n in cfg.consent.notices():
            self._notices[n.language] = n
            self.set_notice_language.addItem(_LANGUAGE_NAMES.get(n.language, n.language),
                                             n.language)
        self._notice_shown = ""
        self.set_notice_language.currentIndexChanged.connect(lambda _i: self._show_notice())
        f.addRow(self.tr("Language"), self.set_notice_language)
        f.addRow(self.tr("Notice version"), self.set_notice_version)
        f.addRow(self.tr("Notice"), self.set_notice)
        f.addRow(self.tr("Alternative if refused"), self.set_alternative)
        self._show_notice()

        # -- sensor --
        f = self._form(self.tr("Sensor"))
        self.set_port = QComboBox()
        self.set_port.setEditable(True)
        self.set_port.addItem(self.tr("Find it automatically"), "auto")
        if cfg.sensor.port != "auto":
            self.set_port.addItem(cfg.sensor.port, cfg.sensor.port)
        self.set_port.setCurrentIndex(max(0, self.set_port.findData(cfg.sensor.port)))
        describe(self.set_port, self.tr("USB port"), self.tr(
            "Where the sensor is plugged in; automatic finds it by itself."))
        self.port_test = button(self.tr("Test"), description=self.tr(
            "Asks the port whether a sensor answers."))
        self.port_test.clicked.connect(self.test_port)
        self.port_result = label("", "hint")
        port_cell = QWidget()
        ph = QHBoxLayout(port_cell)
        ph.setContentsMargins(0, 0, 0, 0)
        ph.addWidget(self.set_port, 1)
        ph.addWidget(self.port_test)
        f.addRow(self.tr("USB port"), port_cell)
        f.addRow("", self.port_result)

        # -- central server --
        f = self._form(self.tr("Central server"))
        self.set_broker = QLineEdit(cfg.sync.broker_url)
        self.set_broker.setPlaceholderText("mqtts://central.example.org:8883")
        describe(self.set_broker, self.tr("Server address"), self.tr(
            "The central server's address, from its administrator."))
        self.set_user = QLineEdit(cfg.sync.username)
        describe(self.set_user, self.tr("User name"), self.tr("This station's login."))
        self.set_password = QLineEdit()
        self.set_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.set_password.setPlaceholderText(self.tr("Leave empty to keep the stored password"))
        describe(self.set_password, self.tr("Password"), self.tr(
            "Kept in the station's secret store, not in the settings file."))
        self.broker_test = button(self.tr("Test connection"), description=self.tr(
            "One login with the settings as typed, not yet saved."))
        self.broker_test.clicked.connect(self.test_broker)
        self.broker_result = label("", "hint")
        test_cell = QWidget()
        th = QHBoxLayout(test_cell)
        th.setContentsMargins(0, 0, 0, 0)
        th.addWidget(self.broker_test)
        th.addWidget(self.broker_result, 1)  # the verdict beside its test
        f.addRow(self.tr("Server address"), self.set_broker)
        f.addRow(self.tr("User name"), self.set_user)
        f.addRow(self.tr("Password"), self.set_password)
        f.addRow(self.tr("Station ID"), self.set_station_id)
        f.addRow("", test_cell)

        # -- certificates --
        f = self._form(self.tr("Certificates"))
        self.set_ca = PathField(cfg.sync.ca_file, self.tr("CA file"),
                                self.tr("The central server's CA certificate"))
        self.set_cert = PathField(cfg.sync.client_cert, self.tr("Client certificate"),
                                  self.tr("This station's certificate"))
        self.set_key = PathField(cfg.sync.client_key, self.tr("Client key"),
                                 self.tr("This station's private key"))
        f.addRow(self.tr("CA file"), self.set_ca)
        f.addRow(self.tr("Client certificate"), self.set_cert)
        f.addRow(self.tr("Client key"), self.set_key)
        f.addRow("", label(self.tr("Usually set by the provisioning file from the central "
                                   "server."), "hint"))

        for c in (self.set_language, self.set_verify, self.set_notice_language, self.set_port):
            compact(c)
        self.port_result.hide()
        self.broker_result.hide()
        self.nav.setCurrentRow(0)
        v = self.column
        v.addLayout(body, 1)
        row = QHBoxLayout()
        self.settings_save = button(self.tr("Save settings"), "primary", description=self.tr(
            "Writes every section to the settings file; they apply after a restart."))
        self.settings_save.clicked.connect(self.save_settings)
        self.settings_result = label(self.tr("Changes apply after a restart."), "hint")
        row.addWidget(self.settings_save)
        row.addWidget(self.settings_result, 1)
        v.addLayout(row)

    def show_section(self, name: str) -> None:
        self.nav.setCurrentRow(self.SECTIONS.index(name))

    def section(self) -> str:
        return self.SECTIONS[self.sections.currentIndex()]

    def activate_default(self) -> None:
        if self.settings_save.isEnabled():
            self.save_settings()

    # -- consent notices: one per language, edited one at a time --------------------------
    def _keep_notice(self) -> None:
        lang = self._notice_shown
        if lang:
            self._notices[lang] = ConsentNotice(
                lang, self.set_notice_version.text().strip(),
                self.set_notice.toPlainText().strip(), self.set_alternative.text().strip())

    def _show_notice(self) -> None:
        self._keep_notice()
        lang = self.set_notice_language.currentData()
        if not isinstance(lang, str) or lang not in self._notices:
            return
        n = self._notices[lang]
        self._notice_shown = lang
        self.set_notice_version.setText(n.notice_version)
        self.set_notice.setPlainText(n.notice_text)
        self.set_alternative.setText(n.alternative)

    def port_setting(self) -> str:
        text = self.set_port.currentText().strip()
        i = self.set_port.findText(text)
        data = self.set_port.itemData(i) if i >= 0 else None
        return str(data) if isinstance(data, str) else (text or "auto")

    def edited_config(self) -> Config:
        """The settings form as a Config (not yet validated)."""
        self._keep_notice()
        cfg = self.station.config
        main = self._notices.get(cfg.consent.language, cfg.consent.main)
        others = tuple(n for lang, n in self._notices.items() if lang != cfg.consent.language)
        return cfg.replace(
            station=replace(cfg.station, id=self.set_station_id.text().strip(),
                            name=self.set_station_name.text().strip()),
            sensor=replace(cfg.sensor, port=self.port_setting()),
            sync=replace(cfg.sync, broker_url=self.set_broker.text().strip(),
                         username=self.set_user.text().strip(),
                         ca_file=self.set_ca.text().strip(),
                         client_cert=self.set_cert.text().strip(),
                         client_key=self.set_key.text().strip()),
            consent=replace(cfg.consent, notice_version=main.notice_version,
                            notice_text=main.notice_text, alternative=main.alternative,
                            translations=others),
            enrollment=replace(cfg.enrollment, fingers_per_person=self.set_fingers.value(),
                               verify=str(self.set_verify.currentData()),
                               idle_timeout_s=float(self.set_wait.value())),
            ui=replace(cfg.ui, idle_signout_s=self.set_idle.value(),
                       kiosk_mode=self.set_kiosk.isChecked(), sounds=self.set_sounds.isChecked(),
                       language=str(self.set_language.currentData() or "")),
        )

    def save_settings(self) -> None:
        try:
            new = self.edited_config()
            new.validate()
        except ConfigError as exc:
            self.settings_result.setText(str(exc))
            set_role(self.settings_result, "error")
            return
        paths = self.station.paths
        password = self.set_password.text()
        set_busy(self.settings_save, True)
        run_async(lambda: save_settings(paths, new, password), self._settings_saved,
                  self._settings_failed)

    def test_port(self) -> None:
        """Probe the chosen port off the GUI thread (the station's own port: ask its worker)."""
        port = self.port_setting()
        set_busy(self.port_test, True)
        self.port_result.show()
        self.port_result.setText(self.tr("Asking {port}…").format(port=port))
        run_async(lambda: self.station.probe_port(port), self._port_tested,
                  lambda e: self._port_tested(PortVerdict("problem", port, detail=str(e))))

    def _port_tested(self, v: PortVerdict) -> None:
        set_busy(self.port_test, False)
        if v.state == "in-use":
            text = self.tr("✓ {port} is in use by the station — it answers ({model}).").format(
                port=v.port, model=v.model or self.tr("sensor"))
        elif v.state == "found":
            text = self.tr("✓ A sensor answers on {port}. {message}").format(
                port=v.port, message=v.detail)
        else:
            text = self.tr("✗ No working sensor on {port}: {message}").format(
                port=v.port, message=v.detail)
        self.port_result.setText(text)
        set_role(self.port_result, "hint" if v.state != "problem" else "error")

    def test_broker(self) -> None:
        """One MQTT login with the settings as typed (not yet saved)."""
        url = self.set_broker.text().strip()
        self.broker_result.show()
        if not url:
            self.broker_result.setText(self.tr("Type the server address first."))
            return
        user, pw = self.set_user.text().strip(), self.set_password.text()
        ca, paths = self.set_ca.text().strip(), self.station.paths
        set_busy(self.broker_test, True)
        self.broker_result.setText(self.tr("Connecting to {url}…").format(url=url))
        run_async(lambda: try_broker(paths, url, user, pw, ca), self._broker_tested,
                  lambda e: self._broker_tested(
                      ConnectionVerdict(LinkState.CONFIG_ERROR, str(e), url)))

    def _broker_tested(self, v: ConnectionVerdict) -> None:
        set_busy(self.broker_test, False)
        if v.ok:
            text = self.tr("✓ Connected: the server accepted the station's login.")
        elif v.reason is LinkState.AUTH_REFUSED:
            text = self.tr("✗ The server refused this user name and password.")
        elif v.reason is LinkState.TLS_ERROR:
            text = self.tr("✗ Secure connection failed (certificate or CA file): {t}").format(
                t=v.text)
        elif v.reason is LinkState.CONFIG_ERROR:
            text = self.tr("✗ These settings cannot work: {t}").format(t=v.text)
        else:
            text = self.tr("✗ Cannot reach the server: {t}. Check the address and the "
                           "network.").format(t=v.text)
        self.broker_result.setText(text)
        set_role(self.broker_result, "hint" if v.ok else "error")

    def _settings_saved(self, _v: object) -> None:
        set_busy(self.settings_save, False)
        self.settings_result.setText(self.tr("Saved. Restart the program to use them."))
        set_role(self.settings_result, "hint")

    def _settings_failed(self, exc: BaseException) -> None:
        set_busy(self.settings_save, False)
        self.settings_result.setText(self.tr("Not saved: {e}").format(e=exc))
        set_role(self.settings_result, "error")

    def reset(self) -> None:
        self.set_password.clear()
        self.port_result.hide()
        self.broker_result.hide()
