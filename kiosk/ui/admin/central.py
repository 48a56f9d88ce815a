"""Central server page: import a provisioning file after comparing the signing key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import Station
from kiosk.app.provisioning import (
    FILE_SUFFIX,
    ImportOutcome,
    ProvisionFile,
    Step,
    import_confirmed,
    read_file,
)
from kiosk.app.wording import QT_TRANSLATE_NOOP
from kiosk.ui.admin.common import ActorFn, Page, clear_grid, error_words
from kiosk.ui.screens.base import label
from kiosk.ui.widgets import button
from kiosk.ui.worker import run_async

#: Headings for the steps ``kiosk provision`` reports (translated where shown).
_STEP_NAMES = {"signature": QT_TRANSLATE_NOOP("CentralPage", "Signature"),
               "trust": QT_TRANSLATE_NOOP("CentralPage", "Central key"),
               "config": QT_TRANSLATE_NOOP("CentralPage", "Settings"),
               "connection": QT_TRANSLATE_NOOP("CentralPage", "Connection"),
               "secret": QT_TRANSLATE_NOOP("CentralPage", "Password"),
               "ca": QT_TRANSLATE_NOOP("CentralPage", "Certificate"),
               "pin": QT_TRANSLATE_NOOP("CentralPage", "Key pinned")}


class CentralPage(Page):
    #: New settings are in use (sync restarted): the window refreshes its status bar.
    reloaded = Signal()

    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 0, 0, 0)
        self.central_state = label("", "message")
        v.addWidget(self.central_state)
        self.central_hint = label(self.tr(
            "A provisioning file from the central server sets this station's id, the broker, "
            "its password, the certificates and the policy in one step. The file contains a "
            "password: keep it safe and delete it after the import."), "hint")
        v.addWidget(self.central_hint)
        self.central_later = label(self.tr(
            "This step is optional: “Done” goes on to the roster, and this page stays in the "
            "admin area for later."), "hint")
        self.central_later.hide()
        v.addWidget(self.central_later)
        self.prov_choose = button(self.tr("Import a provisioning file…"), "primary",
                                  description=self.tr("Chooses the file from the central "
                                                      "server that sets up this station."))
        self.prov_choose.clicked.connect(self.choose_provisioning)
        v.addWidget(self.prov_choose, 0, Qt.AlignmentFlag.AlignLeft)
        self.prov_box = QFrame()
        self.prov_box.setObjectName("card")
        bv = QVBoxLayout(self.prov_box)
        bv.setContentsMargins(20, 16, 20, 16)
        self.prov_about = label("", "hint")
        self.prov_fp = label("", "fingerprint")
        self.prov_fp.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.prov_ask = label(self.tr(
            "Compare this fingerprint of the central server's signing key with the one its "
            "administrator gave you (on paper or by phone). Import only if every group "
            "matches."), "message")
        row = QHBoxLayout()
        self.prov_reject = button(self.tr("It does not match"), description=self.tr(
            "Refuses the file; nothing is changed."))
        self.prov_reject.clicked.connect(self._provisioning_rejected)
        self.prov_import = button(self.tr("It matches — import"), "primary",
                                  description=self.tr("Imports the settings of the file and "
                                                      "tests the connection."))
        self.prov_import.clicked.connect(self.import_provisioning)
        row.addWidget(self.prov_reject)
        row.addStretch(1)
        row.addWidget(self.prov_import)
        for x in (self.prov_about, self.prov_fp, self.prov_ask):
            bv.addWidget(x)
        bv.addLayout(row)
        self.prov_box.hide()
        v.addWidget(self.prov_box)
        self.prov_result = label("", "message")
        v.addWidget(self.prov_result)
        self.prov_steps = QGridLayout()
        self.prov_steps.setColumnStretch(2, 1)
        v.addLayout(self.prov_steps)
        v.addStretch(1)
        self.prov_file: ProvisionFile | None = None
        self.prov_confirmed = ""  # the key fingerprint the admin said matches
        self.prov_outcome: ImportOutcome | None = None
        # the step report can be long: scroll inside the page rather than clip it
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(w)
        self.column.addWidget(scroll)

    def refresh(self) -> None:
        self._central_refresh()

    def _central_refresh(self) -> None:
        cfg = self.station.config
        if cfg.sync.broker_url:
            self.central_state.setText(self.tr(
                "This station is {id} and sends to {url}.").format(
                    id=cfg.station.id, url=cfg.sync.broker_url))
            self.prov_choose.setText(self.tr("Import a new provisioning file…"))
        else:
            self.central_state.setText(self.tr(
                "No central server is set up yet: enrollments stay on this station."))
            self.prov_choose.setText(self.tr("Import a provisioning file…"))

    def choose_provisioning(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Provisioning file"), str(Path.home()),
            self.tr("Provisioning files (*{suffix} *.kioskprov);;All files (*)").format(
                suffix=FILE_SUFFIX))
        if path:
            self.load_provisioning(Path(path))

    def load_provisioning(self, path: Path) -> None:
        """Read and check the file's signature, then show the key for the admin to compare."""
        self.prov_file = None
        self.prov_box.hide()
        self.central_hint.hide()
        clear_grid(self.prov_steps)
        self.prov_result.setText(self.tr("Checking {name}…").format(name=path.name))
        paths = self.station.paths
        run_async(lambda: read_file(paths, path), self._provisioning_read,
                  self._provisioning_unreadable)

    def _provisioning_unreadable(self, exc: BaseException) -> None:
        self.prov_result.setText(self.tr("✗ This file cannot be used: {e} Nothing was "
                                         "changed.").format(e=error_words(exc)))

    def _provisioning_read(self, f: ProvisionFile) -> None:
        self.prov_file = f
        self.prov_result.clear()
        self.prov_about.setText(self.tr(
            "Signed file for station {id}, broker {url}, issued {at}.").format(
                id=f.station_id, url=f.broker, at=f.issued_at))
        self.prov_fp.setText(f.fingerprint)
        known = f.pinned and f.pinned == f.fingerprint
        if f.pinned and not known:
            self.prov_ask.setText(self.tr(
                "This station already trusts another central key ({pinned}). A file signed by "
                "a different key is refused: it is forged or from another central server.")
                .format(pinned=f.pinned))
        elif known:
            self.prov_ask.setText(self.tr(
                "Signed by the central key this station already trusts."))
        else:
            self.prov_ask.setText(self.tr(
                "Compare this fingerprint of the central server's signing key with the one "
                "its administrator gave you (on paper or by phone). Import only if every "
                "group matches."))
        self.prov_import.setEnabled(not f.pinned or bool(known))
        self.prov_import.setText(self.tr("Import") if known else self.tr("It matches — import"))
        self.prov_reject.setText(self.tr("Cancel") if known else self.tr("It does not match"))
        self.prov_box.show()

    def _provisioning_rejected(self) -> None:
        self.prov_file = None
        self.prov_box.hide()
        self.central_hint.show()
        self.prov_result.setText(self.tr(
            "Not imported. Ask the central server's administrator for the right file and "
            "fingerprint. Nothing was changed."))

    def import_provisioning(self) -> None:
        """The admin confirmed the key: the same import as ``kiosk provision``, off-thread."""
        f = self.prov_file
        if f is None:
            return
        self.prov_box.hide()
        self.prov_confirmed = f.fingerprint
        self.prov_choose.setEnabled(False)
        self.prov_result.setText(self.tr("Importing and testing the connection…"))
        paths = self.station.paths
        run_async(lambda: import_confirmed(paths, f), self._provisioned,
                  lambda e: self._provisioned(ImportOutcome(False, (), str(e))))

    def _show_steps(self, steps: tuple[Step, ...]) -> None:
        clear_grid(self.prov_steps)
        for r, st in enumerate(steps):
            mark = label("✓" if st.ok else "✗", "hint" if st.ok else "error", wrap=False)
            name = label(self.tr(_STEP_NAMES.get(st.name, st.name)), "hint", wrap=False)
            name.setStyleSheet("font-weight: bold")
            text = st.text
            if st.name == "trust" and st.ok and self.prov_confirmed:
                text = self.tr("Signed by central key {fp}, the one you confirmed. From now on "
                               "this station accepts only files signed by it.").format(
                                   fp=self.prov_confirmed)
            self.prov_steps.addWidget(mark, r, 0, Qt.AlignmentFlag.AlignTop)
            self.prov_steps.addWidget(name, r, 1, Qt.AlignmentFlag.AlignTop)
            self.prov_steps.addWidget(label(text, "hint" if st.ok else "error"), r, 2)

    def _provisioned(self, out: ImportOutcome) -> None:
        self.prov_outcome = out
        self.prov_file = None
        self.prov_choose.setEnabled(True)
        self._show_steps(out.steps)
        if not out.ok or out.config is None:
            self.prov_result.setText(self.tr("✗ Not imported: {why} Nothing was changed.")
                                     .format(why=out.refusal))
            return
        self.prov_result.setText(self.tr("Imported. Restarting sync with the new settings…"))
        config = out.config
        run_async(lambda: self.station.reload_config(config), self._sync_reloaded,
                  self._reload_failed)

    def _sync_reloaded(self, _v: object) -> None:
        self.prov_result.setText(self.tr(
            "✓ Imported. Sync now uses the new settings, and the next enrollment uses the new "
            "policy."))
        self._central_refresh()
        self.reloaded.emit()

    def _reload_failed(self, exc: BaseException) -> None:
        self.prov_result.setText(self.tr(
            "Imported, but sync could not restart ({e}). Restart the program to use the new "
            "settings.").format(e=exc))
