"""Blocking checks behind the admin pages: a sensor port, a broker login, a provisioning file.

They reuse :mod:`kiosk.sensor.discovery` and :mod:`kiosk.provision` (the code behind
``kiosk sensor`` and ``kiosk provision``), so the GUI and the command line cannot disagree.
Every function blocks (serial port, network, files) and is only called through
:mod:`kiosk.ui.worker`. Nothing here imports Qt; the pages put the results into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk import provision
from kiosk.config import Config, SensorConfig, load_config
from kiosk.paths import DataPaths
from kiosk.provision import ConnectionVerdict, ImportRefused, ProvisioningError, Step
from kiosk.secrets import mqtt_password
from kiosk.sensor.discovery import find_sensor, probe
from kiosk.threadguard import check_io
from kiosk.ui.ports import SensorState

#: Sensor states in which the station's own worker holds the port open.
_CONNECTED = ("ready", "busy")


@dataclass(frozen=True)
class PortVerdict:
    """``state``: "in-use" (the station's worker has it and it answers), "found", "problem"."""

    state: str
    port: str
    message: str


def port_in_use(port: str, status: SensorState) -> bool:
    """True when probing ``port`` would collide with the station's own sensor connection."""
    return status.state in _CONNECTED and port in ("auto", status.port)


def probe_port(port: str, sensor: SensorConfig, status: SensorState) -> PortVerdict:
    """Ask ``port`` (or every candidate for "auto") whether a sensor answers.

    The station's sensor worker keeps its port open; probing it again would only report
    "busy", so a connected port is answered from the worker's status instead.
    """
    if port_in_use(port, status):
        return PortVerdict("in-use", status.port or port, status.model)
    check_io("serial", "probe_port")
    if port == "auto":
        r = find_sensor(sensor.baud, address=sensor.address, password=sensor.password)
    else:
        r = probe(port, sensor.baud, address=sensor.address, password=sensor.password)
    return PortVerdict("found" if r.ok else "problem", r.port, r.message)


def try_broker(paths: DataPaths, url: str, username: str, password: str,
               ca_file: str) -> ConnectionVerdict:
    """One MQTT login with these settings (the stored password when none was typed)."""
    check_io("mqtt", "try_broker")
    secret = password or mqtt_password(paths) or ""
    return provision.test_connection(url, username, secret, ca_file, timeout=5.0)


@dataclass(frozen=True)
class ProvisionFile:
    """A provisioning file whose signature checked out, before the admin trusts its key."""

    path: Path
    data: bytes = field(repr=False)  # holds the broker password: never log it
    fingerprint: str
    station_id: str
    broker: str
    issued_at: str
    #: The key this station already trusts ("" on a station never provisioned).
    pinned: str


def read_provisioning(paths: DataPaths, path: Path) -> ProvisionFile:
    """Read and verify ``path``; raises :class:`ProvisioningError` in plain words."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProvisioningError(f"The file cannot be read: {exc.strerror or exc}.",
                                "unreadable") from exc
    prov = provision.parse(data)
    pin = provision.read_pin(paths)
    return ProvisionFile(path, data, prov.signer_fingerprint, prov.station_id,
                         prov.broker_urls[0], prov.issued_at, pin.fingerprint if pin else "")


@dataclass(frozen=True)
class ImportOutcome:
    ok: bool
    steps: tuple[Step, ...]
    #: Why it was refused ("" when it worked); nothing was changed then.
    refusal: str = ""
    #: The settings as written, for restarting sync.
    config: Config | None = None


def import_provisioning(paths: DataPaths, file: ProvisionFile) -> ImportOutcome:
    """``kiosk provision FILE --trust-key <the fingerprint the admin confirmed>``."""
    check_io("mqtt", "import_provisioning")
    try:
        report = provision.import_file(paths, paths.config_file, file.data,
                                       trust_key=file.fingerprint)
    except ImportRefused as exc:
        return ImportOutcome(False, tuple(exc.report.steps), str(exc))
    return ImportOutcome(True, tuple(report.steps), "", load_config(paths.config_file))
