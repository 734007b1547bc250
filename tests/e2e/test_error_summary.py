"""A panel form of the case page that fails, in a real browser, on a desktop and on a 360 px
phone: the error summary is in view with the message and has the focus, its link opens the
panel and lands on the field, the address bar holds the case page's own address and a
reload shows the page (never a 405)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.e2e.test_main_flow import login

IN_VIEW = """(el) => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.width > 0; }"""


@pytest.mark.parametrize("size", [(1280, 900), (360, 740)], ids=["desktop", "phone"])
def test_the_error_summary_takes_the_user_to_the_field(app, users, live_server, chromium,
                                                       make_case, shots, size):
    case = make_case("verifying")
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]},
                                   locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, "inspector")
    case_url = f"{live_server}/cases/{case.id}"
    page.goto(case_url)

    # the coordination request without "Kính gửi" and without the reply date
    page.click("summary:has-text('Đề nghị phối hợp')")
    page.select_option("#partner", "police")
    page.fill("#request_text", "Xác minh người quản trị trang.")
    page.click("button:has-text('Lưu đề nghị phối hợp')")
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "Có lỗi cần sửa" in text and "Kính gửi" in text and "Hạn trả lời" in text
    assert summary.evaluate(IN_VIEW)
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.url == case_url + "#coordination"  # not the address the form posted to
    page.screenshot(path=str(shots / f"error-summary-{size[0]}.png"))

    # the link lands on the field, inside its open panel, in view
    summary.locator("a[href='#response_due_on']").click()
    assert page.evaluate("document.activeElement.id") == "response_due_on"
    assert page.locator("#response_due_on").evaluate(IN_VIEW)
    assert page.locator("#coordination details").first.evaluate("d => d.open")
    assert page.locator("#response_due_on-error").is_visible()

    # what was typed is kept; a reload shows the case page again, not a 405
    assert page.input_value("#request_text") == "Xác minh người quản trị trang."
    response = page.reload()
    assert response.status == 200
    assert response.request.method == "GET"
    assert page.locator("[data-error-summary]").count() == 0
    context.close()
    assert errors == []


def test_without_javascript_the_post_address_leads_back_to_the_page(app, users, live_server,
                                                                    chromium, make_case):
    case = make_case("verifying")
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("#username", "inspector")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server}/cases/{case.id}")
    page.click("summary:has-text('Đề nghị phối hợp')")
    page.click("button:has-text('Lưu đề nghị phối hợp')")
    assert page.url.endswith(f"/cases/{case.id}/coordination")
    assert page.locator("[data-error-summary]").is_visible()
    # Enter in the address bar (a GET of the form's address) opens the case page
    response = page.goto(page.url)
    assert response.status == 200
    assert page.url == f"{live_server}/cases/{case.id}#coordination"
    context.close()
