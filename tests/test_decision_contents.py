"""The sanction decision (MQĐ02) carries what the form of its period requires
(docs/legal/documents.md#decision-bases, #circumstances, #layout): a 2014 and a 2023
decision read back from their PDFs."""

from __future__ import annotations

from datetime import date

from auth.models import User
from cases import operations as ops
from cases.models import Case, Violation
from extensions import db
from tests.conftest import waive
from tests.helpers import pdf_text, read, squash


def issue(app, users, case, *, clause_id, on, **violation):
    """Violation, record, waiver, proposal, approval and issue on `on`; the PDF's text."""
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        supervisor = db.session.get(User, users["supervisor"].id)
        live = db.session.get(Case, case.id)
        ops.add_violation(inspector, live, clause_id=clause_id,
                          description="Thiết lập mạng xã hội khi chưa có giấy phép.",
                          **violation)
        ops.make_record(inspector, live, number="5", made_on=on, place="Trụ sở Sở")
        waive(inspector, live, on)
        ops.propose_sanction(inspector, live)
        ops.approve_sanction(supervisor, live)
        decision = ops.issue_decision(inspector, live, on)
        db.session.commit()
        return squash(pdf_text(decision.pdf))


def test_2014_decision_names_its_bases_circumstances_treasury_and_late_payment(
        app, users, make_case):
    case = make_case(state="verifying")
    text = issue(app, users, case, clause_id="174/2013/NĐ-CP:63.3", on=date(2014, 11, 7),
                 mitigating_codes=["9.2"], aggravating_codes=["10.1.i"])
    assert "Số: 01/QĐ-XPVPHC" in text
    assert "Căn cứ Luật Xử lý vi phạm hành chính ngày 20 tháng 6 năm 2012;" in text
    assert ("Căn cứ Nghị định số 174/2013/NĐ-CP ngày 13 tháng 11 năm 2013 của Chính phủ"
            in text)
    assert ("Căn cứ khoản 2 Điều 95 Nghị định số 174/2013/NĐ-CP quy định thẩm quyền xử phạt "
            "vi phạm hành chính của Chánh Thanh tra Sở Thông tin và Truyền thông;") in text
    # before 05/03/2020 the last basis ends with a comma (Circular 01/2011/TT-BNV)
    assert "Căn cứ Biên bản vi phạm hành chính số 05/BB-VPHC lập ngày 07/11/2014," in text
    assert ("Tình tiết giảm nhẹ: Người vi phạm hành chính đã tự nguyện khai báo, thành thật "
            "hối lỗi; tích cực giúp đỡ cơ quan chức năng phát hiện vi phạm hành chính, xử lý "
            "vi phạm hành chính (khoản 2 Điều 9 Luật Xử lý vi phạm hành chính).") in text
    assert ("Tình tiết tăng nặng: Tiếp tục thực hiện hành vi vi phạm hành chính mặc dù người "
            "có thẩm quyền đã yêu cầu chấm dứt hành vi đó (điểm i khoản 1 Điều 10 Luật Xử lý "
            "vi phạm hành chính).") in text
    assert "nộp tiền phạt tại Kho bạc Nhà nước tỉnh Bắc Giang, số tài khoản" in text
    assert ("mỗi ngày chậm nộp phạt phải nộp thêm 0,05% trên tổng số tiền phạt chưa nộp "
            "(khoản 1 Điều 78 Luật Xử lý vi phạm hành chính)") in text
    assert "giới tính" not in text  # the 2014 form has no gender line
    with app.app_context():
        v = db.session.query(Violation).one()
        assert (v.mitigating, v.aggravating) == (1, 1)  # the counts follow the names


def test_2023_decision_of_an_individual(app, users, make_case, clock):
    clock.set(date(2023, 3, 6))
    case = make_case(state="verifying", subject_kind="individual",
                     subject_name="Nguyễn Văn Hùng", detected_on=date(2023, 3, 1))
    with app.app_context():
        db.session.get(Case, case.id).subject_gender = "male"
        db.session.commit()
    text = issue(app, users, case, clause_id="15/2020/NĐ-CP:99.3.a", on=date(2023, 3, 6))
    assert "Số: 01/QĐ-XPHC" in text
    assert ("Căn cứ Điều 57, Điều 68, Điều 70, Điều 78, Điều 85 Luật Xử lý vi phạm hành chính "
            "(sửa đổi, bổ sung năm 2020);") in text
    assert "Căn cứ Nghị định số 15/2020/NĐ-CP ngày 03 tháng 02 năm 2020 của Chính phủ" in text
    assert "Căn cứ Biên bản vi phạm hành chính số 05/BB-VPHC lập ngày 06/03/2023." in text
    assert "Ông (bà): Nguyễn Văn Hùng; giới tính: Nam" in text
    assert "0,05%" in text


def test_an_unknown_circumstance_is_refused(app, users, make_case, login_as):
    case = make_case(state="verifying")
    response = login_as("inspector").post(f"/cases/{case.id}/violations", data={
        "clause_id": "174/2013/NĐ-CP:63.3", "sanction_kind": "fine", "description": "x",
        "mitigating_codes": ["9.9"]})
    assert response.status_code == 422
    assert read(app, lambda: db.session.query(Violation).count()) == 0
