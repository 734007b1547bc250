"""Every character a user can type or paste: control characters and NUL, zero-width
spaces, line breaks in one-line fields, absurd numbers in the query — cleaned centrally,
answered with a message, never a 500 (on SQLite and PostgreSQL); and text stored before
the cleaning existed never breaks an export."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from cases.models import Case
from extensions import db
from registry.models import Site
from tests.helpers import pdf_reader, pdf_text, read

SITE = {"kind": "general_website", "name": "Tin Yên Thế", "domain": "tinyenthe.vn",
        "status": "unlicensed", "operator_kind": "organisation",
        "operator_name": "Công ty TNHH Yên Thế"}


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _site(app, domain: str = "tinyenthe.vn") -> Site:
    return read(app, lambda: db.session.scalar(select(Site).where(Site.domain == domain)))


def test_nul_and_control_characters_are_dropped_everywhere(app, users, client, login_as):
    # the login name (PostgreSQL refused the NUL with a 500)
    refused = client.post("/login", data={"username": "nobody", "password": "x"})
    response = client.post("/login", data={"username": "nobody\x00", "password": "x\x00"})
    assert response.status_code == refused.status_code < 500
    inspector = login_as("inspector")
    # a search and the filters
    for query in ("q=Tin%00Y%C3%AAn", "district=%00L%E1%BB%A5c", "kind=%00", "sort=%00",
                  "status=%07&licence=%1b"):
        assert inspector.get(f"/sites/?{query}").status_code == 200
        assert inspector.get(f"/cases/?{query}").status_code == 200
    # a form: the one-line name loses its line break, the notes keep theirs
    response = inspector.post("/sites/new", data=dict(
        SITE, name="Tin\x07 Yên\x00 Thế\r\nTổng hợp", notes="dòng 1\x0b\r\ndòng 2\x00\x1b",
        operator_name="Công ty\u0000 TNHH\u200b Yên Thế"))
    assert response.status_code == 302, _page(response)[-2000:]
    site = _site(app)
    assert (site.name, site.notes, site.operator_name) == (
        "Tin Yên Thế Tổng hợp", "dòng 1\ndòng 2", "Công ty TNHH Yên Thế")
    # a URL segment
    assert inspector.get("/sites/import/abc%00def").status_code == 404


def test_a_name_of_zero_width_spaces_is_empty(app, users, login_as):
    response = login_as("inspector").post("/sites/new", data=dict(
        SITE, name="\u200b\u200b\u2060\ufeff", operator_name="\u200d"))
    assert response.status_code == 422
    assert re.findall(r'<a href="#([a-z_]+)">[^<:]+: Trường này là bắt buộc.</a>',
                      _page(response)) == ["name"]  # an empty operator: not identified yet
    assert _site(app) is None


@pytest.mark.parametrize("ids", ["²", "99999999999999999999999", "-1", "1e3", "٣"])
def test_integers_in_the_query_are_bounded(app, users, login_as, make_case, ids):
    make_case(state="decision_issued")
    client = login_as("inspector")
    response = client.post("/cases/decisions/print", data={"ids": ids})
    assert response.status_code == 404
    assert client.get(f"/cases/new?site={ids}").status_code == 200
    for path in ("/cases/", "/sites/", "/cases/deadlines", "/cases/decisions/"):
        assert client.get(f"{path}?page={ids}").status_code in (200, 422), path
    assert login_as("admin").get(f"/legal/calendar?year={ids}").status_code == 200


def test_valid_ids_among_bad_ones_still_print(app, users, login_as, make_case):
    from cases.models import Decision

    case = make_case(state="decision_issued")
    decision_id = read(app, lambda: db.session.scalar(select(Decision.id)))
    client = login_as("inspector")
    response = client.post("/cases/decisions/print", data={
        "ids": ["²", str(decision_id), "99999999999999999999999", str(decision_id)]})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    one = client.get(f"/cases/{case.id}/decision.pdf")
    assert len(pdf_reader(response.data).pages) == len(pdf_reader(one.data).pages)


def _store_raw(app, case_id: int, text: str) -> None:
    """Put `text` in stored rows as an older version, or a direct SQL edit, could have."""
    with app.app_context():
        db.session.execute(update(Site).values(notes=f"Ghi chú{text}", name=f"Tin{text} A",
                                               district=f"Lục{text} Ngạn"))
        db.session.execute(update(Case).where(Case.id == case_id).values(
            subject_name=f"Công ty{text} B", description=f"Mô tả{text}"))
        db.session.commit()


def test_every_export_survives_control_characters_already_stored(app, users, login_as,
                                                                  make_case):
    inspector = login_as("inspector")
    assert inspector.post("/sites/new", data=SITE).status_code == 302
    case = make_case(state="closed")
    draft = make_case(state="sanction_proposed", subject_name="Công ty C")
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    stored = "\x07\x1b\x0b" + ("\x00" if sqlite else "")  # PostgreSQL cannot hold a NUL
    _store_raw(app, case.id, stored)
    _store_raw(app, draft.id, stored)

    book = load_workbook(io.BytesIO(inspector.get("/sites/export.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    notes = rows[0].index("Ghi chú")  # the import's columns, then the export-only ones
    assert rows[1][0] == "Tin A" and rows[1][notes] == "Ghi chú"
    for path in ("/sites/export.csv", "/cases/export.csv", "/cases/decisions/export.csv",
                 "/cases/decisions/national-db.csv"):
        response = inspector.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert not any(c in text for c in stored), path
        assert list(csv.reader(io.StringIO(text)))[1], path
    national = inspector.get("/cases/decisions/national-db.json")
    assert json.loads(national.data)["decisions"][0]["ten"] == "Công ty B"
    for path in (f"/sites/{_site(app, 'tinyenthe.vn').id}", f"/cases/{case.id}", "/sites/",
                 "/cases/", "/cases/dashboard"):
        assert inspector.get(path).status_code == 200, path
    pdf = inspector.get(f"/cases/{draft.id}/decision-draft.pdf")
    assert pdf.status_code == 200 and "Công ty B" in pdf_text(pdf.data)
    supervisor = login_as("supervisor")
    period = {"period_start": "01/11/2014", "period_end": "12/11/2014"}
    preview = supervisor.post("/sites/reports", data=dict(period, action="preview"))
    assert preview.mimetype == "application/pdf"
    issued = supervisor.post("/sites/reports",
                             data=dict(period, action="issue", confirm_report="y"))
    assert issued.status_code == 302
    xlsx = supervisor.get("/sites/reports/1.xlsx")
    sheet = [r for r in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True)]
    assert ("I. Rà soát, thống kê", "Địa bàn Lục Ngạn", 1) in sheet


CASE = {"subject_kind": "individual", "subject_name": "Nguyễn Văn Hùng",
        "detection_method": "complaint", "detected_on": "10/11/2014",
        "description": "Trang đăng tin sai sự thật."}


def test_implausible_dates_are_refused_with_the_range(app, users, login_as):
    client = login_as("inspector")
    response = client.post("/cases/new", data=dict(CASE, subject_birth_date="01/01/0001"))
    assert response.status_code == 422
    assert "Hãy nhập ngày từ 01/01/1900 đến 31/12/2100." in _page(response)
    assert 'value="01/01/0001"' in _page(response)
    supervisor = login_as("supervisor")
    response = supervisor.post("/sites/reports", data={
        "period_start": "01/01/1900", "period_end": "31/12/9999", "action": "preview"})
    assert response.status_code == 422
    page = _page(response)
    assert "Hãy nhập ngày từ 01/01/2013 đến 31/12/2100." in page


def test_uploaded_file_names_lose_their_path_and_line_breaks(app, users, login_as, make_case):
    from cases.models import Evidence

    case = make_case(state="verifying")
    client = login_as("inspector")
    # a browser escapes a line break in a file name; a hand-made request can send one raw,
    # encoded the RFC 2231 way, which the multipart parser decodes
    boundary = "----fuzz"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nẢnh chụp\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            "filename*=UTF-8''..%2F..%2Fetc%2Fanh%0D%0AX-Injected%3A%201.txt\r\n"
            "Content-Type: text/plain\r\n\r\nTrang chu\n\r\n"
            f"--{boundary}--\r\n").encode()
    response = client.post(f"/cases/{case.id}/evidence", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302, _page(response)[-3000:]
    evidence = read(app, lambda: db.session.scalar(select(Evidence)))
    assert evidence.filename == "anh X-Injected: 1.txt"
    download = client.get(f"/cases/{case.id}/evidence/{evidence.id}")
    assert "\n" not in download.headers["Content-Disposition"]
    assert "X-Injected" not in download.headers


def test_a_file_over_20_mb_keeps_what_was_typed(app, users, login_as, make_case):
    case = make_case(state="verifying")
    response = login_as("inspector").post(f"/cases/{case.id}/evidence", data={
        "file": (io.BytesIO(b"x" * (21 * 1024 * 1024)), "lon.txt"),
        "note": "Bài đăng ngày 10/11 về giá vàng"}, content_type="multipart/form-data")
    assert response.status_code == 422
    page = _page(response)
    assert "Tệp lớn hơn 20 MB." in page
    assert "Bài đăng ngày 10/11 về giá vàng" in page


def test_the_command_line_applies_the_web_form_rules(app, runner):
    from auth.models import User

    result = runner.invoke(args=["users", "create", "x<svg>", "--role", "inspector",
                                 "--email", "notanemail"], input="mat-khau-2014-dai\n")
    assert result.exit_code != 0
    assert "Chỉ gồm chữ thường" in result.output and "Địa chỉ thư" in result.output
    assert read(app, lambda: db.session.scalar(select(User))) is None
    # a piped password is read once
    result = runner.invoke(args=["users", "create", "lan", "--role", "inspector", "--email",
                                 "lan@stttt.example", "--name", "Trần\u200b Thị\r\nLan"],
                           input="mat-khau-2014-dai\n")
    assert result.exit_code == 0, result.output
    user = read(app, lambda: db.session.scalar(select(User)))
    assert user.full_name == "Trần Thị Lan" and user.check_password("mat-khau-2014-dai")
