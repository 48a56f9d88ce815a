"""Typed transport errors, kept apart from the sensor's own confirmation codes.

A transport error means *we could not talk to the sensor properly* (cable, noise, timing);
a :class:`SensorCommandError` means *the sensor answered, and said no*. Callers treat them
differently: the first may be retried or means "check the cable", the second carries an
operator message ("no finger", "press flatter").
"""

from __future__ import annotations

from typing import ClassVar

from kiosk.sensor.codes import Confirmation, describe


class SensorError(Exception):
    """Base for everything the sensor stack raises. ``hint`` is for the operator."""

    hint: str = "Check the sensor cable and try again."

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class TransportError(SensorError):
    """The conversation with the sensor broke down (not the sensor saying no)."""


class SensorTimeout(TransportError):
    hint = "The sensor did not answer. Check that it is plugged in and powered."


class ChecksumError(TransportError):
    hint = "The data from the sensor was garbled. Check the cable; try a shorter USB cable."


class FramingError(TransportError):
    hint = "The data from the sensor was garbled. Check the cable and the baud rate."


class WrongAddressError(TransportError):
    hint = "The sensor answered with another address. Check the sensor address setting."


class UnexpectedPacketError(TransportError):
    hint = "The sensor sent something out of turn. Unplug it, plug it back in and retry."


class TruncatedError(TransportError):
    hint = "The sensor stopped in the middle of a reply. Check the cable."


class DisconnectedError(TransportError):
    hint = "The fingerprint sensor is unplugged. Plug it back in; work resumes automatically."


class PortUnavailableError(DisconnectedError):
    """The port could not be opened. ``reason`` says why, for a diagnosis.

    A subclass of :class:`DisconnectedError` because a caller waiting for a replug treats
    "the port is not there yet" exactly like "the port just went away".
    """

    MISSING = "missing"
    BUSY = "busy"
    PERMISSION = "permission"
    OTHER = "other"

    _HINTS: ClassVar[dict[str, str]] = {
        MISSING: "The sensor's port is not there. Check the USB cable and the port name.",
        BUSY: "The sensor's port is in use by another program. Close it and try again.",
        PERMISSION: "This user may not open the sensor's port. Ask IT to grant serial access.",
        OTHER: "The sensor's port could not be opened. Unplug it, plug it back in and retry.",
    }

    def __init__(self, message: str, *, reason: str = OTHER) -> None:
        super().__init__(message, hint=self._HINTS.get(reason, self._HINTS[self.OTHER]))
        self.reason = reason


class StreamOverrunError(TransportError):
    """A data stream went past its hard cap (some clones never send the END packet)."""

    hint = "The sensor sent far more data than expected. Unplug it, plug it back in and retry."


class SensorCommandError(SensorError):
    """The sensor replied with a non-OK confirmation code."""

    def __init__(self, command: str, code: int) -> None:
        self.command = command
        self.code = code
        self.confirmation: Confirmation | None = (
            Confirmation(code) if code in Confirmation._value2member_map_ else None
        )
        super().__init__(
            f"{command} failed: sensor code 0x{code:02X} ({describe(code)})", hint=describe(code)
        )
