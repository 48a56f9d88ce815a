"""Accessibility: every control named and described for a screen reader (through Qt's own
accessibility layer, as a reader would ask), each finger of the hand diagram a named control,
and every text colour of the stylesheet at a contrast of at least 4.5:1."""

from __future__ import annotations

import re

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.app import Finger, Station
from kiosk.ui.main_window import MainWindow
from kiosk.ui.text import finger_name
from kiosk.ui.widgets import resource

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
            QPlainTextEdit, QTabBar)


def _internal(w: QWidget) -> bool:
    """Parts Qt builds inside a control (a list's viewport, a spin box's line edit…)."""
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QComboBox | QAbstractSpinBox | QAbstractItemView | QLineEdit | QTabBar):
            return True
        p = p.parentWidget()
    return w.objectName().startswith("qt_")


def _words(w: QWidget) -> tuple[str, str]:
    iface = QAccessible.queryAccessibleInterface(w)
    assert iface is not None, w
    return iface.text(QAccessible.Text.Name), iface.text(QAccessible.Text.Description)


def controls(root: QWidget) -> list[QWidget]:
    """Every control a person can meet (a button slot a screen never fills is left out)."""
    found: list[QWidget] = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or _internal(w):
            continue
        unused = isinstance(w, QAbstractButton) and not w.text() and not w.isVisibleTo(root)
        if not unused:
            found.append(w)
    return found


def _undescribed(root: QWidget) -> list[tuple[str, str, str]]:
    missing = []
    for w in controls(root):
        name, description = _words(w)
        if not name.strip() or not description.strip():
            where = type(w.window()).__name__
            missing.append((type(w).__name__, name or w.objectName(), where))
    return missing


def test_every_control_has_a_name_and_a_description(qtbot: QtBot, window: MainWindow) -> None:
    # Once the screens have read what they show (the operators for signing in)…
    qtbot.waitUntil(lambda: window.signin.name_combo.count() > 0, timeout=10_000)
    assert _undescribed(window) == []


def test_controls_are_described_before_anything_is_read(qtbot: QtBot, station: Station) -> None:
    """…and at once, before any event is handled: what a screen reader meets first."""
    fresh = MainWindow(station, simulate=True)
    qtbot.addWidget(fresh)
    assert fresh.signin.name_combo.count() == 0  # nothing read yet
    assert _undescribed(fresh) == []


def test_each_finger_is_a_named_control(qtbot: QtBot, window: MainWindow) -> None:
    hands = window.fingers.hands
    hands.set_state(done={"left-index"}, suggested={"right-index"}, chosen="right-middle")
    iface = QAccessible.queryAccessibleInterface(hands)
    assert iface is not None
    names = {}
    for i in range(iface.childCount()):
        child = iface.child(i)
        names[child.text(QAccessible.Text.Name)] = child.text(QAccessible.Text.Description)
    for f in Finger:
        assert finger_name(f).capitalize() in names, f
    assert names["Left index finger"].startswith("enrolled")
    assert names["Right middle finger"] == "chosen for the capture."
    assert names["Right index finger"].startswith("recommended")
    # the keyboard reaches the diagram at the chosen finger (one tab stop, arrows inside)
    stops = [b for b in hands.buttons.values() if b.focusPolicy().value & 1]
    assert [b.finger for b in stops] == [Finger.RIGHT_MIDDLE]


# -- contrast ------------------------------------------------------------------------------------

_RULE = re.compile(r"([^{}]+)\{([^}]*)\}")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: Where a rule without a background of its own is drawn: the containers' backgrounds.
_CONTAINERS = (("#topBar", "#FFFFFF"), ("#statusBar", "#FFFFFF"), ("#card", "#FFFFFF"),
               ("#simPanel", "#FBE6F3"), ("#confirm", "#FFF1D6"), ("#idleBanner", "#FFF1D6"),
               ("QTableWidget", "#FFFFFF"), ("#sectionList", "#FFFFFF"),
               ("#notice", "#FFFFFF"))
_PAGE = "#F4F6F8"


def _rules() -> list[tuple[str, dict[str, str]]]:
    text = re.sub(r"/\*.*?\*/", "", resource("kiosk.qss").read_text(encoding="utf-8"), flags=re.S)
    out = []
    for selectors, body in _RULE.findall(text):
        props = {}
        for decl in body.split(";"):
            if ":" in decl:
                k, v = decl.split(":", 1)
                props[k.strip()] = v.strip()
        for sel in selectors.split(","):
            out.append((sel.strip(), props))
    return out


def _background(selector: str, props: dict[str, str]) -> list[str]:
    own = _COLOUR.findall(props.get("background", "") + props.get("background-color", "")
                          + props.get("selection-background-color", ""))
    if own and "gradient" not in props.get("background", ""):
        return own[:1]
    for container, colour in _CONTAINERS:
        if container in selector:
            return [colour]
    if selector.startswith("QPushButton[tone"):  # status bar words, also on its hover
        return ["#FFFFFF", "#EDF1F5"]
    return [_PAGE, "#FFFFFF"]  # page background, or a white field/card


def test_every_text_colour_has_a_contrast_of_at_least_4_5(qtbot: QtBot) -> None:
    checked, low = 0, []
    for selector, props in _rules():
        for key in ("color", "selection-color"):
            colour = _COLOUR.findall(props.get(key, ""))
            if not colour:
                continue
            backgrounds = (_COLOUR.findall(props.get("selection-background-color", ""))
                           if key == "selection-color" else _background(selector, props))
            for bg in backgrounds:
                checked += 1
                ratio = contrast(colour[0], bg)
                if ratio < 4.5:
                    low.append((selector, colour[0], bg, round(ratio, 2)))
    assert checked > 40
    assert low == []


def test_painted_text_and_marks_have_contrast_too() -> None:
    # the hand labels (HandDiagram color) on the page, the bar's step numbers, the white
    # marks on the chosen and enrolled fingers, the simulated banner
    assert contrast("#44505E", _PAGE) >= 4.5
    assert contrast("#1B2430", _PAGE) >= 4.5
    assert contrast("#FFFFFF", "#1F5FBF") >= 4.5
    assert contrast("#FFFFFF", "#2E8B4E") >= 3.0  # a graphic mark: WCAG 1.4.11, 3:1
    assert contrast("#FFFFFF", "#B0006E") >= 4.5
