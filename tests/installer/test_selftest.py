"""``kiosk --self-test``: the check the installer smoke test runs on the installed program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.app import selftest
from kiosk.cli import main
from kiosk.paths import DataPaths

STEPS = ("imports", "qt", "crypto", "database", "sensor", "data-folder")


def _lines(text: str) -> dict[str, str]:
    """step name -> its line, for lines like ``[PASS] name: detail``."""
    out = {}
    for line in text.splitlines():
        if line.startswith(("[PASS] ", "[FAIL] ")):
            out[line[7:].split(":", 1)[0]] = line
    return out


def test_self_test_in_process_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["--self-test", "--data-dir", str(tmp_path / "data")])
    out = capsys.readouterr().out
    lines = _lines(out)
    assert list(lines) == list(STEPS), out
    assert rc == 0, out
    assert all(line.startswith("[PASS]") for line in lines.values()), out
    assert "self-test passed" in out
    # The database lives in a temporary folder: the station's data folder stays untouched.
    assert not (tmp_path / "data").exists()


def test_self_test_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["--self-test", "--json", "--data-dir", str(tmp_path)])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert doc["ok"] is True and doc["frozen"] is False
    assert [s["name"] for s in doc["steps"]] == list(STEPS)


def test_self_test_subprocess(tmp_path: Path) -> None:
    """As installed: a fresh process through the console entry point, exit code 0."""
    script = Path(sys.executable).with_name("kiosk")
    cmd = (
        [str(script)] if script.exists()
        else [sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())"]
    )
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # it sets it itself
    proc = subprocess.run(
        [*cmd, "--self-test", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=90, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(_lines(proc.stdout)) == list(STEPS)
    assert "self-test passed" in proc.stdout


def test_failing_step_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> str:
        raise selftest.StepFailed("OpenSSL bindings missing")

    monkeypatch.setattr(selftest, "step_crypto", broken)
    rc = main(["--self-test", "--data-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 1
    assert _lines(out)["crypto"].startswith("[FAIL] crypto: OpenSSL bindings missing")
    assert "self-test FAILED: crypto" in out


def test_unwritable_data_folder_fails(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")  # unwritable even for root
    with pytest.raises(selftest.StepFailed, match="not writable"):
        selftest.step_data_folder(DataPaths(blocked))


def test_raw_ef01_exchange_with_virtual_sensor() -> None:
    """The driver-independent path: VfyPwd + ReadSysPara in hand-built packets."""
    with selftest._virtual_sensor() as url:
        assert url.startswith("socket://127.0.0.1:")
        detail = selftest._talk_raw(url)
    assert "capacity" in detail and "baud 57600" in detail


def test_migrations_folder_has_scripts() -> None:
    mig = selftest.migrations_dir()
    assert (mig / "env.py").is_file()
    assert selftest._alembic_head(mig)
