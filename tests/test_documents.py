"""The decision PDF read back: text, fonts, pages, layout details of
docs/legal/documents.md#decision-layout."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import undefer

from auth.models import User
from cases import operations as ops
from cases.models import Case, Decision
from extensions import db
from tests.helpers import pdf_reader, pdf_text, squash, text_at


def test_five_violations_of_the_2021_shape(app, users, make_case, clock):
    """08/07/2021: five violations of Decree 119/2020 Art. 20(1), 15 M each → 75 M."""
    clock.set(date(2021, 7, 8))
    case = make_case(state="verifying", detected_on=date(2021, 7, 1))
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        supervisor = db.session.get(User, users["supervisor"].id)
        case = db.session.get(Case, case.id)
        ops.add_violation(inspector, case, clause_id="119/2020/NĐ-CP:20.1.đ",
                          description="Ghi sai số giấy phép trên trang chủ.")
        for n in range(1, 5):
            ops.add_violation(inspector, case, clause_id="119/2020/NĐ-CP:20.1.e",
                              description=f"Đăng tác phẩm thứ {n} khi chưa được đồng ý.")
        ops.make_record(inspector, case, number="03/BB-VPHC", made_on=date(2021, 7, 8),
                        place="Trụ sở Sở")
        ops.propose_sanction(inspector, case)
        ops.approve_sanction(supervisor, case)
        decision = ops.issue_decision(inspector, case, date(2021, 7, 8))
        db.session.commit()
        data = db.session.scalar(select(Decision.pdf).where(Decision.id == decision.id))
    text = squash(pdf_text(data))
    # more than three violations: one table row each, the amount of each, then the total
    assert "Đã thực hiện 5 hành vi vi phạm hành chính sau đây" in text
    assert text.count("Phạt tiền 15.000.000") == 5
    assert "Tổng số tiền phạt: 75.000.000 đồng (Bằng chữ: Bảy mươi lăm triệu đồng)" in text
    assert "Bắc Giang, ngày 08 tháng 7 năm 2021" in text
    assert ("Căn cứ Nghị định số 119/2020/NĐ-CP ngày 07 tháng 10 năm 2020 của Chính phủ quy "
            "định xử phạt vi phạm hành chính trong hoạt động báo chí, hoạt động xuất bản;") in text
    # the table cites each point; the decree's date and name are in the bases above
    assert text.count("điểm e khoản 1 Điều 20") == 4
    with app.app_context():
        snapshot = db.session.get(Decision, decision.id).snapshot
    decree = ("Nghị định số 119/2020/NĐ-CP ngày 07 tháng 10 năm 2020 của Chính phủ quy định xử "
              "phạt vi phạm hành chính trong hoạt động báo chí, hoạt động xuất bản")
    assert [v["citation"] for v in snapshot["violations"]] == [
        f"điểm đ khoản 1 Điều 20 {decree}"] + [f"điểm e khoản 1 Điều 20 {decree}"] * 4


def test_layout_page_numbers_and_receipt(app, make_case):
    make_case(state="decision_issued")
    with app.app_context():
        decision = db.session.scalar(select(Decision).options(undefer(Decision.pdf)))
        data = decision.pdf
    reader = pdf_reader(data)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    # page numbers: centred in the top margin (above 20 mm), from page 2 only
    in_top_margin = [[(t, x) for t, x, y in text_at(page) if y < 20] for page in reader.pages]
    assert in_top_margin[0] == []
    (number, x), = in_top_margin[1]
    assert number == "2"
    assert abs(x - (30 + (210 - 30 - 15) / 2)) < 5  # centre of the text block, in mm
    first = squash(pages[0])
    assert first.startswith("SỞ TT&TT TỈNH BẮC GIANG THANH TRA SỞ")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Điều 1." in squash(" ".join(pages))
    assert "BIÊN NHẬN" in pages[-1]  # the delivery receipt on the back page
    assert "Hình thức xử phạt chính: Phạt tiền" in squash(" ".join(pages))


def test_individual_subject_and_draft_watermark(app, users, make_case, login_as):
    case = make_case(state="record_made", subject_kind="individual",
                     subject_name="Nguyễn Văn Hùng", clause_id="174/2013/NĐ-CP:64.3.a")
    response = login_as("inspector").get(f"/cases/{case.id}/decision-draft.pdf")
    text = squash(pdf_text(response.data))
    assert "DỰ THẢO" in text
    assert "Ông (bà): Nguyễn Văn Hùng" in text
    # individual: midpoint of half the organisation's 20–30 M range
    assert "12.500.000 đồng (Bằng chữ: Mười hai triệu năm trăm nghìn đồng)" in text
    assert "Số: ……/QĐ-XPVPHC" in text
