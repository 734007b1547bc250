"""The user's own settings (reminders, language) and their iCalendar feed."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth import operations
from auth.forms import SettingsForm
from auth.models import Role, User
from auth.views import bp
from cases.models import Case
from cases.models.case import OPEN_STATES
from core.clock import clock
from deadlines.models import Deadline, DeadlineState
from extensions import db


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if request.method == "GET":
        form.offsets_text.data = ", ".join(str(n) for n in current_user.offsets)
        form.locale.data = current_user.locale or "vi"
    if form.validate_on_submit():
        operations.save_settings(current_user, reminder_mode=form.reminder_mode.data,
                                 offsets=form.offset_values, locale=form.locale.data)
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for("auth.settings"))
    feed = None
    if current_user.calendar_token:
        feed = url_for("auth.calendar_feed", token=current_user.calendar_token, _external=True)
    return render_template("auth/settings.html", form=form, feed=feed), (
        422 if request.method == "POST" else 200)


@bp.post("/settings/calendar-token")
@login_required
def new_calendar_token():
    """Create (or replace: the old address stops working) the secret feed address."""
    operations.new_calendar_token(current_user)
    db.session.commit()
    flash(_("A new calendar address was created; the previous one no longer works."),
          "success")
    return redirect(url_for("auth.settings"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """The user's open deadlines as iCalendar all-day events (Outlook, Google Calendar).
    Public by its secret address; an unknown token is a 404."""
    if len(token) < 20:
        abort(404)
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    if user is None or not user.active:
        abort(404)
    stmt = (select(Deadline).join(Case)
            .where(Deadline.state == DeadlineState.open,
                   Case.state.in_([s.value for s in OPEN_STATES]))
            .options(selectinload(Deadline.case)).order_by(Deadline.due_on))
    if user.role != Role.supervisor:
        stmt = stmt.where(Case.inspector_id == user.id)
    cal = Calendar()
    cal.add("prodid", "-//Thanh tra So TT&TT//Vu viec//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Thời hạn vụ việc — " + user.full_name)
    base = current_app.config["BASE_URL"].rstrip("/")
    host = base.split("//", 1)[-1].split("/", 1)[0]
    for d in db.session.scalars(stmt):
        event = Event()
        event.add("uid", f"deadline-{d.id}-{d.due_on.isoformat()}@{host}")
        event.add("dtstamp", clock().now())
        event.add("summary", f"[{d.case.code}] {d.rule.name_vi}")
        event.add("dtstart", d.due_on)
        event.add("description", f"{d.case.subject_name}\n{d.legal_basis}\n"
                                 f"{base}/cases/{d.case.id}")
        event.add("url", f"{base}/cases/{d.case.id}")
        cal.add_component(event)
    response = current_app.response_class(cal.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = "inline; filename=thoi-han.ics"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
