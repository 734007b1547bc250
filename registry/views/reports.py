"""Reports to the Ministry: what is owed and when, the report's preview, its issue, and the
issued reports (PDF and XLSX as sent)."""

from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import undefer
from wtforms.fields.choices import SelectChoice

from auth.permissions import permission_required
from core.audit import content_matches
from core.clock import clock
from core.documents import signature_level_of
from core.errors import OperationError, TamperedDocument
from core.forms import refuse
from extensions import db
from legal.dates import format_date_vn
from registry import operations
from registry import report as reporting
from registry.deadlines import next_semiannual
from registry.forms import ObligationForm, ReportForm
from registry.models import Report, ReportObligation
from registry.operations import NEXT_SEMIANNUAL
from registry.views import bp


def _obligations() -> list[ReportObligation]:
    """What is owed, latest first, with the next six-monthly report even when the scheduler
    has not stored it yet (shown, not written: a GET never commits)."""
    obligations = db.session.scalars(select(ReportObligation).order_by(
        ReportObligation.due_on.desc())).all()
    upcoming = next_semiannual()
    if upcoming is not None and upcoming.id is None:
        obligations = sorted([upcoming, *obligations], key=lambda o: o.due_on, reverse=True)
    return obligations


def _choice(o: ReportObligation) -> str:
    return str(o.id) if o.id is not None else NEXT_SEMIANNUAL


def _forms():
    today = clock().today()
    obligations = _obligations()
    report_form = ReportForm(data={"period_start": today.replace(month=1, day=1),
                                   "period_end": today})
    report_form.obligation_id.choices = [SelectChoice("", _("— no request —"))] + [
        SelectChoice(_choice(o), f"{o.title} ({o.due_on:%d/%m/%Y})", render_kw={
            # app.js fills the report's period with the obligation's own
            "data-period-start": format_date_vn(o.period_start),
            "data-period-end": format_date_vn(o.period_end)})
        for o in obligations if o.submitted is None]
    return obligations, report_form


@bp.route("/reports", methods=["GET"])
@login_required
@permission_required("site.view")
def reports():
    obligations, report_form = _forms()
    issued = db.session.scalars(select(Report).order_by(Report.id.desc())).all()
    return render_template("registry/reports.html", obligations=obligations, issued=issued,
                           report_form=report_form, obligation_form=ObligationForm(
                               formdata=None))


@bp.post("/reports/obligations")
@login_required
@permission_required("report.manage")
def add_obligation():
    form = ObligationForm()
    if form.validate_on_submit():
        row = operations.add_obligation(current_user, {
            "title": form.title.data, "basis": form.basis.data,
            "period_start": form.period_start.date, "period_end": form.period_end.date,
            "due_on": form.due_on.date})
        db.session.commit()
        flash(_("The report is due by %(d)s; reminders will be sent.",
                d=row.due_on.strftime("%d/%m/%Y")), "success")
        return redirect(url_for("registry.reports"))
    obligations, report_form = _forms()
    issued = db.session.scalars(select(Report).order_by(Report.id.desc())).all()
    return render_template("registry/reports.html", obligations=obligations, issued=issued,
                           report_form=report_form, obligation_form=form), 422


@bp.post("/reports")
@login_required
@permission_required("report.issue")
def issue_report():
    form = ReportForm()
    obligations, _unused = _forms()
    form.obligation_id.choices = [SelectChoice("", "")] + [
        SelectChoice(_choice(o), o.title) for o in obligations]
    action = request.form.get("action", "preview")
    if form.validate_on_submit():
        start, end = form.period_start.date, form.period_end.date
        if action == "preview":
            if start > end:
                form.period_end.errors = [_("The end of the period cannot be before its "
                                            "start.")]
            else:
                data = reporting.render(reporting.figures(start, end), number="……/BC-STTTT",
                                        issued_on=clock().today(), draft=True,
                                        proposals=form.proposals.data, signer=current_user)
                return send_file(BytesIO(data), mimetype="application/pdf",
                                 download_name="du-thao-bao-cao.pdf")
        elif not form.confirm_report.data:
            form.confirm_report.errors = [_("Tick the box to confirm: an issued report cannot "
                                            "be changed.")]
        else:
            try:
                obligation = operations.obligation_for_report(current_user,
                                                              form.obligation_id.data)
                report = reporting.issue_report(current_user, start, end,
                                                form.proposals.data or None, obligation)
                db.session.commit()
            except OperationError as exc:
                refuse(form, exc, field="period_end")
            else:
                flash(_("Report %(n)s issued.", n=report.full_number), "success")
                return redirect(url_for("registry.reports"))
    issued = db.session.scalars(select(Report).order_by(Report.id.desc())).all()
    obligations, _unused = _forms()
    return render_template("registry/reports.html", obligations=obligations, issued=issued,
                           report_form=form, obligation_form=ObligationForm(formdata=None)), 422


@bp.get("/reports/<int:report_id>.<ext>")
@login_required
@permission_required("site.view")
def report_file(report_id: int, ext: str):
    report = db.session.scalar(select(Report).where(Report.id == report_id)
                               .options(undefer(Report.pdf), undefer(Report.xlsx)))
    if report is None or ext not in ("pdf", "xlsx"):
        abort(404)
    name = f"bao-cao-{report.number}-{report.year}.{ext}"
    if ext == "pdf":
        if not content_matches(report.pdf, report.sha256, report,
                               what=f"report {report.id}"):
            raise TamperedDocument()
        response = send_file(BytesIO(report.pdf), mimetype="application/pdf",
                             download_name=name)
        response.headers["X-Content-SHA256"] = report.sha256
        response.headers["X-Signature-State"] = signature_level_of(report.sha256)
        return response
    if report.xlsx_sha256 is not None and not content_matches(
            report.xlsx, report.xlsx_sha256, report, what=f"report {report.id} spreadsheet"):
        raise TamperedDocument()
    return send_file(BytesIO(report.xlsx), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml."
                              "sheet")
