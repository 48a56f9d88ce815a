"""One instance of every contract message, built by the production builders (both schemas)."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import kiosk_contract as c
from kiosk_contract.sealing import KeyPair, generate_keypair, load_public_key, seal

STATION = "station-01"


def new_id() -> str:
    return str(uuid.uuid4())


def template_meta(data: bytes, *, station: str = STATION, person: str = "P-00000",
                  finger: str = "right-index", u: str | None = None) -> c.TemplateMeta:
    now = c.utc_now_iso()
    return c.TemplateMeta(
        uuid=u or new_id(), station=station, operator="alice", person=person, finger=finger,
        sensor_model="R307", template_format="r307-char-512", template_length=len(data),
        sha256=hashlib.sha256(data).hexdigest(), quality={"match_score": 90, "retries": 1},
        captured_at=now, enrolled_at=now,
    )


def template_v2(key: KeyPair, data: bytes | None = None, *, msg_id: str | None = None,
                **kw: str) -> tuple[c.TemplateMessage, bytes]:
    data = data or os.urandom(512)
    meta = template_meta(data, **kw)
    return c.TemplateMessage.build(meta, data, load_public_key(key.public_b64),
                                   msg_id or new_id()), data


def template_v1(key: KeyPair, data: bytes | None = None, **kw: str) -> c.TemplateMessage:
    data = data or os.urandom(512)
    meta = template_meta(data, **kw)
    return c.TemplateMessage(meta, seal(load_public_key(key.public_b64), data, meta.aad()))


def audit_entries(n: int, station: str = STATION, start: int = 1,
                  prev: str = c.GENESIS) -> list[c.AuditEntry]:
    out = []
    for seq in range(start, start + n):
        e = c.AuditEntry.chained(prev, station, seq=seq, at=c.utc_now_iso(), actor="alice",
                                 action="enroll", subject=f"P-{seq:05d}",
                                 after={"finger": "right-index", "n": seq})
        out.append(e)
        prev = e.hash
    return out


@dataclass(frozen=True)
class Sample:
    """A built message, the parser that reads it back, and its topic kind."""

    kind: str
    raw: bytes
    parse: Callable[[bytes], object]


def samples() -> dict[str, Sample]:
    key = generate_keypair()
    tm, _ = template_v2(key)
    rid = new_id()
    now = c.utc_now_iso()
    people = tuple(c.RosterPerson(f"P-{i}", f"Person {i}", True, "7B", "student")
                   for i in range(3))
    manifest, pages = c.paginate(4, people)
    items = (c.AckItem(new_id(), new_id(), "stored"),
             c.AckItem(new_id(), new_id(), "rejected", "not-owner", "another station's"))
    s: dict[str, tuple[str, bytes, Callable[[bytes], object]]] = {
        "template-v1": ("templates", template_v1(key).to_bytes(), c.TemplateMessage.parse),
        "template-v2": ("templates", tm.to_bytes(), c.TemplateMessage.parse),
        "consent-v1": ("consents", c.ConsentMessage(
            new_id(), "given", "P-1", STATION, "alice", now,
            {"method": "on-screen", "notice_version": "2026-1"}).to_bytes(),
            c.ConsentMessage.parse),
        "consent-v2": ("consents", c.ConsentMessage(
            new_id(), "withdrawn", "P-1", STATION, "alice", now, {"notice_version": "2026-1"},
            new_id()).to_bytes(), c.ConsentMessage.parse),
        "receipt-v1": ("deletion-receipts", c.DeletionReceipt(
            new_id(), rid, "P-1", STATION, (tm.meta.uuid,)).to_bytes(),
            c.DeletionReceipt.parse),
        "receipt-v2": ("deletion-receipts", c.DeletionReceipt(
            new_id(), None, "P-1", STATION, (tm.meta.uuid,), now, new_id(),
            c.DeletionCause.DESK, c.ReceiptPlaces("pending")).to_bytes(),
            c.DeletionReceipt.parse),
        "attempt": ("attempts", c.AttemptMessage(
            new_id(), new_id(), STATION, "P-1", c.Finger.LEFT_RING, "alice",
            c.AttemptOutcome.ENROLLED, None, 2, 3, now, now, tm.meta.uuid).to_bytes(),
            c.AttemptMessage.parse),
        "audit": ("audit", c.AuditMessage(new_id(), STATION, tuple(audit_entries(3)))
                  .to_bytes(), c.AuditMessage.parse),
        "heartbeat": ("heartbeat", c.HeartbeatMessage(
            STATION, "1.2.0", 3600, c.Backlog(4, 12.5, 0),
            c.SensorReport(c.SensorState.READY, "R307", 12, 1000), 7, "").to_bytes(),
            c.HeartbeatMessage.parse),
        "status-v1": ("status", c.StatusMessage(STATION, "online", "1.0").to_bytes(),
                      c.StatusMessage.parse),
        "status-v2": ("status", c.StatusMessage(STATION, "offline", "1.2", schema=2)
                      .to_bytes(), c.StatusMessage.parse),
        "ack-v1": ("acks", c.AckMessage(tm.meta.uuid, "rejected", "bad-hash", "mismatch")
                   .to_bytes(), c.AckMessage.parse),
        "ack-v2": ("acks", c.AckMessage(tm.meta.uuid, "stored", msg_id=new_id()).to_bytes(),
                   c.AckMessage.parse),
        "acks": ("acks", c.AcksMessage(items).to_bytes(), c.AcksMessage.parse),
        "deletion-v1": ("deletions", c.DeletionRequest(rid, "P-1", STATION).to_bytes(),
                        c.DeletionRequest.parse),
        "deletion-v2": ("deletions", c.DeletionRequest(
            rid, "P-1", STATION, now, c.DeletionCause.WITHDRAWAL).to_bytes(),
            c.DeletionRequest.parse),
        "roster-v1": ("roster", c.RosterMessage("snapshot", 3, people).to_bytes(),
                      c.RosterMessage.parse),
        "roster-delta-v1": ("roster", c.RosterMessage(
            "delta", 4, people[:1], ("P-9",), 3).to_bytes(), c.RosterMessage.parse),
        "roster-manifest": ("manifest", manifest.to_bytes(), c.RosterManifest.parse),
        "roster-page": ("pages", pages[0], c.RosterPage.parse),
        "roster-delta": ("deltas", c.RosterDelta(5, 4, people[:2], ("P-9",)).to_bytes(),
                         c.RosterDelta.parse),
    }
    return {name: Sample(kind, raw, parse) for name, (kind, raw, parse) in s.items()}
