"""Shared test set-up: Qt runs offscreen; shared fixtures live in tests/fixtures/."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The key file in each test's own data folder, never the key store of the account running tests.
os.environ["KIOSK_KEYSTORE"] = "file"

# Fixture modules shared across test packages (each is a plain module of fixtures).
pytest_plugins: list[str] = ["tests.fixtures.broker", "tests.fixtures.faultproxy"]
