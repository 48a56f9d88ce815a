"""Real translations: every string of the desk is in the .ts files and translated, the
compiled .qm files are the ones the .ts make, the desk speaks French and Spanish from the
operator's language picker, and the consent notice follows the person's language with its
own version."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.app import Station
from kiosk.paths import resource_dir
from kiosk.ui.i18n import CODES, translations
from kiosk.ui.main_window import MainWindow

from .conftest import WAIT_MS, find, sign_in

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LANGUAGES = [c for c in CODES if c != "en"]


def _messages(ts: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(context, source) → (translation, type) of every message in ``ts``."""
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr = m.find("translation")
            assert tr is not None
            out[(name, m.findtext("source") or "")] = (tr.text or "", tr.get("type", ""))
    return out


def _sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for base in ("kiosk/ui", "kiosk/app")
                  for p in (ROOT / base).rglob("*.py"))


@pytest.fixture
def in_language() -> Iterator[None]:
    yield
    translations.use("en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_in_the_ts_file_and_translated(lang: str, tmp_path: Path) -> None:
    committed = resource_dir() / "i18n" / f"kiosk_{lang}.ts"
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)
    subprocess.run([str(BIN / "pyside6-lupdate"), *_sources(), "-locations", "none",
                    "-no-obsolete", "-ts", str(fresh)], cwd=ROOT, check=True,
                   capture_output=True)
    now, before = _messages(fresh), _messages(committed)
    assert set(now) == set(before), "run `make translations`: the strings changed"
    untranslated = [k for k, (text, kind) in now.items() if not text or kind]
    assert untranslated == []
    assert len(now) > 650
    # the catalogue of kiosk.app.wording is in it, with its context
    assert ("kiosk", "Place your {finger} on the sensor") in now


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_qm_file_is_built_from_the_ts_file(lang: str, tmp_path: Path) -> None:
    ts = resource_dir() / "i18n" / f"kiosk_{lang}.ts"
    qm = tmp_path / f"kiosk_{lang}.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True,
                   capture_output=True)
    assert qm.read_bytes() == (resource_dir() / "i18n" / qm.name).read_bytes()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang: str) -> None:
    import re

    for (_ctx, src), (text, _kind) in _messages(resource_dir() / "i18n" /
                                                f"kiosk_{lang}.ts").items():
        assert sorted(re.findall(r"\{\w*\}", src)) == sorted(re.findall(r"\{\w*\}", text)), src


def _english_left(w: MainWindow, lang: str) -> list[str]:
    english = {src for (_c, src), (text, _k) in
               _messages(resource_dir() / "i18n" / f"kiosk_{lang}.ts").items()
               if text != src and "{" not in src}
    return [x.text() for x in w.findChildren(QLabel) + w.findChildren(QPushButton)
            if x.isVisibleTo(w) and x.text() in english]


@pytest.mark.usefixtures("in_language")
def test_the_operator_picks_spanish_and_the_notice_follows(qtbot: QtBot, window: MainWindow,
                                                           station: Station) -> None:
    w = window
    qtbot.waitUntil(lambda: w.signin.name_combo.count() > 0, timeout=WAIT_MS)
    assert w.signin.title.text() == "Sign in"
    w.signin.language.setCurrentIndex(w.signin.language.findData("es"))
    w.signin.language.activated.emit(w.signin.language.currentIndex())
    qtbot.waitUntil(lambda: w.signin.title.text() == "Iniciar sesión", timeout=WAIT_MS)
    assert w.topbar.station.text() == station.config.station.name
    assert _english_left(w, "es") == []
    sign_in(qtbot, w)
    assert w.search.title.text() == "Buscar a la persona"
    find(qtbot, w, "Chen")
    w.search.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.consent, timeout=WAIT_MS)
    c = w.consent
    assert c.notice.text().startswith("Guardaremos una plantilla")
    assert c.version.text() == "Versión del aviso 2026-1-es"
    assert _english_left(w, "es") == []
    # the person reads French instead: the notice and its version follow
    c.notice_language.setCurrentIndex(c.notice_language.findData("fr"))
    c.notice_language.activated.emit(c.notice_language.currentIndex())
    assert c.notice.text().startswith("Nous conservons")
    c.method_buttons["on-screen"].click()
    c.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    record = station.desk.person("S-1003").consent
    assert record is not None
    assert (record.language, record.notice_version) == ("fr", "2026-1-fr")
    assert w.fingers.choice.text() == "Elegido: índice derecho"
    assert _english_left(w, "es") == []


@pytest.mark.usefixtures("in_language")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_english_is_left_on_the_screens(qtbot: QtBot, station: Station, lang: str) -> None:
    from .conftest import make_window

    translations.use(lang)
    w = make_window(qtbot, station)
    leftovers = {}
    for screen in w.screens():
        w.stack.setCurrentWidget(screen)
        left = _english_left(w, lang)
        if left:
            leftovers[type(screen).__name__] = left
    assert leftovers == {}
