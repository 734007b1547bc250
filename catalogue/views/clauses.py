"""The sanction provisions' pages (docs/legal/catalogue.md#verification): every entry with
its versions, status, source and what changed, for everyone; correcting, adding, retiring and
verifying a version for an administrator."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.permissions import permission_required
from catalogue import operations as ops
from catalogue import review
from catalogue.engine import legal_catalogue
from catalogue.forms import ClauseForm, VerifyForm
from catalogue.models import LegalClause
from catalogue.views import bp
from core.clock import clock
from core.errors import OperationError
from core.forms import refuse
from extensions import db
from legal.dates import parse_date_vn


@bp.get("/clauses")
@login_required
@permission_required("catalogue.view")
def clauses():
    """Every entry with its versions, status, source and what changed; filters by
    instrument, status, date in force and words or citation."""
    args = request.args
    instrument, status, query = (args.get("instrument", "")[:40], args.get("status", "")[:1],
                                 args.get("q", "")[:200])
    try:
        on = parse_date_vn(args["on"]) if args.get("on") else None
    except ValueError as exc:
        flash(str(exc), "error")
        on = None
    ids = {v.id for v in legal_catalogue().find(query, on)} if query else None
    rows = db.session.scalars(select(LegalClause).options(
        selectinload(LegalClause.verified_by))).all()
    found = review.entries(rows, instrument=instrument, status=status, on=on, ids=ids)
    return render_template(
        "catalogue/clauses.html", entries=found, instrument=instrument, status=status,
        query=query, on=on, verify_form=VerifyForm(formdata=None),
        instruments=sorted({r.instrument_id for r in rows}, key=lambda i: i.split("/")[1]))


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _ids(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _clause_data(form: ClauseForm) -> dict:
    return {
        "act_vi": form.act_vi.data, "act_en": form.act_en.data or "",
        "fine_min": form.fine_min.amount, "fine_max": form.fine_max.amount,
        "base_subject": form.base_subject.data,
        "warning_allowed": {"yes": True, "no": False}.get(form.warning_allowed.data),
        "field": form.field.data, "enforces": _ids(form.enforces.data),
        "remedial_measures": None if form.remedial_unknown.data
        else _lines(form.remedial_measures.data),
        "additional_sanctions": None if form.additional_unknown.data
        else _lines(form.additional_sanctions.data),
        "applied_in": form.applied_in.data or None, "amended_by": _ids(form.amended_by.data),
        "change_note": form.change_note.data or None, "successor": form.successor.data or None,
        "effective_from": form.effective_from.date, "effective_to": form.effective_to.date,
        "status": form.status.data, "source": form.source.data}


def _fill(form: ClauseForm, row: LegalClause) -> None:
    form.warning_allowed.data = {True: "yes", False: "no"}.get(row.warning_allowed, "")
    form.enforces.data = ", ".join(row.enforces or [])
    form.amended_by.data = ", ".join(row.amended_by or [])
    form.remedial_measures.data = "\n".join(row.remedial_measures or [])
    form.remedial_unknown.data = row.remedial_measures is None
    form.additional_sanctions.data = "\n".join(row.additional_sanctions or [])
    form.additional_unknown.data = row.additional_sanctions is None


@bp.route("/clauses/new", methods=["GET", "POST"], defaults={"clause_id": None, "version": None})
@bp.route("/clauses/<path:clause_id>/<int:version>/edit", methods=["GET", "POST"])
@login_required
@permission_required("catalogue.manage")
def clause_form(clause_id: str | None, version: int | None):
    """Correct a version (`clause_id`, `version`), or add an entry or a new version of one
    (``/clauses/new?from=<id>`` starts from that entry's latest version)."""
    row = db.session.get(LegalClause, (clause_id, version)) if clause_id else None
    if clause_id and row is None:
        abort(404)
    start = row
    if row is None and request.args.get("from"):
        start = db.session.scalar(select(LegalClause).where(
            LegalClause.id == request.args["from"][:80]).order_by(
            LegalClause.version.desc()).limit(1))
    form = ClauseForm(obj=start if request.method == "GET" else None)
    if request.method == "GET" and start is not None:
        _fill(form, start)
        if row is None:  # a new version: its own period, status and source
            form.effective_from.data = form.effective_to.data = None
            form.change_note.data = form.applied_in.data = None
    if row is not None:
        form.id.render_kw = {"readonly": True}
    if form.validate_on_submit():
        try:
            saved = ops.save_clause(current_user, row.id if row else form.id.data,
                                    _clause_data(form), version=row.version if row else None)
            db.session.commit()
        except OperationError as exc:
            refuse(form, exc)
        else:
            flash(_("%(id)s, version %(n)d, saved.", id=saved.id, n=saved.version), "success")
            return redirect(url_for("catalogue.clauses", q=saved.id))
    return render_template("catalogue/clause_form.html", form=form, row=row,
                           based_on=start if row is None else None), (
        422 if request.method == "POST" else 200)


@bp.post("/clauses/<path:clause_id>/<int:version>/verify")
@login_required
@permission_required("catalogue.manage")
def verify_clause(clause_id: str, version: int):
    row = db.session.get(LegalClause, (clause_id, version)) or abort(404)
    form = VerifyForm()
    if form.validate_on_submit():
        try:
            ops.verify_clause(current_user, row, form.source.data)
            db.session.commit()
        except OperationError as exc:
            refuse(None, exc)
        else:
            flash(_("%(id)s, version %(n)d, marked verified.", id=row.id, n=row.version),
                  "success")
    else:
        flash(_("Say which text you checked it against."), "error")
    return redirect(url_for("catalogue.clauses", q=clause_id))


@bp.post("/clauses/<path:clause_id>/<int:version>/retire")
@login_required
@permission_required("catalogue.manage")
def retire_clause(clause_id: str, version: int):
    row = db.session.get(LegalClause, (clause_id, version)) or abort(404)
    try:
        ops.retire_clause(current_user, row, clock().today())
        db.session.commit()
    except OperationError as exc:
        refuse(None, exc)
    else:
        flash(_("Clause %(id)s is no longer offered for new violations.", id=row.id), "success")
    return redirect(url_for("catalogue.clauses", q=clause_id))
