"""Finding one's work: the case list's filters (my cases, site, state, detection method,
dates), proposals returned to me on the dashboard, the notes between inspector and
supervisor (on the page and in the e-mails), the E-mails page (filter, search, pages, each
row), evidence opened in the browser, internationalised domains in Unicode."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from sqlalchemy import select

from auth.models import User
from cases.models import Case
from core.models import Notification
from extensions import db
from registry.models import Site
from registry.operations import create_site
from tests.test_registry import SITE


def codes(html: str) -> set[str]:
    return set(re.findall(r">(VV-\d{4}-\d{4})</a>", html))


def _site(app, users, domain: str, name: str) -> int:
    with app.app_context():
        admin = db.session.get(User, users["admin"].id)
        site = create_site(admin, {"kind": "social_network", "name": name, "domain": domain,
                                   "status": "unlicensed", "operator_kind": "organisation",
                                   "operator_name": "Công ty Kết Nối Trẻ"})
        db.session.commit()
        return site.id


def _attach(app, case_id: int, site_id: int, detection: str | None = None,
            detected_on: date | None = None) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.site_id = site_id
        if detection:
            case.detection_method = detection
        if detected_on:
            case.detected_on = detected_on
        db.session.commit()


def test_the_case_list_filters_my_cases_site_state_method_and_dates(app, users, login_as,
                                                                    make_case):
    mine = make_case("verifying")
    other = make_case("record_made", inspector=users["inspector2"])
    old = make_case("detected", detected_on=date(2014, 10, 1))
    site_id = _site(app, users, "ketnoitre.vn", "Kết Nối Trẻ")
    _attach(app, other.id, site_id, detection="complaint")
    client = login_as("inspector")

    assert codes(client.get("/cases/").get_data(as_text=True)) == {
        mine.code, other.code, old.code}
    assert codes(client.get("/cases/?mine=1").get_data(as_text=True)) == {mine.code, old.code}
    assert codes(client.get(f"/cases/?inspector={users['inspector2'].id}")
                 .get_data(as_text=True)) == {other.code}
    # a pasted address finds the site's cases
    for pasted in ("https://www.ketnoitre.vn/bai-viet/184467", "www.ketnoitre.vn",
                   str(site_id)):
        assert codes(client.get("/cases/", query_string={"site": pasted})
                     .get_data(as_text=True)) == {other.code}, pasted
    assert codes(client.get("/cases/?method=complaint").get_data(as_text=True)) == {other.code}
    assert codes(client.get("/cases/?state=verifying&mine=1").get_data(as_text=True)) == {
        mine.code}
    assert codes(client.get("/cases/?from=01/11/2014&to=12/11/2014")
                 .get_data(as_text=True)) == {mine.code, other.code}
    assert codes(client.get("/cases/?to=31/10/14").get_data(as_text=True)) == {old.code}
    # a filter that cannot be read says so and the list stays whole
    page = client.get("/cases/?from=31/02/2014&site=not%20a%20site")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "«31/02/2014» không phải là ngày" in text and "«not a site»" in text
    assert codes(text) == {mine.code, other.code, old.code}
    # the CSV and the pages keep the filters
    exported = client.get("/cases/export.csv?mine=1").get_data(as_text=True)
    assert mine.code in exported and other.code not in exported


def test_proposals_returned_to_me_are_on_my_dashboard(app, users, login_as, make_case):
    case = make_case("sanction_proposed")
    supervisor = login_as("supervisor")
    assert supervisor.post(f"/cases/{case.id}/return",
                           data={"reason": "Ghi rõ số tiền phạt theo điểm a."}).status_code == 302
    text = login_as("inspector").get("/cases/dashboard").get_data(as_text=True)
    section = text[text.index('id="returned"'):]
    assert case.code in section and "Ghi rõ số tiền phạt theo điểm a." in section
    other = login_as("inspector2").get("/cases/dashboard").get_data(as_text=True)
    assert 'id="returned"' not in other


def test_the_supervisor_reads_the_proposers_note_and_the_inspector_the_approvers(
        app, users, login_as, make_case):
    case = make_case("record_made")
    inspector = login_as("inspector")
    assert inspector.post(f"/cases/{case.id}/propose", data={
        "note": "Đề nghị phạt mức trung bình; đã xác minh chủ thể."}).status_code == 302
    supervisor = login_as("supervisor")
    page = supervisor.get(f"/cases/{case.id}").get_data(as_text=True)
    next_step = page[page.index('id="next"'):page.index('id="deadlines"')]
    assert "Đề nghị phạt mức trung bình; đã xác minh chủ thể." in next_step
    assert next_step.index("đã xác minh chủ thể") < next_step.index("Phê duyệt</button>")
    assert supervisor.post(f"/cases/{case.id}/approve", data={
        "note": "Đồng ý. Ban hành trước ngày 14/11."}).status_code == 302
    with app.app_context():
        sent = {n.kind: n for n in db.session.scalars(select(Notification))}
    assert "Ghi chú của người đề xuất (Trần Thị Lan): Đề nghị phạt mức trung bình" in \
        sent["notice_proposed"].body_text
    assert ("Ý kiến của người phê duyệt (Nguyễn Đức Thắng): Đồng ý. Ban hành trước ngày 14/11."
            in sent["notice_approved"].body_text)
    assert "Đồng ý. Ban hành trước ngày 14/11." in sent["notice_approved"].body_html


def _outbox(app, users, n: int) -> None:
    from core import mail

    with app.app_context():
        lan = db.session.get(User, users["inspector"].id)
        minh = db.session.get(User, users["inspector2"].id)
        for i in range(n):
            mail.queue(key=f"t{i}", kind="notice_proposed", recipient=lan if i % 2 else minh,
                       subject=f"[VV-2014-{i:04d}] Đề nghị phê duyệt xử phạt", body_text=f"Thư {i}")
        db.session.commit()


def test_the_emails_page_filters_searches_pages_and_opens_rows(app, users, login_as):
    _outbox(app, users, 120)
    with app.app_context():
        failed = db.session.scalar(select(Notification).where(Notification.key == "t7"))
        failed.status = "failed"
        failed.last_error = "451 try later"
        db.session.commit()
        row_id = failed.id
    client = login_as("supervisor")
    first = client.get("/admin/mail").get_data(as_text=True)
    assert "120 thư" in first and "Trang 1/3" in first
    assert "[VV-2014-0119]" in first and "[VV-2014-0069]" not in first
    second = client.get("/admin/mail?page=2").get_data(as_text=True)
    assert "[VV-2014-0069]" in second
    # accents and case ignored; the address is searched too
    found = client.get("/admin/mail?q=de+nghi+vv-2014-0042").get_data(as_text=True)
    assert "1 thư" in found and "[VV-2014-0042]" in found
    assert "60 thư" in client.get("/admin/mail?q=inspector2@").get_data(as_text=True)
    failing = client.get("/admin/mail?status=failed").get_data(as_text=True)
    assert "1 thư" in failing and "[VV-2014-0007]" in failing
    row = client.get(f"/admin/mail/{row_id}").get_data(as_text=True)
    assert "Thư 7" in row and "451 try later" in row and "Trần Thị Lan" in row
    assert login_as("inspector").get(f"/admin/mail/{row_id}").status_code == 403


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def test_evidence_opens_in_the_browser_and_urls_are_links(app, users, login_as, make_case):
    case = make_case("verifying")
    client = login_as("inspector")
    for name, content in (("anh.png", PNG), ("trang.html", b"<!doctype html><p>x</p>"),
                          ("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n")):
        response = client.post(f"/cases/{case.id}/evidence", data={
            "file": (io.BytesIO(content), name), "url": "https://ketnoitre.vn/bai-viet/1"},
            content_type="multipart/form-data")
        assert response.status_code == 302, name
    with app.app_context():
        ids = {e.filename: e.id for e in db.session.get(Case, case.id).evidence}
    image = client.get(f"/cases/{case.id}/evidence/{ids['anh.png']}")
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in image.headers["Content-Security-Policy"]
    pdf = client.get(f"/cases/{case.id}/evidence/{ids['bien-ban.pdf']}")
    assert pdf.headers["Content-Disposition"].startswith("inline")
    page = client.get(f"/cases/{case.id}/evidence/{ids['trang.html']}")
    assert page.headers["Content-Disposition"].startswith("attachment")
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert ('<a class="url" href="https://ketnoitre.vn/bai-viet/1" rel="noopener noreferrer '
            'nofollow" target="_blank">') in html
    assert "ghi nhận lúc 12/11/2014" in html


def test_internationalised_domains_in_unicode_in_lists_and_exports(app, users, login_as,
                                                                   make_case):
    client = login_as("inspector")
    assert client.post("/sites/new", data={**SITE, "domain": "báo-mới.vn"}).status_code == 302
    with app.app_context():
        site_id = db.session.scalar(select(Site.id))
    case = make_case("detected")
    _attach(app, case.id, site_id)
    new_case = client.get("/cases/new").get_data(as_text=True)
    assert "(báo-mới.vn)</option>" in new_case and "xn--" not in new_case
    rows = list(csv.reader(io.StringIO(client.get("/cases/export.csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert rows[1][3] == "báo-mới.vn"
    registry = client.get("/sites/export.csv").get_data(as_text=True)
    assert "báo-mới.vn" in registry and "xn--" not in registry

