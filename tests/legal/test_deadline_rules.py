"""Golden table of the statutory time limits (docs/legal/time-limits.md#rules) on the public API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legal.calendar import WorkingCalendar, add_working_days, is_working_day
from legal.deadlines import RuleError, compute, due_date, regime

GOLDEN = [
    # (rule, start, options, due)
    ("decision", date(2014, 11, 14), {}, date(2014, 11, 21)),
    ("decision", date(2014, 11, 15), {}, date(2014, 11, 24)),  # day 7 a Saturday → Monday
    ("decision", date(2021, 12, 30), {}, date(2022, 1, 6)),  # 2012 text: 7 calendar days
    ("decision", date(2022, 1, 3), {}, date(2022, 1, 12)),  # 2020 text: 7 working days
    ("decision", date(2025, 1, 24), {}, date(2025, 2, 11)),  # across Tết 2025
    ("decision_transfer", date(2022, 3, 1), {}, date(2022, 3, 15)),  # 10 working days
    ("decision_explanation", date(2014, 11, 14), {}, date(2014, 12, 15)),  # 30 d: Sun 14/12
    ("decision_explanation", date(2022, 1, 31), {}, date(2022, 2, 28)),  # 1 month, month end
    ("decision_extended", date(2014, 11, 14), {}, date(2015, 1, 13)),  # 60 days
    ("decision_extended", date(2022, 3, 15), {}, date(2022, 5, 16)),  # 2 months: Sun → Mon
    ("delivery", date(2014, 11, 19), {}, date(2014, 11, 21)),
    ("delivery", date(2014, 11, 21), {}, date(2014, 11, 25)),  # over the weekend
    ("compliance", date(2014, 11, 20), {}, date(2014, 12, 1)),  # Sun 30/11 → Mon 01/12
    ("compliance", date(2014, 11, 20), {"days": 15}, date(2014, 12, 5)),
    ("enforcement_limit", date(2014, 11, 5), {}, date(2015, 11, 5)),
    ("sanction_limitation", date(2014, 11, 3), {"field": "it"}, date(2015, 11, 3)),
    # 2 years end on Saturday 01/07/2023 → Monday 03/07/2023
    ("sanction_limitation", date(2021, 7, 1), {"field": "press"}, date(2023, 7, 3)),
    ("sanction_limitation", date(2015, 11, 1), {"field": "it"}, date(2016, 11, 1)),
    # a last day off rolls to the next working day (Law Art. 8 → Civil Code Art. 148(5), P):
    # Sunday 08/11/2015 → Monday 09/11/2015
    ("sanction_limitation", date(2014, 11, 8), {"field": "it"}, date(2015, 11, 9)),
    # the right to explain: a record on Friday 31/10/2014 → 2 working days (Tuesday 04/11),
    # 5 calendar days (Wednesday 05/11); the 2020 text counts working days (P)
    ("explanation_hearing_request", date(2014, 10, 31), {}, date(2014, 11, 4)),
    ("explanation_written", date(2014, 10, 31), {}, date(2014, 11, 5)),
    ("explanation_hearing_request", date(2023, 3, 6), {}, date(2023, 3, 8)),
    ("explanation_written", date(2023, 3, 6), {}, date(2023, 3, 13)),
    ("explanation_written", date(2023, 3, 3), {}, date(2023, 3, 10)),  # Fri → Fri
    ("national_db_entry", date(2016, 5, 20), {}, date(2016, 5, 23)),  # Friday → Monday
    ("licence_withdrawal_notice", date(2022, 6, 3), {}, date(2022, 6, 7)),
    ("semiannual_report", date(2014, 11, 12), {}, date(2015, 1, 30)),
    ("semiannual_report", date(2015, 2, 2), {}, date(2015, 7, 30)),
    ("coordination_response", date(2014, 11, 3), {"due_on": date(2014, 11, 10)},
     date(2014, 11, 10)),
]


@pytest.mark.parametrize("rule,start,options,due", GOLDEN)
def test_golden(rule, start, options, due):
    assert due_date(rule, start, **options) == due


def test_make_up_saturday_counts_as_a_working_day():
    # Saturday 26/04/2014 was worked to take Friday 02/05/2014 off.
    assert add_working_days(date(2014, 4, 25), 2) == date(2014, 4, 28)


def test_regime_by_the_date_of_the_act():
    assert regime(date(2021, 12, 31)) == "2012" and regime(date(2022, 1, 1)) == "2020"
    first = compute("decision", date(2021, 12, 30))
    second = compute("decision", date(2022, 1, 3))
    assert (first.regime, second.regime) == ("2012", "2020")
    assert "07 ngày kể từ" in first.legal_basis
    assert "07 ngày làm việc" in second.legal_basis
    assert first.inputs["start"] == "2021-12-30"


def test_rules_not_in_force_are_refused():
    with pytest.raises(RuleError, match="không áp dụng"):
        due_date("decision_transfer", date(2014, 11, 14))
    with pytest.raises(RuleError, match="không áp dụng"):
        due_date("national_db_entry", date(2015, 6, 1))
    with pytest.raises(RuleError):
        due_date("no_such_rule", date(2015, 6, 1))


def test_limitation_and_explanation_statuses_follow_the_sources():
    # the periods are quoted (V) but rolling a last day off is the Civil Code read through
    # Law Art. 8 (P); the 2020 explanation periods come from the form's wording (P)
    assert compute("sanction_limitation", date(2014, 11, 3), field="it").status == "P"
    assert compute("sanction_limitation", date(2021, 7, 1), field="press").status == "P"
    assert compute("explanation_hearing_request", date(2014, 10, 31)).status == "V"
    assert compute("explanation_written", date(2022, 1, 3)).status == "P"
    assert "02 ngày làm việc" in compute("explanation_hearing_request",
                                         date(2014, 10, 31)).legal_basis


def test_an_override_day_off_moves_a_deadline_that_crossed_it():
    start = date(2014, 11, 19)  # delivery: 2 working days → Friday 21/11
    assert due_date("delivery", start) == date(2014, 11, 21)
    cal = WorkingCalendar(days_off=[date(2014, 11, 20)])
    assert due_date("delivery", start, calendar=cal) == date(2014, 11, 24)
    # a make-up Saturday the other way round
    cal = WorkingCalendar(working_days=[date(2014, 11, 22)])
    assert due_date("decision", date(2014, 11, 15), calendar=cal) == date(2014, 11, 22)


days = st.dates(min_value=date(2014, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=days, rule=st.sampled_from(["delivery", "national_db_entry", "decision",
                                         "decision_explanation", "compliance",
                                         "decision_extended"]))
def test_due_dates_fall_on_working_days_after_the_start(start, rule):
    if rule == "national_db_entry" and start < date(2016, 5, 15):
        start += timedelta(days=900)
    due = due_date(rule, start)
    assert due > start
    assert is_working_day(due)


@settings(max_examples=200, deadline=None)
@given(start=days, n=st.integers(min_value=0, max_value=40))
def test_working_days_are_monotonic_and_counted(start, n):
    due = add_working_days(start, n)
    assert due >= start
    if n:
        assert is_working_day(due)
        counted = sum(1 for k in range(1, (due - start).days + 1)
                      if is_working_day(start + timedelta(days=k)))
        assert counted == n
