"""Painted and reusable widgets: the three-step bar, the hand diagram, illustrations, buttons.

Colours come from ``resources/kiosk.qss`` (as ``qproperty-*`` values), never from here.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import (
    Property,
    QByteArray,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from kiosk.app import Finger
from kiosk.paths import resource_dir

#: State changes animate briefly and never block input.
ANIMATION_MS = 150


def resource(name: str) -> Path:
    return resource_dir() / name


def button(text: str, role: str = "", parent: QWidget | None = None) -> QPushButton:
    """A touch-sized button; ``role`` ("primary", "danger") selects its look in the QSS."""
    b = QPushButton(text, parent)
    if role:
        b.setProperty("role", role)
    b.setMinimumHeight(48)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    return b


def set_tone(w: QWidget, tone: str) -> None:
    """Switch a widget's ``tone`` property and make the stylesheet re-apply."""
    if w.property("tone") != tone:
        w.setProperty("tone", tone)
        w.style().unpolish(w)
        w.style().polish(w)


class SegmentedProgress(QWidget):
    """Three segments, one per capture, with a mark at each step; ``value`` is 0..100."""

    valueChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None, steps: int = 3) -> None:
        super().__init__(parent)
        self._value = 0
        self._shown = 0.0  # what is painted: follows _value in a short animation
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(ANIMATION_MS)
        self._anim.valueChanged.connect(self._animate)
        self._steps = steps
        self._fill = QColor("#1F5FBF")
        self._track = QColor("#DCE3EB")
        self._mark = QColor("#1B2430")
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Capture progress"))

    def value(self) -> int:
        return self._value

    def setValue(self, value: int) -> None:
        value = max(0, min(100, value))
        if value != self._value:
            self._value = value
            self.setAccessibleDescription(f"{value} %")
            self._anim.stop()
            if value < self._shown or not self.isVisible():
                self._shown = float(value)  # going back (a restart) is not animated
                self.update()
            else:
                self._anim.setStartValue(self._shown)
                self._anim.setEndValue(float(value))
                self._anim.start()
            self.valueChanged.emit(value)

    def _animate(self, v: object) -> None:
        self._shown = float(v)  # type: ignore[arg-type]
        self.update()

    def steps_done(self) -> int:
        """Segments that are completely filled (what a glance from across the desk sees)."""
        return min(self._steps, self._value * self._steps // 99) if self._value < 100 \
            else self._steps

    def _get_fill(self) -> QColor:
        return self._fill

    def _set_fill(self, c: QColor) -> None:
        self._fill = QColor(c)
        self.update()

    def _get_track(self) -> QColor:
        return self._track

    def _set_track(self, c: QColor) -> None:
        self._track = QColor(c)
        self.update()

    def _get_mark(self) -> QColor:
        return self._mark

    def _set_mark(self, c: QColor) -> None:
        self._mark = QColor(c)
        self.update()

    fillColor = Property(QColor, _get_fill, _set_fill)
    trackColor = Property(QColor, _get_track, _set_track)
    markColor = Property(QColor, _get_mark, _set_mark)

    def sizeHint(self) -> QSize:
        return QSize(600, 72)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        gap = 10.0
        h = 36.0
        top = 4.0
        seg_w = (self.width() - gap * (self._steps - 1)) / self._steps
        # 33 % and 66 % are whole steps (the engine reports 100*step//3), so divide by 99
        filled = min(float(self._steps), self._shown * self._steps / 99.0)
        font = QFont(self.font())
        font.setPointSize(12)
        font.setBold(True)
        p.setFont(font)
        for i in range(self._steps):
            x = i * (seg_w + gap)
            rect = QRectF(x, top, seg_w, h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._track)
            p.drawRoundedRect(rect, 8, 8)
            part = max(0.0, min(1.0, filled - i))
            if part > 0:
                p.setBrush(self._fill)
                p.drawRoundedRect(QRectF(x, top, seg_w * part, h), 8, 8)
            # step mark: a numbered tick under the end of each segment
            p.setPen(QPen(self._mark, 2))
            end = x + seg_w
            p.drawLine(QPointF(end - 1, top + h + 2), QPointF(end - 1, top + h + 8))
            p.drawText(QRectF(x, top + h + 6, seg_w - 6, 22),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                       f"{i + 1}/{self._steps}")
        p.end()


#: Fingers as they lie on the desk, palms down, from the left edge to the right.
_LEFT_TO_RIGHT = ("left-little", "left-ring", "left-middle", "left-index", "left-thumb",
                  "right-thumb", "right-index", "right-middle", "right-ring", "right-little")

_FILL_RE = r'(id="{id}"[^>]*?fill=")[^"]*(")'


class HandDiagram(QWidget):
    """Both hands from ``hands.svg``; fingers are coloured by state and selectable by click.

    ``done`` fingers (already enrolled) cannot be chosen; ``suggested`` ones are tinted;
    ``chosen`` is filled with the accent colour and, while ``pulsing``, blinks gently so the
    person sees which finger the sensor waits for.
    """

    fingerChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, interactive: bool = True) -> None:
        super().__init__(parent)
        self._template = resource("hands.svg").read_text(encoding="utf-8")
        self._renderer = QSvgRenderer(self)
        self._interactive = interactive
        self._done: set[str] = set()
        self._suggested: set[str] = set()
        self._chosen: str | None = None
        self._pulse_on = False
        self._colors = {
            "idle": QColor("#E9EEF4"), "suggest": QColor("#CFE0F7"),
            "chosen": QColor("#1F5FBF"), "done": QColor("#2E8B4E"), "line": QColor("#5B6B7F"),
        }
        self._timer = QTimer(self)
        self._timer.setInterval(600)
        self._timer.timeout.connect(self._blink)
        self.setMinimumSize(260, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if interactive:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._reload()

    # colour properties (set from the QSS as qproperty-*)
    def _get(self, key: str) -> QColor:
        return self._colors[key]

    def _set(self, key: str, c: QColor) -> None:
        self._colors[key] = QColor(c)
        self._reload()

    idleColor = Property(QColor, lambda s: s._get("idle"), lambda s, c: s._set("idle", c))
    suggestColor = Property(QColor, lambda s: s._get("suggest"),
                            lambda s, c: s._set("suggest", c))
    chosenColor = Property(QColor, lambda s: s._get("chosen"), lambda s, c: s._set("chosen", c))
    doneColor = Property(QColor, lambda s: s._get("done"), lambda s, c: s._set("done", c))
    lineColor = Property(QColor, lambda s: s._get("line"), lambda s, c: s._set("line", c))

    def set_state(self, *, done: set[str] | None = None, suggested: set[str] | None = None,
                  chosen: str | None = None) -> None:
        if done is not None:
            self._done = set(done)
        if suggested is not None:
            self._suggested = set(suggested)
        self._chosen = chosen
        self._reload()

    def chosen(self) -> str | None:
        return self._chosen

    def set_pulsing(self, on: bool) -> None:
        if on and not self._timer.isActive():
            self._timer.start()
        elif not on:
            self._timer.stop()
            self._pulse_on = False
            self._reload()

    def is_pulsing(self) -> bool:
        return self._timer.isActive()

    def _blink(self) -> None:
        self._pulse_on = not self._pulse_on
        self._reload()

    def _fill_for(self, finger: str) -> QColor:
        if finger in self._done:
            return self._colors["done"]
        if finger == self._chosen:
            return self._colors["suggest"] if self._pulse_on else self._colors["chosen"]
        if finger in self._suggested and self._interactive:
            return self._colors["suggest"]
        return self._colors["idle"]

    def _reload(self) -> None:
        svg = self._template.replace("#5B6B7F", self._colors["line"].name())
        for finger in Finger:
            colour = self._fill_for(finger).name()
            svg = re.sub(_FILL_RE.format(id=finger), rf"\g<1>{colour}\g<2>", svg)
        self._renderer.load(QByteArray(svg.encode("utf-8")))
        self.update()

    def _label_height(self) -> int:
        return self.fontMetrics().height() + 6 if self._interactive else 0

    def _target(self) -> QRectF:
        """Where the SVG is drawn: centred, aspect ratio kept, room for the hand labels."""
        vb = self._renderer.viewBoxF()
        avail_h = self.height() - self._label_height()
        scale = min(self.width() / vb.width(), avail_h / vb.height())
        w, h = vb.width() * scale, vb.height() * scale
        return QRectF((self.width() - w) / 2, (avail_h - h) / 2, w, h)

    def finger_rect(self, finger: str) -> QRectF:
        """The finger's bounding box in widget coordinates (for clicks and for tests)."""
        vb = self._renderer.viewBoxF()
        t = self._target()
        r = self._renderer.transformForElement(finger).mapRect(
            self._renderer.boundsOnElement(finger))
        sx = t.width() / vb.width()
        return QRectF(t.x() + r.x() * sx, t.y() + r.y() * sx, r.width() * sx, r.height() * sx)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        t = self._target()
        self._renderer.render(p, t)
        if self._interactive:
            # "Left hand" / "Right hand" under each palm (the person's own left and right)
            p.setPen(self.palette().color(self.foregroundRole()))
            y = t.bottom() + 2
            half = t.width() / 2
            flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            p.drawText(QRectF(t.left(), y, half, self._label_height()), flags,
                       self.tr("Left hand"))
            p.drawText(QRectF(t.left() + half, y, half, self._label_height()), flags,
                       self.tr("Right hand"))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._interactive:
            return
        pos = event.position()
        for finger in Finger:
            if finger not in self._done and self.finger_rect(finger).contains(pos):
                self._chosen = finger
                self._reload()
                self.fingerChosen.emit(finger)
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrow keys move the choice across the fingers (left little … right little)."""
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1,
                Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if not self._interactive or step is None:
            super().keyPressEvent(event)
            return
        order = [f for f in _LEFT_TO_RIGHT if f not in self._done]
        if not order:
            return
        i = order.index(self._chosen) + step if self._chosen in order else 0
        finger = order[i % len(order)]
        self._chosen = finger
        self._reload()
        self.fingerChosen.emit(finger)

    def sizeHint(self) -> QSize:
        return QSize(560, 300)


class Illustration(QWidget):
    """One of the state pictures (place / lift / working), scaled to fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderer = QSvgRenderer(self)
        self._name = ""
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_picture(self, name: str) -> None:
        if name != self._name:
            self._name = name
            self._renderer.load(str(resource(f"{name}.svg")))
            self.update()

    def picture(self) -> str:
        return self._name

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._name:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        self._renderer.render(p, QRectF((self.width() - side) / 2, (self.height() - side) / 2,
                                        side, side))
        p.end()
