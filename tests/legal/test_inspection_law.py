"""The law on inspection per period (legal/data/inspection.yaml, docs/legal/inspection.md):
the period of a team decision's date, without gaps or overlaps."""

from datetime import date, timedelta

import pytest

from legal.catalogue import Status
from legal.inspection import InspectionLawError, period_for, periods


@pytest.mark.parametrize(("day", "forms", "status"), [
    (date(2014, 11, 7), "02/2010/TT-TTCP", Status.U),  # the directive's campaign
    (date(2014, 12, 1), "05/2014/TT-TTCP", Status.P),  # Circular 05/2014 from 01/12/2014
    (date(2021, 11, 15), "06/2021/TT-TTCP", Status.U),
    (date(2023, 7, 1), "06/2021/TT-TTCP", Status.U),
])
def test_the_forms_of_the_period_of_the_decision(day, forms, status):
    period = period_for(day)
    assert forms in period.forms and period.status == status


def test_department_inspectorates_until_30_06_2025_then_the_province():
    assert period_for(date(2025, 6, 30)).inspector == "Thanh tra Sở Thông tin và Truyền thông"
    assert period_for(date(2025, 7, 1)).inspector == "Thanh tra tỉnh"
    assert "84/2025/QH15" in period_for(date(2025, 7, 1)).law
    assert "11/2022/QH15" in period_for(date(2023, 7, 1)).law


def test_periods_follow_each_other_without_gap_and_none_before_the_2010_law():
    rows = periods()
    for before, after in zip(rows, rows[1:], strict=False):
        assert before.effective_to + timedelta(days=1) == after.effective_from
    assert rows[-1].effective_to is None
    with pytest.raises(InspectionLawError):
        period_for(date(2011, 6, 30))
