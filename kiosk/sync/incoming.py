"""What central sends a station, checked and turned into store changes.

* **Acks** (``ack`` and ``acks`` batches): parsed into :class:`Answer` records; the worker
  settles them in one transaction per batch.
* **The roster**: the shared schema-2 roster (pages + manifest, assembled by the contract's
  :class:`~kiosk_contract.roster.RosterAssembler`, and deltas) and the schema-1 per-station
  snapshot older centrals publish. A snapshot applies only when newer than what the station
  holds; a delta only on its base version (deltas that arrive early wait in memory, bounded).
* **Deletion requests**: carried out once per request id (the ids done are kept in the store).

Every parser is the contract's strict one: a message that does not fit raises
:class:`~kiosk_contract.fields.ContractError` and changes nothing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import kiosk_contract as c
from kiosk.store import KEY_ROSTER_VERSION, NotFound, PersonIn, Store
from kiosk.sync.outgoing import Outgoing, direct_receipt
from kiosk_contract.fields import load_json

log = logging.getLogger("kiosk.sync.worker")

#: sync_state key: the deletion request ids already carried out (the newest 500).
KEY_DELETIONS_DONE = "sync.deletions_done"
#: Deltas held while waiting for their base version, at most.
MAX_EARLY_DELTAS = 64


@dataclass(frozen=True)
class Answer:
    """Central's verdict on one message. ``msg_id`` is None for a schema-1 ack (older
    central), which names only the aggregate ``uuid``."""

    msg_id: str | None
    uuid: str
    rejected: bool
    reason: str = ""


def parse_acks(payload: bytes, correlation: bytes | None) -> list[Answer]:
    """An ``ack`` or an ``acks`` batch as answers; raises ContractError if it does not fit."""
    kind = _type_of(payload)
    if kind == "acks":
        batch = c.AcksMessage.parse(payload)
        return [Answer(a.msg_id, a.uuid, a.status == "rejected", _reason(a.reason, a.detail))
                for a in batch.acks]
    ack = c.AckMessage.parse(payload)
    if c.uuid_from_correlation(correlation) != ack.correlation_id:
        raise c.ContractError("ack CorrelationData does not match the message it names")
    return [Answer(ack.msg_id, ack.uuid, ack.status == "rejected",
                   _reason(ack.reason, ack.detail))]


def _reason(reason: str | None, detail: str) -> str:
    if reason is None:
        return ""
    return f"{reason}: {detail}" if detail else reason


def _type_of(payload: bytes) -> str:
    """The ``type`` field, to pick the parser (the parser then checks everything)."""
    obj = load_json(payload, c.MAX_PAYLOAD_BYTES)  # size, nesting and duplicates refused
    kind = obj.get("type") if isinstance(obj, dict) else None
    return kind if isinstance(kind, str) else ""


class RosterIntake:
    """Applies the roster to the store; one per sync worker (its thread only)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.assembler = c.RosterAssembler()
        self._early: dict[int, c.RosterDelta] = {}

    def local_version(self) -> int:
        raw = self.store.state.get(KEY_ROSTER_VERSION)
        return int(raw) if raw and raw.isdigit() else 0

    # -- schema 2 --------------------------------------------------------------------------
    def manifest(self, payload: bytes) -> bool:
        if not payload:
            return False  # retained manifest cleared
        return self._snapshot(self.assembler.add_manifest(payload))

    def page(self, payload: bytes) -> bool:
        if not payload:
            return False  # a retained page cleared (the roster shrank)
        return self._snapshot(self.assembler.add_page(payload))

    def delta(self, payload: bytes) -> bool:
        d = c.RosterDelta.parse(payload)
        local = self.local_version()
        if d.version <= local:
            log.debug("roster delta %d not newer than %d; ignored", d.version, local)
            return False
        if d.base_version != local:
            log.info("roster delta %d applies to %d, we hold %d; waiting for a snapshot",
                     d.version, d.base_version, local)
            self._early[d.base_version] = d
            while len(self._early) > MAX_EARLY_DELTAS:
                self._early.pop(min(self._early))
            return False
        self._apply_delta(d)
        self._catch_up()
        return True

    def _snapshot(self, snap: c.RosterSnapshot | None) -> bool:
        if snap is None:
            return False
        local = self.local_version()
        if snap.version <= local:
            log.debug("roster version %d not newer than %d; ignored", snap.version, local)
            return False
        rows = [PersonIn(p.external_id, p.display_name, p.role, p.group, active=p.active)
                for p in snap.people]
        self.store.people.upsert(rows, str(snap.version), deactivate_missing=True)
        log.info("roster snapshot version %d applied (%d people)", snap.version, len(rows))
        self._catch_up()
        return True

    def _apply_delta(self, d: c.RosterDelta) -> None:
        rows = [PersonIn(p.external_id, p.display_name, p.role, p.group, active=p.active)
                for p in d.upserts]
        rows += self._removals(d.removed)
        self.store.people.upsert(rows, str(d.version))
        log.info("roster delta %d applied (%d changed, %d removed)", d.version,
                 len(d.upserts), len(d.removed))

    def _catch_up(self) -> None:
        """Deltas that arrived before their base version, now that it is here."""
        local = self.local_version()
        for base in [b for b in self._early if b < local]:
            self._early.pop(base)
        while (d := self._early.pop(local, None)) is not None:
            self._apply_delta(d)
            local = d.version

    def _removals(self, ids: tuple[str, ...]) -> list[PersonIn]:
        """Removed people stay (their records must) but become inactive."""
        out = []
        for ext in ids:
            p = self.store.people.get(ext)
            if p is not None:
                out.append(PersonIn(ext, p.display_name, p.role, p.group, active=False))
        return out

    # -- schema 1 (a central not yet publishing the shared roster) -------------------------
    def legacy(self, payload: bytes) -> bool:
        if not payload:
            return False  # retained roster cleared
        r = c.RosterMessage.parse(payload)
        local = self.local_version()
        if r.version <= local:
            log.debug("roster version %d not newer than %d; ignored", r.version, local)
            return False
        rows = [PersonIn(p.external_id, p.display_name, active=p.active) for p in r.people]
        if r.kind == "snapshot":
            # Schema 1 carries no group or role: keep the ones the station has.
            rows = [self._keep_details(p) for p in rows]
            self.store.people.upsert(rows, str(r.version), deactivate_missing=True)
        else:
            if r.base_version != local:
                log.info("roster delta %d applies to %s, we hold %d; waiting for a snapshot",
                         r.version, r.base_version, local)
                return False
            rows = [self._keep_details(p) for p in rows] + self._removals(r.removed)
            self.store.people.upsert(rows, str(r.version))
        log.info("roster %s version %d applied (%d people)", r.kind, r.version, len(r.people))
        return True

    def _keep_details(self, p: PersonIn) -> PersonIn:
        old = self.store.people.get(p.external_id)
        if old is None:
            return p
        return PersonIn(p.external_id, p.display_name, old.role, old.group, active=p.active)


class Deletions:
    """Central's deletion requests, each carried out once (its thread only)."""

    def __init__(self, store: Store, station: str) -> None:
        self.store = store
        self.station = station
        done = store.state.get(KEY_DELETIONS_DONE)
        self._done: list[str] = json.loads(done) if done else []

    def handle(self, payload: bytes, correlation: bytes | None) -> Outgoing | None:
        """Carry out a request; returns a receipt to publish at once when this station never
        held the person (otherwise the receipt goes through the outbox)."""
        req = c.DeletionRequest.parse(payload)
        if correlation is not None and c.uuid_from_correlation(correlation) != req.request_id:
            raise c.ContractError("deletion CorrelationData does not match request_id")
        if req.station != self.station:
            raise c.ContractError(f"deletion request addressed to {req.station!r}")
        if req.request_id in self._done:
            log.info("deletion request %s already carried out; ignored", req.request_id)
            return None
        receipt = None
        try:
            slots = self.store.deletions.delete_person(
                req.person, actor="central", reason="deletion requested by central",
                request_id=req.request_id, cause=req.cause or c.DeletionCause.CENTRAL_REQUEST)
            log.info("deleted biometrics of %s for request %s; %d sensor slot(s) queued for "
                     "release", req.person, req.request_id, len(slots))
        except NotFound:
            receipt = direct_receipt(req, self.station)
        self._done = [*self._done, req.request_id][-500:]
        self.store.state.set(KEY_DELETIONS_DONE, json.dumps(self._done))
        return receipt


__all__ = ["KEY_DELETIONS_DONE", "Answer", "Deletions", "RosterIntake", "parse_acks"]
