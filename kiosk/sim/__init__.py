"""The virtual R307 fingerprint module: the sensor every other part is built and tested against.

``VirtualR307`` is the byte-level model; ``PtyServer`` and ``TcpServer`` put it on a real
pseudo-terminal or a TCP socket so host code talks to it exactly as to a USB-serial port.
"""

from kiosk.sim.auto import AutoPerson
from kiosk.sim.core import PACKET_SIZES, TEMPLATE_SIZES, SimConfig, VirtualR307
from kiosk.sim.server import PtyServer, TcpServer

__all__ = [
    "PACKET_SIZES",
    "TEMPLATE_SIZES",
    "AutoPerson",
    "PtyServer",
    "SimConfig",
    "TcpServer",
    "VirtualR307",
]
