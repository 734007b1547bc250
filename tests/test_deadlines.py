"""Deadlines computed and stored when their triggering act is recorded
(docs/legal/time-limits.md#rules)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from deadlines.models import Deadline
from extensions import db
from legal.calendar import add_working_days


def stored(app, case_id: int) -> dict[str, Deadline]:
    with app.app_context():
        rows = db.session.scalars(select(Deadline).where(Deadline.case_id == case_id)).all()
        for row in rows:
            db.session.expunge(row)
        return {row.key: row for row in rows}


@pytest.mark.parametrize("record_on,due", [
    (date(2014, 11, 14), date(2014, 11, 21)),  # Friday + 7 days = Friday
    (date(2014, 11, 15), date(2014, 11, 24)),  # day 7 is a Saturday → Monday
    (date(2014, 12, 26), date(2015, 1, 5)),    # day 7 is Friday 02/01/2015, a day off (swap)
])
def test_decision_due_after_the_record_2012_text(app, make_case, clock, record_on, due):
    clock.set(date(2014, 12, 31))
    # an act whose bracket (5–10 M) gives no right to explain: the 7-day limit
    case = make_case(state="record_made", detected_on=date(2014, 11, 3), record_on=record_on,
                     clause_id="174/2013/NĐ-CP:64.1.a")
    deadline = stored(app, case.id)["decision"]
    assert deadline.due_on == due
    assert deadline.state == "open"
    assert deadline.inputs["regime"] == "2012"
    assert "07 ngày" in deadline.legal_basis


def test_decision_due_2020_text_counts_working_days(app, make_case, clock):
    clock.set(date(2025, 2, 20))
    case = make_case(state="record_made", clause_id="15/2020/NĐ-CP:99.3",
                     detected_on=date(2025, 1, 20), record_on=date(2025, 1, 24))
    deadline = stored(app, case.id)["decision"]
    assert deadline.due_on == date(2025, 2, 11)  # 7 working days across Tết 2025
    assert "07 ngày làm việc" in deadline.legal_basis


def test_add_working_days_across_tet_2025():
    assert add_working_days(date(2025, 1, 24), 7) == date(2025, 2, 11)


def test_issue_meets_the_decision_deadline_and_starts_delivery(app, make_case):
    case = make_case(state="decision_issued", record_on=date(2014, 11, 7))
    rows = stored(app, case.id)
    assert rows["decision"].state == "met"
    assert rows["decision"].met_on == date(2014, 11, 7)
    # 2 working days from Friday 07/11/2014 → Tuesday 11/11/2014
    assert rows["delivery"].due_on == date(2014, 11, 11)
    assert rows["enforcement_limit"].due_on == date(2015, 11, 7)
    assert rows["sanction_limitation"].state == "met"


def test_dismissal_cancels_open_deadlines(app, users, login_as, make_case):
    case = make_case(state="record_made")
    client = login_as("inspector")
    assert client.post(f"/cases/{case.id}/dismiss",
                       data={"reason": "Hết thời hiệu xử phạt."}).status_code == 302
    states = {k: d.state for k, d in stored(app, case.id).items()}
    assert states == {"sanction_limitation": "cancelled", "decision": "cancelled",
                      "explanation_hearing_request": "cancelled",
                      "explanation_written": "cancelled"}


def test_press_clause_has_a_two_year_limitation(app, make_case, clock):
    clock.set(date(2021, 7, 8))
    case = make_case(state="record_made", clause_id="119/2020/NĐ-CP:20.1.đ",
                     detected_on=date(2021, 7, 1), record_on=date(2021, 7, 8))
    # two years from 01/07/2021 end on Saturday 01/07/2023: rolled to Monday 03/07/2023
    assert stored(app, case.id)["sanction_limitation"].due_on == date(2023, 7, 3)


def test_deadlines_show_on_the_case_page_and_dashboard(app, users, login_as, make_case):
    case = make_case(state="record_made", record_on=date(2014, 11, 7),
                     clause_id="174/2013/NĐ-CP:64.1.a")
    client = login_as("inspector")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "14/11/2014" in page  # decision due: 7 days after Friday 07/11/2014
    dashboard = client.get("/cases/dashboard").get_data(as_text=True)
    assert "14/11/2014" in dashboard and case.code in dashboard
