"""Words and details (issue 17): the registry's Excel export holds every column with dates
as dates and a sheet name with diacritics; an import that would change nothing offers no
"Confirm"; the Ministry report keeps the proposals' line breaks; the calendar button draws
its own icon."""

from __future__ import annotations

import html
import io
import re
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from tests.helpers import pdf_text

ROOT = Path(__file__).resolve().parent.parent
SITE = {"kind": "general_website", "name": "Du lịch Tây Yên Tử", "domain": "dulichtayyentu.vn",
        "url": "https://dulichtayyentu.vn/gioi-thieu", "status": "licensed",
        "operator_kind": "organisation", "operator_name": "Công ty TNHH Du lịch Tây Yên Tử",
        "licence_number": "23/GP-STTTT", "licence_issued_on": "20/10/2014",
        "licence_expires_on": "20/10/2019", "launched_on": "01/11/2014",
        "operator_contact": "0204 3855 555", "hosted_in_vietnam": "yes",
        "district": "Sơn Động"}


def test_the_excel_export_holds_every_column_with_dates_as_dates(app, users, login_as):
    client = login_as("inspector")
    inspector_id = users["inspector"].id
    assert client.post("/sites/new", data={**SITE, "inspector_id": str(inspector_id)}
                       ).status_code == 302
    book = load_workbook(io.BytesIO(client.get("/sites/export.xlsx").data))
    sheet = book.active
    assert sheet.title == "Danh mục trang"
    header, row = list(sheet.iter_rows(values_only=True))
    values = dict(zip(header, row, strict=True))
    assert values["Ngày cấp"] == datetime(2014, 10, 20)  # a date, not text
    assert sheet.cell(row=2, column=header.index("Ngày cấp") + 1).number_format == "DD/MM/YYYY"
    assert values["Ngày ra mắt"] == datetime(2014, 11, 1)
    assert values["Địa chỉ (URL)"] == "https://dulichtayyentu.vn/gioi-thieu"
    assert values["Liên hệ"] == "0204 3855 555"
    assert values["Máy chủ tại Việt Nam"] == "Có"
    assert values["Thanh tra viên theo dõi"] == "Trần Thị Lan"
    # the same file imported again changes nothing and offers nothing to confirm
    out = io.BytesIO()
    book.save(out)
    response = client.post("/sites/import", data={"file": (io.BytesIO(out.getvalue()),
                                                            "danh-muc.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    preview = html.unescape(client.get(response.location).get_data(as_text=True))
    assert "Không có gì để nhập" in preview
    assert "Xác nhận nhập" not in preview


def test_the_report_keeps_the_line_breaks_of_the_proposals(app, users, login_as, clock):
    clock.set(date(2014, 11, 19))
    supervisor = login_as("supervisor")
    preview = supervisor.post("/sites/reports", data={
        "period_start": "01/11/2014", "period_end": "19/11/2014", "action": "preview",
        "proposals": "1. Hướng dẫn xử lý mạng xã hội không phép.\n"
                     "2. Tập huấn cho thanh tra viên."})
    lines = [line.strip() for line in pdf_text(preview.data).splitlines()]
    assert "1. Hướng dẫn xử lý mạng xã hội không phép." in lines
    assert "2. Tập huấn cho thanh tra viên." in lines


def test_the_calendar_button_draws_an_svg_icon():
    script = (ROOT / "static" / "app.js").read_text(encoding="utf-8")
    assert "📅" not in script and "<svg" in script


def test_the_fines_chart_labels_clauses_by_their_citation(app, users, login_as, make_case):
    make_case("decision_issued")  # Decree 174/2013 Art. 63(3), 25.000.000 đ
    page = html.unescape(login_as("supervisor").get("/cases/dashboard").get_data(as_text=True))
    assert 'font-size="14" fill="#1b1f24">khoản 3 Điều 63 174/2013/NĐ-CP</text>' in page
    assert ">174/2013/NĐ-CP:63.3<" not in page
    assert 'font-size="11"' not in page


def test_a_refused_fine_is_explained_in_the_reader_s_language(app, users, login_as, make_case):
    case = make_case("verifying")
    client = login_as("inspector")
    data = {"clause_id": "174/2013/NĐ-CP:63.3", "sanction_kind": "fine",
            "description": "Thiết lập mạng xã hội không phép.", "mitigating": "0",
            "fine_amount": "21.000.000"}
    page = html.unescape(client.post(f"/cases/{case.id}/violations", data=data)
                         .get_data(as_text=True))
    assert ("Số tiền 21.000.000 đồng không được phép: mức phạt phải là 25.000.000 đồng. "
            "Căn cứ: Khung 20.000.000–30.000.000 đồng đối với tổ chức") in page
    client.post("/lang/en", data={"next": "/"})
    page = html.unescape(client.post(f"/cases/{case.id}/violations", data=data)
                         .get_data(as_text=True))
    assert "A fine of 21.000.000 đồng is not allowed: it must be 25.000.000 đồng. Basis:" in page
    data.update(mitigating="1", fine_amount="30.000.000")
    page = html.unescape(client.post(f"/cases/{case.id}/violations", data=data)
                         .get_data(as_text=True))
    assert "it must be from 20.000.000 to 25.000.000 đồng" in page


def test_the_vietnamese_legal_pages_hold_no_english_developer_notes(app, users, login_as):
    admin = login_as("admin")
    for url in ("/legal/", "/legal/clauses"):
        page = html.unescape(admin.get(url).get_data(as_text=True))
        assert "docs/legal/" not in page and "believed" not in page, url
        assert "for this point alone" not in page, url
    admin.post("/lang/en", data={"next": "/"})
    assert "docs/legal/competence.md#limits" in html.unescape(
        admin.get("/legal/").get_data(as_text=True))  # the English interface keeps them


def test_an_obligation_offers_its_period_and_a_past_period_is_issued(app, users, login_as,
                                                                     clock):
    from sqlalchemy import select

    from deadlines.models import Deadline
    from extensions import db
    from registry.models import Report, ReportObligation
    from tests.helpers import read

    supervisor = login_as("supervisor")
    assert supervisor.post("/sites/reports/obligations", data={
        "title": "Báo cáo rà soát 10 tháng", "basis": "Công văn ngày 06/11/2014 của Bộ TT&TT",
        "period_start": "01/01/2014", "period_end": "31/10/2014",
        "due_on": "20/11/2014"}).status_code == 302
    obligation_id = read(app, lambda: db.session.scalar(select(ReportObligation.id).where(
        ReportObligation.title == "Báo cáo rà soát 10 tháng")))
    page = html.unescape(supervisor.get("/sites/reports").get_data(as_text=True))
    option = re.search(rf'<option[^>]*value="{obligation_id}"[^>]*>', page).group(0)
    assert 'data-period-start="01/01/2014"' in option
    assert 'data-period-end="31/10/2014"' in option
    clock.set(date(2014, 11, 19))  # the period ended before today: accepted
    assert supervisor.post("/sites/reports", data={
        "obligation_id": str(obligation_id), "period_start": "01/01/2014",
        "period_end": "31/10/2014", "action": "issue", "confirm_report": "y"}
    ).status_code == 302
    report = read(app, lambda: db.session.scalar(select(Report)))
    assert (report.period_start, report.period_end) == (date(2014, 1, 1), date(2014, 10, 31))
    assert read(app, lambda: db.session.scalar(select(Deadline.state).where(
        Deadline.scope == f"report:{obligation_id}"))) == "met"
