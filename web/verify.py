"""The "Verify a document" page: upload a PDF, learn whether the agency issued it (its SHA-256
in the register of issued documents), who signed it, when, and whether it is intact
(`core.documents.check`; docs/legal/documents.md#digital-signatures).

Open to every signed-in user: an inspector checks a decision a violator sends back, a
supervisor a report. Nothing is stored: the file is read, checked and forgotten.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf.file import FileField

from core.documents import check, signing_configured
from core.forms import BaseForm, required, upload_limit

bp = Blueprint("documents", __name__, url_prefix="/documents")


class VerifyForm(BaseForm):
    file = FileField(_l("PDF file"), validators=[required(), upload_limit()])


@bp.route("/verify", methods=["GET", "POST"])
@login_required
def verify():
    """GET: the upload form. POST: the answer for the uploaded PDF (200), or the form with
    its error (422). Never writes."""
    form = VerifyForm()
    result = None
    if form.validate_on_submit():
        result = check(form.file.data.read())
    status = 422 if request.method == "POST" and result is None else 200
    return render_template("verify.html", form=form, result=result,
                           signing_on=signing_configured()), status
