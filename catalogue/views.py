"""Catalogue pages: everyone reads the law the product applies; an administrator corrects
it and maintains the calendar's overrides."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from auth.permissions import permission_required
from catalogue import operations as ops
from catalogue.forms import ClauseForm, LimitForm, OverrideForm, RuleTextForm
from catalogue.models import (
    CompetenceLimit,
    DeadlineRuleText,
    LegalClause,
    LegalInstrument,
    LegalProhibition,
)
from core.calendar import working_calendar
from core.clock import clock
from core.errors import OperationError
from core.forms import refuse
from core.input import int_arg
from core.models import CalendarOverride
from extensions import db
from legal.calendar import WorkingCalendar

bp = Blueprint("catalogue", __name__, url_prefix="/legal")


@bp.route("/")
@login_required
@permission_required("catalogue.view")
def index():
    return render_template(
        "catalogue/index.html",
        instruments=db.session.scalars(select(LegalInstrument).order_by(
            LegalInstrument.effective_from)).all(),
        clauses=db.session.scalars(select(LegalClause).order_by(LegalClause.id)).all(),
        prohibitions=db.session.scalars(select(LegalProhibition).order_by(
            LegalProhibition.id)).all(),
        rules=db.session.scalars(select(DeadlineRuleText).order_by(
            DeadlineRuleText.rule_code, DeadlineRuleText.effective_from)).all(),
        limits=db.session.scalars(select(CompetenceLimit).order_by(
            CompetenceLimit.individual)).all())


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@bp.route("/clauses/new", methods=["GET", "POST"], defaults={"clause_id": None})
@bp.route("/clauses/<path:clause_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("catalogue.manage")
def clause_form(clause_id: str | None):
    row = db.session.get(LegalClause, clause_id) if clause_id else None
    if clause_id and row is None:
        abort(404)
    form = ClauseForm(obj=row)
    if request.method == "GET" and row is not None:
        form.remedial_measures.data = "\n".join(row.remedial_measures or [])
        form.additional_sanctions.data = "\n".join(row.additional_sanctions or [])
    if row is not None:
        form.id.render_kw = {"readonly": True}
    if form.validate_on_submit():
        data = {name: form[name].data for name in ops.CLAUSE_FIELDS
                if name in ("act_vi", "base_subject", "warning_allowed", "field", "status",
                            "source")}
        data.update(act_en=form.act_en.data or "", enforces=form.enforces.data or None,
                    fine_min=form.fine_min.amount, fine_max=form.fine_max.amount,
                    remedial_measures=_lines(form.remedial_measures.data),
                    additional_sanctions=_lines(form.additional_sanctions.data),
                    effective_from=form.effective_from.date, effective_to=form.effective_to.date)
        try:
            saved = ops.save_clause(current_user, row.id if row else form.id.data, data,
                                    new=row is None)
            db.session.commit()
        except OperationError as exc:
            refuse(form, exc)
        else:
            flash(_("Clause %(id)s saved.", id=saved.id), "success")
            return redirect(url_for("catalogue.index") + "#clauses")
    return render_template("catalogue/clause_form.html", form=form, row=row), (
        422 if request.method == "POST" else 200)


@bp.post("/clauses/<path:clause_id>/retire")
@login_required
@permission_required("catalogue.manage")
def retire_clause(clause_id: str):
    row = db.session.get(LegalClause, clause_id) or abort(404)
    try:
        ops.retire_clause(current_user, row, clock().today())
        db.session.commit()
    except OperationError as exc:
        refuse(None, exc)
    else:
        flash(_("Clause %(id)s is no longer offered for new violations.", id=row.id), "success")
    return redirect(url_for("catalogue.index") + "#clauses")


@bp.route("/limits/<int:limit_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("catalogue.manage")
def limit_form(limit_id: int):
    row = db.session.get(CompetenceLimit, limit_id) or abort(404)
    form = LimitForm(obj=row)
    if form.validate_on_submit():
        data = {"individual": form.individual.amount, "organisation": form.organisation.amount,
                "warning": form.warning.data, "effective_from": form.effective_from.date,
                "effective_to": form.effective_to.date, "status": form.status.data,
                "source": form.source.data}
        ops.save_limit(current_user, row, data)
        db.session.commit()
        flash(_("Competence limit saved."), "success")
        return redirect(url_for("catalogue.index") + "#competence")
    return render_template("catalogue/limit_form.html", form=form, row=row), (
        422 if request.method == "POST" else 200)


@bp.route("/rules/<int:text_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("catalogue.manage")
def rule_form(text_id: int):
    row = db.session.get(DeadlineRuleText, text_id) or abort(404)
    form = RuleTextForm(obj=row)
    if request.method == "GET":
        form.period_amount.data = next(iter(row.period.values()))
    if form.validate_on_submit():
        data = {"period_amount": form.period_amount.data, "roll": form.roll.data,
                "basis": form.basis.data,
                "effective_from": form.effective_from.date,
                "effective_to": form.effective_to.date, "status": form.status.data,
                "source": form.source.data}
        try:
            moved = ops.save_rule_text(current_user, row, data)
            db.session.commit()
        except OperationError as exc:
            refuse(form, exc)
        else:
            flash(_("Rule saved; %(n)d open deadlines moved.", n=len(moved)), "success")
            return _show_moved(moved)
    return render_template("catalogue/rule_form.html", form=form, row=row), (
        422 if request.method == "POST" else 200)


def _calendar_page(form: OverrideForm, status: int = 200):
    year = int_arg(request.args, "year", 2013, 2100) or clock().today().year
    overrides = db.session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)).all()
    package = WorkingCalendar()
    holidays = [(d, package.holiday_name(d)) for d in _days(year) if package.holiday_name(d)]
    makeups = [d for d in _days(year) if d.weekday() == 5 and package.is_working_day(d)]
    return render_template("catalogue/calendar.html", form=form, year=year,
                           overrides=overrides, holidays=holidays, makeups=makeups,
                           cal=working_calendar()), status


@bp.get("/calendar")
@login_required
@permission_required("catalogue.view")
def calendar():
    return _calendar_page(OverrideForm(formdata=None))


@bp.post("/calendar")
@login_required
@permission_required("catalogue.manage")
def add_override():
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            moved = ops.add_override(current_user, form.day.date, form.kind.data, form.note.data)
            db.session.commit()
        except OperationError as exc:
            refuse(form, exc)
        else:
            flash(_("Calendar updated; %(n)d open deadlines moved.", n=len(moved)), "success")
            return _show_moved(moved)
    return _calendar_page(form, 422)


@bp.post("/calendar/<int:override_id>/delete")
@login_required
@permission_required("catalogue.manage")
def delete_override(override_id: int):
    row = db.session.get(CalendarOverride, override_id) or abort(404)
    moved = ops.remove_override(current_user, row)
    db.session.commit()
    flash(_("Calendar updated; %(n)d open deadlines moved.", n=len(moved)), "success")
    return _show_moved(moved)


def _show_moved(moved: list[tuple]):
    """Post/redirect/get: keep the list of moved deadlines for the next page, so a browser
    refresh does not send the change again."""
    session["moved_deadlines"] = [
        {"case_id": case.id, "code": case.code, "key": key, "old": old.isoformat(),
         "new": new.isoformat()} for case, key, old, new in moved]
    return redirect(url_for("catalogue.moved"))


@bp.get("/moved")
@login_required
@permission_required("catalogue.manage")
def moved():
    rows = [(r["case_id"], r["code"], r["key"], date.fromisoformat(r["old"]),
             date.fromisoformat(r["new"])) for r in session.pop("moved_deadlines", [])]
    return render_template("catalogue/moved.html", moved=rows)


def _days(year: int):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d = date.fromordinal(d.toordinal() + 1)
