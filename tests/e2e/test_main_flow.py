"""The main flow in a real browser: an inspector opens a case, requests coordination, makes
the record and proposes; a supervisor approves; the inspector issues and downloads the PDF.
Once on a desktop in Vietnamese, once on a 360 px phone in English. Screenshots of the
dashboard, the case page and the decision preview go to artifacts/screenshots/."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from cases.models import Case, Decision
from extensions import db
from registry.models import Site
from tests.conftest import PASSWORD
from tests.helpers import pdf_text, squash


@pytest.fixture
def site(app, users):
    from registry.operations import create_site

    with app.app_context():
        from auth.models import User

        admin = db.session.get(User, users["admin"].id)
        row = create_site(admin, {
            "kind": "social_network", "name": "Diễn đàn Sông Thương",
            "domain": "diendansongthuong.net", "url": None, "status": "unlicensed",
            "operator_kind": "organisation",
            "operator_name": "Công ty TNHH Truyền thông Sông Thương",
            "operator_address": "Huyện Yên Dũng, tỉnh Bắc Giang", "operator_tax_id": "2401178901",
            "licence_number": None, "licence_issuer": None, "licence_issued_on": None,
            "licence_expires_on": None, "district": "Yên Dũng", "notes": None})
        db.session.commit()
        return row.id


def login(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/cases/dashboard")


def ensure_english(page):
    """Switch to English with the header's button (remembered for the user)."""
    if page.locator("html").get_attribute("lang") != "en":
        page.click("header form[action*='/lang/'] button")
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def logout(page):
    page.click("header form[action$='/logout'] button")
    page.wait_for_url("**/login")


def fill_date(page, selector, text):
    page.fill(selector, text)


def walk(page, base, site_id, *, english: bool, shots, tag: str):
    t = (lambda en, vi: en) if english else (lambda en, vi: vi)
    login(page, base, "inspector")
    if english:
        ensure_english(page)

    # open a case from the registry entry: the operator becomes the subject
    page.goto(f"{base}/sites/{site_id}")
    page.click(f"a:has-text('{t('Open a case', 'Mở vụ việc')}')")
    assert page.input_value("#subject_name") == "Công ty TNHH Truyền thông Sông Thương"
    page.fill("#detected_on", "10/11/14")  # a two-digit year is understood
    page.select_option("#detection_method", "campaign")
    page.fill("#description", "Thiết lập hai mạng xã hội khi chưa có giấy phép.")
    page.click("main form button.primary")
    page.wait_for_url("**/cases/*")
    case_url = page.url
    assert "VV-2014-" in page.inner_text("h1")

    page.click(f"button:has-text('{t('Start verification', 'Bắt đầu xác minh')}')")
    page.wait_for_url(case_url)

    # coordination with the provincial Police
    page.click(f"summary:has-text('{t('Request coordination', 'Đề nghị phối hợp')}')")
    page.select_option("#partner", "police")
    page.fill("#partner_name", "Công an tỉnh Bắc Giang")
    page.fill("#letter_number", "145")
    page.fill("#response_due_on", "20/11/2014")
    page.fill("#request_text", "Xác minh người quản trị hai mạng xã hội.")
    page.click(f"button:has-text('{t('Record the request', 'Lưu đề nghị phối hợp')}')")
    page.wait_for_load_state()
    assert "Công an tỉnh Bắc Giang" in page.inner_text("#coordination")

    # the violated clause, found with the search box, fined at the midpoint
    page.fill("input.select-filter", "mang xa hoi khong giay phep")
    page.select_option("#clause_id", "174/2013/NĐ-CP:63.3")
    page.fill("#description", "Thiết lập mạng xã hội mà không có giấy phép.")
    page.click(f"button:has-text('{t('Add the violation', 'Lưu hành vi vi phạm')}')")
    page.wait_for_load_state()
    assert "25.000.000 đ" in page.inner_text("#violations")

    page.fill("#number", f"{tag}/BB-VPHC")
    page.fill("#place", "Trụ sở Sở TT&TT")
    page.check("#confirm_record")  # what will be frozen, confirmed
    make = t('Make the violation record', 'Lập biên bản vi phạm hành chính')
    page.click(f"button:has-text('{make}')")
    page.wait_for_load_state()
    page.screenshot(path=str(shots / f"case-page-{tag}.png"), full_page=True)

    # a 20–30 M bracket gives the right to explain: the violator's signed waiver lets the
    # decision follow at once (docs/legal/procedure.md#workflow)
    page.click("#explanation details summary >> nth=0")
    page.select_option("#explanation-kind", "waiver")
    page.set_input_files("#explanation-file", files=[{
        "name": "khong-giai-trinh.txt", "mimeType": "text/plain",
        "buffer": "Tôi không yêu cầu giải trình.".encode()}])
    page.click("#explanation form[action$='/explanations'] button.primary")
    page.wait_for_load_state()

    draft = page.request.get(case_url + "/decision-draft.pdf")
    assert draft.ok and draft.body()[:4] == b"%PDF"
    if tag == "desktop":
        (shots / "decision-preview.pdf").write_bytes(draft.body())
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1",
                            str(shots / "decision-preview.pdf"),
                            str(shots / "decision-preview")], check=True)

    page.click(f"button:has-text('{t('Propose the sanction', 'Đề xuất xử phạt')}')")
    page.wait_for_load_state()
    logout(page)

    login(page, base, "supervisor")
    if english:
        ensure_english(page)
    page.screenshot(path=str(shots / f"dashboard-{tag}.png"), full_page=True)
    page.goto(case_url)
    page.click(f"button:has-text('{t('Approve', 'Phê duyệt')}')")
    page.wait_for_load_state()
    logout(page)

    login(page, base, "inspector")
    assert page.locator("html").get_attribute("lang") == ("en" if english else "vi")
    page.goto(case_url)
    page.check("#confirm_issue")
    page.click(f"button:has-text('{t('Issue the decision', 'Ban hành quyết định')}')")
    page.wait_for_load_state()
    documents = page.inner_text("#documents")
    assert "/QĐ-XPVPHC" in documents
    link = page.locator("#documents a[href$='.pdf']").first
    pdf = page.request.get(base + link.get_attribute("href"))
    assert pdf.ok
    text = squash(pdf_text(pdf.body()))
    assert "Hai mươi lăm triệu đồng" in text
    assert "Công ty TNHH Truyền thông Sông Thương" in text
    return case_url


def test_main_flow_on_a_desktop_in_vietnamese(app, users, live_server, chromium, site, shots):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    walk(page, live_server, site, english=False, shots=shots, tag="desktop")
    context.close()
    assert errors == []
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.state == "decision_issued"
        assert db.session.scalar(select(Decision.total_fine)) == 25_000_000
        assert case.detected_on == date(2014, 11, 10)


def test_main_flow_on_a_phone_in_english(app, users, live_server, chromium, site, shots):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-US",
                                   is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    walk(page, live_server, site, english=True, shots=shots, tag="phone")
    # nothing wider than the screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, width
    context.close()
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(Site.id)) == site


def test_keyboard_alone_reaches_the_main_content(app, users, live_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    assert page.evaluate("document.activeElement.id") == "username"  # autofocus
    page.keyboard.type("inspector")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/cases/dashboard", wait_until="load")
    page.keyboard.press("Tab")  # the first stop of every page: skip to the content
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/dashboard#main", timeout=5000)
    # every form control of the new-case page has a label
    page.goto(f"{live_server}/cases/new")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll(
        'main input:not([type=hidden]):not(.date-picker), main select, main textarea')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map(e => e.name || e.id)""")
    assert unlabelled == []
    context.close()
