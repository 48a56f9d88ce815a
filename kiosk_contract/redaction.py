"""What a template looks like in a log line, so every process can refuse to write one.

Station and central both install :class:`RedactingFilter` on every log handler. It is a last
line of defence (code must not log template bytes in the first place): it masks long hex and
base64 runs, the two forms a sealed or raw R30x template takes in text.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

#: 96+ hex byte pairs (a template is 512+ bytes) or 160+ base64 characters.
LONG_BLOB = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{2} ?){96,}|(?<![A-Za-z0-9+/])[A-Za-z0-9+/=]{160,}")


def redact(text: str) -> str:
    return LONG_BLOB.sub("<redacted blob>", text)


class RedactingFilter(logging.Filter):
    """Mask anything that looks like a dumped template (long hex or base64 runs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if LONG_BLOB.search(msg):
            record.msg = redact(msg)
            record.args = ()
        if record.exc_info and record.exc_text is None:
            # Tracebacks render later from exc_info; render and redact them now.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the moment of each record (tests and
    embedding code swap it), never to a stream that was closed meanwhile."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


__all__ = ["LONG_BLOB", "RedactingFilter", "StderrHandler", "redact"]
