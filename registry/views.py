"""Registry pages: list with search and filters, site page, add and edit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from auth.permissions import permission_required
from core.errors import OperationError
from core.once import already_done, commit_once, remember
from extensions import db
from legal.text import fold
from registry import operations
from registry.forms import SiteForm
from registry.models import RegistryStatus, Site, SiteKind

bp = Blueprint("registry", __name__, url_prefix="/sites")


@bp.route("/")
@login_required
@permission_required("site.view")
def index():
    q = (request.args.get("q") or "").strip()
    kind = request.args.get("kind") or ""
    status = request.args.get("status") or ""
    stmt = select(Site).order_by(Site.name)
    for term in fold(q).split():
        stmt = stmt.where(Site.search_text.contains(term, autoescape=True))
    if kind in SiteKind.__members__:
        stmt = stmt.where(Site.kind == kind)
    if status in RegistryStatus.__members__:
        stmt = stmt.where(Site.status == status)
    page = db.paginate(stmt, per_page=25, error_out=False)
    return render_template("registry/list.html", page=page, q=q, kind=kind, status=status,
                           kinds=list(SiteKind), statuses=list(RegistryStatus))


@bp.route("/<int:site_id>")
@login_required
@permission_required("site.view")
def detail(site_id: int):
    site = db.session.get(Site, site_id) or abort(404)
    return render_template("registry/detail.html", site=site)


def _save(form: SiteForm, site: Site | None):
    if site is None and (done := already_done(form)) is not None:
        return done
    try:
        if site is None:
            site = operations.create_site(current_user, form.data_for_operation())
            remember(form, url_for("registry.detail", site_id=site.id))
            duplicate = commit_once(form)
            if duplicate is not None:
                return duplicate
        else:
            operations.update_site(current_user, site, form.data_for_operation())
            db.session.commit()
    except OperationError as exc:
        db.session.rollback()
        target = form[exc.field] if exc.field in form._fields else None
        if target is not None:
            target.errors = list(target.errors) + [exc.message]
        else:
            flash(exc.message, "error")
        return None
    return site


@bp.route("/new", methods=["GET", "POST"])
@login_required
@permission_required("site.edit")
def new():
    form = SiteForm()
    if form.validate_on_submit():
        site = _save(form, None)
        if site is not None and not isinstance(site, Site):
            return site  # the redirect of an earlier submission of this form
        if site is not None:
            flash(_("Site added to the registry."), "success")
            return redirect(url_for("registry.detail", site_id=site.id))
    return render_template("registry/form.html", form=form, site=None), (
        422 if request.method == "POST" else 200)


@bp.route("/<int:site_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("site.edit")
def edit(site_id: int):
    site = db.session.get(Site, site_id) or abort(404)
    form = SiteForm(obj=site)
    if form.validate_on_submit():
        if _save(form, site) is not None:
            flash(_("Registry entry updated."), "success")
            return redirect(url_for("registry.detail", site_id=site.id))
    return render_template("registry/form.html", form=form, site=site), (
        422 if request.method == "POST" else 200)
