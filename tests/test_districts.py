"""Districts from the province's list (agency settings; Bắc Giang shipped for the demo):
the site form offers them and stores the list's spelling, the import matches them without
regard to accents and case, an unknown district is an error, the Ministry report counts an
older spelling with the list's."""

from __future__ import annotations

import html
import io

from sqlalchemy import select

from core.models import AgencySettings
from extensions import db
from legal.districts import match_district, shipped_districts
from registry.models import Site
from tests.helpers import read

BAC_GIANG = ["TP. Bắc Giang", "Hiệp Hòa", "Lạng Giang", "Lục Nam", "Lục Ngạn", "Sơn Động",
             "Tân Yên", "Việt Yên", "Yên Dũng", "Yên Thế"]
SITE = {"kind": "general_website", "name": "Chợ Lục Ngạn", "domain": "cholucngan.vn",
        "status": "unlicensed", "operator_kind": "individual",
        "operator_name": "Hộ kinh doanh Lục Ngạn"}


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _districts(app) -> dict[str, str | None]:
    return read(app, lambda: {s.domain: s.district for s in db.session.scalars(select(Site))})


def test_the_ten_district_level_units_of_bac_giang_in_2014():
    assert sorted(shipped_districts("bac giang")) == sorted(BAC_GIANG)
    assert match_district("LUC NGAN", BAC_GIANG) == "Lục Ngạn"
    assert match_district("huyện lục nam", BAC_GIANG) == "Lục Nam"
    assert match_district("Thành phố Bắc Giang", BAC_GIANG) == "TP. Bắc Giang"
    assert match_district("Hiệp Hoà", BAC_GIANG) == "Hiệp Hòa"  # the older accent placement
    assert match_district("Lục", BAC_GIANG) is None
    assert shipped_districts("Tỉnh Không Có") == ()


def test_the_site_form_offers_the_list_and_stores_its_spelling(app, users, login_as):
    client = login_as("inspector")
    form = _page(client.get("/sites/new"))
    assert 'list="district-names"' in form
    for name in BAC_GIANG:
        assert f'<option value="{name}">' in form
    assert client.post("/sites/new", data={**SITE, "district": "luc ngan"}).status_code == 302
    refused = client.post("/sites/new", data={**SITE, "domain": "khac.vn",
                                              "district": "Quận Ba Đình"})
    assert refused.status_code == 422
    assert "«Quận Ba Đình» không phải là huyện, thành phố của tỉnh" in _page(refused)
    assert _districts(app) == {"cholucngan.vn": "Lục Ngạn"}


def test_the_import_matches_districts_without_accents_and_case(app, users, login_as):
    client = login_as("inspector")
    text = ("Tên trang,Tên miền,Loại,Tình trạng,Chủ thể quản lý,Huyện/thành phố\n"
            "Chợ Lục Ngạn,cholucngan.vn,Mạng xã hội,Hoạt động không phép,Hộ A,LUC NGAN\n"
            "Tin Bắc Giang,tinbg.vn,Mạng xã hội,Hoạt động không phép,Hộ B,thành phố bắc giang\n"
            "Tin Hà Nội,tinhanoi.vn,Mạng xã hội,Hoạt động không phép,Hộ C,Hoàn Kiếm\n")
    response = client.post("/sites/import",
                           data={"file": (io.BytesIO(text.encode()), "ds.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    preview = _page(client.get(response.location))
    assert "«Hoàn Kiếm» không phải là huyện, thành phố của tỉnh" in preview
    assert client.post(response.location, data={}).status_code == 302
    assert _districts(app) == {"cholucngan.vn": "Lục Ngạn", "tinbg.vn": "TP. Bắc Giang"}


def test_the_administrator_edits_the_list(app, users, login_as):
    admin = login_as("admin")
    page = _page(admin.get("/admin/agency"))
    assert "Lục Ngạn\nSơn Động" in page  # the shipped list, one per line
    form = {"parent_name": "SỞ TT&TT TỈNH BẮC GIANG", "agency_name": "THANH TRA SỞ",
            "full_name": "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "unit_name": "Thanh tra Sở", "short_code": "STTTT", "place": "Bắc Giang",
            "head_title": "Chánh Thanh tra Sở", "treasury_account": "Kho bạc",
            "treasury_body": "Kho bạc Nhà nước tỉnh Bắc Giang",
            "symbol_sanction": "QĐ-XPVPHC", "symbol_amend": "QĐ-SĐBS", "symbol_correct": "QĐ-ĐC",
            "symbol_cancel": "QĐ-HB", "symbol_transfer": "QĐ-CHS",
            "symbol_letter": "STTTT-TTra", "symbol_report": "BC-STTTT", "symbol_team": "QĐ-TTra",
            "districts": "\n".join(BAC_GIANG) + "\nThị xã Chũ\n lục ngạn \n"}
    assert admin.post("/admin/agency", data=form).status_code == 302
    stored = read(app, lambda: db.session.get(AgencySettings, 1).districts)
    assert stored.splitlines() == [*BAC_GIANG, "Thị xã Chũ"]  # the repeat dropped
    client = login_as("inspector")
    assert client.post("/sites/new", data={**SITE, "district": "thi xa chu"}).status_code == 302
    assert _districts(app) == {"cholucngan.vn": "Thị xã Chũ"}
