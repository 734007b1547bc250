"""Storage of deadlines: one owner's wanted deadlines written over its stored rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from core import bulk
from core.clock import clock
from core.models import Notification, NotificationStatus
from deadlines.models import Deadline, DeadlineState
from extensions import db


def _state(due_on: date, met_on: date | None) -> str:
    """Open until met; met on or before the due date, missed after it."""
    if met_on is None:
        return DeadlineState.open
    return DeadlineState.met if met_on <= due_on else DeadlineState.missed


def store_new(owners: list[tuple[str, dict, dict]]) -> int:
    """Insert the `wanted` deadlines of owners that have none stored yet (sites just
    imported), the same rows `store` would write for them, as one executemany without ORM
    objects (`core.bulk`). `owners`: (scope, wanted, owner's column, e.g. {"site_id": 5}).
    Returns the number of rows inserted; raises IntegrityError when one was stored already."""
    now = clock().now()
    rows = [{"scope": scope, "key": key, "created_at": now, "updated_at": now,
             "rule_code": computed.rule_code, "coordination_request_id": request_id,
             "due_on": computed.due_on, "legal_basis": computed.legal_basis,
             "regime": computed.regime, "verified": computed.verified,
             "inputs": computed.inputs, "state": _state(computed.due_on, met_on),
             "met_on": met_on, "case_id": None, "site_id": None,
             "report_obligation_id": None, "campaign_id": None, **owner}
            for scope, wanted, owner in owners
            for key, (computed, met_on, request_id) in wanted.items()]
    bulk.insert_rows(Deadline.__table__, rows)
    return len(rows)


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
        state = _state(computed.due_on, met_on)
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
