"""legal.calendar: working days and the Civil Code period rules
(docs/legal/time-limits.md#counting)."""

from __future__ import annotations

from datetime import date, datetime

import holidays
import pytest

from legal import calendar as cal
from legal.calendar import WorkingCalendar


def test_tet_2025_seven_working_days():
    # docs/legal/time-limits.md#working-days check: record made Friday 24/01/2025, Tết 27/01–01/02.
    assert cal.add_working_days(date(2025, 1, 24), 7) == date(2025, 2, 11)


@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2014, 11, 14), 7, date(2014, 11, 21)),
    (date(2014, 11, 15), 7, date(2014, 11, 24)),  # day 7 is Saturday 22/11 → Monday
    (date(2014, 11, 14), 0, date(2014, 11, 14)),
    (date(2014, 11, 21), 10, date(2014, 12, 1)),  # Monday stays
    (date(2014, 4, 20), 10, date(2014, 5, 5)),  # 30/4 holiday → 1/5, 2/5, weekend → 5/5
    (date(2015, 2, 9), 10, date(2015, 2, 24)),  # 19/02/2015 Tết → after Tết
])
def test_add_days(start, n, expected):
    assert cal.add_days(start, n) == expected


def test_make_up_saturday_2014_is_working_day():
    # The package lists 27/12/2014 (a Saturday) as a make-up day for the 02/01/2015 day off.
    sat = date(2014, 12, 27)
    assert sat.weekday() == 5
    package = holidays.country_holidays("VN", years=[2014, 2015], language="vi")
    assert sat in package.weekend_workdays
    assert date(2015, 1, 2) in package
    assert cal.is_working_day(sat)
    assert not cal.is_working_day(date(2015, 1, 2))
    assert cal.holiday_name(date(2015, 1, 2)) == package[date(2015, 1, 2)]
    assert cal.add_working_days(date(2014, 12, 26), 1) == sat


@pytest.mark.parametrize(("d", "working"), [
    (date(2014, 11, 14), True),  # Friday
    (date(2014, 11, 15), False),  # Saturday
    (date(2014, 11, 16), False),  # Sunday
    (date(2014, 9, 2), False),  # Quốc khánh
    (date(2014, 9, 1), False),  # swapped day off
    (date(2014, 9, 6), True),  # its make-up Saturday
    (date(2025, 1, 29), False),  # Tết
    (date(2025, 2, 3), True),
])
def test_is_working_day(d, working):
    assert cal.is_working_day(d) is working


def test_holiday_names():
    assert cal.holiday_name(date(2014, 9, 2)) == "Quốc khánh"
    assert cal.holiday_name(date(2014, 11, 14)) is None
    assert cal.holiday_name(date(2014, 11, 15)) is None  # plain Saturday


def test_override_day_off_on_wednesday_is_skipped():
    wed = date(2025, 3, 5)
    assert wed.weekday() == 2
    plain = WorkingCalendar()
    custom = WorkingCalendar(days_off=[wed])
    assert plain.add_working_days(date(2025, 3, 4), 1) == wed
    assert custom.add_working_days(date(2025, 3, 4), 1) == date(2025, 3, 6)
    assert custom.add_working_days(date(2025, 3, 3), 3) == date(2025, 3, 7)
    assert not custom.is_working_day(wed)
    assert custom.holiday_name(wed) == cal.DEFAULT_DAY_OFF_NAME
    assert custom.add_days(date(2025, 2, 26), 7) == date(2025, 3, 6)


def test_override_day_off_with_name():
    wed = date(2025, 3, 5)
    custom = WorkingCalendar(days_off={wed: "Nghỉ bù theo thông báo"})
    assert custom.holiday_name(wed) == "Nghỉ bù theo thông báo"


def test_override_working_saturday_counts():
    sat = date(2025, 3, 8)
    custom = WorkingCalendar(working_days=[sat])
    assert custom.is_working_day(sat)
    assert custom.add_working_days(date(2025, 3, 7), 1) == sat
    assert WorkingCalendar().add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)
    assert custom.add_days(date(2025, 3, 1), 7) == sat


def test_override_wins_over_package():
    tet = date(2025, 1, 29)
    custom = WorkingCalendar(working_days=[tet], days_off=[date(2014, 12, 27)])
    assert custom.is_working_day(tet)
    assert custom.holiday_name(tet) is None
    assert not custom.is_working_day(date(2014, 12, 27))


def test_override_conflict_rejected():
    with pytest.raises(ValueError):
        WorkingCalendar(days_off=[date(2025, 3, 5)], working_days=[date(2025, 3, 5)])


def test_overrides_do_not_leak_into_default():
    WorkingCalendar(days_off=[date(2025, 3, 5)])
    assert cal.is_working_day(date(2025, 3, 5))


@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2014, 1, 31), 1, date(2014, 2, 28)),  # no 31/02; 28/02/2014 is a Friday
    (date(2021, 3, 31), 1, date(2021, 5, 4)),  # 30/04 holiday, 1–2/05 weekend, 3/05 off
    (date(2022, 1, 3), 1, date(2022, 2, 7)),  # 03/02/2022 is Tết → after Tết
    (date(2014, 11, 14), 0, date(2014, 11, 14)),
    (date(2014, 11, 14), 12, date(2015, 11, 16)),  # 14/11/2015 Saturday → Monday
    (date(2015, 12, 31), 2, date(2016, 2, 29)),
])
def test_add_months(start, n, expected):
    assert cal.add_months(start, n) == expected


def test_add_months_2021_matches_package():
    package = holidays.country_holidays("VN", years=2021, language="vi")
    assert date(2021, 4, 30) in package
    assert date(2021, 5, 3) in package
    assert date(2021, 5, 4) not in package


@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2014, 11, 14), 1, date(2015, 11, 16)),  # Saturday → Monday
    (date(2016, 2, 29), 1, date(2017, 2, 28)),  # Tuesday
    (date(2020, 2, 29), 1, date(2021, 3, 1)),  # 28/02/2021 Sunday → Monday
    (date(2015, 12, 2), 1, date(2016, 12, 2)),
])
def test_add_years(start, n, expected):
    assert cal.add_years(start, n) == expected


@pytest.mark.parametrize("func", [
    cal.add_days, cal.add_months, cal.add_years, cal.add_working_days,
])
def test_negative_n_rejected(func):
    with pytest.raises(ValueError):
        func(date(2014, 11, 14), -1)


def test_datetime_rejected():
    with pytest.raises(TypeError):
        cal.add_days(datetime(2014, 11, 14, 10), 7)


def test_next_working_day():
    assert cal.next_working_day(date(2014, 11, 14)) == date(2014, 11, 14)
    assert cal.next_working_day(date(2014, 11, 15)) == date(2014, 11, 17)
    assert cal.next_working_day(date(2025, 1, 25)) == date(2025, 2, 3)


def test_add_working_days_consistent_with_is_working_day():
    start = date(2014, 1, 1)
    for n in range(0, 300, 7):
        end = cal.add_working_days(start, n)
        days = [date.fromordinal(o) for o in range(start.toordinal() + 1, end.toordinal() + 1)]
        assert sum(cal.is_working_day(d) for d in days) == n
        assert n == 0 or cal.is_working_day(end)
