"""Turn the services' worker-thread callbacks into Qt signals delivered on the GUI thread.

The services call plain Python listeners from their own threads. Each listener here only emits
a signal; the bridge object lives on the GUI thread and its signals are connected with
``Qt.QueuedConnection``, so the slots always run on the GUI thread, in order, the moment the
event loop gets the event (no polling, no timers: the bar moves when the sensor answers).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.enrollment.events import Event
from kiosk.ui.ports import SensorState, StationPort, SyncPort, SyncState


class StationBridge(QObject):
    """Signals for everything the station reports asynchronously."""

    sensorStatus = Signal(object)  # SensorState
    enrollmentEvent = Signal(object)  # Prompt | Progress | Retry | Result
    syncState = Signal(object)  # SyncState

    def __init__(self, station: StationPort, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station = station
        station.sensor.add_listener(self._from_sensor)
        if station.sync is not None:
            station.sync.add_listener(self._from_sync)

    def attach_sync(self, sync: SyncPort) -> None:
        """Listen to a sync port started later (after provisioning restarted sync)."""
        sync.add_listener(self._from_sync)

    def _from_sensor(self, item: SensorState | Event) -> None:
        # Runs on the sensor worker thread: emit only, touch no widget.
        if isinstance(item, SensorState):
            self.sensorStatus.emit(item)
        else:
            self.enrollmentEvent.emit(item)

    def _from_sync(self, state: SyncState) -> None:
        self.syncState.emit(state)
