"""The desk's languages: our translations (``resources/i18n/kiosk_<code>.qm``, built from the
``.ts`` files by ``make translations``) and Qt's own for its standard dialogs.

The operator picks the language on the sign-in screen; the station's default comes from
``[ui] language`` (empty: the system's language when we have it, else English).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kiosk.paths import resource_dir

log = logging.getLogger(__name__)

#: Languages the desk speaks, each named in itself (so anyone finds their own).
LANGUAGES: tuple[tuple[str, str], ...] = (("en", "English"), ("fr", "Français"),
                                          ("es", "Español"))
CODES = tuple(code for code, _name in LANGUAGES)


def resolve(code: str) -> str:
    """A language we ship: ``code`` (or its first two letters), the system's, or English."""
    wanted = (code, code[:2]) if code else (QLocale.system().name()[:2],)
    return next((c for c in wanted if c in CODES), "en")


class Translations:
    """The translators installed in the application; :meth:`use` swaps them."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []
        self.language = "en"

    def use(self, code: str) -> str:
        """Switch to ``code`` (resolved as :func:`resolve` does); returns the language used."""
        app = QCoreApplication.instance()
        lang = resolve(code)
        if app is None:
            return lang
        for t in self._installed:
            app.removeTranslator(t)
        self._installed.clear()
        if lang != "en":
            ours = QTranslator(app)
            if ours.load(str(resource_dir() / "i18n" / f"kiosk_{lang}.qm")):
                app.installTranslator(ours)
                self._installed.append(ours)
            else:
                log.warning("no translation file for %s; the desk stays in English", lang)
                lang = "en"
        if lang != "en":
            qt = QTranslator(app)
            if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.
                                                           TranslationsPath)):
                app.installTranslator(qt)
                self._installed.append(qt)
        QLocale.setDefault(QLocale(lang))
        self.language = lang
        return lang


#: The one set of translators of the desk's QApplication.
translations = Translations()

__all__ = ["CODES", "LANGUAGES", "Translations", "resolve", "translations"]
