"""The working-day calendar used to compute statutory time limits
(docs/legal/time-limits.md#counting, #working-days).

Days off are:

- Saturdays and Sundays — the 40-hour, five-day week of State bodies (Decision
  188/1999/QĐ-TTg; weekly rest, Labour Code 2019 Art. 111);
- public holidays and Tết (Labour Code 2019 Art. 112; Labour Code 2012 Art. 115 before 2021),
  the compensatory day when a holiday falls on a weekly rest day (Labour Code 2019
  Art. 111(3)) and the days off the Government swaps each year by its yearly notice, as
  listed by the `holidays` package (country "VN");
- days an administrator adds.

Make-up Saturdays announced with a swap (the package's ``weekend_workdays``) and days an
administrator adds as working days are working days. The administrator's overrides win over
the package.

Periods are counted by Civil Code 2015 Art. 147–148 (Civil Code 2005 Art. 152–153 before
2017): the day of the starting act is not counted (Art. 147(2)–(3)); a period in days ends at
the end of its last day (Art. 148(1)); in months, on the corresponding day of the last month
or that month's last day (148(3)); in years, on the corresponding day and month (148(4));
when the last day is a weekend day or a public holiday, at the end of the next working day
(148(5)).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import cache

import holidays

DEFAULT_DAY_OFF_NAME = "Ngày nghỉ (bổ sung)"
"""`holiday_name` of an administrator's extra day off given without a name."""

_MAX_RUN_OF_DAYS_OFF = 400  # guard against a calendar with no working day at all
_ONE_DAY = timedelta(days=1)


def load_package_rules() -> None:
    """Load the `holidays` package's rules for Viet Nam and their Vietnamese names now (about
    65 ms, once per process: the package imports a country's module and its translations
    on first use). Called at application start, so the first request or job that reads
    the calendar does not pay it; later years cost under a millisecond each."""
    holidays.country_holidays("VN", language="vi")


@cache
def _package_raw(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """Holidays and make-up working days the package builds for `year` (costly: cached)."""
    vn = holidays.country_holidays("VN", years=year, language="vi")
    return dict(vn.items()), frozenset(vn.weekend_workdays)


@cache
def _package_year(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """Package days off and make-up working days falling in `year`.

    A swap announced for one year can move work into the previous one (the 2015 New Year
    day off was made up on Saturday 27/12/2014), so make-up days are collected from the
    neighbouring years too.
    """
    days_off = {d: name for d, name in _package_raw(year)[0].items() if d.year == year}
    workdays = frozenset(
        d for y in (year - 1, year, year + 1) for d in _package_raw(y)[1] if d.year == year
    )
    return days_off, workdays


def _check_date(d: object, name: str = "d") -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{name} must be a datetime.date (not a datetime), got {d!r}")
    return d


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {n!r}")
    if n < 0:
        raise ValueError(f"Số ngày/tháng/năm của thời hạn không được âm: {n}.")
    return n


def _month_end(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - _ONE_DAY).day


class WorkingCalendar:
    """Working days of Vietnamese State bodies, with an administrator's overrides.

    Args:
        days_off: extra days off (dates). A mapping ``{date: name}`` may be given instead
            to name them for `holiday_name`.
        working_days: extra working days (e.g. a make-up Saturday the package lacks).

    Raises:
        TypeError: when an override is not a ``datetime.date``.
        ValueError: when a date is both an extra day off and an extra working day.

    Instances are immutable; the package holidays are cached per year and shared.
    """

    def __init__(
        self,
        days_off: Iterable[date] | Mapping[date, str] = (),
        working_days: Iterable[date] = (),
    ) -> None:
        if isinstance(days_off, Mapping):
            off = {_check_date(d, "days_off"): str(n or DEFAULT_DAY_OFF_NAME)
                   for d, n in days_off.items()}
        else:
            off = {_check_date(d, "days_off"): DEFAULT_DAY_OFF_NAME for d in days_off}
        work = frozenset(_check_date(d, "working_days") for d in working_days)
        both = sorted(set(off) & work)
        if both:
            listed = ", ".join(d.strftime("%d/%m/%Y") for d in both)
            raise ValueError(f"Ngày vừa là ngày nghỉ vừa là ngày làm việc: {listed}.")
        self._days_off: dict[date, str] = off
        self._working_days: frozenset[date] = work

    def __repr__(self) -> str:
        return (f"WorkingCalendar(days_off={len(self._days_off)}, "
                f"working_days={len(self._working_days)})")

    def is_working_day(self, d: date) -> bool:
        """True when `d` is a working day.

        Order: an override working day → True; an override day off → False; a Saturday or
        Sunday → True only if the package lists it as a make-up working day; a weekday →
        False if it is a public holiday or swapped day off in the package.
        Raises TypeError when `d` is not a ``date``. Sources: see the module docstring
        (Labour Code 2019 Art. 111–112; Decision 188/1999/QĐ-TTg).
        """
        _check_date(d)
        if d in self._working_days:
            return True
        if d in self._days_off:
            return False
        package_off, package_work = _package_year(d.year)
        if d.weekday() >= 5:
            return d in package_work
        return d not in package_off

    def holiday_name(self, d: date) -> str | None:
        """Vietnamese name of the holiday or day off on `d`, or None.

        None for an ordinary working day, a plain weekend day and any override working day.
        An override day off gets its given name or ``DEFAULT_DAY_OFF_NAME``; otherwise the
        `holidays` package's name (e.g. "Tết Nguyên Đán", "Ngày nghỉ (thay cho ngày
        27/12/2014)"). Raises TypeError when `d` is not a ``date``.
        """
        _check_date(d)
        if d in self._working_days:
            return None
        if d in self._days_off:
            return self._days_off[d]
        return _package_year(d.year)[0].get(d)

    def next_working_day(self, d: date) -> date:
        """`d` itself when it is a working day, else the first working day after it.

        Raises TypeError when `d` is not a ``date``; ValueError if no working day follows
        within 400 days (a broken set of overrides).
        Source: Civil Code 2015 Art. 148(5).
        """
        _check_date(d)
        for _ in range(_MAX_RUN_OF_DAYS_OFF):
            if self.is_working_day(d):
                return d
            d += _ONE_DAY
        raise ValueError("Không tìm thấy ngày làm việc nào trong 400 ngày liên tiếp.")

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (a period of n working days).

        The start day is not counted (Civil Code 2015 Art. 147(2)–(3)); weekends, public
        holidays and swapped days off are skipped, make-up Saturdays count. ``n == 0``
        returns `start` unchanged. Used for the 2020-text limits in working days (Law
        15/2012/QH13 as amended by Law 67/2020/QH14: Art. 66(1) 7 working days to decide,
        Art. 70 2 working days to deliver).

        Args:
            start: the day of the starting act (``date``).
            n: number of working days, ``int`` ≥ 0.

        Raises:
            ValueError: when n < 0. TypeError: when `start` is not a date or n not an int.
        """
        _check_date(start, "start")
        remaining = _check_n(n)
        d = start
        while remaining:
            d += _ONE_DAY
            if self.is_working_day(d):
                remaining -= 1
        return d

    def sub_working_days(self, end: date, n: int) -> date:
        """The working day n working days before `end` (for reminders: "3 working days
        before the deadline"); `end` itself is not counted, ``n == 0`` returns `end`.
        The inverse of `add_working_days` when `end` is a working day.

        Raises ValueError when n < 0, TypeError on wrong types.
        """
        _check_date(end, "end")
        remaining = _check_n(n)
        d = end
        while remaining:
            d -= _ONE_DAY
            if self.is_working_day(d):
                remaining -= 1
        return d

    def add_days(self, start: date, n: int) -> date:
        """Last day of a period of n calendar days starting from `start`.

        The start day is not counted (Civil Code 2015 Art. 147(2)–(3)); the period ends at
        the end of day ``start + n`` (Art. 148(1)); if that day is not a working day the
        period ends on the next working day (Art. 148(5)). ``n == 0`` gives `start`, rolled
        forward the same way.

        Args:
            start: ``date``; n: calendar days, ``int`` ≥ 0.

        Raises:
            ValueError: when n < 0. TypeError: for a non-date `start` or non-int n.
        """
        _check_date(start, "start")
        return self.next_working_day(start + timedelta(days=_check_n(n)))

    def add_months(self, start: date, n: int) -> date:
        """Last day of a period of n months starting from `start`.

        The same day of the month n months later, or that month's last day when it has no
        such day (Civil Code 2015 Art. 148(3)); then moved to the next working day if it is
        a weekend day or holiday (Art. 148(5)). E.g. 31/01/2014 + 1 month → 28/02/2014.

        Args:
            start: ``date``; n: months, ``int`` ≥ 0.

        Raises:
            ValueError: when n < 0. TypeError: for a non-date `start` or non-int n.
        """
        _check_date(start, "start")
        years, month0 = divmod(start.month - 1 + _check_n(n), 12)
        year, month = start.year + years, month0 + 1
        day = min(start.day, _month_end(year, month))
        return self.next_working_day(date(year, month, day))

    def add_years(self, start: date, n: int) -> date:
        """Last day of a period of n years starting from `start`.

        The same day and month n years later (Civil Code 2015 Art. 148(4)); 29 February
        becomes 28 February in a common year; then moved to the next working day if it is
        a weekend day or holiday (Art. 148(5)).

        Args:
            start: ``date``; n: years, ``int`` ≥ 0.

        Raises:
            ValueError: when n < 0. TypeError: for a non-date `start` or non-int n.
        """
        return self.add_months(start, 12 * _check_n(n))


_DEFAULT = WorkingCalendar()


def default_calendar() -> WorkingCalendar:
    """The shared `WorkingCalendar` without overrides (package holidays only)."""
    return _DEFAULT


def is_working_day(d: date) -> bool:
    """`WorkingCalendar.is_working_day` on the calendar without overrides."""
    return _DEFAULT.is_working_day(d)


def holiday_name(d: date) -> str | None:
    """`WorkingCalendar.holiday_name` on the calendar without overrides."""
    return _DEFAULT.holiday_name(d)


def next_working_day(d: date) -> date:
    """`WorkingCalendar.next_working_day` on the calendar without overrides."""
    return _DEFAULT.next_working_day(d)


def add_working_days(start: date, n: int) -> date:
    """`WorkingCalendar.add_working_days` (n working days, start not counted; Civil Code
    2015 Art. 147) on the calendar without overrides. ValueError when n < 0."""
    return _DEFAULT.add_working_days(start, n)


def add_days(start: date, n: int) -> date:
    """`WorkingCalendar.add_days` (Civil Code 2015 Art. 147, 148(1), 148(5)) on the calendar
    without overrides. ValueError when n < 0."""
    return _DEFAULT.add_days(start, n)


def add_months(start: date, n: int) -> date:
    """`WorkingCalendar.add_months` (Civil Code 2015 Art. 148(3), 148(5)) on the calendar
    without overrides. ValueError when n < 0."""
    return _DEFAULT.add_months(start, n)


def add_years(start: date, n: int) -> date:
    """`WorkingCalendar.add_years` (Civil Code 2015 Art. 148(4), 148(5)) on the calendar
    without overrides. ValueError when n < 0."""
    return _DEFAULT.add_years(start, n)
