"""Demo data: one province (Bắc Giang) in the Ministry's campaign of November 2014.

Every name of a person or company is invented. The cases are built through the same
operations users call, with the clock moved through October–November 2014, so their
deadlines, audit trails and documents are what the product itself produces. The case
VV-2014-0001 has the shape of the Ministry inspectorate's decision of 01/12/2014 (a company
running unlicensed social networks, Decree 174/2013/NĐ-CP Art. 63(3), 25.000.000 đồng).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from auth.models import Role, User
from cases import operations as ops
from cases.models import Case, ExplanationKind
from core.clock import LOCAL_TZ, FixedClock
from extensions import db
from inspections import operations as inspections
from registry.deadlines import ensure_semiannual, recompute_report
from registry.models import ObligationKind, RegistryStatus, ReportObligation
from registry.operations import create_site

DEMO_PASSWORD = "demo-2014"

USERS = [
    ("inspector", "inspector", "Trần Thị Lan", "Thanh tra viên", "lan.tt@stttt-bacgiang.example"),
    ("supervisor", "supervisor", "Nguyễn Đức Thắng", "Chánh Thanh tra Sở",
     "thang.nd@stttt-bacgiang.example"),
    ("deputy", "supervisor", "Phạm Thu Hà", "Phó Chánh Thanh tra Sở",
     "ha.pt@stttt-bacgiang.example"),
    ("admin", "admin", "Phạm Quốc Bảo", "Quản trị hệ thống", "bao.pq@stttt-bacgiang.example"),
]

GP_SO = "Sở Thông tin và Truyền thông tỉnh Bắc Giang"
GP_CUC = "Cục Quản lý Phát thanh, Truyền hình và Thông tin điện tử"

# (kind, name, domain, status, operator kind, operator, address, tax id, licence no., issuer,
#  issued, expires, district)
SITES = [
    ("general_website", "Tin tức Kinh Bắc", "tintuckinhbac.vn", "licensed", "organisation",
     "Công ty Cổ phần Truyền thông Kinh Bắc", "Số 12 đường Nguyễn Văn Cừ, TP. Bắc Giang",
     "2400512345", "15/GP-STTTT", GP_SO, date(2013, 10, 2), date(2018, 10, 2), "TP. Bắc Giang"),
    ("general_website", "Doanh nghiệp Bắc Giang", "doanhnghiepbg.vn", "licensed",
     "organisation", "Hiệp hội Doanh nghiệp trẻ tỉnh Bắc Giang", "Số 5 đường Hoàng Văn Thụ, "
     "TP. Bắc Giang", "2400623456", "18/GP-STTTT", GP_SO, date(2014, 3, 14), date(2019, 3, 14),
     "TP. Bắc Giang"),
    ("general_website", "Nông sản Lục Ngạn", "nongsanlucngan.vn", "licensed", "organisation",
     "Hợp tác xã Vải thiều Lục Ngạn", "Thị trấn Chũ, huyện Lục Ngạn", "2400734567",
     "21/GP-STTTT", GP_SO, date(2014, 6, 9), date(2019, 6, 9), "Lục Ngạn"),
    ("general_website", "Du lịch Tây Yên Tử", "dulichtayyentu.vn", "licensed", "organisation",
     "Công ty TNHH Du lịch Tây Yên Tử", "Thị trấn An Châu, huyện Sơn Động", "2400845678",
     "23/GP-STTTT", GP_SO, date(2014, 8, 20), date(2019, 8, 20), "Sơn Động"),
    ("general_website", "Giáo dục Bắc Giang trực tuyến", "giaoducbg.vn", "licensed",
     "organisation", "Trung tâm Tin học Ngoại ngữ Bắc Giang", "Số 40 đường Lê Lợi, TP. Bắc Giang",
     "2400956789", "07/GP-STTTT", GP_SO, date(2012, 12, 30), date(2014, 12, 31), "TP. Bắc Giang"),
    ("social_network", "Mạng xã hội Kết nối Trẻ", "ketnoitre.vn", "licensed", "organisation",
     "Công ty Cổ phần Công nghệ Kết nối Trẻ", "Số 88 đường Xương Giang, TP. Bắc Giang",
     "2401067890", "312/GP-BTTTT", GP_CUC, date(2013, 11, 25), date(2023, 11, 25),
     "TP. Bắc Giang"),
    ("social_network", "Diễn đàn Sông Thương", "diendansongthuong.net", "unlicensed",
     "organisation", "Công ty TNHH Truyền thông Sông Thương", "Số 27 đường Trần Phú, "
     "thị trấn Nham Biền, huyện Yên Dũng", "2401178901", None, None, None, None, "Yên Dũng"),
    ("social_network", "Cộng đồng Yên Dũng", "congdongyendung.com", "unlicensed",
     "organisation", "Công ty TNHH Truyền thông Sông Thương", "Số 27 đường Trần Phú, "
     "thị trấn Nham Biền, huyện Yên Dũng", "2401178901", None, None, None, None, "Yên Dũng"),
    ("general_website", "Tin nóng 24h Bắc Giang", "tinnong24hbg.com", "unlicensed",
     "organisation", "Công ty TNHH Quảng cáo Hà Bắc", "Thị trấn Vôi, huyện Lạng Giang",
     "2401289012", None, None, None, None, "Lạng Giang"),
    ("social_network", "Chợ Việt Bắc", "chovietbac.vn", "trial", "organisation",
     "Công ty Cổ phần Thương mại điện tử Việt Bắc", "Thị trấn Bích Động, huyện Việt Yên",
     "2401390123", None, None, None, None, "Việt Yên"),
    ("general_website", "Thông tin Việt Yên", "thongtinvietyen.vn", "registered", "organisation",
     "Công ty TNHH Dịch vụ Thông tin Việt Yên", "Thị trấn Bích Động, huyện Việt Yên",
     "2401401234", None, None, None, None, "Việt Yên"),
    ("other", "Rao vặt Hiệp Hòa", "raovathiephoa.net", "unlicensed", "individual",
     "Đỗ Minh Tuấn", "Thị trấn Thắng, huyện Hiệp Hòa", "121845678", None, None, None, None,
     "Hiệp Hòa"),
    ("general_website", "Tin tức Yên Thế 24h", "yenthe24h.com", "unlicensed", "organisation",
     "Công ty TNHH Dịch vụ Quảng cáo Yên Thế", "Thị trấn Cầu Gồ, huyện Yên Thế", "2401512345",
     None, None, None, None, "Yên Thế"),
]



def _waive(insp, case) -> None:
    """The violator's written waiver of the right to explain, when the record gives it."""
    if case.record is not None and case.record.explanation_right and not case.explanations:
        ops.record_explanation(insp, case, kind=ExplanationKind.waiver,
                               received_on=case.record.made_on,
                               content="Tôi không yêu cầu giải trình.".encode(),
                               filename="khong-yeu-cau-giai-trinh.txt")

def _at(clock: FixedClock, day: date, hour: int = 9, minute: int = 0) -> None:
    clock.set(datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ))


def load_demo() -> str:
    """Create the demo users, sites and cases; commits. Needs an empty database with the
    catalogue loaded. Returns a one-line summary."""
    app = current_app
    real_clock = app.extensions["clock"]
    clock = FixedClock(datetime(2014, 10, 1, 8, 0, tzinfo=LOCAL_TZ))
    app.extensions["clock"] = clock
    try:
        summary = _load(clock)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        app.extensions["clock"] = real_clock
    return summary


def _load(clock: FixedClock) -> str:
    users = {}
    for username, role, name, title, email in USERS:
        user = User(username=username, role=role, full_name=name, title=title, email=email,
                    active=True, session_version=1, created_at=clock.now(),
                    competence_title="chief_inspector" if role == Role.supervisor else None)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        users[username] = user
    db.session.flush()
    insp, sup = users["inspector"], users["supervisor"]
    _at(clock, date(2014, 10, 1), 8)

    sites = {}
    for (kind, name, domain, status, op_kind, operator, address, tax, lic, issuer, issued,
         expires, district) in SITES:
        sites[domain] = create_site(users["admin"], {
            "kind": kind, "name": name, "domain": domain, "url": f"https://{domain}/",
            "status": status, "operator_kind": op_kind, "operator_name": operator,
            "operator_address": address, "operator_tax_id": tax, "licence_number": lic,
            "licence_issuer": issuer, "licence_issued_on": issued, "licence_expires_on": expires,
            "district": district, "notes": None,
            # licensed sites went live a few weeks after their licence, but for one
            "launched_on": issued + timedelta(days=20) if issued and domain != "dulichtayyentu.vn"
            else None, "hosted_in_vietnam": status == RegistryStatus.licensed or None,
            "inspector_id": insp.id if district in ("Yên Dũng", "Lạng Giang") else None},
            "Thống kê đầu đợt kiểm tra tháng 10/2014")

    song_thuong = _case_song_thuong(clock, insp, sup, sites)
    _case_ministry_referral(clock, insp, sites)
    _case_false_information(clock, insp, sites)
    _case_proposed(clock, insp, sites)
    _case_detected(clock, insp, sites)
    _case_dismissed(clock, insp, sites)
    _case_unlicensed_general_website(clock, insp, sites)
    _case_in_enforcement(clock, insp, sup, sites)
    _case_paid_in_two_payments(clock, insp, sup)
    # the company of VV-2014-0001 complains against its decision (being settled)
    _at(clock, date(2014, 11, 11), 9)
    ops.record_complaint(insp, song_thuong, complainant=song_thuong.subject_name,
                         received_on=date(2014, 11, 10), accepted_on=date(2014, 11, 11),
                         settler="Chánh Thanh tra Sở Thông tin và Truyền thông",
                         summary="Công ty cho rằng mức phạt chưa xét tình tiết giảm nhẹ: đã "
                                 "tự nguyện tạm ngừng một mạng xã hội trước khi lập biên bản.")
    _report_obligations(clock, sup)
    campaign = _campaign(clock, users, sites)
    # the scheduler's sweep on the demo's day: the unpaid case moves to enforcement
    _at(clock, date(2014, 11, 12), 7)
    ops.move_overdue_to_enforcement()
    return (f"{len(users)} users, {len(sites)} sites, 9 cases "
            f"(decision {song_thuong.decision.full_number} issued), campaign {campaign.code} "
            f"({len(campaign.checks)} sites planned)")


def _report_obligations(clock, sup) -> None:
    """The directive's report, due before 20/11/2014, and the next six-monthly one."""
    _at(clock, date(2014, 11, 7), 9)
    row = ReportObligation(
        kind=ObligationKind.one_off, due_on=date(2014, 11, 19), period_start=date(2014, 1, 1),
        period_end=date(2014, 11, 19),
        title="Báo cáo kết quả kiểm tra, rà soát, thống kê thông tin điện tử trên mạng",
        basis="Công văn ngày 06/11/2014 của Bộ Thông tin và Truyền thông: báo cáo về Cục "
              "Phát thanh, truyền hình và thông tin điện tử trước ngày 20/11/2014",
        created_at=clock.now())
    db.session.add(row)
    db.session.flush()
    recompute_report(row)
    ensure_semiannual(date(2014, 11, 12))


def _campaign(clock, users, sites):
    """The directive's joint inspection: the deputy chief inspector plans it with a team
    from the Department, the provincial Police and the Department of Culture; the chief
    inspector issues the team decision; the twelve general websites and social networks
    are planned over the working days of 10–19/11/2014; four are checked by 12/11: the two
    unlicensed sites already under a case (tied to their checks), one with no violation, one
    referred to the Police. Its result report is the directive's report due 19/11/2014."""
    deputy, sup, insp = users["deputy"], users["supervisor"], users["inspector"]
    _at(clock, date(2014, 11, 7), 8, 30)
    campaign = inspections.create_campaign(deputy, {
        "code": "KT-2014-01",
        "title": "Kiểm tra liên ngành hoạt động trang thông tin điện tử tổng hợp và mạng xã "
                 "hội trên địa bàn tỉnh",
        "legal_basis": "Công văn ngày 06/11/2014 của Bộ Thông tin và Truyền thông về việc "
                       "tăng cường kiểm tra, rà soát, thống kê hoạt động thông tin điện tử "
                       "trên mạng",
        "tasks": "Kiểm tra việc chấp hành quy định về giấy phép, nội dung thông tin, lưu trữ "
                 "thông tin và chế độ báo cáo của các trang thông tin điện tử tổng hợp và mạng "
                 "xã hội trên địa bàn; xử lý hoặc kiến nghị xử lý vi phạm theo thẩm quyền.",
        "period_start": date(2014, 11, 10), "period_end": date(2014, 11, 19),
        "report_due_on": date(2014, 11, 19),
        "scope": {"kinds": ["general_website", "social_network"]}})
    for name, title, agency, role, user in (
            ("Phạm Thu Hà", "Phó Chánh Thanh tra Sở", "department", "head", deputy),
            ("Trần Thị Lan", "Thanh tra viên", "department", "member", insp),
            ("Đỗ Văn Hùng", "Đại úy, Phòng An ninh, Công an tỉnh Bắc Giang", "police",
             "deputy", None),
            ("Hoàng Thị Mai", "Chuyên viên Phòng Quản lý văn hóa", "culture", "member", None)):
        inspections.add_member(deputy, campaign, {"name": name, "title": title,
                                                  "agency": agency, "role": role,
                                                  "user_id": user.id if user else None})
    inspections.plan_scope(deputy, campaign)
    inspections.draft_decision(deputy, campaign)
    _at(clock, date(2014, 11, 7), 14)
    inspections.issue_decision(sup, campaign)
    checks = {c.site.domain: c for c in campaign.checks}
    everyone = [m.id for m in campaign.members]
    department_and_police = [m.id for m in campaign.members if m.agency != "culture"]
    _at(clock, date(2014, 11, 10), 9)
    inspections.record_check(insp, checks["diendansongthuong.net"], {
        "checked_on": date(2014, 11, 10), "place": "Trụ sở Công ty, thị trấn Nham Biền",
        "operator_present": "Ông Vũ Văn Khánh, Giám đốc", "member_ids": everyone,
        "items": ["licence", "content", "operator"],
        "findings": "Diễn đàn diendansongthuong.net và congdongyendung.com vẫn hoạt động "
                    "dưới hình thức mạng xã hội, chưa có giấy phép thiết lập mạng xã hội.",
        "statement": "Công ty đã nhận quyết định xử phạt và đang làm thủ tục đề nghị cấp "
                     "giấy phép.", "outcome": "violation",
        "case": _case_of(sites["diendansongthuong.net"])})
    _at(clock, date(2014, 11, 11), 9)
    inspections.record_check(insp, checks["yenthe24h.com"], {
        "checked_on": date(2014, 11, 11), "place": "Trụ sở Công ty, thị trấn Cầu Gồ",
        "operator_present": "Bà Nguyễn Thị Hằng, Phó Giám đốc",
        "member_ids": department_and_police, "items": ["licence", "content", "storage"],
        "findings": "Trang yenthe24h.com tổng hợp tin từ nhiều cơ quan báo chí, chưa có giấy "
                    "phép thiết lập trang thông tin điện tử tổng hợp.",
        "statement": "Công ty xin tạm dừng hoạt động trang để làm hồ sơ cấp phép.",
        "outcome": "violation", "case": _case_of(sites["yenthe24h.com"])})
    _at(clock, date(2014, 11, 11), 15)
    inspections.record_check(insp, checks["thongtinvietyen.vn"], {
        "checked_on": date(2014, 11, 11), "place": "Thị trấn Bích Động, huyện Việt Yên",
        "operator_present": "Ông Lê Văn Tâm, Giám đốc", "member_ids": everyone,
        "items": ["licence", "content", "storage", "reporting", "operator"],
        "findings": "Trang hoạt động đúng nội dung đã đăng ký; lưu trữ thông tin đủ 90 ngày; "
                    "có người chịu trách nhiệm quản lý nội dung.",
        "statement": "Công ty cam kết duy trì việc lưu trữ và báo cáo định kỳ.",
        "outcome": "no_violation"})
    _at(clock, date(2014, 11, 12), 8, 30)
    inspections.record_check(insp, checks["ketnoitre.vn"], {
        "checked_on": date(2014, 11, 12), "place": "Số 88 đường Xương Giang, TP. Bắc Giang",
        "operator_present": "Ông Trịnh Quang Huy, Trưởng ban nội dung",
        "member_ids": department_and_police, "items": ["content", "storage"],
        "findings": "Một nhóm tài khoản đăng loạt bài có nội dung xuyên tạc, kích động; mạng "
                    "xã hội đã gỡ bài khi được yêu cầu và cung cấp dữ liệu lưu trữ.",
        "outcome": "referral", "referral_target": "police",
        "referral_recipient": "Công an tỉnh Bắc Giang",
        "referral_reason": "Nội dung có dấu hiệu tội phạm; chuyển Công an tỉnh xác minh, xử lý "
                           "theo thẩm quyền."})
    return campaign


def _case_of(site):
    return db.session.scalar(select(Case).where(Case.site_id == site.id).order_by(Case.id))


def _case_song_thuong(clock, insp, sup, sites):
    """An organisation running two unlicensed social networks: Decree 174/2013 Art. 63(3),
    25.000.000 đ (the shape of the Ministry inspectorate's decision of 01/12/2014)."""
    _at(clock, date(2014, 10, 6))
    case = ops.open_case(insp, {
        "site_id": sites["diendansongthuong.net"].id, "subject_kind": "organisation",
        "subject_name": "Công ty TNHH Truyền thông Sông Thương",
        "subject_id_number": "2401178901", "subject_id_issued_on": date(2011, 5, 17),
        "subject_id_issued_by": "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang",
        "subject_address": "Số 27 đường Trần Phú, thị trấn Nham Biền, huyện Yên Dũng, "
                           "tỉnh Bắc Giang",
        "subject_representative": "Vũ Văn Khánh", "subject_representative_title": "Giám đốc",
        "detection_method": "campaign", "detected_on": date(2014, 10, 6),
        "violation_ended_on": None,
        "description": "Công ty thiết lập và vận hành hai mạng xã hội diendansongthuong.net và "
                       "congdongyendung.com khi chưa được cấp giấy phép thiết lập mạng xã hội.",
    })
    ops.add_evidence(insp, case, url="https://diendansongthuong.net/",
                     content="Ảnh chụp trang chủ diendansongthuong.net ngày 06/10/2014: "
                             "chức năng đăng ký thành viên, đăng bài, bình luận.".encode(),
                     filename="chup-trang-chu-06-10-2014.txt", content_type="text/plain",
                     note="Trang chủ không hiển thị số giấy phép.")
    ops.start_verification(insp, case)
    _at(clock, date(2014, 10, 7), 10)
    req = ops.request_coordination(insp, case, {
        "partner": "police", "partner_name": "Công an tỉnh Bắc Giang (Phòng PA83)",
        "letter_number": "145/STTTT-TTra", "sent_on": date(2014, 10, 7),
        "request_text": "Xác minh người đại diện theo pháp luật và địa điểm đặt máy chủ của "
                        "hai mạng xã hội nêu trên.",
        "response_due_on": date(2014, 10, 17)})
    _at(clock, date(2014, 10, 15), 14)
    ops.record_response(insp, req, date(2014, 10, 15),
                        "Công an tỉnh xác nhận máy chủ thuê tại Hà Nội; người điều hành là "
                        "Giám đốc Công ty.")
    _at(clock, date(2014, 10, 29), 9)
    ops.add_violation(insp, case, clause_id="174/2013/NĐ-CP:63.3",
                      description="Thiết lập mạng xã hội diendansongthuong.net và "
                                  "congdongyendung.com mà không có giấy phép.",
                      remedial_measures="Buộc ngừng hoạt động hai mạng xã hội cho đến khi "
                                        "được cấp giấy phép.")
    ops.make_record(insp, case, number="08/BB-VPHC", made_on=date(2014, 10, 29),
                    place="Trụ sở Sở Thông tin và Truyền thông tỉnh Bắc Giang",
                    violator_statement="Công ty thừa nhận chưa làm thủ tục cấp phép.")
    _at(clock, date(2014, 10, 30), 15)
    ops.propose_sanction(insp, case)
    _at(clock, date(2014, 10, 31), 10)
    ops.approve_sanction(sup, case, "Đồng ý mức phạt trung bình của khung.")
    _at(clock, date(2014, 11, 5), 9)
    _waive(insp, case)
    ops.issue_decision(insp, case, date(2014, 11, 5))
    _at(clock, date(2014, 11, 7), 16)
    ops.record_delivery(insp, case, date(2014, 11, 7))
    return case


def _case_ministry_referral(clock, insp, sites):
    """Referred by the Ministry inspectorate (as on 30–31/10/2014): verify and report back."""
    _at(clock, date(2014, 10, 31), 14)
    case = ops.open_case(insp, {
        "site_id": sites["tinnong24hbg.com"].id, "subject_kind": "organisation",
        "subject_name": "Công ty TNHH Quảng cáo Hà Bắc", "subject_id_number": "2401289012",
        "subject_address": "Thị trấn Vôi, huyện Lạng Giang, tỉnh Bắc Giang",
        "subject_representative": "Hoàng Thị Mai", "subject_representative_title": "Giám đốc",
        "detection_method": "ministry_referral", "detected_on": date(2014, 10, 31),
        "violation_ended_on": None,
        "description": "Thanh tra Bộ TT&TT chuyển: trang tinnong24hbg.com hoạt động như trang "
                       "thông tin điện tử tổng hợp khi chưa có giấy phép; đề nghị Sở kiểm tra, "
                       "xử lý và báo cáo kết quả về Bộ.",
    })
    ops.start_verification(insp, case)
    _at(clock, date(2014, 11, 3), 9)
    ops.request_coordination(insp, case, {
        "partner": "culture_department",
        "partner_name": "Sở Văn hóa, Thể thao và Du lịch tỉnh Bắc Giang",
        "letter_number": "152/STTTT-TTra", "sent_on": date(2014, 11, 3),
        "request_text": "Cho ý kiến về nội dung quảng cáo đăng tải trên trang tinnong24hbg.com.",
        "response_due_on": date(2014, 11, 10)})
    ops.request_coordination(insp, case, {
        "partner": "police", "partner_name": "Công an tỉnh Bắc Giang (Phòng PA83)",
        "letter_number": "153/STTTT-TTra", "sent_on": date(2014, 11, 3),
        "request_text": "Xác minh chủ thể đăng ký tên miền tinnong24hbg.com và người quản trị.",
        "response_due_on": date(2014, 11, 14)})
    return case


def _case_false_information(clock, insp, sites):
    """An individual posting false information: 64(3)(a), individual range 10–15 M."""
    _at(clock, date(2014, 11, 4), 10)
    case = ops.open_case(insp, {
        "site_id": sites["ketnoitre.vn"].id, "subject_kind": "individual",
        "subject_name": "Nguyễn Văn Hùng", "subject_id_number": "121654321",
        "subject_id_issued_on": date(2008, 4, 2), "subject_id_issued_by": "Công an tỉnh Bắc Giang",
        "subject_birth_date": date(1988, 7, 19), "subject_nationality": "Việt Nam",
        "subject_occupation": "Lao động tự do",
        "subject_address": "Xã Tân Mỹ, TP. Bắc Giang, tỉnh Bắc Giang",
        "detection_method": "complaint", "detected_on": date(2014, 11, 4),
        "violation_ended_on": date(2014, 11, 3),
        "description": "Đăng trên mạng xã hội ketnoitre.vn thông tin sai sự thật về việc một "
                       "doanh nghiệp trên địa bàn bán nông sản nhiễm độc, theo đơn phản ánh "
                       "của doanh nghiệp.",
    })
    ops.add_evidence(insp, case, url="https://ketnoitre.vn/bai-viet/184467",
                     content="Bản lưu bài viết ngày 03/11/2014 (trích).".encode(),
                     filename="bai-viet-184467.txt", content_type="text/plain")
    ops.start_verification(insp, case)
    _at(clock, date(2014, 11, 7), 15)
    ops.add_violation(insp, case, clause_id="174/2013/NĐ-CP:64.3.a",
                      description="Cung cấp thông tin sai sự thật, xúc phạm uy tín của tổ "
                                  "chức trên mạng xã hội ketnoitre.vn.",
                      circumstances="Đã tự gỡ bài viết sau khi được yêu cầu.",
                      remedial_measures="Buộc gỡ bỏ thông tin sai sự thật.")
    ops.make_record(insp, case, number="11/BB-VPHC", made_on=date(2014, 11, 7),
                    place="Trụ sở Sở Thông tin và Truyền thông tỉnh Bắc Giang")
    return case


def _case_proposed(clock, insp, sites):
    """A licensed general website operating outside its licence and not citing its sources:
    two violations, Decree 174/2013 Art. 64(1)(a) and 64(2)(a), 7.500.000 + 15.000.000 đồng
    (the shape of the 2017 decisions on kenh14.vn and soha.vn, two points of Art. 64);
    awaiting approval."""
    _at(clock, date(2014, 11, 5), 9)
    case = ops.open_case(insp, {
        "site_id": sites["tintuckinhbac.vn"].id, "subject_kind": "organisation",
        "subject_name": "Công ty Cổ phần Truyền thông Kinh Bắc", "subject_id_number": "2400512345",
        "subject_address": "Số 12 đường Nguyễn Văn Cừ, TP. Bắc Giang, tỉnh Bắc Giang",
        "subject_representative": "Lương Văn Sơn",
        "subject_representative_title": "Tổng Giám đốc",
        "detection_method": "monitoring", "detected_on": date(2014, 11, 5),
        "violation_ended_on": None,
        "description": "Trang tintuckinhbac.vn tự sản xuất tin bài như báo điện tử, không dẫn "
                       "nguồn, vượt phạm vi giấy phép trang thông tin điện tử tổng hợp.",
    })
    ops.start_verification(insp, case)
    _at(clock, date(2014, 11, 10), 10)
    ops.add_violation(insp, case, clause_id="174/2013/NĐ-CP:64.1.a",
                      description="Thực hiện không đúng quy định trong giấy phép số "
                                  "15/GP-STTTT: tự sản xuất tin bài như báo điện tử.")
    ops.add_violation(insp, case, clause_id="174/2013/NĐ-CP:64.2.a",
                      description="Không trích dẫn nguyên văn, chính xác nguồn tin chính thức: "
                                  "23 tin bài trong tháng 10/2014 không ghi nguồn.")
    ops.make_record(insp, case, number="12/BB-VPHC", made_on=date(2014, 11, 10),
                    place="Trụ sở Công ty Cổ phần Truyền thông Kinh Bắc")
    _at(clock, date(2014, 11, 11), 16)
    ops.propose_sanction(insp, case, "Đề nghị phạt tiền tổng cộng 22.500.000 đồng.")
    return case


def _case_unlicensed_general_website(clock, insp, sites):
    """The campaign's most common finding: a company running a general information website
    without a licence. Decree 174/2013 sanctions it (10–20 M for an organisation, P) but the
    article is not established yet (docs/legal/catalogue.md#unplaced): the entry is flagged,
    and the draft decision says the provision must be checked before signing."""
    _at(clock, date(2014, 11, 6), 9)
    case = ops.open_case(insp, {
        "site_id": sites["yenthe24h.com"].id, "subject_kind": "organisation",
        "subject_name": "Công ty TNHH Dịch vụ Quảng cáo Yên Thế",
        "subject_id_number": "2401512345", "subject_id_issued_on": date(2012, 9, 4),
        "subject_id_issued_by": "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang",
        "subject_address": "Thị trấn Cầu Gồ, huyện Yên Thế, tỉnh Bắc Giang",
        "subject_representative": "Thân Văn Lực", "subject_representative_title": "Giám đốc",
        "detection_method": "campaign", "detected_on": date(2014, 11, 6),
        "violation_ended_on": None,
        "description": "Rà soát theo chỉ đạo của Bộ: trang yenthe24h.com tổng hợp tin bài của "
                       "các báo điện tử (chuyên mục Thời sự, Pháp luật, Giải trí) và đăng quảng "
                       "cáo, chưa được cấp giấy phép thiết lập trang thông tin điện tử tổng hợp.",
    })
    ops.add_evidence(insp, case, url="https://yenthe24h.com/",
                     content="Ảnh chụp trang chủ yenthe24h.com ngày 06/11/2014: 4 chuyên mục "
                             "tin tổng hợp, không ghi số giấy phép.".encode(),
                     filename="chup-trang-chu-06-11-2014.txt", content_type="text/plain")
    ops.start_verification(insp, case)
    _at(clock, date(2014, 11, 10), 14)
    ops.add_violation(insp, case,
                      clause_id="174/2013/NĐ-CP:unplaced.general-website-without-licence",
                      description="Thiết lập trang thông tin điện tử tổng hợp yenthe24h.com "
                                  "nhưng không có giấy phép.",
                      remedial_measures="Buộc ngừng cung cấp thông tin tổng hợp cho đến khi "
                                        "được cấp giấy phép.")
    ops.make_record(insp, case, number="13/BB-VPHC", made_on=date(2014, 11, 10),
                    place="Trụ sở Sở Thông tin và Truyền thông tỉnh Bắc Giang",
                    violator_statement="Công ty cho biết đang chuẩn bị hồ sơ đề nghị cấp phép.")
    return case


def _case_in_enforcement(clock, insp, sup, sites):
    """A decision of 05/11/2014 received the next day orders the false article taken down
    within 2 days (by Monday 10/11): still online and the fine unpaid on 12/11/2014, the case
    is in enforcement (docs/legal/enforcement.md)."""
    _at(clock, date(2014, 11, 3), 9)
    case = ops.open_case(insp, {
        "site_id": sites["thongtinvietyen.vn"].id, "subject_kind": "organisation",
        "subject_name": "Công ty TNHH Dịch vụ Thông tin Việt Yên",
        "subject_id_number": "2401423456", "subject_id_issued_on": date(2011, 3, 15),
        "subject_id_issued_by": "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang",
        "subject_address": "Thị trấn Bích Động, huyện Việt Yên, tỉnh Bắc Giang",
        "subject_representative": "Ngô Văn Thành", "subject_representative_title": "Giám đốc",
        "detection_method": "monitoring", "detected_on": date(2014, 11, 3),
        "violation_ended_on": None,
        "description": "Trang thongtinvietyen.vn đăng bài sai sự thật về việc một khu công "
                       "nghiệp trên địa bàn xả thải gây chết người.",
    })
    ops.add_evidence(insp, case, url="https://thongtinvietyen.vn/tin/5521",
                     content="Bản lưu bài viết ngày 03/11/2014 (trích).".encode(),
                     filename="bai-viet-5521.txt", content_type="text/plain")
    ops.start_verification(insp, case)
    _at(clock, date(2014, 11, 4), 10)
    violation = ops.add_violation(
        insp, case, clause_id="174/2013/NĐ-CP:64.3.a",
        description="Cung cấp thông tin sai sự thật, vu khống tổ chức trên trang "
                    "thongtinvietyen.vn.")
    ops.add_measure(insp, violation, "Buộc gỡ bỏ thông tin sai sự thật", 2)
    ops.make_record(insp, case, number="09/BB-VPHC", made_on=date(2014, 11, 4),
                    place="Trụ sở Sở Thông tin và Truyền thông tỉnh Bắc Giang")
    ops.propose_sanction(insp, case)
    _at(clock, date(2014, 11, 5), 9)
    ops.approve_sanction(sup, case)
    _at(clock, date(2014, 11, 5), 15)
    _waive(insp, case)
    ops.issue_decision(insp, case, date(2014, 11, 5))
    _at(clock, date(2014, 11, 6), 10)
    ops.record_delivery(insp, case, date(2014, 11, 6))
    return case


def _case_paid_in_two_payments(clock, insp, sup):
    """An individual fined 12.500.000 đ who paid in two parts, the last before the time limit:
    the case closed on the second payment."""
    _at(clock, date(2014, 11, 4), 9)
    case = ops.open_case(insp, {
        "subject_kind": "individual", "subject_name": "Lưu Thị Thu Trang",
        "subject_id_number": "121789012", "subject_id_issued_on": date(2010, 6, 8),
        "subject_id_issued_by": "Công an tỉnh Bắc Giang", "subject_birth_date": date(1992, 2, 14),
        "subject_nationality": "Việt Nam", "subject_occupation": "Kinh doanh tự do",
        "subject_address": "Phường Trần Phú, TP. Bắc Giang, tỉnh Bắc Giang",
        "detection_method": "complaint", "detected_on": date(2014, 11, 4),
        "violation_ended_on": date(2014, 11, 2),
        "description": "Đăng trên trang cá nhân thông tin sai sự thật về chất lượng sản phẩm "
                       "của một hợp tác xã, theo đơn phản ánh của hợp tác xã.",
    })
    ops.start_verification(insp, case)
    _at(clock, date(2014, 11, 5), 10)
    ops.add_violation(insp, case, clause_id="174/2013/NĐ-CP:64.3.a",
                      description="Cung cấp thông tin sai sự thật, xúc phạm uy tín của tổ "
                                  "chức trên mạng xã hội.")
    ops.make_record(insp, case, number="10/BB-VPHC", made_on=date(2014, 11, 5),
                    place="Trụ sở Sở Thông tin và Truyền thông tỉnh Bắc Giang")
    ops.propose_sanction(insp, case)
    _at(clock, date(2014, 11, 6), 9)
    ops.approve_sanction(sup, case)
    _waive(insp, case)
    ops.issue_decision(insp, case, date(2014, 11, 6))
    ops.record_delivery(insp, case, date(2014, 11, 6))
    _at(clock, date(2014, 11, 7), 14)
    ops.record_payment(insp, case, date(2014, 11, 7), 5_000_000, receipt_number="0004512",
                       place="treasury")
    _at(clock, date(2014, 11, 11), 10)
    ops.record_payment(insp, case, date(2014, 11, 11), case.total_fine - 5_000_000,
                       receipt_number="0004788", place="bank")
    return case


def _case_detected(clock, insp, sites):
    _at(clock, date(2014, 11, 11), 9)
    return ops.open_case(insp, {
        "site_id": sites["raovathiephoa.net"].id, "subject_kind": "individual",
        "subject_name": "Đỗ Minh Tuấn", "subject_id_number": "121845678",
        "subject_address": "Thị trấn Thắng, huyện Hiệp Hòa, tỉnh Bắc Giang",
        "detection_method": "complaint", "detected_on": date(2014, 11, 11),
        "violation_ended_on": None,
        "description": "Phản ánh của người dân: trang raovathiephoa.net đăng quảng cáo thuốc "
                       "chữa bệnh không rõ nguồn gốc.",
    })


def _case_dismissed(clock, insp, sites):
    _at(clock, date(2014, 10, 13), 9)
    case = ops.open_case(insp, {
        "site_id": sites["chovietbac.vn"].id, "subject_kind": "organisation",
        "subject_name": "Công ty Cổ phần Thương mại điện tử Việt Bắc",
        "subject_id_number": "2401390123",
        "subject_address": "Thị trấn Bích Động, huyện Việt Yên, tỉnh Bắc Giang",
        "detection_method": "campaign", "detected_on": date(2014, 10, 13),
        "violation_ended_on": None,
        "description": "Rà soát theo chỉ đạo của Bộ: mạng xã hội chovietbac.vn đang thử nghiệm.",
    })
    ops.start_verification(insp, case)
    _at(clock, date(2014, 10, 17), 11)
    ops.dismiss_case(insp, case, "Doanh nghiệp đã nộp hồ sơ đề nghị cấp phép; đang thử nghiệm "
                                 "với người dùng nội bộ, không có dấu hiệu vi phạm.")
    return case
