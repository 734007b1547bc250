"""POST endpoints, one per workflow operation."""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases import forms, operations
from cases.enforcement import standing
from cases.models import CaseAction, CoordinationRequest, Decision, Evidence, Violation
from cases.operations.decisions import (
    correct_decision,
    record_national_db_entry,
    void_decision,
)
from cases.views import bp
from cases.views.common import (
    case_evidence,
    clause_choices,
    evidence_choices,
    get_case,
    invalid,
    run_operation,
    sanction_form,
)
from cases.views.documents import pdf_response
from core.clock import clock
from core.errors import OperationError
from core.forms import refuse
from extensions import db
from legal.money import format_vnd


@bp.post("/<int:case_id>/verify")
@login_required
def verify(case_id: int):
    case = get_case(case_id, need=CaseAction.verify)
    form = forms.NoteForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(case, form, lambda: operations.start_verification(current_user, case),
                         success=_("Verification started."))


@bp.post("/<int:case_id>/evidence")
@login_required
def add_evidence(case_id: int):
    case = get_case(case_id, need=CaseAction.add_evidence)
    form = forms.EvidenceForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    upload = form.file.data
    content = upload.read() if upload else None

    def op():
        operations.add_evidence(
            current_user, case, content=content or None,
            filename=upload.filename if upload else None,
            content_type=upload.mimetype if upload else None,
            url=form.url.data or None, note=form.note.data or None)

    return run_operation(case, form, op, success=_("Evidence added."), anchor="#evidence")


@bp.post("/<int:case_id>/coordination")
@login_required
def request_coordination(case_id: int):
    case = get_case(case_id, need=CaseAction.coordinate)
    form = forms.CoordinationForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    data = {name: form[name].data or None for name in ("partner", "partner_name",
                                                       "letter_number", "request_text")}
    data["sent_on"] = form.sent_on.date
    data["response_due_on"] = form.response_due_on.date
    return run_operation(case, form,
                         lambda: operations.request_coordination(current_user, case, data),
                         success=_("Coordination request recorded."), anchor="#coordination")


@bp.post("/<int:case_id>/coordination/<int:request_id>/response")
@login_required
def coordination_response(case_id: int, request_id: int):
    case = get_case(case_id, need=CaseAction.coordinate)
    req = db.session.get(CoordinationRequest, request_id)
    if req is None or req.case_id != case.id:
        abort(404)
    form = forms.ResponseForm(prefix=f"r{req.id}")
    panel = {"response_forms": {req.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    upload = form.reply_file.data
    content = upload.read() if upload else None
    return run_operation(
        case, form,
        lambda: operations.record_response(current_user, req, form.received_on.date,
                                           form.summary.data, content=content or None,
                                           filename=upload.filename if upload else None),
        success=_("Response recorded."), anchor="#coordination", panel=panel)


@bp.post("/<int:case_id>/violations")
@login_required
def add_violation(case_id: int):
    case = get_case(case_id, need=CaseAction.edit)
    form = forms.ViolationForm()
    form.clause_id.choices = clause_choices(case)
    if not form.validate_on_submit():
        return invalid(case, form)

    def op():
        operations.add_violation(
            current_user, case, clause_id=form.clause_id.data,
            description=form.description.data, circumstances=form.circumstances.data or None,
            mitigating=form.mitigating.data or 0, aggravating=form.aggravating.data or 0,
            sanction_kind=form.sanction_kind.data, fine_amount=form.fine_amount.amount,
            additional_sanctions=form.additional_sanctions.data or None,
            remedial_measures=form.remedial_measures.data or None,
            mitigating_codes=form.mitigating_codes.data,
            aggravating_codes=form.aggravating_codes.data)

    return run_operation(case, form, op, success=_("Violation added."), anchor="#violations")


@bp.post("/<int:case_id>/violations/<int:violation_id>/sanction")
@login_required
def set_sanction(case_id: int, violation_id: int):
    case = get_case(case_id, need=CaseAction.edit_sanction)
    violation = db.session.get(Violation, violation_id)
    if violation is None or violation.case_id != case.id:
        abort(404)
    form = sanction_form(violation, case)
    panel = {"sanction_forms": {violation.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)

    def op():
        operations.set_sanction(
            current_user, violation, sanction_kind=form.sanction_kind.data,
            fine_amount=form.fine_amount.amount, mitigating=form.mitigating.data or 0,
            aggravating=form.aggravating.data or 0,
            circumstances=form.circumstances.data or None,
            additional_sanctions=form.additional_sanctions.data or None,
            remedial_measures=form.remedial_measures.data or None,
            mitigating_codes=form.mitigating_codes.data,
            aggravating_codes=form.aggravating_codes.data)

    return run_operation(case, form, op, success=_("Sanction changed."), anchor="#violations",
                         panel=panel)


@bp.post("/<int:case_id>/violations/<int:violation_id>/delete")
@login_required
def remove_violation(case_id: int, violation_id: int):
    case = get_case(case_id, need=CaseAction.edit)
    violation = db.session.get(Violation, violation_id)
    if violation is None or violation.case_id != case.id:
        abort(404)
    form = forms.NoteForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(case, form, lambda: operations.remove_violation(current_user, violation),
                         success=_("Violation removed."), anchor="#violations")


@bp.post("/<int:case_id>/record")
@login_required
def make_record(case_id: int):
    case = get_case(case_id, need=CaseAction.make_record)
    form = forms.RecordForm()
    if not form.validate_on_submit():
        return invalid(case, form)

    return run_operation(
        case, form, lambda: operations.make_record(current_user, case, **form.record_fields()),
        success=_("Violation record made."))


@bp.post("/<int:case_id>/record/preview")
@login_required
def preview_record(case_id: int):
    """The record as the form would make it, watermarked DỰ THẢO; nothing is stored."""
    case = get_case(case_id, need=CaseAction.make_record)
    form = forms.RecordForm()
    form.confirm_record.validators = []  # a preview freezes nothing: no confirmation
    if not form.validate_on_submit():
        return invalid(case, form)
    try:
        data = operations.preview_record(current_user, case, **form.record_fields())
    except OperationError as exc:
        refuse(form, exc)
        return invalid(db.session.get(type(case), case.id), form)
    return pdf_response(data, f"du-thao-BB-{case.code}.pdf")


@bp.post("/<int:case_id>/record/extension")
@login_required
def extend_decision_time_limit(case_id: int):
    case = get_case(case_id, need=CaseAction.extend)
    form = forms.ExtensionForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: operations.extend_decision_time_limit(
            current_user, case, reason=form.reason.data, document=form.document.data),
        success=_("Time limit to decide extended."), anchor="#record")


@bp.post("/<int:case_id>/explanations")
@login_required
def record_explanation(case_id: int):
    case = get_case(case_id, need=CaseAction.explain)
    form = forms.ExplanationForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    upload = form.file.data
    content = upload.read() if upload else None
    return run_operation(
        case, form, lambda: operations.record_explanation(
            current_user, case, kind=form.kind.data, received_on=form.received_on.date,
            content=content or None, filename=upload.filename if upload else None,
            note=form.note.data),
        success=_("Explanation recorded."), anchor="#explanation")


@bp.post("/<int:case_id>/hearing")
@login_required
def record_hearing(case_id: int):
    case = get_case(case_id, need=CaseAction.explain)
    form = forms.HearingForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: operations.record_hearing(
            current_user, case, held_on=form.held_on.date, number=form.number.data,
            place=form.place.data, participants=form.participants.data,
            statement=form.statement.data),
        success=_("Hearing recorded."), anchor="#explanation")


@bp.post("/<int:case_id>/propose")
@login_required
def propose(case_id: int):
    case = get_case(case_id, need=CaseAction.propose)
    form = forms.NoteForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: operations.propose_sanction(current_user, case, form.note.data),
        success=_("Sanction proposed; the supervisors have been notified."))


@bp.post("/<int:case_id>/approve")
@login_required
def approve(case_id: int):
    case = get_case(case_id, need=CaseAction.approve)
    form = forms.NoteForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: operations.approve_sanction(current_user, case, form.note.data),
        success=_("Sanction approved."))


@bp.post("/<int:case_id>/return")
@login_required
def return_proposal(case_id: int):
    case = get_case(case_id, need=CaseAction.approve)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: operations.return_sanction(current_user, case, form.reason.data),
        success=_("Proposal returned to the inspector."))


@bp.post("/<int:case_id>/issue")
@login_required
def issue(case_id: int):
    case = get_case(case_id, need=CaseAction.issue)
    form = forms.IssueForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: operations.issue_decision(current_user, case, form.issued_on.date),
        success=_("Decision issued."), anchor="#documents")


@bp.post("/<int:case_id>/delivery")
@login_required
def delivery(case_id: int):
    case = get_case(case_id, need=CaseAction.deliver)
    form = forms.DeliveryForm()
    form.proof_id.choices = evidence_choices(case)
    if not form.validate_on_submit():
        return invalid(case, form)
    proof = case_evidence(case, form.proof_id.data)
    received = form.delivered_on.date
    return run_operation(
        case, form,
        lambda: operations.record_delivery(current_user, case, received,
                                           method=form.method.data, sent_on=form.sent_on.date,
                                           proof=proof),
        success=_("Delivery recorded.") if received else _("Sending recorded."))


@bp.post("/<int:case_id>/payment")
@login_required
def payment(case_id: int):
    case = get_case(case_id, need=CaseAction.pay)
    form = forms.PaymentForm()
    if not form.validate_on_submit():
        return invalid(case, form)

    response = run_operation(
        case, form,
        lambda: operations.record_payment(current_user, case, form.paid_on.date,
                                          form.amount.amount,
                                          receipt_number=form.receipt_number.data,
                                          place=form.place.data),
        success=_("Payment recorded."), anchor="#enforcement")
    if getattr(response, "status_code", 0) in (301, 302, 303):  # recorded: warn if too much
        s = standing(case, clock().today())
        if s is not None and s.overpaid:
            flash(_("Over-payment: %(paid)s đ paid in all, %(excess)s đ more than the %(owed)s đ "
                    "owed. It is recorded and flagged: refund the excess or correct the "
                    "payment.", paid=format_vnd(s.paid), excess=format_vnd(s.overpaid),
                    owed=format_vnd(s.owed + s.surcharge)), "warning")
    return response


@bp.post("/<int:case_id>/dismiss")
@login_required
def dismiss(case_id: int):
    case = get_case(case_id, need=CaseAction.dismiss)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: operations.dismiss_case(current_user, case, form.reason.data),
        success=_("Case dismissed."))


@bp.post("/<int:case_id>/transfer")
@login_required
def transfer(case_id: int):
    case = get_case(case_id, need=CaseAction.transfer)
    form = forms.TransferForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form,
        lambda: operations.transfer_case(current_user, case, form.transfer_reason.data,
                                         form.target.data, form.recipient.data),
        success=_("Case transferred; the transfer decision is issued."), anchor="#documents")


@bp.post("/<int:case_id>/decisions/<int:decision_id>/void")
@login_required
def void(case_id: int, decision_id: int):
    case = get_case(case_id, need=CaseAction.correct)
    decision = _decision(case, decision_id)
    form = forms.VoidForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: void_decision(current_user, decision, form.void_reason.data),
        success=_("The number is voided; issue the decision again."), anchor="#documents")


@bp.post("/<int:case_id>/decisions/<int:decision_id>/correct")
@login_required
def correct(case_id: int, decision_id: int):
    case = get_case(case_id, need=CaseAction.correct)
    decision = _decision(case, decision_id)
    form = forms.CorrectionForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form,
        lambda: correct_decision(current_user, decision, form.kind.data, form.content.data,
                                 form.correction_reason.data, form.correction_on.date),
        success=_("Decision issued."), anchor="#documents")


@bp.post("/<int:case_id>/decisions/<int:decision_id>/national-db")
@login_required
def national_db_entry(case_id: int, decision_id: int):
    case = get_case(case_id, need=CaseAction.national_db)
    decision = _decision(case, decision_id)
    form = forms.NationalDbForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form,
        lambda: record_national_db_entry(current_user, decision, form.entered_on.date,
                                         form.reason.data or None),
        success=_("Entry into the national database recorded."), anchor="#documents")


def _decision(case, decision_id: int) -> Decision:
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.case_id != case.id:
        abort(404)
    return decision


@bp.post("/<int:case_id>/evidence/<int:evidence_id>/withdraw")
@login_required
def withdraw_evidence(case_id: int, evidence_id: int):
    case = get_case(case_id, need=CaseAction.add_evidence)
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.case_id != case.id:
        abort(404)
    form = forms.WithdrawEvidenceForm(prefix=f"w{evidence.id}")
    panel = {"withdraw_forms": {evidence.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    return run_operation(
        case, form,
        lambda: operations.withdraw_evidence(current_user, evidence, form.withdrawal_reason.data),
        success=_("Evidence withdrawn; it stays in the case's history."), anchor="#evidence",
        panel=panel)


@bp.post("/<int:case_id>/coordination/<int:request_id>/edit")
@login_required
def coordination_edit(case_id: int, request_id: int):
    case = get_case(case_id, need=CaseAction.coordinate)
    req = db.session.get(CoordinationRequest, request_id)
    if req is None or req.case_id != case.id:
        abort(404)
    form = forms.CoordinationEditForm(prefix=f"c{req.id}")
    panel = {"coordination_edit_forms": {req.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    data = {name: form[name].data or None for name in ("partner", "partner_name",
                                                       "letter_number", "request_text")}
    data["sent_on"] = form.sent_on.date
    data["response_due_on"] = form.response_due_on.date
    return run_operation(case, form,
                         lambda: operations.update_coordination(current_user, req, data),
                         success=_("Coordination request corrected."), anchor="#coordination",
                         panel=panel)


@bp.post("/<int:case_id>/reopen")
@login_required
def reopen(case_id: int):
    case = get_case(case_id, need=CaseAction.reopen)
    form = forms.ReopenForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: operations.reopen_case(current_user, case, form.reopen_reason.data),
        success=_("Case reopened."))
