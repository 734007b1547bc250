"""The late-payment surcharge (docs/legal/enforcement.md#late-payment): 0,05 % a day of the
unpaid fine (Law 15/2012/QH13 Art. 78(1)), days counted from the day after the last day to
pay up to the day before the payment, week-ends and holidays included (Circular
18/2023/TT-BTC Art. 5(1); Circular 153/2013/TT-BTC Art. 5 before it)."""

from __future__ import annotations

from datetime import date

import pytest

from legal.enforcement import days_late, late_payment_rule, late_payment_surcharge, limitation


def test_paid_on_time_or_the_next_day_owes_nothing():
    due = date(2014, 12, 1)
    assert late_payment_surcharge(25_000_000, due, date(2014, 11, 21)) == 0
    assert late_payment_surcharge(25_000_000, due, due) == 0
    # the count ends the day before the payment: paid on the first day late, 0 days
    assert late_payment_surcharge(25_000_000, due, date(2014, 12, 2)) == 0


def test_a_short_delay():
    # last day 01/12/2014, paid Friday 05/12: late on 02, 03 and 04/12 → 3 days
    assert days_late(date(2014, 12, 1), date(2014, 12, 5)) == 3
    assert late_payment_surcharge(25_000_000, date(2014, 12, 1), date(2014, 12, 5)) == 37_500


def test_across_tet_the_holidays_count():
    # last day Friday 13/02/2015; Tết Ất Mùi off 16–20/02/2015; paid Wednesday 25/02:
    # late 14/02 … 24/02 = 11 calendar days, the Tết days and week-ends included
    assert days_late(date(2015, 2, 13), date(2015, 2, 25)) == 11
    assert late_payment_surcharge(7_500_000, date(2015, 2, 13), date(2015, 2, 25)) == 41_250


def test_across_a_year_end():
    # last day 29/12/2023, paid 03/01/2024: late 30/12, 31/12, 01/01 (New Year) and 02/01
    assert days_late(date(2023, 12, 29), date(2024, 1, 3)) == 4
    # 0,05 % × 4 days of 12.345.679 đ = 24.691,358 → rounded down to the đồng
    assert late_payment_surcharge(12_345_679, date(2023, 12, 29), date(2024, 1, 3)) == 24_691


def test_days_without_surcharge_are_left_out():
    # a postponement from 05/12 to 14/12/2014 (Circular 18/2023 Art. 5(2))
    assert days_late(date(2014, 12, 1), date(2014, 12, 20),
                     excluded=[(date(2014, 12, 5), date(2014, 12, 14))]) == 8


def test_the_rule_says_where_it_comes_from():
    rule = late_payment_rule(date(2024, 1, 1))
    assert "18/2023/TT-BTC" in rule.basis and rule.rate_per_10000 == 5
    assert "153/2013/TT-BTC" in late_payment_rule(date(2014, 12, 2)).basis
    assert not rule.verified  # the rounding is not found in a text: shown with a warning
    assert limitation().years == 1 and limitation().measures_survive


def test_a_negative_amount_is_an_error():
    with pytest.raises(ValueError):
        late_payment_surcharge(-1, date(2014, 12, 1), date(2014, 12, 5))
