"""Who may reach what: every route of `app.url_map` for anonymous users, role checks."""

from __future__ import annotations

import pytest

# Routes an anonymous visitor may reach (everything else redirects to /login).
PUBLIC = {"auth.login", "static", "index", "healthz", "auth.set_language",
          "auth.calendar_feed", "help_page"}


def _sample_url(app, rule) -> str:
    values = {}
    for arg in rule.arguments:
        if rule.defaults and arg in rule.defaults:
            continue
        from werkzeug.routing import IntegerConverter

        values[arg] = 1 if isinstance(rule._converters[arg], IntegerConverter) else "x"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC]


def test_every_route_redirects_anonymous_users_to_login(app):
    client = app.test_client()
    checked = 0
    for rule in _rules(app):
        url = _sample_url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (rule.endpoint, method, response.status_code)
            assert response.location.startswith("/login"), (rule.endpoint, response.location)
            checked += 1
    assert checked > 30  # the walk really covered the application


def test_public_routes_answer_anonymous_users(app):
    client = app.test_client()
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/").location.startswith("/login")


def test_inspector_cannot_approve(app, users, login_as, make_case):
    case = make_case(state="sanction_proposed")
    other_inspector = login_as("inspector2")
    assert other_inspector.post(f"/cases/{case.id}/approve").status_code == 403
    assert login_as("admin").post(f"/cases/{case.id}/approve").status_code == 403


def test_inspector_works_only_on_own_cases(app, users, login_as, make_case):
    case = make_case(state="verifying")
    other = login_as("inspector2")
    assert other.get(f"/cases/{case.id}").status_code == 200  # every case is visible
    response = other.post(f"/cases/{case.id}/coordination", data={
        "partner": "police", "partner_name": "Công an tỉnh", "sent_on": "12/11/2014",
        "response_due_on": "20/11/2014", "request_text": "Xác minh."})
    assert response.status_code == 403
    assert other.get(f"/cases/{case.id}/edit").status_code == 403


@pytest.mark.parametrize("username,expected", [("inspector", 403), ("supervisor", 200),
                                               ("admin", 200)])
def test_mail_page_for_supervisors_and_admins(app, users, login_as, username, expected):
    assert login_as(username).get("/admin/mail").status_code == expected


def test_admin_cannot_open_cases(app, users, login_as):
    assert login_as("admin").get("/cases/new").status_code == 403


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example",
                                    "////evil.example", "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(app, users, target):
    client = app.test_client()
    response = client.post(f"/login?next={target}", data={"username": "inspector",
                                                           "password": "correct-horse-2014"})
    assert response.location == "/cases/dashboard"


def test_login_keeps_a_local_next(app, users):
    client = app.test_client()
    response = client.post("/login?next=/cases/12%3Ftab%3D2",
                           data={"username": "inspector", "password": "correct-horse-2014"})
    assert response.location == "/cases/12?tab=2"


def test_malformed_session_user_is_anonymous(app, users):
    client = app.test_client()
    for bad in ("abc", "999:1", "1:x", "", "1"):
        with client.session_transaction() as session:
            session["_user_id"] = bad
        response = client.get("/cases/")
        assert response.status_code == 302 and response.location.startswith("/login")


def test_wrong_password_is_refused_in_vietnamese(app, users):
    client = app.test_client()
    response = client.post("/login", data={"username": "inspector", "password": "nope"})
    assert response.status_code == 422
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)
