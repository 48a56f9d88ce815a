"""Self-test verdicts and the diagnostics bundle: the one-click answer to "collect the logs".

The old system asked a technician for a browser console, server logs and the serial output of a
microcontroller. Here one button writes a zip with the station's logs, the serial frame trace,
versions, the configuration without secrets and the live status, and the self-test says in
plain words which part is at fault. Plain Python (no Qt); call it off the GUI thread.
"""

from __future__ import annotations

import dataclasses
import json
import platform
import shutil
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.ui.ports import Check, StationPort, bundle_name, default_bundle_dir

LOW_DISK_BYTES = 200 * 1024 * 1024
WARN_DISK_BYTES = 1024 * 1024 * 1024


def _sensor_check(station: StationPort) -> Check:
    s = station.sensor.status
    name = "Fingerprint sensor"
    if s.state in ("ready", "connected", "busy"):
        where = " on ".join(x for x in (s.model, s.port) if x) or "sensor"
        count = (f", {s.templates} of {s.capacity} templates stored"
                 if s.templates is not None and s.capacity else "")
        if s.simulated:
            return Check(name, True, f"Simulated sensor answers ({where}{count}). "
                         "This is training mode, not a real sensor.")
        return Check(name, True, f"The sensor answers ({where}{count}).")
    if s.state == "disconnected":
        return Check(name, False, "The sensor is not connected.",
                     "Plug the sensor's USB cable in. The station finds it by itself within a "
                     "few seconds; no restart is needed.")
    if s.state in ("searching", "starting"):
        return Check(name, False, "No sensor has been found yet. " + s.message,
                     "Check the USB cable and that the sensor's light is on. If a port is set "
                     "by hand in the settings, check it, or set it back to automatic.")
    return Check(name, False, s.message or "The sensor reports a problem.",
                 "Unplug the sensor, plug it back in, and run the self-test again.")


def _database_check(station: StationPort) -> Check:
    name = "Station database"
    t0 = time.perf_counter()
    try:
        n = station.store.roster_size()
    except Exception as exc:
        hint = getattr(exc, "hint", "") or "Export the diagnostics bundle and call support."
        return Check(name, False, f"The database cannot be read: {exc}", hint)
    ms = (time.perf_counter() - t0) * 1000
    if n == 0:
        return Check(name, True, f"The database answers ({ms:.0f} ms) but the roster is empty.",
                     "Get the roster from the central server, or import a CSV file with "
                     "kiosk roster import FILE.csv.")
    return Check(name, True, f"The database answers ({n} people, {ms:.0f} ms).")


def _central_check(station: StationPort) -> Check:
    name = "Central server"
    sync = station.sync
    if sync is None or sync.state.state == "disabled":
        return Check(name, True, "No central server is set up: enrollments stay on this "
                     "station.", "An administrator can set the server in Settings.")
    st = sync.state
    pending = f" {st.pending} enrollment(s) waiting to be sent." if st.pending else ""
    if st.state == "online":
        return Check(name, True, "Connected to the central server." + pending)
    if st.state == "auth":
        return Check(name, False, "The central server refused the station's login." + pending,
                     "Check the user name and password in Settings (Test connection).")
    if st.state == "tls":
        return Check(name, False, "The central server's certificate was not accepted." + pending,
                     "Check the CA file and the client certificate in Settings.")
    since = time.strftime("%H:%M", time.localtime(st.since)) if st.since else "a while"
    return Check(name, False, f"Cannot reach the central server since {since}. Enrollments are "
                 "kept on this station and sent when it is back." + pending,
                 st.message or "Check the network cable or Wi-Fi of this station.")


def _disk_check(station: StationPort) -> Check:
    name = "Disk space"
    try:
        free = shutil.disk_usage(station.paths.root).free
    except OSError as exc:
        return Check(name, False, f"The data folder cannot be checked: {exc}",
                     "Check that the data folder exists and the disk is present.")
    gb = free / 1024**3
    if free < LOW_DISK_BYTES:
        return Check(name, False, f"Only {gb:.2f} GB free. New enrollments may fail.",
                     "Free some space on the disk that holds the data folder.")
    if free < WARN_DISK_BYTES:
        return Check(name, True, f"{gb:.2f} GB free — enough for now, but getting low.")
    return Check(name, True, f"{gb:.1f} GB free.")


def _logs_check(station: StationPort) -> Check:
    name = "Log files"
    logs = station.paths.logs
    try:
        logs.mkdir(parents=True, exist_ok=True)
        probe = logs / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        return Check(name, False, f"The log folder cannot be written: {exc}",
                     "Check the permissions of the data folder.")
    return Check(name, True, "The log folder is writable.")


def run_self_test(station: StationPort) -> list[Check]:
    """Every check, in the order a technician would look; never raises."""
    out = []
    for fn in (_sensor_check, _database_check, _central_check, _disk_check, _logs_check):
        try:
            out.append(fn(station))
        except Exception as exc:
            out.append(Check(fn.__name__.strip("_").replace("_check", ""), False,
                             f"The check itself failed: {exc}"))
    return out


def _jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(obj).items()}
    if isinstance(obj, frozenset | set | tuple | list):
        return [_jsonable(v) for v in obj]
    return obj


def versions() -> dict[str, str]:
    out = {"kiosk": __version__, "python": sys.version.split()[0],
           "platform": platform.platform()}
    try:
        import PySide6

        out["PySide6"] = PySide6.__version__
    except ImportError:  # pragma: no cover - the GUI always has it
        pass
    return out


def export_bundle(station: StationPort, dest_dir: Path | None = None,
                  checks: list[Check] | None = None) -> Path:
    """Write the diagnostics zip and return its path. No templates, PINs or passwords in it."""
    paths = station.paths
    dest = dest_dir or default_bundle_dir(paths)
    dest.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = dest / bundle_name(station.config.station.id, stamp)
    checks = checks if checks is not None else run_self_test(station)
    sync = station.sync.state if station.sync is not None else None
    status = {
        "created": stamp,
        "sensor": _jsonable(station.sensor.status),
        "sync": _jsonable(sync) if sync is not None else None,
        "self_test": [_jsonable(c) for c in checks],
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("README.txt",
                   "Diagnostics bundle of a fingerprint enrollment station.\n"
                   "status.json: sensor, central server and self-test at export time.\n"
                   "config.json: settings with credentials removed.\n"
                   "logs/: application log and the serial frame trace.\n")
        z.writestr("versions.json", json.dumps(versions(), indent=2))
        z.writestr("config.json", json.dumps(station.config.redacted(), indent=2))
        z.writestr("status.json", json.dumps(status, indent=2, default=str))
        if paths.logs.is_dir():
            for f in sorted(paths.logs.iterdir()):
                if f.is_file() and not f.name.startswith("."):
                    z.write(f, f"logs/{f.name}")
    return target
