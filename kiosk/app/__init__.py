"""Application services between the front ends (GUI, CLI) and the domain packages."""

from kiosk.app.sensor_service import SensorHandle, SensorService, SensorStatus
from kiosk.app.station import NoSensorFound, Simulation, Station
from kiosk.app.store_sink import StoreSink

__all__ = [
    "NoSensorFound",
    "SensorHandle",
    "SensorService",
    "SensorStatus",
    "Simulation",
    "Station",
    "StoreSink",
]
