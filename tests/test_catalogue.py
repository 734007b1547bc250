"""The catalogue in the application: administrator corrections (audited, kept by `legal
load`), calendar overrides that move deadlines, competence and time-bar refusals."""

from __future__ import annotations

import html
import re
from datetime import date

from sqlalchemy import select

from cases.models import Case
from catalogue.models import CompetenceLimit, DeadlineRuleText, LegalClause
from core.models import AuditEvent, Notification
from deadlines.models import Deadline
from extensions import db
from tests.helpers import read


def due(app, case_id, key):
    return read(app, lambda: db.session.scalar(select(Deadline.due_on).where(
        Deadline.case_id == case_id, Deadline.key == key)))


CLAUSE = {
    "act_vi": "Thiết lập mạng xã hội mà không có giấy phép", "act_en": "x",
    "fine_min": "20.000.000", "fine_max": "30.000.000", "base_subject": "organisation",
    "field": "electronic_information", "effective_from": "15/01/2014",
    "effective_to": "14/04/2020", "status": "V",
    "source": "Kiểm tra với văn bản gốc ngày 12/11/2014", "warning_allowed": "yes",
    "remedial_unknown": "y", "additional_unknown": "y",
}
KEY = ("174/2013/NĐ-CP:63.3", 1)


def test_admin_corrects_a_version_audited_and_kept_by_legal_load(app, users, login_as, runner):
    admin = login_as("admin")
    url = "/legal/clauses/174/2013/NĐ-CP:63.3/1/edit"
    assert admin.get(url).status_code == 200
    response = admin.post(url, data=dict(CLAUSE, id="174/2013/NĐ-CP:63.3"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    row = read(app, lambda: db.session.get(LegalClause, KEY))
    assert row.warning_allowed and row.locally_modified and row.status == "V"
    assert row.remedial_measures is None  # "not known" stays distinct from "none"
    event = read(app, lambda: db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "catalogue.clause_changed")))
    assert event.before["warning_allowed"] is None and event.after["warning_allowed"] is True
    assert event.before["status"] == "P" and event.after["status"] == "V"
    assert event.note == "174/2013/NĐ-CP:63.3@1"
    result = runner.invoke(args=["legal", "load"])
    assert "kept 1 corrected locally" in result.output
    assert "kept clause 174/2013/NĐ-CP:63.3@1" in result.output  # and what the release proposes
    assert read(app, lambda: db.session.get(LegalClause, KEY)).warning_allowed
    # the administrator's page says so too
    page = html.unescape(admin.get("/legal/").get_data(as_text=True))
    assert "174/2013/NĐ-CP:63.3@1" in page


def test_marking_verified_records_who_when_and_against_what(app, users, login_as, clock):
    admin = login_as("admin")
    key = "174/2013/NĐ-CP:unplaced.general-website-without-licence"
    page = html.unescape(admin.get("/legal/clauses?status=U").get_data(as_text=True))
    assert key in page and "chưa xác định điều, khoản, điểm" not in page  # listed, not cited
    assert admin.post(f"/legal/clauses/{key}/1/verify", data={"source": ""}).status_code == 302
    assert read(app, lambda: db.session.get(LegalClause, (key, 1))).status == "U"
    response = admin.post(f"/legal/clauses/{key}/1/verify", data={
        "source": "Công báo số 853+854 ngày 03/12/2013, Điều 63"})
    assert response.status_code == 302
    row = read(app, lambda: db.session.get(LegalClause, (key, 1)))
    assert (row.status, row.verified, row.verified_by_id) == ("V", True, users["admin"].id)
    assert row.verified_source.startswith("Công báo số 853+854")
    assert row.verified_at is not None
    event = read(app, lambda: db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "catalogue.clause_verified")))
    assert event.before["status"] == "U" and event.after["status"] == "V"
    assert event.actor_id == users["admin"].id
    page = html.unescape(admin.get(f"/legal/clauses?q={key}").get_data(as_text=True))
    assert "Công báo số 853+854" in page


def test_review_page_filters_and_shows_what_changed(app, users, login_as):
    client = login_as("inspector")  # everyone reads it
    page = html.unescape(client.get("/legal/clauses?q=101.1.a").get_data(as_text=True))
    assert "15/2020/NĐ-CP:101.1.a" in page and "15/2020/NĐ-CP:101.1.b" not in page
    assert "15/04/2020 – 26/01/2022" in page and "27/01/2022 – 30/06/2026" in page
    assert "sửa đổi bởi 14/2022/NĐ-CP" in page or "amended by 14/2022/NĐ-CP" in page
    page = html.unescape(client.get(
        "/legal/clauses?q=mang+xa+hoi+khong+giay+phep&on=12/11/2014").get_data(as_text=True))
    assert "174/2013/NĐ-CP:63.3" in page and "15/2020/NĐ-CP:98.3" not in page
    assert client.get("/legal/clauses?on=31/02/2014").status_code == 200  # a bad date: a message


def test_a_new_version_closes_the_one_before(app, users, login_as):
    admin = login_as("admin")
    data = dict(CLAUSE, id="174/2026/NĐ-CP:95.1.a", fine_min="25.000.000",
                fine_max="35.000.000", effective_from="01/01/2027", effective_to="",
                remedial_unknown="", remedial_measures="Buộc gỡ bỏ thông tin vi phạm",
                change_note="Thử: khung mới")
    response = admin.post("/legal/clauses/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    old = read(app, lambda: db.session.get(LegalClause, ("174/2026/NĐ-CP:95.1.a", 1)))
    new = read(app, lambda: db.session.get(LegalClause, ("174/2026/NĐ-CP:95.1.a", 2)))
    assert old.effective_to == date(2026, 12, 31) and new.effective_from == date(2027, 1, 1)
    assert new.remedial_measures == ["Buộc gỡ bỏ thông tin vi phạm"]
    page = html.unescape(admin.get("/legal/clauses?q=174/2026/NĐ-CP:95.1.a").get_data(
        as_text=True))
    assert "20.000.000–30.000.000 đ → 25.000.000–35.000.000 đ" in page
    # a version overlapping another is refused, nothing saved
    data.update(effective_from="01/06/2026")
    response = admin.post("/legal/clauses/174/2026/NĐ-CP:95.1.a/2/edit", data=data)
    assert response.status_code == 422
    assert read(app, lambda: db.session.get(LegalClause, ("174/2026/NĐ-CP:95.1.a", 2))) \
        .effective_from == date(2027, 1, 1)


def test_only_administrators_edit_the_catalogue(app, users, login_as):
    for who in ("inspector", "supervisor"):
        client = login_as(who)
        assert client.get("/legal/").status_code == 200
        assert client.get("/legal/clauses/new").status_code == 403
        assert client.post("/legal/calendar", data={"day": "14/11/2014",
                                                    "kind": "day_off"}).status_code == 403


def test_bad_range_is_refused_with_the_form_kept(app, users, login_as):
    response = login_as("admin").post("/legal/clauses/new", data=dict(
        CLAUSE, id="174/2013/NĐ-CP:64.9.đ", fine_min="30.000.000", fine_max="20.000.000"))
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "174/2013/NĐ-CP:64.9.đ" in page
    assert read(app, lambda: db.session.get(LegalClause, ("174/2013/NĐ-CP:64.9.đ", 1))) is None
    response = login_as("admin").post("/legal/clauses/new", data=dict(
        CLAUSE, id="174/2013/NĐ-CP:64.9.f"))  # f is not a Vietnamese point letter
    assert response.status_code == 422


def test_retired_clause_is_no_longer_offered(app, users, login_as, make_case, clock):
    before = make_case(state="verifying", detected_on=date(2014, 11, 3))
    admin = login_as("admin")
    assert admin.post("/legal/clauses/174/2013/NĐ-CP:64.3.a/1/retire").status_code == 302
    assert read(app, lambda: db.session.get(LegalClause, ("174/2013/NĐ-CP:64.3.a", 1))) \
        .effective_to == date(2014, 11, 12)
    clock.set(date(2014, 11, 20))
    after = make_case(state="verifying", detected_on=date(2014, 11, 18))
    inspector = login_as("inspector")
    # still the law for a violation before its retirement, not for one after
    assert 'value="174/2013/NĐ-CP:64.3.a"' in inspector.get(f"/cases/{before.id}").get_data(
        as_text=True)
    assert 'value="174/2013/NĐ-CP:64.3.a"' not in inspector.get(f"/cases/{after.id}").get_data(
        as_text=True)


def test_a_day_off_added_moves_open_deadlines_and_tells_the_inspector(app, users, login_as,
                                                                       make_case):
    case = make_case(state="record_made", record_on=date(2014, 11, 7),
                     clause_id="174/2013/NĐ-CP:64.1.a")  # no right to explain: 7 days
    assert due(app, case.id, "decision") == date(2014, 11, 14)
    admin = login_as("admin")
    response = admin.post("/legal/calendar", data={"day": "14/11/2014", "kind": "day_off",
                                                   "note": "Nghỉ bù (thông báo giả định)"})
    assert response.status_code == 302  # post/redirect/get: a refresh sends nothing again
    moved_page = admin.get(response.location).get_data(as_text=True)
    assert case.code in moved_page and "17/11/2014" in moved_page
    assert due(app, case.id, "decision") == date(2014, 11, 17)  # Friday off → Monday
    notice = read(app, lambda: db.session.scalar(select(Notification).where(
        Notification.kind == "notice_moved")))
    assert notice.recipient_email == "inspector@stttt.example"
    assert "14/11/2014 → 17/11/2014" in notice.body_text
    # removing it moves the deadline back
    override_id = read(app, lambda: db.session.scalar(select(AuditEvent.object_id).where(
        AuditEvent.action == "calendar.override_added")))
    admin.post(f"/legal/calendar/{override_id}/delete")
    assert due(app, case.id, "decision") == date(2014, 11, 14)


def test_approval_above_competence_is_refused_naming_the_competent_official(
        app, users, login_as, make_case):
    case = make_case(state="sanction_proposed")
    with app.app_context():
        limit = db.session.scalar(select(CompetenceLimit).where(
            CompetenceLimit.title == "chief_inspector"))
        limit.organisation = 20_000_000
        db.session.commit()
    supervisor = login_as("supervisor")
    response = supervisor.post(f"/cases/{case.id}/approve")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "vượt thẩm quyền" in page and "Chủ tịch Ủy ban nhân dân cấp tỉnh" in page
    assert "Mức phạt 30.000.000 đồng vượt thẩm quyền của" in page
    assert "(tối đa 20.000.000 đồng đối với tổ chức)" in page
    assert read(app, lambda: db.session.get(Case, case.id)).state == "sanction_proposed"
    supervisor.post("/lang/en", data={"next": "/"})  # the same refusal, in English
    page = html.unescape(supervisor.post(f"/cases/{case.id}/approve").get_data(as_text=True))
    assert ("A fine of 30.000.000 đồng is above the competence of Chánh Thanh tra Sở "
            "Thông tin và Truyền thông (at most 20.000.000 đồng for organisation)") in page
    supervisor.post("/lang/vi", data={"next": "/"})
    # the way forward: transfer the case, with its own numbered decision
    response = supervisor.post(f"/cases/{case.id}/transfer", data={
        "target": "competent", "recipient": "Chủ tịch Ủy ban nhân dân tỉnh Bắc Giang",
        "transfer_reason": "Vượt thẩm quyền: chuyển Chủ tịch UBND tỉnh."})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert read(app, lambda: db.session.get(Case, case.id)).state == "transferred"
    from cases.models import Decision
    from tests.helpers import pdf_text, squash

    with app.app_context():
        doc = db.session.scalar(select(Decision).where(Decision.kind == "transfer"))
        assert doc.full_number == "01/QĐ-CHS"
        text = squash(pdf_text(doc.pdf))
    assert "Chuyển hồ sơ vụ vi phạm hành chính đến người có thẩm quyền xử phạt" in text
    assert "Chủ tịch Ủy ban nhân dân tỉnh Bắc Giang" in text


def test_time_barred_case_cannot_be_proposed(app, users, login_as, make_case, clock):
    clock.set(date(2014, 2, 1))
    case = make_case(state="record_made", detected_on=date(2014, 1, 20),
                     record_on=date(2014, 1, 25))
    clock.set(date(2015, 1, 21))  # one year after detection of the ongoing violation
    client = login_as("inspector")
    page = html.unescape(client.get(f"/cases/{case.id}").get_data(as_text=True))
    assert "20/01/2015" in page
    response = client.post(f"/cases/{case.id}/propose")
    assert response.status_code == 422
    assert "20/01/2015" in html.unescape(response.get_data(as_text=True))
    assert client.post(f"/cases/{case.id}/dismiss", data={
        "reason": "Hết thời hiệu xử phạt."}).status_code == 302


def test_warning_needs_a_mitigating_circumstance(app, users, login_as, make_case):
    with app.app_context():
        db.session.get(LegalClause, ("174/2013/NĐ-CP:64.3.a", 1)).warning_allowed = True
        db.session.commit()
    case = make_case(state="verifying", subject_kind="individual")
    client = login_as("inspector")
    data = {"clause_id": "174/2013/NĐ-CP:64.3.a", "sanction_kind": "warning",
            "description": "Đăng tin sai sự thật, đã tự gỡ.", "mitigating": "0"}
    assert client.post(f"/cases/{case.id}/violations", data=data).status_code == 422
    data["mitigating"] = "1"
    assert client.post(f"/cases/{case.id}/violations", data=data).status_code == 302
    # a fine on a non-warning clause with one mitigating circumstance (2012 text)
    data = {"clause_id": "174/2013/NĐ-CP:63.3", "sanction_kind": "fine", "mitigating": "1",
            "description": "Mạng xã hội không phép.", "fine_amount": "11.000.000"}
    assert client.post(f"/cases/{case.id}/violations", data=data).status_code == 302
    data["fine_amount"] = "9.000.000"  # below the individual minimum 10.000.000
    response = client.post(f"/cases/{case.id}/violations", data=data)
    assert response.status_code == 422
    assert "từ 10.000.000 đến 12.500.000 đồng" in html.unescape(response.get_data(as_text=True))


def test_the_limitation_period_rolls_and_an_administrator_can_switch_it_off(
        app, users, login_as, make_case):
    """Law Art. 8 → Civil Code Art. 148(5) (P): the limitation period of a violation detected
    on Saturday 08/11/2014 ends on Sunday 08/11/2015, so on Monday 09/11/2015; the rule's page
    switches the roll off, audited, and the open case's deadline moves back."""

    case = make_case(detected_on=date(2014, 11, 8))

    def due():
        return read(app, lambda: db.session.scalar(select(Deadline.due_on).where(
            Deadline.case_id == case.id, Deadline.key == "sanction_limitation")))

    assert due() == date(2015, 11, 9)
    text_id = read(app, lambda: db.session.scalar(select(DeadlineRuleText.id).where(
        DeadlineRuleText.rule_code == "sanction_limitation",
        DeadlineRuleText.when_field == "it")))
    admin = login_as("admin")
    page = admin.get(f"/legal/rules/{text_id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="roll"|<input[^>]*name="roll"[^>]*checked',
                     page)
    response = admin.post(f"/legal/rules/{text_id}/edit", data={
        "period_amount": "1", "basis": "Điểm a khoản 1 Điều 6", "effective_from": "01/07/2013",
        "effective_to": "", "status": "P", "source": "docs/legal/time-limits.md#limitation"})
    assert response.status_code == 302
    assert due() == date(2015, 11, 8)
    with app.app_context():
        row = db.session.get(DeadlineRuleText, text_id)
        assert row.roll is False and row.locally_modified
