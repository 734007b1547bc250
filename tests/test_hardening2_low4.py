"""Double clicks on the campaign's pages, who may be named in a team, the draft team
decision's number line, and the "form expired" page's resend offer."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from extensions import db
from inspections.models import Campaign, CampaignMember, CheckEvidence
from tests.helpers import pdf_text, read, squash
from tests.test_inspections import CAMPAIGN, _campaign_id, _check_id, _running, sites  # noqa: F401


def _once(page: str, action: str) -> str:
    form = page[page.index(f'action="{action}"'):]
    return re.search(r'name="once"[^>]*value="([^"]+)"', form[:2000]).group(1)


def _drafted(app, users, login_as):
    sup = login_as("supervisor")
    assert sup.post("/inspections/", data=CAMPAIGN).status_code == 302
    cid = _campaign_id(app)
    sup.post(f"/inspections/{cid}/members", data={
        "name": "Nguyễn Đức Thắng", "agency": "department", "role": "head",
        "user_id": str(users["supervisor"].id)})
    sup.post(f"/inspections/{cid}/members", data={
        "name": "Hoàng Thị Mai", "agency": "culture", "role": "member", "user_id": ""})
    assert sup.post(f"/inspections/{cid}/decision/draft").status_code == 302
    assert read(app, lambda: db.session.get(Campaign, cid).decision_state) == "draft"
    return cid, sup


def test_a_second_click_on_issue_shows_the_issued_decision(app, users, login_as,
                                                           sites):  # noqa: F811
    cid, _sup = _drafted(app, users, login_as)
    other = login_as("supervisor2")
    page = other.get(f"/inspections/{cid}").get_data(as_text=True)
    once = _once(page, f"/inspections/{cid}/decision/issue")
    first = other.post(f"/inspections/{cid}/decision/issue", data={"once": once})
    second = other.post(f"/inspections/{cid}/decision/issue", data={"once": once})
    assert first.status_code == 302
    assert second.status_code == 302 and second.location.endswith(f"/inspections/{cid}")
    shown = other.get(second.location).get_data(as_text=True)
    assert "01/QĐ-TTra" in shown
    # without the token of that form (a page opened before, another supervisor's click):
    # nothing is issued again, the user is told it is issued and shown the campaign
    late = other.post(f"/inspections/{cid}/decision/issue")
    assert late.status_code == 302 and late.location.endswith(f"/inspections/{cid}")
    assert "Quyết định thành lập Đoàn đã được ban hành: 01/QĐ-TTra" in other.get(
        late.location).get_data(as_text=True)
    # whoever lacks the right to approve is refused
    assert login_as("inspector").post(f"/inspections/{cid}/decision/issue").status_code == 403
    assert read(app, lambda: db.session.get(Campaign, cid).decision_number) == 1


def test_the_draft_team_decision_prints_its_symbol(app, users, login_as,
                                                   sites):  # noqa: F811
    cid, sup = _drafted(app, users, login_as)
    text = squash(pdf_text(sup.get(f"/inspections/{cid}/decision.pdf").data))
    assert "Số: ……/QĐ-TTra" in text


def test_a_double_submitted_check_file_is_stored_once(app, users, login_as,
                                                      sites):  # noqa: F811
    _cid, _sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    row = _check_id(app, "vanhoaxuquang.vn")
    page = insp.get(f"/inspections/checks/{row}").get_data(as_text=True)
    once = _once(page, f"/inspections/checks/{row}/evidence")
    for _ in range(2):
        response = insp.post(f"/inspections/checks/{row}/evidence", data={
            "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "trang-chu.pdf"), "once": once},
            content_type="multipart/form-data")
        assert response.status_code == 302
    assert read(app, lambda: db.session.scalar(
        select(func.count()).select_from(CheckEvidence))) == 1


def test_only_active_inspectors_and_supervisors_are_named_in_a_team(app, users, login_as,
                                                                    sites):  # noqa: F811
    sup = login_as("supervisor")
    assert sup.post("/inspections/", data=CAMPAIGN).status_code == 302
    cid = _campaign_id(app)
    for user_id in (users["admin"].id, 99999):
        response = sup.post(f"/inspections/{cid}/members", data={
            "name": "Quản trị", "agency": "department", "role": "member",
            "user_id": str(user_id)})
        assert response.status_code == 422
    assert read(app, lambda: db.session.scalar(
        select(func.count()).select_from(CampaignMember))) == 0
    page = sup.get(f"/inspections/{cid}").get_data(as_text=True)
    offered = re.search(r'<select[^>]*name="user_id".*?</select>', page, re.S).group(0)
    assert f'value="{users["admin"].id}"' not in offered
    assert f'value="{users["inspector"].id}"' in offered
    assert sup.post(f"/inspections/{cid}/members", data={
        "name": "Trần Thị Lan", "agency": "department", "role": "member",
        "user_id": str(users["inspector"].id)}).status_code == 302


def test_the_form_expired_page_offers_to_resend_only_from_our_own_pages(app, users, login_as,
                                                                        make_case):
    case = make_case(state="verifying")
    client = login_as("inspector")
    app.config["WTF_CSRF_ENABLED"] = True
    form = {"csrf_token": "expired", "partner": "police", "partner_name": "Công an tỉnh",
            "sent_on": "12/11/2014", "request_text": "Xác minh chủ tên miền"}
    url = f"/cases/{case.id}/coordination"

    def offered(**headers) -> bool:
        response = client.post(url, data=form, headers=headers)
        assert response.status_code == 400
        return f'action="{url}"' in response.get_data(as_text=True)

    assert offered(Origin="http://localhost")
    assert offered(Referer=f"http://localhost/cases/{case.id}")
    assert not offered()  # neither Origin nor Referer
    assert not offered(Origin="https://evil.example")
    assert not offered(Origin="null", Referer=f"http://localhost/cases/{case.id}")
    assert not offered(Origin="http://localhost.evil.example")
    assert not offered(Referer="http://localhost.evil.example/x")
    assert not offered(Origin="https://evil.example", Referer=f"http://localhost/cases/{case.id}")
