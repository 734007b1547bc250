"""The application clock: one object answers "what time is it", so tests and the demo can pin it.

Times are stored in UTC and shown in Asia/Ho_Chi_Minh (docs/architecture.md#house-rules). Legal
dates
(the day a record was made, a deadline's last day) are local calendar dates in Vietnam.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock:
    """The real clock. `now()` is an aware UTC datetime; `today()` the date in Vietnam."""

    pinned: date | None = None

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(LOCAL_TZ).date()


class PinnedDateClock(Clock):
    """A clock whose calendar date is fixed (the demo's ``APP_TODAY``) while the time of day runs.

    Keeps timestamps ordered during a demo session while every legal computation sees the
    pinned date.
    """

    def __init__(self, pinned: date):
        self.pinned = pinned

    def now(self) -> datetime:
        local_time = datetime.now(LOCAL_TZ).timetz().replace(tzinfo=None)
        return datetime.combine(self.pinned, local_time, LOCAL_TZ).astimezone(UTC)


class FixedClock(Clock):
    """A clock that reads exactly what it was told; tests move it with `set()`."""

    def __init__(self, moment: datetime | date):
        self.set(moment)

    def set(self, moment: datetime | date) -> None:
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(9, 0), LOCAL_TZ)
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = moment.astimezone(UTC)

    def now(self) -> datetime:
        return self._now


def clock() -> Clock:
    """The current application's clock (set by `create_app` from ``CLOCK`` or ``APP_TODAY``)."""
    return current_app.extensions["clock"]


def to_local(moment: datetime | None) -> datetime | None:
    """Convert a stored UTC datetime to Asia/Ho_Chi_Minh for display."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)
