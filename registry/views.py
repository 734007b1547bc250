"""Registry pages: list with search and filters, site page, add and edit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from auth.permissions import permission_required
from core.errors import OperationError
from core.export import csv_response
from core.labels import label
from core.once import already_done, commit_once, remember
from extensions import db
from legal.dates import format_date_vn
from legal.text import fold
from registry import operations
from registry.forms import SiteForm
from registry.models import RegistryStatus, Site, SiteKind

bp = Blueprint("registry", __name__, url_prefix="/sites")


SORTS = {"name": (Site.name,), "domain": (Site.domain,),
         "expiry": (Site.licence_expires_on.is_(None), Site.licence_expires_on, Site.name),
         "district": (Site.district, Site.name)}


def _site_query():
    q = (request.args.get("q") or "").strip()
    kind = request.args.get("kind") or ""
    status = request.args.get("status") or ""
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "name"
    stmt = select(Site).order_by(*SORTS[sort])
    for term in fold(q).split():
        stmt = stmt.where(Site.search_text.contains(term, autoescape=True))
    if kind in SiteKind.__members__:
        stmt = stmt.where(Site.kind == kind)
    if status in RegistryStatus.__members__:
        stmt = stmt.where(Site.status == status)
    return stmt, {"q": q, "kind": kind, "status": status, "sort": sort}


@bp.route("/")
@login_required
@permission_required("site.view")
def index():
    stmt, args = _site_query()
    page = db.paginate(stmt, per_page=25, error_out=False)
    sort_labels = {"name": _("Name"), "domain": _("Domain"), "expiry": _("Licence expiry"),
                   "district": _("District")}
    return render_template("registry/list.html", page=page, kinds=list(SiteKind),
                           statuses=list(RegistryStatus), sort_labels=sort_labels, **args)


@bp.route("/export.csv")
@login_required
@permission_required("site.view")
def export_csv():
    """The registry as filtered, as CSV."""
    stmt, _args = _site_query()
    return csv_response("danh-muc-trang.csv", [
        _("Name"), _("Domain"), _("Kind"), _("Registry status"), _("Operator"),
        _("Tax or ID number"), _("Licence number"), _("Licence issued by"),
        _("Licence issued on"), _("Licence expires on"), _("District")], (
        [s.name, s.domain, label("site_kind", s.kind), label("registry_status", s.status),
         s.operator_name, s.operator_tax_id, s.licence_number, s.licence_issuer,
         format_date_vn(s.licence_issued_on) if s.licence_issued_on else "",
         format_date_vn(s.licence_expires_on) if s.licence_expires_on else "", s.district]
        for s in db.session.scalars(stmt.limit(100_000))))


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
