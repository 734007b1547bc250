"""Recompute and store a case's legal deadlines from its facts (docs/legal/time-limits.md#rules).

Called by every operation that records a triggering act. The computation itself is in
`legal.deadlines`; this module decides which deadlines a case has now, stores them, marks
them met, missed or cancelled, and cancels the reminders of deadlines that moved or closed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from cases.models import Case, CaseState, Deadline, DeadlineState
from catalogue.engine import deadline_rules
from catalogue.models import LimitationField
from core.calendar import working_calendar
from core.clock import clock
from core.models import Notification, NotificationStatus
from extensions import db
from legal import deadlines as rules
from legal.catalogue import Field

ENDED_STATES = {CaseState.dismissed, CaseState.transferred}
NATIONAL_DB_FROM = date(2016, 5, 15)  # Decree 20/2016/NĐ-CP


def _wanted(case: Case) -> dict[str, tuple[rules.ComputedDeadline, date | None, int | None]]:
    """key → (computed deadline, date it was met or None, coordination request id).
    A rule with no text in force on its date (an act before the law it comes from) gives
    no deadline rather than an error."""
    wanted: dict[str, tuple[rules.ComputedDeadline, date | None, int | None]] = {}
    for key, value in _candidates(case):
        try:
            wanted[key] = value()
        except rules.RuleError:
            continue
    return wanted


def _candidates(case: Case):
    """(key, thunk) pairs, each thunk computing one deadline of the case."""
    cal = working_calendar()
    rules_in_force = deadline_rules()

    def compute(rule: str, start: date, **options) -> rules.ComputedDeadline:
        return rules.compute(rule, start, calendar=cal, rules=rules_in_force, **options)

    decision = case.decision
    issued_on = decision.issued_on if decision else None
    fields = {v.clause.field for v in case.violations if v.clause is not None}
    ongoing = case.violation_ended_on is None
    yield "sanction_limitation", lambda: (compute(
        "sanction_limitation", case.violation_date,
        field=LimitationField.press if fields == {Field.press} else LimitationField.it,
        start_label="ngày phát hiện vi phạm đang thực hiện" if ongoing
        else "ngày chấm dứt hành vi vi phạm"), issued_on, None)

    if case.record is not None:
        rule = ("decision_extended" if case.record.decision_extended_on
                else "decision_explanation" if case.record.explanation_requested
                else "decision")
        yield "decision", lambda: (compute(rule, case.record.made_on), issued_on, None)

    if decision is not None:
        yield "delivery", lambda: (compute("delivery", decision.issued_on),
                                   decision.delivered_on, None)
        if decision.delivered_on is not None and decision.total_fine > 0:
            yield "compliance", lambda: (
                compute("compliance", decision.delivered_on, days=decision.compliance_days),
                decision.paid_on, None)
        if decision.total_fine > 0:
            yield "enforcement_limit", lambda: (
                compute("enforcement_limit", decision.issued_on), decision.paid_on, None)
        if decision.issued_on >= NATIONAL_DB_FROM:
            yield "national_db_entry", lambda: (
                compute("national_db_entry", decision.issued_on),
                decision.national_db_entered_on, None)

    for req in case.coordination_requests:
        def coordination(req=req):
            computed = compute("coordination_response", req.sent_on,
                               due_on=req.response_due_on, request_id=req.id)
            basis = f"Công văn {req.letter_number or ''} gửi {req.partner_name}"
            return (rules.ComputedDeadline(
                computed.rule_code, computed.due_on, " ".join(basis.split()),
                computed.regime, computed.status, computed.inputs, computed.name_vi),
                req.response_received_on, req.id)
        yield f"coordination_response:{req.id}", coordination


def recompute(case: Case) -> list[Deadline]:
    """Bring the stored deadlines of `case` in line with its facts. Flushes, never commits.

    A deadline is `met` when its closing act happened on or before the due date, `missed`
    when it happened later, `cancelled` when the case ended (dismissed, transferred) or the
    deadline no longer applies, otherwise `open`. Pending reminders of a deadline that moved,
    was met or was cancelled are cancelled (the planner plans new ones).
    """
    db.session.flush()
    db.session.expire(case, ["deadlines", "violations", "decisions", "coordination_requests",
                             "record"])
    wanted = {} if case.state in ENDED_STATES else _wanted(case)
    store(f"case:{case.id}", {d.key: d for d in case.deadlines}, wanted, case_id=case.id)
    db.session.expire(case, ["deadlines"])
    return sorted(case.deadlines, key=lambda d: d.due_on)


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
