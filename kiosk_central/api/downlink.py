"""The API's connection to the broker: roster publishes and deletion requests.

A roster change is published through the same paged publisher as ``kiosk-central roster
publish`` (:func:`kiosk_central.roster.publish_paged`), then again while the version moved on
during the publish (another API process changed the roster meanwhile), so the retained
snapshot ends at the newest version whoever published last. Deletion requests are published
QoS 1 and the PUBACK awaited; a request the broker did not take stays open in the database and
the ingest sends it again when the station comes online.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Any

import kiosk_contract as c
from kiosk_central.db import CentralDB
from kiosk_central.ingest import deletion_outgoing
from kiosk_central.roster import PublishResult, publish_paged
from kiosk_contract.mqtt import ClientSettings, make_client

log = logging.getLogger(__name__)


class Downlink:
    def __init__(self, settings: ClientSettings, prefix: str, max_packet: int) -> None:
        self.prefix, self.max_packet = prefix, max_packet
        self.settings = settings
        self._lock = threading.Lock()
        self.client = make_client(settings)
        self._connected = threading.Event()
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = lambda *_a: self._connected.clear()
        ep = settings.endpoint
        self.client.connect_async(ep.host, ep.port, keepalive=settings.keepalive_s)
        self.client.loop_start()

    def _on_connect(self, _c: Any, _u: Any, _f: Any, rc: Any, _p: Any = None) -> None:
        if rc.is_failure:
            log.error("the broker refused the API's connection: %s", rc)
        else:
            self._connected.set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def publish_roster(self, db: CentralDB, actor: str, timeout: float = 60.0) -> PublishResult:
        """Publish until what was published is the current version."""
        if not self.wait_connected(10):
            raise TimeoutError("the broker is not reachable")
        with self._lock:
            for _ in range(5):
                res = publish_paged(self.client, db, self.prefix, self.max_packet, timeout,
                                    actor=actor)
                if db.roster_version() == res.version:
                    return res
            return res

    def publish_deletions(self, db: CentralDB, requests: Sequence[tuple[str, str]],
                          timeout: float = 15.0) -> bool:
        """Send each ``(request_id, station)``; True when the broker took all of them."""
        if not requests or not self.wait_connected(5):
            return False
        schemas = db.station_schemas()
        wanted = {rid for rid, _ in requests}
        infos = [deletion_outgoing(self.prefix, rid, person, st, issued,
                                   c.DeletionCause(cause), schemas.get(st, 1)).send(self.client)
                 for rid, person, st, issued, cause in db.pending_deletion_requests()
                 if rid in wanted]
        for i in infos:
            try:
                i.wait_for_publish(timeout)
            except (RuntimeError, ValueError):
                return False
        return all(i.is_published() for i in infos)


def client_id() -> str:
    return f"fpk-central-api-{os.getpid()}"
