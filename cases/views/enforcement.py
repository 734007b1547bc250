"""POST endpoints after the decision: remedial measures ordered and carried out, complaints
and lawsuits, closing a time-barred case (delivery and payment are in `actions`)."""

from __future__ import annotations

from io import BytesIO

from flask import abort, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases import forms, operations
from cases.models import (
    CaseAction,
    CoercionDecision,
    Complaint,
    FineRelief,
    InstalmentPlan,
    Obligation,
    Violation,
    ViolationMeasure,
    WebCapture,
)
from cases.views import bp
from cases.views.common import (
    capture_choices,
    case_evidence,
    evidence_choices,
    get_case,
    invalid,
    measure_choices,
    run_operation,
)
from extensions import db


@bp.post("/<int:case_id>/violations/<int:violation_id>/measures")
@login_required
def add_measure(case_id: int, violation_id: int):
    case = get_case(case_id, need=CaseAction.edit_sanction)
    violation = db.session.get(Violation, violation_id)
    if violation is None or violation.case_id != case.id:
        abort(404)
    form = forms.MeasureForm(prefix=f"m{violation.id}")
    form.text.choices = measure_choices(violation)
    panel = {"measure_forms": {violation.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    text = form.other.data if form.text.data == "other" else form.text.data
    return run_operation(
        case, form,
        lambda: operations.add_measure(current_user, violation, text, form.days.data,
                                       form.cost_bearer.data),
        success=_("Remedial measure ordered."), anchor="#violations", panel=panel)


@bp.post("/<int:case_id>/measures/<int:measure_id>/delete")
@login_required
def remove_measure(case_id: int, measure_id: int):
    case = get_case(case_id, need=CaseAction.edit_sanction)
    measure = db.session.get(ViolationMeasure, measure_id)
    if measure is None or measure.violation.case_id != case.id:
        abort(404)
    form = forms.NoteForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(case, form, lambda: operations.remove_measure(current_user, measure),
                         success=_("Remedial measure withdrawn."), anchor="#violations")


@bp.post("/<int:case_id>/obligations/<int:obligation_id>")
@login_required
def obligation(case_id: int, obligation_id: int):
    case = get_case(case_id, need=CaseAction.measure)
    row = db.session.get(Obligation, obligation_id)
    if row is None or row.case_id != case.id:
        abort(404)
    form = forms.ObligationForm(prefix=f"o{row.id}")
    # the case's own files and captures: any other id is refused beside its field
    form.evidence_id.choices = evidence_choices(case)
    form.capture_id.choices = capture_choices(case)
    panel = {"obligation_forms": {row.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    evidence = case_evidence(case, form.evidence_id.data)
    capture = db.session.get(WebCapture, form.capture_id.row_id) if form.capture_id.row_id \
        else None
    return run_operation(
        case, form,
        lambda: operations.update_obligation(
            current_user, row, form.state.data, on=form.on.date, proof=form.proof.data or None,
            evidence=evidence, capture=capture, confirmation=form.confirmation.data,
            reason=form.reason.data, site_status=form.site_status.data or None),
        success=_("Measure recorded."), anchor="#enforcement", panel=panel)


@bp.post("/<int:case_id>/close")
@login_required
def close(case_id: int):
    case = get_case(case_id, need=CaseAction.close)
    form = forms.CloseForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form, lambda: operations.close_time_barred(current_user, case, form.grounds.data),
        success=_("Case closed."), anchor="#enforcement")


def _complaint(case, complaint_id: int) -> Complaint:
    row = db.session.get(Complaint, complaint_id)
    if row is None or row.case_id != case.id:
        abort(404)
    return row


@bp.post("/<int:case_id>/complaints")
@login_required
def add_complaint(case_id: int):
    case = get_case(case_id, need=CaseAction.complaint)
    form = forms.ComplaintForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form,
        lambda: operations.record_complaint(
            current_user, case, complainant=form.complainant.data,
            received_on=form.received_on.date, accepted_on=form.accepted_on.date,
            settler=form.settler.data, second=form.second.data,
            complex_case=form.complex_case.data, remote=form.remote.data,
            suspended=form.suspended.data, summary=form.summary.data),
        success=_("Complaint recorded."), anchor="#complaints")


@bp.post("/<int:case_id>/complaints/<int:complaint_id>/settle")
@login_required
def settle_complaint(case_id: int, complaint_id: int):
    case = get_case(case_id)
    if not (case.may(current_user, CaseAction.complaint)
            or case.may(current_user, CaseAction.correct)):
        abort(403)
    row = _complaint(case, complaint_id)
    form = forms.SettleForm(prefix=f"cs{row.id}")
    panel = {"settle_forms": {row.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    return run_operation(
        case, form,
        lambda: operations.settle_complaint(current_user, row, form.outcome.data,
                                            form.outcome_on.date, form.outcome_note.data,
                                            form.content.data),
        success=_("Complaint settled."), anchor="#complaints", panel=panel)


@bp.post("/<int:case_id>/complaints/<int:complaint_id>/lawsuit")
@login_required
def lawsuit(case_id: int, complaint_id: int):
    case = get_case(case_id, need=CaseAction.complaint)
    row = _complaint(case, complaint_id)
    form = forms.LawsuitForm(prefix=f"l{row.id}")
    panel = {"lawsuit_forms": {row.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    return run_operation(
        case, form,
        lambda: operations.record_lawsuit(current_user, row, court=form.court.data,
                                          filed_on=form.filed_on.date,
                                          outcome=form.lawsuit_outcome.data,
                                          outcome_on=form.judged_on.date),
        success=_("Lawsuit recorded."), anchor="#complaints", panel=panel)


@bp.post("/<int:case_id>/instalments")
@login_required
def request_instalments(case_id: int):
    case = get_case(case_id, need=CaseAction.pay)
    form = forms.InstalmentForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form,
        lambda: operations.request_instalments(
            current_user, case, requested_on=form.requested_on.date, grounds=form.grounds.data,
            confirmed_by=form.confirmed_by.data, schedule=form.tranches),
        success=_("Request recorded."), anchor="#instalments")


@bp.post("/<int:case_id>/instalments/<int:plan_id>/<verdict>")
@login_required
def decide_instalments(case_id: int, plan_id: int, verdict: str):
    if verdict not in ("grant", "refuse"):
        abort(404)
    case = get_case(case_id, need=CaseAction.close)
    plan = db.session.get(InstalmentPlan, plan_id)
    if plan is None or plan.case_id != case.id:
        abort(404)
    form = forms.DecidePlanForm(prefix=f"p{plan.id}")
    panel = {"plan_forms": {plan.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    return run_operation(
        case, form,
        lambda: operations.decide_instalments(current_user, plan, verdict == "grant",
                                              form.decided_on.date, form.note.data),
        success=_("Decision on the instalments recorded."), anchor="#instalments", panel=panel)


def _relief(case, relief_id: int) -> FineRelief:
    row = db.session.get(FineRelief, relief_id)
    if row is None or row.case_id != case.id:
        abort(404)
    return row


@bp.post("/<int:case_id>/reliefs")
@login_required
def request_relief(case_id: int):
    case = get_case(case_id, need=CaseAction.pay)
    form = forms.ReliefForm()
    form.evidence_id.choices = evidence_choices(case)
    if not form.validate_on_submit():
        return invalid(case, form)
    evidence = case_evidence(case, form.evidence_id.data)
    return run_operation(
        case, form,
        lambda: operations.request_relief(
            current_user, case, kind=form.kind.data, requested_on=form.requested_on.date,
            grounds=form.grounds.data, cause=form.cause.data,
            confirmed_by=form.confirmed_by.data,
            medical_confirmed_by=form.medical_confirmed_by.data, evidence=evidence,
            months=form.months.data, amount=form.amount.amount,
            forwarded_on=form.forwarded_on.date),
        success=_("Request recorded."), anchor="#reliefs")


@bp.post("/<int:case_id>/reliefs/<int:relief_id>/forward")
@login_required
def forward_relief(case_id: int, relief_id: int):
    case = get_case(case_id, need=CaseAction.pay)
    row = _relief(case, relief_id)
    form = forms.ForwardReliefForm(prefix=f"rf{row.id}")
    panel = {"relief_forward_forms": {row.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    return run_operation(
        case, form, lambda: operations.forward_relief(current_user, row, form.forwarded_on.date),
        success=_("Forwarding recorded."), anchor="#reliefs", panel=panel)


@bp.post("/<int:case_id>/reliefs/<int:relief_id>/<verdict>")
@login_required
def decide_relief(case_id: int, relief_id: int, verdict: str):
    if verdict not in ("grant", "refuse"):
        abort(404)
    case = get_case(case_id, need=CaseAction.close)
    row = _relief(case, relief_id)
    form = forms.DecideReliefForm(prefix=f"r{row.id}")
    panel = {"relief_forms": {row.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    return run_operation(
        case, form,
        lambda: operations.decide_relief(current_user, row, verdict == "grant",
                                         form.decided_on.date, form.note.data),
        success=_("Decision on the request recorded."), anchor="#reliefs", panel=panel)


def _coercion(case, coercion_id: int) -> CoercionDecision:
    row = db.session.get(CoercionDecision, coercion_id)
    if row is None or row.case_id != case.id:
        abort(404)
    return row


@bp.post("/<int:case_id>/coercion")
@login_required
def propose_coercion(case_id: int):
    case = get_case(case_id, need=CaseAction.pay)
    form = forms.CoercionForm()
    if not form.validate_on_submit():
        return invalid(case, form)
    return run_operation(
        case, form,
        lambda: operations.propose_coercion(current_user, case, form.method.data,
                                            form.details.data),
        success=_("Coercion decision proposed."), anchor="#coercion")


@bp.post("/<int:case_id>/coercion/<int:coercion_id>/issue")
@login_required
def issue_coercion(case_id: int, coercion_id: int):
    case = get_case(case_id, need=CaseAction.close)
    row = _coercion(case, coercion_id)
    form = forms.CoercionIssueForm(prefix=f"k{row.id}")
    panel = {"coercion_forms": {row.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    return run_operation(
        case, form, lambda: operations.issue_coercion(current_user, row, form.issued_on.date),
        success=_("Coercion decision issued."), anchor="#coercion", panel=panel)


@bp.post("/<int:case_id>/coercion/<int:coercion_id>/delivery")
@login_required
def deliver_coercion(case_id: int, coercion_id: int):
    case = get_case(case_id, need=CaseAction.pay)
    row = _coercion(case, coercion_id)
    form = forms.CoercionDeliveryForm(prefix=f"kd{row.id}")
    panel = {"coercion_delivery_forms": {row.id: form}}
    if not form.validate_on_submit():
        return invalid(case, form, panel)
    return run_operation(
        case, form,
        lambda: operations.deliver_coercion(current_user, row, form.sent_on.date,
                                            form.delivered_on.date),
        success=_("Delivery recorded."), anchor="#coercion", panel=panel)


@bp.get("/<int:case_id>/coercion/<int:coercion_id>.pdf")
@login_required
def coercion_file(case_id: int, coercion_id: int):
    case = get_case(case_id)
    row = _coercion(case, coercion_id)
    if row.pdf is None:
        abort(404)
    response = send_file(BytesIO(row.pdf), mimetype="application/pdf",
                         download_name=f"cuong-che-{row.number:02d}-{row.year}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response
