"""What central holds about one person (a GDPR Art. 15 subject access report), and the
audited export of template bytes. The report never contains template bytes: it lists
consents with their notice versions, enrollments per finger (held or deleted, with dates and
stations), enrollment attempts, deletion requests and receipts per place, and central's own
audit entries about the person.
"""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiosk_central.clock import iso
from kiosk_central.db import CentralDB
from kiosk_central.schema import (
    attempts,
    central_audit,
    consents,
    deletion_receipts,
    deletions,
    people,
    template_tombstones,
    templates,
)
from kiosk_contract.sealing import canonical_json, load_public_key, seal

EXPORT_FORMAT = "fpk-template-export/1"


def _ts(v: Any) -> str | None:
    return None if v is None else (v if isinstance(v, str) else iso(v))


def receipt_complete(station_db: str, sensor: str, central: str) -> bool:
    return station_db == "done" and central == "done" and sensor in ("done", "not-held")


def subject_report(db: CentralDB, person: str) -> dict[str, Any]:
    with db.engine.connect() as conn:
        p = conn.execute(select(people).where(people.c.external_id == person)).mappings().first()
        cons = conn.execute(select(consents).where(consents.c.person == person)
                            .order_by(consents.c.at)).mappings().all()
        held = conn.execute(select(
            templates.c.uuid, templates.c.finger, templates.c.station, templates.c.operator,
            templates.c.enrolled_at, templates.c.received_at, templates.c.template_format,
        ).where(templates.c.person == person).order_by(templates.c.enrolled_at)).mappings().all()
        gone = conn.execute(select(template_tombstones).where(
            template_tombstones.c.person == person).order_by(template_tombstones.c.deleted_at)
        ).mappings().all()
        reqs = conn.execute(select(deletions).where(deletions.c.person == person)
                            .order_by(deletions.c.issued_at)).mappings().all()
        rcpts = conn.execute(select(deletion_receipts).where(
            deletion_receipts.c.person == person).order_by(deletion_receipts.c.received_at)
        ).mappings().all()
        outcomes = Counter(r[0] for r in conn.execute(
            select(attempts.c.outcome).where(attempts.c.person == person)))
        trail = conn.execute(select(central_audit.c.seq, central_audit.c.at,
                                    central_audit.c.actor, central_audit.c.action)
                             .where(central_audit.c.subject == person)
                             .order_by(central_audit.c.seq)).all()
    fingers: dict[str, list[dict[str, Any]]] = {}
    for t in held:
        fingers.setdefault(t["finger"], []).append({
            "template": t["uuid"], "station": t["station"], "operator": t["operator"],
            "enrolled_at": t["enrolled_at"], "received_at": _ts(t["received_at"]),
            "format": t["template_format"], "held_at_central": True})
    for t in gone:
        fingers.setdefault(t["finger"] or "unknown", []).append({
            "template": t["uuid"], "station": t["station"], "enrolled_at": t["enrolled_at"] or None,
            "held_at_central": False, "deleted_at": _ts(t["deleted_at"]), "cause": t["cause"]})
    receipts = [{
        "receipt": r["uuid"], "station": r["station"], "request_id": r["request_id"],
        "cause": r["cause"], "templates": list(r["template_uuids"]),
        "places": {"station_db": r["station_db"], "sensor": r["sensor"],
                   "central": r["central"]},
        "complete": receipt_complete(r["station_db"], r["sensor"], r["central"]),
        "completed_at": r["completed_at"], "updated_at": _ts(r["updated_at"]),
    } for r in rcpts]
    return {
        "person": person,
        "on_roster": None if p is None else {
            "display_name": p["display_name"], "active": bool(p["active"]),
            "listed": bool(p["listed"]), "group": p["group_name"], "role": p["role"]},
        "consents": [{
            "consent": r["uuid"], "event": r["event"], "at": r["at"], "station": r["station"],
            "operator": r["operator"], **{k: r["details"].get(k) for k in (
                "notice_version", "method", "language", "text_sha256")},
            "received_at": _ts(r["received_at"])} for r in cons],
        "enrollments_by_finger": fingers,
        "templates_held": len(held),
        "attempts": dict(outcomes),
        "deletion_requests": [{
            "request_id": r["request_id"], "station": r["station"],
            "cause": r["cause"] or "central-request", "issued_at": r["issued_at"],
            "receipt_at": _ts(r["receipt_at"]), "receipt": r["receipt_uuid"]} for r in reqs],
        "deletion_receipts": receipts,
        "central_audit": [{"seq": s, "at": at, "actor": a, "action": act}
                          for s, at, a, act in trail],
        "generated_at": iso(),
    }


def report_text(r: dict[str, Any]) -> str:
    out = [f"Subject report for {r['person']} (generated {r['generated_at']})"]
    ros = r["on_roster"]
    out.append("  roster: not known" if ros is None else
               f"  roster: {ros['display_name']} ({'active' if ros['active'] else 'inactive'}"
               f"{'' if ros['listed'] else ', removed'}; group {ros['group'] or '-'})")
    out.append(f"  consents ({len(r['consents'])}):")
    out += [f"    {x['at']}  {x['event']:<9} notice {x['notice_version'] or '-'}  at "
            f"{x['station']} by {x['operator']}" for x in r["consents"]]
    out.append(f"  enrollments ({r['templates_held']} template(s) held at central):")
    for finger, items in sorted(r["enrollments_by_finger"].items()):
        for e in items:
            state = "held" if e["held_at_central"] else f"deleted {e['deleted_at']} ({e['cause']})"
            out.append(f"    {finger:<13} {e['enrolled_at'] or '?':<24} {e['station']:<16} "
                       f"{state}")
    out.append(f"  attempts: {r['attempts'] or 'none'}")
    out.append(f"  deletion requests ({len(r['deletion_requests'])}):")
    out += [f"    {d['issued_at']}  {d['station']:<16} {d['cause']:<15} "
            f"{'receipted ' + d['receipt_at'] if d['receipt_at'] else 'waiting for the station'}"
            for d in r["deletion_requests"]]
    out.append(f"  deletion receipts ({len(r['deletion_receipts'])}):")
    out += [f"    {x['station']:<16} {x['cause']:<15} station db {x['places']['station_db']}, "
            f"sensor {x['places']['sensor']}, central {x['places']['central']} -> "
            f"{'COMPLETE' if x['complete'] else 'not complete'}" for x in r["deletion_receipts"]]
    return "\n".join(out)


def export_templates(db: CentralDB, uuids: list[str], *, actor: str, purpose: str,
                     out: Path, seal_to: str | None = None) -> dict[str, Any]:
    """Write the templates to ``out`` (created 0600, never overwritten): as bytes (base64),
    or sealed to ``seal_to`` (an X25519 public key, for distribution). Every opening is in
    central's audit log before the file is written."""
    if not purpose.strip():
        raise ValueError("an export needs a purpose")
    if out.exists():  # before opening anything (O_EXCL below still guards the race)
        raise FileExistsError(str(out))
    opened = db.open_templates(uuids, actor=actor, purpose=purpose)
    with db.engine.connect() as conn:
        meta = {r[0]: r for r in conn.execute(select(
            templates.c.uuid, templates.c.person, templates.c.finger, templates.c.station,
            templates.c.template_format, templates.c.sha256).where(
            templates.c.uuid.in_(list(opened))))}
    key = load_public_key(seal_to) if seal_to else None
    items = []
    for u, data in opened.items():
        m = meta[u]
        item: dict[str, Any] = {"uuid": u, "person": m[1], "finger": m[2], "station": m[3],
                                "template_format": m[4], "sha256": m[5]}
        if key is not None:
            item["sealed"] = seal(key, data, canonical_json(item)).to_json()
        else:
            item["data_b64"] = base64.b64encode(data).decode("ascii")
        items.append(item)
    doc = {"format": EXPORT_FORMAT, "exported_at": iso(), "actor": actor, "purpose": purpose,
           "sealed_to": seal_to, "templates": items}
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2)
    return {"file": str(out), "templates": len(items), "missing": sorted(set(uuids) - set(opened)),
            "sealed": key is not None}
