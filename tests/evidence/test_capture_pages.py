"""The capture and watch forms as a user meets them: a capture is only queued by the
request (the browser runs in the job), refused URLs come back on the form, other users'
cases are off limits, the saved HTML is never rendered by our origin, a registry site is
captured from its page."""

from __future__ import annotations

from sqlalchemy import select

from cases.capture_worker import run_queued
from cases.models import Watch, WebCapture
from extensions import db


def test_capture_request_only_queues(app, loopback, make_case, login_as, chromium):
    case = make_case("verifying")
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/captures",
                           data={"capture-url": "https://example.vn/bai-viet",
                                 "capture-note": "Bài đăng"})
    assert response.status_code == 302
    with app.app_context():
        capture = db.session.scalars(select(WebCapture)).one()
        assert (capture.state, capture.url, capture.case_id) == (
            "queued", "https://example.vn/bai-viet", case.id)
    assert client.get(f"/cases/{case.id}/captures/status").json == {"pending": 1}
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'data-poll="/cases/{case.id}/captures/status"' in page
    assert "https://example.vn/bai-viet" in page


def test_refused_url_comes_back_on_the_form(app, make_case, login_as, chromium):
    case = make_case("verifying")
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/captures", data={"capture-url": "file:///etc/passwd"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="capture-url-error"' in page and "file:///etc/passwd" in page
    response = client.post(f"/cases/{case.id}/watches",
                           data={"watch-url": "http://10.1.2.3/", "watch-scope": "page",
                                 "watch-interval_days": "1"})
    assert response.status_code == 422
    assert "10.1.2.3" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(WebCapture.id)) is None
        assert db.session.scalar(select(Watch.id)) is None


def test_other_inspectors_case_is_off_limits(app, make_case, login_as):
    case = make_case("verifying")
    client = login_as("inspector2")
    assert client.post(f"/cases/{case.id}/captures",
                       data={"capture-url": "https://example.vn/"}).status_code == 403
    assert client.post(f"/cases/{case.id}/watches",
                       data={"watch-url": "https://example.vn/", "watch-scope": "page",
                             "watch-interval_days": "1"}).status_code == 403


def test_watch_form_and_stop(app, make_case, login_as, chromium):
    case = make_case("verifying")
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/watches",
                           data={"watch-url": "https://example.vn/bai-viet?id=7",
                                 "watch-scope": "site", "watch-interval_days": "2",
                                 "watch-take_down_by": "20/11/2014"})
    assert response.status_code == 302
    with app.app_context():
        watch = db.session.scalars(select(Watch)).one()
        assert (watch.url, watch.interval_days, watch.take_down_by.isoformat()) == (
            "https://example.vn/", 2, "2014-11-20")
    response = client.post(f"/cases/{case.id}/watches",
                           data={"watch-url": "https://example.vn/", "watch-scope": "page",
                                 "watch-interval_days": "45"})
    assert response.status_code == 422
    assert client.post(f"/cases/{case.id}/watches/{watch.id}/stop").status_code == 302
    with app.app_context():
        assert db.session.get(Watch, watch.id).state == "stopped"


def test_saved_html_is_downloaded_never_rendered(app, loopback, site, engine, make_case,
                                                 login_as):
    case = make_case("verifying")
    client = login_as("inspector")
    client.post(f"/cases/{case.id}/captures", data={"capture-url": site.url("/page")})
    with app.app_context():
        run_queued(engine=engine)
        capture_id = db.session.scalar(select(WebCapture.id))
    response = client.get(f"/cases/captures/{capture_id}/page.html")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    shot = client.get(f"/cases/captures/{capture_id}/screenshot.png")
    assert shot.mimetype == "image/png" and shot.data[:4] == b"\x89PNG"
    assert client.get(f"/cases/captures/{capture_id}/../../app.sqlite").status_code == 404
    other = login_as("admin")
    assert other.get(f"/cases/captures/{capture_id}/page.txt").status_code == 200


def test_registry_site_captured_from_its_page(app, loopback, site, engine, login_as, users):
    from datetime import datetime

    from core.clock import LOCAL_TZ
    from registry.models import Site

    now = datetime(2014, 11, 12, 9, 0, tzinfo=LOCAL_TZ)
    with app.app_context():
        entry = Site(kind="social_network", name="Mạng xã hội Sông Thương",
                     domain="songthuong.example", operator_name="Công ty B", status="unlicensed",
                     created_at=now, updated_at=now)
        entry.refresh_search_text()
        db.session.add(entry)
        db.session.commit()
        site_id = entry.id
    client = login_as("inspector")
    page = client.get(f"/sites/{site_id}").get_data(as_text=True)
    assert 'value="https://songthuong.example/"' in page and 'id="capture-url"' in page
    assert client.post(f"/sites/{site_id}/captures",
                       data={"capture-url": site.url("/page")}).status_code == 302
    assert login_as("admin").post(f"/sites/{site_id}/captures",
                                  data={"capture-url": site.url("/")}).status_code == 403
    with app.app_context():
        run_queued(engine=engine)
        capture = db.session.scalars(select(WebCapture)).one()
        assert (capture.site_id, capture.case_id, capture.state) == (site_id, None, "done")
    page = client.get(f"/sites/{site_id}").get_data(as_text=True)
    assert capture.manifest_sha256 in page
