"""Extension of the time limit to decide (Law 15/2012/QH13 Art. 66(1)): a supervisor records
the head's written extension, once, before the limit ends, for a case on the longer limit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.models import AuditEvent
from extensions import db
from tests.test_deadlines import stored


def record_with_explanation(app, users, make_case, *, explanation: bool = True):
    """A case whose record of Monday 20/10/2014 gives the right to explain (a 20–30 M
    bracket; 2012 text: the category decides) or, with `explanation` false, an act of a
    5–10 M bracket without it: the decision is due 30 days later, Wednesday 19/11/2014, or
    7 days later."""
    from auth.models import User
    from cases import operations as ops
    from cases.models import Case

    case = make_case(state="verifying", detected_on=date(2014, 10, 1))
    with app.app_context():
        c = db.session.get(Case, case.id)
        inspector = db.session.get(User, users["inspector"].id)
        ops.add_violation(inspector, c, clause_id="174/2013/NĐ-CP:63.3" if explanation
                          else "174/2013/NĐ-CP:64.1.a",
                          description="Thiết lập mạng xã hội không phép.")
        ops.make_record(inspector, c, number=f"{c.id}/BB-VPHC", made_on=date(2014, 10, 20),
                        place="Trụ sở Sở")
        db.session.commit()
    return case


EXTENSION = {"reason": "Vụ việc phức tạp, cần xác minh máy chủ đặt ở nước ngoài.",
             "document": "Văn bản số 15/STTTT-TTra ngày 10/11/2014"}


def test_supervisor_extends_the_time_limit_once(app, users, login_as, make_case):
    case = record_with_explanation(app, users, make_case)
    before = stored(app, case.id)["decision"]
    assert (before.rule_code, before.due_on) == ("decision_explanation", date(2014, 11, 19))
    supervisor = login_as("supervisor")
    response = supervisor.post(f"/cases/{case.id}/record/extension", data=EXTENSION)
    assert response.status_code == 302
    after = stored(app, case.id)["decision"]
    # 2012 text: 30 days + at most 30 more = 60 days from the record (Friday 19/12/2014)
    assert (after.rule_code, after.due_on, after.state) == (
        "decision_extended", date(2014, 12, 19), "open")
    assert "gia hạn thêm tối đa 30 ngày" in after.legal_basis
    page = supervisor.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Thời hạn ra quyết định đã được gia hạn ngày 12/11/2014" in page
    assert "Văn bản số 15/STTTT-TTra ngày 10/11/2014" in page and "19/12/2014" in page
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "decision.time_limit_extended")).one()
        assert event.case_id == case.id
        assert (event.before, event.after["due_on"]) == ({"due_on": "2014-11-19"},
                                                         "2014-12-19")
    again = supervisor.post(f"/cases/{case.id}/record/extension", data=EXTENSION)
    assert again.status_code == 422
    assert "chỉ được gia hạn một lần" in again.get_data(as_text=True)
    assert stored(app, case.id)["decision"].due_on == date(2014, 12, 19)


def test_extension_refused_without_the_longer_limit_or_after_it(app, users, login_as,
                                                                make_case, clock):
    plain = record_with_explanation(app, users, make_case, explanation=False)
    supervisor = login_as("supervisor")
    response = supervisor.post(f"/cases/{plain.id}/record/extension", data=EXTENSION)
    assert response.status_code == 422
    assert "Chỉ vụ việc có yêu cầu giải trình hoặc phải xác minh" in response.get_data(
        as_text=True)
    assert stored(app, plain.id)["decision"].rule_code == "decision"

    late = record_with_explanation(app, users, make_case)
    clock.set(date(2014, 11, 20))  # the day after the limit
    response = supervisor.post(f"/cases/{late.id}/record/extension", data=EXTENSION)
    assert response.status_code == 422
    assert "Thời hạn đã kết thúc ngày 19/11/2014" in response.get_data(as_text=True)
    assert stored(app, late.id)["decision"].due_on == date(2014, 11, 19)


def test_inspector_cannot_extend_and_grounds_are_required(app, users, login_as, make_case):
    case = record_with_explanation(app, users, make_case)
    assert login_as("inspector").post(f"/cases/{case.id}/record/extension",
                                      data=EXTENSION).status_code == 403
    response = login_as("supervisor").post(f"/cases/{case.id}/record/extension",
                                           data={"reason": "", "document": "x"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="x"' in page  # what was typed comes back
    assert stored(app, case.id)["decision"].rule_code == "decision_explanation"
