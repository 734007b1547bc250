"""Storage of deadlines: one owner's wanted deadlines written over its stored rows."""

from __future__ import annotations

from sqlalchemy import update

from core.clock import clock
from core.models import Notification, NotificationStatus
from deadlines.models import Deadline, DeadlineState
from extensions import db


def store(scope: str, existing: dict[str, Deadline], wanted: dict, *, flush: bool = True,
          **owner) -> None:
    """Write the `wanted` deadlines (key → (computed, met_on, coordination request id)) of
    one owner over its `existing` rows: insert, update, cancel what is no longer wanted, and
    cancel the pending reminders of any deadline that moved or closed. `owner` gives the
    owner's column (case_id, site_id or report_obligation_id). Flushes unless `flush` is
    false (a caller storing thousands of owners flushes once)."""
    now = clock().now()
    existing = dict(existing)
    changed: list[int] = []
    for key, (computed, met_on, request_id) in wanted.items():
        if met_on is None:
            state = DeadlineState.open
        elif met_on <= computed.due_on:
            state = DeadlineState.met
        else:
            state = DeadlineState.missed
        row = existing.pop(key, None)
        if row is None:
            row = Deadline(scope=scope, key=key, created_at=now, **owner)
            db.session.add(row)
        elif row.due_on != computed.due_on or row.state != state:
            if row.id is not None:
                changed.append(row.id)
        row.rule_code = computed.rule_code
        row.coordination_request_id = request_id
        row.due_on = computed.due_on
        row.legal_basis = computed.legal_basis
        row.regime = computed.regime
        row.verified = computed.verified
        row.inputs = computed.inputs
        row.state = state
        row.met_on = met_on
        row.updated_at = now
    for row in existing.values():
        if row.state == DeadlineState.open:
            row.state = DeadlineState.cancelled
            row.updated_at = now
            changed.append(row.id)
    if changed:
        db.session.execute(
            update(Notification)
            .where(Notification.deadline_id.in_(changed),
                   Notification.status == NotificationStatus.pending)
            .values(status=NotificationStatus.cancelled)
        )
    if flush:
        db.session.flush()
