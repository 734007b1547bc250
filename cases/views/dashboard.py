"""The dashboard: what is due, per role."""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from auth.models import Role
from cases.models import (
    Case,
    CaseState,
    CoordinationRequest,
    Deadline,
    DeadlineState,
    Decision,
    Violation,
)
from cases.models.case import OPEN_STATES
from cases.views import bp
from core.clock import clock
from extensions import db

AHEAD_DAYS = 7


def _charts(today: date) -> list[tuple[str, list[tuple[str, int]], str]]:
    """(title, [(label, value)], unit) for the dashboard's bar charts: sites by status,
    cases detected per month (last six months), fines by clause (this year, VND)."""
    from core.labels import label
    from registry.models import Site

    sites = dict(db.session.execute(
        select(Site.status, func.count()).group_by(Site.status)).all())
    months = []
    year, month = today.year, today.month
    for _month in range(6):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    per_month = []
    for y, m in reversed(months):
        start = date(y, m, 1)
        end = date(y + (m == 12), m % 12 + 1, 1)
        per_month.append((f"{m:02d}/{y}", db.session.scalar(
            select(func.count()).select_from(Case).where(Case.detected_on >= start,
                                                         Case.detected_on < end))))
    fines = db.session.execute(
        select(Violation.clause_id, func.coalesce(func.sum(Violation.fine_amount), 0))
        .join(Decision, Decision.case_id == Violation.case_id)
        .where(Decision.kind == "sanction", Decision.status == "issued",
               Decision.issued_on >= date(today.year, 1, 1))
        .group_by(Violation.clause_id).order_by(Violation.clause_id)).all()
    return [
        (_("Sites by registry status"),
         [(label("registry_status", s), n) for s, n in sorted(sites.items())], ""),
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
        .where(Decision.kind == "sanction", Decision.status == "issued",
               Decision.issued_on >= start, Decision.issued_on <= today)).one()
    closed = db.session.scalar(select(func.count()).select_from(Case).where(
        Case.closed_on >= start, Case.closed_on <= today))
    return {"start": start, "opened": opened, "decisions": issued[0], "fines": issued[1],
            "closed": closed}


@bp.route("/dashboard")
@login_required
def dashboard():
    today = clock().today()
    open_states = [s.value for s in OPEN_STATES]
    mine = current_user.role == Role.inspector
    deadline_q = (select(Deadline).join(Case)
                  .where(Deadline.state == DeadlineState.open, Case.state.in_(open_states))
                  .options(selectinload(Deadline.case), selectinload(Deadline.coordination_request))
                  .order_by(Deadline.due_on, Deadline.id))
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
        deadline_q = deadline_q.where(Case.inspector_id == current_user.id)
        cases_q = cases_q.where(Case.inspector_id == current_user.id)
        waiting_q = waiting_q.where(Case.inspector_id == current_user.id)
        by_state_q = by_state_q.where(Case.inspector_id == current_user.id)
    overdue = db.session.scalars(deadline_q.where(Deadline.due_on < today).limit(200)).all()
    upcoming = db.session.scalars(deadline_q.where(
        Deadline.due_on >= today, Deadline.due_on <= today + timedelta(days=AHEAD_DAYS))
        .limit(200)).all()
    approvals = []
    if current_user.role == Role.supervisor:
        approvals = db.session.scalars(
            select(Case).where(Case.state == CaseState.sanction_proposed,
                               (Case.supervisor_id.is_(None))
                               | (Case.supervisor_id == current_user.id))
            .options(selectinload(Case.proposer)).order_by(Case.proposed_at)).all()
    by_state = dict(db.session.execute(by_state_q).all())
    return render_template(
        "cases/dashboard.html", overdue=overdue, upcoming=upcoming, approvals=approvals,
        cases=db.session.scalars(cases_q.limit(50)).all(),
        waiting=db.session.scalars(waiting_q.limit(50)).all(), mine=mine,
        by_state=[(s.value, by_state[s.value]) for s in CaseState if by_state.get(s.value)],
        figures=None if mine else _month_figures(today), ahead=AHEAD_DAYS,
        charts=None if mine else _charts(today))
