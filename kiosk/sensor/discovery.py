"""Find the sensor: USB adapters by VID/PID, each confirmed by a protocol probe.

A USB id only says "a serial adapter of a kind people wire sensors to"; only a VfyPwd answer
proves a sensor is behind it. Every probe ends in a :class:`ProbeResult` with a
:class:`Problem` and a plain-language message for the technician, never in an exception.

Each port is opened once per probe, with the DTR/RTS state its USB id calls for
(:func:`kiosk.sensor.transport.line_state_for`): an ESP32 DevKit that resets whenever its port
is opened would otherwise lose every first command, and a baud scan that reopened the port at
each rate would reset it again and again. The scan retunes the open port instead, and
:func:`connect_sensor` hands the probed, still-open driver to its caller rather than closing
it and opening the port a second time.

Long on purpose (a little over 400 lines): the USB id table, the probe and the choice between
candidates are one decision, and the messages a technician reads sit beside the cases that
produce them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from serial.tools import list_ports

from kiosk.sensor.codes import Confirmation
from kiosk.sensor.driver import R307, SystemParameters, scan_order
from kiosk.sensor.errors import (
    DisconnectedError,
    PortUnavailableError,
    SensorCommandError,
    SensorError,
    SensorTimeout,
    TransportError,
    WrongAddressError,
)
from kiosk.sensor.packet import DEFAULT_ADDRESS
from kiosk.sensor.trace import FrameTrace
from kiosk.sensor.transport import SerialTransport, line_state_for

#: USB (VID, PID) of the adapters sensors are wired through; PID ``None`` = any product.
KNOWN_ADAPTERS: dict[tuple[int, int | None], str] = {
    (0x10C4, 0xEA60): "Silicon Labs CP210x",
    (0x1A86, 0x7523): "WCH CH340",
    (0x1A86, 0x55D4): "WCH CH9102",
    (0x0403, 0x6001): "FTDI FT232R",
    (0x0403, 0x6015): "FTDI FT-X",
    (0x303A, None): "Espressif ESP32-S2/S3 native USB",
}


class Problem(StrEnum):
    """What stands between the station and a working sensor (``ok`` = nothing)."""

    OK = "ok"
    NO_PORT = "no-port"
    PORT_MISSING = "port-missing"
    PORT_BUSY = "port-busy"
    PERMISSION = "permission-denied"
    NO_ANSWER = "no-answer"
    WRONG_BAUD = "wrong-baud"
    WRONG_PASSWORD = "wrong-password"
    WRONG_ADDRESS = "wrong-address"
    GARBLED = "garbled"
    DISCONNECTED = "disconnected"
    FAILED = "failed"


@dataclass(frozen=True)
class CandidatePort:
    device: str
    description: str = ""
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    adapter: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "description": self.description,
            "usb_id": f"{self.vid:04X}:{self.pid:04X}" if self.vid is not None and self.pid
            is not None else None,
            "serial_number": self.serial_number,
            "adapter": self.adapter,
        }


@dataclass
class ProbeResult:
    port: str
    problem: Problem
    message: str
    baud: int | None = None
    parameters: SystemParameters | None = None
    templates: int | None = None
    detail: str = ""
    candidate: CandidatePort | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.problem is Problem.OK

    @property
    def found(self) -> bool:
        """A sensor answered (possibly at the wrong speed or with the wrong password)."""
        return self.problem in (Problem.OK, Problem.WRONG_BAUD, Problem.WRONG_PASSWORD)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "port": self.port,
            "problem": str(self.problem),
            "message": self.message,
            "baud": self.baud,
            "parameters": self.parameters.to_dict() if self.parameters else None,
            "templates": self.templates,
            "detail": self.detail,
            "adapter": self.candidate.adapter if self.candidate else None,
        }


def adapter_name(vid: int | None, pid: int | None) -> str | None:
    if vid is None:
        return None
    return KNOWN_ADAPTERS.get((vid, pid)) or KNOWN_ADAPTERS.get((vid, None))


def candidate_ports(*, include_unknown: bool = False) -> list[CandidatePort]:
    """Serial ports behind known USB adapters (all ports with ``include_unknown``)."""
    out: list[CandidatePort] = []
    for info in sorted(list_ports.comports(), key=lambda p: p.device):
        vid, pid = getattr(info, "vid", None), getattr(info, "pid", None)
        name = adapter_name(vid, pid)
        if name is None and not include_unknown:
            continue
        out.append(
            CandidatePort(
                device=info.device,
                description=info.description or "",
                vid=vid,
                pid=pid,
                serial_number=getattr(info, "serial_number", None),
                adapter=name,
            )
        )
    out.sort(key=lambda c: c.adapter is None)
    return out


_OPEN_PROBLEMS = {
    PortUnavailableError.MISSING: Problem.PORT_MISSING,
    PortUnavailableError.BUSY: Problem.PORT_BUSY,
    PortUnavailableError.PERMISSION: Problem.PERMISSION,
}


def _open_message(port: str, problem: Problem) -> str:
    if problem is Problem.PORT_MISSING:
        return (f"There is no port {port}. Check that the sensor's USB cable is plugged in and "
                "that the port name is right (kiosk sensor list shows the ports).")
    if problem is Problem.PORT_BUSY:
        return (f"Port {port} is in use by another program (another kiosk window, a serial "
                "monitor, a flashing tool). Close it and try again.")
    if problem is Problem.PERMISSION:
        hint = ("add this user to the 'dialout' group and log in again"
                if sys.platform.startswith("linux") else "ask IT to allow access to the port")
        return f"This user may not open port {port}: {hint}."
    return f"Port {port} could not be opened."


def probe(
    url: str,
    baud: int = 57600,
    *,
    address: int = DEFAULT_ADDRESS,
    password: int = 0,
    auto_baud: bool = True,
    reply_timeout: float = 0.5,
    trace: FrameTrace | None = None,
    candidate: CandidatePort | None = None,
) -> ProbeResult:
    """Is an R30x sensor at ``url``? VfyPwd, then ReadSysPara; scan 9600 × N if silent."""
    result, drv = _probe_open(url, baud, address=address, password=password,
                              auto_baud=auto_baud, reply_timeout=reply_timeout, trace=trace,
                              candidate=candidate)
    if drv is not None:
        drv.close()
    return result


def _probe_open(
    url: str,
    baud: int,
    *,
    address: int,
    password: int,
    auto_baud: bool,
    reply_timeout: float,
    trace: FrameTrace | None,
    candidate: CandidatePort | None,
) -> tuple[ProbeResult, R307 | None]:
    """Probe ``url`` over one open port; the driver stays open when the sensor is usable."""
    lines = (line_state_for(candidate.vid, candidate.pid)
             if candidate is not None and candidate.vid is not None else None)
    try:
        transport = SerialTransport(url, baud, lines=lines, retune_on_reopen=True)
    except PortUnavailableError as exc:
        problem = _OPEN_PROBLEMS.get(exc.reason, Problem.FAILED)
        return ProbeResult(url, problem, _open_message(url, problem), detail=str(exc),
                           candidate=candidate), None
    drv = R307(transport, address=address, password=password, trace=trace,
               reply_timeout=reply_timeout)
    if trace is not None:
        trace.note(f"probe {url} at {baud} baud ({transport.lines.name})")
    try:
        result = _probe(drv, url, baud, auto_baud, candidate)
    except BaseException:
        drv.close()
        raise
    if result.ok:
        return result, drv
    drv.close()
    return result, None


def _probe(
    drv: R307, url: str, baud: int, auto_baud: bool, candidate: CandidatePort | None
) -> ProbeResult:
    def result(problem: Problem, message: str, detail: str = "", at: int | None = None
               ) -> ProbeResult:
        return ProbeResult(url, problem, message, baud=at, detail=detail, candidate=candidate)

    first_error: SensorError | None = None
    try:
        try:
            drv.verify_password()
        except SensorTimeout:
            # A board that reset at open without a sound lost the command: once its boot and
            # hold are over, ask again on the same port (never a second open).
            transport = drv.transport
            if not (isinstance(transport, SerialTransport)
                    and transport.wait_out_silent_reset()):
                raise
            if drv.trace is not None:
                drv.trace.note("no answer: waited for a silent board reset, asking again")
            drv.verify_password()
    except SensorCommandError as exc:
        if exc.code == Confirmation.WRONG_PASSWORD:
            return result(Problem.WRONG_PASSWORD,
                          f"A sensor answers on {url}, but it refuses the password. Set "
                          "sensor.password to the sensor's password (0 from the factory).",
                          str(exc), baud)
        return result(Problem.FAILED, f"The sensor on {url} refused the handshake: {exc.hint}",
                      str(exc), baud)
    except WrongAddressError as exc:
        return result(Problem.WRONG_ADDRESS,
                      f"A sensor answers on {url} with another address. Set sensor.address "
                      "to the sensor's address.", str(exc), baud)
    except DisconnectedError as exc:
        return result(Problem.DISCONNECTED,
                      f"Port {url} went away while checking it. Plug the sensor back in.",
                      str(exc))
    except TransportError as exc:
        first_error = exc
    if first_error is None:
        return _read_params(drv, url, baud, Problem.OK, "Sensor found.", candidate)

    if auto_baud:
        others = _rates_except(baud)
        try:
            found = drv.auto_baud(others)
        except DisconnectedError as exc:
            return result(Problem.DISCONNECTED,
                          f"Port {url} went away while checking it. Plug the sensor back in.",
                          str(exc))
        if found is not None:
            msg = (f"The sensor on {url} answers at {found} baud, not at the configured {baud}. "
                   f"Set sensor.baud = {found} (or change the sensor back to {baud}).")
            try:
                drv.verify_password()
            except SensorCommandError:
                return result(Problem.WRONG_BAUD, msg + " Its password is also different.",
                              at=found)
            except SensorError as exc:
                return result(Problem.WRONG_BAUD, msg, str(exc), found)
            return _read_params(drv, url, found, Problem.WRONG_BAUD, msg, candidate)
    if isinstance(first_error, SensorTimeout):
        return result(Problem.NO_ANSWER,
                      f"Nothing answers on {url}. Check that the sensor is powered and wired "
                      "(sensor TX to adapter RX, RX to TX) and that this is the right port.",
                      str(first_error))
    return result(Problem.GARBLED,
                  f"Something on {url} sends data, but not the sensor's protocol at {baud} baud"
                  + (" or any other speed" if auto_baud else "")
                  + ". Check the wiring, the baud rate and that this is the sensor's port.",
                  str(first_error))


def _read_params(
    drv: R307, url: str, baud: int, problem: Problem, message: str,
    candidate: CandidatePort | None,
) -> ProbeResult:
    try:
        params = drv.read_sys_para()
        count = drv.template_count()
    except SensorError as exc:
        return ProbeResult(url, Problem.FAILED if problem is Problem.OK else problem,
                           f"The sensor on {url} answered the handshake but not the parameter "
                           f"query: {exc.hint}", baud=baud, detail=str(exc), candidate=candidate)
    return ProbeResult(url, problem, message, baud=baud, parameters=params, templates=count,
                       candidate=candidate)


def _rates_except(baud: int) -> list[int]:
    return [r for r in scan_order(baud) if r != baud]


def discover(
    baud: int = 57600,
    *,
    address: int = DEFAULT_ADDRESS,
    password: int = 0,
    auto_baud: bool = True,
    include_unknown: bool = False,
    trace: FrameTrace | None = None,
    candidates: list[CandidatePort] | None = None,
) -> list[ProbeResult]:
    """Probe every candidate port; an empty list means no candidate port exists."""
    results = []
    for cand in candidates if candidates is not None else candidate_ports(
        include_unknown=include_unknown
    ):
        results.append(
            probe(cand.device, baud, address=address, password=password, auto_baud=auto_baud,
                  trace=trace, candidate=cand)
        )
    return results


_NO_PORT_MESSAGE = (
    "No sensor adapter is plugged in (looked for CP210x, CH340/CH9102, FTDI and ESP32 "
    "USB ports). Plug the sensor in, or set sensor.port to its port name."
)
_RANK = {Problem.OK: 0, Problem.WRONG_BAUD: 1, Problem.WRONG_PASSWORD: 2,
         Problem.WRONG_ADDRESS: 3, Problem.PORT_BUSY: 4, Problem.PERMISSION: 5}


def find_sensor(
    baud: int = 57600,
    *,
    address: int = DEFAULT_ADDRESS,
    password: int = 0,
    auto_baud: bool = True,
    trace: FrameTrace | None = None,
    candidates: list[CandidatePort] | None = None,
) -> ProbeResult:
    """The best verdict over all candidates: a working sensor, else the most useful failure."""
    results = discover(baud, address=address, password=password, auto_baud=auto_baud,
                       trace=trace, candidates=candidates)
    if not results:
        return ProbeResult("auto", Problem.NO_PORT, _NO_PORT_MESSAGE)
    return min(results, key=lambda r: _RANK.get(r.problem, 9))


def connect_sensor(
    baud: int = 57600,
    *,
    address: int = DEFAULT_ADDRESS,
    password: int = 0,
    auto_baud: bool = True,
    trace: FrameTrace | None = None,
    candidates: list[CandidatePort] | None = None,
    reply_timeout: float = 1.0,
) -> tuple[ProbeResult, R307 | None]:
    """Find the sensor and keep it open: (verdict, connected driver or ``None``).

    One open per candidate and attempt: the driver that answered the probe is the one
    returned (VfyPwd done, parameters read), so a board that resets on open is not reset a
    second time by "probe, close, open again". Candidates after the first working one are
    not opened at all.
    """
    cands = candidates if candidates is not None else candidate_ports()
    results: list[ProbeResult] = []
    for cand in cands:
        result, drv = _probe_open(cand.device, baud, address=address, password=password,
                                  auto_baud=auto_baud, reply_timeout=0.5, trace=trace,
                                  candidate=cand)
        if drv is not None:
            drv.reply_timeout = reply_timeout
            return result, drv
        results.append(result)
    if not results:
        return ProbeResult("auto", Problem.NO_PORT, _NO_PORT_MESSAGE), None
    return min(results, key=lambda r: _RANK.get(r.problem, 9)), None


__all__ = [
    "KNOWN_ADAPTERS",
    "CandidatePort",
    "ProbeResult",
    "Problem",
    "adapter_name",
    "candidate_ports",
    "connect_sensor",
    "discover",
    "find_sensor",
    "probe",
]
