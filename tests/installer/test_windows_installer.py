"""Smoke test of the Windows installer under Wine: install, self-test, upgrade, uninstall.

Runs the setup built by ``installer/build.sh`` (newest ``installer/build/out/*Setup*.exe``, or
``KIOSK_SETUP``) in a fresh Wine prefix and checks the files, registry and shortcuts left at
each step. Slow (minutes) and needs wine + mingw-w64: enabled by ``KIOSK_RUN_INSTALLER=1``
(``make installer`` / ``installer/smoke_test.sh``). The tests share one prefix and run in order.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path, PureWindowsPath

import pytest

from kiosk.store import Store

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "installer" / "build"
#: Outside the source tree, like the build prefix (installer/wine/prefix.sh says why).
_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
WINE_HOME = Path(os.environ.get("KIOSK_WINE_HOME") or _CACHE / "fingerprint-kiosk" / "wine")
PREFIX = WINE_HOME / "smoke"
PROVISION = BUILD / "smoke" / "provision.toml"
#: Central's key folder and the signed provisioning files made for the test.
CENTRAL = BUILD / "smoke" / "central"
STATION = "smoke-02"

INSTALL_DIR = r"C:\Program Files\FingerprintKiosk"
# No spaces: under Wine every argument with a space gets quoted, and NSIS reads /D= unquoted.
CUSTOM_DIR = r"C:\StationApps\Kiosk"
DATA_DIR = r"C:\ProgramData\FingerprintKiosk"
PROVISION_LOG = "provision-install.log"
#: Setup exit code when the signed provisioning file is refused (installer/kiosk.nsi).
EXIT_PROVISION_REFUSED = 4
RUN_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Run"
UNINST_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\FingerprintKiosk"
START_MENU = r"C:\ProgramData\Microsoft\Windows\Start Menu\Programs\Fingerprint Kiosk"
#: How long the GUI must stay up (Wine starts programs slowly; the GUI then runs until killed).
GUI_UP_S = 30
#: Wine-only stand-in DLLs (installer/wine/): must never end up in the installed program.
WINE_SHIMS = ("bcryptprimitives.dll", "cfgmgr32.dll", "wcfgmgr32.dll")

pytestmark = [pytest.mark.installer, pytest.mark.timeout(900)]


def programs() -> list[str]:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    return sorted({*scripts, "kiosk-cli"})


def unix(win_path: str) -> Path:
    """A C:\\ path inside the smoke prefix, as a Linux path."""
    p = PureWindowsPath(win_path)
    assert p.drive.upper() == "C:"
    return PREFIX / "drive_c" / Path(*p.parts[1:])


class Wine:
    def __init__(self) -> None:
        shutil.rmtree(PREFIX, ignore_errors=True)
        PREFIX.parent.mkdir(parents=True, exist_ok=True)
        PROVISION.parent.mkdir(parents=True, exist_ok=True)
        script = f'. installer/wine/prefix.sh && wine_prefix_init "{PREFIX}" && env -0'
        init = subprocess.run(
            ["bash", "-c", script], cwd=ROOT, capture_output=True, timeout=300, check=False
        )
        assert init.returncode == 0, init.stderr.decode(errors="replace")
        pairs = (e.split("=", 1) for e in init.stdout.decode().split("\0") if "=" in e)
        self.env = dict(pairs)
        self.env.pop("DISPLAY", None)  # headless: no X server needed for /S and offscreen Qt
        # Wine does not pass QT_* variables from Linux to Windows programs: set it in the prefix.
        proc = self.run("reg", "add", r"HKCU\Environment", "/v", "QT_QPA_PLATFORM",
                        "/d", "offscreen", "/f", timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a Windows program and wait for it *and everything it started* (uninstallers
        re-launch themselves from %TEMP%) via ``wineserver -w``. Output is a pipe: Wine's
        Python cannot start with a console Wine does not understand."""
        t0 = time.monotonic()
        proc = subprocess.run(
            ["wine", *args], env=self.env, capture_output=True, text=True,
            errors="replace", timeout=timeout, check=False,
        )
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=timeout, check=False)
        print(f"wine {' '.join(args)} -> {proc.returncode} ({time.monotonic() - t0:.0f} s)")
        return proc

    def reg_value(self, key: str, name: str) -> str | None:
        proc = self.run("reg", "query", key, "/v", name, timeout=120)
        if proc.returncode != 0:
            return None
        for line in proc.stdout.splitlines():
            if line.strip().startswith(name):
                return line.split("REG_SZ", 1)[-1].strip()
        return ""

    def reg_key_exists(self, key: str) -> bool:
        return self.run("reg", "query", key, timeout=120).returncode == 0


def setup_exe() -> Path:
    env = os.environ.get("KIOSK_SETUP")
    if env:
        return Path(env)
    found = sorted((BUILD / "out").glob("*Setup*.exe"), key=lambda p: p.stat().st_mtime)
    if not found:
        pytest.fail("no installer found: run installer/build.sh first (or set KIOSK_SETUP)")
    return found[-1]


@pytest.fixture(scope="module")
def wine() -> Wine:
    if not (shutil.which("wine") and shutil.which("x86_64-w64-mingw32-gcc")):
        pytest.fail("wine and mingw-w64 are needed: run installer/bootstrap.sh")
    return Wine()


def install(wine: Wine, *options: str) -> subprocess.CompletedProcess[str]:
    proc = wine.run(str(setup_exe()), "/S", *options)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def winpath(path: Path) -> str:
    """A Linux path as Wine sees it (Z:), with backslashes: NSIS splits options at "/"."""
    return "Z:" + str(path).replace("/", "\\")


def closed_port() -> int:
    """A loopback port nothing listens on: the station's broker "is not up yet"."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def central(*argv: str) -> dict[str, object]:
    """``kiosk-central`` on Linux, as central's administrator runs it."""
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk_central.cli", *argv, "--json"], cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out: dict[str, object] = json.loads(proc.stdout)
    return out


class Signed:
    """A signed provisioning file for STATION, a tampered copy, and what the station must end
    up with."""

    def __init__(self) -> None:
        shutil.rmtree(CENTRAL, ignore_errors=True)
        CENTRAL.mkdir(parents=True)
        key = CENTRAL / "central.key"
        self.fingerprint = str(central("keygen", "--out", str(key))["signing_key_fingerprint"])
        self.file = CENTRAL / f"{STATION}.SECRET.kioskprov"
        self.broker_url = f"mqtt://127.0.0.1:{closed_port()}"
        central("provision", STATION, "--key-file", str(key), "--out", str(self.file),
                "--broker-url", self.broker_url)
        doc = json.loads(self.file.read_text())
        self.password = str(doc["payload"]["password"])
        doc["payload"]["username"] = "someone-else"  # the signature no longer matches
        self.tampered = CENTRAL / f"{STATION}-tampered.SECRET.kioskprov"
        self.tampered.write_text(json.dumps(doc, indent=2))


@pytest.fixture(scope="module")
def signed() -> Signed:
    return Signed()


def check_program_files(folder: str) -> None:
    base = unix(folder)
    for prog in programs():
        assert (base / f"{prog}.exe").is_file(), f"{prog}.exe missing in {folder}"
    assert (base / "uninstall.exe").is_file()
    internal = base / "_internal"
    assert (internal / "kiosk" / "store" / "migrations" / "env.py").is_file()
    assert list((internal / "kiosk" / "store" / "migrations" / "versions").glob("*.py"))
    assert list(internal.rglob("qoffscreen.dll")), "Qt offscreen platform plugin missing"
    for shim in WINE_SHIMS:
        assert not list(internal.rglob(shim)), f"Wine test stand-in {shim} leaked into the build"


def self_test(wine: Wine, exe: str) -> str:
    proc = wine.run(exe, "--self-test", timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    return out


class TestInstaller:
    def test_fresh_silent_install(self, wine: Wine) -> None:
        PROVISION.write_text('[station]\nid = "smoke-01"\nname = "Smoke test desk"\n')
        # Windows path (backslashes): NSIS splits options at "/".
        provision = "Z:" + str(PROVISION).replace("/", "\\")
        install(wine, "/AUTOSTART=1", "/DESKTOP=1", f"/PROVISION={provision}")
        check_program_files(INSTALL_DIR)
        data = unix(DATA_DIR)
        assert (data / "logs").is_dir() and (data / "backups").is_dir()
        assert (data / "config.toml").read_text() == PROVISION.read_text()
        menu = unix(START_MENU)
        assert (menu / "Fingerprint Kiosk.lnk").is_file()
        assert (menu / "Uninstall Fingerprint Kiosk.lnk").is_file()
        assert (unix(r"C:\users\Public\Desktop") / "Fingerprint Kiosk.lnk").is_file()
        assert "kiosk.exe" in (wine.reg_value(RUN_KEY, "FingerprintKiosk") or "")
        assert wine.reg_value(UNINST_KEY, "DisplayVersion")

    def test_installed_self_test(self, wine: Wine) -> None:
        out = self_test(wine, rf"{INSTALL_DIR}\kiosk-cli.exe")
        assert "self-test passed" in out
        assert "(frozen," in out
        # The program and the installer agree on the data folder, and users may write it.
        assert f"data-folder: {DATA_DIR} (writable)" in out
        # The windowed GUI executable runs the same check (exit code only: no console).
        self_test(wine, rf"{INSTALL_DIR}\kiosk.exe")
        for prog in programs():
            if prog not in ("kiosk", "kiosk-cli"):
                proc = wine.run(rf"{INSTALL_DIR}\{prog}.exe", "--help", timeout=180)
                assert proc.returncode == 0, f"{prog} --help: {proc.stdout}{proc.stderr}"

    def test_gui_starts(self, wine: Wine) -> None:
        """The desk GUI (windowed kiosk.exe, simulated sensor) starts and keeps running."""
        gui_data = r"C:\gui-check"
        proc = subprocess.Popen(
            ["wine", rf"{INSTALL_DIR}\kiosk.exe", "--simulate", "--data-dir", gui_data],
            env=wine.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            errors="replace",
        )
        log = unix(gui_data) / "logs" / "kiosk.log"
        try:
            deadline = time.monotonic() + GUI_UP_S
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(1)
            assert proc.poll() is None, f"kiosk.exe exited with {proc.returncode}: " + (
                (proc.stdout.read() if proc.stdout else "")
                + (log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)")
            )
            assert (unix(gui_data) / "kiosk.sqlite3").is_file(), "GUI did not open its database"
        finally:
            subprocess.run(["wineserver", "-k"], env=wine.env, timeout=60, check=False)
            proc.wait(timeout=60)
            subprocess.run(["wineserver", "-w"], env=wine.env, timeout=60, check=False)
            shutil.rmtree(unix(gui_data), ignore_errors=True)

    def test_upgrade_in_place_keeps_data(self, wine: Wine) -> None:
        data = unix(DATA_DIR)
        (data / "marker.txt").write_text("enrolled data")
        (data / "logs" / "kiosk.log").write_text("old log line\n")
        (data / "config.toml").write_text('[station]\nid = "changed-on-site"\n')
        # A real station database, written before the upgrade and read by the new version.
        store = Store.open(
            data / "kiosk.sqlite3", backups_dir=data / "backups", station_id="changed-on-site"
        )
        store.close()
        stale = unix(INSTALL_DIR) / "_internal" / "left-by-old-version.txt"
        stale.write_text("x")
        install(wine)  # no options: keeps the autostart choice, does not re-provision
        check_program_files(INSTALL_DIR)
        assert not stale.exists(), "program files of the old version must be replaced"
        assert (data / "marker.txt").read_text() == "enrolled data"
        assert (data / "logs" / "kiosk.log").read_text() == "old log line\n"
        assert (data / "config.toml").read_text() == '[station]\nid = "changed-on-site"\n'
        assert "kiosk.exe" in (wine.reg_value(RUN_KEY, "FingerprintKiosk") or "")
        assert (unix(r"C:\users\Public\Desktop") / "Fingerprint Kiosk.lnk").is_file()
        proc = wine.run(rf"{INSTALL_DIR}\kiosk-cli.exe", "db", "check", timeout=180)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "Integrity: ok" in proc.stdout, proc.stdout

    def test_uninstall_keeps_data(self, wine: Wine) -> None:
        proc = wine.run(rf"{INSTALL_DIR}\uninstall.exe", "/S")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert not unix(INSTALL_DIR).exists(), sorted(unix(INSTALL_DIR).rglob("*"))[:20]
        assert not unix(START_MENU).exists()
        assert not (unix(r"C:\users\Public\Desktop") / "Fingerprint Kiosk.lnk").exists()
        assert wine.reg_value(RUN_KEY, "FingerprintKiosk") is None
        assert not wine.reg_key_exists(UNINST_KEY)
        data = unix(DATA_DIR)
        assert (data / "marker.txt").read_text() == "enrolled data"
        assert (data / "config.toml").is_file() and (data / "logs" / "kiosk.log").is_file()
        assert (data / "kiosk.sqlite3").is_file()

    def test_reinstall_elsewhere_then_uninstall_removing_data(self, wine: Wine) -> None:
        install(wine, "/AUTOSTART=0", f"/D={CUSTOM_DIR}")
        check_program_files(CUSTOM_DIR)
        assert wine.reg_value(RUN_KEY, "FingerprintKiosk") is None
        assert (unix(DATA_DIR) / "marker.txt").is_file(), "reinstall must reuse the data"
        proc = wine.run(rf"{CUSTOM_DIR}\uninstall.exe", "/S", "/REMOVEDATA=1")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert not unix(CUSTOM_DIR).exists()
        assert not unix(DATA_DIR).exists(), "/REMOVEDATA=1 must delete the station data"
        assert not wine.reg_key_exists(r"HKLM\Software\FingerprintKiosk")


class TestSignedProvisioning:
    """``/PROVISION=<file>.kioskprov``: the installed kiosk-cli imports central's signed file
    into a fresh data folder (after the tests above, or alone: ``-k Signed``)."""

    def test_tampered_file_fails_the_setup_and_changes_nothing(
        self, wine: Wine, signed: Signed
    ) -> None:
        data = unix(DATA_DIR)
        shutil.rmtree(data, ignore_errors=True)
        proc = wine.run(str(setup_exe()), "/S", f"/PROVISION={winpath(signed.tampered)}")
        assert proc.returncode == EXIT_PROVISION_REFUSED, proc.stdout + proc.stderr
        # The program is installed; the station is not provisioned and no settings appeared.
        check_program_files(INSTALL_DIR)
        assert not (data / "config.toml").exists()
        assert not (data / "central-signing-key.json").exists()
        assert not (data / "secrets" / "mqtt-password").exists()
        log = (data / "logs" / PROVISION_LOG).read_text(errors="replace")
        assert "[FAILED] signature" in log and "Nothing was changed." in log, log
        assert signed.password not in log

    def test_signed_file_provisions_the_station(self, wine: Wine, signed: Signed) -> None:
        install(wine, f"/PROVISION={winpath(signed.file)}", f"/TRUSTKEY={signed.fingerprint}")
        data = unix(DATA_DIR)
        config = tomllib.loads((data / "config.toml").read_text())
        assert config["station"]["id"] == STATION, config
        assert signed.broker_url in str(config["sync"]), config
        assert signed.password not in (data / "config.toml").read_text()
        pin = json.loads((data / "central-signing-key.json").read_text())
        assert pin["fingerprint"] == signed.fingerprint
        assert (data / "secrets" / "mqtt-password").read_text().strip() == signed.password
        # No broker listens: "could not reach the broker yet" is reported and is not a failure.
        log = (data / "logs" / PROVISION_LOG).read_text(errors="replace")
        run = log.rsplit("=== ", 1)[-1]
        assert "--trust-key" in run and f"Provisioned as {STATION}" in run, log
        assert "could not reach the broker yet" in run, log
        assert signed.password not in log
        # The installed program reads the station it was given.
        proc = wine.run(rf"{INSTALL_DIR}\kiosk-cli.exe", "--self-test", timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def test_uninstall_removing_data(self, wine: Wine) -> None:
        proc = wine.run(rf"{INSTALL_DIR}\uninstall.exe", "/S", "/REMOVEDATA=1")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert not unix(DATA_DIR).exists()
