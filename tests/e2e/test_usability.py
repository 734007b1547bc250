"""Usability in a real browser (system Chromium), at a desktop and a 360 px phone: the fine
field proposes the chosen clause's fine, the record made without its confirmation is
summarised at the top with a link that lands on the checkbox in view, the calendar button
draws its icon, and choosing an obligation fills the report's period."""

from __future__ import annotations

import pytest

from tests.e2e.test_error_summary import IN_VIEW
from tests.e2e.test_main_flow import login


@pytest.mark.parametrize("size", [(1280, 900), (360, 740)], ids=["desktop", "phone"])
def test_the_fine_proposal_and_the_record_s_confirmation(app, users, live_server, chromium,
                                                         make_case, shots, size):
    case = make_case("verifying")
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]},
                                   locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, "inspector")
    page.goto(f"{live_server}/cases/{case.id}")
    assert page.get_attribute("#fine_amount", "placeholder") == ""
    page.select_option("#clause_id", "174/2013/NĐ-CP:63.3")
    assert page.get_attribute("#fine_amount", "placeholder") == "25.000.000"
    page.select_option("#clause_id", "174/2013/NĐ-CP:64.2.a")
    assert page.get_attribute("#fine_amount", "placeholder") == "15.000.000"
    # the calendar button draws its SVG icon (no emoji font needed)
    assert page.locator(".date-button svg").count() > 0
    page.fill("#description", "Thiết lập trang không phép.")
    page.click("button:has-text('Lưu hành vi vi phạm')")
    page.wait_for_load_state()
    # the record: number proposed, the confirmation forgotten
    assert page.input_value("#number") == "01/BB-VPHC"
    page.fill("#place", "Trụ sở Sở")
    page.click("button:has-text('Lập biên bản vi phạm hành chính')")
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate(IN_VIEW) and "Đánh dấu ô xác nhận" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    summary.locator("a[href='#confirm_record']").click()
    assert page.evaluate("document.activeElement.id") == "confirm_record"
    assert page.locator("#confirm_record").evaluate(IN_VIEW)
    page.check("#confirm_record")
    page.click("button:has-text('Lập biên bản vi phạm hành chính')")
    page.wait_for_load_state()
    assert "Đã lập biên bản" in page.inner_text("main")
    page.screenshot(path=str(shots / f"record-confirmed-{size[0]}.png"))
    context.close()
    assert errors == []


def test_choosing_an_obligation_fills_the_report_s_period(app, users, live_server, chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    login(page, live_server, "supervisor")
    page.goto(f"{live_server}/sites/reports")
    page.click("summary:has-text('Ghi nhận báo cáo')")
    page.fill("#title", "Báo cáo rà soát 10 tháng")
    page.fill("#basis", "Công văn ngày 06/11/2014 của Bộ TT&TT")
    page.fill("#period_start", "01/01/2014")
    page.fill("#period_end", "31/10/2014")
    page.fill("#due_on", "20/11/2014")
    page.click("button:has-text('Ghi nhận')")
    page.wait_for_load_state()
    form = page.locator("form:has(#obligation_id)")
    page.select_option("#obligation_id", label="Báo cáo rà soát 10 tháng (20/11/2014)")
    assert form.locator("[name=period_start]").input_value() == "01/01/2014"
    assert form.locator("[name=period_end]").input_value() == "31/10/2014"
    context.close()
