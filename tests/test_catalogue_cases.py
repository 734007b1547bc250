"""The catalogue where inspectors use it (docs/legal/catalogue.md): the clause picker offers
the provisions in force on the violation date cited to the point, the version applied is
stored with the violation, the record and the draft decision print the point-level citation
with the decree's date, an unplaced act carries its warning to the draft, stored cases under
a release-1 id keep working."""

from __future__ import annotations

import html
import re
from datetime import date

from sqlalchemy import select, text

from cases.models import Case, Violation
from catalogue.models import LegalClause
from extensions import db
from tests.helpers import pdf_text, read, squash

DECREE_15 = ("Nghị định số 15/2020/NĐ-CP ngày 03 tháng 02 năm 2020 của Chính phủ quy định xử "
             "phạt vi phạm hành chính trong lĩnh vực bưu chính, viễn thông, tần số vô tuyến "
             "điện, công nghệ thông tin và giao dịch điện tử")
AMENDED = ("được sửa đổi, bổ sung bởi Nghị định số 14/2022/NĐ-CP ngày 27 tháng 01 năm 2022 "
           "của Chính phủ")


def _page(client, case_id) -> str:
    return html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))


def test_the_picker_offers_the_provisions_in_force_cited_to_the_point(app, users, make_case,
                                                                       login_as):
    case = make_case(state="verifying", detected_on=date(2014, 11, 3))
    page = _page(login_as("inspector"), case.id)
    assert 'value="174/2013/NĐ-CP:64.1.a"' in page
    assert "điểm a khoản 1 Điều 64 Nghị định số 174/2013/NĐ-CP — Thực hiện không đúng" in page
    assert 'value="15/2020/NĐ-CP:101.1.a"' not in page  # not yet in force in 2014
    assert 'value="15/2020/NĐ-CP:101.1"' not in page  # release-1 ids are not offered
    # an act whose article is not established: offered, flagged
    tag, label = re.search(r'<option([^>]*value="174/2013/NĐ-CP:unplaced\.general-website-'
                           r'without-licence"[^>]*)>([^<]*)</option>', page).groups()
    assert "(chưa xác định điều, khoản, điểm)" in label and "⚠" in label
    assert 'data-remedial="chưa rõ — kiểm tra văn bản"' in tag


def test_a_2021_violation_applies_the_2020_text_and_the_draft_cites_its_point(
        app, users, make_case, login_as, clock):
    clock.set(date(2021, 5, 10))
    case = make_case(state="verifying", detected_on=date(2021, 5, 6),
                     subject_kind="individual", subject_name="Nguyễn Thị Lan")
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/violations", data={
        "clause_id": "15/2020/NĐ-CP:101.1.a", "sanction_kind": "fine",
        "description": "Đăng tin sai sự thật về dịch bệnh trên Facebook.", "mitigating": "0",
        "remedial_measures": "Buộc gỡ bỏ thông tin sai sự thật"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    violation = read(app, lambda: db.session.scalar(select(Violation)))
    assert (violation.clause_id, violation.clause_version, violation.fine_amount) == (
        "15/2020/NĐ-CP:101.1.a", 1, 7_500_000)
    assert client.post(f"/cases/{case.id}/record", data={
        "confirm_record": "y",
        "number": "05/BB-VPHC", "made_on": "10/05/2021", "place": "Trụ sở Sở"}).status_code == 302
    record = squash(pdf_text(client.get(f"/cases/{case.id}/record.pdf").data))
    assert f"điểm a khoản 1 Điều 101 {DECREE_15}" in record
    draft = squash(pdf_text(client.get(f"/cases/{case.id}/decision-draft.pdf").data))
    assert f"Quy định tại điểm a khoản 1 Điều 101 {DECREE_15}." in draft
    assert "14/2022" not in draft  # the 2020 text, before its amendment
    assert f"Căn cứ {DECREE_15};" in draft
    assert "7.500.000" in draft


def test_after_2022_the_amending_decree_is_cited(app, users, make_case, login_as, clock):
    clock.set(date(2023, 3, 1))
    case = make_case(state="verifying", detected_on=date(2023, 2, 27),
                     subject_kind="individual", subject_name="Trần Văn Bình")
    client = login_as("inspector")
    assert client.post(f"/cases/{case.id}/violations", data={
        "clause_id": "15/2020/NĐ-CP:101.1.b", "sanction_kind": "fine",
        "description": "Chia sẻ nội dung không phù hợp thuần phong mỹ tục.",
        "mitigating": "0"}).status_code == 302
    client.post(f"/cases/{case.id}/record", data={
        "confirm_record": "y",
        "number": "07/BB-VPHC", "made_on": "01/03/2023", "place": "Trụ sở Sở"})
    draft = squash(pdf_text(client.get(f"/cases/{case.id}/decision-draft.pdf").data))
    assert f"Quy định tại điểm b khoản 1 Điều 101 {DECREE_15}, {AMENDED}." in draft
    assert f"Căn cứ {DECREE_15}, {AMENDED};" in draft


def test_the_unlicensed_general_website_carries_its_warning_to_the_draft(
        app, users, make_case, login_as):
    case = make_case(state="record_made",
                     clause_id="174/2013/NĐ-CP:unplaced.general-website-without-licence")
    client = login_as("inspector")
    page = _page(client, case.id)
    assert "catalogue entry not verified" in page or "chưa được kiểm chứng" in page
    draft = squash(pdf_text(client.get(f"/cases/{case.id}/decision-draft.pdf").data))
    assert "Dự thảo dựa trên điều khoản chưa được kiểm chứng" in draft
    assert "(chưa xác định điều, khoản, điểm)" in draft
    assert "15.000.000" in draft  # the midpoint of 10–20 M for an organisation


def test_changing_the_case_dates_moves_the_violation_to_the_text_then_in_force(
        app, users, make_case, login_as, clock):
    from auth.models import User
    from cases import operations as ops
    from core.errors import OperationError

    clock.set(date(2022, 3, 1))
    case = make_case(state="verifying", detected_on=date(2022, 2, 1))
    with app.app_context():
        user = db.session.get(User, users["inspector"].id)
        live = db.session.get(Case, case.id)
        ops.add_violation(user, live, clause_id="15/2020/NĐ-CP:101.1.a", description="x")
        db.session.commit()
        assert live.violations[0].clause_version == 2
        data = {name: getattr(live, name) for name in ops.intake.CASE_FIELDS}
        data["detected_on"] = date(2021, 12, 1)
        ops.update_case(user, live, data)
        db.session.commit()
        assert live.violations[0].clause_version == 1  # before Decree 14/2022
        data["detected_on"] = date(2019, 12, 1)  # before Decree 15/2020: refused
        try:
            ops.update_case(user, live, data)
        except OperationError as exc:
            assert "15/04/2020" in exc.message and exc.field == "detected_on"
        else:
            raise AssertionError("a date before the provision was accepted")
        db.session.rollback()


def test_a_case_stored_under_a_release_1_id_keeps_working(app, users, make_case, login_as,
                                                          clock):
    """A violation stored by release 1 under `15/2020/NĐ-CP:101.1` (as the migration leaves
    it): the row is kept, marked replaced; the case page and the draft still work."""
    clock.set(date(2023, 3, 1))
    case = make_case(state="verifying", detected_on=date(2023, 2, 27))
    with app.app_context():
        db.session.add(LegalClause(
            id="15/2020/NĐ-CP:101.1", version=1, instrument_id="15/2020/NĐ-CP", article="101",
            clause="1", point=None, act_vi="Lợi dụng mạng xã hội để cung cấp, chia sẻ thông tin "
            "giả mạo, sai sự thật", act_en="", fine_min=10_000_000, fine_max=20_000_000,
            base_subject="organisation", warning_allowed=False, field="electronic_information",
            enforces=[], amended_by=[], effective_from=date(2022, 1, 27),
            effective_to=date(2026, 6, 30), status="V", verified=True, source="release 1",
            superseded_by="15/2020/NĐ-CP:101.1.a"))
        db.session.execute(text(
            "INSERT INTO violations (case_id, clause_id, clause_version, description, "
            "mitigating, aggravating, sanction_kind, fine_amount) VALUES (:c, "
            "'15/2020/NĐ-CP:101.1', 1, 'Chia sẻ tin sai sự thật', 0, 0, 'fine', 15000000)"),
            {"c": case.id})
        db.session.commit()
    client = login_as("inspector")
    page = _page(client, case.id)
    assert "khoản 1 Điều 101 15/2020/NĐ-CP" in page and "15/2020/NĐ-CP:101.1.a" in page
    assert 'value="15/2020/NĐ-CP:101.1"' not in page
    client.post(f"/cases/{case.id}/record", data={
        "confirm_record": "y",
        "number": "09/BB-VPHC", "made_on": "01/03/2023", "place": "Trụ sở Sở"})
    draft = squash(pdf_text(client.get(f"/cases/{case.id}/decision-draft.pdf").data))
    assert f"Quy định tại khoản 1 Điều 101 {DECREE_15}." in draft
