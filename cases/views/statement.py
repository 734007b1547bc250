"""Importing a Treasury or bank statement of fine payments: upload, preview, confirm
(docs/legal/enforcement.md#statement-import)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from auth.permissions import permission_required
from cases.models import StatementBatch, StatementOutcome
from cases.operations import statement
from cases.views import bp
from core.errors import OperationError
from core.forms import refuse
from extensions import db
from registry.forms import ConfirmForm, ImportForm
from web.batches import own_batch


@bp.route("/payments/import", methods=["GET", "POST"])
@login_required
@permission_required("decision.issue")
def statement_form():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = statement.preview(current_user, upload.filename or "sao-ke", upload.read())
            db.session.commit()
        except OperationError as exc:
            refuse(form, exc, field="file")
        else:
            return redirect(url_for("cases.statement_preview", token=batch.token))
    headers = [vi for _f, vi, _o in statement.COLUMNS]
    return render_template("cases/statement.html", form=form, headers=headers), (
        422 if request.method == "POST" else 200)


def _batch(token: str) -> StatementBatch:
    return own_batch(StatementBatch, token)


@bp.route("/payments/import/<token>", methods=["GET", "POST"])
@login_required
@permission_required("decision.issue")
def statement_preview(token: str):
    batch = _batch(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            recorded, now = statement.apply(current_user, batch)
            db.session.commit()
        except OperationError as exc:
            refuse(None, exc)
            batch = _batch(token)
        else:
            if now:
                flash(_("%(n)d payments recorded.", n=recorded), "success")
            else:
                flash(_("This statement was already imported: %(n)d payments.", n=recorded),
                      "info")
            return redirect(url_for("cases.decisions"))
    counts = {o: sum(1 for r in batch.rows if r["outcome"] == o) for o in StatementOutcome}
    return render_template("cases/statement_preview.html", batch=batch, counts=counts,
                           form=form, recorded=statement.RECORDED)
