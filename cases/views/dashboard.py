"""The dashboard: what is due, per role."""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Date, String, cast, func, literal, null, select, union_all
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from auth.models import Role
from cases.models import (
    Case,
    CaseDayCount,
    CaseState,
    CaseStateCount,
    CoordinationRequest,
    Decision,
    DecisionKind,
    DecisionStatus,
    Violation,
)
from cases.models.case import OPEN_STATES
from cases.views import bp
from core.cache import MAX_AGE_SECONDS, cached
from core.clock import clock
from core.enums import label_of
from core.pagination import paginate
from deadlines.models import Deadline, DeadlineState, still_due
from extensions import db
from legal.catalogue import short_citation
from registry.models import RegistryStatus, Site

AHEAD_DAYS = 7
DASHBOARD_ROWS = 10  # rows per list on the dashboard; the rest behind a link


def chart_citation(clause_id: str) -> str:
    """A clause as a chart labels it: the point-level citation without "Nghị định số"
    ("khoản 3 Điều 63 174/2013/NĐ-CP"), never the internal id."""
    return short_citation(clause_id).replace("Nghị định số ", "")


def _department(today: date) -> dict:
    """The department's figures as plain numbers (no label: they are shown in the reader's
    language): sites by registry status, cases detected per month over the last six months,
    fines decided this year by clause (VND), the current month's figures, open cases by
    state. The same for every supervisor and administrator: cached (`core.cache`). The case
    counts come from the counts kept beside the cases (`cases.tallies`): 4 queries, none of
    which reads the cases table."""
    sites = dict(db.session.execute(
        select(Site.status, func.count()).group_by(Site.status)).all())
    months = []
    year, month = today.year, today.month
    for _month in range(6):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    first = date(*months[-1], 1)
    start = today.replace(day=1)
    # the kept counts (cases.tallies), in one query: a row per day since the first charted
    # month and a row per open state, whatever the number of cases
    counts, opened, closed, by_state = {}, 0, 0, {}
    days = select(cast(null(), String(30)).label("state"), CaseDayCount.day,
                  CaseDayCount.detected.label("n"), CaseDayCount.closed).where(
        CaseDayCount.day >= first)
    states = select(CaseStateCount.state, cast(null(), Date), CaseStateCount.n,
                    literal(0)).where(
        CaseStateCount.state.in_([s.value for s in OPEN_STATES]), CaseStateCount.n > 0)
    for state, day, n, closed_then in db.session.execute(union_all(days, states)).all():
        if state is not None:
            by_state[state] = n
            continue
        counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + n
        if start <= day <= today:
            opened, closed = opened + n, closed + closed_then
    fines = db.session.execute(
        select(Violation.clause_id, func.coalesce(func.sum(Violation.fine_amount), 0))
        .join(Decision, Decision.case_id == Violation.case_id)
        .where(Decision.kind == DecisionKind.sanction, Decision.status == DecisionStatus.issued,
               Decision.issued_on >= date(today.year, 1, 1))
        .group_by(Violation.clause_id).order_by(Violation.clause_id)).all()
    issued = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Decision.total_fine), 0))
        .where(Decision.kind == DecisionKind.sanction, Decision.status == DecisionStatus.issued,
               Decision.issued_on >= start, Decision.issued_on <= today)).one()
    return {
        "sites": sorted(sites.items()),
        "per_month": [(f"{m:02d}/{y}", counts.get((y, m), 0)) for y, m in reversed(months)],
        "fines": [(c, int(v)) for c, v in fines],
        "month": {"start": start, "opened": opened, "decisions": issued[0],
                  "fines": int(issued[1]), "closed": closed},
        "by_state": by_state,
    }


def _charts(figures: dict) -> list[tuple[str, list[tuple[str, int]], str]]:
    """(title, [(label, value)], unit) for the dashboard's bar charts: sites by status,
    cases detected per month (last six months), fines by clause (this year, VND)."""
    return [
        (_("Sites by registry status"),
         [(label_of(RegistryStatus, s), n) for s, n in figures["sites"]], ""),
        (_("Cases detected per month"), figures["per_month"], ""),
        (_("Fines decided this year by clause"),
         [(chart_citation(c), v) for c, v in figures["fines"]], "đ"),
    ]


def _first_rows(entity, ids, order: tuple, load) -> tuple[list, int]:
    """(the first DASHBOARD_ROWS rows, how many there are in all), in one query. `ids`
    selects the rows' id labelled "key" with their filters and joins, `order` orders them;
    `load` is the select of `entity` with its loader options. The rows are counted and
    ordered on their keys alone, which an index answers without reading the table
    (ix_cases_proposals, ix_deadlines_open_due, ix_cases_id_state); only the rows shown are
    read whole."""
    first = (ids.add_columns(func.row_number().over(order_by=order).label("pos"),
                             func.count().over().label("total"))
             .order_by(*order).limit(DASHBOARD_ROWS).subquery())
    rows = db.session.execute(load.join(first, entity.id == first.c.key)
                              .add_columns(first.c.total).order_by(first.c.pos)).all()
    return [r[0] for r in rows], (rows[0][1] if rows else 0)


def _open_deadlines(stmt, mine: bool):
    """`stmt` (a select from deadlines) narrowed to the open deadlines of open cases; an
    inspector's own only when `mine`."""
    stmt = stmt.join(Case, Deadline.case_id == Case.id).where(
        Deadline.state == DeadlineState.open, Case.state.in_([s.value for s in OPEN_STATES]))
    return stmt.where(Case.inspector_id == current_user.id) if mine else stmt


def _deadline_query(mine: bool):
    """Open deadlines of open cases, earliest first; an inspector's own only when `mine`."""
    return (_open_deadlines(select(Deadline), mine)
            .options(contains_eager(Deadline.case), joinedload(Deadline.coordination_request))
            .order_by(Deadline.due_on, Deadline.id))


def _when(stmt, when: str, today: date):
    stmt = stmt.where(still_due(today))  # a violator's window that passed is not overdue
    if when == "overdue":
        return stmt.where(Deadline.due_on < today)
    if when == "upcoming":
        return stmt.where(Deadline.due_on >= today,
                          Deadline.due_on <= today + timedelta(days=AHEAD_DAYS))
    return stmt


@bp.route("/dashboard")
@login_required
def dashboard():
    """Per role: what is overdue and due soon (the first DASHBOARD_ROWS of each, with the
    full count and a link to the deadline list), the approval queue, awaited coordination
    responses, the enforcement queue, open cases; for supervisors and administrators the
    month's figures and charts.
    The number of queries does not depend on the number of cases."""
    today = clock().today()
    open_states = [s.value for s in OPEN_STATES]
    mine = current_user.role == Role.inspector
    cases_q = (select(Case).where(Case.state.in_(open_states))
               .options(joinedload(Case.site)).order_by(Case.updated_at.desc()))
    if mine:
        cases_q = cases_q.where(Case.inspector_id == current_user.id)
        by_state = dict(db.session.execute(
            select(Case.state, func.count())
            .where(Case.state.in_(open_states), Case.inspector_id == current_user.id)
            .group_by(Case.state)).all())
        figures = computed_at = None
    else:  # the department's: the same for every supervisor and administrator
        figures, computed_at = cached(("dashboard", today), lambda: _department(today))
        by_state = figures["by_state"]
    approvals, approvals_total = [], 0
    if current_user.role == Role.supervisor:
        approvals, approvals_total = _first_rows(
            Case, select(Case.id.label("key")).where(
                Case.state == CaseState.sanction_proposed,
                (Case.supervisor_id.is_(None)) | (Case.supervisor_id == current_user.id)),
            (Case.proposed_at, Case.id),
            # the fines (total_fine) from the violations; their measures are not shown
            select(Case).options(joinedload(Case.proposer), selectinload(Case.violations)
                                 .lazyload(Violation.measures)))
    # proposals a supervisor returned, waiting for their inspector (whoever is signed in)
    returned, returned_total = _first_rows(
        Case, select(Case.id.label("key")).where(Case.inspector_id == current_user.id,
                                                 Case.state == CaseState.record_made,
                                                 Case.return_reason.is_not(None)),
        (Case.updated_at.desc(), Case.id.desc()), select(Case))
    # the enforcement queue: cases past their time to comply (docs/legal/enforcement.md)
    enforcement_ids = select(Case.id.label("key")).where(Case.state == CaseState.enforcement)
    if mine:
        enforcement_ids = enforcement_ids.where(Case.inspector_id == current_user.id)
    enforcement, enforcement_total = _first_rows(
        Case, enforcement_ids, (Case.updated_at, Case.id),
        select(Case).options(selectinload(Case.decisions)))
    deadlines_load = (select(Deadline).join(Case, Deadline.case_id == Case.id)
                      .options(contains_eager(Deadline.case),
                               joinedload(Deadline.coordination_request)))
    overdue, overdue_total = _first_rows(
        Deadline, _when(_open_deadlines(select(Deadline.id.label("key")), mine), "overdue",
                        today), (Deadline.due_on, Deadline.id), deadlines_load)
    upcoming, upcoming_total = _first_rows(
        Deadline, _when(_open_deadlines(select(Deadline.id.label("key")), mine), "upcoming",
                        today), (Deadline.due_on, Deadline.id), deadlines_load)
    waiting_ids = (select(CoordinationRequest.id.label("key")).join(Case)
                   .where(CoordinationRequest.response_received_on.is_(None),
                          Case.state.in_(open_states)))
    if mine:
        waiting_ids = waiting_ids.where(Case.inspector_id == current_user.id)
    waiting, waiting_total = _first_rows(
        CoordinationRequest, waiting_ids,
        (CoordinationRequest.response_due_on, CoordinationRequest.id),
        select(CoordinationRequest).join(Case).options(contains_eager(CoordinationRequest.case)))
    return render_template(
        "cases/dashboard.html", approvals=approvals, approvals_total=approvals_total,
        returned=returned, returned_total=returned_total,
        enforcement=enforcement, enforcement_total=enforcement_total,
        overdue=overdue, overdue_total=overdue_total,
        upcoming=upcoming, upcoming_total=upcoming_total,
        cases=db.session.scalars(cases_q.limit(DASHBOARD_ROWS)).all(),
        waiting=waiting, waiting_total=waiting_total, mine=mine,
        by_state=[(s.value, by_state[s.value]) for s in CaseState if by_state.get(s.value)],
        figures=figures and figures["month"], ahead=AHEAD_DAYS,
        charts=figures and _charts(figures), figures_at=computed_at,
        figures_max_age=MAX_AGE_SECONDS // 60)


DEADLINE_VIEWS = ("overdue", "upcoming", "open")


@bp.get("/deadlines")
@login_required
def deadlines():
    """Every open deadline of open cases, paginated: `when` is overdue, upcoming (the next
    AHEAD_DAYS calendar days) or open (all); inspectors see their own unless `all=1`."""
    today = clock().today()
    when = request.args.get("when") if request.args.get("when") in DEADLINE_VIEWS else "open"
    mine = current_user.role == Role.inspector and request.args.get("all") != "1"
    page = paginate(_when(_deadline_query(mine), when, today), per_page=50)
    return render_template("cases/deadlines.html", page=page, when=when, mine=mine,
                           views=DEADLINE_VIEWS, ahead=AHEAD_DAYS,
                           inspector=current_user.role == Role.inspector)
