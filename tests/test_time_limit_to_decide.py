"""Law 15/2012 Art. 66(2) (docs/legal/procedure.md#time-limit-to-decide): past the time limit
to decide, the sanction decision is refused, not merely warned about."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cases.models import Case, Decision
from deadlines.models import Deadline
from extensions import db
from tests.helpers import count, read


def test_issuing_after_the_time_limit_is_refused(app, users, login_as, make_case, clock):
    case = make_case(state="approved", record_on=date(2014, 11, 7))
    due = read(app, lambda: db.session.scalar(select(Deadline.due_on).where(
        Deadline.case_id == case.id, Deadline.key == "decision")))
    clock.set(date(2015, 1, 20))
    client = login_as("inspector")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Không thể ban hành quyết định xử phạt nữa" in page
    response = client.post(f"/cases/{case.id}/issue",
                           data={"confirm_issue": "y", "issued_on": "20/01/2015"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f"{due:%d/%m/%Y}" in text and "66" in text
    assert count(app, Decision) == 0
    assert read(app, lambda: db.session.get(Case, case.id).state) == "approved"
