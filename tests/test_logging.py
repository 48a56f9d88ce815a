"""Station and central logs go through the same redaction filter: a template that slips into
a message or a traceback never reaches the log file or stderr."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from kiosk.logsetup import setup_logging
from kiosk_contract.redaction import RedactingFilter

BLOB = os.urandom(512)


def test_station_log_file_is_redacted(tmp_path: Path) -> None:
    log_file = tmp_path / "kiosk.log"
    setup_logging(log_file, stderr=False)
    try:
        logging.getLogger("kiosk.test").info("template %s", BLOB.hex())
        try:
            raise ValueError(BLOB.hex())
        except ValueError:
            logging.getLogger("kiosk.test").exception("it failed")
    finally:
        for h in logging.getLogger().handlers:
            h.flush()
    text = log_file.read_text(encoding="utf-8")
    assert BLOB.hex()[:64] not in text and "<redacted blob>" in text
    assert "it failed" in text and "ValueError" in text


def test_central_logs_through_the_redaction_filter() -> None:
    """``kiosk-central`` installs its handler with the filter (no bare basicConfig)."""
    code = (
        "import logging, sys\n"
        "from kiosk_central.cli import main\n"
        "main(['list', '--db', 'sqlite://'])\n"
        "logging.getLogger('kiosk_central.test').warning('sealed %s', sys.argv[1])\n"
    )
    res = subprocess.run([sys.executable, "-c", code, BLOB.hex()], capture_output=True,
                         text=True, timeout=60, check=False)
    assert res.returncode == 0, res.stderr
    assert "sealed <redacted blob>" in res.stderr
    assert BLOB.hex()[:64] not in res.stderr + res.stdout


def test_filter_masks_base64_too() -> None:
    import base64

    rec = logging.LogRecord("x", logging.INFO, __file__, 1, "b64 %s",
                            (base64.b64encode(BLOB).decode(),), None)
    RedactingFilter().filter(rec)
    assert rec.getMessage() == "b64 <redacted blob>"
