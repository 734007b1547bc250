"""Capturing a registry site's page as evidence, from the site's page (no case needed)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from auth.permissions import permission_required
from cases.capture_forms import CaptureForm
from cases.operations import captures
from core.errors import NotAllowed, OperationError
from core.forms import refuse
from core.once import already_done, commit_once, remember
from extensions import db
from registry.models import Site
from registry.views import bp
from registry.views.site_page import site_page


@bp.post("/<int:site_id>/captures")
@login_required
@permission_required("site.capture")
def request_capture(site_id: int):
    site = db.session.get(Site, site_id) or abort(404)
    form = CaptureForm()
    target = url_for("registry.detail", site_id=site.id) + "#captures"
    if form.validate_on_submit():
        if (done := already_done(form)) is not None:
            return done
        try:
            captures.request_capture(current_user, form.url.data, site=site,
                                     note=form.note.data or None)
            remember(form, target)
            if (duplicate := commit_once(form)) is not None:
                return duplicate
            flash(_("The page will be captured in a moment; its state shows below."),
                  "success")
            return redirect(target)
        except NotAllowed:
            db.session.rollback()
            abort(403)
        except OperationError as exc:
            refuse(form, exc, "url")
    return render_template("registry/detail.html", **site_page(site, form)), 422
