"""Bad input gets a clear Vietnamese message, keeps what the user typed, saves nothing,
and never produces a 500."""

from __future__ import annotations

import html
import random
from datetime import date

from sqlalchemy import select

from cases.models import Case, Violation
from extensions import db
from tests.helpers import count

CASE_FORM = {
    "subject_kind": "organisation", "subject_name": "Công ty TNHH Quảng cáo Hà Bắc",
    "subject_id_number": "2401289012", "subject_address": "Thị trấn Vôi, Lạng Giang",
    "detection_method": "complaint", "detected_on": "10/11/2014",
    "description": "Trang tinnong24hbg.com hoạt động không phép.",
}



def test_impossible_date_and_empty_required_field(app, users, login_as):
    client = login_as("inspector")
    data = dict(CASE_FORM, detected_on="31/02/2014", subject_name="")
    response = client.post("/cases/new", data=data)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Ngày không hợp lệ: «31/02/2014». Nhập theo dạng dd/mm/yyyy." in page
    assert "Trường này là bắt buộc." in page
    # every other field comes back as typed
    assert 'value="31/02/2014"' in page
    assert 'value="2401289012"' in page
    assert "Trang tinnong24hbg.com hoạt động không phép." in page
    assert count(app, Case) == 0


def test_future_detection_date_is_refused(app, users, login_as):
    response = login_as("inspector").post("/cases/new", data=dict(CASE_FORM,
                                                                  detected_on="13/11/2014"))
    assert response.status_code == 422
    assert "Ngày phát hiện không được sau ngày hiện tại." in html.unescape(
        response.get_data(as_text=True))
    assert count(app, Case) == 0


def test_malformed_amount_keeps_the_form(app, users, login_as, make_case):
    case = make_case(state="verifying")
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/violations", data={
        "clause_id": "174/2013/NĐ-CP:63.3", "sanction_kind": "fine",
        "fine_amount": "15.00.000", "description": "Thiết lập mạng xã hội không phép."})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Số tiền không hợp lệ: «15.00.000». Nhập số nguyên đồng, ví dụ 15.000.000." in page
    assert 'value="15.00.000"' in page
    assert "Thiết lập mạng xã hội không phép." in page
    assert count(app, Violation) == 0


def test_fine_outside_the_range_names_the_range(app, users, login_as, make_case):
    case = make_case(state="verifying", subject_kind="individual")
    response = login_as("inspector").post(f"/cases/{case.id}/violations", data={
        "clause_id": "174/2013/NĐ-CP:64.3.a", "sanction_kind": "fine",
        "fine_amount": "25.000.000", "description": "Đăng tin sai sự thật."})
    assert response.status_code == 422
    # individual: half of the organisation's 20–30 M range
    assert "10.000.000" in response.get_data(as_text=True)
    assert "15.000.000" in response.get_data(as_text=True)
    assert count(app, Violation) == 0


def test_clause_not_in_force_on_the_violation_date(app, users, ctx, make_case):
    from datetime import date

    from auth.models import User
    from cases import operations as ops
    from core.errors import OperationError

    case = make_case(state="verifying", detected_on=date(2014, 11, 3))
    user = db.session.get(User, users["inspector"].id)
    case = db.session.get(Case, case.id)
    try:
        ops.add_violation(user, case, clause_id="15/2020/NĐ-CP:99.3", description="x")
    except OperationError as exc:
        assert "15/2020/NĐ-CP:99.3" in exc.message
        assert "15/04/2020" in exc.message and "03/11/2014" in exc.message
        assert exc.field == "clause_id"
    else:
        raise AssertionError("a clause not yet in force was accepted")
    db.session.rollback()


def test_duplicate_domain_links_to_the_first(app, users, login_as):
    client = login_as("inspector")
    site = {"kind": "general_website", "name": "Tin nóng", "domain": "tinnong24hbg.com",
            "status": "unlicensed", "operator_kind": "organisation", "operator_name": "Hà Bắc"}
    assert client.post("/sites/new", data=site).status_code == 302
    again = client.post("/sites/new", data=dict(site, domain="https://WWW.TinNong24hBG.com/a"))
    assert again.status_code == 422
    assert "tinnong24hbg.com" in html.unescape(again.get_data(as_text=True))


def test_a_payment_of_nothing_is_refused_and_a_part_payment_leaves_a_balance(
        app, users, login_as, make_case):
    case = make_case(state="delivered")
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/payment", data={
        "paid_on": "12/11/2014", "amount": "0", "place": "treasury"})
    assert response.status_code == 422
    response = client.post(f"/cases/{case.id}/payment", data={
        "paid_on": "12/11/2014", "amount": "20.000.000", "place": "treasury"})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "5.000.000" in page  # the balance of the 25.000.000 fine
    with app.app_context():
        assert db.session.get(Case, case.id).state == "delivered"


def test_garbage_in_every_form_never_gives_a_500(app, users, login_as, make_case):
    """Every POST route of a case, fed random strings in every field."""
    rng = random.Random(2014)
    junk = ["", " ", "31/02/2014", "15.00.000", "-5", "abc", "9" * 40, "<script>x</script>",
            "’; DROP TABLE cases; --", "\x00", "đ" * 3000, "2014-13-01", "00/00/0000"]
    fields = ["note", "reason", "transfer_reason", "file", "url", "partner", "partner_name",
              "letter_number", "sent_on", "request_text", "response_due_on", "clause_id",
              "description", "circumstances", "sanction_kind", "fine_amount",
              "additional_sanctions", "remedial_measures", "number", "made_on", "place",
              "violator_statement", "explanation_requested", "issued_on", "delivered_on",
              "paid_on", "amount", "r1-received_on", "r1-summary"]
    actions = ["verify", "evidence", "coordination", "coordination/1/response", "violations",
               "violations/1/delete", "record", "propose", "approve", "return", "issue",
               "delivery", "payment", "dismiss", "transfer"]
    client = login_as("inspector")
    supervisor = login_as("supervisor2")
    for state in ("verifying", "record_made", "sanction_proposed", "approved", "delivered"):
        case = make_case(state=state)
        for action in actions:
            for who in (client, supervisor):
                data = {f: rng.choice(junk) for f in fields}
                response = who.post(f"/cases/{case.id}/{action}", data=data)
                assert response.status_code < 500, (state, action, response.status_code)


def test_a_form_sent_twice_does_the_work_once(app, users, login_as):
    client = login_as("inspector")
    data = dict(CASE_FORM, once="a-token-rendered-with-the-form")
    first = client.post("/cases/new", data=data)
    second = client.post("/cases/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location  # both lead to the one case
    assert count(app, Case) == 1
    assert "Biểu mẫu này đã được gửi" in client.get(second.location).get_data(as_text=True)
    third = client.post("/cases/new", data=dict(data, once="another-rendering"))
    assert third.status_code == 302 and count(app, Case) == 2


def test_coordination_response_errors_show_and_keep_the_input(app, users, login_as,
                                                              make_case):
    from cases.models import CoordinationRequest

    case = make_case(state="verifying")
    client = login_as("inspector")
    client.post(f"/cases/{case.id}/coordination", data={
        "partner": "police", "partner_name": "Công an tỉnh", "sent_on": "10/11/2014",
        "response_due_on": "20/11/2014", "request_text": "Xác minh."})
    with app.app_context():
        rid = db.session.scalar(select(CoordinationRequest.id))
    response = client.post(f"/cases/{case.id}/coordination/{rid}/response", data={
        f"r{rid}-received_on": "31/02/2014", f"r{rid}-summary": "Tóm tắt cần giữ lại"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Ngày không hợp lệ: «31/02/2014»" in page
    assert "Tóm tắt cần giữ lại" in page and 'value="31/02/2014"' in page


def test_typed_markup_is_shown_as_text_not_html(app, users, login_as):
    response = login_as("inspector").post("/cases/new", data=dict(
        CASE_FORM, detected_on="<img src=x onerror=alert(1)>"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_absurd_page_numbers_fall_back_to_the_first_page(app, users, login_as, make_case):
    case = make_case(state="record_made")
    client = login_as("supervisor")
    for path in ("/cases/", "/cases/deadlines", "/sites/", "/cases/decisions/"):
        for page in ("99999999999999999999", "9223372036854775807", "-1", "abc", "0"):
            response = client.get(f"{path}?page={page}")
            assert response.status_code == 200, (path, page)
    listed = client.get("/cases/?page=99999999999999999999").get_data(as_text=True)
    assert case.code in listed  # the first page, not an empty one past the end


def test_two_digit_years_of_past_only_dates_and_no_future_id_issue(app, users, login_as):

    client = login_as("inspector")
    response = client.post("/cases/new", data=dict(
        CASE_FORM, subject_kind="individual", subject_name="Nguyễn Văn Hùng",
        subject_birth_date="15/05/85", subject_id_issued_on="1/1/99"))
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    with app.app_context():
        case = db.session.scalars(
            select(Case).where(Case.subject_name == "Nguyễn Văn Hùng")).one()
        assert (case.subject_birth_date, case.subject_id_issued_on) == (
            date(1985, 5, 15), date(1999, 1, 1))
    future = client.post("/cases/new", data=dict(CASE_FORM, subject_id_issued_on="01/01/2099"))
    assert future.status_code == 422
    page = future.get_data(as_text=True)
    assert "Giấy tờ tùy thân không thể được cấp vào một ngày trong tương lai." in page
    assert 'value="01/01/2099"' in page
