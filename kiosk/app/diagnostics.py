"""Self-test verdicts and the diagnostics bundle, for any front end that holds a :class:`Station`.

The GUI's self-test button and ``kiosk doctor`` must give the same answers, so the checks live
here, on the application service, not on the GUI's port types. Each check says in plain words
what is wrong and what to do (``fix``). The bundle is what support asks for: logs, the serial
frame trace (its data packets are already elided by the tracer), versions, the settings with
credentials removed and the live status — never template bytes, PINs or passwords; any secret
the station knows is scrubbed from the log text as a second line of defence. Plain Python;
call it off the GUI thread.
"""

from __future__ import annotations

import dataclasses
import json
import platform
import shutil
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.app.station import Station
from kiosk.secrets import mqtt_password

LOW_DISK_BYTES = 200 * 1024 * 1024
WARN_DISK_BYTES = 1024 * 1024 * 1024
#: The newest record may be this far "in the future" before the clock is called wrong.
CLOCK_SLACK = timedelta(minutes=5)
#: Earliest plausible date: a clock before this has lost its battery/NTP.
EARLIEST_PLAUSIBLE = datetime(2026, 1, 1, tzinfo=UTC)
REDACTED = "<redacted>"


@dataclass(frozen=True)
class Check:
    """One line of the self-test: a plain-language verdict and what to do about it."""

    name: str
    ok: bool
    verdict: str
    fix: str = ""


def _sensor_check(station: Station) -> Check:
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
        return Check(name, False, "The sensor is not connected. " + s.message,
                     "Plug the sensor's USB cable in. The station finds it by itself within a "
                     "few seconds; no restart is needed.")
    if s.state in ("searching", "starting"):
        return Check(name, False, "No sensor has been found yet. " + s.message,
                     "Check the USB cable and that the sensor's light is on. If a port is set "
                     "by hand in the settings, check it, or set it back to automatic "
                     "(kiosk sensor list shows what is plugged in).")
    return Check(name, False, s.message or "The sensor reports a problem.",
                 "Unplug the sensor, plug it back in, and run the self-test again.")


def _database_check(station: Station) -> Check:
    name = "Station database"
    t0 = time.perf_counter()
    try:
        n = station.store.maintenance.counts()["people"]
    except Exception as exc:
        hint = getattr(exc, "hint", "") or "Export the diagnostics bundle and call support."
        return Check(name, False, f"The database cannot be read: {exc}", hint)
    ms = (time.perf_counter() - t0) * 1000
    if n == 0:
        return Check(name, True, f"The database answers ({ms:.0f} ms) but the roster is empty.",
                     "Get the roster from the central server, or import a CSV file with "
                     "kiosk roster import FILE.csv.")
    return Check(name, True, f"The database answers ({n} people, {ms:.0f} ms).")


_SYNC_FIX = {
    "auth-refused": "The broker refused this station's login: ask central for a new "
                    "provisioning file (kiosk provision FILE).",
    "tls-error": "The broker's certificate was not accepted: re-import the provisioning file, "
                 "or check the CA file in the settings.",
    "config-error": "The sync settings are incomplete: import a provisioning file "
                    "(kiosk provision FILE).",
    "no-network": "Check the network cable or Wi-Fi of this station.",
    "unreachable": "Check the network; if other stations are also offline, the central "
                   "broker is down — tell central's administrator.",
    "refused": "The broker refused the connection: tell central's administrator.",
}


def _central_check(station: Station) -> Check:
    name = "Central server"
    sync = station.sync
    if sync is None:
        return Check(name, True, "No central server is set up: enrollments stay on this "
                     "station.", "To sync, import a provisioning file: kiosk provision FILE.")
    st = sync.snapshot()
    pending = f" {st.pending} enrollment(s) waiting to be sent." if st.pending else ""
    if st.reason == "online":
        return Check(name, True, "Connected to the central server." + pending)
    if st.reason == "connecting":
        return Check(name, False, "Still connecting to the central server." + pending,
                     "Run the check again in a minute; if it stays like this, check the "
                     "network.")
    fix = _SYNC_FIX.get(st.reason, "Export the diagnostics bundle and call support.")
    detail = f" ({st.detail})" if st.detail else ""
    return Check(name, False, f"Not connected to the central server: {st.reason}{detail}. "
                 "Enrollments are kept on this station and sent when it is back." + pending,
                 fix)


def _disk_check(station: Station) -> Check:
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


def _clock_check(station: Station, now: datetime | None = None) -> Check:
    """Records carry timestamps (consent, retention, sync age): a wrong clock corrupts them."""
    name = "Clock"
    now = now or datetime.now(UTC)
    fix = ("Set the date and time of this PC (and turn on automatic time), then run the "
           "check again.")
    if now < EARLIEST_PLAUSIBLE:
        return Check(name, False, f"The clock says {now:%Y-%m-%d %H:%M} UTC, which cannot be "
                     "right.", fix)
    entries = station.store.audit.entries(limit=1)
    newest = entries[0].at if entries else None
    if newest is not None and newest - now > CLOCK_SLACK:
        return Check(name, False, f"The clock ({now:%Y-%m-%d %H:%M} UTC) is behind the newest "
                     f"record ({newest:%Y-%m-%d %H:%M} UTC).", fix)
    return Check(name, True, f"The clock says {now:%Y-%m-%d %H:%M} UTC.")


def _logs_check(station: Station) -> Check:
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


CHECKS: tuple[Callable[[Station], Check], ...] = (
    _sensor_check, _database_check, _central_check, _disk_check, _clock_check, _logs_check,
)


def run_self_test(station: Station) -> list[Check]:
    """Every check, in the order a technician would look; never raises."""
    out = []
    for fn in CHECKS:
        try:
            out.append(fn(station))
        except Exception as exc:
            out.append(Check(fn.__name__.strip("_").replace("_check", ""), False,
                             f"The check itself failed: {exc}",
                             "Export the diagnostics bundle and call support."))
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
    except ImportError:
        pass
    return out


def redacted_config(station: Station) -> dict[str, Any]:
    """The settings without credentials (user name, sensor password)."""
    d = station.config.redacted()
    if d["sensor"].get("password"):
        d["sensor"]["password"] = REDACTED
    return d


def bundle_name(station_id: str, stamp: str) -> str:
    return f"diagnostics-{station_id}-{stamp}.zip"


def _scrub(data: bytes, secrets: list[bytes]) -> bytes:
    for s in secrets:
        data = data.replace(s, REDACTED.encode())
    return data


def export_bundle(station: Station, dest: Path, checks: list[Check] | None = None) -> Path:
    """Write the diagnostics zip to ``dest`` (a file, or a folder for a dated name)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if dest.is_dir():
        dest = dest / bundle_name(station.config.station.id, stamp)
    dest.parent.mkdir(parents=True, exist_ok=True)
    checks = checks if checks is not None else run_self_test(station)
    secrets = [s.encode() for s in (mqtt_password(station.paths),) if s and len(s) >= 4]
    try:
        outbox: Any = _jsonable(station.store.outbox.stats())
        counts: Any = station.store.maintenance.counts()
    except Exception as exc:
        outbox = counts = f"unavailable: {exc}"
    status = {
        "created": stamp,
        "station_id": station.config.station.id,
        "sensor": _jsonable(station.sensor.status),
        "sync": _jsonable(station.sync.snapshot()) if station.sync is not None else None,
        "outbox": outbox,
        "counts": counts,
        "self_test": [_jsonable(c) for c in checks],
    }
    tmp = dest.with_name(dest.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("README.txt",
                   "Diagnostics bundle of a fingerprint enrollment station.\n"
                   "status.json: sensor, central server, outbox and self-test at export time.\n"
                   "config.json: settings with credentials removed.\n"
                   "logs/: application log and the serial frame trace (data packets elided).\n"
                   "No template bytes, PINs or passwords are included.\n")
        z.writestr("versions.json", json.dumps(versions(), indent=2))
        z.writestr("config.json", json.dumps(redacted_config(station), indent=2))
        z.writestr("status.json", _scrub(json.dumps(status, indent=2, default=str).encode(),
                                         secrets))
        logs = station.paths.logs
        if logs.is_dir():
            for f in sorted(logs.iterdir()):
                if f.is_file() and not f.name.startswith("."):
                    z.writestr(f"logs/{f.name}", _scrub(f.read_bytes(), secrets))
    tmp.replace(dest)
    return dest


__all__ = ["Check", "bundle_name", "export_bundle", "redacted_config", "run_self_test",
           "versions"]
