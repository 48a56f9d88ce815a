"""The architecture's import contracts hold, and they do catch a violation.

``lint-imports`` runs in the regular test run (``scripts/test``); this test proves the contracts
are not vacuous: the same check on a copy of the source with one deliberate violation per
contract kind fails and names the broken contract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          check=False, cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "src"
    dst.mkdir()
    shutil.copy(ROOT / "pyproject.toml", dst)
    for pkg in ("kiosk", "kiosk_contract", "kiosk_central"):
        shutil.copytree(ROOT / pkg, dst / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def test_the_source_keeps_every_contract() -> None:
    res = _lint(ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("kiosk/ui/_probe.py", "import kiosk.store\n",
     "The front ends reach the station only through kiosk.app"),
    ("kiosk/store/_probe.py", "import PySide6.QtCore\n", "Only kiosk.ui imports Qt"),
    ("kiosk_central/_probe.py", "import kiosk.store\n",
     "Central imports the wire contract and its own code"),
    ("kiosk/sensor/_probe.py", "import kiosk.app\n", "Layers"),
])
def test_a_deliberate_violation_is_caught(tmp_path: Path, module: str, line: str,
                                          contract: str) -> None:
    src = _copy(tmp_path)
    (src / module).write_text(line, encoding="utf-8")
    res = _lint(src)
    assert res.returncode != 0
    broken = res.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, res.stdout


LONG_MODULE_LINES = 400


def test_every_module_over_400_lines_says_why_at_its_top() -> None:
    """The guide's size rule: no file over ~400 lines without a reason written at its top
    (the module docstring's "Long on purpose" paragraph)."""
    import ast

    unexplained = []
    for base in ("kiosk", "kiosk_contract", "kiosk_central"):
        for path in sorted((ROOT / base).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if text.count("\n") <= LONG_MODULE_LINES:
                continue
            doc = ast.get_docstring(ast.parse(text)) or ""
            if "Long on purpose" not in doc:
                unexplained.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert unexplained == []
