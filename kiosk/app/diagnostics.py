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
import logging
import platform
import shutil
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import __version__
from kiosk.app.keys import key_store_info
from kiosk.app.sensor_admin import reconcile
from kiosk.app.wording import (
    EMPTY,
    QT_TRANSLATE_NOOP,
    Text,
    joined,
    reconcile_summary,
    sensor_problem,
)
from kiosk.secrets import mqtt_password
from kiosk.store import StoreError
from kiosk_contract.mqtt import LinkState
from kiosk_contract.telemetry import SensorState

if TYPE_CHECKING:
    from kiosk.app.station import Station

log = logging.getLogger(__name__)

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

    name: Text
    ok: bool
    verdict: Text
    fix: Text = EMPTY


def _t(source: str, **params: object) -> Text:
    return Text(source, params)


def _sensor_check(station: Station) -> Check:
    s = station.sensor_service.status
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Fingerprint sensor"))
    if s.connected:
        where = " on ".join(x for x in (s.model, s.port) if x) or "sensor"
        if s.templates is not None and s.capacity:
            where = f"{where}, {s.templates}/{s.capacity}"
        if s.simulated:
            return Check(name, True, _t(QT_TRANSLATE_NOOP(
                "kiosk", "Simulated sensor answers ({where}). This is training mode, not a real "
                         "sensor."), where=where))
        return Check(name, True, _t(QT_TRANSLATE_NOOP("kiosk", "The sensor answers ({where})."),
                                    where=where))
    problem = sensor_problem(s.problem) if s.problem else _t(QT_TRANSLATE_NOOP(
        "kiosk", "The sensor reports a problem."))
    if s.state is SensorState.DISCONNECTED:
        return Check(name, False, problem, _t(QT_TRANSLATE_NOOP(
            "kiosk", "Plug the sensor's USB cable in. The station finds it by itself within a "
                     "few seconds; no restart is needed.")))
    if s.state in (SensorState.SEARCHING, SensorState.STARTING):
        return Check(name, False, problem, _t(QT_TRANSLATE_NOOP(
            "kiosk", "Check the USB cable and that the sensor's light is on. If a port is set "
                     "by hand in the settings, check it, or set it back to automatic "
                     "(kiosk sensor list shows what is plugged in).")))
    return Check(name, False, problem, _t(QT_TRANSLATE_NOOP(
        "kiosk", "Unplug the sensor, plug it back in, and run the self-test again.")))


def _agreement_check(station: Station) -> Check:
    """The sensor holds exactly the templates the database places on it."""
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Sensor and database"))
    if not station.sensor_service.status.connected:
        return Check(name, False, _t(QT_TRANSLATE_NOOP(
            "kiosk", "Not compared: the sensor is not connected.")), _t(QT_TRANSLATE_NOOP(
                "kiosk", "Connect the sensor and run the check again.")))
    rec = reconcile(station.store, station.sensor_service, repair_it=False)
    text = joined(reconcile_summary(rec.report))
    if rec.report.ok:
        return Check(name, True, text)
    return Check(name, False, text, _t(QT_TRANSLATE_NOOP(
        "kiosk", "Repair on the Sensor page of the admin area, or run: kiosk sensor reconcile "
                 "--repair")))


def _database_check(station: Station) -> Check:
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Station database"))
    t0 = time.perf_counter()
    try:
        n = station.store.maintenance.counts()["people"]
    except StoreError as exc:
        return Check(name, False, _t(QT_TRANSLATE_NOOP(
            "kiosk", "The database cannot be read: {error}"), error=exc),
            _t(exc.hint) if exc.hint else _SUPPORT)
    ms = round((time.perf_counter() - t0) * 1000)
    if n == 0:
        return Check(name, True, _t(QT_TRANSLATE_NOOP(
            "kiosk", "The database answers ({ms} ms) but the roster is empty."), ms=ms),
            _t(QT_TRANSLATE_NOOP("kiosk", "Get the roster from the central server, or import "
                                          "a CSV file with kiosk roster import FILE.csv.")))
    return Check(name, True, _t(QT_TRANSLATE_NOOP(
        "kiosk", "The database answers ({n} people, {ms} ms)."), n=n, ms=ms))


_SUPPORT = Text(QT_TRANSLATE_NOOP("kiosk", "Export the diagnostics bundle and call support."))

_SYNC_FIX: dict[LinkState, str] = {
    LinkState.AUTH_REFUSED: QT_TRANSLATE_NOOP(
        "kiosk", "The broker refused this station's login: ask central for a new "
                 "provisioning file (kiosk provision FILE)."),
    LinkState.TLS_ERROR: QT_TRANSLATE_NOOP(
        "kiosk", "The broker's certificate was not accepted: re-import the provisioning file, "
                 "or check the CA file in the settings."),
    LinkState.CONFIG_ERROR: QT_TRANSLATE_NOOP(
        "kiosk", "The sync settings are incomplete: import a provisioning file "
                 "(kiosk provision FILE)."),
    LinkState.NO_NETWORK: QT_TRANSLATE_NOOP(
        "kiosk", "Check the network cable or Wi-Fi of this station."),
    LinkState.UNREACHABLE: QT_TRANSLATE_NOOP(
        "kiosk", "Check the network; if other stations are also offline, the central "
                 "broker is down — tell central's administrator."),
    LinkState.REFUSED: QT_TRANSLATE_NOOP(
        "kiosk", "The broker refused the connection: tell central's administrator."),
}


def _central_check(station: Station) -> Check:
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Central server"))
    sync = station.sync
    if not sync.enabled:
        return Check(name, True, _t(QT_TRANSLATE_NOOP(
            "kiosk", "No central server is set up: enrollments stay on this station.")),
            _t(QT_TRANSLATE_NOOP("kiosk", "To sync, import a provisioning file: kiosk "
                                          "provision FILE.")))
    st = sync.state
    waiting = _t(QT_TRANSLATE_NOOP("kiosk", "{n} enrollment(s) waiting to be sent."),
                 n=st.pending) if st.pending else EMPTY
    if st.reason is LinkState.ONLINE:
        return Check(name, True, _t(QT_TRANSLATE_NOOP(
            "kiosk", "Connected to the central server. {waiting}"), waiting=waiting))
    if st.reason is LinkState.CONNECTING:
        return Check(name, False, _t(QT_TRANSLATE_NOOP(
            "kiosk", "Still connecting to the central server. {waiting}"), waiting=waiting),
            _t(QT_TRANSLATE_NOOP("kiosk", "Run the check again in a minute; if it stays like "
                                          "this, check the network.")))
    fix = Text(_SYNC_FIX[st.reason]) if st.reason in _SYNC_FIX else _SUPPORT
    return Check(name, False, _t(QT_TRANSLATE_NOOP(
        "kiosk", "Not connected to the central server ({reason}: {detail}). Enrollments are "
                 "kept on this station and sent when it is back. {waiting}"),
        reason=st.reason.value, detail=st.detail or "-", waiting=waiting), fix)


def _disk_check(station: Station) -> Check:
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Disk space"))
    try:
        free = shutil.disk_usage(station.paths.root).free
    except OSError as exc:
        return Check(name, False, _t(QT_TRANSLATE_NOOP(
            "kiosk", "The data folder cannot be checked: {error}"), error=exc.strerror or exc),
            _t(QT_TRANSLATE_NOOP("kiosk", "Check that the data folder exists and the disk is "
                                          "present.")))
    gb = f"{free / 1024**3:.2f}"
    if free < LOW_DISK_BYTES:
        return Check(name, False, _t(QT_TRANSLATE_NOOP(
            "kiosk", "Only {gb} GB free. New enrollments may fail."), gb=gb),
            _t(QT_TRANSLATE_NOOP("kiosk", "Free some space on the disk that holds the data "
                                          "folder.")))
    if free < WARN_DISK_BYTES:
        return Check(name, True, _t(QT_TRANSLATE_NOOP(
            "kiosk", "{gb} GB free — enough for now, but getting low."), gb=gb))
    return Check(name, True, _t(QT_TRANSLATE_NOOP("kiosk", "{gb} GB free."), gb=gb))


def _clock_check(station: Station, now: datetime | None = None) -> Check:
    """Records carry timestamps (consent, retention, sync age): a wrong clock corrupts them."""
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Clock"))
    now = now or datetime.now(UTC)
    fix = _t(QT_TRANSLATE_NOOP("kiosk", "Set the date and time of this PC (and turn on "
                                        "automatic time), then run the check again."))
    stamp = f"{now:%Y-%m-%d %H:%M}"
    if now < EARLIEST_PLAUSIBLE:
        return Check(name, False, _t(QT_TRANSLATE_NOOP(
            "kiosk", "The clock says {time} UTC, which cannot be right."), time=stamp), fix)
    entries = station.store.audit.entries(limit=1)
    newest = entries[0].at if entries else None
    if newest is not None and newest - now > CLOCK_SLACK:
        return Check(name, False, _t(QT_TRANSLATE_NOOP(
            "kiosk", "The clock ({time} UTC) is behind the newest record ({newest} UTC)."),
            time=stamp, newest=f"{newest:%Y-%m-%d %H:%M}"), fix)
    return Check(name, True, _t(QT_TRANSLATE_NOOP("kiosk", "The clock says {time} UTC."),
                                time=stamp))


def _logs_check(station: Station) -> Check:
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Log files"))
    logs = station.paths.logs
    try:
        logs.mkdir(parents=True, exist_ok=True)
        probe = logs / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        return Check(name, False, _t(QT_TRANSLATE_NOOP(
            "kiosk", "The log folder cannot be written: {error}"), error=exc.strerror or exc),
            _t(QT_TRANSLATE_NOOP("kiosk", "Check the permissions of the data folder.")))
    return Check(name, True, _t(QT_TRANSLATE_NOOP("kiosk", "The log folder is writable.")))


def _key_check(station: Station) -> Check:
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Data key"))
    info = key_store_info(station.paths)
    if info.fallback:
        return Check(name, True, _t(QT_TRANSLATE_NOOP(
            "kiosk", "Templates are sealed with a key kept in {where}. A copy of the whole data "
                     "folder carries the key with it."), where=info.where),
            _t(QT_TRANSLATE_NOOP(
                "kiosk", "Keep the data folder on an encrypted disk, or run the station where "
                         "the system offers a key store (Windows DPAPI, a desktop key ring).")))
    return Check(name, True, _t(QT_TRANSLATE_NOOP(
        "kiosk", "Templates are sealed with a key kept in {where}."), where=info.where))


def _audit_check(station: Station) -> Check:
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Audit trail"))
    v = station.store.audit.verify()
    if v.ok:
        return Check(name, True, _t(QT_TRANSLATE_NOOP(
            "kiosk", "{n} entries, the hash chain is intact."), n=v.checked))
    return Check(name, False, _t(QT_TRANSLATE_NOOP(
        "kiosk", "The audit trail was changed: its hash chain breaks at entry {seq} ({kind})."),
        seq=v.seq, kind=v.kind), _t(QT_TRANSLATE_NOOP(
            "kiosk", "Keep this database as evidence and tell your data-protection officer "
                     "(kiosk db verify-audit shows the details).")))


def _deletions_check(station: Station) -> Check:
    name = _t(QT_TRANSLATE_NOOP("kiosk", "Deletions"))
    pending = sorted(station.store.slots.pending_releases())
    if not pending:
        return Check(name, True, _t(QT_TRANSLATE_NOOP(
            "kiosk", "Every deleted template is gone from the sensor too.")))
    return Check(name, False, _t(QT_TRANSLATE_NOOP(
        "kiosk", "{n} sensor slot(s) of deleted templates are still to be cleared ({slots})."),
        n=len(pending), slots=", ".join(map(str, pending))), _t(QT_TRANSLATE_NOOP(
            "kiosk", "Connect the fingerprint sensor: the slots are cleared as soon as it is.")))


CHECKS: tuple[Callable[[Station], Check], ...] = (
    _sensor_check, _agreement_check, _database_check, _audit_check, _key_check,
    _deletions_check, _central_check, _disk_check, _clock_check, _logs_check,
)


def run_self_test(station: Station) -> list[Check]:
    """Every check, in the order a technician would look; never raises."""
    out = []
    for fn in CHECKS:
        try:
            out.append(fn(station))
        except Exception as exc:
            log.exception("self-test check %s failed", fn.__name__)
            out.append(Check(Text(fn.__name__.strip("_").replace("_check", "")), False,
                             _t(QT_TRANSLATE_NOOP("kiosk", "The check itself failed: {error}"),
                                error=type(exc).__name__), _SUPPORT))
    return out


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Text):
        return obj.english()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(obj).items()}
    if isinstance(obj, frozenset | set | tuple | list):
        return [_jsonable(v) for v in obj]
    return obj


#: Distributions whose versions support wants to see (read from metadata: no Qt import here).
_DISTRIBUTIONS = ("PySide6-Essentials", "pyserial", "paho-mqtt", "SQLAlchemy", "cryptography")


def versions() -> dict[str, str]:
    out = {"kiosk": __version__, "python": sys.version.split()[0],
           "platform": platform.platform()}
    for dist in _DISTRIBUTIONS:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
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
        "sensor": _jsonable(station.sensor_service.status),
        "sync": _jsonable(station.sync.state),
        "outbox": outbox,
        "counts": counts,
        "self_test": [{"name": c.name.english(), "ok": c.ok, "verdict": c.verdict.english(),
                       "fix": c.fix.english()} for c in checks],
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
