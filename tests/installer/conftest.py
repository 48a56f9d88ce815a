"""Installer tests are slow (minutes) and need extra tools, so they run only when asked.

* ``installer`` (Windows installer under Wine): ``KIOSK_RUN_INSTALLER=1`` or ``make installer``.
* ``linux_build`` (PyInstaller one-dir build on Linux + its self-test): ``KIOSK_RUN_LINUX_BUILD=1``.

Selecting the marker explicitly (``-m installer``) also enables it.
"""

from __future__ import annotations

import os

import pytest

_GATES = {
    "installer": "KIOSK_RUN_INSTALLER",
    "linux_build": "KIOSK_RUN_LINUX_BUILD",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "linux_build: PyInstaller one-dir build on Linux plus its self-test "
        "(KIOSK_RUN_LINUX_BUILD=1)",
    )


def _enabled(config: pytest.Config, marker: str) -> bool:
    if os.environ.get(_GATES[marker], "") not in ("", "0"):
        return True
    expr = config.getoption("markexpr", "") or ""
    return marker in expr and f"not {marker}" not in expr


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for marker, env in _GATES.items():
        if _enabled(config, marker):
            continue
        skip = pytest.mark.skip(reason=f"slow; set {env}=1 (see installer/README.md)")
        for item in items:
            if item.get_closest_marker(marker) is not None:
                item.add_marker(skip)
