"""Turn the services' worker-thread callbacks into Qt signals delivered on the GUI thread.

The services call plain Python listeners from their own threads. Each listener here only emits
a signal; the bridge object lives on the GUI thread and its signals are connected with
``Qt.QueuedConnection``, so the slots always run on the GUI thread, in order, the moment the
event loop gets the event (no polling, no timers: the bar moves when the sensor answers).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.app import SensorStatus, Station, SyncState


class StationBridge(QObject):
    """Signals for everything the station reports asynchronously."""

    sensorStatus = Signal(object)  # SensorStatus
    enrollmentEvent = Signal(object)  # Prompt | Progress | Retry | Result
    syncState = Signal(object)  # SyncState

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station = station
        station.add_sensor_listener(self._from_sensor)
        # The sync service keeps this listener across a reload after provisioning.
        station.sync.add_listener(self._from_sync)

    def _from_sensor(self, item: object) -> None:
        # Runs on the sensor worker thread: emit only, touch no widget.
        if isinstance(item, SensorStatus):
            self.sensorStatus.emit(item)
        else:
            self.enrollmentEvent.emit(item)

    def _from_sync(self, state: SyncState) -> None:
        self.syncState.emit(state)
