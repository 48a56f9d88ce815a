"""Where a station's fingerprint sensor stands: one vocabulary for the station's sensor worker,
its status bar and self-test, and the heartbeat central receives."""

from __future__ import annotations

from enum import StrEnum


class SensorState(StrEnum):
    STARTING = "starting"
    #: No sensor found yet (none plugged in, or the configured port does not answer).
    SEARCHING = "searching"
    READY = "ready"
    #: An enrollment is running.
    BUSY = "busy"
    #: It was connected and went away (unplugged, stopped answering).
    DISCONNECTED = "disconnected"
    ERROR = "error"

    @property
    def usable(self) -> bool:
        """A capture can start (BUSY: the previous run is just finishing)."""
        return self in (SensorState.READY, SensorState.BUSY)


__all__ = ["SensorState"]
