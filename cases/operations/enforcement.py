"""After the decision (docs/legal/enforcement.md): the remedial measures ordered and the
obligations they become, the delivery of the decision, the payments of the fine, closing the
case when everything is carried out or the law ends enforcement, and the move to enforcement
the day after a compliance deadline passes unmet."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from auth.models import Role, User
from cases import deadlines, notices
from cases.enforcement import money_owed, relieved_amount, standing
from cases.models import (
    CaptureState,
    Case,
    CaseAction,
    CaseState,
    CloseReason,
    CoercionState,
    ComplaintOutcome,
    CostBearer,
    Decision,
    DeliveryMethod,
    Evidence,
    Obligation,
    ObligationProof,
    ObligationState,
    Payment,
    PaymentPlace,
    SiteStatusEffect,
    Violation,
    ViolationMeasure,
    WebCapture,
)
from cases.models.case import OPEN_STATES
from cases.operations.base import check, require, transition
from core import audit
from core.calendar import working_calendar
from core.clock import clock
from extensions import db
from legal.dates import format_date_vn
from legal.money import format_vnd
from legal.text import fold
from registry.operations import SITE_FIELDS, update_site

MAX_MEASURE_DAYS = 365


# ---- remedial measures ordered for a violation -------------------------------------------
def add_measure(user, violation: Violation, text: str, days: int,
                cost_bearer: str = CostBearer.violator) -> ViolationMeasure:
    """Order a remedial measure for `violation`: one of its catalogue clause's remedial
    measures (any text when the catalogue does not know the list), to be carried out within
    `days` calendar days of the decision's receipt (1–365), at the cost of `cost_bearer`
    (Law 15/2012/QH13 Art. 28, 85). While the sanction may still change. Raises NotAllowed or
    OperationError naming the field."""
    case = violation.case
    require(case.may(user, CaseAction.edit_sanction))
    text = (text or "").strip()
    check(bool(text), _("Choose the remedial measure."), "text")
    allowed = violation.clause.remedial_measures if violation.clause is not None else None
    if allowed is not None:
        check(fold(text) in {fold(m) for m in allowed},
              _("This clause does not provide that remedial measure."), "text")
    check(days is not None and 1 <= days <= MAX_MEASURE_DAYS,
          _("Give the days to carry it out (1 to %(n)s).", n=MAX_MEASURE_DAYS), "days")
    check(cost_bearer in CostBearer.__members__, _("Choose who bears the cost."), "cost_bearer")
    check(not any(fold(m.text) == fold(text) for m in violation.measures),
          _("This measure is already ordered for this violation."), "text")
    measure = ViolationMeasure(text=text, days=days, cost_bearer=cost_bearer)
    violation.measures.append(measure)
    db.session.flush()
    audit.record(user, "measure.added", measure, case=case,
                 after={"text": text, "days": days, "cost_bearer": cost_bearer})
    return measure


def remove_measure(user, measure: ViolationMeasure) -> None:
    """Withdraw a remedial measure before the sanction is fixed. Raises NotAllowed."""
    case = measure.violation.case
    require(case.may(user, CaseAction.edit_sanction))
    audit.record(user, "measure.removed", measure, case=case, before={"text": measure.text})
    measure.violation.measures.remove(measure)
    db.session.delete(measure)
    db.session.flush()


def create_obligations(case: Case, decision: Decision) -> list[Obligation]:
    """On issue: each measure of each violation becomes an obligation of the violator (the
    responsible party), its deadline set when the decision is received. Flushes."""
    made = []
    for violation in case.violations:
        for m in violation.measures:
            made.append(Obligation(
                case_id=case.id, decision_id=decision.id, text=m.text, days=m.days,
                cost_bearer=m.cost_bearer, responsible=case.subject_name,
                state=ObligationState.pending))
    db.session.add_all(made)
    db.session.flush()
    db.session.expire(case, ["obligations"])
    return made


def adopt_legacy_measures() -> list[Obligation]:
    """Measures recorded before tracking (docs/legal/enforcement.md): for every open case
    whose decision in force orders a remedial measure only as the free text of a violation
    (decisions issued before measures became obligations), one pending obligation per such
    violation, its words as written, marked `before_tracking`: the decision's time limit for
    it was not recorded, so it has none and is never overdue; the case stays open until
    someone records it done, enforced or impossible (`update_obligation`). Idempotent: a
    violation whose text already has its obligation is skipped. Each obligation is audited
    on its case (`case.legacy_measure_recorded`, the system as actor). Returns the
    obligations made. Flushes; the caller commits."""
    made = []
    cases = db.session.scalars(select(Case).where(
        Case.state.in_([s.value for s in OPEN_STATES])).order_by(Case.id)).all()
    for case in cases:
        decision = case.decision
        if decision is None:
            continue
        have = {o.text for o in case.obligations if o.decision_id == decision.id}
        for violation in case.violations:
            text = (violation.remedial_measures or "").strip()
            if not text or violation.measures or text in have:
                continue
            o = Obligation(case_id=case.id, decision_id=decision.id, text=text, days=0,
                           cost_bearer=CostBearer.violator, responsible=case.subject_name,
                           state=ObligationState.pending, before_tracking=True)
            db.session.add(o)
            db.session.flush()
            audit.record(None, "case.legacy_measure_recorded", o, case=case, after={
                "text": text, "decision": decision.full_number,
                "received_on": decision.delivered_on.isoformat()
                if decision.delivered_on else None})
            have.add(text)
            made.append(o)
        if made and made[-1].case_id == case.id:
            db.session.expire(case, ["obligations"])
    return made


# ---- delivery ----------------------------------------------------------------------------
def record_delivery(user, case: Case, delivered_on: date | None = None, *,
                    method: str = DeliveryMethod.in_person, sent_on: date | None = None,
                    proof: Evidence | None = None) -> None:
    """The decision was sent on `sent_on` by `method` and received by the violator on
    `delivered_on` (None: sent, not yet received back). The delivery deadline (2 working days,
    Law 15/2012/QH13 Art. 70) closes with the date sent; the time to comply (Art. 73(1)) and
    each remedial measure's days run from the date received. Handed over in person, sent and
    received are the same day. `proof`: the case's evidence holding the signed receipt or the
    postal proof. A warning without fine or measures is complied with on receipt and closes.
    Raises NotAllowed or OperationError naming the field."""
    require(case.may(user, CaseAction.deliver))
    decision = case.decision
    today = clock().today()
    check(method in DeliveryMethod.__members__, _("Choose how the decision was delivered."),
          "method")
    if method == DeliveryMethod.in_person and sent_on is None:
        sent_on = delivered_on
    sent_on = sent_on or decision.sent_on
    check(sent_on is not None, _("The date sent is required."), "sent_on")
    check(sent_on >= decision.issued_on,
          _("Delivery cannot be before the decision was issued."), "sent_on")
    check(sent_on <= today, _("The date cannot be in the future."), "sent_on")
    if delivered_on is not None:
        check(delivered_on >= sent_on, _("It cannot be received before it was sent."),
              "delivered_on")
        check(delivered_on <= today, _("The date cannot be in the future."), "delivered_on")
    check(proof is None or proof.case_id == case.id, _("Choose evidence of this case."),
          "proof_id")
    decision.delivery_method = method
    decision.sent_on = sent_on
    if proof is not None:
        decision.delivery_proof_id = proof.id
    if delivered_on is None:
        audit.record(user, "decision.sent", decision, case=case,
                     after={"sent_on": sent_on.isoformat(), "method": method})
        deadlines.recompute(case)
        return
    decision.delivered_on = delivered_on
    cal = working_calendar()
    for o in case.obligations:
        if o.decision_id == decision.id and not o.before_tracking:
            o.due_on = cal.add_days(delivered_on, o.days)
    transition(case, user, CaseState.delivered, "decision.delivered",
               extra={"delivered_on": delivered_on.isoformat(), "sent_on": sent_on.isoformat(),
                      "method": method})
    deadlines.recompute(case)
    close_if_complete(user, case, delivered_on)


# ---- payments ----------------------------------------------------------------------------
def record_payment(user, case: Case, paid_on: date, amount: int, *,
                   receipt_number: str | None = None,
                   place: str = PaymentPlace.treasury) -> Payment:
    """A payment of `amount` đồng towards the fine on `paid_on` (partial payments add up).
    More than the balance is accepted and flagged as an over-payment on the case page. When
    the fine is paid in full and every measure is carried out, the case closes; a case in
    enforcement with nothing late any more goes back to waiting for compliance (`settle`).
    Raises NotAllowed or OperationError naming the field."""
    require(case.may(user, CaseAction.pay))
    return add_payment(user, case, paid_on, amount, receipt_number=receipt_number, place=place)


def add_payment(user, case: Case, paid_on: date, amount: int, *,
                receipt_number: str | None = None,
                place: str = PaymentPlace.treasury) -> Payment:
    """`record_payment` once the caller has checked that `user` may record payments on
    `case` (a statement import checks each case before its first row: a second row of the
    same decision may follow the one that closed the case)."""
    decision = case.decision
    check(paid_on is not None, _("The payment date is required."), "paid_on")
    check(paid_on >= decision.issued_on,
          _("Payment cannot be before the decision was issued."), "paid_on")
    check(paid_on <= clock().today(), _("The date cannot be in the future."), "paid_on")
    check(amount is not None and amount > 0, _("The amount must be more than 0 đồng."),
          "amount")
    check(decision.total_fine > 0, _("This decision imposes no fine."), "amount")
    check(place in PaymentPlace.__members__, _("Choose where it was paid."), "place")
    receipt_number = (receipt_number or "").strip() or None
    if receipt_number:
        check(not any(p.receipt_number == receipt_number for p in decision.payments),
              _("A payment with this receipt number is already recorded."), "receipt_number")
    payment = Payment(case_id=case.id, decision_id=decision.id, paid_on=paid_on, amount=amount,
                      receipt_number=receipt_number, place=place, recorded_by_id=user.id,
                      recorded_at=clock().now())
    db.session.add(payment)
    db.session.flush()
    db.session.expire(decision, ["payments"])
    sync_paid(decision)
    audit.record(user, "payment.recorded", payment, case=case,
                 after={"amount": amount, "paid_on": paid_on.isoformat(),
                        "receipt": receipt_number, "place": place,
                        "total_paid": decision.amount_paid})
    deadlines.recompute(case)
    settle(user, case, paid_on)
    return payment


def sync_paid(decision: Decision) -> None:
    """Keep the decision's summary columns (used by the reports and the national-database
    export): amount_paid is the sum of its payments, paid_on the day the fine — less what a
    reduction or an exemption took off (Art. 77) — was paid in full (None while a balance
    remains, or when nothing was paid: an exemption of the whole fine)."""
    owed = decision.total_fine - relieved_amount(decision)
    total, paid_on = 0, None
    for p in sorted(decision.payments, key=lambda p: (p.paid_on, p.id)):
        total += p.amount
        if paid_on is None and total >= owed:
            paid_on = p.paid_on
    decision.amount_paid = total or None
    decision.paid_on = paid_on


# ---- remedial measures carried out -------------------------------------------------------
def update_obligation(user, obligation: Obligation, state: str, *, on: date | None = None,
                      proof: str | None = None, evidence: Evidence | None = None,
                      capture: WebCapture | None = None, confirmation: str | None = None,
                      reason: str | None = None, site_status: str | None = None) -> None:
    """Record that a measure was done (with its proof: a document of the case, a web capture
    of the site, or a registrar's or the Ministry's confirmation), enforced, or cannot be
    carried out (with the reason). A done or enforced measure may change the registry status
    of the case's site (taken down, revoked, suspended), the case named as the reason in the
    site's history. Closes the case when nothing else is owed. Raises NotAllowed or
    OperationError naming the field."""
    case = obligation.case
    require(case.may(user, CaseAction.measure))
    today = clock().today()
    check(obligation.state == ObligationState.pending,
          _("This measure is already recorded as %(state)s.",
            state=ObligationState(obligation.state).label), "state")
    check(state in (ObligationState.done, ObligationState.enforced, ObligationState.impossible),
          _("Choose what happened."), "state")
    on = on or today
    check(on <= today, _("The date cannot be in the future."), "on")
    check(on >= obligation.decision.issued_on,
          _("The date cannot be before the decision."), "on")
    if state == ObligationState.impossible:
        check(bool(reason and reason.strip()), _("Give the reason it cannot be carried out."),
              "reason")
    if state == ObligationState.done:
        check(proof in ObligationProof.__members__, _("Choose the proof."), "proof")
        if proof == ObligationProof.document:
            check(evidence is not None and evidence.case_id == case.id
                  and evidence.stored_name is not None,
                  _("Choose a document of this case (add it under Evidence first)."),
                  "evidence_id")
        elif proof == ObligationProof.capture:
            check(capture is not None and capture.case_id == case.id
                  and capture.state == CaptureState.done,
                  _("Choose a finished web capture of this case."), "capture_id")
        else:
            check(bool(confirmation and confirmation.strip()),
                  _("Say who confirmed it and the letter's reference."), "confirmation")
    if site_status:
        check(site_status in SiteStatusEffect.__members__ and state != ObligationState.impossible,
              _("Choose a registry status."), "site_status")
        check(case.site is not None, _("The case has no site in the registry."), "site_status")
    obligation.state = state
    obligation.done_on = on if state != ObligationState.impossible else None
    obligation.proof = proof if state == ObligationState.done else None
    obligation.evidence_id = evidence.id if evidence is not None else None
    obligation.capture_id = capture.id if capture is not None else None
    obligation.confirmation = (confirmation or "").strip() or None
    obligation.reason = (reason or "").strip() or None
    obligation.site_status = site_status or None
    obligation.updated_by_id = user.id
    obligation.updated_at = clock().now()
    audit.record(user, f"measure.{state}", obligation, case=case,
                 after={"text": obligation.text, "on": on.isoformat(), "proof": proof,
                        "site_status": site_status}, note=obligation.reason)
    if site_status and case.site.status != site_status:
        site = case.site
        data = {name: getattr(site, name) for name in SITE_FIELDS}
        data["status"] = site_status
        update_site(user, site, data,
                    reason=f"Vụ việc {case.code}: {obligation.text} "
                           f"({ObligationState(state).label}, {format_date_vn(on)})")
    settle(user, case, on)


def settle(user, case: Case, on: date) -> None:
    """After anything on `on` that may end what the decision asks — a payment, a measure
    carried out, a relief or instalments granted: close the case when everything is done
    (`close_if_complete`); else, in enforcement, take it back to waiting for compliance when
    nothing is late any more today (`lift_enforcement`: a late payment of the balance while
    a measure is still on time, a late measure while the fine is not due yet, an overdue
    instalment caught up, a new time to pay granted). The sweep moves it again once another
    last day passes."""
    if not close_if_complete(user, case, on):
        lift_enforcement(user, case, clock().today())


# ---- closing -----------------------------------------------------------------------------
def close_if_complete(user, case: Case, on: date) -> bool:
    """delivered / enforcement → complied → closed when the fine is paid in full and no
    measure is pending. The closing is audited with its reason. Returns True if closed."""
    if case.state not in (CaseState.delivered, CaseState.enforcement):
        return False
    db.session.flush()
    db.session.expire(case, ["obligations"])
    s = standing(case, on)
    if s is None or not s.complete:
        return False
    decision = case.decision
    impossible = [o for o in case.obligations
                  if o.decision_id == decision.id and o.state == ObligationState.impossible]
    if s.relieved:
        amounts = {"fine": format_vnd(s.fine), "paid": format_vnd(s.paid),
                   "relieved": format_vnd(s.relieved)}
        grounds = _("Fine of %(fine)s đ: %(paid)s đ paid, %(relieved)s đ exempted by the "
                    "decision on the violator's request (Art. 77); every remedial measure "
                    "carried out.", **amounts) if s.exempted else _(
            "Fine of %(fine)s đ: %(relieved)s đ reduced by the decision on the violator's "
            "request (Art. 77), %(paid)s đ paid; every remedial measure carried out.",
            **amounts)
    elif s.fine:
        grounds = _("Fine of %(fine)s đ paid in full; every remedial measure carried out.",
                    fine=format_vnd(s.fine))
    else:
        grounds = _("No fine; every remedial measure carried out.")
    if s.surcharge_paid:  # a fine paid late: its surcharge was paid too (Art. 78(1))
        grounds += " " + _("Late-payment surcharge of %(amount)s đ paid (Article 78(1)).",
                           amount=format_vnd(s.surcharge_paid))
    if s.overpaid:  # what was actually paid, and what is to be given back
        grounds += " " + _("Paid %(paid)s đ in all: %(excess)s đ more than owed, to be "
                           "refunded.", paid=format_vnd(s.paid), excess=format_vnd(s.overpaid))
    if impossible:
        grounds += " " + _("Measures that could not be carried out: %(list)s.",
                           list="; ".join(f"{o.text} ({o.reason})" for o in impossible))
    # complied on the day the last of it was done: the last payment or measure, not the day
    # of whatever was recorded last (a measure recorded after the surcharge was paid)
    on = max([on, *(p.paid_on for p in decision.payments),
              *(o.done_on for o in case.obligations
                if o.decision_id == decision.id and o.done_on is not None)])
    transition(case, user, CaseState.complied, "decision.complied",
               extra={"on": on.isoformat()})
    _close(user, case, on, CloseReason.exempted if s.exempted else CloseReason.complied,
           grounds)
    return True


def _close(user, case: Case, on: date, reason: str, grounds: str) -> None:
    case.closed_on = on
    case.closed_reason = reason
    case.closing_grounds = grounds
    transition(case, user, CaseState.closed, "case.closed", note=grounds,
               extra={"reason": reason})
    deadlines.recompute(case)


def close_time_barred(user, case: Case, grounds: str) -> None:
    """Close a case whose fine can no longer be enforced: the limitation period for enforcing
    (1 year from the decision, Law 15/2012/QH13 Art. 74(1)) has passed with money unpaid.
    Remedial measures survive the limitation: every one must be done, enforced or impossible
    first. The grounds are required and audited (a supervisor). Raises NotAllowed or
    OperationError."""
    require(case.may(user, CaseAction.close))
    today = clock().today()
    s = standing(case, today)
    check(bool(grounds and grounds.strip()), _("Write the grounds for closing."), "grounds")
    check(s is not None and s.limitation_ends is not None and today > s.limitation_ends,
          _("The limitation period for enforcing ends on %(day)s: the case cannot be closed as "
            "time-barred before.", day=format_date_vn(s.limitation_ends)
            if s and s.limitation_ends else "—"), "grounds")
    check(s.measures_settled,
          _("Remedial measures are carried out even after the limitation period (Art. 74(1)): "
            "record each pending measure first."), "grounds")
    text = _("Enforcement time-barred on %(day)s with %(balance)s đ unpaid: %(grounds)s",
             day=format_date_vn(s.limitation_ends), balance=format_vnd(s.balance),
             grounds=grounds.strip())
    _close(user, case, today, CloseReason.time_barred, text)


# ---- non-compliance ----------------------------------------------------------------------
def lift_enforcement(user, case: Case, on: date) -> bool:
    """Take a case in `enforcement` back to `delivered` (waiting for compliance) when, on
    `on`, nothing is late any more — a postponement (Law 15/2012/QH13 Art. 76) or payment by
    instalments (Art. 79) granted on a request made while there was still time — and no
    coercion decision (Art. 86) was issued. Audited as case.enforcement_lifted; the night's
    sweep moves it again once the new last day passes. Returns True when it moved."""
    if case.state != CaseState.enforcement or case.decision is None:
        return False
    if any(c.decision_id == case.decision.id and c.state == CoercionState.issued
           for c in case.coercions):
        return False
    s = standing(case, on)
    if s is None or s.non_compliant:
        return False
    transition(case, user, CaseState.delivered, "case.enforcement_lifted",
               extra={"on": on.isoformat(), "pay_by": s.pay_by.isoformat()
                      if s.pay_by else None})
    return True


def move_overdue_to_enforcement(today: date | None = None) -> list[Case]:
    """The scheduler's sweep (and its catch-up: it looks at the state, not at the day it
    last ran): every delivered case past its compliance deadline with money unpaid, or past
    a measure's deadline with the measure pending, moves to `enforcement`; its inspector and
    supervisor (the case's, else the approver, else every active supervisor) are e-mailed
    through the outbox. A complaint does not stop it, unless its settler suspended
    enforcement (Law 15/2012/QH13 Art. 15).
    Returns the cases moved. Flushes; the job commits."""
    today = today or clock().today()
    moved = []
    cases = db.session.scalars(select(Case).where(Case.state == CaseState.delivered)
                               .order_by(Case.id)).all()
    for case in cases:
        s = standing(case, today)
        if s is None or not s.non_compliant:
            continue
        if any(c.suspended and c.outcome == ComplaintOutcome.pending
               and c.decision_id == case.decision.id for c in case.complaints):
            continue  # the settler suspended enforcement (Law 15/2012/QH13 Art. 15)
        reasons = []
        if s.fine_overdue:
            reasons.append(f"chưa nộp {format_vnd(s.balance)} đ (hạn {format_date_vn(s.pay_by)})")
        if s.surcharge_late:
            reasons.append(f"chưa nộp tiền chậm nộp phạt {format_vnd(s.surcharge_unpaid)} đ "
                           f"(khoản 1 Điều 78 Luật Xử lý vi phạm hành chính)")
        reasons += [f"chưa thực hiện: {o.text} (hạn {format_date_vn(o.due_on)})"
                    for o in s.overdue]
        note = "; ".join(reasons)
        transition(case, None, CaseState.enforcement, "case.enforcement", note=note,
                   extra={"on": today.isoformat(), "balance": s.balance})
        if case.supervisor is not None or case.approver is not None:
            supervisors = [case.supervisor or case.approver]
        else:
            supervisors = list(db.session.scalars(
                select(User).where(User.role == Role.supervisor, User.active.is_(True))
                .order_by(User.id)))
        notices.queue(case, [case.inspector, *supervisors], "enforcement", reason=note,
                      money=money_owed(case, today))
        moved.append(case)
    return moved
