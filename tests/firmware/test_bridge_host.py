"""Host tests of the ESP32 bridge firmware: the bridge logic compiled with g++ and run here.

The C++ tests live in firmware/test/host/; this wrapper puts them in the regular test run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware"
SRC = FIRMWARE / "r307_bridge"
HOST = FIRMWARE / "test" / "host"
WARN = ["-Wall", "-Wextra", "-Werror", "-pedantic"]

GXX = shutil.which("g++")
needs_gxx = pytest.mark.skipif(
    GXX is None, reason="g++ is not installed; cannot build the firmware host tests"
)


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


@needs_gxx
def test_bridge_host_tests_pass(tmp_path: Path) -> None:
    assert GXX is not None
    objs = []
    # The firmware unit is built as C++11, as the oldest supported ESP32 core does.
    for src, std, includes in (
        (SRC / "bridge.cpp", "c++11", [f"-I{SRC}"]),
        (HOST / "test_bridge.cpp", "c++17", [f"-I{SRC}", f"-I{HOST}"]),
    ):
        obj = tmp_path / (src.stem + ".o")
        build = _run(
            [GXX, f"-std={std}", "-O2", *WARN, *includes, "-c", str(src), "-o", str(obj)], 120
        )
        assert build.returncode == 0, f"compiling {src.name} failed:\n{build.stderr}"
        objs.append(str(obj))
    exe = tmp_path / "bridge_tests"
    link = _run([GXX, "-pthread", *objs, "-o", str(exe)], 60)
    assert link.returncode == 0, f"linking failed:\n{link.stderr}"

    result = _run([str(exe)], 60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    match = re.search(r"^(\d+) passed, (\d+) failed$", result.stdout, re.MULTILINE)
    assert match, f"no summary line in the output:\n{output}"
    passed, failed = int(match.group(1)), int(match.group(2))
    assert failed == 0, output
    assert passed > 0, output
    assert "0 failed" in result.stdout


@needs_gxx
@pytest.mark.parametrize(
    "defines",
    [[], ["-DARDUINO_USB_CDC_ON_BOOT=1", "-DARDUINO_USB_MODE=0", "-DBRIDGE_LED_PIN=-1"]],
    ids=["usb-uart", "native-usb"],
)
def test_board_glue_syntax(defines: list[str]) -> None:
    """The Arduino glue parses against stand-in headers (a typo check, not an ESP32 build)."""
    assert GXX is not None
    base = [GXX, "-std=c++11", "-fsyntax-only", *WARN, "-DARDUINO_ARCH_ESP32", *defines]
    base += [f"-I{HOST / 'stub'}", f"-I{SRC}"]
    for src in (["-x", "c++", str(SRC / "r307_bridge.ino")], [str(SRC / "board_glue.cpp")]):
        check = _run([*base, *src], 60)
        assert check.returncode == 0, check.stderr


@needs_gxx
def test_native_usb_build_disables_the_reboot_to_bootloader() -> None:
    """The S3 native-USB build turns the core's 1200-baud / DTR-RTS reboot off; the
    USB-UART build has no such thing to turn off (the preprocessed glue says which)."""
    assert GXX is not None
    base = [GXX, "-std=c++11", "-E", "-P", "-DARDUINO_ARCH_ESP32", f"-I{HOST / 'stub'}",
            f"-I{SRC}", str(SRC / "board_glue.cpp")]
    native = _run([*base, "-DARDUINO_USB_CDC_ON_BOOT=1", "-DARDUINO_USB_MODE=0"], 60)
    uart = _run(base, 60)
    assert native.returncode == 0 and uart.returncode == 0, native.stderr + uart.stderr
    setup = native.stdout.split("void bridgeSetup()", 1)[1]
    assert "Serial.enableReboot(false);" in setup
    assert setup.index("Serial.enableReboot(false);") < setup.index("Serial.begin(")
    assert "followHostBaud(sensorBaud, requested)" in native.stdout
    assert "enableReboot" not in uart.stdout.split("void bridgeSetup()", 1)[1]
