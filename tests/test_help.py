"""/help: the user guide in Vietnamese and English, linked from every page, with the
deadlines in force and hints for the reader's role."""

from __future__ import annotations

import html
import re


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_guide_is_linked_from_every_page_and_open_before_signing_in(app, users, client,
                                                                       login_as, make_case):
    assert 'href="/help"' in _page(client.get("/login"))
    guide = _page(client.get("/help"))
    assert "Hướng dẫn sử dụng" in guide and "Các bước của một vụ việc" in guide
    assert "Dành cho bạn" not in guide  # no role before signing in
    case = make_case("verifying")
    inspector = login_as("inspector")
    for url in ("/cases/", f"/cases/{case.id}", "/sites/", "/sites/reports", "/legal/"):
        assert 'href="/help">Trợ giúp</a>' in _page(inspector.get(url)), url


def test_the_guide_lists_the_deadlines_in_force_from_the_rules(app, users, login_as):
    guide = _page(login_as("inspector").get("/help"))
    section = re.search(r'id="deadlines".*?</section>', guide, re.S).group(0)
    # on 12/11/2014 the 2012 text: 7 days to decide after the record
    row = re.search(r"<tr><td>[^<]*ra quyết định xử phạt[^<]*</td>\s*<td>([^<]*)</td>",
                    section, re.I)
    assert row and row.group(1).strip() == "7 ngày", section[:3000]


def test_role_hints_and_english(app, users, login_as):
    inspector = _page(login_as("inspector").get("/help"))
    assert "Dành cho bạn (Thanh tra viên)" in inspector
    assert "Báo cáo gửi Bộ do lãnh đạo chuẩn bị và ban hành." in inspector
    supervisor = login_as("supervisor")
    page = _page(supervisor.get("/help"))
    assert "Bạn chuẩn bị và ban hành" in page and "Dành cho bạn (Lãnh đạo" in page
    supervisor.post("/lang/en", data={"next": "/help"})
    english = _page(supervisor.get("/help"))
    assert "User guide" in english and "For you (Supervisor)" in english
    assert "The deadlines" in english
