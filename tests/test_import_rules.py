"""The registry import keeps its word: what the preview says "will be saved" is saved; what
someone edits after the preview is not reverted; a short list changes only its columns; a
second click on "Confirm" shows the first result."""

from __future__ import annotations

import html
import io

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

