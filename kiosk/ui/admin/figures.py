"""Figures page: what the desk did — enrollments per day and per operator, failure to enroll,
time per enrollment, retries per capture and their reasons, the checks after enrollment.
The same numbers as ``kiosk report`` (:mod:`kiosk.app.report`)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kiosk.app import Station, report
from kiosk.app.report import Count, Figures
from kiosk.app.wording import QT_TRANSLATE_NOOP
from kiosk.ui.admin.common import ActorFn, Page, error_words, table
from kiosk.ui.screens.base import label
from kiosk.ui.widgets import button, describe
from kiosk.ui.worker import run_async

#: Retry and failure codes in the words of the desk (the codes stay in the CSV and JSON).
REASON_WORDS = {
    "image-failed": QT_TRANSLATE_NOOP("FiguresPage", "not read"),
    "too-dry": QT_TRANSLATE_NOOP("FiguresPage", "too faint"),
    "too-wet": QT_TRANSLATE_NOOP("FiguresPage", "smudged"),
    "messy": QT_TRANSLATE_NOOP("FiguresPage", "unclear"),
    "too-few-features": QT_TRANSLATE_NOOP("FiguresPage", "not flat enough"),
    "not-same-finger": QT_TRANSLATE_NOOP("FiguresPage", "another finger"),
    "low-quality": QT_TRANSLATE_NOOP("FiguresPage", "weak match"),
    "merge-failed": QT_TRANSLATE_NOOP("FiguresPage", "did not fit together"),
    "verify-failed": QT_TRANSLATE_NOOP("FiguresPage", "third press did not match"),
    "no-finger": QT_TRANSLATE_NOOP("FiguresPage", "no finger placed"),
    "finger-not-lifted": QT_TRANSLATE_NOOP("FiguresPage", "finger not lifted"),
    "duplicate": QT_TRANSLATE_NOOP("FiguresPage", "already registered"),
    "unplugged": QT_TRANSLATE_NOOP("FiguresPage", "sensor unplugged"),
    "not-connected": QT_TRANSLATE_NOOP("FiguresPage", "no sensor"),
    "retries-exhausted": QT_TRANSLATE_NOOP("FiguresPage", "too many unclear presses"),
    "verification-failed": QT_TRANSLATE_NOOP("FiguresPage", "presses did not agree"),
    "sensor-error": QT_TRANSLATE_NOOP("FiguresPage", "sensor problem"),
}


class FiguresPage(Page):
    COLUMNS = (QT_TRANSLATE_NOOP("FiguresPage", "Enrolled"),
               QT_TRANSLATE_NOOP("FiguresPage", "Failed"),
               QT_TRANSLATE_NOOP("FiguresPage", "Cancelled"),
               QT_TRANSLATE_NOOP("FiguresPage", "Median"))

    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        v = self.column
        top = QHBoxLayout()
        top.addWidget(label(self.tr("Since"), wrap=False))
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setDate(QDate.currentDate().addDays(-6))
        describe(self.since, self.tr("Since"), self.tr("The first day counted."))
        self.since.dateChanged.connect(lambda _d: self.refresh())
        top.addWidget(self.since)
        for text, days in ((self.tr("Today"), 1), (self.tr("7 days"), 7),
                           (self.tr("30 days"), 30)):
            b = button(text, description=self.tr("Counts from {n} day(s) ago.").format(n=days))
            b.clicked.connect(lambda _c=False, d=days: self.show_days(d))
            top.addWidget(b)
        top.addStretch(1)
        self.status = label("", "hint")
        top.addWidget(self.status)
        v.addLayout(top)
        # the numbers: four to a row, each its caption above its value; the tables below
        self.numbers = QGridLayout()
        self.numbers.setHorizontalSpacing(20)
        self.numbers.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        names = (
            ("enrolled", self.tr("Fingers enrolled")),
            ("people", self.tr("People enrolled")),
            ("fte", self.tr("Failure to enroll")),
            ("failed", self.tr("Failed attempts")),
            ("median", self.tr("Time per finger")),
            ("retries", self.tr("Retries per capture")),
            ("checks", self.tr("Checks after enrollment")),
            ("reasons", self.tr("Why presses were repeated")),
        )
        for i, (key, name) in enumerate(names):
            n = label(name, "hint")
            val = label("—")
            val.setAccessibleName(name)
            r, c = divmod(i, 4)
            self.numbers.addWidget(n, 2 * r, c, Qt.AlignmentFlag.AlignBottom)
            self.numbers.addWidget(val, 2 * r + 1, c, Qt.AlignmentFlag.AlignTop)
            self.values[key] = val
        for c in range(4):
            self.numbers.setColumnStretch(c, 1)
        self.numbers.setRowMinimumHeight(2, 10)
        v.addLayout(self.numbers)
        # one table at a time, the whole width: per day, or per operator
        self.days = self._table(self.tr("Day"))
        describe(self.days, self.tr("Per day"), self.tr("Enrollments per day."))
        self.operators = self._table(self.tr("Operator"))
        describe(self.operators, self.tr("Per operator"), self.tr("Enrollments per operator."))
        self.tables = QStackedWidget()
        self.tables.addWidget(self.days)
        self.tables.addWidget(self.operators)
        switch = QHBoxLayout()
        self.show_per = QButtonGroup(self)
        for i, (text, what) in enumerate(((self.tr("Per day"), self.tr("Shows the table per day.")),
                                          (self.tr("Per operator"),
                                           self.tr("Shows the table per operator.")))):
            b = button(text, description=what)
            b.setCheckable(True)
            b.setChecked(i == 0)
            self.show_per.addButton(b, i)
            switch.addWidget(b)
        switch.addStretch(1)
        self.show_per.idClicked.connect(self.tables.setCurrentIndex)
        v.addLayout(switch)
        v.addWidget(self.tables, 1)
        self.figures: Figures | None = None

    def _table(self, first: str) -> QTableWidget:
        t = table([first, *(self.tr(c) for c in self.COLUMNS)])
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        return t

    def show_days(self, days: int) -> None:
        self.since.setDate(QDate.currentDate().addDays(-(days - 1)))
        self.refresh()

    def since_day(self) -> date:
        d = self.since.date()
        return date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        since = report.day_start(self.since_day())
        service = report.for_station(self.station)
        self.status.setText(self.tr("Counting…"))
        run_async(lambda: service.figures(since), self._show,
                  lambda e: self.status.setText(self.tr("The figures could not be read: {e}")
                                                .format(e=error_words(e))))

    def _set(self, key: str, text: str) -> None:
        self.values[key].setText(text)

    def _show(self, f: Figures) -> None:
        self.figures = f
        self.status.setText(self.tr("{n} attempts").format(n=f.attempts))
        pct = self._pct
        self._set("enrolled", str(f.enrolled))
        self._set("people", str(f.people_enrolled))
        self._set("fte", self.tr("{pct} ({n} of {m} people)").format(
            pct=pct(f.fte_rate), n=f.people_failed, m=f.people_tried))
        self._set("failed", self.tr("{n} ({pct} of attempts)").format(
            n=f.failed, pct=pct(f.failed_attempt_rate)))
        self._set("median", self.tr("median {m} · 90 % ≤ {p}").format(
            m=self._secs(f.median_s), p=self._secs(f.p90_s)))
        self._set("retries", "—" if f.retries_per_capture is None
                  else self.tr("{r} ({n} of {c} captures)").format(
                      r=f"{f.retries_per_capture:.2f}", n=f.retries, c=f.captures))
        self._set("checks", self.tr("{n}: {ok} passed, {bad} failed").format(
            n=f.checks, ok=f.checks_passed, bad=f.checks_failed))
        self._set("reasons", ", ".join(f"{self.reason(r)} {n}" for r, n in f.retry_reasons[:4])
                  or "—")
        self._fill(self.days, [(d.isoformat(), c) for d, c in f.per_day])
        self._fill(self.operators, list(f.per_operator))

    def reason(self, code: str) -> str:
        words = REASON_WORDS.get(code)
        return self.tr(words) if words else code

    def _pct(self, x: float | None) -> str:
        return "—" if x is None else f"{100 * x:.1f} %"

    def _secs(self, x: float | None) -> str:
        return "—" if x is None else self.tr("{s} s").format(s=f"{x:.1f}")

    def _fill(self, t: QTableWidget, rows: list[tuple[str, Count]]) -> None:
        t.setRowCount(len(rows))
        for r, (key, c) in enumerate(rows):
            for col, text in enumerate((key, str(c.enrolled), str(c.failed), str(c.cancelled),
                                        self._secs(c.median_s))):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(r, col, item)
