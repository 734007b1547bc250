"""Web plumbing: CSRF, security headers, language switch, error pages."""

from __future__ import annotations

import re


def test_csrf_is_required_when_enabled(app, users):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/login", data={"username": "inspector",
                                           "password": "correct-horse-2014"})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "inspector",
                                           "password": "correct-horse-2014",
                                           "csrf_token": token})
    assert response.status_code == 302


def test_security_headers(app, users, login_as):
    response = login_as("inspector").get("/cases/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    cookie = app.test_client()
    login = cookie.post("/login", data={"username": "inspector",
                                        "password": "correct-horse-2014"})
    set_cookie = login.headers.get("Set-Cookie", "")
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie


def test_vietnamese_by_default_english_on_request(app, users, login_as):
    client = login_as("inspector")
    assert "Tổng quan" in client.get("/cases/dashboard").get_data(as_text=True)
    assert client.post("/lang/en", data={"next": "/cases/dashboard"}).location == \
        "/cases/dashboard"
    assert "Dashboard" in client.get("/cases/dashboard").get_data(as_text=True)
    # remembered for the user: a new session comes back in English
    again = login_as("inspector")
    assert "<html lang=\"en\">" in again.get("/cases/dashboard").get_data(as_text=True)


def test_unknown_page_is_a_vietnamese_404(app, users, login_as):
    response = login_as("inspector").get("/cases/999")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)


def test_case_search_ignores_case_and_diacritics(app, users, login_as, make_case):
    make_case(subject_name="Công ty TNHH Quảng cáo Hà Bắc")
    make_case(subject_name="Nguyễn Văn Hùng", subject_kind="individual",
              clause_id="174/2013/NĐ-CP:64.3.a")
    client = login_as("inspector")
    page = client.get("/cases/?q=ha+bac").get_data(as_text=True)
    assert "Hà Bắc" in page and "Nguyễn Văn Hùng" not in page
    page = client.get("/cases/?q=NGUYEN%20van").get_data(as_text=True)
    assert "Nguyễn Văn Hùng" in page and "Hà Bắc" not in page
    assert "VV-2014-0002" in client.get("/cases/?q=vv-2014-0002").get_data(as_text=True)
