"""The registry: import with preview, licence deadlines, status history, the report to the
Ministry (PDF and XLSX with the same figures), the national database export."""

from __future__ import annotations

import html
import io
import re
from datetime import date

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from cases.models import Decision
from core.audit import verify_chain
from core.models import AuditEvent, Notification
from deadlines.models import Deadline
from extensions import db
from registry.models import Report, ReportObligation, Site, SiteStatusChange
from registry.spreadsheet import HEADERS
from tests.helpers import pdf_text, read, squash


def sites(app) -> int:
    return read(app, lambda: db.session.scalar(select(func.count()).select_from(Site)))


def _rows(n: int = 500) -> list[list[str]]:
    """n rows; from 50 rows on, 5 are bad in the five ways the issue names."""
    rows = []
    for i in range(1, n + 1):
        rows.append([f"Trang tin {i}", f"trang{i}.vn", "Trang thông tin điện tử tổng hợp",
                     "Đã cấp phép", "Tổ chức", f"Công ty {i}", "Bắc Giang", f"24{i:08d}",
                     f"{i}/GP-STTTT", "Sở TT&TT Bắc Giang", "02/01/2014", "02/01/2019",
                     "TP. Bắc Giang", ""])
    if n < 50:
        return rows
    rows[9][1] = "trang5.vn"                     # line 11: the domain of line 6 again
    rows[19][3] = "Đang xem xét"                 # line 21: an unknown status
    rows[29][10] = "31/02/2014"                  # line 31: an impossible date
    rows[39][10], rows[39][11] = "05/05/2014", "01/01/2014"  # line 41: expiry before issue
    rows[49][0] = ""                             # line 51: no name
    return rows


def _csv(rows) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _upload(client, content: bytes, name: str):
    return client.post("/sites/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_import_500_rows_with_5_bad_then_again_changes_nothing(app, users, login_as):
    client = login_as("inspector")
    content = _csv(_rows())
    response = _upload(client, content, "danh-muc.csv")
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    preview = html.unescape(client.get(response.location).get_data(as_text=True))
    assert sites(app) == 0  # nothing written before confirmation
    errors = re.findall(r'<tr class="row-overdue"><td>(\d+)</td>', preview)
    assert [int(line) for line in errors] == [11, 21, 31, 41, 51]
    assert "tên miền trùng với dòng 6" in preview
    assert "tình trạng không hợp lệ «Đang xem xét»" in preview
    assert "ngày không hợp lệ «31/02/2014»" in preview
    assert "ngày hết hạn trước ngày cấp" in preview
    assert "thiếu tên trang" in preview
    confirm = client.post(response.location, data={})
    assert confirm.status_code == 302
    assert sites(app) == 495
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SiteStatusChange)) == 495
        one = db.session.scalar(select(Site).where(Site.domain == "trang7.vn"))
        assert (one.status, one.licence_expires_on) == ("licensed", date(2019, 1, 2))
        # one audit event per site, written in bulk, and the chain still verifies
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "site.created")) == 495
        assert verify_chain() == []
        expiry = db.session.scalar(select(func.count()).select_from(Deadline).where(
            Deadline.key == "licence_expiry", Deadline.due_on == date(2019, 1, 2)))
        assert expiry == 495  # every saved site has its licence's expiry as a deadline
    again = _upload(client, content, "danh-muc.csv")
    preview = client.get(again.location).get_data(as_text=True)
    assert preview.count("Không đổi") >= 495
    client.post(again.location, data={})
    assert sites(app) == 495
    # a second confirmation of the same preview is refused
    assert "đã được nhập" in html.unescape(
        client.post(again.location, data={}, follow_redirects=True).get_data(as_text=True))


def test_import_xlsx_updates_an_entry(app, users, login_as):
    client = login_as("inspector")
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["Tin nóng", "https://www.TinNong24hBG.com/", "trang thong tin dien tu tong hop",
                  "hoat dong khong phep", "", "Công ty TNHH Quảng cáo Hà Bắc", "", "", "", "",
                  "", "", "Lạng Giang", ""])
    out = io.BytesIO()
    book.save(out)
    response = _upload(client, out.getvalue(), "ds.xlsx")
    client.post(response.location, data={})
    sheet.cell(row=2, column=4, value="Đã cấp phép")
    sheet.cell(row=2, column=11, value=date(2014, 11, 1))
    out = io.BytesIO()
    book.save(out)
    response = _upload(client, out.getvalue(), "ds.xlsx")
    preview = html.unescape(client.get(response.location).get_data(as_text=True))
    assert "trang đã cấp phép phải có số giấy phép" in preview  # licensed, but no number
    sheet.cell(row=2, column=9, value="31/GP-STTTT")
    out = io.BytesIO()
    book.save(out)
    response = _upload(client, out.getvalue(), "ds.xlsx")
    preview = client.get(response.location).get_data(as_text=True)
    saved = re.search(r'<td>2</td><td>Cập nhật</td><td>tinnong24hbg.com</td>'
                      r'<td>Tin nóng</td>\s*<td>([^<]*)</td>', preview)
    # the file's column names
    assert saved and saved.group(1) == "Tình trạng, Số giấy phép, Ngày cấp"
    client.post(response.location, data={})
    with app.app_context():
        site = db.session.scalar(select(Site))
        assert (site.domain, site.status, site.licence_issued_on) == (
            "tinnong24hbg.com", "licensed", date(2014, 11, 1))
        history = [(h.old_status, h.new_status) for h in site.history]
        assert history == [("unlicensed", "licensed"), (None, "unlicensed")]


def test_unreadable_files_are_refused_in_vietnamese(app, users, login_as):
    client = login_as("inspector")
    response = _upload(client, b"%PDF-1.4 not a table", "ds.pdf")
    assert response.status_code == 422
    assert "Chỉ nhận tệp .csv hoặc .xlsx" in response.get_data(as_text=True)
    response = _upload(client, "Tên\nabc\n".encode(), "ds.csv")
    assert "Thiếu cột bắt buộc" in html.unescape(response.get_data(as_text=True))


def test_export_xlsx_has_the_import_columns(app, users, login_as):
    client = login_as("inspector")
    _upload_ok = _upload(client, _csv(_rows(3)), "a.csv")
    client.post(_upload_ok.location, data={})
    response = client.get("/sites/export.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    values = list(book.active.iter_rows(values_only=True))
    assert list(values[0][:len(HEADERS)]) == HEADERS  # then the export-only columns
    assert {row[1] for row in values[1:]} == {"trang1.vn", "trang2.vn", "trang3.vn"}


SITE = {"kind": "general_website", "name": "Du lịch Tây Yên Tử", "domain": "dulichtayyentu.vn",
        "status": "licensed", "operator_kind": "organisation",
        "operator_name": "Công ty TNHH Du lịch Tây Yên Tử", "licence_number": "23/GP-STTTT",
        "licence_issued_on": "20/10/2014", "licence_expires_on": "20/10/2019",
        "hosted_in_vietnam": "yes"}


def test_licence_deadlines_and_status_history(app, users, login_as, clock):
    client = login_as("inspector")
    assert client.post("/sites/new", data=SITE).status_code == 302
    with app.app_context():
        rows = dict(db.session.execute(select(Deadline.key, Deadline.due_on).where(
            Deadline.scope.like("site:%"))).all())
    # 90 days after the licence of 20/10/2014 (Circular 09/2014 Art. 2)
    assert rows == {"licence_launch": date(2015, 1, 18), "licence_expiry": date(2019, 10, 20)}
    site_id = read(app, lambda: db.session.scalar(select(Site.id)))
    listed = client.get("/sites/?licence=not_launched").get_data(as_text=True)
    assert "Du lịch Tây Yên Tử" not in listed  # not yet 90 days
    clock.set(date(2015, 1, 14))
    from deadlines.planner import plan_reminders

    with app.app_context():
        assert plan_reminders() >= 2  # nobody follows the site: every supervisor
        db.session.commit()
        subjects = db.session.scalars(select(Notification.subject)).all()
    assert ("[dulichtayyentu.vn] Thời hạn chính thức hoạt động sau khi được cấp giấy phép: "
            "hạn 18/01/2015 (còn 4 ngày)") in subjects
    # a change of status needs its reason, and goes into the history
    edit = dict(SITE, status="suspended")
    response = client.post(f"/sites/{site_id}/edit", data=edit)
    assert response.status_code == 422
    assert "lý do" in html.unescape(response.get_data(as_text=True))
    edit["status_reason"] = "Quyết định đình chỉ số 3/QĐ-STTTT"
    edit["launched_on"] = "10/11/2014"
    assert client.post(f"/sites/{site_id}/edit", data=edit).status_code == 302
    page = client.get(f"/sites/{site_id}").get_data(as_text=True)
    assert "Quyết định đình chỉ số 3/QĐ-STTTT" in page
    with app.app_context():
        states = dict(db.session.execute(select(Deadline.key, Deadline.state).where(
            Deadline.scope.like("site:%"))).all())
    assert states == {"licence_launch": "cancelled", "licence_expiry": "open"}


def test_duplicate_domain_links_to_the_first_entry(app, users, login_as):
    client = login_as("inspector")
    client.post("/sites/new", data=SITE)
    again = client.post("/sites/new", data=dict(SITE, domain="http://WWW.DuLichTayYenTu.vn/a"))
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    site_id = read(app, lambda: db.session.scalar(select(Site.id)))
    assert f'href="/sites/{site_id}"' in page


def test_report_figures_pdf_and_xlsx_agree(app, users, login_as, make_case, clock):
    client = login_as("inspector")
    client.post("/sites/new", data=SITE)  # a licensed general website
    client.post("/sites/new", data=dict(SITE, name="Diễn đàn", domain="diendan.net",
                                        kind="social_network", status="unlicensed",
                                        licence_number="", licence_issued_on="",
                                        licence_expires_on=""))
    make_case(state="closed")  # a 25.000.000 đ decision, paid
    make_case(state="record_made", subject_name="Công ty B")
    clock.set(date(2014, 11, 19))
    supervisor = login_as("supervisor")
    period = {"period_start": "01/11/2014", "period_end": "19/11/2014",
              "proposals": "Đề nghị Bộ hướng dẫn xử lý trang mạng xã hội hoạt động không phép."}
    preview = supervisor.post("/sites/reports", data=dict(period, action="preview"))
    assert preview.mimetype == "application/pdf" and "DỰ THẢO" in pdf_text(preview.data)
    assert supervisor.post("/sites/reports", data=dict(
        period, action="issue", confirm_report="y")).status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report).options(undefer(Report.pdf),
                                                          undefer(Report.xlsx)))
        f = report.figures
        pdf, workbook = squash(pdf_text(report.pdf)), load_workbook(io.BytesIO(report.xlsx))
    assert report.full_number == "01/BC-STTTT"
    # hand-computed: the two sites, the two cases, one decision of 25 M paid
    assert f["sites"]["general_website"]["licensed"] == 1
    assert f["sites"]["social_network"]["unlicensed"] == 1
    assert (f["cases_opened"], f["decisions"], f["fined_decisions"]) == (2, 1, 1)
    assert (f["fines_total"], f["collected"], f["open_cases"]) == (25_000_000, 25_000_000, 1)
    assert f["cases_by_detection"]["monitoring"] == 2
    assert f["violations_by_clause"] == [["174/2013/NĐ-CP:63.3", 2]]
    sheet = {row[1]: row[2] for row in workbook.active.iter_rows(values_only=True)}
    assert sheet["Tổng số tiền phạt (đồng)"] == 25_000_000
    assert sheet["Số tiền phạt đã thu (đồng)"] == 25_000_000
    assert sheet["Số vụ việc phát hiện"] == 2
    assert sheet["Mạng xã hội: hoạt động không phép"] == 1
    assert "Số: 01/BC-STTTT" in pdf
    assert "Kính gửi: Cục Phát thanh, truyền hình và thông tin điện tử" in pdf
    # the Department's report: its header, "TL. GIÁM ĐỐC", "Kính gửi:" without a full stop
    assert pdf.startswith("UBND TỈNH BẮC GIANG SỞ THÔNG TIN VÀ TRUYỀN THÔNG Số: 01/BC-STTTT")
    assert "Bộ Thông tin và Truyền thông Thực hiện" in pdf
    assert "TL. GIÁM ĐỐC" in pdf
    assert "Tổng số tiền phạt: 25.000.000 đồng; đã thu: 25.000.000 đồng" in pdf
    assert "số vụ việc phát hiện: 2" in pdf
    assert "Đề nghị Bộ hướng dẫn xử lý" in pdf


def test_report_obligations_are_reminded_and_met(app, users, login_as, clock):
    supervisor = login_as("supervisor")
    assert "30/01/2015" in supervisor.get("/sites/reports").get_data(as_text=True)
    response = supervisor.post("/sites/reports/obligations", data={
        "title": "Báo cáo kết quả rà soát theo Công văn ngày 06/11/2014",
        "basis": "Công văn ngày 06/11/2014 của Bộ TT&TT", "period_start": "01/01/2014",
        "period_end": "19/11/2014", "due_on": "19/11/2014"})
    assert response.status_code == 302
    clock.set(date(2014, 11, 17))
    from deadlines.planner import plan_reminders

    with app.app_context():
        plan_reminders()
        db.session.commit()
        subjects = db.session.scalars(select(Notification.subject)).all()
        obligation_id = db.session.scalar(select(ReportObligation.id).where(
            ReportObligation.kind == "one_off"))
    assert any("Hạn gửi báo cáo: hạn 19/11/2014 (còn 2 ngày)" in s for s in subjects)
    clock.set(date(2014, 11, 19))
    supervisor.post("/sites/reports", data={"obligation_id": str(obligation_id),
                                            "period_start": "01/01/2014",
                                            "period_end": "19/11/2014", "action": "issue",
                                            "confirm_report": "y"})
    with app.app_context():
        state = db.session.scalar(select(Deadline.state).where(
            Deadline.scope == f"report:{obligation_id}"))
    assert state == "met"


def test_national_database_export_and_entry(app, users, login_as, make_case, clock):
    clock.set(date(2021, 7, 12))
    case = make_case(state="decision_issued", clause_id="119/2020/NĐ-CP:20.1.đ",
                     detected_on=date(2021, 7, 1), record_on=date(2021, 7, 8))
    with app.app_context():
        due = db.session.scalar(select(Deadline).where(Deadline.case_id == case.id,
                                                       Deadline.key == "national_db_entry"))
        assert (due.due_on, due.state) == (date(2021, 7, 9), "open")
        decision_id = db.session.scalar(select(Decision.id))
    client = login_as("inspector")
    data = client.get("/cases/decisions/national-db.json?from=01/07/2021&to=31/07/2021").json
    (row,) = data["decisions"]
    assert row["so_quyet_dinh"] == "01/QĐ-XPVPHC" and row["so_tien_phat"] == "15000000"
    assert row["quy_dinh_tai"] == "điểm đ khoản 1 Điều 20 Nghị định số 119/2020/NĐ-CP"
    assert row["tinh_trang_thi_hanh"] == "chưa giao quyết định"
    response = client.post(f"/cases/{case.id}/decisions/{decision_id}/national-db",
                           data={"entered_on": "09/07/2021"})
    assert response.status_code == 302
    with app.app_context():
        state = db.session.scalar(select(Deadline.state).where(
            Deadline.case_id == case.id, Deadline.key == "national_db_entry"))
    assert state == "met"


def test_exports_never_carry_a_live_formula(app, users, login_as):
    """A name typed or imported as "=…" must not run in the spreadsheet of whoever opens the
    export (CSV injection); re-importing our own CSV gives the text back unchanged."""
    client = login_as("inspector")
    site = {**SITE, "name": "=1+2", "operator_name": '=HYPERLINK("http://evil.example","x")'}
    assert client.post("/sites/new", data=site).status_code == 302
    exported = client.get("/sites/export.csv").get_data(as_text=True)
    assert "'=1+2" in exported and "'=HYPERLINK(" in exported
    book = load_workbook(io.BytesIO(client.get("/sites/export.xlsx").data))
    row = next(r for r in book.active.iter_rows() if r[1].value == "dulichtayyentu.vn")
    assert (row[0].value, row[0].data_type) == ("=1+2", "s")
    assert row[5].data_type == "s" and row[5].value.startswith("=HYPERLINK(")
    response = _upload(client, exported.lstrip("\ufeff").encode(), "lai.csv")
    assert client.post(response.location, data={}).status_code == 302
    with app.app_context():
        stored = db.session.scalars(select(Site).where(Site.domain == "dulichtayyentu.vn")).one()
        assert (stored.name, stored.operator_name) == (
            "=1+2", '=HYPERLINK("http://evil.example","x")')


def test_empty_cells_keep_what_the_registry_holds(app, users, login_as):
    client = login_as("inspector")
    client.post(_upload(client, _csv(_rows(2)), "a.csv").location, data={})
    # a short list renaming site 1: only the required columns and the new name are filled
    short = [["Trang tin Một", "WWW.Trang1.VN", "Trang thông tin điện tử tổng hợp",
              "Đã cấp phép", "", "", "", "", "", "", "", "", "", ""]]
    response = _upload(client, _csv(short), "doi-ten.csv")
    preview = html.unescape(client.get(response.location).get_data(as_text=True))
    assert "entries updated" not in preview
    figures = re.findall(r'<span class="value">(\d+)</span>', preview)
    assert figures == ["0", "1", "0", "0"]  # new, updated, unchanged, errors
    assert client.post(response.location, data={}).status_code == 302
    with app.app_context():
        site = db.session.scalars(select(Site).where(Site.domain == "trang1.vn")).one()
        assert (site.name, site.licence_number, site.licence_expires_on, site.district,
                site.operator_name) == ("Trang tin Một", "1/GP-STTTT", date(2019, 1, 2),
                                        "TP. Bắc Giang", "Công ty 1")
        expiry = db.session.scalars(select(Deadline).where(
            Deadline.site_id == site.id, Deadline.key == "licence_expiry")).one()
        assert expiry.state == "open"


def test_two_editors_of_one_site_never_overwrite_silently(app, users, login_as):
    first, second = login_as("inspector"), login_as("supervisor")
    assert first.post("/sites/new", data=SITE).status_code == 302
    with app.app_context():
        site_id = db.session.scalars(select(Site.id)).one()
    form = dict(SITE, version=re.search(
        r'name="version" type="hidden" value="(\d+)"',
        second.get(f"/sites/{site_id}/edit").get_data(as_text=True)).group(1))
    # the first editor renames the site meanwhile
    assert first.post(f"/sites/{site_id}/edit", data=dict(form, name="Du lịch Yên Tử")
                      ).status_code == 302
    stale = second.post(f"/sites/{site_id}/edit", data=dict(form, notes="Đã kiểm tra."))
    assert stale.status_code == 409
    page = html.unescape(stale.get_data(as_text=True))
    assert "Người khác đã lưu mục này" in page
    assert "<td>Du lịch Yên Tử</td><td>Du lịch Tây Yên Tử</td>" in page  # saved now / typed
    assert "Đã kiểm tra." in page  # what the second editor typed is kept
    with app.app_context():
        site = db.session.get(Site, site_id)
        assert (site.name, site.notes) == ("Du lịch Yên Tử", None)
    # saving again from the conflict page (it carries the new version) is a knowing overwrite
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert second.post(f"/sites/{site_id}/edit", data=dict(
        form, name="Du lịch Yên Tử", notes="Đã kiểm tra.", version=version)).status_code == 302
    with app.app_context():
        site = db.session.get(Site, site_id)
        assert (site.name, site.notes) == ("Du lịch Yên Tử", "Đã kiểm tra.")


def test_internationalised_domains_are_shown_and_found_in_unicode(app, users, login_as):
    client = login_as("inspector")
    site = {**SITE, "domain": "https://www.Báo-Mới.vn/tin", "name": "Báo Mới Bắc Giang"}
    assert client.post("/sites/new", data=site).status_code == 302
    with app.app_context():
        stored = db.session.scalars(select(Site)).one()
        assert stored.domain.startswith("xn--") and stored.domain.endswith(".vn")
    listed = client.get("/sites/?q=báo-mới.vn").get_data(as_text=True)
    assert "<td>báo-mới.vn</td>" in listed and "Báo Mới Bắc Giang" in listed
    assert "báo-mới.vn ·" in client.get(f"/sites/{stored.id}").get_data(as_text=True)
    again = client.post("/sites/new", data={**site, "domain": "BÁO-MỚI.VN"})
    assert again.status_code == 422 and "(báo-mới.vn)" in again.get_data(as_text=True)
    assert "Báo Mới Bắc Giang" not in client.get("/sites/?q=bao-moi.com").get_data(as_text=True)


def test_a_licensed_site_needs_its_licence_number(app, users, login_as):
    client = login_as("inspector")
    response = client.post("/sites/new", data={**SITE, "licence_number": ""})
    assert response.status_code == 422
    assert "Trang đã cấp phép phải có số giấy phép." in response.get_data(as_text=True)
    assert client.post("/sites/new", data={**SITE, "licence_number": "",
                                           "status": "unlicensed"}).status_code == 302


def test_only_the_cases_inspector_records_the_national_database_entry(app, users, login_as,
                                                                       make_case, clock):
    """Another inspector can neither record nor overwrite the entry on someone else's
    decision (403, nothing changed); a second entry by the case's inspector is a correction
    that needs a reason and is audited with the date before and after."""
    clock.set(date(2021, 7, 12))
    case = make_case(state="decision_issued", clause_id="119/2020/NĐ-CP:20.1.đ",
                     detected_on=date(2021, 7, 1), record_on=date(2021, 7, 8))
    with app.app_context():
        decision_id = db.session.scalar(select(Decision.id))
    url = f"/cases/{case.id}/decisions/{decision_id}/national-db"
    other = login_as("inspector2")
    assert "national-db" not in other.get(f"/cases/{case.id}").get_data(as_text=True)
    assert other.post(url, data={"entered_on": "09/07/2021"}).status_code == 403
    owner = login_as("inspector")
    assert owner.post(url, data={"entered_on": "09/07/2021"}).status_code == 302
    assert other.post(url, data={"entered_on": "12/07/2021",
                                 "reason": "Ghi nhầm"}).status_code == 403
    again = owner.post(url, data={"entered_on": "12/07/2021"})
    assert again.status_code == 422
    assert "lý do" in html.unescape(again.get_data(as_text=True))
    corrected = owner.post(url, data={"entered_on": "12/07/2021",
                                      "reason": "Ngày nhập ghi nhầm"})
    assert corrected.status_code == 302
    with app.app_context():
        assert db.session.get(Decision, decision_id).national_db_entered_on == date(2021, 7, 12)
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "decision.national_db_corrected"))
        assert event.actor_id == users["inspector"].id
        assert (event.before, event.after, event.note) == (
            {"entered_on": "2021-07-09"}, {"entered_on": "2021-07-12"}, "Ngày nhập ghi nhầm")
