"""The working calendar with the administrator's overrides from the database."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from core.models import CalendarOverride
from extensions import db
from legal.calendar import WorkingCalendar


def working_calendar() -> WorkingCalendar:
    """The `legal.calendar.WorkingCalendar` with the stored overrides (cached per request)."""
    cal = g.get("_working_calendar")
    if cal is None:
        rows = db.session.execute(select(CalendarOverride.day, CalendarOverride.kind)).all()
        cal = WorkingCalendar(
            days_off=[d for d, k in rows if k == "day_off"],
            working_days=[d for d, k in rows if k == "working_day"],
        )
        g._working_calendar = cal
    return cal
