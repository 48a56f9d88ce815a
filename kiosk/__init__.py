"""Fingerprint enrollment station.

Layers (dependencies point downwards only):

* ``kiosk.ui``          – PySide6 screens; the only package that imports Qt.
* ``kiosk.app``         – application services that wire the domain together.
* ``kiosk.sensor``, ``kiosk.enrollment``, ``kiosk.store``, ``kiosk.sync``
                        – plain-Python domain packages, testable without a display,
                          a broker or hardware.
* ``kiosk.sim``         – the virtual R307 used by tests, demos and training.
"""

__version__ = "0.2.0"
