"""After issue: a number voided by mistake, and the decisions that amend, correct or cancel
an issued decision (Decree 118/2021/NĐ-CP forms MQĐ38–40), each a new numbered, frozen
document linked to the one it changes. The issued PDF itself never changes."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from auth.permissions import has_permission
from cases import deadlines
from cases.documents.corrections import (
    TEMPLATE_VERSION,
    correction_snapshot,
    render_correction,
    render_transfer,
    transfer_snapshot,
)
from cases.models import Case, CaseAction, CaseState, Decision, DecisionKind, DecisionStatus
from cases.operations.base import check, check_series_order, require, transition
from core import audit
from core.agency import agency, symbol
from core.clock import clock
from core.documents import freeze
from core.models import DocumentKind
from core.numbering import next_document_number
from extensions import db
from legal.dates import format_date_vn

KINDS = ("amend", "correct", "cancel")


def void_decision(user, decision: Decision, reason: str) -> None:
    """Record that a decision was issued by mistake (wrong case, duplicate…): it stays on
    file as voided with the reason, its number is never given again, and the case returns
    to "approved" so the right decision can be issued. Only before delivery; afterwards the
    law's way is a cancel decision. Raises NotAllowed or OperationError."""
    require(has_permission(user, "decision.correct"))
    case = decision.case
    check(decision.status == DecisionStatus.issued,
          _("This decision is already voided or cancelled."))
    check(decision.kind == DecisionKind.sanction and case.state == CaseState.decision_issued,
          _("Only a sanction decision not yet delivered can be voided; issue a decision "
            "cancelling it instead."))
    check(bool(reason and reason.strip()), _("Give the reason for voiding the number."),
          "reason")
    decision.status = DecisionStatus.voided
    decision.void_reason = reason
    decision.voided_at = clock().now()
    decision.voided_by_id = user.id
    transition(case, user, CaseState.approved, "decision.voided", note=reason,
               extra={"number": decision.full_number})
    deadlines.recompute(case)


def correct_decision(user, decision: Decision, kind: str, content: str, reason: str,
                     issued_on: date | None = None) -> Decision:
    """Issue a decision of `kind` ("amend", "correct" or "cancel") about an issued sanction
    decision, signed by `user` (a supervisor), numbered in its own series and frozen like any
    decision. Cancelling marks the original cancelled and sends the case back to
    "record_made" (a new proposal, or dismissal). Raises NotAllowed or OperationError."""
    require(has_permission(user, "decision.correct"))
    check(kind in KINDS, _("Choose amend, correct or cancel."), "kind")
    check(decision.status == DecisionStatus.issued and decision.kind == DecisionKind.sanction,
          _("Only an issued sanction decision can be amended, corrected or cancelled."))
    check(bool(content and content.strip()), _("Write what the decision changes."), "content")
    check(bool(reason and reason.strip()), _("Give the reason."), "reason")
    today = clock().today()
    issued_on = issued_on or today
    check(decision.issued_on <= issued_on <= today,
          _("The date must be between the original decision and today."), "issued_on")
    case = decision.case
    issuer = agency()["short_code"]
    number = next_document_number(kind, issued_on.year)  # locks the series first
    check_series_order(kind, issued_on)
    new = Decision(
        case_id=case.id, kind=kind, status=DecisionStatus.issued, amends_id=decision.id,
        issuer=issuer, number=number, year=issued_on.year,
        symbol=symbol(kind), issued_on=issued_on, issued_at=clock().now(),
        issued_by_id=user.id, signer_id=user.id, signer_name=user.full_name,
        signer_title=user.title or "", total_fine=0, compliance_days=0,
        content=content, template_version=TEMPLATE_VERSION)
    new.snapshot = correction_snapshot(case, new, decision, user, reason)
    frozen = freeze(render_correction(new.snapshot), kind=DocumentKind.decision,
                    reference=new.full_number, signer_name=user.full_name, case_id=case.id)
    new.pdf, new.sha256 = frozen.pdf, frozen.sha256
    db.session.add(new)
    db.session.flush()
    audit.record(user, f"decision.{kind}", new, case=case, note=reason,
                 after={"number": new.full_number, "of": decision.full_number,
                        "sha256": new.sha256})
    if kind == DecisionKind.cancel:
        decision.status = DecisionStatus.cancelled
        case.approver_id = None
        case.proposer_id = None
        transition(case, user, CaseState.record_made, "decision.cancelled", note=reason,
                   extra={"number": decision.full_number, "by": new.full_number})
    deadlines.recompute(case)
    return new


def transfer_document(user, case: Case, target: str, recipient: str, reason: str
                      ) -> Decision:
    """The decision transferring the case file (form MQĐ33 for signs of a crime, or to the
    competent official), numbered and frozen; called by `transfer_case`."""
    today = clock().today()
    issuer = agency()["short_code"]
    doc = Decision(
        case_id=case.id, kind=DecisionKind.transfer, status=DecisionStatus.issued, issuer=issuer,
        number=next_document_number("transfer", today.year), year=today.year,
        symbol=symbol("transfer"), issued_on=today, issued_at=clock().now(),
        issued_by_id=user.id, signer_id=user.id, signer_name=user.full_name,
        signer_title=user.title or "", total_fine=0, compliance_days=0, content=reason,
        template_version=TEMPLATE_VERSION)
    doc.snapshot = transfer_snapshot(case, doc, user, target, recipient, reason)
    frozen = freeze(render_transfer(doc.snapshot), kind=DocumentKind.decision,
                    reference=doc.full_number, signer_name=user.full_name, case_id=case.id)
    doc.pdf, doc.sha256 = frozen.pdf, frozen.sha256
    db.session.add(doc)
    db.session.flush()
    return doc


def record_national_db_entry(user, decision: Decision, entered_on: date,
                             reason: str | None = None) -> None:
    """The decision's data was entered into the national database on administrative
    violations on `entered_on` (Decree 20/2016/NĐ-CP: within 1 working day); meets that
    deadline. Only the case's inspector or a supervisor (`Case.can_record_national_db`).
    A second entry corrects the first: it needs `reason` and is audited as a correction
    with the date before and after. Raises NotAllowed or OperationError."""
    case = decision.case
    require(case.may(user, CaseAction.national_db))
    check(decision.status == DecisionStatus.issued,
          _("This decision is already voided or cancelled."))
    check(entered_on is not None, _("The date is required."), "entered_on")
    check(decision.issued_on <= entered_on <= clock().today(),
          _("The date must be between the decision and today."), "entered_on")
    previous = decision.national_db_entered_on
    if previous is None:
        decision.national_db_entered_on = entered_on
        audit.record(user, "decision.national_db", decision, case=case,
                     after={"entered_on": entered_on.isoformat()})
    else:
        check(bool(reason and reason.strip()),
              _("The entry is already recorded (%(day)s): give the reason for correcting it.",
                day=format_date_vn(previous)), "reason")
        decision.national_db_entered_on = entered_on
        audit.record(user, "decision.national_db_corrected", decision, case=case,
                     before={"entered_on": previous.isoformat()},
                     after={"entered_on": entered_on.isoformat()}, note=reason.strip())
    deadlines.recompute(decision.case)
