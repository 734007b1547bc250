"""Postponing the fine (Law 15/2012/QH13 Art. 76) and reducing or exempting its rest
(Art. 77; docs/legal/enforcement.md#postponement): the violator's request with its date,
grounds, the cause of hardship, who confirmed it and the supporting document, and the
decision on it. A postponement granted moves the last day to pay; a reduction lowers what is
owed, an exemption takes off the whole rest (and may close the case); no surcharge runs while
a postponement runs or a reduction is considered (Circular 18/2023/TT-BTC Art. 5(2))."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from auth.permissions import has_permission
from cases import deadlines
from cases.enforcement import granted_reliefs, standing
from cases.models import (
    Case,
    CaseAction,
    Evidence,
    FineRelief,
    HardshipCause,
    PlanState,
    ReliefKind,
)
from cases.operations.base import check, require
from cases.operations.enforcement import settle, sync_paid
from catalogue.engine import enforcement as enforcement_data
from core import audit
from core.clock import clock
from core.errors import OperationError
from extensions import db
from legal.enforcement import (
    EnforcementError,
    postponement_refusals,
    postponement_rule,
    postponement_until,
    reduction_refusals,
    reduction_rule,
)

MAX_MONTHS_ASKED = 12  # what a request may say; the law's cap is checked on granting


def _rest(case: Case, on: date) -> int:
    s = standing(case, on)
    return s.balance if s is not None else 0


def rule_of(relief: FineRelief):
    """The text of Art. 76 or 77 that applies to `relief` (in force on the sanction
    decision's date), or None when none is."""
    try:
        return (postponement_rule if relief.kind == ReliefKind.postponement
                else reduction_rule)(relief.decision.issued_on, data=enforcement_data())
    except EnforcementError:
        return None


def refusals(relief: FineRelief, on: date | None = None) -> list[str]:
    """The conditions of Art. 76 (postponement) or Art. 77 (reduction, exemption) that
    `relief` fails on `on` (default today), in Vietnamese; empty when it may be granted.
    The text applied is the one in force on the sanction decision's date."""
    case, decision = relief.case, relief.decision
    on = on or clock().today()
    try:
        if relief.kind == ReliefKind.postponement:
            return postponement_refusals(
                case.subject_kind, decision.total_fine, decision.issued_on, relief.cause,
                bool(relief.confirmed_by), relief.months,
                medical_confirmed=bool(relief.medical_confirmed_by), data=enforcement_data())
        exemption = relief.kind == ReliefKind.exemption
        return reduction_refusals(
            case.subject_kind, decision.total_fine, decision.issued_on, relief.cause,
            bool(relief.confirmed_by), exemption=exemption,
            amount_vnd=relief.amount_asked or 0, rest_vnd=_rest(case, on),
            postponed=bool(granted_reliefs(decision, (ReliefKind.postponement,))),
            medical_confirmed=bool(relief.medical_confirmed_by), data=enforcement_data())
    except EnforcementError as exc:
        return [str(exc)]


def request_relief(user, case: Case, *, kind: str, requested_on: date, grounds: str,
                   cause: str, confirmed_by: str | None = None,
                   medical_confirmed_by: str | None = None, evidence: Evidence | None = None,
                   months: int | None = None, amount: int | None = None,
                   forwarded_on: date | None = None) -> FineRelief:
    """Record the violator's request received on `requested_on`: `kind` "postponement"
    (for `months` months), "reduction" (of `amount` VND) or "exemption" (of the whole rest),
    with its grounds, the cause of hardship (a HardshipCause), who confirmed it (None: not
    confirmed), who confirmed a serious illness or accident medically (from 2022), the
    supporting document (`evidence` of the case) and, for a reduction or exemption, the day
    it was forwarded to the direct superior (Art. 77(2)). The request waits for its decision;
    the page lists the conditions it fails and the time limit to decide. Raises NotAllowed or
    OperationError naming the field."""
    require(case.may(user, CaseAction.pay))
    decision = case.decision
    today = clock().today()
    check(kind in ReliefKind.__members__, _("Choose what is asked for."), "kind")
    check(decision.total_fine > 0, _("This decision imposes no fine."), "kind")
    check(requested_on is not None and decision.issued_on <= requested_on <= today,
          _("The date must be between the decision and today."), "requested_on")
    check(bool((grounds or "").strip()), _("Give the grounds of the request."), "grounds")
    check(cause in HardshipCause.__members__, _("Choose the cause of the hardship."), "cause")
    check(evidence is None or evidence.case_id == case.id, _("Choose evidence of this case."),
          "evidence_id")
    rest = _rest(case, today)
    if kind == ReliefKind.postponement:
        check(months is not None and 1 <= months <= MAX_MONTHS_ASKED,
              _("Give the months of postponement asked for (1 to %(n)s).",
                n=MAX_MONTHS_ASKED), "months")
        check(not any(p.state == PlanState.granted and p.decision_id == decision.id
                      for p in case.instalment_plans),
              _("The fine is already paid in instalments."), "kind")
        check(not granted_reliefs(decision, (ReliefKind.postponement,)),
              _("A postponement was already granted for this decision."), "kind")
        amount = None
    else:
        check(rest > 0, _("Nothing of the fine is unpaid."), "kind")
        if kind == ReliefKind.reduction:
            check(amount is not None and 0 < amount < rest,
                  _("The reduction must be more than 0 đồng and less than the %(rest)s đồng "
                    "unpaid (the whole rest is an exemption).",
                    rest=f"{rest:,}".replace(",", ".")), "amount")
        else:
            amount = None
        months = None
        check(forwarded_on is None or requested_on <= forwarded_on <= today,
              _("The date must be between the request and today."), "forwarded_on")
    check(not any(r.state == PlanState.requested and r.decision_id == decision.id
                  and (r.kind == ReliefKind.postponement) == (kind == ReliefKind.postponement)
                  for r in decision.reliefs),
          _("A request is already waiting for its decision."), "kind")
    relief = FineRelief(
        case_id=case.id, decision_id=decision.id, kind=kind, requested_on=requested_on,
        grounds=grounds.strip(), cause=cause,
        confirmed_by=(confirmed_by or "").strip() or None,
        medical_confirmed_by=(medical_confirmed_by or "").strip() or None,
        evidence_id=evidence.id if evidence is not None else None, months=months,
        amount_asked=amount, forwarded_on=None if kind == ReliefKind.postponement
        else forwarded_on, state=PlanState.requested, recorded_by_id=user.id,
        recorded_at=clock().now())
    db.session.add(relief)
    db.session.flush()
    db.session.expire(decision, ["reliefs"])
    db.session.expire(case, ["reliefs"])
    audit.record(user, f"relief.{kind}.requested", relief, case=case,
                 after={"requested_on": requested_on.isoformat(), "cause": cause,
                        "months": months, "amount": amount,
                        "evidence_id": relief.evidence_id})
    deadlines.recompute(case)
    return relief


def forward_relief(user, relief: FineRelief, on: date) -> None:
    """A request to reduce or exempt the fine was forwarded with the case file to the direct
    superior on `on` (Law 15/2012/QH13 Art. 77(2), 2012 text: within 3 days of receiving it;
    the superior's 5 days run from then). Raises NotAllowed or OperationError."""
    case = relief.case
    require(case.may(user, CaseAction.pay))
    check(relief.kind != ReliefKind.postponement and relief.state == PlanState.requested
          and relief.forwarded_on is None, _("This request cannot be forwarded now."),
          "forwarded_on")
    check(on is not None and relief.requested_on <= on <= clock().today(),
          _("The date must be between the request and today."), "forwarded_on")
    relief.forwarded_on = on
    audit.record(user, f"relief.{relief.kind}.forwarded", relief, case=case,
                 after={"on": on.isoformat()})
    deadlines.recompute(case)


def decide_relief(user, relief: FineRelief, grant: bool, on: date,
                  note: str | None = None) -> None:
    """Grant or refuse `relief` on `on` (recorded by a supervisor, as for instalments: the
    official who decided the fine decides a postponement, Art. 76(2); a reduction or an
    exemption is decided by the direct superior, Art. 77(2), whose answer the supervisor
    records). Granting is refused, naming each condition, when the request fails the law's
    conditions (`refusals`). Granted: a postponement runs from `on` for the months asked
    (its last day `until`, Art. 76(2)); a reduction takes the amount asked off what is owed;
    an exemption takes off the whole rest unpaid on `on`, and the case closes when every
    measure is carried out (the closing audited as exempted). Refusing needs a note. Raises
    NotAllowed or OperationError."""
    case, decision = relief.case, relief.decision
    require(has_permission(user, "decision.correct") and case.decision is not None
            and case.decision.id == relief.decision_id)
    check(relief.state == PlanState.requested, _("This request is already decided."), "note")
    check(on is not None and relief.requested_on <= on <= clock().today(),
          _("The date must be between the request and today."), "decided_on")
    if grant:
        failed = refusals(relief, on)
        if failed:
            # the law's conditions, not a field's value: shown above the page, not as
            # an error of the note
            raise OperationError(_("The request cannot be granted: %(reasons)s",
                                   reasons=" ".join(failed)))
    else:
        check(bool((note or "").strip()), _("Give the reason for refusing."), "note")
    after: dict = {"on": on.isoformat()}
    if grant and relief.kind == ReliefKind.postponement:
        # a text in force (the refusals checked it)
        postponement_rule(decision.issued_on, data=enforcement_data())
        relief.until = postponement_until(on, relief.months)
        after["until"] = relief.until.isoformat()
    elif grant:
        relief.amount = (relief.amount_asked if relief.kind == ReliefKind.reduction
                         else _rest(case, on))
        after["amount"] = relief.amount
    relief.state = PlanState.granted if grant else PlanState.refused
    relief.decided_on = on
    relief.decided_by_id = user.id
    relief.note = (note or "").strip() or None
    db.session.flush()
    db.session.expire(decision, ["reliefs"])
    audit.record(user, f"relief.{relief.kind}.{relief.state}", relief, case=case,
                 note=relief.note, after=after)
    if grant and relief.kind != ReliefKind.postponement:
        sync_paid(decision)
    deadlines.recompute(case)
    if grant:  # closed if nothing is left to pay or do; back from enforcement if not late
        settle(user, case, on)
