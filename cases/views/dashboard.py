"""The dashboard: what is due, per role."""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import extract, func, select
from sqlalchemy.orm import selectinload

from auth.models import Role
from cases.models import (
    Case,
    CaseState,
    CoordinationRequest,
    Decision,
    DecisionKind,
    DecisionStatus,
    Violation,
)
from cases.models.case import OPEN_STATES
from cases.views import bp
from core.clock import clock
from core.enums import label_of
from core.pagination import paginate
from deadlines.models import Deadline, DeadlineState
from extensions import db
from registry.models import RegistryStatus, Site

AHEAD_DAYS = 7
DASHBOARD_ROWS = 10  # rows per list on the dashboard; the rest behind a link


def _charts(today: date) -> list[tuple[str, list[tuple[str, int]], str]]:
    """(title, [(label, value)], unit) for the dashboard's bar charts: sites by status,
    cases detected per month (last six months), fines by clause (this year, VND)."""
    sites = dict(db.session.execute(
        select(Site.status, func.count()).group_by(Site.status)).all())
    months = []
    year, month = today.year, today.month
    for _month in range(6):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    first = date(*months[-1], 1)
    year_of, month_of = extract("year", Case.detected_on), extract("month", Case.detected_on)
    counts = {(int(y), int(m)): n for y, m, n in db.session.execute(
        select(year_of, month_of, func.count()).where(Case.detected_on >= first)
        .group_by(year_of, month_of)).all()}
    per_month = [(f"{m:02d}/{y}", counts.get((y, m), 0)) for y, m in reversed(months)]
    fines = db.session.execute(
        select(Violation.clause_id, func.coalesce(func.sum(Violation.fine_amount), 0))
        .join(Decision, Decision.case_id == Violation.case_id)
        .where(Decision.kind == DecisionKind.sanction, Decision.status == DecisionStatus.issued,
               Decision.issued_on >= date(today.year, 1, 1))
        .group_by(Violation.clause_id).order_by(Violation.clause_id)).all()
    return [
        (_("Sites by registry status"),
         [(label_of(RegistryStatus, s), n) for s, n in sorted(sites.items())], ""),
        (_("Cases detected per month"), per_month, ""),
        (_("Fines decided this year by clause"), [(c, int(v)) for c, v in fines], "đ"),
    ]


def _month_figures(today: date) -> dict:
    """Figures of the current month for the department."""
    start = today.replace(day=1)
    opened = db.session.scalar(select(func.count()).select_from(Case).where(
        Case.detected_on >= start, Case.detected_on <= today))
    issued = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Decision.total_fine), 0))
        .where(Decision.kind == DecisionKind.sanction, Decision.status == DecisionStatus.issued,
               Decision.issued_on >= start, Decision.issued_on <= today)).one()
    closed = db.session.scalar(select(func.count()).select_from(Case).where(
        Case.closed_on >= start, Case.closed_on <= today))
    return {"start": start, "opened": opened, "decisions": issued[0], "fines": issued[1],
            "closed": closed}


def _deadline_query(mine: bool):
    """Open deadlines of open cases, earliest first; an inspector's own only when `mine`."""
    stmt = (select(Deadline).join(Case)
            .where(Deadline.state == DeadlineState.open,
                   Case.state.in_([s.value for s in OPEN_STATES]))
            .options(selectinload(Deadline.case), selectinload(Deadline.coordination_request))
            .order_by(Deadline.due_on, Deadline.id))
    return stmt.where(Case.inspector_id == current_user.id) if mine else stmt


def _when(stmt, when: str, today: date):
    if when == "overdue":
        return stmt.where(Deadline.due_on < today)
    if when == "upcoming":
        return stmt.where(Deadline.due_on >= today,
                          Deadline.due_on <= today + timedelta(days=AHEAD_DAYS))
    return stmt


def _count(stmt) -> int:
    """Rows `stmt` would return (its order and eager loads dropped)."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


@bp.route("/dashboard")
@login_required
def dashboard():
    """Per role: what is overdue and due soon (the first DASHBOARD_ROWS of each, with the
    full count and a link to the deadline list), the approval queue, awaited coordination
    responses, open cases; for supervisors and administrators the month's figures and charts.
    The number of queries does not depend on the number of cases."""
    today = clock().today()
    open_states = [s.value for s in OPEN_STATES]
    mine = current_user.role == Role.inspector
    deadline_q = _deadline_query(mine)
    cases_q = (select(Case).where(Case.state.in_(open_states))
               .options(selectinload(Case.site)).order_by(Case.updated_at.desc()))
    waiting_q = (select(CoordinationRequest).join(Case)
                 .where(CoordinationRequest.response_received_on.is_(None),
                        Case.state.in_(open_states))
                 .options(selectinload(CoordinationRequest.case))
                 .order_by(CoordinationRequest.response_due_on))
    by_state_q = (select(Case.state, func.count()).where(Case.state.in_(open_states))
                  .group_by(Case.state))
    if mine:
        cases_q = cases_q.where(Case.inspector_id == current_user.id)
        waiting_q = waiting_q.where(Case.inspector_id == current_user.id)
        by_state_q = by_state_q.where(Case.inspector_id == current_user.id)
    overdue_q, upcoming_q = (_when(deadline_q, w, today) for w in ("overdue", "upcoming"))
    approvals, approvals_total = [], 0
    if current_user.role == Role.supervisor:
        approvals_q = (select(Case).where(Case.state == CaseState.sanction_proposed,
                                          (Case.supervisor_id.is_(None))
                                          | (Case.supervisor_id == current_user.id)))
        approvals_total = _count(approvals_q)
        approvals = db.session.scalars(
            approvals_q.options(selectinload(Case.proposer), selectinload(Case.violations))
            .order_by(Case.proposed_at, Case.id).limit(DASHBOARD_ROWS)).all()
    # proposals a supervisor returned, waiting for their inspector (whoever is signed in)
    returned_q = (select(Case).where(Case.inspector_id == current_user.id,
                                     Case.state == CaseState.record_made,
                                     Case.return_reason.is_not(None))
                  .order_by(Case.updated_at.desc(), Case.id.desc()))
    returned = db.session.scalars(returned_q.limit(DASHBOARD_ROWS)).all()
    by_state = dict(db.session.execute(by_state_q).all())
    return render_template(
        "cases/dashboard.html", approvals=approvals, approvals_total=approvals_total,
        returned=returned,
        returned_total=_count(returned_q),
        overdue=db.session.scalars(overdue_q.limit(DASHBOARD_ROWS)).all(),
        overdue_total=_count(overdue_q),
        upcoming=db.session.scalars(upcoming_q.limit(DASHBOARD_ROWS)).all(),
        upcoming_total=_count(upcoming_q),
        cases=db.session.scalars(cases_q.limit(DASHBOARD_ROWS)).all(),
        waiting=db.session.scalars(waiting_q.limit(DASHBOARD_ROWS)).all(), mine=mine,
        waiting_total=_count(waiting_q),
        by_state=[(s.value, by_state[s.value]) for s in CaseState if by_state.get(s.value)],
        figures=None if mine else _month_figures(today), ahead=AHEAD_DAYS,
        charts=None if mine else _charts(today))


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
