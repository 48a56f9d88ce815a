"""R30x (R307 / ZFM-20 / AS608) fingerprint sensor stack: codec, transport, driver, discovery.

Plain Python, no Qt. A driver is owned by one worker thread; see :mod:`kiosk.sensor.driver`.
"""

from __future__ import annotations

from kiosk.sensor.codes import Confirmation, Instruction, describe
from kiosk.sensor.discovery import (
    KNOWN_ADAPTERS,
    CandidatePort,
    ProbeResult,
    Problem,
    candidate_ports,
    discover,
    find_sensor,
    probe,
)
from kiosk.sensor.driver import (
    BAUD_RATES,
    IMAGE_BYTES,
    PACKET_SIZES,
    R307,
    DriverStats,
    MatchResult,
    SearchResult,
    SensorDriver,
    SystemParameters,
    decode_index_page,
)
from kiosk.sensor.errors import (
    ChecksumError,
    DisconnectedError,
    FramingError,
    PortUnavailableError,
    SensorCommandError,
    SensorError,
    SensorTimeout,
    StreamOverrunError,
    TransportError,
    TruncatedError,
    UnexpectedPacketError,
    WrongAddressError,
)
from kiosk.sensor.packet import PID, Deframer, Packet
from kiosk.sensor.trace import FrameTrace
from kiosk.sensor.transport import SerialTransport, Transport

__all__ = [
    "BAUD_RATES",
    "IMAGE_BYTES",
    "KNOWN_ADAPTERS",
    "PACKET_SIZES",
    "PID",
    "R307",
    "CandidatePort",
    "ChecksumError",
    "Confirmation",
    "Deframer",
    "DisconnectedError",
    "DriverStats",
    "FrameTrace",
    "FramingError",
    "Instruction",
    "MatchResult",
    "Packet",
    "PortUnavailableError",
    "ProbeResult",
    "Problem",
    "SearchResult",
    "SensorCommandError",
    "SensorDriver",
    "SensorError",
    "SensorTimeout",
    "SerialTransport",
    "StreamOverrunError",
    "SystemParameters",
    "Transport",
    "TransportError",
    "TruncatedError",
    "UnexpectedPacketError",
    "WrongAddressError",
    "candidate_ports",
    "decode_index_page",
    "describe",
    "discover",
    "find_sensor",
    "probe",
]
