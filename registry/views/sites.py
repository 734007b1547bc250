"""Registry pages: list with search and filters, site page, add and edit."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from auth.models import User
from auth.permissions import permission_required
from core import search
from core.clock import clock, to_local
from core.collation import sorted_vi
from core.errors import OperationError
from core.export import csv_response
from core.forms import conflict_rows, refuse
from core.once import already_done, commit_once, remember
from core.pagination import paginate
from extensions import db
from legal.dates import format_date_vn
from registry import importer, operations
from registry.domains import normalize_domain
from registry.forms import ConfirmForm, ImportForm, SiteForm
from registry.models import (
    EXPIRING_DAYS,
    ImportBatch,
    Reachability,
    RegistryStatus,
    Site,
    SiteCheck,
    SiteKind,
)
from registry.spreadsheet import COLUMN_NAMES, EXPORT_HEADERS, HEADERS, row_values, xlsx_bytes
from registry.views import bp
from registry.views.site_page import site_page
from web.batches import own_batch

# names sort in Vietnamese alphabetical order (core.collation), ties by id
SORTS = {"name": (Site.name_key, Site.id), "domain": (Site.domain,),
         "expiry": (Site.licence_expires_on.is_(None), Site.licence_expires_on, Site.name_key,
                    Site.id),
         "district": (Site.district_key.is_(None), Site.district_key, Site.name_key, Site.id)}


def _domain_query(q: str) -> str | None:
    """The stored form of a search that is one domain name or pasted address
    (``www.ketnoitre.vn``, ``https://ketnoitre.vn/``, ``báo.vn`` → its punycode), else None."""
    q = q.strip()
    if not q or " " in q or "." not in q:
        return None
    try:
        return normalize_domain(q)
    except ValueError:
        return None


def _site_query():
    q = (request.args.get("q") or "").strip()
    kind = request.args.get("kind") or ""
    status = request.args.get("status") or ""
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "name"
    stmt = select(Site).order_by(*SORTS[sort])
    words = search.words(Site, q)  # on the search index (core.search)
    domain = _domain_query(q)
    if domain:  # a pasted address, "www." or an IDN ("báo.vn" is stored as xn--bo-mia.vn)
        stmt = stmt.where(or_(Site.domain == domain, and_(*words)))
    elif len(q.split()) == 1:  # one word may be the operator's tax or ID number
        stmt = stmt.where(or_(Site.operator_tax_id == q, and_(*words)))
    elif words:
        stmt = stmt.where(*words)
    if kind in SiteKind.__members__:
        stmt = stmt.where(Site.kind == kind)
    if status in RegistryStatus.__members__:
        stmt = stmt.where(Site.status == status)
    district = (request.args.get("district") or "").strip()
    if district:
        stmt = stmt.where(Site.district == district)
    licence = request.args.get("licence") or ""
    today = clock().today()
    if licence == "expiring":  # expired, or expiring within 60 days
        stmt = stmt.where(Site.licence_expires_on.is_not(None),
                          Site.licence_expires_on <= today + timedelta(days=EXPIRING_DAYS))
    elif licence == "not_launched":  # licensed over 90 days ago and not launched
        stmt = stmt.where(Site.status == RegistryStatus.licensed, Site.launched_on.is_(None),
                          Site.licence_issued_on < today - timedelta(days=90))
    online = request.args.get("online") or ""
    if online in Reachability.__members__:  # the latest registry check (docs/evidence.md)
        stmt = stmt.where(Site.id.in_(select(SiteCheck.site_id)
                                      .where(SiteCheck.state == online)))
    elif online == "unchecked":
        stmt = stmt.where(Site.id.not_in(select(SiteCheck.site_id)))
    else:
        online = ""
    return stmt, {"q": q, "kind": kind, "status": status, "sort": sort, "district": district,
                  "licence": licence, "online": online}


@bp.route("/")
@login_required
@permission_required("site.view")
def index():
    stmt, args = _site_query()
    page = paginate(stmt.options(selectinload(Site.check)), per_page=25)
    sort_labels = {"name": _("Name"), "domain": _("Domain"), "expiry": _("Licence expiry"),
                   "district": _("District")}
    districts = sorted_vi(db.session.scalars(select(Site.district).where(
        Site.district.is_not(None)).distinct()))
    return render_template("registry/list.html", page=page, kinds=list(SiteKind),
                           statuses=list(RegistryStatus), sort_labels=sort_labels,
                           districts=districts, **args)


@bp.route("/export.csv")
@login_required
@permission_required("site.view")
def export_csv():
    """The registry as filtered, as CSV."""
    stmt, _args = _site_query()
    return csv_response("danh-muc-trang.csv", EXPORT_HEADERS,
                        (row_values(s) for s in db.session.scalars(
                            stmt.options(selectinload(Site.inspector)).limit(100_000))))


@bp.route("/<int:site_id>")
@login_required
@permission_required("site.view")
def detail(site_id: int):
    site = db.session.get(Site, site_id) or abort(404)
    return render_template("registry/detail.html", **site_page(site))


def _site_form(obj=None) -> SiteForm:
    form = SiteForm(obj=obj)
    inspectors = db.session.scalars(select(User).where(
        User.active.is_(True), User.role.in_(["inspector", "supervisor"]))
        .order_by(User.name_key, User.id)).all()
    form.inspector_id.choices = [SelectChoice("", _("— nobody —"))] + [
        SelectChoice(str(u.id), u.full_name) for u in inspectors]
    if request.method == "GET" and obj is not None:
        form.inspector_id.data = str(obj.inspector_id or "")
        form.hosted_in_vietnam.data = {True: "yes", False: "no"}.get(obj.hosted_in_vietnam, "")
    return form


def _save(form: SiteForm, site: Site | None):
    """(saved site or a redirect, the site a duplicate domain belongs to)."""
    if site is None and (done := already_done(form)) is not None:
        return done, None
    try:
        if site is None:
            site = operations.create_site(current_user, form.data_for_operation(),
                                          form.status_reason.data or None)
            remember(form, url_for("registry.detail", site_id=site.id))
            duplicate = commit_once(form)
            if duplicate is not None:
                return duplicate, None
        else:
            operations.update_site(current_user, site, form.data_for_operation(),
                                   form.status_reason.data or None)
            db.session.commit()
    except OperationError as exc:
        refuse(form, exc)
        return None, getattr(exc, "site", None)
    return site, None


@bp.route("/new", methods=["GET", "POST"])
@login_required
@permission_required("site.edit")
def new():
    form = _site_form()
    duplicate_of = None
    if form.validate_on_submit():
        site, duplicate_of = _save(form, None)
        if site is not None and not isinstance(site, Site):
            return site  # the redirect of an earlier submission of this form
        if site is not None:
            flash(_("Site added to the registry."), "success")
            return redirect(url_for("registry.detail", site_id=site.id))
    return render_template("registry/form.html", form=form, site=None,
                           duplicate_of=duplicate_of), (422 if request.method == "POST" else 200)


def _conflict(form: SiteForm, site_id: int):
    """409: someone saved the entry since this form was loaded. Show, field by field, what
    is stored now against what the user typed; keep the input; the next save overwrites
    knowingly (the form now carries the current version)."""
    db.session.rollback()
    site = db.session.get(Site, site_id)
    fresh = _site_form(obj=site)
    fresh.process(formdata=None, obj=site)
    fresh.inspector_id.data = str(site.inspector_id or "")
    fresh.hosted_in_vietnam.data = {True: "yes", False: "no"}.get(site.hosted_in_vietnam, "")
    changes = conflict_rows(form, fresh, skip=("status_reason",))
    form.version.data = str(site.version)
    return render_template("registry/form.html", form=form, site=site, duplicate_of=None,
                           conflict=changes), 409


@bp.route("/<int:site_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("site.edit")
def edit(site_id: int):
    site = db.session.get(Site, site_id) or abort(404)
    form = _site_form(obj=site)
    duplicate_of = None
    if form.validate_on_submit():
        if form.version.data and str(form.version.data) != str(site.version):
            return _conflict(form, site_id)
        try:
            saved, duplicate_of = _save(form, site)
        except StaleDataError:
            return _conflict(form, site_id)
        if saved is not None:
            flash(_("Registry entry updated."), "success")
            return redirect(url_for("registry.detail", site_id=site.id))
        site = db.session.get(Site, site_id)
    return render_template("registry/form.html", form=form, site=site,
                           duplicate_of=duplicate_of), (422 if request.method == "POST" else 200)


@bp.route("/export.xlsx")
@login_required
@permission_required("site.view")
def export_xlsx():
    """The registry as filtered, as an Excel workbook: the import's columns, then every other
    column of the registry (the import skips them); dates stored as dates."""
    stmt, _args = _site_query()
    data = xlsx_bytes("Danh mục trang", EXPORT_HEADERS, (
        row_values(s, dates=True) for s in db.session.scalars(
            stmt.options(selectinload(Site.inspector)).limit(100_000))))
    response = send_file(BytesIO(data), as_attachment=True, download_name="danh-muc-trang.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument."
                                  "spreadsheetml.sheet")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/import", methods=["GET", "POST"])
@login_required
@permission_required("site.edit")
def import_form():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = importer.preview(current_user, upload.filename or "tep", upload.read())
            db.session.commit()
        except OperationError as exc:
            refuse(form, exc, field="file")
        else:
            return redirect(url_for("registry.import_preview", token=batch.token))
    return render_template("registry/import.html", form=form,
                           headers=HEADERS), (422 if request.method == "POST" else 200)


def _local(moment) -> str:
    local = to_local(moment)
    return f"{format_date_vn(local.date())} {local:%H:%M}"


def _batch(token: str) -> ImportBatch:
    return own_batch(ImportBatch, token)


@bp.route("/import/<token>", methods=["GET", "POST"])
@login_required
@permission_required("site.edit")
def import_preview(token: str):
    batch = _batch(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            counts, now = importer.apply(current_user, batch)
            db.session.commit()
        except OperationError as exc:
            refuse(None, exc)
            batch = _batch(token)
        else:
            if now:
                flash(_("Imported: %(new)d new, %(update)d updated, %(unchanged)d unchanged, "
                        "%(error)d rows with errors skipped.", **counts), "success")
            else:  # a second click: the first one's result
                flash(_("This file was already imported (%(when)s): %(new)d new, %(update)d "
                        "updated, %(unchanged)d unchanged, %(error)d rows with errors "
                        "skipped.", when=_local(batch.applied_at), **counts),
                      "info")
            return redirect(url_for("registry.index"))
    groups: dict[str, list[dict]] = {k: [] for k in ("error", "update", "new", "unchanged")}
    for row in batch.rows:
        groups[row["outcome"]].append(row)
    counts = {k: len(rows) for k, rows in groups.items()}
    return render_template("registry/import_preview.html", batch=batch, counts=counts,
                           groups=groups, form=form, column_names=COLUMN_NAMES)
