"""Logging set-up, in one place: rotating file in the data folder plus stderr.

Templates and secrets must never reach a log: :class:`RedactingFilter` is a last line of
defence that masks long hex/base64 runs, but code must not log them in the first place.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_LONG_BLOB = re.compile(r"(?:[0-9A-Fa-f]{2}[ ]?){96,}|[A-Za-z0-9+/=]{160,}")
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    """Mask anything that looks like a dumped template (long hex or base64 runs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if _LONG_BLOB.search(msg):
            record.msg = _LONG_BLOB.sub("<redacted blob>", msg)
            record.args = ()
        return True


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
        err = logging.StreamHandler()
        err.setLevel(logging.WARNING)
        handlers.append(err)
    for h in handlers:
        h.setFormatter(fmt)
        h.addFilter(RedactingFilter())
        h._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(h)
