"""Every form that fails shows the error summary at the top of the page (a heading, each
message a link to its field's id), the page names its own address for the address bar,
and a GET on a POST-only address goes to its page instead of a 405."""

from __future__ import annotations

import re
from collections import Counter

import pytest


def summary(html: str) -> str:
    match = re.search(r'<div class="error-summary"(.*?)</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def ids(html: str) -> Counter:
    return Counter(re.findall(r'\sid="([^"]+)"', html))


def test_a_failed_panel_form_is_summarised_with_links_to_its_fields(login_as, make_case):
    case = make_case("verifying")
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/coordination", data={
        "partner": "police", "partner_name": "", "sent_on": "12/11/2014",
        "request_text": "Xác minh người quản trị.", "response_due_on": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    box = summary(html)
    assert 'role="alert"' in box and 'tabindex="-1"' in box
    assert "Có lỗi cần sửa" in box  # the heading, in Vietnamese
    # each message names its field and links to the field's id, which the page holds
    assert re.search(r'<a href="#partner_name">Kính gửi[^<]*: Trường này là bắt buộc', box)
    assert '<a href="#response_due_on">' in box
    assert 'id="partner_name"' in html and 'id="response_due_on"' in html
    # the page's own address for the address bar (app.js), the panel open
    assert f'data-page-url="/cases/{case.id}"' in html
    assert re.search(r'<details open>\s*<summary>Đề nghị phối hợp', html)


def test_a_refusal_not_tied_to_a_field_is_in_the_summary(login_as, make_case):
    case = make_case("verifying")
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/record", data={
        "confirm_record": "y",
        "number": "01/BB-VPHC", "made_on": "12/11/2014", "place": "Trụ sở Sở"})
    assert response.status_code == 422
    assert "Cần thêm ít nhất một hành vi vi phạm" in summary(response.get_data(as_text=True))


def test_a_page_without_errors_has_no_summary(login_as, make_case):
    case = make_case("verifying")
    html = login_as("inspector").get(f"/cases/{case.id}").get_data(as_text=True)
    assert "error-summary" not in html and "data-page-url" not in html


@pytest.mark.parametrize("state,who", [("verifying", "inspector"), ("record_made", "inspector"),
                                       ("record_made", "supervisor"),
                                       ("sanction_proposed", "supervisor"),
                                       ("decision_issued", "supervisor")])
def test_no_two_elements_of_the_case_page_share_an_id(login_as, make_case, state, who):
    """A label, and a link of the summary, reach their own field: the evidence form's note
    is not the proposal's."""
    case = make_case(state)
    html = login_as(who).get(f"/cases/{case.id}").get_data(as_text=True)
    assert [i for i, n in ids(html).items() if n > 1] == []


def test_a_get_on_a_post_only_address_goes_to_its_page(login_as, make_case):
    case = make_case("verifying")
    client = login_as("inspector")
    response = client.get(f"/cases/{case.id}/record")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/cases/{case.id}#record"
    response = client.get(f"/cases/{case.id}/coordination/7/response")
    assert response.headers["Location"] == f"/cases/{case.id}#coordination"
    assert client.get(f"/cases/{case.id}/record", follow_redirects=True).status_code == 200
    # a POST-only address with no page of its own above it but the site's root
    assert client.get("/logout").headers["Location"] == "/"


def test_other_forms_get_the_summary_too(login_as):
    client = login_as("inspector")
    response = client.post("/sites/new", data={"kind": "general_website", "name": "",
                                               "domain": "not a domain", "status": "licensed",
                                               "operator_kind": "organisation",
                                               "operator_name": "X"})
    assert response.status_code == 422
    box = summary(response.get_data(as_text=True))
    assert '<a href="#name">' in box and '<a href="#domain">' in box
    assert '<a href="#licence_number">' in box
