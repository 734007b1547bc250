"""Inspection campaigns through the web pages (docs/inspections.md): the campaign and its
scope, the team decision (drafted, approved and issued by another supervisor, its PDF read
back), the plan, checks with no violation, with a violation opening a case, and a referral;
the registry updated from a check; the campaign's deadlines and reminders; who may do what."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from cases.models import Case, Evidence
from core.models import Notification
from deadlines.models import Deadline
from extensions import db
from inspections.models import Campaign, InspectionCheck
from registry.models import Site, SiteStatusChange
from tests.conftest import waive
from tests.helpers import pdf_text, read, squash
from tests.test_query_budgets import statements, tables_read

CAMPAIGN = {"code": "KT-2014-01", "title": "Kiểm tra trang thông tin điện tử tổng hợp và "
            "mạng xã hội theo công văn ngày 06/11/2014",
            "legal_basis": "Công văn ngày 06/11/2014 của Bộ Thông tin và Truyền thông về "
                           "tăng cường kiểm tra, rà soát thông tin điện tử trên mạng",
            "tasks": "Kiểm tra việc chấp hành giấy phép, nội dung, lưu trữ và báo cáo.",
            "period_start": "10/11/2014", "period_end": "19/11/2014",
            "report_due_on": "19/11/2014"}

SITES = [
    ("diendansongthuong.net", "social_network", "unlicensed", "Yên Dũng"),
    ("tinbacgiang24h.vn", "general_website", "licensed", "TP Bắc Giang"),
    ("chobacgiang.vn", "social_network", "trial", "Lạng Giang"),
    ("vanhoaxuquang.vn", "general_website", "unlicensed", "Lục Nam"),
    ("thuvien-bg.edu.vn", "other", "licensed", "TP Bắc Giang"),
]


@pytest.fixture
def sites(app, users):
    from auth.models import User
    from registry import operations as registry_ops

    with app.app_context():
        user = db.session.get(User, users["inspector"].id)
        for domain, kind, status, district in SITES:
            registry_ops.create_site(user, {
                "kind": kind, "name": f"Trang {domain}", "domain": domain, "status": status,
                "operator_kind": "organisation", "operator_name": f"Công ty {domain}",
                "operator_address": "Bắc Giang", "district": district,
                "licence_number": "12/GP-STTTT" if status == "licensed" else None})
        db.session.commit()
        return {s.domain: s.id for s in db.session.scalars(select(Site))}


def _campaign_id(app) -> int:
    return read(app, lambda: db.session.scalar(select(Campaign.id)))


def _check_id(app, domain: str) -> int:
    return read(app, lambda: db.session.scalar(
        select(InspectionCheck.id).join(Site).where(Site.domain == domain)))


def _running(app, users, login_as, sites):
    """A campaign created, scoped, staffed from three agencies, planned and its team decision
    issued; returns (campaign id, the supervisor's client)."""
    sup = login_as("supervisor")
    assert sup.post("/inspections/", data=CAMPAIGN).status_code == 302
    cid = _campaign_id(app)
    scope = {"kinds": ["general_website", "social_network"], "statuses": ["unlicensed", "trial"]}
    assert sup.post(f"/inspections/{cid}/scope", data=scope).status_code == 302
    members = [
        {"name": "Nguyễn Đức Thắng", "title": "Chánh Thanh tra Sở", "agency": "department",
         "role": "head", "user_id": str(users["supervisor"].id)},
        {"name": "Trần Thị Lan", "title": "Thanh tra viên", "agency": "department",
         "role": "member", "user_id": str(users["inspector"].id)},
        {"name": "Đỗ Văn Hùng", "title": "Đại úy, Phòng An ninh mạng", "agency": "police",
         "role": "deputy", "user_id": ""},
        {"name": "Hoàng Thị Mai", "title": "Chuyên viên Phòng Quản lý văn hóa",
         "agency": "culture", "role": "member", "user_id": ""},
    ]
    for member in members:
        assert sup.post(f"/inspections/{cid}/members", data=member).status_code == 302
    assert sup.post(f"/inspections/{cid}/plan-scope").status_code == 302
    assert sup.post(f"/inspections/{cid}/decision/draft").status_code == 302
    other = login_as("supervisor2")
    assert other.post(f"/inspections/{cid}/decision/issue").status_code == 302
    return cid, sup


def test_scope_from_the_registry_and_the_plan(app, users, login_as, sites):
    cid, sup = _running(app, users, login_as, sites)
    with app.app_context():
        in_scope = db.session.scalar(select(func.count()).select_from(Site).where(
            Site.kind.in_(["general_website", "social_network"]),
            Site.status.in_(["unlicensed", "trial"])))
        planned = db.session.scalars(select(InspectionCheck)).all()
        assert len(planned) == in_scope == 3
        # spread over the working days of the period, the whole team assigned
        assert all(date(2014, 11, 10) <= c.planned_on <= date(2014, 11, 19) for c in planned)
        assert len({c.planned_on for c in planned}) == 3
        assert all(len(c.members) == 4 for c in planned)
    page = sup.get(f"/inspections/{cid}").get_data(as_text=True)
    assert "Trang chobacgiang.vn</a>" in page and "Trang tinbacgiang24h.vn</a>" not in page
    # a hand-picked site is added to the plan on a date of the period
    form = {"site_id": str(sites["tinbacgiang24h.vn"]), "planned_on": "18/11/2014"}
    assert sup.post(f"/inspections/{cid}/plan", data=form).status_code == 302
    outside = {"site_id": str(sites["thuvien-bg.edu.vn"]), "planned_on": "25/11/2014"}
    response = sup.post(f"/inspections/{cid}/plan", data=outside)
    assert response.status_code == 422
    assert "10/11/2014" in response.get_data(as_text=True)


def test_team_decision_issued_by_another_supervisor_and_its_pdf(app, users, login_as, sites):
    sup = login_as("supervisor")
    assert sup.post("/inspections/", data=CAMPAIGN).status_code == 302
    cid = _campaign_id(app)
    # no head yet: the draft is refused
    sup.post(f"/inspections/{cid}/members", data={
        "name": "Đỗ Văn Hùng", "agency": "police", "role": "member", "user_id": ""})
    sup.post(f"/inspections/{cid}/decision/draft")
    assert read(app, lambda: db.session.get(Campaign, cid).decision_state) is None
    sup.post(f"/inspections/{cid}/members", data={
        "name": "Nguyễn Đức Thắng", "agency": "department", "role": "head",
        "user_id": str(users["supervisor"].id)})
    sup.post(f"/inspections/{cid}/members", data={
        "name": "Hoàng Thị Mai", "agency": "culture", "role": "member", "user_id": ""})
    assert sup.post(f"/inspections/{cid}/decision/draft").status_code == 302
    # the drafter cannot approve it, nor can an inspector
    assert sup.post(f"/inspections/{cid}/decision/issue").status_code == 403
    assert login_as("inspector").post(f"/inspections/{cid}/decision/issue").status_code == 403
    other = login_as("supervisor2")
    assert other.post(f"/inspections/{cid}/decision/issue").status_code == 302
    response = sup.get(f"/inspections/{cid}/decision.pdf")
    text = squash(pdf_text(response.data))
    assert "Số: 01/QĐ-TTra" in text
    assert "thành lập Đoàn kiểm tra liên ngành" in text
    for words in ("Sở Thông tin và Truyền thông", "Công an tỉnh",
                  "Sở Văn hóa, Thể thao và Du lịch", "Nguyễn Đức Thắng", "Đỗ Văn Hùng",
                  "Hoàng Thị Mai", "Trưởng đoàn", "từ ngày 10/11/2014 đến ngày 19/11/2014",
                  "Luật Thanh tra số 56/2010/QH12", "Phạm Thu Hà"):
        assert words in text, words
    # frozen: the stored bytes are served again, the team can no longer change
    assert sup.get(f"/inspections/{cid}/decision.pdf").data == response.data
    sup.post(f"/inspections/{cid}/members", data={
        "name": "Người mới", "agency": "police", "role": "member", "user_id": ""})
    assert read(app, lambda: len(db.session.get(Campaign, cid).members)) == 3


def test_check_with_no_violation_and_with_a_violation_opening_a_case(app, users, login_as,
                                                                      sites):
    cid, sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    quiet = _check_id(app, "chobacgiang.vn")
    member_ids = read(app, lambda: [str(m.id) for m in db.session.get(Campaign, cid).members])
    response = insp.post(f"/inspections/checks/{quiet}", data={
        "checked_on": "11/11/2014", "place": "Trụ sở Công ty", "member_ids": member_ids[:3],
        "items": ["licence", "content", "storage"], "operator_present": "Ông Lê Văn Tâm",
        "findings": "Trang đang thử nghiệm đúng thông báo; nội dung phù hợp.",
        "statement": "Công ty cam kết hoàn thiện hồ sơ cấp phép.", "outcome": "no_violation"})
    assert response.status_code == 302
    text = squash(pdf_text(insp.get(f"/inspections/checks/{quiet}/record.pdf").data))
    assert "BIÊN BẢN KIỂM TRA" in text and "Ông Lê Văn Tâm" in text
    assert "Không phát hiện vi phạm" in text and "Đỗ Văn Hùng" in text
    assert "Hoàng Thị Mai" not in text  # she did not take part in this one
    assert read(app, lambda: db.session.scalar(select(func.count()).select_from(Case))) == 0

    bad = _check_id(app, "vanhoaxuquang.vn")
    response = insp.post(f"/inspections/checks/{bad}", data={
        "checked_on": "12/11/2014", "member_ids": member_ids, "items": ["licence", "content"],
        "findings": "Trang thông tin điện tử tổng hợp hoạt động khi chưa có giấy phép.",
        "outcome": "violation", "site_status": "unlicensed",
        "operator_name": "Công ty TNHH Văn hóa Xương Giang"})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.check_id == bad
        assert case.detection_method == "campaign"
        assert case.detected_on == date(2014, 11, 12)
        assert case.site.domain == "vanhoaxuquang.vn"
        assert case.subject_name == "Công ty TNHH Văn hóa Xương Giang"
        evidence = db.session.scalar(select(Evidence).where(Evidence.case_id == case.id))
        assert evidence.filename.startswith("bien-ban-kiem-tra-KT-2014-01")
        check = db.session.get(InspectionCheck, bad)
        assert evidence.sha256 == check.record_sha256
        # the registry: the operator identified, the check as the reason in the history
        site = db.session.get(Site, sites["vanhoaxuquang.vn"])
        assert site.operator_name == "Công ty TNHH Văn hóa Xương Giang"
        case_id, code = case.id, case.code
    sqls, page = statements(app, insp, f"/cases/{case_id}")
    assert "KT-2014-01" in page and f"/inspections/checks/{bad}" in page
    # the check and its campaign come with the case (cases.views.common.case_page_loads)
    assert not {"inspection_checks", "campaigns"} & tables_read(sqls)
    listing = sup.get(f"/inspections/{cid}").get_data(as_text=True)
    assert code in listing


def test_registry_status_changed_by_a_check_with_the_check_as_reason(app, users, login_as,
                                                                     sites):
    cid, _sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    row = _check_id(app, "chobacgiang.vn")
    member = read(app, lambda: str(db.session.get(Campaign, cid).members[1].id))
    assert insp.post(f"/inspections/checks/{row}", data={
        "checked_on": "12/11/2014", "member_ids": [member], "items": ["operator"],
        "findings": "Trang đã ngừng hoạt động, tên miền không còn trỏ tới máy chủ.",
        "outcome": "no_violation", "site_status": "ceased"}).status_code == 302
    with app.app_context():
        site = db.session.get(Site, sites["chobacgiang.vn"])
        assert site.status == "ceased"
        change = db.session.scalars(select(SiteStatusChange).where(
            SiteStatusChange.site_id == site.id).order_by(SiteStatusChange.id.desc())).first()
        assert change.old_status == "trial" and change.new_status == "ceased"
        assert "KT-2014-01" in change.reason and "12/11/2014" in change.reason


def test_referral_numbered_with_its_letter_in_the_record(app, users, login_as, sites):
    cid, _sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    row = _check_id(app, "diendansongthuong.net")
    member = read(app, lambda: str(db.session.get(Campaign, cid).members[1].id))
    incomplete = {"checked_on": "12/11/2014", "member_ids": [member], "items": ["content"],
                  "findings": "Diễn đàn đăng bài xuyên tạc, kích động.", "outcome": "referral",
                  "referral_target": "police"}
    response = insp.post(f"/inspections/checks/{row}", data=incomplete)
    assert response.status_code == 422
    assert read(app, lambda: db.session.get(InspectionCheck, row).outcome) is None
    response = insp.post(f"/inspections/checks/{row}", data=dict(
        incomplete, referral_recipient="Công an tỉnh Bắc Giang",
        referral_reason="Có dấu hiệu tội phạm theo Điều 88 Bộ luật Hình sự."))
    assert response.status_code == 302
    text = squash(pdf_text(insp.get(f"/inspections/checks/{row}/record.pdf").data))
    assert "Công an tỉnh Bắc Giang" in text and "01/STTTT-TTra" in text
    letter = squash(pdf_text(insp.get(f"/inspections/checks/{row}/referral.pdf").data))
    assert "Số: 01/STTTT-TTra" in letter and "Kính gửi: Công an tỉnh Bắc Giang" in letter
    assert "Điều 88 Bộ luật Hình sự" in letter and "Phạm Thu Hà" in letter

    # the letter is frozen as sent: renaming the site later does not change it
    import hashlib

    from sqlalchemy import update

    from core.models import IssuedDocument
    sent = insp.get(f"/inspections/checks/{row}/referral.pdf")
    assert sent.headers["X-Content-SHA256"] == hashlib.sha256(sent.data).hexdigest()
    with app.app_context():
        registered = db.session.scalar(select(IssuedDocument).where(
            IssuedDocument.kind == "letter"))
        assert (registered.reference, registered.sha256) == (
            "01/STTTT-TTra", hashlib.sha256(sent.data).hexdigest())
        site_id = db.session.get(InspectionCheck, row).site_id
        db.session.execute(update(Site).where(Site.id == site_id).values(
            name="Diễn đàn đổi tên sau khi gửi"))
        db.session.commit()
    again = insp.get(f"/inspections/checks/{row}/referral.pdf")
    assert again.data == sent.data
    assert "đổi tên" not in squash(pdf_text(again.data))
    # a byte changed in the stored letter: refused, never served
    with app.app_context():
        pdf = bytearray(db.session.scalar(select(InspectionCheck.referral_pdf).where(
            InspectionCheck.id == row)))
        pdf[len(pdf) // 2] ^= 1
        db.session.execute(update(InspectionCheck).where(InspectionCheck.id == row)
                           .values(referral_pdf=bytes(pdf)))
        db.session.commit()
    refused = insp.get(f"/inspections/checks/{row}/referral.pdf")
    assert refused.status_code == 500 and "không còn khớp" in refused.get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"referral letter 01/STTTT-TTra (check {row}): its PDF hashes" in result.output


def test_who_plans_who_records_who_approves(app, users, login_as, sites):
    insp = login_as("inspector")
    assert insp.post("/inspections/", data=CAMPAIGN).status_code == 403
    assert login_as("admin").post("/inspections/", data=CAMPAIGN).status_code == 403
    cid, sup = _running(app, users, login_as, sites)
    assert insp.post(f"/inspections/{cid}/plan-scope").status_code == 403
    row = _check_id(app, "chobacgiang.vn")
    data = {"checked_on": "12/11/2014", "items": ["licence"], "findings": "Không vi phạm.",
            "outcome": "no_violation"}
    # an inspector who is not a member of the team cannot record its checks
    assert login_as("inspector2").post(f"/inspections/checks/{row}", data=data).status_code \
        == 403
    page = login_as("inspector2").get(f"/inspections/checks/{row}").get_data(as_text=True)
    assert 'name="findings"' not in page
    assert 'name="findings"' in insp.get(f"/inspections/checks/{row}").get_data(as_text=True)
    # a campaign whose team decision is not issued: nobody records yet
    sup.post("/inspections/", data=dict(CAMPAIGN, code="KT-2014-02"))
    assert login_as("admin").get(f"/inspections/{cid}").status_code == 200


def test_deadlines_and_reminders_of_the_campaign(app, users, login_as, sites, clock):
    cid, _sup = _running(app, users, login_as, sites)
    with app.app_context():
        rows = {d.key: d for d in db.session.scalars(
            select(Deadline).where(Deadline.campaign_id == cid))}
        # 30 days from the decision of 12/11/2014; 15 days after the period's end 19/11
        assert rows["inspection_on_site"].due_on == date(2014, 12, 12)
        assert rows["inspection_report"].due_on == date(2014, 12, 4)
        assert not rows["inspection_on_site"].verified  # shown with a warning
    from deadlines.planner import plan_reminders

    clock.set(date(2014, 12, 1))
    with app.app_context():
        assert plan_reminders() >= 2
        db.session.commit()
        subjects = db.session.scalars(select(Notification.subject)).all()
    assert any(s.startswith("[KT-2014-01] Hạn báo cáo kết quả kiểm tra: hạn 04/12/2014")
               for s in subjects), subjects


def _record(client, app, cid, domain, outcome, day="12/11/2014", **extra):
    row = _check_id(app, domain)
    member_ids = read(app, lambda: [str(m.id) for m in db.session.get(Campaign, cid).members])
    data = {"checked_on": day, "member_ids": extra.pop("member_ids", member_ids),
            "items": ["licence", "content"], "outcome": outcome,
            "findings": f"Kết quả kiểm tra {domain}.", **extra}
    assert client.post(f"/inspections/checks/{row}", data=data).status_code == 302
    return row


def test_progress_and_result_report_figures_equal_the_database(app, users, login_as, sites,
                                                               clock):
    from auth.models import User
    from cases import operations as case_ops
    from cases.models import Decision
    from registry.models import Report, ReportObligation

    cid, sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    department = read(app, lambda: [str(m.id) for m in db.session.get(Campaign, cid).members
                                    if m.agency == "department"])
    _record(insp, app, cid, "chobacgiang.vn", "no_violation", day="11/11/2014",
            member_ids=department)
    _record(insp, app, cid, "vanhoaxuquang.vn", "violation")
    _record(insp, app, cid, "diendansongthuong.net", "referral", referral_target="police",
            referral_recipient="Công an tỉnh Bắc Giang", referral_reason="Dấu hiệu tội phạm.")
    with app.app_context():  # the case opened from the check is sanctioned and paid
        owner = db.session.get(User, users["inspector"].id)
        boss = db.session.get(User, users["supervisor"].id)
        case = db.session.scalar(select(Case))
        case_ops.start_verification(owner, case)
        case_ops.add_violation(owner, case, clause_id="174/2013/NĐ-CP:63.3",
                               description="Thiết lập trang không phép.",
                               fine_amount=25_000_000)
        case_ops.make_record(owner, case, number="05/BB-VPHC", made_on=date(2014, 11, 12),
                             place="Trụ sở Sở")
        waive(owner, case, date(2014, 11, 12))  # the violator waived the right to explain
        case_ops.propose_sanction(owner, case)
        case_ops.approve_sanction(boss, case)
        case_ops.issue_decision(owner, case, date(2014, 11, 12))
        case_ops.record_delivery(owner, case, date(2014, 11, 12))
        # paid 30.000.000 đ on a 25.000.000 đ fine: 5.000.000 đ is to be refunded
        case_ops.record_payment(owner, case, date(2014, 11, 12), 30_000_000)
        db.session.commit()
    page = sup.get(f"/inspections/{cid}").get_data(as_text=True)
    assert "25.000.000" in page  # fines decided, on the progress table

    with app.app_context():
        checks = db.session.scalars(select(InspectionCheck)).all()
        expected = {
            "planned": len(checks),
            "checked": sum(1 for c in checks if c.checked_on is not None),
            "violations": sum(1 for c in checks if c.outcome == "violation"),
            "cases": db.session.scalar(select(func.count()).select_from(Case).where(
                Case.check_id.is_not(None))),
            "decisions": db.session.scalar(select(func.count()).select_from(Decision)),
            "fines_decided": db.session.scalar(select(func.sum(Decision.total_fine))),
            "fines_collected": 25_000_000,  # collected up to what was owed
            "referrals": sum(1 for c in checks if c.outcome == "referral"),
        }
    assert expected["checked"] == 3 and expected["fines_decided"] == 25_000_000

    clock.set(date(2014, 11, 19))
    response = sup.post(f"/inspections/{cid}/report", data={
        "conclusion": "Phát hiện một trang hoạt động không phép, một diễn đàn có dấu hiệu "
                      "tội phạm đã chuyển Công an.",
        "proposals": "Đề nghị Bộ hướng dẫn việc thu hồi tên miền.", "action": "issue"})
    assert response.status_code == 302
    with app.app_context():
        campaign = db.session.get(Campaign, cid)
        report = db.session.get(Report, campaign.report_id)
        assert campaign.status == "reported"
        assert report.figures["total"] == expected
        assert report.full_number == "01/BC-STTTT"
        obligation = db.session.get(ReportObligation, campaign.obligation_id)
        assert obligation.submitted.id == report.id
        states = dict(db.session.execute(select(Deadline.key, Deadline.state).where(
            Deadline.campaign_id == cid)).all())
        report_id = report.id
        police = report.figures["agencies"]["police"]
        assert police["checked"] == 2  # the police officer took part in two of the three
    assert states["inspection_report"] == "met"
    text = squash(pdf_text(sup.get(f"/sites/reports/{report_id}.pdf").data))
    assert "Số: 01/BC-STTTT" in text and "KT-2014-01" in text
    assert "Số trang, mạng xã hội đã kiểm tra 3" in text
    assert "Số vụ việc chuyển cơ quan có thẩm quyền 1" in text
    assert "25.000.000 đồng" in text and "Đề nghị Bộ hướng dẫn" in text
    import io

    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(sup.get(f"/sites/reports/{report_id}.xlsx").data)).active
    totals = {r[1]: r[2] for r in sheet.iter_rows(values_only=True) if r[0] == "Tổng hợp"}
    assert totals["Số trang, mạng xã hội đã kiểm tra"] == expected["checked"]
    assert totals["Số tiền phạt đã quyết định (đồng)"] == expected["fines_decided"]
    # reported: the plan is closed, the report is not issued twice
    again = sup.post(f"/inspections/{cid}/report", data={"conclusion": "x", "action": "issue"})
    assert again.status_code == 422
    assert read(app, lambda: db.session.scalar(select(func.count()).select_from(Report))) == 1


def test_calendar_shows_each_check_on_its_day(app, users, login_as, sites):
    cid, sup = _running(app, users, login_as, sites)
    page = sup.get(f"/inspections/{cid}").get_data(as_text=True)
    calendar = page[page.index('id="calendar"'):]
    with app.app_context():
        planned = [(c.planned_on, c.site.domain) for c in db.session.scalars(
            select(InspectionCheck).order_by(InspectionCheck.planned_on))]
    for day, domain in planned:
        cell = calendar[calendar.index(f"<b>{day:%d/%m}</b>"):]
        assert cell.index(domain) < cell.index("</td>")


def test_command_line_lists_campaigns_and_writes_the_team_decision(app, users, login_as,
                                                                   sites, runner, tmp_path):
    cid, _sup = _running(app, users, login_as, sites)
    _record(login_as("inspector"), app, cid, "chobacgiang.vn", "no_violation")
    result = runner.invoke(args=["inspections", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "KT-2014-01\t10/11/2014–19/11/2014\tplanned 3\tchecked 1\tviolations 0\tcases 0\t"
        "running"]
    target = tmp_path / "qd.pdf"
    result = runner.invoke(args=["inspections", "pdf", "KT-2014-01", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = squash(pdf_text(target.read_bytes()))
    assert "Số: 01/QĐ-TTra" in text and "Công an tỉnh" in text
    missing = runner.invoke(args=["inspections", "pdf", "KT-1999-09", "-o", str(target)])
    assert missing.exit_code != 0 and "KT-1999-09" in missing.output


def test_demo_runs_the_directives_campaign(app, runner):
    from registry.models import ReportObligation

    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        assert campaign.code == "KT-2014-01"
        # the twelve general websites and social networks of the registry, over the period
        assert len(campaign.checks) == db.session.scalar(
            select(func.count()).select_from(Site).where(
                Site.kind.in_(["general_website", "social_network"]))) == 12
        assert {m.agency for m in campaign.members} == {"department", "police", "culture"}
        outcomes = sorted(c.outcome for c in campaign.checks if c.outcome)
        assert outcomes == ["no_violation", "referral", "violation", "violation"]
        tied = {c.code: c.inspection_check.site.domain for c in db.session.scalars(
            select(Case).where(Case.check_id.is_not(None)))}
        assert tied == {"VV-2014-0001": "diendansongthuong.net",
                        "VV-2014-0007": "yenthe24h.com"}
        obligation = db.session.get(ReportObligation, campaign.obligation_id)
        assert obligation.due_on == date(2014, 11, 19)
        assert "20/11/2014" in obligation.basis
        pdf = campaign.decision_pdf
    text = squash(pdf_text(pdf))
    assert "Số: 01/QĐ-TTra" in text and "Công an tỉnh" in text and "Phạm Thu Hà" in text
    assert "Sở Văn hóa, Thể thao và Du lịch" in text


def test_campaign_page_shows_its_deadlines_and_the_law_flagged_and_the_site_its_checks(
        app, users, login_as, sites):
    cid, sup = _running(app, users, login_as, sites)
    page = sup.get(f"/inspections/{cid}").get_data(as_text=True)
    section = page[page.index('id="deadlines"'):page.index('id="team"')]
    assert "12/12/2014" in section and "04/12/2014" in section
    assert "⚠" in section  # the 30 days are not verified
    assert "Luật Thanh tra số 56/2010/QH12" in section
    site = sup.get(f"/sites/{sites['chobacgiang.vn']}").get_data(as_text=True)
    assert "KT-2014-01" in site


def test_scope_by_district_and_by_hand_and_the_return_of_a_draft(app, users, login_as,
                                                                  sites):
    sup = login_as("supervisor")
    assert sup.post("/inspections/", data=CAMPAIGN).status_code == 302
    cid = _campaign_id(app)
    scope = {"districts": "TP Bắc Giang\n", "site_ids": [str(sites["chobacgiang.vn"])]}
    assert sup.post(f"/inspections/{cid}/scope", data=scope).status_code == 302
    with app.app_context():
        from inspections.operations import scope_sites

        picked = {s.domain for s in scope_sites(db.session.get(Campaign, cid).scope)}
    assert picked == {"tinbacgiang24h.vn", "thuvien-bg.edu.vn", "chobacgiang.vn"}
    # the same code twice, a period ending before it starts: refused beside their fields
    again = sup.post("/inspections/", data=dict(CAMPAIGN, period_end="01/11/2014"))
    assert again.status_code == 422
    for member in ({"name": "Nguyễn Đức Thắng", "agency": "department", "role": "head",
                    "user_id": str(users["supervisor"].id)},
                   {"name": "Đỗ Văn Hùng", "agency": "police", "role": "member",
                    "user_id": ""}):
        assert sup.post(f"/inspections/{cid}/members", data=member).status_code == 302
    second_head = sup.post(f"/inspections/{cid}/members", data={
        "name": "Người thứ hai", "agency": "culture", "role": "head", "user_id": ""})
    assert second_head.status_code == 422
    assert sup.post(f"/inspections/{cid}/decision/draft").status_code == 302
    other = login_as("supervisor2")
    # a return needs its reason; with one, the team may change again
    other.post(f"/inspections/{cid}/decision/return", data={"reason": ""})
    assert read(app, lambda: db.session.get(Campaign, cid).decision_state) == "draft"
    assert other.post(f"/inspections/{cid}/decision/return",
                      data={"reason": "Thiếu cán bộ Sở Văn hóa."}).status_code == 302
    assert read(app, lambda: db.session.get(Campaign, cid).decision_state) is None
    assert sup.post(f"/inspections/{cid}/members", data={
        "name": "Hoàng Thị Mai", "agency": "culture", "role": "member",
        "user_id": ""}).status_code == 302
    assert read(app, lambda: len(db.session.get(Campaign, cid).members)) == 3


def test_a_check_dated_outside_the_period_or_in_the_future_is_refused(app, users, login_as,
                                                                       sites):
    cid, _sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    row = _check_id(app, "chobacgiang.vn")
    member = read(app, lambda: str(db.session.get(Campaign, cid).members[1].id))
    data = {"member_ids": [member], "items": ["licence"], "findings": "Không vi phạm.",
            "outcome": "no_violation"}
    for day in ("05/11/2014", "14/11/2014"):  # before the period; after today (12/11)
        response = insp.post(f"/inspections/checks/{row}", data=dict(data, checked_on=day))
        assert response.status_code == 422
        assert "thời hạn của đợt" in response.get_data(as_text=True)
    assert read(app, lambda: db.session.get(InspectionCheck, row).checked_on) is None
    # nothing ticked: said beside the field, nothing recorded
    response = insp.post(f"/inspections/checks/{row}", data=dict(
        data, checked_on="12/11/2014", items=[]))
    assert response.status_code == 422
    assert read(app, lambda: db.session.get(InspectionCheck, row).checked_on) is None


def test_evidence_attached_to_a_check_goes_into_its_record_and_its_case(app, users, login_as,
                                                                        sites):
    import hashlib
    import io

    cid, _sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    row = _check_id(app, "vanhoaxuquang.vn")
    shot = b"%PDF-1.4\n% trang chu vanhoaxuquang.vn\n%%EOF\n"
    response = insp.post(f"/inspections/checks/{row}/evidence", data={
        "file": (io.BytesIO(shot), "trang-chu.pdf"), "note": "Trang chủ lúc kiểm tra"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    # a user outside the team cannot attach anything
    outsider = login_as("inspector2").post(f"/inspections/checks/{row}/evidence", data={
        "file": (io.BytesIO(shot), "x.pdf")}, content_type="multipart/form-data")
    assert outsider.status_code == 403
    _record(insp, app, cid, "vanhoaxuquang.vn", "violation")
    text = squash(pdf_text(insp.get(f"/inspections/checks/{row}/record.pdf").data))
    digest = hashlib.sha256(shot).hexdigest()
    assert "trang-chu.pdf" in text and digest[:20] in text.replace(" ", "")
    with app.app_context():
        case = db.session.scalar(select(Case))
        files = {e.filename: e.sha256 for e in db.session.scalars(
            select(Evidence).where(Evidence.case_id == case.id))}
        evidence_id = db.session.get(InspectionCheck, row).evidence[0].id
    assert files["trang-chu.pdf"] == digest and len(files) == 2
    assert insp.get(f"/inspections/checks/{row}/evidence/{evidence_id}").data == shot


def test_a_campaign_is_corrected_until_its_team_decision_is_drafted(app, users, login_as,
                                                                    sites):
    sup = login_as("supervisor")
    assert sup.post("/inspections/", data=CAMPAIGN).status_code == 302
    cid = _campaign_id(app)
    sup.post(f"/inspections/{cid}/plan", data={"site_id": str(sites["chobacgiang.vn"]),
                                               "planned_on": "17/11/2014"})
    edit = {"title": "Kiểm tra liên ngành tháng 11/2014",
            "legal_basis": CAMPAIGN["legal_basis"], "tasks": "",
            "period_start": "11/11/2014", "period_end": "18/11/2014"}
    assert sup.post(f"/inspections/{cid}/edit", data=edit).status_code == 302
    with app.app_context():
        campaign = db.session.get(Campaign, cid)
        assert campaign.title == "Kiểm tra liên ngành tháng 11/2014"
        assert (campaign.period_start, campaign.period_end) == (date(2014, 11, 11),
                                                                date(2014, 11, 18))
        assert campaign.code == "KT-2014-01" and campaign.report_due_on == date(2014, 11, 19)
    # a period leaving out the planned check is refused, the check named
    response = sup.post(f"/inspections/{cid}/edit", data=dict(edit, period_end="14/11/2014"))
    assert response.status_code == 422
    assert read(app, lambda: db.session.get(Campaign, cid).period_end) == date(2014, 11, 18)
    assert login_as("inspector").post(f"/inspections/{cid}/edit", data=edit).status_code \
        == 403
    for member in ({"name": "Nguyễn Đức Thắng", "agency": "department", "role": "head",
                    "user_id": ""},
                   {"name": "Đỗ Văn Hùng", "agency": "police", "role": "member",
                    "user_id": ""}):
        sup.post(f"/inspections/{cid}/members", data=member)
    assert sup.post(f"/inspections/{cid}/decision/draft").status_code == 302
    response = sup.post(f"/inspections/{cid}/edit", data=dict(edit, title="Khác"))
    assert response.status_code == 422
    assert read(app, lambda: db.session.get(Campaign, cid).title) == \
        "Kiểm tra liên ngành tháng 11/2014"


def test_two_approvals_of_one_team_decision_at_the_same_moment_issue_it_once(
        app, users, login_as, sites):
    """Two supervisors (or two clicks) approve the same draft at the same moment: the
    decision is issued once, with one number of the series; the second approval finds it
    issued and is refused — no number is taken and thrown away (a gap in the register).
    On PostgreSQL the two transactions really overlap."""
    import threading

    from auth.models import User
    from core.errors import NotAllowed
    from core.models import AuditEvent, DocumentCounter
    from inspections import operations as campaign_ops
    from tests.test_races import _hold_until_waited_on

    sup = login_as("supervisor")
    assert sup.post("/inspections/", data=CAMPAIGN).status_code == 302
    cid = _campaign_id(app)
    for member in ({"name": "Nguyễn Đức Thắng", "title": "Chánh Thanh tra Sở",
                    "agency": "department", "role": "head", "user_id": ""},
                   {"name": "Đỗ Văn Hùng", "title": "Đại úy", "agency": "police",
                    "role": "member", "user_id": ""}):
        assert sup.post(f"/inspections/{cid}/members", data=member).status_code == 302
    assert sup.post(f"/inspections/{cid}/decision/draft").status_code == 302
    outcome: list[str] = []

    def approve():
        with app.app_context():
            try:
                campaign_ops.issue_decision(db.session.get(User, users["supervisor2"].id),
                                            db.session.get(Campaign, cid))
                db.session.commit()
                outcome.append("issued")
            except NotAllowed:
                db.session.rollback()
                outcome.append("refused")

    with app.app_context():
        other = threading.Thread(target=approve)
        campaign_ops.issue_decision(db.session.get(User, users["supervisor2"].id),
                                    db.session.get(Campaign, cid))
        db.session.flush()
        other.start()
        _hold_until_waited_on(app, other)
        db.session.commit()
    other.join(60)
    assert outcome == ["refused"]
    with app.app_context():
        campaign = db.session.get(Campaign, cid)
        assert (campaign.decision_state, campaign.decision_number) == ("issued", 1)
        assert db.session.scalar(select(DocumentCounter.last_number).where(
            DocumentCounter.doc_type == "team")) == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "campaign.decision_issued")) == 1
    # a third approval from a page opened before: told it is issued, shown the campaign
    late = login_as("supervisor2").post(f"/inspections/{cid}/decision/issue",
                                        follow_redirects=True)
    assert late.status_code == 200
    assert "Quyết định thành lập Đoàn đã được ban hành: 01/QĐ-" in late.get_data(as_text=True)
