"""What every request of one API process shares: settings, the database, the audit writer,
the downlink to the broker and the clock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine

from kiosk_central.api.audit_writer import AuditWriter
from kiosk_central.api.downlink import Downlink
from kiosk_central.clock import now
from kiosk_central.db import CentralDB
from kiosk_central.engine import open_reader
from kiosk_central.fleet import DEFAULT_HEARTBEAT_S
from kiosk_contract.fields import DEFAULT_MAX_PACKET_BYTES
from kiosk_contract.mqtt import ClientSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ApiConfig:
    db_url: str
    #: the broker for roster publishes and deletion requests (None: queued only; the ingest
    #: sends open deletion requests when a station comes online, ``roster publish`` the roster)
    broker: ClientSettings | None = field(default=None, repr=False)
    prefix: str = "fpk/v1"
    max_packet: int = DEFAULT_MAX_PACKET_BYTES
    #: the stations' heartbeat period; a station is offline after two without one
    heartbeat_s: float = DEFAULT_HEARTBEAT_S
    #: request bodies larger than this are refused (413) before they are parsed
    max_body: int = 8 * 1024 * 1024
    #: what a 503 tells the client to wait
    retry_after_s: int = 5
    #: run the webhook dispatcher in this process
    webhooks: bool = True
    webhook_poll_s: float = 0.5
    #: longest ``wait=`` a deletion call may hold a request open
    max_wait_s: float = 60.0


@dataclass
class ApiContext:
    cfg: ApiConfig
    db: CentralDB
    #: for the read calls (see :func:`kiosk_central.engine.open_reader`)
    reader: Engine
    audit: AuditWriter
    downlink: Downlink | None
    clock: Callable[[], datetime] = now

    @classmethod
    def open(cls, cfg: ApiConfig, clock: Callable[[], datetime] = now) -> ApiContext:
        db = CentralDB(cfg.db_url)
        downlink = Downlink(cfg.broker, cfg.prefix, cfg.max_packet) if cfg.broker else None
        return cls(cfg, db, open_reader(cfg.db_url), AuditWriter(db), downlink, clock)

    def close(self) -> None:
        self.audit.close()
        if self.downlink is not None:
            self.downlink.close()
        self.reader.dispose()
        self.db.close()
