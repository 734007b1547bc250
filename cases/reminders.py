"""Reminder e-mails before, at and after each open legal deadline.

The planner turns open deadlines into outbox rows with a unique key (deadline, due date,
kind, recipient), so running it any number of times, in any number of processes, plans each
reminder once. A moved deadline has a new due date, hence new keys; its old pending rows are
cancelled by `cases.deadlines.recompute`.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.models import Role, User
from cases.models import Case, Deadline, DeadlineState
from cases.models.case import OPEN_STATES
from core import mail
from core.clock import clock
from extensions import db
from legal.dates import format_date_vn

# Inspector: 3 days before (sent when 2–3 days are left), 1 day before, on the day, overdue.
WINDOW_DAYS = 3


def days_left_text(days_left: int) -> str:
    """"còn 3 ngày", "đến hạn hôm nay" or "quá hạn 2 ngày" (calendar days)."""
    if days_left > 0:
        return f"còn {days_left} ngày"
    if days_left == 0:
        return "đến hạn hôm nay"
    return f"quá hạn {-days_left} ngày"


def reminder_subject(case: Case, deadline: Deadline, today: date) -> str:
    """The Vietnamese subject line, e.g.
    "[VV-2014-0007] Thời hạn ra quyết định xử phạt: hạn 21/11/2014 (còn 3 ngày)"."""
    left = days_left_text(deadline.days_left(today))
    return f"[{case.code}] {deadline.rule.name_vi}: hạn {format_date_vn(deadline.due_on)} ({left})"


def _kind(days_left: int) -> str:
    if days_left >= 2:
        return "before_3"
    if days_left == 1:
        return "before_1"
    if days_left == 0:
        return "due_today"
    return "overdue"


def _supervisors(case: Case) -> list[User]:
    if case.supervisor is not None and case.supervisor.active:
        return [case.supervisor]
    return list(db.session.scalars(
        select(User).where(User.role == Role.supervisor, User.active.is_(True))))


def plan_reminders(today: date | None = None) -> int:
    """Queue the reminders due today for every open deadline of an open case.

    To the case's inspector: when 3 (or 2) days are left, 1 day left, on the day, and once
    overdue; to the supervisor (the case's, or every supervisor) once overdue. Returns the
    number of rows queued. Flushes; the caller commits.
    """
    today = today or clock().today()
    deadlines = db.session.scalars(
        select(Deadline)
        .join(Case)
        .where(Deadline.state == DeadlineState.open,
               Deadline.due_on <= today + timedelta(days=WINDOW_DAYS),
               Case.state.in_([s.value for s in OPEN_STATES]))
        .options(selectinload(Deadline.case))
        .order_by(Deadline.due_on, Deadline.id)
    ).all()
    queued = 0
    for deadline in deadlines:
        case = deadline.case
        kind = _kind(deadline.days_left(today))
        recipients = [case.inspector] if case.inspector.active else []
        if kind == "overdue":
            recipients += [s for s in _supervisors(case) if s.id != case.inspector_id]
        for user in recipients:
            key = f"deadline:{deadline.id}:{deadline.due_on.isoformat()}:{kind}:{user.id}"
            if _queue_reminder(key, kind, user, case, deadline, today):
                queued += 1
    return queued


def _queue_reminder(key, kind, user, case, deadline, today) -> bool:
    context = {
        "user": user, "case": case, "deadline": deadline, "kind": kind,
        "due": format_date_vn(deadline.due_on),
        "left": days_left_text(deadline.days_left(today)),
        "url": f"{current_app.config['BASE_URL'].rstrip('/')}/cases/{case.id}",
    }
    with force_locale("vi"):
        text = render_template("email/reminder.txt", **context)
        html = render_template("email/reminder.html", **context)
    row = mail.queue(key=key, kind=f"reminder_{kind}", recipient=user,
                     subject=reminder_subject(case, deadline, today), body_text=text,
                     body_html=html, case_id=case.id, deadline_id=deadline.id)
    return row is not None


def run_once() -> dict[str, int]:
    """Plan today's reminders, commit, then send the outbox (the `reminders run-once` CLI and
    the scheduler's jobs)."""
    queued = plan_reminders()
    db.session.commit()
    counts = mail.send_pending()
    return {"queued": queued, **counts}
