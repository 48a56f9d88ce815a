"""Render the program and setup icons (resources/icons/*.svg) into Windows .ico files.

    python installer/make_icons.py          # rewrites resources/icons/kiosk.ico and setup.ico
    python installer/make_icons.py --check  # exit 1 if an .ico is older than its drawing

Qt's SVG renderer draws each size on its own (small sizes stay crisp); the .ico holds them as
PNG images, which Windows reads since Vista. The .ico files are committed so a build needs no
display and no extra tools.
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, b"PNG")
    return bytes(data.data())


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICONDIR with one PNG entry per size (0 in the size byte means 256)."""
    out = io.BytesIO()
    out.write(struct.pack("<HHH", 0, 1, len(images)))
    offset = 6 + 16 * len(images)
    for size, png in images:
        dim = 0 if size >= 256 else size
        out.write(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset))
        offset += len(png)
    for _, png in images:
        out.write(png)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check the .ico files are current")
    args = ap.parse_args(argv)
    stale = []
    for svg in sorted(ICONS.glob("*.svg")):
        target = svg.with_suffix(".ico")
        if args.check:
            if not target.exists() or target.stat().st_mtime < svg.stat().st_mtime:
                stale.append(target.name)
            continue
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QGuiApplication

        _app = QGuiApplication.instance() or QGuiApplication([])
        target.write_bytes(ico([(s, render_png(svg, s)) for s in SIZES]))
        print(f"wrote {target.relative_to(ICONS.parent.parent)}")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
