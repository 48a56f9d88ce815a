"""Connect time and attempts through the virtual ESP32 bridge, with and without the fix.

    .venv/bin/python -m tests.sim.measure_reset

"Without" reproduces how 0.1.0 opened the port, with today's transport set up that way:
pyserial's default lines (DTR and RTS asserted), no wait for a board that reset, the probe's
baud scan reopening the port at every rate, and the connection opening the port again after the
probe. "With" is ``connect_sensor`` as the station uses it. Each attempt is what the sensor
worker does once per retry interval.
"""

from __future__ import annotations

import time
import warnings
from typing import Any, Literal

from kiosk.sensor import discovery
from kiosk.sensor.discovery import CandidatePort, Problem, connect_sensor
from kiosk.sensor.driver import R307
from kiosk.sensor.errors import SensorError
from kiosk.sensor.transport import LineState, SerialTransport
from kiosk.sim import SimConfig, VirtualR307
from kiosk.sim.bridge import VirtualBridge

OLD_LINES = LineState(dtr=True, rts=True, may_reset=False, name="pyserial default")
ATTEMPTS = 4


def _bridge(host_os: str, **kw: Any) -> VirtualBridge:
    os_name: Literal["posix", "windows"] = "windows" if host_os == "windows" else "posix"
    return VirtualBridge(VirtualR307(SimConfig(seed=1, startup_byte=False)), host_os=os_name,
                         **kw)


def old_attempt(url: str, platform: str) -> bool:
    """Probe (with baud scan), close, open again: 0.1.0's connector."""
    transport = SerialTransport(url, lines=OLD_LINES, platform=platform)
    drv = R307(transport, reply_timeout=0.5)
    try:
        result = discovery._probe(drv, url, 57600, True, None)
    finally:
        drv.close()
    if result.problem is not Problem.OK:
        return False
    drv = R307(SerialTransport(url, lines=OLD_LINES, platform=platform), reply_timeout=1.0)
    try:
        drv.verify_password()
        drv.read_sys_para()
        return True
    except SensorError:
        return False
    finally:
        drv.close()


def measure(label: str, host_os: str, platform: str, *, fixed: bool, **kw: Any) -> str:
    b = _bridge(host_os, **kw)
    t0 = time.monotonic()
    attempts = 0
    ok = False
    try:
        while attempts < ATTEMPTS and not ok:
            attempts += 1
            if fixed:
                cand = CandidatePort(b.url, vid=0x10C4, pid=0xEA60)
                _verdict, drv = connect_sensor(57600, candidates=[cand])
                ok = drv is not None
                if drv is not None:
                    drv.close()
            else:
                ok = old_attempt(b.url, platform)
        elapsed = time.monotonic() - t0
        return (f"{label:52s} {'connected' if ok else 'NOT connected':13s} after {attempts} "
                f"attempt(s), {elapsed:5.1f} s; board resets {b.resets}, port opens {b.opens}")
    finally:
        b.close()


def main() -> int:
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    rows = [
        measure("Windows host, 0.1.0 open", "windows", "win32", fixed=False),
        measure("Windows host, fixed", "windows", "win32", fixed=True),
        measure("Windows host, fixed, board pulses on first open", "windows", "win32",
                fixed=True, reset_on_first_open=True),
        measure("Windows host, fixed, first-open pulse, silent ROM", "windows", "win32",
                fixed=True, reset_on_first_open=True, silent_rom=True),
        measure("Linux host, 0.1.0 open", "posix", "linux", fixed=False),
        measure("Linux host, fixed", "posix", "linux", fixed=True),
        measure("Linux host, fixed, board pulses on first open", "posix", "linux", fixed=True,
                reset_on_first_open=True),
    ]
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
