"""The register of issued decisions, and batch printing: several decisions (or all those
issued in a period) as one PDF, each document keeping its own page numbers."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import abort, jsonify, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import login_required
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from auth.permissions import permission_required
from cases import national_db as ndb
from cases.models import Case, Decision, DecisionKind, DecisionStatus
from cases.search import case_words
from cases.views import bp
from core.clock import clock
from core.enums import label_of
from core.export import csv_response
from core.input import int_list
from extensions import db
from legal.dates import format_date_vn, parse_date_vn

MAX_BATCH = 500


def _period() -> tuple[date, date, list[str]]:
    """The period of the filter (default: this year to today) and any input errors."""
    today = clock().today()
    errors = []
    values = []
    for name, default in (("from", date(today.year, 1, 1)), ("to", today)):
        text = (request.values.get(name) or "").strip()
        try:
            values.append(parse_date_vn(text) if text else default)
        except ValueError as exc:
            errors.append(str(exc))
            values.append(default)
    return values[0], values[1], errors


def _query(start: date, end: date):
    stmt = (select(Decision).join(Case)
            .where(Decision.issued_on >= start, Decision.issued_on <= end)
            .options(selectinload(Decision.case))
            .order_by(Decision.issued_on, Decision.kind, Decision.number))
    kind = request.values.get("kind") or ""
    if kind:
        stmt = stmt.where(Decision.kind == kind)
    stmt = stmt.where(*case_words(request.values.get("q") or ""))
    return stmt


@bp.get("/decisions/")
@login_required
@permission_required("case.view")
def decisions():
    start, end, errors = _period()
    rows = db.session.scalars(_query(start, end).limit(MAX_BATCH)).all()
    return render_template("cases/decisions.html", rows=rows, start=start, end=end,
                           errors=errors, kind=request.values.get("kind") or "",
                           q=request.values.get("q") or ""), (422 if errors else 200)


@bp.route("/decisions/print", methods=["GET", "POST"])
@login_required
@permission_required("case.view")
def print_decisions():
    """POST: the decisions ticked (ids); GET: every decision of the period and filters."""
    if request.method == "POST":
        ids = int_list(request.form, "ids", MAX_BATCH)
        stmt = select(Decision).where(Decision.id.in_(ids)).order_by(
            Decision.issued_on, Decision.kind, Decision.number)
    else:
        start, end, errors = _period()
        if errors:
            abort(400)
        stmt = _query(start, end)
    docs = db.session.scalars(stmt.options(undefer(Decision.pdf)).limit(MAX_BATCH)).all()
    if not docs:
        abort(404, _("No decision to print."))
    writer = PdfWriter()
    for doc in docs:
        writer.append(PdfReader(BytesIO(doc.pdf)))
    out = BytesIO()
    writer.write(out)
    out.seek(0)
    response = send_file(out, mimetype="application/pdf", as_attachment=False,
                         download_name=f"quyet-dinh-{len(docs)}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/decisions/export.csv")
@login_required
@permission_required("case.view")
def export_decisions():
    """The register as filtered, as CSV."""
    start, end, errors = _period()
    if errors:
        abort(400)
    rows = db.session.scalars(_query(start, end).limit(100_000))
    return csv_response("quyet-dinh.csv", [
        _("Number"), _("Date"), _("Document"), _("Case"), _("Subject"), _("Total fine"),
        _("Signed by"), _("Status"), "SHA-256"], (
        [d.full_number, format_date_vn(d.issued_on), label_of(DecisionKind, d.kind),
         d.case.code, d.case.subject_name, d.total_fine if d.kind == DecisionKind.sanction else "",
         d.signer_name, label_of(DecisionStatus, d.status), d.sha256] for d in rows))


@bp.get("/decisions/national-db.<ext>")
@login_required
@permission_required("case.view")
def national_db(ext: str):
    """The period's sanction decisions as the national database's fields (Decree 20/2016),
    as CSV or JSON. A fixed number of queries whatever the number of decisions (the cases,
    their violations, measures and obligations and the payments loaded in one query each,
    `cases.national_db.load_options`)."""
    start, end, errors = _period()
    if errors or ext not in ("csv", "json"):
        abort(400 if errors else 404)
    rows = [ndb.record(d) for d in db.session.scalars(
        _query(start, end).where(Decision.kind == DecisionKind.sanction)
        .options(*ndb.load_options()).limit(100_000))]
    if ext == "json":
        return jsonify({"period": [start.isoformat(), end.isoformat()], "decisions": rows})
    return csv_response("csdl-quoc-gia.csv", ndb.FIELDS, ([r[f] for f in ndb.FIELDS]
                                                            for r in rows))
