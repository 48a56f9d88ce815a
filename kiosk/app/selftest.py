"""``kiosk --self-test``: a non-GUI check that an installed (possibly frozen) program is whole.

It exists for the installer smoke test and for technicians: a frozen build fails in ways the
source tree never does (a module or Qt plugin left out, migrations not shipped as files, a DLL
missing), so every step exercises the real code path — imports, a migrated database in a
temporary folder, and a conversation with the virtual sensor over ``socket://`` — and prints one
line per step. Exit code 0 only if every step passed. Nothing is written to the station's data
folder.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import pkgutil
import platform
import sqlite3
import struct
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from kiosk import __version__
from kiosk.paths import DataPaths
from kiosk.sensor.packet import DEFAULT_ADDRESS, PID, Deframer, encode

#: Third-party modules the frozen build must carry (import name, why it matters).
THIRD_PARTY: tuple[str, ...] = (
    "serial",
    "serial.tools.list_ports",
    "serial.urlhandler.protocol_socket",
    "paho.mqtt.client",
    "sqlalchemy",
    "sqlalchemy.dialects.sqlite",
    "alembic",
    "alembic.command",
    "alembic.config",
    "cryptography",
    "cryptography.hazmat.primitives.asymmetric.x25519",
    "platformdirs",
    "tomli_w",
    "sqlite3",
)

#: Packages whose every submodule is imported; migration scripts are data, not modules.
OWN_PACKAGES: tuple[str, ...] = ("kiosk", "kiosk_contract")
_SKIP_PARTS = frozenset({"migrations", "__main__"})

_VFY_PWD = 0x13
_READ_SYS_PARA = 0x0F
_IO_TIMEOUT_S = 5.0
_DRIVER_READ_PARAMS = ("read_sys_para", "read_parameters", "read_system_parameters")


class StepFailed(Exception):
    """A step failed for a reason worth one line (no traceback)."""


@dataclass
class StepResult:
    name: str
    ok: bool
    detail: str
    seconds: float


def _console_stream() -> TextIO | None:
    """stdout, or — in a windowed (no-console) frozen build — the parent's console if any.

    A windowed PyInstaller program has ``sys.stdout = None``; attaching to the console of the
    shell that started it lets ``kiosk.exe --self-test`` still report in a terminal.
    """
    out: TextIO | None = getattr(sys, "stdout", None)
    if out is not None:
        return out
    if sys.platform == "win32":
        import ctypes

        attach_parent_process = -1
        if ctypes.windll.kernel32.AttachConsole(attach_parent_process):
            with contextlib.suppress(OSError):
                return open("CONOUT$", "w", encoding="utf-8", errors="replace")
    return None


def _frozen_root() -> str | None:
    root: str | None = getattr(sys, "_MEIPASS", None)
    return root


def _own_modules() -> list[str]:
    """Every importable module of our own packages (works frozen: PyInstaller lists them)."""
    names: list[str] = []
    for pkg_name in OWN_PACKAGES:
        try:
            pkg = importlib.import_module(pkg_name)
        except ModuleNotFoundError as exc:
            if exc.name == pkg_name:
                continue  # optional package not part of this build
            raise
        names.append(pkg_name)
        path = getattr(pkg, "__path__", None)
        if path is None:
            continue
        for info in pkgutil.walk_packages(path, prefix=f"{pkg_name}.", onerror=lambda _n: None):
            if _SKIP_PARTS.intersection(info.name.split(".")):
                continue
            names.append(info.name)
    return sorted(set(names))


def step_imports() -> str:
    failed: list[str] = []
    own = _own_modules()
    for name in own:
        try:
            importlib.import_module(name)
        except Exception as exc:  # report every broken module, not just the first
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    for name in THIRD_PARTY:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    if failed:
        raise StepFailed("cannot import " + "; ".join(failed))
    if "kiosk.store" not in own:
        raise StepFailed("kiosk.store is missing from this build")
    return f"{len(own)} own modules, {len(THIRD_PARTY)} libraries"


def step_qt() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qtcore = importlib.import_module("PySide6.QtCore")
    qtwidgets = importlib.import_module("PySide6.QtWidgets")
    app = qtwidgets.QApplication.instance() or qtwidgets.QApplication(["kiosk-self-test"])
    widget = qtwidgets.QLabel("self-test")
    widget.adjustSize()
    widget.deleteLater()
    return f"PySide6 {qtcore.qVersion()}, platform plugin {app.platformName()!r}"


def step_crypto() -> str:
    x25519 = importlib.import_module("cryptography.hazmat.primitives.asymmetric.x25519")
    a, b = x25519.X25519PrivateKey.generate(), x25519.X25519PrivateKey.generate()
    if a.exchange(b.public_key()) != b.exchange(a.public_key()):
        raise StepFailed("X25519 key agreement gave different secrets")
    return "X25519 key agreement works (OpenSSL bindings loaded)"


def migrations_dir() -> Path:
    """Alembic's script folder: shipped as files next to the package, also when frozen."""
    store = importlib.import_module("kiosk.store")
    init_file: str | None = getattr(store, "__file__", None)
    base = Path(init_file).resolve().parent if init_file else None
    frozen = _frozen_root()
    candidates = [base / "migrations"] if base else []
    if frozen:
        candidates.append(Path(frozen) / "kiosk" / "store" / "migrations")
    for c in candidates:
        if (c / "env.py").is_file():
            return c
    raise StepFailed(
        "Alembic migrations not found (looked in "
        + ", ".join(str(c) for c in candidates)
        + "); the build must ship kiosk/store/migrations as data files"
    )


def _alembic_head(migrations: Path) -> set[str]:
    alembic_config = importlib.import_module("alembic.config")
    alembic_script = importlib.import_module("alembic.script")
    cfg = alembic_config.Config()
    cfg.set_main_option("script_location", str(migrations))
    return set(alembic_script.ScriptDirectory.from_config(cfg).get_heads())


def step_database() -> str:
    try:
        store_mod = importlib.import_module("kiosk.store")
    except ModuleNotFoundError as exc:
        raise StepFailed(f"store not available ({exc})") from None
    store_cls = getattr(store_mod, "Store", None)
    open_fn = getattr(store_cls, "open", None)
    if open_fn is None:
        raise StepFailed("store not available (kiosk.store has no Store.open)")
    migrations = migrations_dir()
    heads = _alembic_head(migrations)
    if not heads:
        raise StepFailed(f"no migration scripts found in {migrations}")
    with tempfile.TemporaryDirectory(prefix="kiosk-selftest-") as tmp:
        paths = DataPaths(Path(tmp)).ensure()
        store = open_fn(paths.database, backups_dir=paths.backups, station_id="self-test")
        try:
            db_files = sorted(Path(tmp).rglob("*.sqlite3")) + sorted(Path(tmp).rglob("*.db"))
            if not db_files:
                raise StepFailed(f"Store.open created no database file in {tmp}")
            con = sqlite3.connect(db_files[0])
            try:
                rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
                tables = con.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
            except sqlite3.Error as exc:
                raise StepFailed(f"database was not migrated ({exc})") from None
            finally:
                con.close()
        finally:
            for closer in ("close", "dispose"):
                fn = getattr(store, closer, None)
                if callable(fn):
                    fn()
                    break
    current = {r[0] for r in rows}
    if current != heads:
        raise StepFailed(f"database at revision {sorted(current)}, migrations head {sorted(heads)}")
    return f"migrated to {', '.join(sorted(heads))} ({tables} tables) in a temporary folder"


@contextlib.contextmanager
def _virtual_sensor() -> Iterator[str]:
    """Start ``kiosk.sim``'s virtual R307 behind a TCP server; yield its ``socket://`` URL."""
    try:
        sim_mod = importlib.import_module("kiosk.sim")
    except ModuleNotFoundError as exc:
        raise StepFailed(f"virtual sensor not available ({exc})") from None
    sim = sim_mod.VirtualR307()
    server = sim_mod.TcpServer(sim)
    entered = hasattr(server, "__enter__")
    if entered:
        server = server.__enter__()
    elif callable(getattr(server, "start", None)):
        server.start()
    try:
        yield str(server.url)
    finally:
        if entered:
            server.__exit__(None, None, None)
        else:
            for stopper in ("close", "stop", "shutdown"):
                fn = getattr(server, stopper, None)
                if callable(fn):
                    fn()
                    break


def _raw_exchange(port: Any, deframer: Any, address: int, payload: bytes) -> bytes:
    port.write(encode(address, PID.COMMAND, payload))
    deadline = time.monotonic() + _IO_TIMEOUT_S
    while time.monotonic() < deadline:
        deframer.feed(port.read(64))
        packet = deframer.next()
        if packet is not None:
            if packet.pid != PID.ACK:
                raise StepFailed(f"expected an ACK packet, got {packet.pid.name}")
            return bytes(packet.payload)
    raise StepFailed(f"no answer to instruction 0x{payload[0]:02X} within {_IO_TIMEOUT_S:.0f} s")


def _talk_raw(url: str) -> str:
    """VfyPwd + ReadSysPara with hand-built EF01 packets (no host driver needed)."""
    serial = importlib.import_module("serial")
    port = serial.serial_for_url(url, baudrate=57600, timeout=0.2)
    try:
        deframer = Deframer(DEFAULT_ADDRESS)
        ack = _raw_exchange(port, deframer, DEFAULT_ADDRESS, struct.pack(">BI", _VFY_PWD, 0))
        if ack[:1] != b"\x00":
            raise StepFailed(f"VfyPwd refused (confirmation 0x{ack[0]:02X})")
        ack = _raw_exchange(port, deframer, DEFAULT_ADDRESS, bytes([_READ_SYS_PARA]))
        if ack[:1] != b"\x00" or len(ack) < 17:
            raise StepFailed(f"ReadSysPara failed (answer {ack.hex()})")
        _status, _sysid, capacity, level, _addr, _size, baud_n = struct.unpack(
            ">HHHHIHH", ack[1:17]
        )
    finally:
        port.close()
    return f"capacity {capacity}, security level {level}, baud {baud_n * 9600}"


def _talk_driver(url: str) -> str | None:
    """Use the host driver when it offers ``SensorDriver.open``; None = not available."""
    try:
        sensor = importlib.import_module("kiosk.sensor")
    except ImportError:
        return None
    driver_cls = getattr(sensor, "SensorDriver", None)
    if driver_cls is None or not callable(getattr(driver_cls, "open", None)):
        return None
    driver = driver_cls.open(url)
    try:
        for name in _DRIVER_READ_PARAMS:
            fn = getattr(driver, name, None)
            if callable(fn):
                params = fn()
                shown = {k: getattr(params, k) for k in ("capacity", "baud") if hasattr(params, k)}
                return f"host driver {type(driver).__name__} read parameters {shown or params}"
        return None
    finally:
        closer = getattr(driver, "close", None)
        if callable(closer):
            closer()


def step_sensor() -> str:
    with _virtual_sensor() as url:
        raw = _talk_raw(url)
        via_driver = _talk_driver(url)
    where = url.split("?")[0]
    if via_driver is None:
        return f"virtual sensor at {where}: raw EF01 {raw} (host driver API not present)"
    return f"virtual sensor at {where}: raw EF01 {raw}; {via_driver}"


def step_data_folder(paths: DataPaths) -> str:
    """Report the data folder, and fail if it exists but this user cannot write it."""
    root = paths.root
    if not root.exists():
        return f"{root} (not created yet)"
    probe = root / f".selftest-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StepFailed(f"{root} is not writable for this user ({exc})") from None
    return f"{root} (writable)"


def _run_step(name: str, fn: Callable[[], str], verbose: bool) -> StepResult:
    t0 = time.monotonic()
    try:
        detail = fn()
        ok = True
    except StepFailed as exc:
        detail, ok = str(exc), False
    except Exception as exc:
        detail, ok = f"{type(exc).__name__}: {exc}", False
        if verbose:
            detail += "\n" + traceback.format_exc()
    return StepResult(name, ok, detail, time.monotonic() - t0)


def run_self_test(paths: DataPaths, *, json_output: bool = False, verbose: bool = False) -> int:
    """Run every step, print one line each, return 0 only if all passed."""
    out = _console_stream() or io.StringIO()
    frozen = "frozen" if _frozen_root() else "source"
    header = (
        f"kiosk {__version__} self-test ({frozen}, Python {platform.python_version()}, "
        f"{sys.platform})"
    )
    steps: list[tuple[str, Callable[[], str]]] = [
        ("imports", step_imports),
        ("qt", step_qt),
        ("crypto", step_crypto),
        ("database", step_database),
        ("sensor", step_sensor),
        ("data-folder", lambda: step_data_folder(paths)),
    ]
    if not json_output:
        print(header, file=out, flush=True)
    results: list[StepResult] = []
    for name, fn in steps:
        r = _run_step(name, fn, verbose)
        results.append(r)
        if not json_output:
            mark = "PASS" if r.ok else "FAIL"
            print(f"[{mark}] {name}: {r.detail} ({r.seconds:.1f} s)", file=out, flush=True)
    failed = [r.name for r in results if not r.ok]
    if json_output:
        doc = {
            "ok": not failed,
            "version": __version__,
            "frozen": bool(_frozen_root()),
            "steps": [r.__dict__ for r in results],
        }
        print(json.dumps(doc, indent=2), file=out, flush=True)
    elif failed:
        print(f"self-test FAILED: {', '.join(failed)}", file=out, flush=True)
    else:
        print(f"self-test passed ({len(results)} steps)", file=out, flush=True)
    return 1 if failed else 0
