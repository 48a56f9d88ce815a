"""Finding text that does not fit: a label cut off at the bottom, a button's words wider than
the button. Used by the layout tests and by ``scripts/screenshots.py`` (which lists what it
finds next to the pictures)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QWidget


def _where(w: QWidget) -> str:
    names: list[str] = []
    p: QWidget | None = w
    while p is not None and len(names) < 3:
        names.append(type(p).__name__)
        p = p.parentWidget()
    return "/".join(reversed(names))


def clipped(root: QWidget) -> list[str]:
    """Every visible label or button under ``root`` whose text does not fit it."""
    out = []
    for lab in root.findChildren(QLabel):
        if not lab.isVisibleTo(root) or not lab.text() or lab.width() <= 1:
            continue
        if lab.wordWrap():
            need = lab.heightForWidth(lab.width())
            if need > lab.height() + 2:
                out.append(f"{_where(lab)}: {lab.text()[:60]!r} needs {need} px, has "
                           f"{lab.height()}")
        elif lab.sizeHint().width() > lab.width() + 2:
            out.append(f"{_where(lab)}: {lab.text()[:60]!r} needs {lab.sizeHint().width()} "
                       f"px wide, has {lab.width()}")
    for b in root.findChildren(QAbstractButton):
        if not isinstance(b, QPushButton) or not b.isVisibleTo(root) or not b.text():
            continue
        text_w = b.fontMetrics().horizontalAdvance(b.text())
        if text_w > b.width() - 8:
            out.append(f"{_where(b)}: button {b.text()!r} needs {text_w} px, has {b.width()}")
    return out


__all__ = ["clipped"]
