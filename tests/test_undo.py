"""Undo and correct (issue 17): evidence withdrawn but kept, a coordination request
corrected until answered (its letter number added later, the reply's file attached), a
closed case reopened by a supervisor with a reason, irreversible acts confirmed."""

from __future__ import annotations

import html
import io
import re
from datetime import date

from sqlalchemy import select

from cases.models import Case, CaseState, CoordinationRequest, Evidence
from core.models import AuditEvent
from deadlines.models import Deadline
from extensions import db
from tests.helpers import read

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _events(app, action: str) -> list[AuditEvent]:
    return read(app, lambda: db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action)).all())


def test_evidence_added_by_mistake_is_withdrawn_and_kept(app, users, login_as, make_case):
    case = make_case("verifying")
    client = login_as("inspector")
    assert client.post(f"/cases/{case.id}/evidence", data={
        "file": (io.BytesIO(PNG), "nham.png"), "note": "Ảnh chụp nhầm trang"},
        content_type="multipart/form-data").status_code == 302
    evidence = read(app, lambda: db.session.scalar(select(Evidence)))
    refused = client.post(f"/cases/{case.id}/evidence/{evidence.id}/withdraw",
                          data={f"w{evidence.id}-withdrawal_reason": ""})
    assert refused.status_code == 422
    assert f'href="#w{evidence.id}-withdrawal_reason"' in _page(refused)
    assert client.post(f"/cases/{case.id}/evidence/{evidence.id}/withdraw", data={
        f"w{evidence.id}-withdrawal_reason": "Ảnh của trang khác."}).status_code == 302
    kept = read(app, lambda: db.session.scalar(select(Evidence)))
    assert kept.sha256 == evidence.sha256 and kept.withdrawn_at is not None
    assert kept.withdrawal_reason == "Ảnh của trang khác."
    page = _page(client.get(f"/cases/{case.id}"))
    row = re.search(r'<tr class="withdrawn">.*?</tr>', page, re.S).group(0)
    assert "nham.png" in row and "đã rút" in row and "Ảnh của trang khác." in row
    assert "Trần Thị Lan" in row  # who withdrew it
    assert client.get(f"/cases/{case.id}/evidence/{evidence.id}").status_code == 200  # file kept
    [event] = _events(app, "evidence.withdrawn")
    assert event.note == "Ảnh của trang khác." and event.before["sha256"] == evidence.sha256
    # once withdrawn, it cannot be withdrawn again
    again = client.post(f"/cases/{case.id}/evidence/{evidence.id}/withdraw", data={
        f"w{evidence.id}-withdrawal_reason": "Lần nữa"})
    assert again.status_code == 422 and "Chứng cứ này đã được rút." in _page(again)


def test_a_coordination_request_is_corrected_until_answered(app, users, login_as, make_case):
    case = make_case("verifying")
    client = login_as("inspector")
    assert client.post(f"/cases/{case.id}/coordination", data={
        "partner": "police", "partner_name": "Phòng An ninh mạng, Công an tỉnh",
        "sent_on": "05/11/2014", "request_text": "Xác minh chủ thể quản lý trang.",
        "response_due_on": "20/11/2014"}).status_code == 302
    req = read(app, lambda: db.session.scalar(select(CoordinationRequest)))
    assert req.letter_number is None
    page = _page(client.get(f"/cases/{case.id}"))
    assert f'id="c{req.id}-letter_number"' in page
    # the letter number is known once the letter is registered; the due date moves
    assert client.post(f"/cases/{case.id}/coordination/{req.id}/edit", data={
        f"c{req.id}-partner": "police",
        f"c{req.id}-partner_name": "Phòng An ninh mạng, Công an tỉnh",
        f"c{req.id}-letter_number": "7", f"c{req.id}-sent_on": "05/11/2014",
        f"c{req.id}-request_text": "Xác minh chủ thể quản lý trang.",
        f"c{req.id}-response_due_on": "25/11/2014"}).status_code == 302
    req = read(app, lambda: db.session.get(CoordinationRequest, req.id))
    assert (req.letter_number, req.response_due_on) == ("07/STTTT-TTra", date(2014, 11, 25))
    due = read(app, lambda: db.session.scalar(select(Deadline.due_on).where(
        Deadline.coordination_request_id == req.id)))
    assert due == date(2014, 11, 25)
    [event] = _events(app, "coordination.changed")
    assert event.after == {"letter_number": "07/STTTT-TTra", "response_due_on": "2014-11-25"}
    # the answer, with the reply letter attached; then no more corrections
    assert client.post(f"/cases/{case.id}/coordination/{req.id}/response", data={
        f"r{req.id}-received_on": "12/11/2014",
        f"r{req.id}-summary": "Chủ thể là ông Nguyễn Văn B.",
        f"r{req.id}-reply_file": (io.BytesIO(PDF), "tra-loi-cong-an.pdf")},
        content_type="multipart/form-data").status_code == 302
    reply = read(app, lambda: db.session.scalar(select(Evidence)))
    assert (reply.coordination_id, reply.filename) == (req.id, "tra-loi-cong-an.pdf")
    page = _page(client.get(f"/cases/{case.id}"))
    assert "tra-loi-cong-an.pdf" in page and f'id="c{req.id}-letter_number"' not in page
    late = client.post(f"/cases/{case.id}/coordination/{req.id}/edit", data={
        f"c{req.id}-partner": "police", f"c{req.id}-partner_name": "X",
        f"c{req.id}-letter_number": "8", f"c{req.id}-sent_on": "05/11/2014",
        f"c{req.id}-request_text": "Y", f"c{req.id}-response_due_on": "25/11/2014"})
    assert late.status_code == 422 and "Đề nghị này đã được trả lời" in _page(late)


def test_a_supervisor_reopens_a_closed_case_with_a_reason(app, users, login_as, make_case):
    case = make_case("closed")
    inspector = login_as("inspector")
    assert "Mở lại vụ việc" not in _page(inspector.get(f"/cases/{case.id}"))
    assert inspector.post(f"/cases/{case.id}/reopen",
                          data={"reopen_reason": "x"}).status_code == 403
    supervisor = login_as("supervisor")
    assert "Mở lại vụ việc" in _page(supervisor.get(f"/cases/{case.id}"))
    assert supervisor.post(f"/cases/{case.id}/reopen",
                           data={"reopen_reason": ""}).status_code == 422
    assert supervisor.post(f"/cases/{case.id}/reopen", data={
        "reopen_reason": "Ghi nhận nộp phạt nhầm vụ việc khác."}).status_code == 302
    reopened = read(app, lambda: db.session.get(Case, case.id))
    assert reopened.state == CaseState.delivered and reopened.closed_on is None
    assert read(app, lambda: db.session.get(Case, case.id).decision.paid_on) is None
    [event] = _events(app, "case.reopened")
    assert event.note == "Ghi nhận nộp phạt nhầm vụ việc khác."
    assert event.before == {"state": "closed"}
    assert event.after["paid_on"] == "2014-11-07" and event.after["state"] == "delivered"
    # the payment can be recorded again
    assert 'id="paid_on"' in _page(inspector.get(f"/cases/{case.id}"))


def test_making_the_record_and_issuing_ask_for_a_confirmation(app, users, login_as,
                                                              make_case, clock):
    case = make_case("verifying")
    client = login_as("inspector")
    # an act without the right to explain: the decision may follow the record at once
    client.post(f"/cases/{case.id}/violations", data={
        "clause_id": "174/2013/NĐ-CP:64.1.a", "sanction_kind": "fine",
        "description": "Thực hiện không đúng giấy phép.", "mitigating": "0"})
    page = _page(client.get(f"/cases/{case.id}"))
    assert "sau khi lập, số, ngày, địa điểm, lời khai và các hành vi vi phạm" in page
    unconfirmed = client.post(f"/cases/{case.id}/record", data={
        "number": "01/BB-VPHC", "made_on": "12/11/2014", "place": "Trụ sở Sở"})
    assert unconfirmed.status_code == 422
    assert 'href="#confirm_record"' in _page(unconfirmed)
    assert read(app, lambda: db.session.get(Case, case.id).state) == CaseState.verifying
    assert client.post(f"/cases/{case.id}/record", data={
        "number": "01/BB-VPHC", "made_on": "12/11/2014", "place": "Trụ sở Sở",
        "confirm_record": "y"}).status_code == 302
    client.post(f"/cases/{case.id}/propose", data={})
    login_as("supervisor").post(f"/cases/{case.id}/approve", data={})
    page = _page(client.get(f"/cases/{case.id}"))
    assert "sau khi ban hành, số, nội dung và tệp PDF của quyết định được cố định" in page
    unconfirmed = client.post(f"/cases/{case.id}/issue", data={"issued_on": "12/11/2014"})
    assert unconfirmed.status_code == 422 and 'href="#confirm_issue"' in _page(unconfirmed)
    assert read(app, lambda: db.session.get(Case, case.id).state) == CaseState.approved
    assert client.post(f"/cases/{case.id}/issue", data={
        "issued_on": "12/11/2014", "confirm_issue": "y"}).status_code == 302
    assert read(app, lambda: db.session.get(Case, case.id).state) == CaseState.decision_issued
