"""Proposal, approval and issue of the sanction decision (delivery and payment:
`cases.operations.enforcement`)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from auth.models import Role, User
from cases import deadlines, documents, notices
from cases.models import (
    Case,
    CaseAction,
    CaseState,
    Decision,
    DecisionKind,
    DecisionStatus,
)
from cases.operations.base import check, check_series_order, require, transition
from cases.operations.enforcement import create_obligations
from cases.operations.explanation import explanation_hold
from catalogue.engine import competence_table
from catalogue.models import SubjectKind
from core.agency import agency, symbol
from core.clock import clock
from core.documents import freeze
from core.enums import label_of
from core.errors import OperationError
from core.models import AuditEvent, DocumentKind
from core.numbering import next_document_number
from extensions import db
from legal.competence import CompetenceError, check_competence, limit_for
from legal.dates import format_date_vn
from legal.money import format_vnd
from legal.procedure import ProcedureError, after_time_limit, form_for


def _check_not_time_barred(case: Case, on: date) -> None:
    """Law 15/2012/QH13 Art. 6(1): past the limitation period no sanction decision can be
    issued; the only way forward is dismissal."""
    limit = case.limitation_date
    check(limit is None or on <= limit,
          _("The limitation period for sanctioning ended on %(day)s: no sanction decision "
            "can be issued; dismiss the case as time-barred.", day=format_date_vn(limit)
            if limit else ""), "issued_on")


def _check_within_time_limit(case: Case, on: date) -> None:
    """Law 15/2012/QH13 Art. 66(2) (docs/legal/procedure.md#time-limit-to-decide): past the
    time limit to decide (7 days or working days, 30 days or one month, or as the head
    extended it) the sanction decision is not issued; there is no exception for a reason
    the head records. Raises OperationError on the date."""
    row = next((d for d in case.deadlines if d.key == "decision"), None)
    if row is None or on <= row.due_on:
        return
    try:
        refused = after_time_limit(on).refused
    except ProcedureError:
        return
    check(not refused,
          _("The time limit to decide ended on %(day)s: the sanction decision can no longer "
            "be issued (Art. 66(2) of the Law on Handling Administrative Violations); only "
            "remedial measures may still be ordered.", day=format_date_vn(row.due_on)),
          "issued_on")


def _decision_symbol(on: date) -> str:
    """The symbol the form of the period prints after the number ("QĐ-XPVPHC" to 2021,
    "QĐ-XPHC" from 2022: `legal.procedure.form_for`; docs/legal/documents.md#form-periods),
    or the agency's setting when no form is known for the date."""
    try:
        return form_for("decision", on).symbol
    except ProcedureError:
        return symbol("sanction")


def competence_amount(case: Case) -> int:
    """The amount that decides who may sign (VND): the largest maximum of the fine range of
    one act for this subject, or its fine when the range is unknown (Law 15/2012/QH13
    Art. 52(1), believed: competence follows the most heavily fined act)."""
    amounts = [0]
    for v in case.violations:
        rng = v.clause.range_for(case.subject_kind)
        amounts.append(rng.maximum if rng is not None else (v.fine_amount or 0))
    return max(amounts)


def _check_competence(signer, case: Case, on: date) -> None:
    check(bool(signer.competence_title),
          _("%(name)s has no sanctioning competence recorded; an administrator sets it.",
            name=signer.full_name))
    table = competence_table()
    amount = competence_amount(case)
    try:
        check_competence(signer.competence_title, case.subject_kind, on, amount, table)
    except CompetenceError as exc:
        # the legal engine words it in Vietnamese; the reader gets it in their language,
        # the titles of officials as the law names them
        own = limit_for(signer.competence_title, on, table)
        who = (limit_for(exc.competent_title, on, table).title_vi if exc.competent_title
               else _("a body of higher competence"))
        raise OperationError(_(
            "A fine of %(amount)s đồng is above the competence of %(title)s (at most "
            "%(limit)s đồng for %(subject)s); it belongs to %(who)s: transfer the case.",
            amount=format_vnd(amount), title=own.title_vi,
            limit=format_vnd(own.for_subject(case.subject_kind)),
            subject=label_of(SubjectKind, case.subject_kind).lower(), who=who)) from None
    except KeyError as exc:
        raise OperationError(_("No competence limit is recorded for this title on %(day)s.",
                               day=format_date_vn(on))) from exc


def propose_sanction(user, case: Case, note: str | None = None) -> None:
    """record_made → sanction_proposed; the proposer is recorded (they may not approve) and
    the supervisors are e-mailed. Refused once sanctioning is time-barred. Raises NotAllowed
    or OperationError."""
    require(case.may(user, CaseAction.propose))
    check(bool(case.violations), _("Add at least one violation before proposing."))
    _check_not_time_barred(case, clock().today())
    case.proposer_id = user.id
    case.proposed_at = clock().now()
    case.return_reason = None
    transition(case, user, CaseState.sanction_proposed, "sanction.proposed", note=note,
               extra={"total": case.total_fine})
    if case.supervisor is not None:
        supervisors = [case.supervisor]
    else:
        supervisors = list(db.session.scalars(
            select(User).where(User.role == Role.supervisor, User.active.is_(True))
            .order_by(User.id)))
    notices.queue(case, [s for s in supervisors if s.id != user.id], "proposed", note=note,
                  by=user)


def proposed_total(case: Case) -> int | None:
    """The total fine (VND) the last proposal of `case` recorded in the audit trail, or None
    when there is none."""
    after = db.session.scalar(select(AuditEvent.after).where(
        AuditEvent.case_id == case.id, AuditEvent.action == "sanction.proposed")
        .order_by(AuditEvent.id.desc()).limit(1))
    return None if not after or after.get("total") is None else int(after["total"])


def approve_sanction(user, case: Case, note: str | None = None) -> None:
    """sanction_proposed → approved by a supervisor who is not the proposer (separation of
    duties, docs/architecture.md#case-lifecycle) and who is competent for the fines
    (docs/legal/competence.md#limits; the approver signs). Refused when the fines no longer
    add up to the total the proposal recorded (changed at the same moment as the proposal):
    a supervisor approves only what was proposed.
    Above their competence it is refused, naming the competent official: transfer the case.
    Raises NotAllowed or OperationError."""
    require(case.may(user, CaseAction.approve),
            _("Only a supervisor who did not propose this sanction can approve it."))
    _check_not_time_barred(case, clock().today())
    proposed = proposed_total(case)
    check(proposed is None or proposed == case.total_fine,
          _("The fines changed after the proposal: it recorded %(proposed)s đồng, the "
            "violations now add up to %(now)s đồng. Return the proposal so that the inspector "
            "proposes again.", proposed=format_vnd(proposed or 0),
            now=format_vnd(case.total_fine)))
    _check_competence(user, case, clock().today())
    case.approver_id = user.id
    case.approved_at = clock().now()
    transition(case, user, CaseState.approved, "sanction.approved", note=note)
    notices.queue(case, [case.inspector], "approved", note=note, by=user)


def return_sanction(user, case: Case, reason: str) -> None:
    """sanction_proposed → record_made with a reason the inspector sees. Raises NotAllowed or
    OperationError (no reason)."""
    require(case.may(user, CaseAction.approve),
            _("Only a supervisor who did not propose this sanction can return it."))
    check(bool(reason and reason.strip()), _("Give the reason for returning the proposal."),
          "reason")
    case.return_reason = reason
    transition(case, user, CaseState.record_made, "sanction.returned", note=reason)
    notices.queue(case, [case.inspector], "returned", reason=reason)


def issue_decision(user, case: Case, issued_on: date | None = None) -> Decision:
    """Issue the sanction decision (form MQĐ02): the next number of the year for the issuer,
    the PDF rendered and frozen with its SHA-256, signer = the approving supervisor.

    Refused after the limitation period for sanctioning (Law 15/2012/QH13 Art. 6(1)),
    after the time limit to decide (Art. 66(2)), and while the violator may still explain
    (Art. 61: `explanation_hold`).
    Starts the delivery deadline (2 working days, Art. 70). Raises NotAllowed or
    OperationError.
    """
    require(case.may(user, CaseAction.issue))
    today = clock().today()
    issued_on = issued_on or today
    check(issued_on <= today, _("The date cannot be in the future."), "issued_on")
    check(issued_on >= case.record.made_on,
          _("The decision cannot be dated before the violation record."), "issued_on")
    _check_not_time_barred(case, issued_on)
    _check_within_time_limit(case, issued_on)
    hold = explanation_hold(case, issued_on)
    check(hold is None, hold or "", "issued_on")
    signer = case.approver
    _check_competence(signer, case, issued_on)
    issuer = agency()["short_code"]
    number = next_document_number("sanction", issued_on.year)  # locks the series first
    check_series_order("sanction", issued_on)
    decision = Decision(
        case_id=case.id, kind=DecisionKind.sanction, status=DecisionStatus.issued, issuer=issuer,
        number=number,
        year=issued_on.year, symbol=_decision_symbol(issued_on), issued_on=issued_on,
        issued_at=clock().now(), issued_by_id=user.id, signer_id=signer.id,
        signer_name=signer.full_name, signer_title=signer.title or "", total_fine=case.total_fine,
        compliance_days=10, template_version=documents.TEMPLATE_VERSION,
    )
    decision.snapshot = documents.decision_snapshot(case, decision, signer)
    frozen = freeze(documents.render_decision(decision.snapshot), kind=DocumentKind.decision,
                    reference=decision.full_number, signer_name=signer.full_name,
                    case_id=case.id)
    decision.pdf, decision.sha256 = frozen.pdf, frozen.sha256
    db.session.add(decision)
    db.session.flush()
    create_obligations(case, decision)
    transition(case, user, CaseState.decision_issued, "decision.issued",
               extra={"number": decision.full_number, "sha256": decision.sha256,
                      "total": decision.total_fine})
    deadlines.recompute(case)
    return decision


# the states a case passes through on its way to closed, skipped when it is reopened
_CLOSING = frozenset({CaseState.complied, CaseState.closed})


def reopen_case(user, case: Case, reason: str) -> None:
    """Reopen a closed case (a supervisor; `reason` required, audited): the case goes back
    to the open state it left to be closed (usually `delivered`, the decision awaiting
    payment), the closing date is cleared and so is a payment recorded on the decision
    (its values kept in the audit event), so the payment can be recorded again; the case's
    deadlines are recomputed. Issued documents never change. Raises NotAllowed or
    OperationError (no reason)."""
    require(case.may(user, CaseAction.reopen))
    reason = (reason or "").strip()
    check(bool(reason), _("Say why the case is reopened."), "reopen_reason")
    moves = db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.object_type == "Case")
        .order_by(AuditEvent.id.desc())).all()
    back_to = next((m.before["state"] for m in moves
                    if m.before and m.before.get("state")
                    and m.before["state"] not in _CLOSING), CaseState.delivered)
    decision = case.decision
    payment = {}
    if decision is not None and decision.payments:
        # the payments recorded (a mistake, usually) go; their values stay in the audit event
        payment = {"paid_on": decision.paid_on.isoformat() if decision.paid_on else None,
                   "amount_paid": decision.amount_paid,
                   "payments": [[p.paid_on.isoformat(), p.amount, p.receipt_number]
                                for p in decision.payments]}
        for p in list(decision.payments):
            db.session.delete(p)
        db.session.flush()
        db.session.expire(decision, ["payments"])
        decision.paid_on = None
        decision.amount_paid = None
    closed_on = case.closed_on
    case.closed_on = None
    case.closed_reason = None
    case.closing_grounds = None
    transition(case, user, back_to, "case.reopened", note=reason,
               extra={"closed_on": closed_on.isoformat() if closed_on else None, **payment})
    deadlines.recompute(case)
