"""The enforcement data's page (docs/legal/enforcement.md#data): every text of every section
of the enforcement data with its values, period, status, basis and source, for everyone; an
administrator corrects a text, saying why, and sees its history."""

from __future__ import annotations

from itertools import groupby

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.permissions import permission_required
from catalogue import operations as ops
from catalogue.forms import FACT_LABELS, SECTION_LABELS, fact_form
from catalogue.models import EnforcementFact
from catalogue.views import bp
from core.errors import OperationError
from core.forms import refuse
from core.models import AuditEvent
from extensions import db


@bp.get("/enforcement")
@login_required
@permission_required("catalogue.view")
def enforcement():
    rows = db.session.scalars(select(EnforcementFact).options(
        selectinload(EnforcementFact.updated_by)).order_by(
        EnforcementFact.section, EnforcementFact.effective_from)).all()
    sections = [(name, list(group)) for name, group in groupby(rows, key=lambda r: r.section)]
    return render_template("catalogue/enforcement.html", sections=sections,
                           section_labels=SECTION_LABELS, labels=FACT_LABELS)


@bp.route("/enforcement/<int:fact_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("catalogue.manage")
def enforcement_form(fact_id: int):
    row = db.session.get(EnforcementFact, fact_id) or abort(404)
    initial = {f"v_{name}": value for name, value in row.values.items()}
    form = fact_form(row.values, obj=row, **initial)
    if request.method == "GET":
        form.note.data = ""
    if form.validate_on_submit():
        data = {"basis": (form.basis.data or "").strip(), "values": form.values(),
                "effective_from": form.effective_from.date,
                "effective_to": form.effective_to.date, "status": form.status.data,
                "source": form.source.data, "note": form.note.data}
        try:
            ops.save_enforcement_fact(current_user, row, data)
            db.session.commit()
        except OperationError as exc:
            refuse(form, exc)
        else:
            flash(_("Enforcement data saved."), "success")
            return redirect(url_for("catalogue.enforcement") + f"#fact-{row.id}")
    history = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "EnforcementFact",
        AuditEvent.object_id == str(fact_id)).order_by(AuditEvent.id.desc())).all()
    return render_template("catalogue/enforcement_form.html", form=form, row=row,
                           history=history, section_labels=SECTION_LABELS), (
        422 if request.method == "POST" else 200)
