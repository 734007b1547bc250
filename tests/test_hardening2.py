"""A second attacker's findings (after the campaigns landed): user names with invisible
characters sharing one sign-in limit, invalid choices of multi-select fields, integer query
parameters, duplicate document symbols, double submits and the "form expired" page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from auth.models import User
from auth.validation import normalise_username
from extensions import db, limiter
from tests.conftest import PASSWORD
from tests.helpers import read
from tests.test_inspections import sites  # noqa: F401

# "inspector" as an attacker may type it: format characters (zero-width space, joiner and
# non-joiner, word joiner, byte order mark, soft hyphen, bidi marks), controls, capitals,
# surrounding spaces
VARIANTS = ["inspector", "inspector\u200b", "\u200bInspector", "insp\u200dector",
            "insp\u200cector", "INSPECTOR\u2060", "\ufeffinspector", "ins\u00adpector",
            "inspector\u200e", "\u202einspector", " inspector\t", "insp\x00ector",
            "Inspector\x07 "]


def test_every_spelling_of_a_user_name_is_one_name():
    assert {normalise_username(v) for v in VARIANTS} == {"inspector"}
    assert normalise_username("Lê\u0301") == normalise_username("Lế")  # NFC


@pytest.mark.parametrize("limit", ["LOGIN_LIMIT_PER_USER", "LOGIN_LIMIT_PER_NAME"])
def test_invisible_characters_do_not_give_fresh_sign_in_limits(app, users, limit):
    app.config.update({limit: "3 per 15 minutes"})
    limiter.reset()
    try:
        for variant in VARIANTS[1:4]:
            assert app.test_client().post("/login", data={
                "username": variant, "password": "wrong"}).status_code == 422
        for variant in VARIANTS:
            response = app.test_client().post("/login", data={
                "username": variant, "password": PASSWORD})
            assert response.status_code == 429, repr(variant)
    finally:
        limiter.reset()
        app.config.update({limit: "10000 per minute"})


def test_every_spelling_signs_in_as_the_one_user(app, users):
    for variant in VARIANTS:
        client = app.test_client()
        assert client.post("/login", data={"username": variant,
                                           "password": PASSWORD}).status_code == 302


def test_a_user_created_with_invisible_characters_is_stored_plain(app, users, login_as,
                                                                  runner):
    response = login_as("admin").post("/admin/users/new", data={
        "username": "\u200bLan\u200d", "full_name": "Trần Thị Lan",
        "email": "lan@stttt.example", "role": "inspector", "active": "y",
        "password": "Tham-tra-2014-Bac-Giang"})
    assert response.status_code == 302
    assert read(app, lambda: db.session.scalar(select(User.username).where(
        User.email == "lan@stttt.example"))) == "lan"
    again = runner.invoke(args=["users", "create", "la\u200bn", "--role", "inspector",
                                "--email", "lan2@stttt.example"],
                          input="mat-khau-rat-dai-2014\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_invalid_choices_of_multi_choice_fields_get_a_message(app, users, login_as,
                                                              sites):  # noqa: F811
    from inspections.models import Campaign, InspectionCheck
    from tests.test_inspections import _check_id, _running

    cid, sup = _running(app, users, login_as, sites)
    row = _check_id(app, "vanhoaxuquang.vn")
    member_ids = read(app, lambda: [str(m.id) for m in db.session.get(Campaign, cid).members])
    scope_before = read(app, lambda: db.session.get(Campaign, cid).scope)
    for data in ({"kinds": ["general_website", "bogus"]},
                 {"kinds": "bogus"},
                 {"site_ids": "99999999999999999999"}):
        response = sup.post(f"/inspections/{cid}/scope", data=data)
        assert response.status_code == 422, data
        assert "hợp lệ" in response.get_data(as_text=True)
    assert read(app, lambda: db.session.get(Campaign, cid).scope) == scope_before
    insp = login_as("inspector")
    for data in ({"items": ["licence", "nope"], "member_ids": member_ids},
                 {"items": ["licence"], "member_ids": ["99999999999999999999"]}):
        response = insp.post(f"/inspections/checks/{row}", data={
            "checked_on": "12/11/2014", "outcome": "no_violation",
            "findings": "Không vi phạm.", **data})
        assert response.status_code == 422, data
        assert "hợp lệ" in response.get_data(as_text=True)
    assert read(app, lambda: db.session.get(InspectionCheck, row).outcome) is None


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999", "-1", "1e3"])
def test_integer_query_parameters_that_are_not_ascii_digits_are_ignored(app, users, login_as,
                                                                         make_case, value):
    case = make_case(state="verifying")
    client = login_as("supervisor")
    for path in ("/cases/", "/cases/export.csv"):
        for name in ("inspector", "site"):
            response = client.get(path, query_string={name: value})
            assert response.status_code == 200, (path, name)
    # the filter is ignored or refused by name; the case list is not broken for the rest
    listing = client.get("/cases/", query_string={"inspector": value}).get_data(as_text=True)
    assert case.code in listing
    report = client.post("/sites/reports", data={
        "period_start": "01/11/2014", "period_end": "12/11/2014", "obligation_id": value,
        "action": "preview"})
    assert report.status_code < 500


AGENCY = {"parent_name": "UBND TỈNH BẮC GIANG", "agency_name": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
          "full_name": "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
          "unit_name": "THANH TRA SỞ", "short_code": "STTTT", "place": "Bắc Giang",
          "head_title": "CHÁNH THANH TRA", "treasury_account": "Kho bạc Nhà nước tỉnh",
          "treasury_body": "Kho bạc Nhà nước tỉnh Bắc Giang",
          "symbol_sanction": "QĐ-XPVPHC", "symbol_amend": "QĐ-SĐBS", "symbol_correct": "QĐ-ĐC",
          "symbol_cancel": "QĐ-HB", "symbol_transfer": "QĐ-CHS",
          "symbol_letter": "STTTT-TTra", "symbol_report": "BC-STTTT",
          "symbol_team": "QĐ-TTra"}


@pytest.mark.parametrize("change", [{"symbol_team": "QĐ-XPVPHC"},
                                    {"symbol_letter": "qđ-xpvphc"},
                                    {"symbol_team": "BC-STTTT"},
                                    {"symbol_team": ""}, {"symbol_team": " \u200b"},
                                    {"symbol_letter": ""}])
def test_every_numbered_kind_has_a_symbol_of_its_own(app, users, login_as, change):
    from core.agency import agency

    admin = login_as("admin")
    assert admin.post("/admin/agency", data=AGENCY).status_code == 302
    refused = admin.post("/admin/agency", data={**AGENCY, **change})
    assert refused.status_code == 422
    with app.app_context():
        assert agency()["symbols"]["team"] == "QĐ-TTra"
        assert agency()["symbols"]["letter"] == "STTTT-TTra"
