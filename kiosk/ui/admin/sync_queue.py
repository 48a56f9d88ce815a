"""Sync queue page: what waits for central, why, and "retry now"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import OutboxKind, OutboxState, OutboxStats, QueueRow, Station
from kiosk.app.wording import QT_TRANSLATE_NOOP
from kiosk.ui.admin.common import ActorFn, Page, selected_rows, table
from kiosk.ui.screens.base import label
from kiosk.ui.text import finger_name, pending_words, sync_words
from kiosk.ui.widgets import button, describe
from kiosk.ui.worker import run_async


class SyncQueuePage(Page):
    QUEUE_COLUMNS = (QT_TRANSLATE_NOOP("SyncQueuePage", "State"),
                     QT_TRANSLATE_NOOP("SyncQueuePage", "What"),
                     QT_TRANSLATE_NOOP("SyncQueuePage", "Person"),
                     QT_TRANSLATE_NOOP("SyncQueuePage", "Finger"),
                     QT_TRANSLATE_NOOP("SyncQueuePage", "Tries"),
                     QT_TRANSLATE_NOOP("SyncQueuePage", "Age"),
                     QT_TRANSLATE_NOOP("SyncQueuePage", "Reason"))

    def __init__(self, station: Station, actor: ActorFn, parent: QWidget | None = None) -> None:
        super().__init__(station, actor, parent)
        v = self.column
        self.sync_state = label("", "message")
        self.sync_pending = label("", "message")
        self.sync_detail = label("", "hint")
        self.sync_pending.hide()  # the status bar and the counts beside say it already
        top = QHBoxLayout()
        words = QVBoxLayout()
        for x in (self.sync_state, self.sync_detail):
            words.addWidget(x)
        words.addStretch(1)
        top.addLayout(words, 1)
        self.queue_form = QFormLayout()
        self.queue_form.setVerticalSpacing(2)
        top.addLayout(self.queue_form)
        v.addLayout(top)
        self.queue_table = table([self.tr(c) for c in self.QUEUE_COLUMNS], multi=True)
        self.queue_table.horizontalHeader().setSectionResizeMode(
            6, QHeaderView.ResizeMode.Stretch)
        self.queue_table.itemSelectionChanged.connect(self._queue_selection)
        describe(self.queue_table, self.tr("Waiting for the central server"), self.tr(
            "Each message not yet received by the central server, with why."))
        v.addWidget(self.queue_table, 1)
        self.queue_reason = label("", "hint")
        v.addWidget(self.queue_reason)
        self.slots_pending = label("", "warn")
        self.slots_pending.setAccessibleName(self.tr("Sensor slots still to clear"))
        self.slots_pending.hide()
        v.addWidget(self.slots_pending)
        self.queue_empty = label(self.tr("Nothing is waiting: everything this station recorded "
                                         "has reached the central server."), "hint")
        self.queue_empty.hide()
        v.addWidget(self.queue_empty)
        row = QHBoxLayout()
        self.sync_now = button(self.tr("Sync now"), "primary", description=self.tr(
            "Sends what is waiting and fetches the roster now."))
        self.sync_now.clicked.connect(self._sync_now)
        self.queue_retry = button(self.tr("Retry selected now"), description=self.tr(
            "Sends the selected messages again now."))
        self.queue_retry.clicked.connect(lambda: self.retry_queue(selected=True))
        self.queue_retry_all = button(self.tr("Retry all now"), description=self.tr(
            "Sends every waiting or refused message again now."))
        self.queue_retry_all.clicked.connect(lambda: self.retry_queue(selected=False))
        self.queue_result = label("", "hint")
        for b in (self.sync_now, self.queue_retry, self.queue_retry_all):
            row.addWidget(b)
        row.addWidget(self.queue_result, 1)
        v.addLayout(row)
        self.queue: list[QueueRow] = []

    def _sync_now(self) -> None:
        run_async(self.station.sync.sync_now, lambda _v: self._queue_refresh())

    def _queue_refresh(self) -> None:
        run_async(self.station.sync.stats, self._show_queue)
        run_async(self.station.sync.queue_rows, self._show_queue_rows)
        run_async(self.station.biometrics.pending_slots, self._show_slots)

    def _show_slots(self, slots: list[int]) -> None:
        """Deleted prints whose sensor copy waits for the sensor: the receipts say "sensor
        pending" until then, and so does this page."""
        self.slots_pending.setVisible(bool(slots))
        self.slots_pending.setText(self.tr(
            "Deleted prints still on the sensor: {n} (slots {slots}). They are cleared as soon "
            "as the sensor is connected; central hears it then.").format(
                n=len(slots), slots=", ".join(map(str, slots))) if slots else "")

    def _show_queue(self, s: OutboxStats) -> None:
        while self.queue_form.rowCount():
            self.queue_form.removeRow(0)
        rows = [(self.tr("Waiting to be sent"), str(s.pending)),
                (self.tr("Sent, waiting for the server's receipt"), str(s.sent_unacked)),
                (self.tr("Rejected by the central server"), str(s.rejected)),
                (self.tr("Received by the central server"), str(s.acked))]
        if s.oldest_pending_age_s is not None:
            rows.append((self.tr("Oldest waiting for"), self._age(s.oldest_pending_age_s)))
        if s.last_sync_at is not None:
            rows.append((self.tr("Last successful sync"),
                         s.last_sync_at.astimezone().strftime("%Y-%m-%d %H:%M")))
        for name, value in rows:
            self.queue_form.addRow(name, QLabel(value))

    def _age(self, s: float) -> str:
        if s < 3600:
            return self.tr("{n} min").format(n=max(1, int(s // 60)))
        if s < 48 * 3600:
            return self.tr("{n} h").format(n=int(s // 3600))
        return self.tr("{n} days").format(n=int(s // 86400))

    def _show_queue_rows(self, rows: list[QueueRow]) -> None:
        """Fill the table; rows stay selected across refreshes (sync updates arrive often)."""
        keep = {self.queue[r].id for r in selected_rows(self.queue_table)
                if r < len(self.queue)}
        self.queue = rows
        states = {OutboxState.PENDING: self.tr("Waiting"),
                  OutboxState.SENT: self.tr("Sent, no receipt yet"),
                  OutboxState.REJECTED: self.tr("Rejected")}
        kinds = {OutboxKind.TEMPLATE: self.tr("Fingerprint"),
                 OutboxKind.CONSENT: self.tr("Consent"),
                 OutboxKind.DELETION_RECEIPT: self.tr("Deletion receipt"),
                 OutboxKind.ATTEMPT: self.tr("Enrollment record"),
                 OutboxKind.AUDIT: self.tr("Audit trail")}
        t = self.queue_table
        t.blockSignals(True)
        t.clearSelection()
        t.setRowCount(len(rows))
        for r, q in enumerate(rows):
            reason = q.reason or "—"
            if q.state is OutboxState.PENDING and q.due_in_s > 0:
                reason = self.tr("{reason} · next try in {t}").format(
                    reason=reason, t=self._age(q.due_in_s))
            cells = (states.get(q.state, q.state.value), kinds.get(q.kind, q.kind.value), q.person,
                     finger_name(q.finger) if q.finger else "—", str(q.attempts),
                     self._age(q.age_s), reason)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(reason)
                if q.state is OutboxState.REJECTED:
                    item.setForeground(Qt.GlobalColor.darkRed)
                t.setItem(r, c, item)
            if q.id in keep:
                t.selectRow(r)
        t.blockSignals(False)
        t.setVisible(bool(rows))
        self.queue_empty.setVisible(not rows)
        self._queue_selection()

    def _retryable(self, selected: bool) -> list[int]:
        rows = ([self.queue[r] for r in selected_rows(self.queue_table) if r < len(self.queue)]
                if selected else self.queue)
        return [q.id for q in rows if q.retryable]

    def _queue_selection(self) -> None:
        """Enable the retry buttons that apply; spell out the selected row's reason in full."""
        rows = [self.queue[r] for r in selected_rows(self.queue_table) if r < len(self.queue)]
        reason = rows[0].reason if len(rows) == 1 else ""
        self.queue_reason.setText(self.tr("Reason: {r}").format(r=reason) if reason else "")
        self.queue_reason.setVisible(bool(reason))
        self.queue_retry.setEnabled(bool(self._retryable(True)))
        self.queue_retry_all.setEnabled(bool(self._retryable(False)))

    def retry_queue(self, *, selected: bool) -> None:
        """Rejected rows (after the cause was fixed) and backed-off rows: send them now."""
        ids = self._retryable(selected)
        if not ids:
            return
        actor = self.actor() or "admin"
        self.queue_retry.setEnabled(False)
        self.queue_retry_all.setEnabled(False)
        run_async(lambda: self.station.sync.retry(ids, actor), self._retried,
                  lambda e: self.queue_result.setText(str(e)))

    def _retried(self, n: int) -> None:
        self.queue_result.setText(self.tr("{n} message(s) will be sent now.").format(n=n))
        self._queue_refresh()

    def refresh(self) -> None:
        self._queue_refresh()
        self.show_state()

    def show_state(self) -> None:
        """The link's state in words (no I/O: called on every sync update)."""
        sync = self.station.sync
        st = sync.state
        self.sync_state.setText(sync_words(st)[0])
        self.sync_pending.setText(pending_words(st)[0])
        self.sync_detail.setText((st.detail or st.last_error) if sync.enabled else self.tr(
            "No central server is set up: import a provisioning file on the Central server "
            "page."))
        self.sync_now.setEnabled(sync.enabled)
