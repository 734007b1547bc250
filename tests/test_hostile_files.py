"""Hostile and odd spreadsheets given to the registry import: a sheet lying about its size,
a zip bomb, an endless CSV cell, the separators and encodings Excel writes. Each gets a
message in Vietnamese or is read whole — never a 500, never memory exhausted."""

from __future__ import annotations

import html
import io
import signal
import zipfile
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from extensions import db
from registry.models import Site

CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _row(values: list[str]) -> str:
    """A row without cell references (optional in the format; the reader counts)."""
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f"<row>{cells}</row>" if cells else "<row/>"


def hand_made_xlsx(dimension: str, rows: list[list[str]], padding: int = 0) -> bytes:
    """A minimal .xlsx written by hand, as another generator (or an attacker) would: its
    sheet declares `dimension` whatever it holds; `padding` bytes of blanks inside the sheet
    make it a zip bomb (they compress about a thousandfold)."""
    sheet_head = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  f'<dimension ref="{dimension}"/><sheetData>')
    sheet_rows = "".join(_row(values) for values in rows)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=padding > 0) as sheet:
            sheet.write(sheet_head.encode())
            chunk = b" " * (1 << 20)
            for _ in range(padding // len(chunk)):
                sheet.write(chunk)
            sheet.write(f"{sheet_rows}</sheetData></worksheet>".encode())
    return out.getvalue()


HEADER = ["Tên trang", "Tên miền", "Loại", "Tình trạng"]
TWO_ROWS = [["Tin Yên Thế", "tinyenthe.vn", "Trang thông tin điện tử tổng hợp",
             "Hoạt động không phép"],
            ["Chợ Lục Ngạn", "cholucngan.vn", "Mạng xã hội", "Hoạt động không phép"]]


@contextmanager
def at_most(seconds: int):
    """Fail (instead of hanging or exhausting memory) when the block runs longer."""
    def _expired(*_args):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _upload(client, content: bytes, name: str):
    return client.post("/sites/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _preview(client, content: bytes, name: str) -> str:
    response = _upload(client, content, name)
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[:3000]
    return html.unescape(client.get(response.location).get_data(as_text=True))


def _sites(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Site))


def test_a_sheet_declaring_every_cell_of_excel_is_read_by_what_it_holds(app, users, login_as):
    # 19 000 blank rows and two sites: each row would be padded to 16 384 cells (311 million)
    bomb = hand_made_xlsx("A1:XFD1048576", [HEADER, *[[]] * 19_000, *TWO_ROWS])
    assert len(bomb) < 2000  # under 2 KB (the report's was 1.6 KB)
    client = login_as("inspector")
    with at_most(10):
        response = _upload(client, bomb, "bom.xlsx")
    assert response.status_code == 302
    preview = html.unescape(client.get(response.location).get_data(as_text=True))
    assert preview.count("<td>Mới</td>") == 2
    assert "<td>19002</td><td>Mới</td><td>tinyenthe.vn</td>" in preview


def test_a_sheet_declaring_one_cell_is_read_whole(app, users, login_as):
    preview = _preview(login_as("inspector"), hand_made_xlsx("A1", [HEADER, *TWO_ROWS]),
                       "khac.xlsx")
    assert "Thiếu cột bắt buộc" not in preview
    assert "tinyenthe.vn" in preview and "cholucngan.vn" in preview


def test_a_zip_bomb_is_refused_before_it_is_unpacked(app, users, login_as):
    bomb = hand_made_xlsx("A1:D3", [HEADER, *TWO_ROWS], padding=300 << 20)
    assert len(bomb) < 1_000_000  # under a megabyte, 300 MB unpacked
    with at_most(10):
        response = _upload(login_as("inspector"), bomb, "nen.xlsx")
    assert response.status_code == 422
    assert ("Tệp Excel này khi giải nén quá lớn (hơn 100 MB, hoặc bị nén bất thường)"
            in html.unescape(response.get_data(as_text=True)))
    assert _sites(app) == 0


def test_rows_past_the_limit_are_not_read(app, users, login_as, monkeypatch):
    import registry.reading as reading

    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [[f"Trang {i}", f"trang{i}.vn", "Mạng xã hội", "Hoạt động không phép"]
            for i in range(5)]
    client = login_as("inspector")
    for content, name in ((hand_made_xlsx("A1:D6", [HEADER, *rows]), "dai.xlsx"),
                          ("\n".join(",".join(r) for r in [HEADER, *rows]).encode(), "dai.csv")):
        response = _upload(client, content, name)
        assert response.status_code == 422
        assert "Tệp có quá 3 dòng; hãy chia nhỏ." in html.unescape(
            response.get_data(as_text=True))


def test_a_csv_cell_over_the_field_limit_gets_a_message(app, users, login_as):
    content = ("Tên trang,Tên miền,Loại,Tình trạng,Ghi chú\n"
               "Tin Yên Thế,tinyenthe.vn,Mạng xã hội,Hoạt động không phép,"
               + "x" * 200_000 + "\n").encode()
    response = _upload(login_as("inspector"), content, "dai.csv")
    assert response.status_code == 422
    assert ("Dòng 2 không đọc được: có ô dài hơn 131072 ký tự hoặc dấu ngoặc kép không đóng."
            in html.unescape(response.get_data(as_text=True)))


@pytest.mark.parametrize("extra", [1, 16_000])
def test_cells_past_the_header_are_ignored(app, users, login_as, extra):
    row = ",".join(TWO_ROWS[0]) + "," * extra + "tràn"
    preview = _preview(login_as("inspector"),
                       (",".join(HEADER) + "\n" + row + "\n").encode(), "thua.csv")
    assert preview.count("<td>Mới</td>") == 1 and "tràn" not in preview


SEMICOLON_FILE = (
    "Tên trang;Tên miền;Loại;Tình trạng;Tổ chức, cá nhân;Địa chỉ\n"
    "Tin Yên Thế;tinyenthe.vn;Trang thông tin điện tử tổng hợp;Hoạt động không phép;"
    "Công ty TNHH Yên Thế, chi nhánh Bắc Giang;Số 1 Lê Lợi, TP Bắc Giang\n"
    "Chợ Lục Ngạn;cholucngan.vn;Mạng xã hội;Hoạt động không phép;Hộ kinh doanh Lục Ngạn;"
    "Số 5 Trần Phú, Lục Ngạn\n")


def _saved(app) -> dict[str, tuple]:
    with app.app_context():
        return {s.domain: (s.operator_name, s.operator_address)
                for s in db.session.scalars(select(Site))}


@pytest.mark.parametrize("content,name", [
    (SEMICOLON_FILE.encode(), "champhay.csv"),
    (SEMICOLON_FILE.encode("utf-8-sig"), "bom.csv"),
    # Excel's "Unicode text": UTF-16 with its byte order mark, tab-separated, named .txt
    (SEMICOLON_FILE.replace(";", "\t").replace("\n", "\r\n").encode("utf-16"), "unicode.txt"),
    (SEMICOLON_FILE.replace(";", "\t").encode("utf-16-be").join([b"\xfe\xff", b""]),
     "unicode-be.txt"),
])
def test_the_separator_comes_from_the_header_and_excel_encodings_are_read(
        app, users, login_as, content, name):
    client = login_as("inspector")
    response = _upload(client, content, name)
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[-3000:]
    client.post(response.location, data={})
    assert _saved(app) == {
        "tinyenthe.vn": ("Công ty TNHH Yên Thế, chi nhánh Bắc Giang", "Số 1 Lê Lợi, TP Bắc Giang"),
        "cholucngan.vn": ("Hộ kinh doanh Lục Ngạn", "Số 5 Trần Phú, Lục Ngạn")}
