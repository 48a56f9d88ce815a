"""Logging set-up, in one place: rotating file in the data folder plus stderr.

Templates and secrets must never reach a log: :class:`RedactingFilter` is a last line of
defence that masks long hex/base64 runs, but code must not log them in the first place.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from kiosk_contract.redaction import RedactingFilter, StderrHandler

_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


def setup_logging(log_file: Path | None, level: int = logging.INFO, stderr: bool = True) -> None:
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.setLevel(level)
    fmt = logging.Formatter(_FORMAT)
    handlers: list[logging.Handler] = []
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
            )
        )
    if stderr:
        err = StderrHandler()
        err.setLevel(logging.WARNING)
        handlers.append(err)
    for h in handlers:
        h.setFormatter(fmt)
        h.addFilter(RedactingFilter())
        h._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(h)
