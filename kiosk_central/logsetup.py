"""Central's logging, in one place: stderr (journald/containers collect it), redacted.

The same redaction filter as the station's (``kiosk_contract.redaction``) sits on every
handler, so a template that slipped into a message or a traceback never reaches the log.
"""

from __future__ import annotations

import logging

from kiosk_contract.redaction import RedactingFilter, StderrHandler

_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


def setup_logging(*, verbose: bool = False) -> None:
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_kiosk_central", False):
            root.removeHandler(h)
            h.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactingFilter())
    handler._kiosk_central = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    # httpx logs every webhook POST at INFO; the dispatcher logs what matters itself.
    logging.getLogger("httpx").setLevel(logging.WARNING)
