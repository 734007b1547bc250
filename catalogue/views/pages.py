"""The catalogue's front page (instruments, counts of provisions by status, the last load),
deadline rules, competence limits and the working calendar: everyone reads them; an
administrator corrects them and maintains the calendar's overrides."""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask import (
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
from catalogue.forms import LimitForm, OverrideForm, RuleTextForm
from catalogue.models import (
    CatalogueLoad,
    CompetenceLimit,
    DeadlineRuleText,
    LegalClause,
    LegalInstrument,
    LegalProhibition,
)
from catalogue.views import bp
from core.calendar import working_calendar
from core.clock import clock
from core.errors import OperationError
from core.forms import refuse
from core.input import int_arg
from core.models import CalendarOverride
from extensions import db
from legal.calendar import WorkingCalendar


@bp.route("/")
@login_required
@permission_required("catalogue.view")
def index():
    clauses = db.session.scalars(select(LegalClause)).all()
    counts: dict[str, Counter] = {}
    for row in clauses:
        counts.setdefault(row.instrument_id, Counter())[row.status] += 1
    return render_template(
        "catalogue/index.html",
        instruments=db.session.scalars(select(LegalInstrument).order_by(
            LegalInstrument.effective_from)).all(),
        counts=counts,
        prohibitions=db.session.scalars(select(LegalProhibition).order_by(
            LegalProhibition.id)).all(),
        rules=db.session.scalars(select(DeadlineRuleText).order_by(
            DeadlineRuleText.rule_code, DeadlineRuleText.effective_from)).all(),
        limits=db.session.scalars(select(CompetenceLimit).order_by(
            CompetenceLimit.individual)).all(),
        last_load=db.session.scalar(select(CatalogueLoad).order_by(
            CatalogueLoad.id.desc()).limit(1)))




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

