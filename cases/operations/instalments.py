"""Paying the fine in instalments (Law 15/2012/QH13 Art. 79;
docs/legal/enforcement.md#instalments): the violator's request with its date, grounds and
the hardship's confirmation, and the decision on it by the official who decided the fine.
A plan granted replaces the time to comply by its instalments, each with its deadline and
reminders; no surcharge runs on an instalment before its own last day."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from auth.permissions import has_permission
from cases import deadlines
from cases.models import Case, CaseAction, InstalmentPlan, PlanState
from cases.operations.base import check, require
from cases.operations.enforcement import settle
from catalogue.engine import enforcement as enforcement_data
from core import audit
from core.clock import clock
from core.errors import OperationError
from extensions import db
from legal.enforcement import EnforcementError, instalment_refusals


def refusals(plan: InstalmentPlan) -> list[str]:
    """The Art. 79 conditions `plan` fails (Vietnamese), empty when it may be granted."""
    case, decision = plan.case, plan.case.decision
    try:
        return instalment_refusals(case.subject_kind, decision.total_fine, decision.issued_on,
                                   plan.tranches, bool(plan.confirmed_by),
                                   data=enforcement_data())
    except EnforcementError as exc:
        return [str(exc)]


def request_instalments(user, case: Case, *, requested_on: date, grounds: str,
                        confirmed_by: str | None, schedule: list[tuple[date, int]]
                        ) -> InstalmentPlan:
    """Record the violator's request to pay in the instalments `schedule` [(due date, VND)],
    with its date, grounds and who confirmed the economic hardship (None: not confirmed).
    The plan waits for the decision; the page lists the conditions it fails. Raises
    NotAllowed or OperationError naming the field."""
    require(case.may(user, CaseAction.pay))
    decision = case.decision
    check(decision.total_fine > 0, _("This decision imposes no fine."), "schedule")
    check(requested_on is not None
          and decision.issued_on <= requested_on <= clock().today(),
          _("The date must be between the decision and today."), "requested_on")
    check(bool((grounds or "").strip()), _("Give the grounds of the request."), "grounds")
    check(bool(schedule), _("Give each instalment: its date and amount."), "schedule")
    check(all(d >= requested_on and a > 0 for d, a in schedule),
          _("Each instalment is due after the request and more than 0 đồng."), "schedule")
    check(not any(p.state == PlanState.requested and p.decision_id == decision.id
                  for p in case.instalment_plans),
          _("A request is already waiting for its decision."), "schedule")
    plan = InstalmentPlan(
        case_id=case.id, decision_id=decision.id, requested_on=requested_on,
        grounds=grounds.strip(), confirmed_by=(confirmed_by or "").strip() or None,
        schedule=[{"due_on": d.isoformat(), "amount": a} for d, a in sorted(schedule)],
        state=PlanState.requested, recorded_at=clock().now())
    db.session.add(plan)
    db.session.flush()
    db.session.expire(case, ["instalment_plans"])
    audit.record(user, "instalments.requested", plan, case=case,
                 after={"schedule": plan.schedule, "requested_on": requested_on.isoformat()})
    return plan


def decide_instalments(user, plan: InstalmentPlan, grant: bool, on: date,
                       note: str | None = None) -> None:
    """Grant or refuse `plan` on `on` (a supervisor: Art. 79 gives it to the official who
    decided the fine). Granting is refused, naming each condition, when the plan fails the
    law's conditions (`legal.enforcement.instalment_refusals`: the fine threshold for the
    subject, the hardship confirmed, at most the number of instalments over at most the
    months from the decision, the least first instalment, the total). Refusing needs a
    note. Raises NotAllowed or OperationError."""
    case = plan.case
    require(has_permission(user, "decision.correct") and case.decision is not None
            and case.decision.id == plan.decision_id)
    check(plan.state == PlanState.requested, _("This request is already decided."), "note")
    check(on is not None and plan.requested_on <= on <= clock().today(),
          _("The date must be between the request and today."), "decided_on")
    if grant:
        failed = refusals(plan)
        if failed:
            # the law's conditions, not a field's value: shown above the page, not as
            # an error of the note
            raise OperationError(_("The plan cannot be granted: %(reasons)s",
                                   reasons=" ".join(failed)))
    else:
        check(bool((note or "").strip()), _("Give the reason for refusing."), "note")
    plan.state = PlanState.granted if grant else PlanState.refused
    plan.decided_on = on
    plan.decided_by_id = user.id
    plan.note = (note or "").strip() or None
    audit.record(user, f"instalments.{plan.state}", plan, case=case, note=plan.note,
                 after={"on": on.isoformat()})
    deadlines.recompute(case)
    if grant:
        settle(user, case, on)
