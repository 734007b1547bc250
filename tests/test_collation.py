"""Lists sorted by a name follow Vietnamese alphabetical order (a, ă, â, b, c, d, đ, e, ê, …,
tones second), the same on SQLite and PostgreSQL, paged in the database."""

from __future__ import annotations

import html
import io
import re

from core.collation import sorted_vi

NAMES = ["Tin tức Kinh Bắc", "Ô tô Bắc Giang", "Đài Truyền thanh Yên Thế", "Ẩm thực Kinh Bắc",
         "Ánh Dương Media", "Dịch vụ Lạng Giang", "Ăn ngon Bắc Giang", "Oanh Vàng", "Ơn Việt",
         "Má Hai", "Ma Ba", "an toàn giao thông"]
ORDER = ["an toàn giao thông", "Ánh Dương Media", "Ăn ngon Bắc Giang", "Ẩm thực Kinh Bắc",
         "Dịch vụ Lạng Giang", "Đài Truyền thanh Yên Thế", "Ma Ba", "Má Hai", "Oanh Vàng",
         "Ô tô Bắc Giang", "Ơn Việt", "Tin tức Kinh Bắc"]


def test_the_vietnamese_alphabet():
    assert sorted_vi(NAMES) == ORDER


def _import(client, rows: list[str]):
    text = "Tên trang,Tên miền,Loại,Tình trạng,Chủ thể quản lý\n" + "".join(
        f"{name},trang{i}.vn,Mạng xã hội,Hoạt động không phép,{name}\n"
        for i, name in enumerate(rows))
    response = client.post("/sites/import", data={"file": (io.BytesIO(text.encode()), "a.csv")},
                           content_type="multipart/form-data")
    assert client.post(response.location, data={}).status_code == 302


def _column(page: str, pattern: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(pattern, page)]


def test_the_registry_and_the_case_list_sort_in_vietnamese(app, users, login_as, make_case):
    client = login_as("inspector")
    _import(client, NAMES)
    page = client.get("/sites/?sort=name").get_data(as_text=True)
    assert _column(page, r'<a href="/sites/\d+">([^<]+)</a>') == ORDER
    for name in ("Ô tô Bắc Giang", "Đài Truyền thanh Yên Thế", "Ánh Dương Media"):
        make_case(subject_name=name)
    page = client.get("/cases/?sort=subject").get_data(as_text=True)
    subjects = [s for s in _column(page, r"<td>([^<]+)</td>") if s in NAMES]
    assert subjects == ["Ánh Dương Media", "Đài Truyền thanh Yên Thế", "Ô tô Bắc Giang"]


def test_a_renamed_site_moves_to_its_place(app, users, login_as):
    client = login_as("inspector")
    _import(client, ["Tin tức Kinh Bắc", "Ô tô Bắc Giang"])
    text = "Tên trang,Tên miền\nĐài Bắc Giang,trang1.vn\n"  # the short list renames one
    response = client.post("/sites/import", data={"file": (io.BytesIO(text.encode()), "b.csv")},
                           content_type="multipart/form-data")
    client.post(response.location, data={})
    page = client.get("/sites/?sort=name").get_data(as_text=True)
    assert _column(page, r'<a href="/sites/\d+">([^<]+)</a>') == ["Đài Bắc Giang",
                                                                   "Tin tức Kinh Bắc"]
