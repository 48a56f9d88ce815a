"""Steps the MSI runs through the installed program: ``kiosk-cli install-helper ...``.

Frozen into the Windows build next to the kiosk (installer/kiosk.spec); not a user command.

``restart --data-dir DIR``: if the installer stopped a running kiosk (it leaves
``logs/restart-kiosk.flag``), start it again *in the signed-in user's session with that user's
rights*. The MSI's deferred actions run as SYSTEM, which must not start a GUI itself: a one-off
scheduled task for the Users group with an interactive token starts it for whoever is signed in
(the same as the setup .exe does). Only where the task scheduler cannot run it and the helper
is not SYSTEM (an elevated interactive install) is the kiosk started directly.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

TASK = "FingerprintKiosk-restart"
FLAG = "restart-kiosk.flag"
LOG = "upgrade-install.log"
TASK_XML = """<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <Principals>
    <Principal id="Users">
      <GroupId>S-1-5-32-545</GroupId><RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
  </Settings>
  <Actions Context="Users"><Exec><Command>"{exe}"</Command></Exec></Actions>
</Task>
"""


def _log(data_dir: Path, text: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    try:
        with open(data_dir / "logs" / LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{stamp} install-helper: {text}\n")
    except OSError:
        pass
    print(text)


def _schtasks(*args: str) -> bool:
    try:
        proc = subprocess.run(["schtasks", *args], capture_output=True, text=True, timeout=60,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _listed(task: str) -> bool:
    try:
        proc = subprocess.run(["schtasks", "/Query", "/TN", task, "/FO", "CSV", "/NH"],
                              capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0 and task in proc.stdout


def _is_system() -> bool:
    """SYSTEM (the MSI service, Intune, Group Policy) has no desktop a GUI could appear on."""
    user = os.environ.get("USERNAME", "").upper()
    return user == "SYSTEM" or user == os.environ.get("COMPUTERNAME", "").upper() + "$"


def restart(data_dir: Path, kiosk: Path) -> int:
    flag = data_dir / "logs" / FLAG
    if not flag.exists():
        return 0
    flag.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "task.xml"
        xml.write_text(TASK_XML.format(exe=kiosk), encoding="utf-16")
        created = _schtasks("/Create", "/F", "/TN", TASK, "/XML", str(xml))
    # A task service that cannot list the task it just created cannot run it either (some
    # compatibility layers accept every schtasks call): then start the kiosk directly.
    ran = created and _listed(TASK) and _schtasks("/Run", "/TN", TASK)
    if created:
        _schtasks("/Delete", "/F", "/TN", TASK)
    if ran:
        _log(data_dir, "the kiosk was started again for the signed-in user")
        return 0
    if _is_system():
        _log(data_dir, "the kiosk could not be started again; it starts at the next log-in")
        return 0
    flags = getattr(subprocess, "DETACHED_PROCESS", 0) | getattr(
        subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    subprocess.Popen([str(kiosk)], creationflags=flags, close_fds=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
    _log(data_dir, "the kiosk was started again")
    return 0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="kiosk-cli install-helper")
    sub = ap.add_subparsers(dest="step", required=True)
    r = sub.add_parser("restart", help="start the kiosk again if the installer stopped it")
    r.add_argument("--data-dir", required=True)
    args = ap.parse_args(argv)
    kiosk = Path(sys.executable).with_name("kiosk.exe")
    return restart(Path(args.data_dir), kiosk)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
