"""The audit trail: every operation writes one event, chained by SHA-256 to the previous one."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.clock import clock
from core.models import AuditEvent, AuditHead
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


def _lock_head() -> AuditHead:
    """Take the head row for update (creating it on first use) and return it."""
    locked = db.session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(count=AuditHead.count + 0)
    ).rowcount
    if not locked:
        try:
            with db.session.begin_nested():
                db.session.add(AuditHead(id=1, last_id=0, last_hash=GENESIS, count=0))
        except IntegrityError:
            db.session.execute(update(AuditHead).where(AuditHead.id == 1)
                               .values(count=AuditHead.count + 0))
    return db.session.scalars(select(AuditHead).where(AuditHead.id == 1)
                              .execution_options(populate_existing=True)).one()


def record(actor, action: str, obj, *, case=None, before: dict | None = None,
           after: dict | None = None, note: str | None = None) -> AuditEvent:
    """Append an audit event for `action` on `obj` (a model instance) by `actor` (a User or
    None for the system), chained to the previous event by its hash. Flushes so the event
    has an id; never commits."""
    db.session.flush()
    head = _lock_head()
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
        prev_hash=head.last_hash,
    )
    event.hash = _digest(event)
    db.session.add(event)
    db.session.flush()
    head.last_id, head.last_hash, head.count = event.id, event.hash, head.count + 1
    db.session.flush()
    return event


def verify_chain() -> list[str]:
    """Problems found in the audit trail (empty list: intact): an event whose content does
    not match its hash (edited), an event not linked to the one before (one deleted or
    inserted), a trail that does not end where the head says (the last ones deleted)."""
    problems = []
    prev, count, last_id = GENESIS, 0, 0
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)
                                    .execution_options(yield_per=1000)):
        if _digest(event) != event.hash:
            problems.append(f"event {event.id}: content does not match its hash (edited)")
        if event.prev_hash != prev:
            problems.append(f"event {event.id}: not linked to the previous event "
                            f"(an event before it was deleted or changed)")
        prev, count, last_id = event.hash, count + 1, event.id
    head = db.session.get(AuditHead, 1)
    if head is None:
        if count:
            problems.append("the head of the trail is missing")
    elif (head.last_id, head.last_hash, head.count) != (last_id, prev, count):
        problems.append(f"the trail ends at event {last_id} ({count} events) but the head "
                        f"records event {head.last_id} ({head.count} events): events deleted")
    return problems
