"""The contract imports nothing of the station or of central, and central nothing of the
station: checked on the source (every import statement), so a violation cannot hide behind
an import that happens to be cached."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def imports_of(package: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for f in (REPO / package).rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0
                     else [])
            found.update((f.relative_to(REPO).as_posix(), n.split(".")[0]) for n in names)
    return found


@pytest.mark.parametrize(("package", "forbidden"), [
    ("kiosk_contract", {"kiosk", "kiosk_central", "PySide6", "sqlalchemy"}),
    ("kiosk_central", {"kiosk", "PySide6"}),
])
def test_layers_stay_apart(package: str, forbidden: set[str]) -> None:
    bad = sorted((f, m) for f, m in imports_of(package) if m in forbidden)
    assert bad == []
