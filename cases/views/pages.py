"""Dashboard, case list, new case, case page, case edit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, load_only, selectinload
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from auth.models import Role, User
from auth.permissions import permission_required
from cases import operations, tallies
from cases.forms import CaseForm
from cases.models import Case, CaseState, DetectionMethod, SubjectKind
from cases.models.case import OPEN_STATES
from cases.search import case_words
from cases.views import bp
from cases.views.common import get_case, render_case, user_choices
from core.clock import clock
from core.enums import label_of
from core.errors import NotAllowed, OperationError
from core.export import csv_response
from core.forms import conflict_rows, refuse
from core.input import int_arg, to_int
from core.once import already_done, commit_once, remember
from core.pagination import paginate
from extensions import db
from legal.dates import format_date_vn, parse_date_vn
from registry.domains import display_domain, normalize_domain
from registry.models import Site

SORTS = {
    "new": (Case.created_at.desc(), Case.id.desc()),
    "code": (Case.code,),
    "detected": (Case.detected_on.desc(), Case.id.desc()),
    "subject": (Case.subject_key, Case.id),  # Vietnamese order (core.collation)
    "state": (Case.state, Case.code),
}

# What the list shows: the long texts (description, search text) stay in the database.
LIST_COLUMNS = (Case.id, Case.code, Case.subject_name, Case.site_id, Case.detected_on,
                Case.inspector_id, Case.state, Case.created_at, Case.version)


# A search's matches are counted up to this; past it the list says "more than" (cases.search).
SEARCH_COUNT_CAP = 1000

# The list's filter value for every open case (not a state of its own).
OPEN_FILTER = "open"


def _date_arg(name: str, problems: list[str]):
    """The query's date `name` (dd/mm/yyyy), None when empty; a wrong one is noted in
    `problems` and ignored."""
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    try:
        return parse_date_vn(text)
    except ValueError:
        problems.append(_("«%(text)s» is not a date (dd/mm/yyyy); that filter is not applied.",
                          text=text))
        return None


def _case_query():
    """The case list as filtered and sorted by the query string: q (words), state, mine=1
    (the user's own cases) or inspector (a user's id), site (a domain, an address pasted
    from the browser, or the site's id), method (how it was detected), from and to (the
    detection date, dd/mm/yyyy), sort. Returns (statement, the arguments as understood,
    messages about arguments that were not understood)."""
    args = {"q": (request.args.get("q") or "").strip(),
            "state": request.args.get("state") or "",
            "sort": request.args.get("sort") if request.args.get("sort") in SORTS else "new",
            "mine": "1" if request.args.get("mine") == "1" else "",
            "inspector": request.args.get("inspector") or "",
            "site": (request.args.get("site") or "").strip(),
            "method": request.args.get("method") or "",
            "from": (request.args.get("from") or "").strip(),
            "to": (request.args.get("to") or "").strip()}
    problems: list[str] = []
    stmt = select(Case).order_by(*SORTS[args["sort"]])
    stmt = stmt.where(*case_words(args["q"]))
    if args["state"] == OPEN_FILTER:
        stmt = stmt.where(Case.state.in_([s.value for s in OPEN_STATES]))
    elif args["state"] in CaseState.__members__:
        stmt = stmt.where(Case.state == args["state"])
    if args["mine"]:
        stmt = stmt.where(Case.inspector_id == current_user.id)
    elif (inspector_id := to_int(args["inspector"])) is not None:
        stmt = stmt.where(Case.inspector_id == inspector_id)
    if args["method"] in DetectionMethod.__members__:
        stmt = stmt.where(Case.detection_method == args["method"])
    if args["site"]:
        stmt = _site_filter(stmt, args["site"], problems)
    since, until = _date_arg("from", problems), _date_arg("to", problems)
    if since is not None:
        stmt = stmt.where(Case.detected_on >= since)
    if until is not None:
        stmt = stmt.where(Case.detected_on <= until)
    return stmt, {k: v for k, v in args.items() if v}, problems


def _kept_total(args: dict):
    """A select of the list's length from the kept counts when it is filtered by state at
    most (the whole list, the open cases, one state); None when another filter applies."""
    if set(args) - {"state", "sort"}:
        return None
    state = args.get("state")
    if state is None:
        return tallies.cases_in()
    if state == OPEN_FILTER:
        return tallies.cases_in([s.value for s in OPEN_STATES])
    return tallies.cases_in([state]) if state in CaseState.__members__ else None


def _site_filter(stmt, text: str, problems: list[str]):
    if (site_id := to_int(text)) is not None:
        return stmt.where(Case.site_id == site_id)
    try:
        domain = normalize_domain(text)
    except ValueError:
        problems.append(_("«%(text)s» is not a domain name; the site filter is not applied.",
                          text=text))
        return stmt
    return stmt.where(Case.site_id.in_(select(Site.id).where(Site.domain == domain)))


@bp.route("/")
@login_required
@permission_required("case.view")
def index():
    stmt, args, problems = _case_query()
    # a search counts its matches up to SEARCH_COUNT_CAP: its cost stays flat with the table;
    # the whole list, or one state's, takes its total from the kept counts (cases.tallies)
    # the rows' site and inspector joined, what the list shows of them only
    page = paginate(stmt.options(load_only(*LIST_COLUMNS),
                                 joinedload(Case.site).load_only(Site.domain),
                                 joinedload(Case.inspector).load_only(User.full_name)),
                    per_page=25, cap=SEARCH_COUNT_CAP if args.get("q") else None,
                    total=_kept_total(args))
    sort_labels = {"new": _("Newest first"), "code": _("Code"), "detected": _("Detected on"),
                   "subject": _("Subject"), "state": _("State")}
    inspectors = db.session.execute(
        select(User.id, User.full_name).where(User.role.in_([Role.inspector, Role.supervisor]))
        .order_by(User.full_name)).all()
    return render_template("cases/list.html", page=page, args=args, problems=problems,
                           states=list(CaseState), open_filter=OPEN_FILTER,
                           methods=list(DetectionMethod), inspectors=inspectors,
                           sorts=list(SORTS), sort_labels=sort_labels,
                           count_cap=SEARCH_COUNT_CAP)


@bp.route("/export.csv")
@login_required
@permission_required("case.view")
def export_csv():
    """The list as filtered (every page), as CSV for a spreadsheet."""
    stmt = _case_query()[0].options(selectinload(Case.site), selectinload(Case.inspector),
                                    selectinload(Case.violations))
    rows = db.session.scalars(stmt.limit(100_000))
    return csv_response("vu-viec.csv", [
        _("Case"), _("Subject"), _("Subject is"), _("Site"), _("Detected on"),
        _("How it was detected"), _("State"), _("Inspector"), _("Total fine")], (
        [c.code, c.subject_name, label_of(SubjectKind, c.subject_kind),
         display_domain(c.site.domain) if c.site else "", format_date_vn(c.detected_on),
         label_of(DetectionMethod, c.detection_method), label_of(CaseState, c.state),
         c.inspector.full_name, c.total_fine] for c in rows))


def _case_form(obj=None, *, stored: bool = False) -> CaseForm:
    """The case form, filled from `obj`; `stored`: ignore what was posted (show the
    database's values)."""
    form = CaseForm(formdata=None, obj=obj) if stored else CaseForm(obj=obj)
    sites = db.session.scalars(select(Site).order_by(Site.name_key, Site.id)).all()
    form.site_id.choices = [SelectChoice("", _("— not in the registry —"))] + [
        SelectChoice(str(s.id), f"{s.name} ({display_domain(s.domain)})") for s in sites]
    form.supervisor_id.choices = user_choices(Role.supervisor, _("— any supervisor —"))
    if request.method == "GET" and obj is None:
        form.detected_on.data = format_date_vn(clock().today())
        site_id = int_arg(request.args, "site")
        site = db.session.get(Site, site_id) if site_id else None
        if site is not None:  # opened from a registry entry: its operator is the subject
            form.site_id.data = str(site.id)
            form.subject_kind.data = site.operator_kind
            form.subject_name.data = site.operator_name
            form.subject_address.data = site.operator_address
            form.subject_id_number.data = site.operator_tax_id
    if (request.method == "GET" or stored) and obj is not None:
        form.site_id.data = str(obj.site_id or "")
        form.supervisor_id.data = str(obj.supervisor_id or "")
        form.version.data = str(obj.version)
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
@permission_required("case.create")
def new():
    form = _case_form()
    if form.validate_on_submit():
        done = already_done(form)
        if done is not None:
            return done
        try:
            case = operations.open_case(current_user, form.data_for_operation())
            remember(form, url_for("cases.detail", case_id=case.id))
            duplicate = commit_once(form)
            if duplicate is not None:
                return duplicate
        except OperationError as exc:
            refuse(form, exc)
        else:
            flash(_("Case %(code)s opened.", code=case.code), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    status = 422 if request.method == "POST" else 200
    return render_template("cases/form.html", form=form, case=None), status


@bp.route("/<int:case_id>")
@login_required
def detail(case_id: int):
    case = get_case(case_id, page=True)
    return render_case(case)


def _conflict(form: CaseForm, case_id: int):
    """409: someone saved the case since this form was loaded. Show, field by field, what
    is stored now against what the user typed; keep the input; the next save overwrites
    knowingly (the form now carries the current version)."""
    db.session.rollback()
    case = db.session.get(Case, case_id)
    fresh = _case_form(obj=case, stored=True)
    changes = conflict_rows(form, fresh)
    form.version.data = str(case.version)
    return render_template("cases/form.html", form=form, case=case, conflict=changes), 409


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@login_required
def edit(case_id: int):
    case = get_case(case_id)
    if not case.can_edit_violations(current_user):
        abort(403)
    form = _case_form(obj=case)
    if form.validate_on_submit():
        if form.version.data and str(form.version.data) != str(case.version):
            return _conflict(form, case_id)
        try:
            operations.update_case(current_user, case, form.data_for_operation())
            db.session.commit()
        except NotAllowed:
            db.session.rollback()
            abort(403)
        except OperationError as exc:
            refuse(form, exc)
        except StaleDataError:
            return _conflict(form, case_id)
        else:
            flash(_("Case updated."), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    status = 422 if request.method == "POST" else 200
    return render_template("cases/form.html", form=form, case=case), status
