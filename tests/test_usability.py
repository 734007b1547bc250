"""Usability (issue 17): placeholders that are real proposals (the fine of the chosen clause
for the subject, the next record number), a site whose operator is not identified yet, the
registry search by a pasted address or the operator's tax code."""

from __future__ import annotations

import re

from sqlalchemy import select

from auth.models import User
from extensions import db
from registry.models import Site
from registry.operations import create_site


def _option(html: str, clause_id: str) -> str:
    match = re.search(r'<option[^>]*value="' + re.escape(clause_id) + r'"[^>]*>', html)
    assert match, clause_id
    return match.group(0)


def test_the_fine_field_proposes_the_fine_of_the_chosen_clause_for_the_subject(
        app, users, login_as, make_case):
    organisation = make_case("verifying")
    person = make_case("verifying", subject_kind="individual", subject_name="Nguyễn Văn An")
    client = login_as("inspector")
    html = client.get(f"/cases/{organisation.id}").get_data(as_text=True)
    # Decree 174/2013 Art. 63(3): 20–30 million for an organisation, midpoint 25 million
    assert 'data-fine="25.000.000"' in _option(html, "174/2013/NĐ-CP:63.3")
    assert 'data-fine="15.000.000"' in _option(html, "174/2013/NĐ-CP:64.2.a")
    assert 'placeholder="15.000.000"' not in html  # no sample amount reading as a value
    html = client.get(f"/cases/{person.id}").get_data(as_text=True)
    assert 'data-fine="12.500.000"' in _option(html, "174/2013/NĐ-CP:63.3")


def test_the_sanction_form_of_a_violation_shows_its_proposed_fine(app, users, login_as,
                                                                  make_case):
    case = make_case("record_made", subject_kind="individual", subject_name="Nguyễn Văn An")
    html = login_as("inspector").get(f"/cases/{case.id}").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="s\d+-fine_amount"[^>]*>', html).group(0)
    assert 'placeholder="12.500.000"' in field


def test_the_record_number_field_proposes_the_next_number_of_the_year(app, users, login_as,
                                                                     make_case):
    first = make_case("verifying")
    client = login_as("inspector")
    field = re.search(r'<input[^>]*id="number"[^>]*>',
                      client.get(f"/cases/{first.id}").get_data(as_text=True)).group(0)
    assert 'value="01/BB-VPHC"' in field  # the first record of 2014
    made = make_case("record_made")  # numbered "<id>/BB-VPHC" by the fixture
    html = client.get(f"/cases/{first.id}").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="number"[^>]*>', html).group(0)
    assert f'value="{made.id + 1:02d}/BB-VPHC"' in field


UNKNOWN = {"kind": "general_website", "name": "Chợ đồ cũ ẩn danh", "domain": "chodocu.xyz",
           "status": "unlicensed", "operator_kind": "individual", "operator_name": ""}


def test_a_site_whose_operator_is_not_identified_can_be_registered(app, users, login_as):
    client = login_as("inspector")
    response = client.post("/sites/new", data=UNKNOWN)
    assert response.status_code == 302
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.domain == "chodocu.xyz"))
        assert site.operator_name == ""
        site_id = site.id
    page = client.get(f"/sites/{site_id}").get_data(as_text=True)
    assert "chưa xác định" in page.lower() or "not identified" in page.lower()
    listing = client.get("/sites/").get_data(as_text=True)
    assert "Chợ đồ cũ ẩn danh" in listing
    assert re.search(r"Chợ đồ cũ ẩn danh</a><br><small[^>]*>[^<]*(chưa|not identified)",
                     listing)
    # a licensed site needs its operator (the licence names who holds it)
    refused = client.post("/sites/new", data={**UNKNOWN, "domain": "khac.vn",
                                              "status": "licensed",
                                              "licence_number": "12/GP-STTTT",
                                              "licence_issued_on": "01/10/2014"})
    assert refused.status_code == 422
    assert 'id="operator_name-error"' in refused.get_data(as_text=True)


def _names(html: str) -> set[str]:
    return set(re.findall(r'<a href="/sites/\d+">([^<]+)</a>', html))


def test_the_registry_search_finds_a_pasted_address_and_the_tax_code(app, users, login_as):
    with app.app_context():
        admin = db.session.get(User, users["admin"].id)
        create_site(admin, {"kind": "social_network", "name": "Kết Nối Trẻ",
                            "domain": "ketnoitre.vn", "status": "unlicensed",
                            "operator_kind": "organisation",
                            "operator_name": "Công ty Kết Nối Trẻ",
                            "operator_tax_id": "2400123456"})
        create_site(admin, {"kind": "general_website", "name": "Tin Bắc Giang",
                            "domain": "tinbacgiang.vn", "status": "unlicensed",
                            "operator_kind": "organisation", "operator_name": "Công ty B"})
        db.session.commit()
    client = login_as("inspector")
    for q in ("www.ketnoitre.vn", "https://ketnoitre.vn/", "HTTPS://WWW.KetNoiTre.vn/tin/1",
              "2400123456", "kết nối"):
        html = client.get("/sites/", query_string={"q": q}).get_data(as_text=True)
        assert _names(html) == {"Kết Nối Trẻ"}, q
    html = client.get("/sites/", query_string={"q": "2400"}).get_data(as_text=True)
    assert _names(html) == set()


def test_the_language_chosen_on_the_sign_in_page_is_kept(app, users, client):
    from tests.conftest import login

    client.post("/lang/en", data={"next": "/login"})
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    login(client, "inspector")
    assert '<html lang="en">' in client.get("/cases/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, users["inspector"].id).locale == "en"
