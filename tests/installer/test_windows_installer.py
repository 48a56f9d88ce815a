"""Smoke test of the Windows setup and MSI under Wine: what IT and a station user would see.

Runs the setup and MSI built by ``installer/build.sh`` (newest in ``installer/build/out/``, or
``KIOSK_SETUP`` / ``KIOSK_MSI``) in one fresh Wine prefix, in order:

1. both refuse a Windows older than 10 1809;
2. upgrade from the previous tagged release (its own setup, cached by
   ``installer/previous-release.sh``) with real data written by that release's own programs
   and its kiosk running: silent upgrade stops it, migrates the database (0002 -> today's head,
   after a backup), starts it again;
3. fresh silent install with options, self-test, the GUI drawn through Qt's Windows backend
   (screenshots of first-run and sign-in, checked), a start-up failure shown in a message
   box and logged, upgrade in place, uninstall, reinstall elsewhere, data removal;
4. signed provisioning (refused when tampered, imported when genuine);
5. the MSI: ``msiexec /i /qn`` with the same options, refused next to the setup .exe,
   ``msiexec /x /qn REMOVEDATA=1``;
6. signatures on every program, the uninstaller, the setup and the MSI.

Slow (minutes) and needs wine, mingw-w64, Xvfb and ImageMagick: enabled by
``KIOSK_RUN_INSTALLER=1`` (``make installer`` / ``installer/smoke_test.sh``).
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path, PureWindowsPath
from typing import IO

import pytest

from kiosk import __version__
from kiosk.store import Store
from kiosk.store import engine as store_engine

from .screenshot import Findings, analyse

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "installer" / "build"
#: Outside the source tree, like the build prefix (installer/wine/prefix.sh says why).
_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
WINE_HOME = Path(os.environ.get("KIOSK_WINE_HOME") or _CACHE / "fingerprint-kiosk" / "wine")
PREFIX = WINE_HOME / "smoke"
SMOKE = BUILD / "smoke"
PROVISION = SMOKE / "provision.toml"
CENTRAL = SMOKE / "central"
STATION = "smoke-02"

INSTALL_DIR = r"C:\Program Files\FingerprintKiosk"
# No spaces: under Wine every argument with a space gets quoted, and NSIS reads /D= unquoted.
CUSTOM_DIR = r"C:\StationApps\Kiosk"
DATA_DIR = r"C:\ProgramData\FingerprintKiosk"
PROVISION_LOG = "provision-install.log"
EXIT_PROVISION_REFUSED = 4
EXIT_WINDOWS_TOO_OLD = 6
EXIT_INSTALLED_BY_MSI = 7
#: msiexec's ERROR_INSTALL_FAILURE; a Linux exit status keeps only its low byte (1603 -> 67).
MSI_LAUNCH_REFUSED = 1603 % 256
RUN_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Run"
UNINST_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\FingerprintKiosk"
APP_KEY = r"HKLM\Software\FingerprintKiosk"
START_MENU = r"C:\ProgramData\Microsoft\Windows\Start Menu\Programs\Fingerprint Kiosk"
PUBLIC_DESKTOP = r"C:\users\Public\Desktop"
#: Wine names its Windows user after the Unix user running it.
_WINE_USER = rf"C:\users\{getpass.getuser()}"
USER_START_MENU = (_WINE_USER + r"\AppData\Roaming\Microsoft\Windows\Start Menu\Programs"
                   r"\Fingerprint Kiosk")
USER_DESKTOP = _WINE_USER + r"\Desktop"
GUI_TITLE = "Fingerprint enrollment"
SCREEN = (1366, 768)
#: Deadlines: Wine starts programs slowly; each wait polls a condition until then.
START_S = 90.0
#: The only programs a station gets.
PROGRAMS = ("kiosk.exe", "kiosk-cli.exe")
#: Wine-only stand-ins (installer/wine/): must never end up in the installed program.
WINE_SHIMS = ("bcryptprimitives.dll", "cfgmgr32.dll", "wcfgmgr32.dll", "windows.ui.dll",
              "wintext.exe")
#: The Qt plugins shipped (installer/kiosk.spec), nothing else (qsvg: the stylesheet's arrows).
QT_PLUGINS = {"qwindows.dll", "qoffscreen.dll", "qmodernwindowsstyle.dll", "qsvg.dll"}

pytestmark = [pytest.mark.installer, pytest.mark.timeout(1800)]

#: Record counts written by the previous release, compared after the upgrade.
BEFORE_UPGRADE: dict[str, object] = {}


def unix(win_path: str) -> Path:
    """A C:\\ path inside the smoke prefix, as a Linux path."""
    p = PureWindowsPath(win_path)
    assert p.drive.upper() == "C:"
    return PREFIX / "drive_c" / Path(*p.parts[1:])


def winpath(path: Path) -> str:
    """A Linux path as Wine sees it (Z:), with backslashes: NSIS splits options at "/"."""
    return "Z:" + str(path).replace("/", "\\")


def wait_until(cond: Callable[[], bool], timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.5)


def newest(pattern: str, env: str) -> Path:
    if os.environ.get(env):
        return Path(os.environ[env])
    found = sorted((BUILD / "out").glob(pattern), key=lambda p: p.stat().st_mtime)
    if not found:
        pytest.fail(f"nothing matches installer/build/out/{pattern}: run installer/build.sh")
    return found[-1]


def setup_exe() -> Path:
    return newest("*Setup*.exe", "KIOSK_SETUP")


def msi_file() -> Path:
    return newest("*.msi", "KIOSK_MSI")


class Wine:
    """One prefix, with a virtual desktop on a private Xvfb display for every program."""

    def __init__(self) -> None:
        if PREFIX.exists():  # a server left running on the old prefix would serve the new one
            subprocess.run(["wineserver", "-k"], env={**os.environ, "WINEPREFIX": str(PREFIX)},
                           timeout=60, check=False)
        shutil.rmtree(PREFIX, ignore_errors=True)
        PREFIX.parent.mkdir(parents=True, exist_ok=True)
        SMOKE.mkdir(parents=True, exist_ok=True)
        self.xvfb, self.display = self._start_xvfb()
        script = f'. installer/wine/prefix.sh && wine_prefix_init "{PREFIX}" && env -0'
        init = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True,
                              timeout=300, check=False)
        assert init.returncode == 0, init.stderr.decode(errors="replace")
        pairs = (e.split("=", 1) for e in init.stdout.decode().split("\0") if "=" in e)
        self.env = dict(pairs)
        self.env["DISPLAY"] = self.display
        # The installed program keeps its secrets where a station does (DPAPI, here Wine's),
        # not in the key file the source-tree tests force (tests/conftest.py).
        self.env.pop("KIOSK_KEYSTORE", None)
        self.shims = BUILD / "shims"
        # Every program in one virtual desktop (what a signed-in user sees).
        for args in (
            ("HKCU\\Software\\Wine\\Explorer", "/v", "Desktop", "/d", "Default"),
            ("HKCU\\Software\\Wine\\Explorer\\Desktops", "/v", "Default", "/d",
             f"{SCREEN[0]}x{SCREEN[1]}"),
        ):
            proc = self.run("reg", "add", *args, "/f", timeout=120)
            assert proc.returncode == 0, proc.stdout + proc.stderr

    @staticmethod
    def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
        for n in range(90, 140):
            if Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
                continue
            proc = subprocess.Popen(
                ["Xvfb", f":{n}", "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
                 "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            socket_file = Path(f"/tmp/.X11-unix/X{n}")

            def up(p: subprocess.Popen[bytes] = proc, s: Path = socket_file) -> bool:
                return s.exists() or p.poll() is not None

            wait_until(up, 20, "Xvfb")
            if proc.poll() is None:
                return proc, f":{n}"
        raise AssertionError("no free X display for Xvfb")

    def close(self) -> None:
        self.kill_all()
        self.xvfb.terminate()
        self.xvfb.wait(10)

    def run(self, *args: str, timeout: float = 300,
            wait_all: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a Windows program; with ``wait_all`` also everything it started (uninstallers
        re-launch themselves from %TEMP%) via ``wineserver -w``. Output is a pipe: Wine's
        Python cannot start with a console Wine does not understand."""
        t0 = time.monotonic()
        proc = self._run_until_exit(["wine", *args], timeout)
        if wait_all:
            subprocess.run(["wineserver", "-w"], env=self.env, timeout=timeout, check=False)
        print(f"wine {' '.join(args)} -> {proc.returncode} ({time.monotonic() - t0:.0f} s)")
        return proc

    def _run_until_exit(self, cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        """Wait for the program itself, not for its output pipes: a setup that starts the
        kiosk again hands it its standard handles, which then stay open as long as it runs."""
        child = subprocess.Popen(cmd, env=self.env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        chunks: dict[str, list[bytes]] = {"out": [], "err": []}

        def pump(src: IO[bytes], into: list[bytes]) -> None:
            fd = src.fileno()
            while data := os.read(fd, 65536):
                into.append(data)

        assert child.stdout is not None and child.stderr is not None
        pumps = [threading.Thread(target=pump, args=(child.stdout, chunks["out"]), daemon=True),
                 threading.Thread(target=pump, args=(child.stderr, chunks["err"]), daemon=True)]
        for t in pumps:
            t.start()
        try:
            code = child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            raise
        for t in pumps:
            t.join(5)  # what arrived by now; a kiosk it started may keep the pipes open
        return subprocess.CompletedProcess(
            cmd, code, b"".join(list(chunks["out"])).decode(errors="replace"),
            b"".join(list(chunks["err"])).decode(errors="replace"))

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """Start a Windows program and leave it running (``env``: extra variables for it)."""
        return subprocess.Popen(["wine", *args], env={**self.env, **(env or {})},
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                errors="replace")

    def kill_all(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, timeout=60, check=False)
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=60, check=False)

    def reg_value(self, key: str, name: str) -> str | None:
        proc = self.run("reg", "query", key, "/v", name, timeout=120, wait_all=False)
        if proc.returncode != 0:
            return None
        for line in proc.stdout.splitlines():
            if line.strip().startswith(name):
                return line.split("REG_", 1)[-1].split(None, 1)[-1].strip()
        return ""

    def reg_key_exists(self, key: str) -> bool:
        return self.run("reg", "query", key, timeout=120, wait_all=False).returncode == 0

    def windows(self) -> str:
        """The desktop's windows and their texts (installer/wine/wintext.c); "" when Wine did
        not answer in time (callers poll until their own deadline)."""
        try:
            return self.run(str(self.shims / "wintext.exe"), timeout=20, wait_all=False).stdout
        except subprocess.TimeoutExpired:
            print("wintext.exe did not answer within 20 s")
            return ""

    def close_window(self, title: str) -> None:
        self.run(str(self.shims / "wintext.exe"), "close", title, timeout=120, wait_all=False)

    def screenshot(self, name: str) -> Path:
        out = SMOKE / f"{name}.png"
        subprocess.run(["import", "-display", self.display, "-window", "root", str(out)],
                       check=True, timeout=60)
        return out


@pytest.fixture(scope="module")
def wine() -> Iterator[Wine]:
    for tool in ("wine", "x86_64-w64-mingw32-gcc", "Xvfb", "import", "osslsigncode"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is needed: run installer/bootstrap.sh")
    w = Wine()
    yield w
    w.close()


def install(wine: Wine, *options: str, exe: Path | None = None) -> None:
    proc = wine.run(str(exe or setup_exe()), "/S", *options, wait_all=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def cli(wine: Wine, *args: str, folder: str = INSTALL_DIR,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return wine.run(rf"{folder}\kiosk-cli.exe", *args, timeout=timeout, wait_all=False)


def db_check(wine: Wine, data_dir: str = DATA_DIR) -> dict[str, object]:
    proc = cli(wine, "db", "check", "--json", "--data-dir", data_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report: dict[str, object] = json.loads(proc.stdout[proc.stdout.index("{"):])
    return report


def closed_port() -> int:
    """A loopback port nothing listens on: the station's broker "is not up yet"."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def central(*argv: str) -> dict[str, object]:
    """``kiosk-central`` on Linux, as central's administrator runs it."""
    proc = subprocess.run([sys.executable, "-m", "kiosk_central.cli", *argv, "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out: dict[str, object] = json.loads(proc.stdout)
    return out


class Signed:
    """A signed provisioning file for STATION, a tampered copy, and what must result."""

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
    """The station's program, slim: two programs, one archive, only the Qt parts it uses."""
    base = unix(folder)
    exes = sorted(p.name for p in base.glob("*.exe"))
    assert exes == sorted([*PROGRAMS, "uninstall.exe"]) or exes == sorted(PROGRAMS), exes
    internal = base / "_internal"
    assert (internal / "kiosk" / "store" / "migrations" / "env.py").is_file()
    assert list((internal / "kiosk" / "store" / "migrations" / "versions").glob("*.py"))
    plugins = {p.name for p in (internal / "PySide6" / "plugins").rglob("*.dll")}
    assert plugins == QT_PLUGINS, plugins
    assert not list(internal.rglob("opengl32sw.dll"))
    assert not list((internal / "PySide6").glob("translations/*.qm"))
    assert not (internal / "kiosk_central").exists(), "the central program is not for stations"
    for shim in WINE_SHIMS:
        assert not list(base.rglob(shim)), f"Wine test stand-in {shim} leaked into the build"


def self_test(wine: Wine, folder: str = INSTALL_DIR) -> str:
    proc = cli(wine, "--self-test", folder=folder)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "self-test passed" in out and "(frozen," in out, out
    return out


def gui_window(wine: Wine) -> str:
    return next((line for line in wine.windows().splitlines() if GUI_TITLE in line), "")


# ---------------------------------------------------------------------------------------
class TestWindowsVersion:
    def test_setup_and_msi_refuse_windows_before_10_1809(self, wine: Wine) -> None:
        assert wine.run("winecfg", "-v", "win7", timeout=120).returncode == 0
        try:
            proc = wine.run(str(setup_exe()), "/S", timeout=300)
            assert proc.returncode == EXIT_WINDOWS_TOO_OLD, proc.stdout + proc.stderr
            proc = wine.run("msiexec", "/i", winpath(msi_file()), "/qn", timeout=300)
            assert proc.returncode == MSI_LAUNCH_REFUSED, proc.stdout + proc.stderr
            assert not unix(INSTALL_DIR).exists()
            assert not wine.reg_key_exists(APP_KEY)
        finally:
            assert wine.run("winecfg", "-v", "win10", timeout=120).returncode == 0


class TestUpgradeFromPreviousRelease:
    """The release before this one, installed and used with its own programs, then upgraded
    silently while its kiosk runs."""

    @pytest.fixture(scope="class")
    def previous(self) -> Path:
        proc = subprocess.run([str(ROOT / "installer" / "previous-release.sh")], cwd=ROOT,
                              capture_output=True, text=True, timeout=1500, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
        return Path(proc.stdout.strip().splitlines()[-1])

    def test_previous_release_with_real_data(self, wine: Wine, previous: Path) -> None:
        install(wine, "/AUTOSTART=1", exe=previous)
        assert (unix(INSTALL_DIR) / "kiosk-sim.exe").is_file(), "not the previous layout"
        roster = SMOKE / "roster.csv"
        roster.write_text("external_id,display_name\nS-1001,Grace Hopper\nS-1002,Alan Turing\n")
        proc = cli(wine, "roster", "import", winpath(roster), "--data-dir", DATA_DIR)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        # An enrollment with that release's own virtual sensor and command line.
        port = closed_port()
        sim = wine.start(rf"{INSTALL_DIR}\kiosk-sim.exe", "--listen", f"127.0.0.1:{port}",
                         "--auto", "grace:right-index")
        try:
            def listening() -> bool:
                with socket.socket() as s:
                    return s.connect_ex(("127.0.0.1", port)) == 0
            wait_until(listening, START_S, "the previous release's virtual sensor")
            proc = cli(wine, "enroll", "--person", "S-1001", "--finger", "right-index",
                       "--port", f"socket://127.0.0.1:{port}", "--consent",
                       "operator-attestation", "--json", "--data-dir", DATA_DIR)
            assert proc.returncode == 0, proc.stdout + proc.stderr
        finally:
            sim.kill()
            sim.wait(30)
        report = db_check(wine)
        assert report["schema_revision"] == "0002", report
        counts = report["counts"]
        assert isinstance(counts, dict) and counts.get("templates") == 1, report
        assert counts.get("people") == 2, report
        BEFORE_UPGRADE.update(counts)

    def test_silent_upgrade_stops_migrates_and_restarts_the_kiosk(self, wine: Wine) -> None:
        log = unix(DATA_DIR) / "logs" / "kiosk.log"
        kiosk = wine.start(rf"{INSTALL_DIR}\kiosk.exe", "--data-dir", DATA_DIR)
        try:
            wait_until(lambda: bool(gui_window(wine)), START_S, "the previous kiosk's window")
            assert "0.2.0 starting" not in log.read_text(errors="replace")
            install(wine)  # no options: an IT push of the new version
            wait_until(lambda: kiosk.poll() is not None, START_S, "the old kiosk to stop")
            # Started again: the new version's first log line, and its window.
            wait_until(lambda: f"Fingerprint Kiosk {__version__} starting" in
                       log.read_text(errors="replace"), START_S, "the new kiosk to start")
            wait_until(lambda: bool(gui_window(wine)), START_S, "the new kiosk's window")
        finally:
            kiosk.kill()
        try:
            self._check_upgraded(wine)
        finally:  # a failure here must not leave the restarted kiosk and data to later tests
            wine.kill_all()
            proc = wine.run(rf"{INSTALL_DIR}\uninstall.exe", "/S", "/REMOVEDATA=1")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert not unix(DATA_DIR).exists() and not unix(INSTALL_DIR).exists()

    def _check_upgraded(self, wine: Wine) -> None:
        head = store_engine.head_revision()
        base = unix(INSTALL_DIR)
        assert not (base / "kiosk-sim.exe").exists() and not (base / "kiosk-central.exe").exists()
        check_program_files(INSTALL_DIR)
        report = db_check(wine)
        assert report["schema_revision"] == report["head_revision"] == head, report
        assert report["integrity"] == ["ok"], report
        counts = report["counts"]
        assert isinstance(counts, dict)
        for table in ("people", "templates", "consents"):
            assert counts.get(table) == BEFORE_UPGRADE.get(table), (table, report)
        data = unix(DATA_DIR)
        assert list((data / "backups").glob(f"kiosk-*-pre-{head}.sqlite3")), \
            "no pre-upgrade backup"
        upgrade_log = (data / "logs" / "upgrade-install.log").read_text(errors="replace")
        assert f"Schema 0002 -> {head}" in upgrade_log, upgrade_log
        # The upgrade sealed the old release's templates under a data key kept by DPAPI.
        secrets = {p.name for p in (data / "secrets").iterdir()}
        assert "data-key.dpapi" in secrets and "data-key" not in secrets, secrets
        assert "kiosk.exe" in (wine.reg_value(RUN_KEY, "FingerprintKiosk") or "")


class TestInstaller:
    def test_fresh_silent_install(self, wine: Wine) -> None:
        PROVISION.write_text('[station]\nid = "smoke-01"\nname = "Smoke test desk"\n')
        install(wine, "/AUTOSTART=1", "/DESKTOP=1", f"/PROVISION={winpath(PROVISION)}")
        check_program_files(INSTALL_DIR)
        data = unix(DATA_DIR)
        assert (data / "logs").is_dir() and (data / "backups").is_dir()
        assert (data / "config.toml").read_text() == PROVISION.read_text()
        menu = unix(START_MENU)
        assert (menu / "Fingerprint Kiosk.lnk").is_file()
        assert (menu / "Uninstall Fingerprint Kiosk.lnk").is_file()
        assert (unix(PUBLIC_DESKTOP) / "Fingerprint Kiosk.lnk").is_file()
        assert "kiosk.exe" in (wine.reg_value(RUN_KEY, "FingerprintKiosk") or "")
        assert wine.reg_value(UNINST_KEY, "DisplayVersion")

    def test_installed_self_test_and_commands(self, wine: Wine) -> None:
        out = self_test(wine)
        assert f"data-folder: {DATA_DIR} (writable)" in out
        # The windowed program runs the same check (exit code only: no console).
        proc = wine.run(rf"{INSTALL_DIR}\kiosk.exe", "--self-test", timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        # The virtual sensor is a subcommand of the one program now.
        proc = cli(wine, "sim", "--help")
        assert proc.returncode == 0 and "--listen" in proc.stdout, proc.stdout + proc.stderr
        assert cli(wine, "--version").stdout.strip().startswith("kiosk ")

    def test_gui_draws_first_run_then_sign_in(self, wine: Wine) -> None:
        """Qt's Windows backend draws the real screens: first run (no operator yet: name, PIN,
        PIN again, language), then, with an operator on the station, the sign-in screen
        (operator, PIN, language)."""
        shots: dict[str, Findings] = {}
        for name in ("first-run", "sign-in"):
            gui_data = rf"C:\gui-{name}"
            if name == "sign-in":
                data = unix(gui_data)
                data.mkdir(parents=True)
                store = Store.open(data / "kiosk.sqlite3", backups_dir=data / "backups",
                                   station_id="smoke-gui")
                store.operators.create("Ada", "2468", role="admin")
                store.close()
            kiosk = wine.start(rf"{INSTALL_DIR}\kiosk.exe", "--simulate", "--data-dir", gui_data)
            try:
                wait_until(lambda: bool(gui_window(wine)), START_S, f"the {name} window")
                line = gui_window(wine)
                wait_until(lambda: _looks_ready(wine, name), 60, f"the {name} screen drawn")  # noqa: B023
                shots[name] = analyse(SMOKE / f"gui-{name}.png")
                print(name, line, shots[name].describe())
                assert kiosk.poll() is None, "the GUI exited"
                log = (unix(gui_data) / "logs" / "kiosk.log").read_text(errors="replace")
                assert "starting" in log, log
            finally:
                kiosk.kill()
                wine.kill_all()
        first, sign_in = shots["first-run"], shots["sign-in"]
        for f in (first, sign_in):
            assert (f.width, f.height) == SCREEN
            assert f.banner_rows >= 10, "the SIMULATED banner is missing"
            assert f.button_box is not None and f.button_box[0] > f.width // 2
            assert f.page_share > 0.4
        assert first.fields == 4, first.describe()
        assert sign_in.fields == 3, sign_in.describe()

    def test_start_up_failure_is_shown_and_logged(self, wine: Wine) -> None:
        gui_data = r"C:\gui-fails"
        kiosk = wine.start(rf"{INSTALL_DIR}\kiosk.exe", "--data-dir", gui_data,
                           env={"KIOSK_FAIL_START": "the settings file is unreadable"})
        try:
            wait_until(lambda: "The kiosk cannot start" in wine.windows(), START_S,
                       "the start-up error message box")
            text = wine.windows()
            assert "Fingerprint Kiosk\t#32770" in text, text  # a message box of ours
            assert "the settings file is unreadable" in text and "kiosk.log" in text, text
            assert "Traceback" not in text
            wine.screenshot("start-up-error")
            wine.close_window("Fingerprint Kiosk")
            wait_until(lambda: kiosk.poll() is not None, START_S, "the kiosk to exit")
        finally:
            kiosk.kill()
            wine.kill_all()
        log = (unix(gui_data) / "logs" / "kiosk.log").read_text(errors="replace")
        assert "starting" in log and "the kiosk could not start" in log, log
        assert "Traceback" in log, "the log keeps the details"

    def test_upgrade_in_place_keeps_data(self, wine: Wine) -> None:
        data = unix(DATA_DIR)
        (data / "marker.txt").write_text("enrolled data")
        (data / "logs" / "kiosk.log").write_text("old log line\n")
        (data / "config.toml").write_text('[station]\nid = "changed-on-site"\n')
        # Written by the installed program, so under this PC's key (DPAPI): a database written
        # from outside under another key is refused, as it must be.
        roster = SMOKE / "kept.csv"
        roster.write_text("external_id,display_name\nS-9,Kept Person\n")
        proc = cli(wine, "roster", "import", winpath(roster), "--data-dir", DATA_DIR)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        stale = unix(INSTALL_DIR) / "_internal" / "left-by-old-version.txt"
        stale.write_text("x")
        install(wine)
        check_program_files(INSTALL_DIR)
        assert not stale.exists(), "program files of the old version must be replaced"
        assert (data / "marker.txt").read_text() == "enrolled data"
        # kept, not truncated (the upgrade's own lines, e.g. the data key made, come after it)
        assert (data / "logs" / "kiosk.log").read_text().startswith("old log line\n")
        assert (data / "config.toml").read_text() == '[station]\nid = "changed-on-site"\n'
        assert "kiosk.exe" in (wine.reg_value(RUN_KEY, "FingerprintKiosk") or "")
        assert (unix(PUBLIC_DESKTOP) / "Fingerprint Kiosk.lnk").is_file()
        report = db_check(wine)
        counts = report["counts"]
        assert report["integrity"] == ["ok"], report
        assert isinstance(counts, dict) and counts["people"] == 1, report
        assert not gui_window(wine), "no kiosk ran before, none is started"

    def test_uninstall_keeps_data(self, wine: Wine) -> None:
        proc = wine.run(rf"{INSTALL_DIR}\uninstall.exe", "/S")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert not unix(INSTALL_DIR).exists(), sorted(unix(INSTALL_DIR).rglob("*"))[:20]
        assert not unix(START_MENU).exists()
        assert not (unix(PUBLIC_DESKTOP) / "Fingerprint Kiosk.lnk").exists()
        assert wine.reg_value(RUN_KEY, "FingerprintKiosk") is None
        assert not wine.reg_key_exists(UNINST_KEY)
        data = unix(DATA_DIR)
        assert (data / "marker.txt").read_text() == "enrolled data"
        assert (data / "kiosk.sqlite3").is_file()

    def test_reinstall_elsewhere_then_uninstall_removing_data(self, wine: Wine) -> None:
        install(wine, "/AUTOSTART=0", f"/D={CUSTOM_DIR}")
        check_program_files(CUSTOM_DIR)
        assert wine.reg_value(RUN_KEY, "FingerprintKiosk") is None
        assert (unix(DATA_DIR) / "marker.txt").is_file(), "reinstall must reuse the data"
        self_test(wine, CUSTOM_DIR)
        proc = wine.run(rf"{CUSTOM_DIR}\uninstall.exe", "/S", "/REMOVEDATA=1")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert not unix(CUSTOM_DIR).exists()
        assert not unix(DATA_DIR).exists(), "/REMOVEDATA=1 must delete the station data"
        assert not wine.reg_key_exists(APP_KEY)


class TestSignedProvisioning:
    """``/PROVISION=<file>.kioskprov``: the installed kiosk-cli imports central's signed file."""

    def test_tampered_file_fails_the_setup_and_changes_nothing(
        self, wine: Wine, signed: Signed
    ) -> None:
        data = unix(DATA_DIR)
        shutil.rmtree(data, ignore_errors=True)
        proc = wine.run(str(setup_exe()), "/S", f"/PROVISION={winpath(signed.tampered)}",
                        wait_all=False)
        assert proc.returncode == EXIT_PROVISION_REFUSED, proc.stdout + proc.stderr
        check_program_files(INSTALL_DIR)
        assert not (data / "config.toml").exists()
        assert not (data / "central-signing-key.json").exists()
        assert not list((data / "secrets").glob("mqtt-password*"))
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
        # the broker password sealed by DPAPI (machine scope), never in clear on the disk
        secrets = {p.name: p.read_bytes() for p in (data / "secrets").iterdir()}
        assert "mqtt-password.dpapi" in secrets and "mqtt-password" not in secrets, secrets
        assert all(signed.password.encode() not in blob for blob in secrets.values())
        log = (data / "logs" / PROVISION_LOG).read_text(errors="replace")
        run = log.rsplit("=== ", 1)[-1]
        assert "--trust-key" in run and f"Provisioned as {STATION}" in run, log
        assert "could not reach the broker yet" in run, log
        assert signed.password not in log
        self_test(wine)

    def test_installed_programs_and_uninstaller_are_signed(self, wine: Wine) -> None:
        if os.environ.get("KIOSK_SMOKE_UNSIGNED"):
            pytest.skip("KIOSK_SMOKE_UNSIGNED: an unsigned build is being tested")
        for exe in (*PROGRAMS, "uninstall.exe"):
            assert _signed(unix(INSTALL_DIR) / exe), f"{exe} is not signed"
        assert _signed(setup_exe()) and _signed(msi_file())

    def test_uninstall_removing_data(self, wine: Wine) -> None:
        proc = wine.run(rf"{INSTALL_DIR}\uninstall.exe", "/S", "/REMOVEDATA=1")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert not unix(DATA_DIR).exists()


class TestMsi:
    """What Group Policy and Intune run: ``msiexec /qn`` with properties."""

    def test_msi_refused_next_to_the_setup_exe(self, wine: Wine) -> None:
        install(wine)
        proc = wine.run("msiexec", "/i", winpath(msi_file()), "/qn", timeout=600)
        assert proc.returncode == MSI_LAUNCH_REFUSED, proc.stdout + proc.stderr
        assert wine.reg_value(APP_KEY, "InstalledBy") in (None, "")
        proc = wine.run(rf"{INSTALL_DIR}\uninstall.exe", "/S", "/REMOVEDATA=1")
        assert proc.returncode == 0 and not unix(INSTALL_DIR).exists()

    def test_silent_msi_install_with_options(self, wine: Wine) -> None:
        PROVISION.write_text('[station]\nid = "smoke-msi"\nname = "MSI desk"\n')
        proc = wine.run("msiexec", "/i", winpath(msi_file()), "/qn", "AUTOSTART=1",
                        "DESKTOP=1", f"PROVISION={winpath(PROVISION)}", timeout=900,
                        wait_all=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        check_program_files(INSTALL_DIR)
        data = unix(DATA_DIR)
        assert (data / "config.toml").read_text() == PROVISION.read_text()
        assert (data / "logs").is_dir() and (data / "backups").is_dir()
        assert wine.reg_value(APP_KEY, "InstalledBy") == "msi"
        assert "kiosk.exe" in (wine.reg_value(RUN_KEY, "FingerprintKiosk") or "")
        # Wine's msi puts a per-machine package's shortcuts into the user's folders (Windows
        # into the all-users ones): either is the shortcut the package declares.
        assert any((unix(folder) / "Fingerprint Kiosk.lnk").is_file()
                   for folder in (START_MENU, USER_START_MENU)), "no Start-menu shortcut"
        assert any((unix(folder) / "Fingerprint Kiosk.lnk").is_file()
                   for folder in (PUBLIC_DESKTOP, USER_DESKTOP)), "no desktop shortcut"
        self_test(wine)
        proc = wine.run(str(setup_exe()), "/S", timeout=300, wait_all=False)
        assert proc.returncode == EXIT_INSTALLED_BY_MSI, "the setup .exe must not mix in"

    def test_silent_msi_uninstall_removing_data(self, wine: Wine) -> None:
        proc = wine.run("msiexec", "/x", winpath(msi_file()), "/qn", "REMOVEDATA=1",
                        timeout=900)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert not (unix(INSTALL_DIR) / "kiosk.exe").exists()
        assert not unix(DATA_DIR).exists(), "REMOVEDATA=1 must delete the station data"
        for folder in (START_MENU, USER_START_MENU, PUBLIC_DESKTOP, USER_DESKTOP):
            assert not (unix(folder) / "Fingerprint Kiosk.lnk").exists(), folder
        assert wine.reg_value(RUN_KEY, "FingerprintKiosk") is None
        assert not wine.reg_key_exists(APP_KEY)


def _signed(path: Path) -> bool:
    sig = SMOKE / (path.name + ".sig")
    sig.unlink(missing_ok=True)
    proc = subprocess.run(["osslsigncode", "extract-signature", "-in", str(path), "-out",
                           str(sig)], capture_output=True, timeout=60, check=False)
    ok = proc.returncode == 0 and sig.exists() and sig.stat().st_size > 0
    sig.unlink(missing_ok=True)
    return ok


def _looks_ready(wine: Wine, name: str) -> bool:
    """Take a screenshot; ready once the screen's form is drawn (fields appear last)."""
    shot = wine.screenshot(f"gui-{name}")
    f = analyse(shot)
    return f.banner_rows > 0 and f.fields > 0
