"""Which legal deadlines a case has now, from its facts (docs/legal/time-limits.md#rules).

Called by every operation that records a triggering act. The computation itself is in
`legal.deadlines`; `deadlines.store` writes them (met, missed or cancelled) and cancels the
reminders of deadlines that moved or closed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from auth.models import User
from cases import notices
from cases.enforcement import money_owed, standing
from cases.models import (
    EXPLAINED,
    Case,
    CaseState,
    Decision,
    ExplanationKind,
    PlanState,
    ReliefKind,
)
from cases.models.case import OPEN_STATES
from catalogue.engine import deadline_rules
from catalogue.models import LimitationField
from core.calendar import working_calendar
from core.clock import clock
from deadlines.models import Deadline, DeadlineState
from deadlines.owners import Owner
from deadlines.store import store
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

    record = case.record
    if record is not None:
        rule = ("decision_extended" if record.decision_extended_on
                else "decision_explanation" if longer_time_limit(case)
                else "decision")
        yield "decision", lambda: (compute(rule, record.made_on), issued_on, None)
        if record.explanation_right:
            acts = case.explanations
            for key, closing in EXPLANATION_WINDOWS.items():
                closed = min((e.received_on for e in acts if e.kind in closing), default=None)
                if closed is None and decision is not None:
                    continue  # decided after the window: nothing left to wait for
                yield key, lambda key=key, closed=closed: (compute(key, record.made_on),
                                                           closed, None)

    settled_on = None
    if decision is not None:
        # the fine paid in full, or its rest exempted (Art. 77): the day nothing was owed
        settled_on = decision.paid_on or min(
            (r.decided_on for r in decision.reliefs
             if r.kind == ReliefKind.exemption and r.state == PlanState.granted), default=None)
        # Art. 70: the decision is sent within the time limit; the date sent meets it
        yield "delivery", lambda: (compute("delivery", decision.issued_on),
                                   decision.sent_on or decision.delivered_on, None)
        plan = next((p for p in case.instalment_plans if p.decision_id == decision.id
                     and p.state == PlanState.granted), None)
        if plan is not None:
            # the instalments replace the time to comply; each met once paid up to it
            payments = sorted(decision.payments, key=lambda p: (p.paid_on, p.id))
            due_total = 0
            for n, (due, amount) in enumerate(plan.tranches, start=1):
                due_total += amount
                paid, met_on = 0, None
                for p in payments:
                    paid += p.amount
                    if paid >= due_total:
                        met_on = p.paid_on
                        break
                yield f"instalment_due:{plan.id}:{n}", lambda due=due, met_on=met_on: (
                    compute("instalment_due", plan.decided_on, due_on=due), met_on, None)
        elif decision.delivered_on is not None and decision.total_fine > 0:
            postponed = [r for r in decision.reliefs if r.kind == ReliefKind.postponement
                         and r.state == PlanState.granted and r.until is not None]
            if postponed:
                # a postponement granted moves the last day to pay (Art. 76(2))
                last = max(postponed, key=lambda r: r.until)
                yield f"postponement_end:{last.id}", lambda last=last: (
                    compute("postponement_end", last.decided_on, due_on=last.until),
                    settled_on, None)
            else:
                yield "compliance", lambda: (
                    compute("compliance", decision.delivered_on,
                            days=decision.compliance_days), settled_on, None)
        for r in decision.reliefs:
            # the time limits to decide on the violator's requests (Art. 76(2), 77(2))
            if r.kind == ReliefKind.postponement:
                yield f"postponement_decision:{r.id}", lambda r=r: (
                    compute("postponement_decision", r.requested_on), r.decided_on, None)
                continue
            yield f"reduction_forward:{r.id}", lambda r=r: (
                compute("reduction_forward", r.requested_on), r.forwarded_on or r.decided_on,
                None)
            if r.forwarded_on is not None:
                yield f"reduction_decision:{r.id}", lambda r=r: (
                    compute("reduction_decision", r.forwarded_on), r.decided_on, None)
        if decision.total_fine > 0:
            yield "enforcement_limit", lambda: (
                compute("enforcement_limit", decision.issued_on),
                _money_settled_on(case, decision, settled_on), None)
        if decision.issued_on >= NATIONAL_DB_FROM:
            yield "national_db_entry", lambda: (
                compute("national_db_entry", decision.issued_on),
                decision.national_db_entered_on, None)

    for complaint in case.complaints:
        yield f"complaint_settlement:{complaint.id}", lambda c=complaint: (
            compute("complaint_settlement", c.accepted_on, due_on=c.due_on),
            c.outcome_on, None)

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


# The two windows of the right to explain (Law 15/2012/QH13 Art. 61(2), (3);
# docs/legal/procedure.md#right-to-explain) and the acts that close each: a hearing request
# (or the hearing, or a written explanation, or a waiver) ends the first; a written
# explanation, a hearing or a waiver the second.
EXPLANATION_WINDOWS = {
    "explanation_hearing_request": frozenset(ExplanationKind),
    "explanation_written": frozenset({ExplanationKind.written, ExplanationKind.hearing,
                                      ExplanationKind.waiver}),
}


def _money_settled_on(case: Case, decision, fine_settled_on: date | None) -> date | None:
    """The day nothing was owed any more of the fine nor of its late-payment surcharge (Law
    15/2012/QH13 Art. 78(1)), which ends the time to enforce them (Art. 74(1)): the fine's
    own day (`fine_settled_on`: paid in full, or its rest exempted) when no surcharge ran;
    else the day the payments covered both; None while the surcharge is unpaid."""
    if fine_settled_on is None:
        return None
    s = standing(case, clock().today())
    if s is None or not s.surcharge:
        return fine_settled_on
    if s.surcharge_unpaid:
        return None
    paid = 0
    for p in sorted(decision.payments, key=lambda p: (p.paid_on, p.id)):
        paid += p.amount
        if paid >= s.owed + s.surcharge:
            return max(p.paid_on, fine_settled_on)
    return fine_settled_on


def longer_time_limit(case: Case) -> bool:
    """Whether the time limit to decide is the longer one (30 days in the 2012 text, one
    month from 2022: Law 15/2012/QH13 Art. 66(1); docs/legal/procedure.md#right-to-explain).

    The facts must be verified (the inspector ticks it on the record), or the right to
    explain applies and: under the 2012 text (records to 31/12/2021) the category decides —
    every case with the right; under the 2020 text the violator's request decides — a
    written explanation, a hearing request or a hearing recorded (a waiver keeps 7 working
    days)."""
    record = case.record
    if record is None:
        return False
    if record.explanation_requested:
        return True
    if not record.explanation_right:
        return False
    if rules.regime(record.made_on) == "2012":
        return True
    return any(e.kind in EXPLAINED for e in case.explanations)


def explanation_windows(made_on: date) -> dict[str, rules.ComputedDeadline]:
    """The two windows of the right to explain for a record made on `made_on`, computed
    on the working calendar with the administrator's corrections: {"explanation_hearing_request":
    …, "explanation_written": …} (2 working days and 5 days in the 2012 text; 2 and 5 working
    days from 2022). Raises legal.deadlines.RuleError when no text was in force."""
    cal, in_force = working_calendar(), deadline_rules()
    return {key: rules.compute(key, made_on, calendar=cal, rules=in_force)
            for key in EXPLANATION_WINDOWS}


def recompute(case: Case) -> list[Deadline]:
    """Bring the stored deadlines of `case` in line with its facts. Flushes, never commits.

    A deadline is `met` when its closing act happened on or before the due date, `missed`
    when it happened later, `cancelled` when the case ended (dismissed, transferred) or the
    deadline no longer applies, otherwise `open`. Pending reminders of a deadline that moved,
    was met or was cancelled are cancelled (the planner plans new ones).
    """
    db.session.flush()
    db.session.expire(case, ["deadlines", "violations", "decisions", "coordination_requests",
                             "record", "complaints", "instalment_plans", "explanations",
                             "reliefs"])
    wanted = {} if case.state in ENDED_STATES else _wanted(case)
    store(f"case:{case.id}", {d.key: d for d in case.deadlines}, wanted, case_id=case.id)
    db.session.expire(case, ["deadlines"])
    return sorted(case.deadlines, key=lambda d: d.due_on)


def recompute_open_cases(user, event_id: int) -> list[tuple]:
    """Recompute the deadlines of every open case after a calendar or rule change (receiver
    of `core.signals.deadlines_outdated`, connected by `app.create_app`).

    Returns [(case, deadline key, old due date, new due date)] for every open deadline that
    moved, and queues one e-mail per case to its inspector listing them."""
    moved = []
    cases = db.session.scalars(select(Case).where(
        Case.state.in_([s.value for s in OPEN_STATES])).order_by(Case.id)).all()
    for case in cases:
        before = {d.key: d.due_on for d in case.deadlines if d.state == DeadlineState.open}
        after = {d.key: d.due_on for d in recompute(case)}
        changes = [(key, old, after[key]) for key, old in before.items()
                   if key in after and after[key] != old]
        for key, old, new in changes:
            moved.append((case, key, old, new))
        if changes:
            notices.queue_deadlines_moved(case, changes, event_id)
    return moved


MONEY_RULES = ("compliance", "instalment_due")  # the deadlines about the fine's money


def money_for(rows: list[tuple[int, str, int]], today: date) -> dict:
    """{deadline id: deadlines.mail.Money} for those of `rows` [(deadline id, rule code, case
    id)] about a case's money (the time to comply, an instalment) whose case still owes some:
    the fine unpaid, the late-payment surcharge to `today` and the total
    (`cases.enforcement.money_owed`). The planner prints them in the reminder. A fixed
    number of queries whatever the count."""
    wanted = [(d_id, case_id) for d_id, rule_code, case_id in rows
              if rule_code in MONEY_RULES and case_id is not None]
    if not wanted:
        return {}
    cases = {c.id: c for c in db.session.scalars(
        select(Case).where(Case.id.in_({case_id for _d, case_id in wanted})).options(
            selectinload(Case.decisions).selectinload(Decision.payments),
            selectinload(Case.deadlines),
            selectinload(Case.obligations), selectinload(Case.instalment_plans)))}
    owed = {cid: money_owed(case, today) for cid, case in cases.items()}
    return {d_id: owed[case_id] for d_id, case_id in wanted if owed.get(case_id) is not None}


OWNER = Owner(
    fk=Deadline.case_id, relation="case", model=Case,
    inspector=Case.inspector_id, supervisor=Case.supervisor_id,
    open=Case.state.in_([s.value for s in OPEN_STATES]), escalates=True, digest=True,
    label=Case.code, about=Case.subject_name,
    inspector_name=func.coalesce(User.full_name, ""),
    joins=lambda: [(User, User.id == Case.inspector_id)],
    path=lambda case_id: f"/cases/{case_id}",
    money=money_for)
"""The planner's view of a case's deadlines (`deadlines.owners`)."""
