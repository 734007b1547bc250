"""The registry import keeps its word: what the preview says "will be saved" is saved; what
someone edits after the preview is not reverted; a short list changes only its columns; a
second click on "Confirm" shows the first result."""

from __future__ import annotations

import html
import io
import re
import threading

from sqlalchemy import func, select

from extensions import db
from registry.models import Site
from tests.helpers import read


def _upload(client, text: str, name: str = "ds.csv"):
    return client.post("/sites/import", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _sites(app) -> dict[str, Site]:
    return read(app, lambda: {s.domain: s for s in db.session.scalars(select(Site))})


HEADER = "Tên trang,Tên miền,Loại,Tình trạng,Chủ thể quản lý,Ghi chú\n"


def test_text_too_long_for_the_registry_is_an_error_of_its_row(app, users, login_as):
    client = login_as("inspector")
    text = (HEADER + "A" * 400 + ",tinyenthe.vn,Mạng xã hội,Hoạt động không phép,,\n"
            + "Chợ\x00 Lục\x07 Ngạn,cholucngan.vn,Mạng xã hội,Hoạt động không phép,"
              "\"Hộ kinh doanh\r\nLục Ngạn\",\"dòng 1\x0b\r\ndòng 2\"\n")
    response = _upload(client, text)
    assert response.status_code == 302
    preview = _page(client.get(response.location))
    assert "«Tên trang» dài quá 300 ký tự" in preview
    confirmed = client.post(response.location, data={})
    assert confirmed.status_code == 302
    saved = _sites(app)
    assert list(saved) == ["cholucngan.vn"]
    site = saved["cholucngan.vn"]
    assert (site.name, site.operator_name, site.notes) == (
        "Chợ Lục Ngạn", "Hộ kinh doanh Lục Ngạn", "dòng 1\ndòng 2")
    assert read(app, lambda: db.session.scalar(select(func.count()).select_from(Site))) == 1


def test_a_quoted_value_in_an_error_message_is_cut_short(app, users, login_as):
    client = login_as("inspector")
    response = _upload(client, HEADER + "Tin,tinyenthe.vn," + "X" * 5000 + ",Hoạt động không "
                                                                          "phép,,\n")
    preview = _page(client.get(response.location))
    assert "loại không hợp lệ «" + "X" * 59 + "…»" in preview
    assert "X" * 61 not in preview



FULL = ("Tên trang,Tên miền,Loại,Tình trạng,Chủ thể quản lý,Số giấy phép,Huyện/thành phố\n"
        "Tin Yên Thế,tinyenthe.vn,Trang thông tin điện tử tổng hợp,Đã cấp phép,"
        "Công ty TNHH Yên Thế,12/GP-STTTT,Yên Thế\n"
        "Chợ Lục Ngạn,cholucngan.vn,Mạng xã hội,Hoạt động không phép,Hộ kinh doanh Lục Ngạn,,"
        "Lục Ngạn\n")


def _import(client, text: str):
    response = _upload(client, text)
    assert response.status_code == 302, _page(response)[-2000:]
    return response.location


def test_an_edit_made_after_the_preview_is_not_reverted(app, users, login_as):
    client = login_as("inspector")
    client.post(_import(client, FULL), data={})
    preview = _import(client, FULL.replace(",Yên Thế\n", ",TP Bắc Giang\n"))
    # meanwhile a colleague corrects the licence number and the district on the form
    site = _sites(app)["tinyenthe.vn"]
    colleague = login_as("inspector2")
    page = colleague.get(f"/sites/{site.id}/edit")
    assert page.status_code == 200
    saved = colleague.post(f"/sites/{site.id}/edit", data={
        "kind": site.kind, "name": site.name, "domain": site.domain, "status": site.status,
        "operator_kind": site.operator_kind, "operator_name": site.operator_name,
        "licence_number": "15/GP-STTTT", "district": "Tân Yên", "version": site.version,
        "hosted_in_vietnam": "", "inspector_id": ""})
    assert saved.status_code == 302, re.findall(r"class=\"error\"[^>]*>([^<]*)", _page(saved))
    response = client.post(preview, data={}, follow_redirects=True)
    page = _page(response)
    assert ("Từ lúc xem trước, đã có người sửa mục danh mục của các dòng: dòng 2 "
            "(tinyenthe.vn). Chưa nhập gì" in page)
    site = _sites(app)["tinyenthe.vn"]
    assert (site.licence_number, site.district) == ("15/GP-STTTT", "Tân Yên")


def test_a_short_list_changes_only_its_columns(app, users, login_as):
    client = login_as("inspector")
    client.post(_import(client, FULL), data={})
    before = _sites(app)["tinyenthe.vn"]
    preview = _import(client, "Tên trang,Tên miền\nTin Yên Thế 24h,tinyenthe.vn\n"
                              "Báo mới,baomoi24h.vn\n")
    page = _page(client.get(preview))
    assert "«Loại» còn thiếu (mục mới cần có)" in page  # baomoi24h.vn is not in the registry
    assert "«Tình trạng» còn thiếu (mục mới cần có)" in page
    assert "<td>2</td><td>Cập nhật</td><td>tinyenthe.vn</td><td>Tin Yên Thế 24h</td>" in page
    client.post(preview, data={})
    after = _sites(app)["tinyenthe.vn"]
    assert after.name == "Tin Yên Thế 24h"
    columns = ("kind", "status", "operator_kind", "operator_name", "licence_number", "district")
    assert [getattr(after, c) for c in columns] == [getattr(before, c) for c in columns]
    assert "baomoi24h.vn" not in _sites(app)


def test_a_second_click_on_confirm_shows_the_first_result(app, users, login_as):
    from core.models import AuditEvent

    client = login_as("inspector")
    preview = _import(client, FULL)
    first = client.post(preview, data={})
    assert first.status_code == 302
    again = client.post(preview, data={}, follow_redirects=True)
    assert again.status_code == 200
    assert "Tệp này đã được nhập (12/11/2014 09:00): 2 mới" in _page(again)
    # two clicks at the same moment: one imports, the other waits and shows that result
    preview = _import(client, FULL.replace("Yên Thế\n", "TP Bắc Giang\n"))
    clients = [login_as("inspector"), login_as("inspector")]
    answers: list[int] = []
    threads = [threading.Thread(target=lambda c=c: answers.append(
        c.post(preview, data={}).status_code)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert answers == [302, 302]
    assert _sites(app)["tinyenthe.vn"].district == "TP. Bắc Giang"  # the province list's spelling
    imported = read(app, lambda: db.session.scalar(select(func.count()).select_from(
        AuditEvent).where(AuditEvent.action == "site.imported")))
    assert imported == 2
