"""The audit trail: every operation writes one event, chained by SHA-256 to the previous one."""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

from sqlalchemy import event as sa_event
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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


_HEAD = "audit_head"


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_head(session, transaction) -> None:
    """The lock on the head ends with its transaction (a savepoint's end is enough to
    forget it too): take it again next time. A flush's own inner transaction is not one."""
    if transaction.parent is None or transaction.nested:
        session.info.pop(_HEAD, None)


def _lock_head() -> AuditHead:
    """Take the head row for update (creating it on first use) and return it. Once taken,
    the lock lasts until the transaction ends, so later events of the same transaction
    (an import of thousands of rows) reuse the row without asking again."""
    held = db.session.info.get(_HEAD)
    if held is not None:
        return held
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
    head = db.session.scalars(select(AuditHead).where(AuditHead.id == 1)
                              .execution_options(populate_existing=True)).one()
    db.session.info[_HEAD] = head
    return head


def record(actor, action: str, obj, *, case=None, before: dict | None = None,
           after: dict | None = None, note: str | None = None) -> AuditEvent:
    """Append an audit event for `action` on `obj` (a model instance) by `actor` (a User or
    None for the system), chained to the previous event by its hash. Flushes so the event
    has an id; never commits."""
    return record_many(actor, [Entry(action, obj, case, before, after, note)])[0]


class Entry(NamedTuple):
    """One event of `record_many`."""

    action: str
    obj: object
    case: object = None
    before: dict | None = None
    after: dict | None = None
    note: str | None = None


def record_many(actor, entries: list[Entry]) -> list[AuditEvent]:
    """Append one audit event per entry, in order, chained like `record`'s, with two
    statements for the lot instead of several per event (an import of 10 000 sites writes
    10 000 events). Flushes; never commits. Returns the events."""
    if not entries:
        return []
    db.session.flush()
    head = _lock_head()
    now, prev, events = clock().now(), head.last_hash, []
    for entry in entries:
        event = AuditEvent(
            occurred_at=now,
            actor_id=getattr(actor, "id", None),
            case_id=getattr(entry.case, "id", None),
            object_type=type(entry.obj).__name__,
            object_id=None if getattr(entry.obj, "id", None) is None else str(entry.obj.id),
            action=entry.action,
            before=entry.before,
            after=entry.after,
            note=entry.note,
            prev_hash=prev,
        )
        event.hash = prev = _digest(event)
        events.append(event)
    db.session.add_all(events)
    db.session.flush()  # ids in the order added: the chain's order
    last = events[-1]
    head.last_id, head.last_hash, head.count = last.id, last.hash, head.count + len(events)
    return events  # the head's new values go out with the next flush or the commit


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
