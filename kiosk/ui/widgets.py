"""Painted and reusable widgets: the three-step bar, the hand diagram, illustrations, buttons.

Colours come from ``resources/kiosk.qss`` (as ``qproperty-*`` values), never from here.
Every control made here carries an accessible name and description, so a screen reader can
say what it is and what it does.

Long on purpose (about 650 lines): the painted widgets (the three-step bar, the hand diagram,
the illustrations) and the button helpers share the stylesheet's colour properties and the
accessibility helpers defined here; splitting them would spread one visual language over several
files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    Property,
    QByteArray,
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from kiosk.app import Finger
from kiosk.paths import resource_dir
from kiosk.ui.text import finger_name

#: State changes animate briefly and never block input.
ANIMATION_MS = 150

#: The smallest touch target, in pixels (ui-guidelines: ≥ 48 px).
TOUCH_PX = 48

#: Widget property: the widget handles Enter itself (a form field that submits its form), so
#: the window's "Enter = primary action" leaves it alone.
OWNS_ENTER = "ownsEnter"


def resource(name: str) -> Path:
    return resource_dir() / name


def describe(w: QWidget, name: str, description: str = "") -> QWidget:
    """Give ``w`` the words a screen reader says: its name and what it does."""
    w.setAccessibleName(name)
    if description:
        w.setAccessibleDescription(description)
    return w


def button(text: str, role: str = "", parent: QWidget | None = None, *,
           description: str = "") -> QPushButton:
    """A touch-sized button; ``role`` ("primary", "danger") selects its look in the QSS."""
    b = QPushButton(text, parent)
    if role:
        b.setProperty("role", role)
    b.setMinimumHeight(TOUCH_PX)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setAutoDefault(False)
    if description:
        b.setAccessibleDescription(description)
    return b


def compact(combo: QComboBox, chars: int = 12) -> QComboBox:
    """A drop-down list whose width does not grow with its longest item (long translations
    must not push a form off the screen); the open list still shows each item whole."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


class _EnterSubmits(QObject):
    """Takes Enter away from a field and runs the field's own action instead.

    The key event is consumed here, so it never travels on to the window, whose Enter means
    "the screen's primary action" — by then the action may already have changed the screen,
    and the second meaning would press a button on the next one.
    """

    def __init__(self, edit: QWidget, action: Callable[[], None]) -> None:
        super().__init__(edit)
        self._action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._action()
            return True
        return False


def submit_on_enter(edit: QWidget, action: Callable[[], None]) -> None:
    """Enter in ``edit`` runs ``action`` (its form's button), never the screen's primary."""
    edit.setProperty(OWNS_ENTER, True)
    edit.installEventFilter(_EnterSubmits(edit, action))


def set_tone(w: QWidget, tone: str) -> None:
    """Switch a widget's ``tone`` property and make the stylesheet re-apply."""
    if w.property("tone") != tone:
        w.setProperty("tone", tone)
        w.style().unpolish(w)
        w.style().polish(w)


def set_role(w: QWidget, name: str) -> None:
    """Switch a label's stylesheet role (object name) and make the style re-apply."""
    if w.objectName() != name:
        w.setObjectName(name)
        w.style().unpolish(w)
        w.style().polish(w)


def set_busy(b: QPushButton, busy: bool, text: str = "") -> None:
    """Disable ``b`` while its work runs without handing the keyboard focus to the next control.

    Qt moves the focus of a control that becomes disabled to the next one in the tab chain —
    after "Run the self-test" that was "Close the program", one Space away. Here the focus
    parks on the page while the button is busy and comes back to it afterwards.
    """
    if text:
        b.setText(text)
    if busy:
        if b.hasFocus():
            holder = b.parentWidget()
            if holder is not None:
                holder.setFocus(Qt.FocusReason.OtherFocusReason)
            b.setProperty("hadFocus", True)
        b.setEnabled(False)
        return
    b.setEnabled(True)
    if b.property("hadFocus"):
        b.setProperty("hadFocus", False)
        holder = b.parentWidget()
        focus = b.window().focusWidget() if b.window() is not None else None
        if focus is None or focus is holder:
            b.setFocus(Qt.FocusReason.OtherFocusReason)


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
        self.setAccessibleDescription("0 %")

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
LEFT_TO_RIGHT: tuple[Finger, ...] = tuple(Finger(f) for f in (
    "left-little", "left-ring", "left-middle", "left-index", "left-thumb",
    "right-thumb", "right-index", "right-middle", "right-ring", "right-little"))

#: The four long fingers of each hand, left to right on the desk (thumbs are targets apart).
_ROWS: tuple[tuple[Finger, ...], ...] = (LEFT_TO_RIGHT[0:4], LEFT_TO_RIGHT[6:10])

_FILL_RE = r'(id="{id}"[^>]*?fill=")[^"]*(")'


class FingerButton(QAbstractButton):
    """One finger of the hand diagram as a real control.

    The diagram paints the hands; this transparent button lies over one finger, a little wider
    than the drawing so that touch and mouse have a target of at least 48 px, takes the
    keyboard focus (a ring shows where it is) and tells a screen reader which finger it is and
    what state it is in.
    """

    def __init__(self, diagram: HandDiagram, finger: Finger) -> None:
        super().__init__(diagram)
        self.diagram = diagram
        self.finger = finger
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(finger_name(finger).capitalize())

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.hasFocus():
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(self.diagram.focus_colour(), 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(QRectF(self.rect()).adjusted(2, 2, -2, -2), 10, 10)
        p.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1,
                Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
            return
        self.diagram.step(self.finger, step)

    def sizeHint(self) -> QSize:
        return QSize(TOUCH_PX, TOUCH_PX)


class HandDiagram(QWidget):
    """Both hands from ``hands.svg``; fingers are coloured by state and each is a control.

    ``done`` fingers (already enrolled) are green with a check mark: choosing one emits
    :attr:`enrolledChosen` (to re-enroll or remove it) instead of choosing it for a capture.
    ``suggested`` ones are tinted; ``chosen`` is filled with the accent colour and a dot and,
    while ``pulsing``, blinks gently so the person sees which finger the sensor waits for.
    Arrow keys walk across all ten fingers; Space chooses the focused one.
    """

    fingerChosen = Signal(str)
    enrolledChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, interactive: bool = True) -> None:
        super().__init__(parent)
        self._template = resource("hands.svg").read_text(encoding="utf-8")
        self._renderer = QSvgRenderer(self)
        self._interactive = interactive
        self._done: set[str] = set()
        self._suggested: set[str] = set()
        self._chosen: str | None = None
        #: The finger the arrow keys last moved to (enrolled ones are focused, not chosen).
        self._cursor: str | None = None
        self._pulse_on = False
        #: False: free fingers cannot be chosen here (only enrolled ones, to manage them).
        self.free_choosable = True
        self._colors = {
            "idle": QColor("#E9EEF4"), "suggest": QColor("#CFE0F7"),
            "chosen": QColor("#1F5FBF"), "done": QColor("#2E8B4E"), "line": QColor("#5B6B7F"),
            "focus": QColor("#0B3D91"),
        }
        self._timer = QTimer(self)
        self._timer.setInterval(600)
        self._timer.timeout.connect(self._blink)
        self.setMinimumSize(260, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.buttons: dict[Finger, FingerButton] = {}
        if interactive:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            for f in LEFT_TO_RIGHT:
                b = FingerButton(self, f)
                b.clicked.connect(lambda _c=False, f=f: self.activate(f))
                self.buttons[f] = b
            self.setAccessibleName(self.tr("Hand diagram"))
            self.setAccessibleDescription(self.tr(
                "Both hands, palms down. Use the arrow keys to move from finger to finger."))
        else:
            self.setAccessibleName(self.tr("The finger to place"))
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
    focusColor = Property(QColor, lambda s: s._get("focus"), lambda s, c: s._set("focus", c))

    def focus_colour(self) -> QColor:
        return self._colors["focus"]

    def set_state(self, *, done: set[str] | None = None, suggested: set[str] | None = None,
                  chosen: str | None = None) -> None:
        if done is not None:
            self._done = set(done)
        if suggested is not None:
            self._suggested = set(suggested)
        self._chosen = chosen
        self._cursor = None
        self._reload()

    def chosen(self) -> str | None:
        return self._chosen

    def done(self) -> set[str]:
        return set(self._done)

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
        self._describe()
        self.update()

    def _describe(self) -> None:
        """Each finger's state in words, and the keyboard's way in (the chosen finger)."""
        if not self.buttons:
            chosen = finger_name(self._chosen).capitalize() if self._chosen else ""
            self.setAccessibleDescription(chosen)
            return
        first = (self._done if not self.free_choosable and self._done
                 else set(LEFT_TO_RIGHT) - self._done)
        current = self._chosen or next((f for f in LEFT_TO_RIGHT if f in first),
                                       LEFT_TO_RIGHT[0])
        for f, b in self.buttons.items():
            if f in self._done:
                state = self.tr("enrolled. Press Space to enroll it again or remove it.")
            elif not self.free_choosable:
                state = self.tr("not enrolled.")
            elif f == self._chosen:
                state = self.tr("chosen for the capture.")
            elif f in self._suggested:
                state = self.tr("recommended. Press Space to choose it.")
            else:
                state = self.tr("not enrolled. Press Space to choose it.")
            b.setAccessibleDescription(state)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus if f == current
                             else Qt.FocusPolicy.ClickFocus)

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
        """The finger's drawn bounding box in widget coordinates."""
        vb = self._renderer.viewBoxF()
        t = self._target()
        r = self._renderer.transformForElement(finger).mapRect(
            self._renderer.boundsOnElement(finger))
        sx = t.width() / vb.width()
        return QRectF(t.x() + r.x() * sx, t.y() + r.y() * sx, r.width() * sx, r.height() * sx)

    def hit_rect(self, finger: str) -> QRectF:
        """Where a tap chooses ``finger``: the drawing widened to the middle of the gaps to its
        neighbours (and never smaller than a 48 px touch target); a thumb's target starts
        below its hand's fingers, so no two targets overlap."""
        f = Finger(finger)
        r = self.finger_rect(f)
        for row in _ROWS:
            if f in row:
                return self._row_target(row, f, r)
        row = _ROWS[0] if f is Finger.LEFT_THUMB else _ROWS[1]
        fingers_end = max(self._row_target(row, x, self.finger_rect(x)).bottom() for x in row)
        r = self._grown(r)
        if r.top() < fingers_end:
            r.setTop(fingers_end)
        return r

    def _row_target(self, row: tuple[Finger, ...], f: Finger, r: QRectF) -> QRectF:
        rects = [self.finger_rect(x) for x in row]
        i = row.index(f)
        half_gap = (rects[1].left() - rects[0].right()) / 2
        left = (rects[i - 1].right() + r.left()) / 2 if i > 0 else r.left() - half_gap
        right = (r.right() + rects[i + 1].left()) / 2 if i < len(row) - 1 \
            else r.right() + half_gap
        return self._grown(QRectF(left, r.top() - half_gap, right - left,
                                  r.height() + half_gap))

    @staticmethod
    def _grown(r: QRectF) -> QRectF:
        grow_w = max(0.0, TOUCH_PX - r.width()) / 2
        grow_h = max(0.0, TOUCH_PX - r.height()) / 2
        return r.adjusted(-grow_w, -grow_h, grow_w, grow_h)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for f, b in self.buttons.items():
            r = self.hit_rect(f)  # edges rounded, not widened: neighbours share no pixel
            b.setGeometry(QRect(QPoint(round(r.left()), round(r.top())),
                                QPoint(round(r.right()) - 1, round(r.bottom()) - 1)))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        t = self._target()
        self._renderer.render(p, t)
        self._paint_marks(p)
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

    def _paint_marks(self, p: QPainter) -> None:
        """A check mark on enrolled fingers and a dot on the chosen one: the state does not
        depend on telling green from blue."""
        white = QColor("#FFFFFF")
        for f in Finger:
            r = self.finger_rect(f)
            side = min(r.width(), r.height()) * 0.5
            c = r.center()
            if f in self._done:
                pen = QPen(white, max(2.0, side / 6))
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                p.setPen(pen)
                p.drawPolyline([QPointF(c.x() - side / 2, c.y()),
                                QPointF(c.x() - side / 8, c.y() + side / 3),
                                QPointF(c.x() + side / 2, c.y() - side / 3)])
            elif f == self._chosen and not self._pulse_on:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(white)
                p.drawEllipse(c, side / 4, side / 4)

    def activate(self, finger: str) -> None:
        """What a tap or Space does: choose a free finger, or ask to manage an enrolled one."""
        if not self._interactive:
            return
        if finger in self._done:
            self.enrolledChosen.emit(finger)
            return
        if not self.free_choosable:
            return
        self._chosen = finger
        self._reload()
        self.fingerChosen.emit(finger)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._interactive:
            return
        pos = event.position()
        for finger in LEFT_TO_RIGHT:
            if self.hit_rect(finger).contains(pos):
                self.activate(finger)
                return

    def step(self, start: str | None, step: int) -> None:
        """Arrow keys: move to the next finger on the desk; a free finger is chosen on the way,
        an enrolled one only gets the focus (Space then offers to manage it)."""
        if not self._interactive:
            return
        order = list(LEFT_TO_RIGHT)
        i = order.index(Finger(start)) + step if start in order else 0
        finger = order[i % len(order)]
        self._cursor = finger
        self.buttons[finger].setFocus(Qt.FocusReason.TabFocusReason)
        if finger not in self._done and self.free_choosable:
            self._chosen = finger
            self._reload()
            self.fingerChosen.emit(finger)

    def focus_finger(self) -> None:
        """Put the keyboard focus on the chosen finger (or the first free one)."""
        if not self.buttons:
            return
        first = (self._done if not self.free_choosable and self._done
                 else set(LEFT_TO_RIGHT) - self._done)
        f = self._chosen or next((x for x in LEFT_TO_RIGHT if x in first), LEFT_TO_RIGHT[0])
        self.buttons[Finger(f)].setFocus(Qt.FocusReason.TabFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrow keys on the diagram itself start from the chosen finger."""
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1,
                Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if not self._interactive or step is None:
            super().keyPressEvent(event)
            return
        self.step(self._cursor or self._chosen, step)

    def cursor_finger(self) -> str | None:
        """Where the arrow keys are (the chosen finger until they move)."""
        return self._cursor or self._chosen

    def sizeHint(self) -> QSize:
        return QSize(660, 300)


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
