"""The campaigns: list and creation, a campaign's page (scope, team, plan), a check's page
(its record and outcome) and the record's PDF."""

from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer
from wtforms.fields.choices import SelectChoice

from auth.permissions import permission_required
from cases.operations.intake import evidence_dir
from core.agency import symbol
from core.audit import content_matches
from core.clock import clock
from core.documents import signature_level_of
from core.errors import NotAllowed, OperationError, TamperedDocument
from core.forms import refuse
from core.once import already_done, commit_once, done_before, remember
from core.uploads import safe_filename
from deadlines.models import Deadline
from extensions import db
from inspections import documents
from inspections import operations as ops
from inspections import report as reporting
from inspections.forms import (
    CampaignEditForm,
    CampaignForm,
    CheckEvidenceForm,
    CheckForm,
    IssueDecisionForm,
    MemberForm,
    PlanForm,
    ResultReportForm,
    ScopeForm,
)
from inspections.integrity import evidence_bytes
from inspections.models import (
    Campaign,
    CampaignMember,
    CheckEvidence,
    DecisionState,
    InspectionCheck,
)
from inspections.views import bp
from legal.inspection import period_for
from registry.models import Site


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.id == campaign_id).options(
        selectinload(Campaign.members),
        selectinload(Campaign.checks).selectinload(InspectionCheck.site),
        selectinload(Campaign.checks).selectinload(InspectionCheck.members),
        selectinload(Campaign.checks).selectinload(InspectionCheck.cases)))
    if campaign is None:
        abort(404)
    return campaign


def _member_choices(campaign: Campaign) -> list[SelectChoice]:
    return [SelectChoice(str(m.id), m.name) for m in campaign.members]


def _forms(campaign: Campaign, **given) -> dict:
    scope = campaign.scope or {}
    sites = db.session.scalars(select(Site).order_by(Site.name_key)).all()
    site_choices = [SelectChoice(str(s.id), f"{s.name} ({s.domain})") for s in sites]
    scope_form = given.get("scope_form") or ScopeForm(formdata=None, data={
        "kinds": scope.get("kinds", []), "statuses": scope.get("statuses", []),
        "districts": "\n".join(scope.get("districts", [])),
        "site_ids": [str(i) for i in scope.get("site_ids", [])]})
    scope_form.site_ids.choices = site_choices
    member_form = given.get("member_form") or MemberForm(formdata=None)
    users = db.session.scalars(ops.team_users()).all()
    member_form.user_id.choices = [SelectChoice("", _("— not a user —"))] + [
        SelectChoice(str(u.id), u.full_name) for u in users]
    plan_form = given.get("plan_form") or PlanForm(formdata=None)
    plan_form.site_id.choices = site_choices
    plan_form.member_ids.choices = _member_choices(campaign)
    report_form = given.get("report_form") or ResultReportForm(formdata=None)
    edit_form = given.get("edit_form") or CampaignEditForm(formdata=None, data={
        name: getattr(campaign, name) for name in ops.EDITABLE_FIELDS})
    return {"scope_form": scope_form, "member_form": member_form, "plan_form": plan_form,
            "report_form": report_form, "edit_form": edit_form,
            "issue_form": IssueDecisionForm(formdata=None)}


def _page(campaign: Campaign, status: int = 200, **given):
    return render_template("inspections/detail.html", campaign=campaign,
                           scope_sites=ops.scope_sites(campaign.scope or {}),
                           may_record=ops.may_record(current_user, campaign),
                           may_approve=ops.may_approve(current_user, campaign),
                           figures=reporting.progress(campaign),
                           deadlines=db.session.scalars(select(Deadline).where(
                               Deadline.campaign_id == campaign.id)
                               .order_by(Deadline.due_on)).all(),
                           law=period_for(campaign.decision_issued_on
                                          or campaign.period_start),
                           weeks=reporting.calendar(campaign),
                           **_forms(campaign, **given)), status


@bp.route("/", methods=["GET"])
@login_required
@permission_required("campaign.view")
def index():
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.period_start.desc())
                                   .options(selectinload(Campaign.checks)
                                            .selectinload(InspectionCheck.cases))).all()
    return render_template("inspections/list.html", campaigns=campaigns,
                           form=CampaignForm(formdata=None))


@bp.post("/")
@login_required
@permission_required("campaign.plan")
def create():
    form = CampaignForm()
    if form.validate_on_submit():
        done = already_done(form)
        if done is not None:
            return done
        try:
            campaign = ops.create_campaign(current_user, {
                "code": form.code.data, "title": form.title.data,
                "legal_basis": form.legal_basis.data, "tasks": form.tasks.data or None,
                "period_start": form.period_start.date, "period_end": form.period_end.date,
                "report_due_on": form.report_due_on.date})
            url = url_for("inspections.detail", campaign_id=campaign.id)
            remember(form, url)
            done = commit_once(form)
        except OperationError as exc:
            refuse(form, exc)
        else:
            if done is not None:
                return done
            flash(_("Campaign %(code)s created.", code=campaign.code), "success")
            return redirect(url)
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.period_start.desc())).all()
    return render_template("inspections/list.html", campaigns=campaigns, form=form), 422


@bp.get("/<int:campaign_id>")
@login_required
@permission_required("campaign.view")
def detail(campaign_id: int):
    return _page(_campaign(campaign_id))


def _done(campaign: Campaign, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("inspections.detail", campaign_id=campaign.id))


@bp.post("/<int:campaign_id>/edit")
@login_required
@permission_required("campaign.plan")
def edit(campaign_id: int):
    campaign = _campaign(campaign_id)
    form = CampaignEditForm()
    if form.validate_on_submit():
        try:
            ops.update_campaign(current_user, campaign, {
                "title": form.title.data, "legal_basis": form.legal_basis.data,
                "tasks": form.tasks.data or None, "period_start": form.period_start.date,
                "period_end": form.period_end.date})
        except OperationError as exc:
            refuse(form, exc, field="title")
        else:
            return _done(campaign, _("Campaign %(code)s corrected.", code=campaign.code))
    return _page(_campaign(campaign_id), 422, edit_form=form)


@bp.post("/<int:campaign_id>/scope")
@login_required
@permission_required("campaign.plan")
def scope(campaign_id: int):
    campaign = _campaign(campaign_id)
    form = ScopeForm()
    form.site_ids.choices = [SelectChoice(str(i), "") for i in
                             db.session.scalars(select(Site.id))]
    if form.validate_on_submit():
        try:
            ops.update_scope(current_user, campaign, {
                "kinds": form.kinds.data, "statuses": form.statuses.data,
                "districts": (form.districts.data or "").splitlines(),
                "site_ids": form.site_ids.data})
        except OperationError as exc:
            refuse(form, exc, field="kinds")
        else:
            return _done(campaign, _("Scope saved: %(n)d sites.",
                                     n=len(ops.scope_sites(campaign.scope))))
    return _page(_campaign(campaign_id), 422, scope_form=form)


@bp.post("/<int:campaign_id>/members")
@login_required
@permission_required("campaign.plan")
def add_member(campaign_id: int):
    campaign = _campaign(campaign_id)
    form = MemberForm()
    form.user_id.choices = [SelectChoice("", "")] + [
        SelectChoice(str(u.id), u.full_name) for u in db.session.scalars(ops.team_users())]
    if form.validate_on_submit():
        try:
            ops.add_member(current_user, campaign, {
                "name": form.name.data, "title": form.title.data or None,
                "agency": form.agency.data, "role": form.role.data,
                "user_id": int(form.user_id.data) if form.user_id.data else None})
        except OperationError as exc:
            refuse(form, exc, field="name")
        else:
            return _done(campaign, _("%(name)s added to the team.", name=form.name.data))
    return _page(_campaign(campaign_id), 422, member_form=form)


@bp.post("/<int:campaign_id>/members/<int:member_id>/remove")
@login_required
@permission_required("campaign.plan")
def remove_member(campaign_id: int, member_id: int):
    campaign = _campaign(campaign_id)
    member = db.session.get(CampaignMember, member_id)
    if member is None or member.campaign_id != campaign.id:
        abort(404)
    try:
        ops.remove_member(current_user, campaign, member)
    except OperationError as exc:
        refuse(None, exc)
        return redirect(url_for("inspections.detail", campaign_id=campaign_id))
    return _done(campaign, _("%(name)s taken off the team.", name=member.name))


@bp.post("/<int:campaign_id>/plan")
@login_required
@permission_required("campaign.plan")
def plan(campaign_id: int):
    campaign = _campaign(campaign_id)
    form = PlanForm()
    form.site_id.choices = [SelectChoice(str(i), "") for i in db.session.scalars(select(Site.id))]
    form.member_ids.choices = _member_choices(campaign)
    if form.validate_on_submit():
        try:
            ops.plan_check(current_user, campaign, db.session.get(Site, int(form.site_id.data)),
                           form.planned_on.date, form.member_ids.data)
        except OperationError as exc:
            refuse(form, exc, field="planned_on")
        else:
            return _done(campaign, _("Check planned."))
    return _page(_campaign(campaign_id), 422, plan_form=form)


@bp.post("/<int:campaign_id>/plan-scope")
@login_required
@permission_required("campaign.plan")
def plan_scope(campaign_id: int):
    campaign = _campaign(campaign_id)
    try:
        rows = ops.plan_scope(current_user, campaign)
    except OperationError as exc:
        refuse(None, exc)
        return redirect(url_for("inspections.detail", campaign_id=campaign_id))
    return _done(campaign, _("%(n)d sites planned.", n=len(rows)))


def _check_row(check_id: int) -> InspectionCheck:
    row = db.session.get(InspectionCheck, check_id)
    if row is None:
        abort(404)
    return row


def _check_form(row: InspectionCheck, form: CheckForm | None = None) -> CheckForm:
    if form is None:
        form = CheckForm(formdata=None, data={
            "checked_on": row.planned_on, "member_ids": [str(m.id) for m in row.members],
            "items": []})
    form.member_ids.choices = _member_choices(row.campaign)
    return form


@bp.get("/checks/<int:check_id>")
@login_required
@permission_required("campaign.view")
def check(check_id: int):
    row = _check_row(check_id)
    return render_template("inspections/check.html", row=row, campaign=row.campaign,
                           form=_check_form(row), evidence_form=CheckEvidenceForm(formdata=None),
                           may_record=ops.may_record(current_user, row.campaign))


@bp.post("/checks/<int:check_id>")
@login_required
@permission_required("campaign.check")
def record(check_id: int):
    row = _check_row(check_id)
    if not ops.may_record(current_user, row.campaign):
        abort(403)
    form = _check_form(row, CheckForm())
    if form.validate_on_submit():
        done = already_done(form)
        if done is not None:
            return done
        try:
            ops.record_check(current_user, row, {
                "checked_on": form.checked_on.date, "place": form.place.data or None,
                "operator_present": form.operator_present.data or None,
                "items": form.items.data, "findings": form.findings.data,
                "statement": form.statement.data or None, "outcome": form.outcome.data,
                "member_ids": form.member_ids.data,
                "referral_target": form.referral_target.data,
                "referral_recipient": form.referral_recipient.data,
                "referral_reason": form.referral_reason.data,
                "site_status": form.site_status.data or None,
                "operator_name": form.operator_name.data})
            url = url_for("inspections.check", check_id=row.id)
            remember(form, url)
            done = commit_once(form)
        except OperationError as exc:
            refuse(form, exc, field="findings")
        else:
            if done is not None:
                return done
            flash(_("Check recorded."), "success")
            if row.case is not None:
                flash(_("Case %(code)s opened from the check.", code=row.case.code), "success")
            return redirect(url)
    row = _check_row(check_id)
    return render_template("inspections/check.html", row=row, campaign=row.campaign,
                           form=form, evidence_form=CheckEvidenceForm(formdata=None),
                           may_record=True), 422


@bp.get("/checks/<int:check_id>/record.pdf")
@login_required
@permission_required("campaign.view")
def record_pdf(check_id: int):
    row = db.session.scalar(select(InspectionCheck).where(InspectionCheck.id == check_id)
                            .options(undefer(InspectionCheck.record_pdf)))
    if row is None or row.record_pdf is None:
        abort(404)
    if not content_matches(row.record_pdf, row.record_sha256, row,
                           what=f"check record {row.id}"):
        raise TamperedDocument()
    response = send_file(BytesIO(row.record_pdf), mimetype="application/pdf",
                         download_name=f"bien-ban-kiem-tra-{row.id}.pdf")
    response.headers["X-Content-SHA256"] = row.record_sha256
    response.headers["X-Signature-State"] = signature_level_of(row.record_sha256)
    return response



@bp.post("/<int:campaign_id>/decision/draft")
@login_required
@permission_required("campaign.plan")
def draft_decision(campaign_id: int):
    campaign = _campaign(campaign_id)
    try:
        ops.draft_decision(current_user, campaign)
    except OperationError as exc:
        refuse(None, exc)
        return redirect(url_for("inspections.detail", campaign_id=campaign_id))
    return _done(campaign, _("Team decision drafted: another supervisor approves it."))


def _already_issued(campaign: Campaign, url: str):
    """Another supervisor issued the team decision first: say so and show it."""
    flash(_("The team decision was already issued: %(n)s.", n=campaign.decision_full_number),
          "info")
    return redirect(url)


@bp.post("/<int:campaign_id>/decision/issue")
@login_required
@permission_required("campaign.approve")
def issue_decision(campaign_id: int):
    campaign = _campaign(campaign_id)
    form = IssueDecisionForm()
    url = url_for("inspections.detail", campaign_id=campaign.id)
    if not ops.may_approve(current_user, campaign):
        # the second click of the button whose first click issued it: the issued decision,
        # not a refusal (as the sanction decision's, core.once)
        done = done_before(form.once.data)
        if done is not None:
            return done
        if campaign.decision_state == DecisionState.issued:
            return _already_issued(campaign, url)
        abort(403)
    try:
        ops.issue_decision(current_user, campaign)
    except NotAllowed:
        # another approval of the same draft committed first (the operation waited for it)
        db.session.rollback()
        campaign = _campaign(campaign_id)
        if campaign.decision_state == DecisionState.issued:
            return _already_issued(campaign, url)
        raise
    remember(form, url)
    done = commit_once(form)
    if done is not None:
        return done
    flash(_("Team decision %(n)s issued.", n=campaign.decision_full_number), "success")
    return redirect(url)


@bp.post("/<int:campaign_id>/decision/return")
@login_required
@permission_required("campaign.approve")
def return_decision(campaign_id: int):
    campaign = _campaign(campaign_id)
    if not ops.may_approve(current_user, campaign):
        abort(403)
    try:
        ops.return_decision(current_user, campaign, request.form.get("reason", ""))
    except OperationError as exc:
        refuse(None, exc)
        return redirect(url_for("inspections.detail", campaign_id=campaign_id))
    return _done(campaign, _("Team decision returned."))


@bp.get("/<int:campaign_id>/decision.pdf")
@login_required
@permission_required("campaign.view")
def decision_pdf(campaign_id: int):
    campaign = db.session.scalar(select(Campaign).where(Campaign.id == campaign_id)
                                 .options(undefer(Campaign.decision_pdf)))
    if campaign is None:
        abort(404)
    if campaign.decision_pdf is not None:
        if not content_matches(campaign.decision_pdf, campaign.decision_sha256, campaign,
                               what=f"team decision of campaign {campaign.code}"):
            raise TamperedDocument()
        response = send_file(BytesIO(campaign.decision_pdf), mimetype="application/pdf",
                             download_name=f"quyet-dinh-doan-kiem-tra-{campaign.code}.pdf")
        response.headers["X-Content-SHA256"] = campaign.decision_sha256
        response.headers["X-Signature-State"] = signature_level_of(campaign.decision_sha256)
        return response
    if campaign.decision_state is None or not campaign.members:
        abort(404)
    data = documents.team_decision_data(campaign, None)
    return send_file(BytesIO(documents.team_decision_pdf(data, draft=True)),
                     mimetype="application/pdf",
                     download_name=f"du-thao-quyet-dinh-{campaign.code}.pdf")


@bp.post("/<int:campaign_id>/report")
@login_required
@permission_required("report.issue")
def result_report(campaign_id: int):
    campaign = _campaign(campaign_id)
    form = ResultReportForm()
    if form.validate_on_submit():
        if request.form.get("action", "preview") == "preview":
            data = reporting.render(campaign, reporting.progress(campaign),
                                    number="……/" + symbol("report"),
                                    issued_on=clock().today(), conclusion=form.conclusion.data,
                                    proposals=form.proposals.data, signer=current_user,
                                    draft=True)
            return send_file(BytesIO(data), mimetype="application/pdf",
                             download_name=f"du-thao-bao-cao-{campaign.code}.pdf")
        done = already_done(form)
        if done is not None:
            return done
        try:
            report = reporting.issue_result_report(current_user, campaign,
                                                   form.conclusion.data,
                                                   form.proposals.data or None)
            url = url_for("inspections.detail", campaign_id=campaign.id)
            remember(form, url)
            done = commit_once(form)
        except OperationError as exc:
            refuse(form, exc, field="conclusion")
        else:
            if done is not None:
                return done
            flash(_("Report %(n)s issued.", n=report.full_number), "success")
            return redirect(url)
    return _page(_campaign(campaign_id), 422, report_form=form)


@bp.get("/checks/<int:check_id>/referral.pdf")
@login_required
@permission_required("campaign.view")
def referral_pdf(check_id: int):
    row = _check_row(check_id)
    if row.referral_number is None:
        abort(404)
    name = f"cong-van-chuyen-{row.id}.pdf"
    if row.referral_sha256 is None:  # numbered before letters were frozen: as its data say
        return send_file(BytesIO(documents.referral_letter_pdf(row)),
                         mimetype="application/pdf", download_name=name)
    pdf = row.referral_pdf  # deferred: loaded here, for this download only
    if not content_matches(pdf, row.referral_sha256, row,
                           what=f"referral letter {row.referral_full_number}"):
        raise TamperedDocument()
    response = send_file(BytesIO(pdf), mimetype="application/pdf", download_name=name)
    response.headers["X-Content-SHA256"] = row.referral_sha256
    response.headers["X-Signature-State"] = signature_level_of(row.referral_sha256)
    return response


@bp.post("/checks/<int:check_id>/evidence")
@login_required
@permission_required("campaign.check")
def add_evidence(check_id: int):
    row = _check_row(check_id)
    if not ops.may_record(current_user, row.campaign):
        abort(403)
    form = CheckEvidenceForm()
    if form.validate_on_submit():
        done = already_done(form)
        if done is not None:
            return done
        upload = form.file.data
        try:
            ops.add_check_evidence(current_user, row, upload.read() if upload else b"",
                                   upload.filename if upload else None,
                                   form.note.data or None)
            url = url_for("inspections.check", check_id=row.id)
            remember(form, url)
            done = commit_once(form)
        except OperationError as exc:
            refuse(form, exc, field="file")
        else:
            if done is not None:
                return done
            flash(_("Evidence added."), "success")
            return redirect(url)
    row = _check_row(check_id)
    return render_template("inspections/check.html", row=row, campaign=row.campaign,
                           form=_check_form(row), evidence_form=form, may_record=True), 422


@bp.get("/checks/<int:check_id>/evidence/<int:evidence_id>")
@login_required
@permission_required("campaign.view")
def evidence_file(check_id: int, evidence_id: int):
    item = db.session.get(CheckEvidence, evidence_id)
    if item is None or item.check_id != check_id:
        abort(404)
    path = evidence_dir() / item.stored_name
    if not path.is_file():
        abort(404)
    if evidence_bytes(item) is None:
        raise TamperedDocument()
    response = send_file(path, mimetype=item.content_type, as_attachment=True,
                         download_name=safe_filename(item.filename, "evidence"))
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
