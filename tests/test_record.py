"""The violation record (MBB01) with every content its period's form asks for
(docs/legal/documents.md#violation-record), its draft preview, and signatures that never
stand alone on a page."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import undefer

from auth.models import User
from cases import operations as ops
from cases.models import Case, ViolationRecord
from core.errors import OperationError
from extensions import db
from tests.helpers import count, pdf_reader, pdf_text, read, squash

FULL = {"made_time": time(9, 30), "place": "Trụ sở Sở Thông tin và Truyền thông",
        "place_reason": "vi phạm trên môi trường mạng",
        "violation_place": "trang mạng xã hội diendansongthuong.net",
        "violator_signature": "refused",
        "witnesses": "Ông Lê Văn Tâm, cán bộ UBND xã Tân Mỹ, huyện Yên Dũng",
        "signature_reason": "người đại diện không đồng ý với mức phạt dự kiến",
        "preventive_measures": "Yêu cầu tạm ngừng cung cấp dịch vụ mạng xã hội",
        "copies": 3, "violator_statement": "Công ty đang hoàn thiện hồ sơ xin cấp phép."}


def make_record(app, users, case, made_on, clause_id, **fields):
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        live = db.session.get(Case, case.id)
        ops.add_violation(inspector, live, clause_id=clause_id,
                          description="Thiết lập mạng xã hội khi chưa có giấy phép.")
        ops.make_record(inspector, live, number="5", made_on=made_on, **fields)
        db.session.commit()
        return db.session.scalar(select(ViolationRecord).options(
            undefer(ViolationRecord.pdf)).where(ViolationRecord.case_id == case.id)).pdf


def test_2014_record_carries_every_item_of_the_form(app, users, make_case):
    case = make_case(state="verifying")
    text = squash(pdf_text(make_record(app, users, case, date(2014, 11, 7),
                                       "174/2013/NĐ-CP:63.3", **FULL)))
    assert "Số: 05/BB-VPHC" in text
    assert ("Hôm nay, hồi 09 giờ 30 phút, ngày 07 tháng 11 năm 2014, tại Trụ sở Sở Thông tin "
            "và Truyền thông") in text
    assert "Lý do lập biên bản tại nơi khác nơi xảy ra vi phạm: vi phạm trên môi trường mạng" \
        in text
    assert "Người có thẩm quyền lập biên bản: Trần Thị Lan, chức vụ: Thanh tra viên" in text
    assert "Với sự chứng kiến của" in text and "Ông Lê Văn Tâm, cán bộ UBND xã Tân Mỹ" in text
    assert "Tên tổ chức: Công ty TNHH Truyền thông Sông Thương" in text
    assert "Thời gian xảy ra vi phạm: đang thực hiện, phát hiện ngày 03/11/2014" in text
    assert "Địa điểm xảy ra vi phạm: trang mạng xã hội diendansongthuong.net" in text
    assert "khoản 3 Điều 63 Nghị định số 174/2013/NĐ-CP" in text
    assert "vi phạm: Công ty đang hoàn thiện hồ sơ xin cấp phép." in text
    assert ("Các biện pháp ngăn chặn và bảo đảm xử lý vi phạm hành chính được áp dụng: Yêu "
            "cầu tạm ngừng cung cấp dịch vụ mạng xã hội") in text
    assert "Quyền giải trình" in text and "Cơ quan tiếp nhận giải trình" in text
    assert ("từ chối ký biên bản. Lý do: người đại diện không đồng ý với mức phạt dự kiến"
            in text)
    assert "gồm 02 tờ" in text or "gồm 01 tờ" in text
    assert ("được lập thành 03 bản có nội dung và giá trị như nhau" in text
            and "giao cho tổ chức Công ty TNHH Truyền thông Sông Thương 01 bản" in text)
    assert "NGƯỜI CHỨNG KIẾN" in text
    assert "NGƯỜI NHẬN BIÊN BẢN" not in text  # the 2022 form's receipt line


def test_2023_record_of_an_individual_has_gender_and_the_receipt(app, users, make_case,
                                                                 clock):
    clock.set(date(2023, 3, 6))
    case = make_case(state="verifying", subject_kind="individual",
                     subject_name="Nguyễn Văn Hùng", detected_on=date(2023, 3, 1))
    with app.app_context():
        db.session.get(Case, case.id).subject_gender = "male"
        db.session.commit()
    text = squash(pdf_text(make_record(app, users, case, date(2023, 3, 6),
                                       "15/2020/NĐ-CP:99.3.a", place="Trụ sở Sở")))
    assert "Ông (bà): Nguyễn Văn Hùng; giới tính: Nam" in text
    assert "05 ngày làm việc, kể từ ngày lập biên bản này (đến hết ngày 13/03/2023)" in text
    assert "NGƯỜI NHẬN BIÊN BẢN" in text
    assert "hồi …… giờ …… phút, ngày 06 tháng 3 năm 2023" in text  # no hour typed
    assert "được lập thành 02 bản" in text


def test_a_violator_who_does_not_sign_needs_a_witness_and_a_reason(app, users, make_case,
                                                                  login_as):
    case = make_case(state="verifying")
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        live = db.session.get(Case, case.id)
        ops.add_violation(inspector, live, clause_id="174/2013/NĐ-CP:63.3", description="x")
        db.session.commit()
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/record", data={"confirm_record": "y",
        "number": "5", "made_on": "07/11/2014", "place": "Trụ sở Sở",
        "violator_signature": "absent", "copies": "2"})
    assert response.status_code == 422
    assert "người chứng kiến" in response.get_data(as_text=True)
    assert count(app, ViolationRecord) == 0


def test_the_draft_preview_stores_nothing(app, users, make_case, login_as):
    case = make_case(state="verifying")
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        ops.add_violation(inspector, db.session.get(Case, case.id),
                          clause_id="174/2013/NĐ-CP:63.3", description="Thiết lập mạng xã hội.")
        db.session.commit()
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/record/preview", data={
        "number": "", "made_on": "07/11/2014", "place": "Trụ sở Sở", "made_time": "14:05",
        "violator_signature": "signed", "copies": "2"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = squash(pdf_text(response.data))
    assert "DỰ THẢO" in text and "Số: ……/BB-VPHC" in text and "hồi 14 giờ 05 phút" in text
    assert count(app, ViolationRecord) == 0
    assert read(app, lambda: db.session.get(Case, case.id).state) == "verifying"


def test_signatures_never_stand_alone_on_a_page(app, users, make_case):
    """Records of growing length: on every one, the page holding the signature block also
    holds the closing paragraph before it."""
    case = make_case(state="verifying")
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        live = db.session.get(Case, case.id)
        for n in range(1, 7):
            ops.add_violation(inspector, live, clause_id="174/2013/NĐ-CP:63.3",
                              description=f"Hành vi {n}: thiết lập và vận hành mạng xã hội thứ "
                                          f"{n} khi chưa được cấp giấy phép theo quy định.")
        db.session.commit()
        pages_seen = set()
        for words in range(0, 400, 40):
            statement = " ".join(["Công ty trình bày rằng hồ sơ đang được hoàn thiện."]
                                 * (words // 8 + 1))
            try:
                pdf = ops.preview_record(inspector, live, number="5", made_on=date(2014, 11, 7),
                                         place="Trụ sở Sở", violator_statement=statement)
            except OperationError as exc:  # pragma: no cover - shown if it happens
                raise AssertionError(exc.message) from exc
            pages = [squash(p.extract_text()) for p in pdf_reader(pdf).pages]
            pages_seen.add(len(pages))
            holder = [p for p in pages if "NGƯỜI LẬP BIÊN BẢN" in p]
            assert len(holder) == 1
            before = holder[0].split("ĐẠI DIỆN TỔ CHỨC VI PHẠM")[0]
            assert "Biên bản lập xong" in before, (len(pages), before[:200])
            assert f"gồm {len(pages):02d} tờ" in " ".join(pages)
        assert len(pages_seen) >= 2  # the lengths did cross a page
