"""The right to explain as a workflow (Law 15/2012/QH13 Art. 61;
docs/legal/procedure.md#right-to-explain), for a 2014 case (the 2012 text) and a 2023 case
(the 2020 text): the record states it with its periods and the receiving body, the
decision waits for the windows unless the violator explained or waived, and cites the
explanation or the hearing's record."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from sqlalchemy import select
from sqlalchemy.orm import undefer

from auth.models import User
from cases import operations as ops
from cases.models import Case, Decision, Explanation
from deadlines.models import Deadline
from extensions import db
from tests.helpers import count, pdf_text, read, squash


def issue_on(day: str) -> dict:
    """The issue form, its confirmation ticked."""
    return {"confirm_issue": "y", "issued_on": day}


def deadlines_of(app, case_id: int) -> dict[str, Deadline]:
    def load():
        rows = db.session.scalars(select(Deadline).where(Deadline.case_id == case_id)).all()
        return {d.key: (d.rule_code, d.due_on, d.state) for d in rows}
    return read(app, load)


def approve(app, users, case):
    with app.app_context():
        ops.approve_sanction(db.session.get(User, users["supervisor"].id),
                             db.session.get(Case, case.id))
        db.session.commit()


def record_text(client, case) -> str:
    return squash(pdf_text(client.get(f"/cases/{case.id}/record.pdf").data))


def decision_text(app, case) -> str:
    return squash(pdf_text(read(app, lambda: db.session.scalar(
        select(Decision.pdf).where(Decision.case_id == case.id)))))


WAIVER = {"kind": "waiver", "received_on": "04/11/2014",
          "file": (BytesIO("Tôi không yêu cầu giải trình.".encode()), "khong-giai-trinh.txt")}


def test_2014_record_states_the_right_and_the_decision_waits_until_a_waiver(
        app, users, login_as, make_case, clock):
    clock.set(date(2014, 11, 4))
    case = make_case(state="sanction_proposed", detected_on=date(2014, 10, 20),
                     record_on=date(2014, 10, 31))  # Friday; 20–30 M for an organisation
    rows = deadlines_of(app, case.id)
    # 2 working days (Monday 03/11, Tuesday 04/11) and 5 calendar days (Wednesday 05/11)
    assert rows["explanation_hearing_request"][1:] == (date(2014, 11, 4), "open")
    assert rows["explanation_written"][1:] == (date(2014, 11, 5), "open")
    # the 2012 text: the category decides — 30 days
    assert rows["decision"][0] == "decision_explanation"
    inspector = login_as("inspector")
    text = record_text(inspector, case)
    assert "Quyền giải trình (Điều 61 Luật Xử lý vi phạm hành chính)" in text
    assert "mức tối đa của khung tiền phạt 30.000.000 đồng" in text
    assert "02 ngày làm việc, kể từ ngày lập biên bản này (đến hết ngày 04/11/2014)" in text
    assert "05 ngày, kể từ ngày lập biên bản này (đến hết ngày 05/11/2014)" in text
    assert "Cơ quan tiếp nhận giải trình: Thanh tra Sở" in text

    approve(app, users, case)
    refused = inspector.post(f"/cases/{case.id}/issue", data=issue_on("04/11/2014"))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "05/11/2014" in page and "06/11/2014" in page and "Điều 61" in page
    assert count(app, Decision) == 0

    page = inspector.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Quyền giải trình" in page and "06/11/2014" in page
    response = inspector.post(f"/cases/{case.id}/explanations", data=WAIVER,
                              content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert deadlines_of(app, case.id)["explanation_written"][2] == "met"
    assert inspector.post(f"/cases/{case.id}/issue",
                          data=issue_on("04/11/2014")).status_code == 302
    assert read(app, lambda: db.session.get(Case, case.id).state) == "decision_issued"
    assert "01/QĐ-XPVPHC" in decision_text(app, case)


def test_2014_decision_may_be_issued_once_both_windows_have_closed(app, users, login_as,
                                                                    make_case, clock):
    clock.set(date(2014, 11, 6))
    case = make_case(state="sanction_proposed", detected_on=date(2014, 10, 20),
                     record_on=date(2014, 10, 31))
    approve(app, users, case)
    inspector = login_as("inspector")
    assert inspector.post(f"/cases/{case.id}/issue",
                          data=issue_on("06/11/2014")).status_code == 302
    # nothing left to wait for: the windows no longer stand as deadlines
    rows = deadlines_of(app, case.id)
    assert "explanation_written" not in rows or rows["explanation_written"][2] == "cancelled"


def test_written_explanation_needs_its_file_and_a_late_hearing_request_is_refused(
        app, users, login_as, make_case, clock):
    clock.set(date(2014, 11, 6))
    case = make_case(state="record_made", detected_on=date(2014, 10, 20),
                     record_on=date(2014, 10, 31))
    inspector = login_as("inspector")
    response = inspector.post(f"/cases/{case.id}/explanations", data={
        "kind": "written", "received_on": "05/11/2014"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Đính kèm văn bản" in response.get_data(as_text=True)
    response = inspector.post(f"/cases/{case.id}/explanations", data={
        "kind": "hearing_request", "received_on": "05/11/2014"},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "04/11/2014" in response.get_data(as_text=True)
    assert count(app, Explanation) == 0


def test_no_right_to_explain_for_a_small_bracket(app, users, login_as, make_case):
    case = make_case(state="approved", record_on=date(2014, 11, 7),
                     clause_id="174/2013/NĐ-CP:64.1.a")  # 5–10 M for an organisation
    rows = deadlines_of(app, case.id)
    assert "explanation_written" not in rows and rows["decision"][0] == "decision"
    inspector = login_as("inspector")
    assert "Quyền giải trình" not in record_text(inspector, case)
    assert 'id="explanation"' not in inspector.get(f"/cases/{case.id}").get_data(as_text=True)
    assert inspector.post(f"/cases/{case.id}/issue",
                          data=issue_on("12/11/2014")).status_code == 302


def test_2023_hearing_request_holds_the_decision_until_the_hearing_record(
        app, users, login_as, make_case, clock):
    clock.set(date(2023, 3, 6))
    case = make_case(state="sanction_proposed", clause_id="15/2020/NĐ-CP:99.3.a",
                     detected_on=date(2023, 3, 1), record_on=date(2023, 3, 6))  # Monday
    rows = deadlines_of(app, case.id)
    # the 2020 text: 2 and 5 working days
    assert rows["explanation_hearing_request"][1] == date(2023, 3, 8)
    assert rows["explanation_written"][1] == date(2023, 3, 13)
    assert rows["decision"][0] == "decision"  # no request yet: 7 working days
    inspector = login_as("inspector")
    assert "05 ngày làm việc, kể từ ngày lập biên bản này (đến hết ngày 13/03/2023)" in \
        record_text(inspector, case)

    clock.set(date(2023, 3, 7))
    response = inspector.post(f"/cases/{case.id}/explanations", data={
        "kind": "hearing_request", "received_on": "07/03/2023",
        "file": (BytesIO(b"%PDF-1.4 yeu cau"), "yeu-cau.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    # the violator's request gives the longer limit: one month
    assert deadlines_of(app, case.id)["decision"][:2] == ("decision_explanation",
                                                          date(2023, 4, 6))
    approve(app, users, case)
    clock.set(date(2023, 3, 20))
    refused = inspector.post(f"/cases/{case.id}/issue", data=issue_on("20/03/2023"))
    assert refused.status_code == 422
    assert "phiên giải trình" in refused.get_data(as_text=True)

    clock.set(date(2023, 3, 15))
    response = inspector.post(f"/cases/{case.id}/hearing", data={
        "number": "1", "held_on": "15/03/2023", "place": "Trụ sở Sở Thông tin và Truyền thông",
        "participants": "Ông Nguyễn Văn An, Giám đốc Công ty",
        "statement": "Công ty đã gỡ bỏ mạng xã hội và xin được giảm mức phạt."})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    hearing = read(app, lambda: db.session.scalar(select(Explanation).where(
        Explanation.kind == "hearing").options(undefer(Explanation.pdf))))
    assert hearing.number == "01/BB-GTTT"
    pdf = inspector.get(f"/cases/{case.id}/hearings/{hearing.id}.pdf")
    assert pdf.data == hearing.pdf
    text = squash(pdf_text(pdf.data))
    assert "Phiên giải trình trực tiếp" in text and "Số: 01/BB-GTTT" in text
    assert "Công ty đã gỡ bỏ mạng xã hội" in text and "Ông Nguyễn Văn An" in text
    assert "giao cho tổ chức Công ty TNHH Truyền thông Sông Thương 01 bản" in text

    clock.set(date(2023, 3, 20))
    assert inspector.post(f"/cases/{case.id}/issue",
                          data=issue_on("20/03/2023")).status_code == 302
    text = decision_text(app, case)
    assert "Căn cứ Biên bản phiên giải trình trực tiếp số 01/BB-GTTT lập ngày 15/03/2023" \
        in text


def test_2023_waiver_keeps_seven_working_days(app, users, login_as, make_case, clock):
    clock.set(date(2023, 3, 7))
    case = make_case(state="approved", clause_id="15/2020/NĐ-CP:99.3.a",
                     detected_on=date(2023, 3, 1), record_on=date(2023, 3, 6))
    # make_case records the violator's written waiver before approval
    rows = deadlines_of(app, case.id)
    assert rows["decision"][:2] == ("decision", date(2023, 3, 15))
    assert rows["explanation_hearing_request"][2] == "met"
    assert login_as("inspector").post(f"/cases/{case.id}/issue",
                                      data=issue_on("07/03/2023")).status_code == 302


def test_a_window_that_passed_is_closed_not_overdue(app, users, login_as, make_case, clock):
    """The violator's periods are reminded while they run; once passed they are neither
    overdue on the lists nor reminded nor escalated."""
    from core.models import Notification
    from deadlines.planner import plan_reminders

    clock.set(date(2014, 11, 4))
    case = make_case(state="record_made", detected_on=date(2014, 10, 20),
                     record_on=date(2014, 10, 31))
    with app.app_context():
        plan_reminders(date(2014, 11, 4))  # the hearing request is due today
        db.session.commit()
        due_today = db.session.scalars(select(Notification.subject)).all()
    assert any("Thời hạn gửi văn bản yêu cầu giải trình trực tiếp" in s for s in due_today)
    clock.set(date(2014, 11, 20))
    with app.app_context():
        plan_reminders(date(2014, 11, 20))
        db.session.commit()
        later = db.session.scalars(select(Notification.subject)).all()
    assert [s for s in later if "giải trình" in s and s not in due_today] == []
    page = login_as("inspector").get("/cases/deadlines?when=overdue").get_data(as_text=True)
    assert case.code not in page


def test_2023_waiver_written_into_the_record(app, users, login_as, make_case, clock):
    """Decree 118/2021 Art. 12(4)(i): the violator who does not ask to explain says so in
    the record; the decision may then follow at once (7 working days to decide)."""
    clock.set(date(2023, 3, 6))
    case = make_case(state="verifying", detected_on=date(2023, 3, 1))
    inspector = login_as("inspector")
    with app.app_context():
        ops.add_violation(db.session.get(User, users["inspector"].id),
                          db.session.get(Case, case.id), clause_id="15/2020/NĐ-CP:99.3.a",
                          description="Thiết lập mạng xã hội không phép.")
        db.session.commit()
    response = inspector.post(f"/cases/{case.id}/record", data={"confirm_record": "y",
        "number": "3", "made_on": "06/03/2023", "place": "Trụ sở Sở", "copies": "2",
        "violator_signature": "signed", "waived_in_record": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    text = record_text(inspector, case)
    assert ("Ý kiến của tổ chức Công ty TNHH Truyền thông Sông Thương về việc giải trình: "
            "không yêu cầu giải trình.") in text
    rows = deadlines_of(app, case.id)
    assert rows["decision"][:2] == ("decision", date(2023, 3, 15))
    assert rows["explanation_written"][2] == "met"


def test_2014_record_cannot_carry_the_waiver(app, users, login_as, make_case):
    case = make_case(state="verifying")
    with app.app_context():
        ops.add_violation(db.session.get(User, users["inspector"].id),
                          db.session.get(Case, case.id), clause_id="174/2013/NĐ-CP:63.3",
                          description="Thiết lập mạng xã hội không phép.")
        db.session.commit()
    response = login_as("inspector").post(f"/cases/{case.id}/record", data={"confirm_record": "y",
        "number": "3", "made_on": "07/11/2014", "place": "Trụ sở Sở", "copies": "2",
        "violator_signature": "signed", "waived_in_record": "y"})
    assert response.status_code == 422
    assert read(app, lambda: db.session.get(Case, case.id).state) == "verifying"
