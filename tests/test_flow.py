"""The whole case lifecycle through the web UI, as an inspector and a supervisor, on the
shape of the real decision of 01/12/2014 (Decree 174/2013/NĐ-CP Art. 63(3), 25.000.000 đ)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from io import BytesIO

from sqlalchemy import select
from sqlalchemy.orm import undefer

from cases.models import Case, Decision, Evidence
from core.clock import LOCAL_TZ
from core.models import AuditEvent, Notification
from deadlines.models import Deadline
from extensions import db
from registry.models import Site
from tests.helpers import SMTPServer, pdf_fonts, pdf_reader, pdf_text, read, squash


def at(clock, y, m, d, hour=9):
    clock.set(datetime(y, m, d, hour, 0, tzinfo=LOCAL_TZ))



def deadline(app, case_id: int, key: str) -> Deadline:
    return read(app, lambda: db.session.scalar(
        select(Deadline).where(Deadline.case_id == case_id, Deadline.key == key)))


def ok(response, location_part: str = "/cases/"):
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert location_part in response.location
    return response


def test_case_from_detection_to_closed(app, users, login_as, clock, runner):
    inspector = login_as("inspector")
    supervisor = login_as("supervisor")

    # -- the inspector registers the site ---------------------------------------------------
    at(clock, 2014, 11, 10)
    ok(inspector.post("/sites/new", data={
        "kind": "social_network", "name": "Diễn đàn Sông Thương",
        "domain": "https://www.DienDanSongThuong.net/forum?id=1", "status": "unlicensed",
        "operator_kind": "organisation", "operator_name": "Công ty TNHH Truyền thông Sông Thương",
        "operator_tax_id": "2401178901", "district": "Yên Dũng",
    }), "/sites/")
    site = read(app, lambda: db.session.scalar(select(Site)))
    assert site.domain == "diendansongthuong.net"

    # -- opens the case ---------------------------------------------------------------------
    ok(inspector.post("/cases/new", data={
        "site_id": str(site.id), "subject_kind": "organisation",
        "subject_name": "Công ty TNHH Truyền thông Sông Thương",
        "subject_id_number": "2401178901",
        "subject_address": "Số 27 đường Trần Phú, huyện Yên Dũng, tỉnh Bắc Giang",
        "subject_representative": "Vũ Văn Khánh", "subject_representative_title": "Giám đốc",
        "detection_method": "campaign", "detected_on": "10/11/2014",
        "description": "Thiết lập hai mạng xã hội khi chưa có giấy phép.",
    }))
    case = read(app, lambda: db.session.scalar(select(Case)))
    assert case.code == "VV-2014-0001"
    assert case.state == "detected"
    cid = case.id
    # the limitation period for sanctioning: 1 year from detection of an ongoing violation
    assert deadline(app, cid, "sanction_limitation").due_on == date(2015, 11, 10)

    # -- evidence: an uploaded capture with its SHA-256 ------------------------------------------
    capture = "Ảnh chụp trang chủ ngày 10/11/2014".encode()
    ok(inspector.post(f"/cases/{cid}/evidence", data={
        "file": (BytesIO(capture), "trang-chu.txt"), "url": "https://diendansongthuong.net/",
        "note": "Không hiển thị giấy phép"}, content_type="multipart/form-data"))
    evidence = read(app, lambda: db.session.scalar(select(Evidence)))
    assert evidence.sha256 == hashlib.sha256(capture).hexdigest()
    download = inspector.get(f"/cases/{cid}/evidence/{evidence.id}")
    assert download.data == capture
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download.headers["Content-Disposition"]

    ok(inspector.post(f"/cases/{cid}/verify"))

    # -- coordination with the provincial Police; the letter prints -----------------------------
    ok(inspector.post(f"/cases/{cid}/coordination", data={
        "partner": "police", "partner_name": "Công an tỉnh Bắc Giang",
        "letter_number": "145", "sent_on": "10/11/2014", "response_due_on": "28/11/2014",
        "request_text": "Xác minh người quản trị hai mạng xã hội."}))
    req_id = read(app, lambda: db.session.get(Case, cid).coordination_requests[0].id)
    letter = inspector.get(f"/cases/{cid}/coordination/{req_id}/letter.pdf")
    assert letter.mimetype == "application/pdf"
    letter_text = squash(pdf_text(letter.data))
    assert "Số: 145/STTTT-TTra" in letter_text
    assert "Kính gửi: Công an tỉnh Bắc Giang Thực hiện" in letter_text  # no full stop
    # the Department's letter: its header and "TL. GIÁM ĐỐC" above the signer
    assert letter_text.startswith("UBND TỈNH BẮC GIANG SỞ THÔNG TIN VÀ TRUYỀN THÔNG Số: "
                                  "145/STTTT-TTra")
    assert "TL. GIÁM ĐỐC" in letter_text
    assert "28/11/2014" in letter_text
    assert deadline(app, cid, f"coordination_response:{req_id}").due_on == date(2014, 11, 28)
    at(clock, 2014, 11, 13)
    ok(inspector.post(f"/cases/{cid}/coordination/{req_id}/response", data={
        f"r{req_id}-received_on": "13/11/2014",
        f"r{req_id}-summary": "Công an xác nhận người quản trị là Giám đốc Công ty."}))
    assert deadline(app, cid, f"coordination_response:{req_id}").state == "met"

    # -- the violation, fine proposed at the midpoint, and the record ---------------------------
    at(clock, 2014, 11, 14)
    ok(inspector.post(f"/cases/{cid}/violations", data={
        "clause_id": "174/2013/NĐ-CP:63.3", "sanction_kind": "fine", "fine_amount": "",
        "description": "Thiết lập mạng xã hội mà không có giấy phép."}))
    page = inspector.get(f"/cases/{cid}").get_data(as_text=True)
    assert "25.000.000 đ" in page
    ok(inspector.post(f"/cases/{cid}/record", data={
        "confirm_record": "y",
        "number": "05/BB-VPHC", "made_on": "14/11/2014", "place": "Trụ sở Sở TT&TT"}))
    # a 20–30 M bracket gives the right to explain (Law Art. 61(1)); under the 2012 text the
    # time limit to decide is then 30 days: Sunday 14/12/2014 → Monday 15/12/2014
    assert deadline(app, cid, "decision").due_on == date(2014, 12, 15)
    # a hearing may be asked for within 2 working days (Tuesday 18/11), a written
    # explanation sent within 5 days (Wednesday 19/11)
    assert deadline(app, cid, "explanation_hearing_request").due_on == date(2014, 11, 18)
    assert deadline(app, cid, "explanation_written").due_on == date(2014, 11, 19)
    record = inspector.get(f"/cases/{cid}/record.pdf")
    assert "BIÊN BẢN VI PHẠM HÀNH CHÍNH" in pdf_text(record.data)

    # -- a reminder, through a real SMTP server -------------------------------------------------
    at(clock, 2014, 11, 18, 7)
    with SMTPServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        try:
            result = runner.invoke(args=["reminders", "run-once"])
        finally:
            app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
        assert result.exit_code == 0, result.output
    subjects = [msg["Subject"] for _rcpts, msg in smtp.messages]
    assert "[VV-2014-0001] Thời hạn gửi văn bản giải trình: hạn 19/11/2014 (còn 1 ngày)" \
        in subjects, subjects
    to_inspector = [msg for rcpts, msg in smtp.messages if rcpts == ["inspector@stttt.example"]]
    assert to_inspector, smtp.messages
    body = to_inspector[0].get_body(preferencelist=("plain",)).get_content()
    assert f"http://inspect.example/cases/{cid}" in body

    # -- proposal; the inspector cannot approve; the supervisor approves -------------------------
    ok(inspector.post(f"/cases/{cid}/propose", data={"note": "Đề nghị phạt 25 triệu."}))
    assert inspector.post(f"/cases/{cid}/approve").status_code == 403
    draft = supervisor.get(f"/cases/{cid}/decision-draft.pdf")
    assert "DỰ THẢO" in pdf_text(draft.data)
    ok(supervisor.post(f"/cases/{cid}/approve", data={"note": "Đồng ý."}))

    # -- issue: the next number of the year, the PDF frozen ---------------------------------------
    at(clock, 2014, 11, 19)
    # the violator may still explain today: issuing is refused, saying until when
    refused = inspector.post(f"/cases/{cid}/issue",
                             data={"confirm_issue": "y", "issued_on": "19/11/2014"})
    assert refused.status_code == 422
    assert "19/11/2014" in refused.get_data(as_text=True)
    ok(inspector.post(f"/cases/{cid}/explanations", data={
        "kind": "written", "received_on": "19/11/2014",
        "file": (BytesIO("Công ty xin giải trình ...".encode()), "giai-trinh.txt"),
        "note": "Công ty đã nộp hồ sơ xin cấp phép."}, content_type="multipart/form-data"))
    assert deadline(app, cid, "explanation_written").state == "met"
    ok(inspector.post(f"/cases/{cid}/issue",
                      data={"confirm_issue": "y", "issued_on": "19/11/2014"}))
    decision = read(app, lambda: db.session.scalar(
        select(Decision).options(undefer(Decision.pdf))))
    assert decision.full_number == "01/QĐ-XPVPHC"
    assert decision.total_fine == 25_000_000
    assert deadline(app, cid, "decision").state == "met"
    # delivery: 2 working days from Wednesday 19/11/2014
    assert deadline(app, cid, "delivery").due_on == date(2014, 11, 21)

    first = inspector.get(f"/cases/{cid}/decision.pdf")
    second = supervisor.get(f"/cases/{cid}/decision.pdf")
    assert first.data == second.data == decision.pdf
    assert hashlib.sha256(first.data).hexdigest() == decision.sha256
    assert first.headers["X-Content-SHA256"] == decision.sha256
    text = squash(pdf_text(first.data))
    assert "Công ty TNHH Truyền thông Sông Thương" in text
    assert "khoản 3 Điều 63 Nghị định số 174/2013/NĐ-CP" in text
    assert ("Căn cứ văn bản giải trình của tổ chức Công ty TNHH Truyền thông Sông Thương "
            "ngày 19/11/2014") in text
    assert "25.000.000" in text
    assert "Hai mươi lăm triệu đồng" in text
    assert "Số: 01/QĐ-XPVPHC" in text
    assert "Bắc Giang, ngày 19 tháng 11 năm 2014" in text
    assert "Nguyễn Đức Thắng" in text  # the approving supervisor signs
    assert any("Liberation" in f or "DejaVu" in f or "Times" in f for f in pdf_fonts(first.data))
    reader = pdf_reader(first.data)
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == \
        (210, 297)
    assert decision.sha256 in inspector.get(f"/cases/{cid}").get_data(as_text=True)

    # -- delivery, then payment closes the case ---------------------------------------------------
    at(clock, 2014, 11, 21)
    ok(inspector.post(f"/cases/{cid}/delivery", data={"delivered_on": "20/11/2014"}))
    assert deadline(app, cid, "delivery").state == "met"
    # 10 days from receipt on 20/11/2014 → Sunday 30/11 → Monday 01/12/2014
    assert deadline(app, cid, "compliance").due_on == date(2014, 12, 1)
    ok(inspector.post(f"/cases/{cid}/payment", data={"paid_on": "21/11/2014",
                                                     "amount": "25.000.000"}))
    assert read(app, lambda: db.session.get(Case, cid)).state == "closed"
    assert deadline(app, cid, "compliance").state == "met"
    actions = read(app, lambda: db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.case_id == cid).order_by(AuditEvent.id)).all())
    assert actions[:3] == ["case.opened", "evidence.added", "case.verifying"]
    assert actions[-4:] == ["decision.delivered", "payment.recorded", "decision.complied",
                            "case.closed"]
    # nothing left to remind about
    pending = read(app, lambda: db.session.scalars(
        select(Notification.kind).where(Notification.status == "pending")).all())
    assert [kind for kind in pending if kind.startswith("reminder")] == []


def test_proposer_cannot_approve_own_proposal(app, users, login_as, make_case):
    case = make_case(state="record_made", inspector=users["supervisor"])
    supervisor = login_as("supervisor")
    ok(supervisor.post(f"/cases/{case.id}/propose"))
    assert supervisor.post(f"/cases/{case.id}/approve").status_code == 403
    assert supervisor.post(f"/cases/{case.id}/return", data={"reason": "x"}).status_code == 403
    ok(login_as("supervisor2").post(f"/cases/{case.id}/approve"))
    assert read(app, lambda: db.session.get(Case, case.id)).approver_id == \
        users["supervisor2"].id


def test_return_needs_a_reason_and_goes_back_to_the_inspector(app, users, login_as, make_case):
    case = make_case(state="sanction_proposed")
    supervisor = login_as("supervisor")
    response = supervisor.post(f"/cases/{case.id}/return", data={"reason": ""})
    assert response.status_code == 422
    assert "Trường này là bắt buộc" in response.get_data(as_text=True)
    ok(supervisor.post(f"/cases/{case.id}/return", data={"reason": "Mức phạt chưa phù hợp."}))
    case = read(app, lambda: db.session.get(Case, case.id))
    assert case.state == "record_made"
    page = login_as("inspector").get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Mức phạt chưa phù hợp." in page
    notice = read(app, lambda: db.session.scalar(
        select(Notification).where(Notification.kind == "notice_returned")))
    assert notice.recipient_email == "inspector@stttt.example"
    assert notice.subject == f"[{case.code}] Đề xuất xử phạt bị trả lại"
