"""What a person sees on a screenshot of the desk GUI, measured without OCR.

The checks rest on the kiosk's own stylesheet (resources/kiosk.qss), not on fonts or exact
positions, so they hold for Qt's Windows backend under Wine and for any screen size:

* the SIMULATED banner: a full-width band in the sensor-simulation magenta at the top;
* the primary action: one large button in the action blue;
* the form: how many white input fields (QLineEdit/QComboBox) the centre column holds. The
  sign-in screen has two (operator, PIN); creating the first administrator has three (name,
  PIN, PIN again); an error page or an empty window has none;
* the page background colour covering most of the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAGENTA = (0xB0, 0x00, 0x6E)  # #simBanner
BLUE = (0x1F, 0x5F, 0xBF)  # QPushButton[role="primary"]
PAGE = (0xF4, 0xF6, 0xF8)  # QWidget background
WHITE = (0xFF, 0xFF, 0xFF)  # QLineEdit / QComboBox background


@dataclass(frozen=True)
class Findings:
    width: int
    height: int
    banner_rows: int
    button_box: tuple[int, int, int, int] | None  # x0, y0, x1, y1 of the blue button
    fields: int
    page_share: float

    def describe(self) -> str:
        return (f"{self.width}x{self.height}: banner rows {self.banner_rows}, primary button "
                f"{self.button_box}, {self.fields} input field(s), page colour "
                f"{self.page_share:.0%}")


def analyse(path: Path) -> Findings:
    from PySide6.QtGui import QImage

    img = QImage(str(path))
    if img.isNull():
        raise ValueError(f"cannot read {path}")
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    data = bytes(img.constBits())
    rows = [data[y * bpl : y * bpl + 3 * w] for y in range(h)]
    magenta, blue, page, white = (bytes(c) for c in (MAGENTA, BLUE, PAGE, WHITE))

    banner_rows = sum(1 for row in rows[:120] if row.count(magenta) >= 0.9 * w)

    # The primary button: the tallest block of consecutive rows with 100+ pixels of its blue
    # (its label only thins them out; a focused field's 2-3 px frame line is not a button).
    box = None
    blocks: list[list[int]] = []
    for y in range(h // 8, h):
        if rows[y].count(blue) >= 100:
            if blocks and blocks[-1][-1] == y - 1:
                blocks[-1].append(y)
            else:
                blocks.append([y])
    tallest = max(blocks, key=len, default=[])
    if len(tallest) >= 30:
        xs = [rows[y].find(blue) // 3 for y in tallest]
        ends = [rows[y].rfind(blue) // 3 for y in tallest]
        box = (min(xs), tallest[0], max(ends), tallest[-1])

    # Input fields: blocks of 25+ consecutive rows with a 200 px white run in the centre column.
    x0, x1 = int(w * 0.15) * 3, int(w * 0.80) * 3
    fields = block = 0
    for y in range(h // 8, h):
        if white * 200 in rows[y][x0:x1]:
            block += 1
            continue
        if block >= 25:
            fields += 1
        block = 0
    share = sum(row.count(page) for row in rows[h // 8 :]) / max(w * (h - h // 8), 1)
    return Findings(w, h, banner_rows, box, fields, share)
