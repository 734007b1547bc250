"""The audit trail: every operation writes one event, chained by SHA-256 to the previous one."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from core.clock import clock
from core.models import AuditEvent
from extensions import db

GENESIS = "0" * 64


def _digest(event: AuditEvent) -> str:
    payload = json.dumps(
        {
            "prev": event.prev_hash,
            "at": event.occurred_at.isoformat(),
            "actor": event.actor_id,
            "case": event.case_id,
            "object": [event.object_type, event.object_id],
            "action": event.action,
            "before": event.before,
            "after": event.after,
            "note": event.note,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(actor, action: str, obj, *, case=None, before: dict | None = None,
           after: dict | None = None, note: str | None = None) -> AuditEvent:
    """Append an audit event for `action` on `obj` (a model instance) by `actor` (a User or
    None for the system). Flushes so the event has an id; never commits."""
    db.session.flush()
    last = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        occurred_at=clock().now(),
        actor_id=getattr(actor, "id", None),
        case_id=getattr(case, "id", None),
        object_type=type(obj).__name__,
        object_id=None if getattr(obj, "id", None) is None else str(obj.id),
        action=action,
        before=before,
        after=after,
        note=note,
        prev_hash=last or GENESIS,
    )
    event.hash = _digest(event)
    db.session.add(event)
    db.session.flush()
    return event


def verify_chain() -> list[int]:
    """Ids of events whose hash or link to the previous event does not match (empty: intact)."""
    bad = []
    prev = GENESIS
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != prev or _digest(event) != event.hash:
            bad.append(event.id)
        prev = event.hash
    return bad
