"""Sign-in, sessions, passwords, uploads, CSRF, audit trail, lost updates, backups."""

from __future__ import annotations

import html
import re
import sqlite3
import subprocess
import threading
from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from auth.models import User
from cases.models import Case, Evidence
from core.models import AuditEvent
from extensions import db, limiter
from tests.conftest import PASSWORD
from tests.helpers import read

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")



def test_passwords_are_argon2_and_old_hashes_are_upgraded(app, users):
    from werkzeug.security import generate_password_hash

    assert read(app, lambda: db.session.get(User, users["inspector"].id)) \
        .password_hash.startswith("$argon2id$")
    with app.app_context():
        db.session.get(User, users["inspector"].id).password_hash = \
            generate_password_hash(PASSWORD)
        db.session.commit()
    assert app.test_client().post("/login", data={"username": "inspector",
                                                  "password": PASSWORD}).status_code == 302
    assert read(app, lambda: db.session.get(User, users["inspector"].id)) \
        .password_hash.startswith("$argon2id$")


@pytest.mark.parametrize("password,problem", [
    ("short1", "tối thiểu 10 ký tự"),
    ("password123", "quá phổ biến"),
    ("matkhau1234", "quá phổ biến"),
    ("lan-2014-mat-khau-lan", "không được chứa tên đăng nhập"),
    ("aaaaaaaaaaaa", "lặp lại"),
])
def test_weak_passwords_are_refused(app, users, login_as, password, problem):
    client = login_as("admin")
    response = client.post("/admin/users/new", data={
        "username": "lan", "full_name": "Trần Thị Lan", "email": "lan@stttt.example",
        "role": "inspector", "active": "y", "password": password})
    assert response.status_code == 422
    assert problem in html.unescape(response.get_data(as_text=True))
    assert read(app, lambda: db.session.scalar(select(User).where(User.username == "lan"))) \
        is None


def test_admin_creates_a_user_who_can_sign_in(app, users, login_as):
    response = login_as("admin").post("/admin/users/new", data={
        "username": "lan", "full_name": "Trần Thị Lan", "email": "Lan@STTTT.example",
        "role": "inspector", "active": "y", "password": "Tham-tra-2014-Bac-Giang"})
    assert response.status_code == 302
    client = app.test_client()
    assert client.post("/login", data={"username": "lan", "password":
                                       "Tham-tra-2014-Bac-Giang"}).status_code == 302
    assert read(app, lambda: db.session.scalar(select(User.email).where(
        User.username == "lan"))) == "lan@stttt.example"


def test_login_is_rate_limited_per_user_name_in_vietnamese(app, users):
    app.config.update(LOGIN_LIMIT_PER_USER="5 per 15 minutes",
                      LOGIN_LIMIT_PER_ADDRESS="20 per 15 minutes")
    limiter.reset()
    try:
        client = app.test_client()
        for _ in range(5):
            assert client.post("/login", data={"username": "inspector",
                                               "password": "wrong"}).status_code == 422
        response = client.post("/login", data={"username": "inspector", "password": PASSWORD})
        assert response.status_code == 429
        assert "Đăng nhập sai quá nhiều lần" in response.get_data(as_text=True)
        # another user name from the same address is not blocked yet
        assert app.test_client().post("/login", data={"username": "supervisor",
                                                      "password": PASSWORD}).status_code == 302
        # 20 failures from one address block every user name
        for n in range(15):
            client.post("/login", data={"username": f"ai-do-{n}", "password": "wrong"})
        assert app.test_client().post("/login", data={"username": "admin",
                                                      "password": PASSWORD}).status_code == 429
    finally:
        limiter.reset()
        app.config.update(LOGIN_LIMIT_PER_USER="10000 per minute",
                          LOGIN_LIMIT_PER_ADDRESS="10000 per minute")


def test_logout_ends_every_session_and_clears_remember_me(app, users):
    first, second = app.test_client(), app.test_client()
    response = first.post("/login", data={"username": "inspector", "password": PASSWORD,
                                          "remember": "y"})
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))
    second.post("/login", data={"username": "inspector", "password": PASSWORD})
    assert second.get("/cases/").status_code == 200
    logout = first.post("/logout")
    cookies = " ".join(logout.headers.getlist("Set-Cookie"))
    assert re.search(r"remember_token=;.*(Expires=Thu, 01 Jan 1970|Max-Age=0)", cookies)
    assert first.get("/cases/").status_code == 302
    assert second.get("/cases/").status_code == 302  # the other session ended too


def test_password_change_ends_other_sessions(app, users, login_as):
    mine, other = login_as("inspector"), login_as("inspector")
    response = mine.post("/settings/password", data={
        "current": PASSWORD, "new": "Mat-khau-moi-2014-BG", "confirm": "Mat-khau-moi-2014-BG"})
    assert response.status_code == 302
    assert mine.get("/cases/").status_code == 200
    assert other.get("/cases/").status_code == 302
    wrong = mine.post("/settings/password", data={"current": "nope", "new": "x" * 12,
                                                  "confirm": "x" * 12})
    assert wrong.status_code == 422


def test_deactivation_ends_sessions(app, users, login_as):
    inspector = login_as("inspector")
    admin = login_as("admin")
    user = users["inspector"]
    response = admin.post(f"/admin/users/{user.id}", data={
        "username": "inspector", "full_name": user.full_name, "email": user.email,
        "role": "inspector", "title": "", "competence_title": ""})  # active unchecked
    assert response.status_code == 302
    assert inspector.get("/cases/").status_code == 302
    assert app.test_client().post("/login", data={"username": "inspector",
                                                  "password": PASSWORD}).status_code == 422


def test_secure_cookies_and_hsts_over_https(app, users):
    from app import create_app

    secure = create_app({"TESTING": True, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                         "INSTANCE_PATH": app.instance_path, "SECRET_KEY": "test",
                         "WTF_CSRF_ENABLED": False, "BASE_URL": "https://inspect.example",
                         "CLOCK": app.extensions["clock"],
                         "LOGIN_LIMIT_PER_USER": "10000 per minute",
                         "LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
                         "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024})
    client = secure.test_client()
    response = client.post("/login", data={"username": "inspector", "password": PASSWORD},
                           base_url="https://inspect.example")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    with secure.app_context():
        db.engine.dispose()


def test_uploads_are_typed_by_content(app, users, login_as, make_case):
    case = make_case(state="verifying")
    client = login_as("inspector")

    def upload(content: bytes, name: str):
        return client.post(f"/cases/{case.id}/evidence", data={"file": (BytesIO(content), name),
                                                               "url": "", "note": ""},
                           content_type="multipart/form-data")

    assert upload(PNG, "chup-man-hinh.exe").status_code == 302
    refused = upload(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "anh.png")
    assert refused.status_code == 422
    assert "Không chấp nhận loại tệp này" in html.unescape(refused.get_data(as_text=True))
    page = "<!DOCTYPE html><html><body><script>alert(1)</script>Tin giả</body></html>"
    assert upload(page.encode(), "trang.html").status_code == 302
    assert upload(b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: "
                  b"multipart/related; type=\"text/html\"\r\n\r\n", "trang.mhtml"
                  ).status_code == 302
    rows = read(app, lambda: db.session.scalars(select(Evidence).order_by(Evidence.id)).all())
    assert [r.content_type for r in rows] == ["image/png", "text/html", "multipart/related"]
    served = client.get(f"/cases/{case.id}/evidence/{rows[1].id}")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert all(not name.startswith("trang") for name in
               [r.stored_name for r in rows])  # random names on disk


def test_too_large_upload_gets_a_vietnamese_413(app, users, login_as, make_case):
    case = make_case(state="verifying")
    response = login_as("inspector").post(
        f"/cases/{case.id}/evidence", data={"file": (BytesIO(b"x" * (41 * 1024 * 1024)),
                                                     "lon.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


def test_expired_csrf_token_keeps_what_the_user_typed(app, users, login_as, make_case):
    case = make_case(state="verifying")
    client = login_as("inspector")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/cases/{case.id}/coordination", data={
        "csrf_token": "expired", "partner": "police", "partner_name": "Công an tỉnh Bắc Giang",
        "sent_on": "12/11/2014", "response_due_on": "20/11/2014",
        "request_text": "Xác minh chủ tên miền tinnong24hbg.com"},
        headers={"Referer": "http://localhost/cases/1"})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Biểu mẫu đã hết hạn" in page
    assert "Xác minh chủ tên miền tinnong24hbg.com" in page
    assert 'value="Công an tỉnh Bắc Giang"' in page
    assert f'action="/cases/{case.id}/coordination"' in page


def test_a_cross_site_post_without_cookies_neither_logs_out_nor_offers_to_resend(
        app, users, login_as, make_case):
    """A form auto-posted by another site arrives without our cookies (SameSite=Lax): the
    "form expired" page shows no "send again" form with the attacker's fields and a fresh
    token, and its response sets no cookie, so the victim's session is not replaced."""
    case = make_case(state="verifying")
    victim = login_as("inspector")
    app.config["WTF_CSRF_ENABLED"] = True
    attacker_form = {"partner": "police", "partner_name": "Kẻ giả mạo",
                     "sent_on": "12/11/2014", "request_text": "Nội dung do trang khác gửi"}
    cookieless = app.test_client()
    response = cookieless.post(f"/cases/{case.id}/coordination", data=attacker_form,
                               headers={"Referer": "https://evil.example/form"})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Biểu mẫu đã hết hạn" in page
    assert "Nội dung do trang khác gửi" not in page and "Kẻ giả mạo" not in page
    assert "Gửi lại" not in page and 'name="csrf_token"' not in page.split("<main")[1]
    assert "Set-Cookie" not in response.headers
    # without a Referer either (a referrer policy can hide it): same answer
    response = cookieless.post(f"/cases/{case.id}/coordination", data=attacker_form)
    assert "Set-Cookie" not in response.headers and "Gửi lại" not in response.get_data(
        as_text=True)
    # the victim is still signed in, and still gets "send again" for their own expired form
    assert victim.get("/cases/").status_code == 200
    own = victim.post(f"/cases/{case.id}/coordination", data={**attacker_form,
                                                              "csrf_token": "expired"},
                      headers={"Origin": "http://localhost"})
    assert own.status_code == 400 and "Gửi lại" in own.get_data(as_text=True)


def test_audit_verify_detects_edits_and_deletions(app, runner, make_case):
    make_case(state="record_made")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.id == 2).values(note="sửa"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "event 2" in result.output
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.id == 2).values(note=None))
        last = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
        db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.id == last))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "deleted" in result.output


def test_audit_chain_survives_a_rolled_back_savepoint_and_a_failed_request(app, users):
    """The head of the trail is locked once per transaction and reused; a savepoint or a
    transaction that rolls back must not leave a stale head behind."""
    from core.audit import record, verify_chain

    with app.app_context():
        actor = db.session.get(type(users["admin"]), users["admin"].id)
        record(actor, "test.first", actor)
        try:
            with db.session.begin_nested():
                record(actor, "test.undone", actor)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        record(actor, "test.second", actor)
        db.session.commit()
        record(actor, "test.abandoned", actor)
        db.session.rollback()
        record(actor, "test.third", actor)
        db.session.commit()
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("test.%")).order_by(AuditEvent.id)).all()
        assert actions == ["test.first", "test.second", "test.third"]
        assert verify_chain() == []


def test_concurrent_audit_events_form_one_chain(app, users):
    """8 threads × 20 transactions of one event each, nothing else to serialise them: each
    transaction takes the head's lock anew (a head kept from an earlier transaction would
    fork the chain)."""
    from core.audit import record, verify_chain

    errors: list[str] = []

    def writer(n: int):
        with app.app_context():
            user = db.session.get(User, users["inspector"].id)
            for i in range(20):
                try:
                    record(user, "test.concurrent", user, note=f"{n}-{i}")
                    db.session.commit()
                except Exception as exc:
                    db.session.rollback()
                    errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert read(app, verify_chain) == []
    assert read(app, lambda: db.session.scalar(select(func.count()).select_from(
        AuditEvent).where(AuditEvent.action == "test.concurrent"))) == 160


def test_stale_edit_gets_a_409_with_the_changes_and_the_input_kept(app, users, login_as,
                                                                  make_case):
    case = make_case(state="verifying")
    mine, theirs = login_as("inspector"), login_as("supervisor")
    form = mine.get(f"/cases/{case.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    base = {"subject_kind": "organisation", "subject_name": case.subject_name,
            "subject_address": "Yên Dũng, Bắc Giang", "subject_id_number": "2401178901",
            "detection_method": "monitoring", "detected_on": "03/11/2014",
            "description": "Mạng xã hội hoạt động không phép.", "version": version}
    assert theirs.post(f"/cases/{case.id}/edit", data=dict(
        base, subject_address="Số 27 Trần Phú, Yên Dũng")).status_code == 302
    response = mine.post(f"/cases/{case.id}/edit", data=dict(
        base, description="Mô tả của tôi, chưa được lưu."))
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "Số 27 Trần Phú, Yên Dũng" in page  # what is saved now
    assert "Mô tả của tôi, chưa được lưu." in page  # the input kept
    stored = read(app, lambda: db.session.get(Case, case.id))
    assert stored.subject_address == "Số 27 Trần Phú, Yên Dũng"
    assert stored.description == "Mạng xã hội hoạt động không phép."


def test_two_sessions_saving_the_same_case_one_gets_the_conflict(app, make_case):
    """Both load version n; the first save wins, the second raises StaleDataError instead
    of silently overwriting (the version column of Case)."""
    from sqlalchemy.orm import Session

    case = make_case(state="verifying")
    with app.app_context():
        first = Session(db.engine, expire_on_commit=False)
        second = Session(db.engine, expire_on_commit=False)
        mine = first.get(Case, case.id)
        first.commit()
        theirs = second.get(Case, case.id)
        second.commit()  # both hold version n, no transaction open
        mine.description, theirs.description = "A", "B"
        first.commit()
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()
        first.close()
        second.close()
    stored = read(app, lambda: db.session.get(Case, case.id))
    assert stored.description == "A" and stored.version == case.version + 1


def test_concurrent_writers_wait_instead_of_failing(app, users):
    """8 threads × 25 new cases: SQLite's writers queue (BEGIN IMMEDIATE, busy timeout),
    PostgreSQL's wait on the counter's row lock; no "database is locked", no gap."""
    from cases import operations as ops

    errors: list[str] = []

    def writer(n: int):
        with app.app_context():
            user = db.session.get(User, users["inspector"].id)
            for i in range(25):
                try:
                    ops.open_case(user, {
                        "subject_kind": "individual", "subject_name": f"Người {n}-{i}",
                        "detection_method": "complaint", "detected_on": date(2014, 11, 12),
                        "description": "Phản ánh."})
                    db.session.commit()
                except Exception as exc:
                    db.session.rollback()
                    errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    codes = read(app, lambda: db.session.scalars(select(Case.code)).all())
    assert len(codes) == 200 and len(set(codes)) == 200  # gap-free distinct case codes
    assert max(codes) == "VV-2014-0200"
    from core.audit import verify_chain

    assert read(app, verify_chain) == []  # one chain, not forked by the concurrent writers


def test_backup_and_restore(app, users, make_case, runner, tmp_path):
    case = make_case(state="record_made")
    result = runner.invoke(args=["backup", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = next(tmp_path.iterdir())
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        restored = sqlite3.connect(folder / "app.sqlite")
        assert restored.execute("SELECT code FROM cases").fetchall() == [(case.code,)]
        restored.close()
    else:
        listing = subprocess.run(["pg_restore", "--list", str(folder / "app.pgdump")],
                                 capture_output=True, text=True, check=True).stdout
        assert "TABLE DATA public cases" in listing


def test_every_response_carries_a_request_id(app, users, login_as, caplog):
    client = login_as("inspector")
    response = client.get("/cases/", headers={"X-Request-ID": "abc12345-req"})
    assert response.headers["X-Request-ID"] == "abc12345-req"
    generated = client.get("/cases/").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", generated)
    with app.test_request_context("/"):
        from flask import g

        from web import RequestIdFilter

        g.request_id = "zz-request-1"
        record = __import__("logging").LogRecord("x", 20, "f", 1, "msg", None, None)
        assert RequestIdFilter().filter(record) and record.request_id == "zz-request-1"


def test_unknown_and_inactive_user_names_cost_one_argon2_check(app, users, monkeypatch):
    """Timing must not tell which user names exist: an unknown or inactive user name is
    checked against a dummy hash, as a known one is against its own (argon2 counted)."""
    from argon2 import PasswordHasher

    calls = []
    real = PasswordHasher.verify

    def counting(self, hash, password):
        calls.append(hash[:9])
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    with app.app_context():
        db.session.execute(update(User).where(User.username == "inspector2")
                           .values(active=False))
        db.session.commit()
    client = app.test_client()
    for name in ("inspector", "nobody-here", "inspector2"):
        calls.clear()
        assert client.post("/login", data={"username": name,
                                           "password": "wrong-password"}).status_code == 422
        assert calls == ["$argon2id"], name


def test_user_names_typed_on_a_phone_sign_in(app, users, runner):
    """"Inspector " (a capital from the phone, a space from the keyboard) is "inspector";
    the field asks phones not to capitalise, correct or spell-check it."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="username"[^>]*>', page).group(0)
    for attribute in ('autocapitalize="none"', 'autocorrect="off"', 'spellcheck="false"'):
        assert attribute in field
    assert client.post("/login", data={"username": " Inspector ",
                                       "password": PASSWORD}).status_code == 302
    result = runner.invoke(args=["users", "create", " Lan.Tran ", "--role", "inspector",
                                 "--email", "lan@stttt.example"],
                           input="mat-khau-rat-dai-2014\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.username).where(User.email ==
                                                             "lan@stttt.example")) == "lan.tran"
    again = runner.invoke(args=["users", "create", "LAN.TRAN", "--role", "inspector",
                                "--email", "lan2@stttt.example"], input="mat-khau-rat-dai-2014\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_one_user_name_guessed_from_many_addresses_is_limited(app, users):
    app.config.update(LOGIN_LIMIT_PER_NAME="3 per 15 minutes")
    limiter.reset()
    try:
        for n in range(3):
            assert app.test_client().post(
                "/login", data={"username": "inspector", "password": "wrong"},
                environ_base={"REMOTE_ADDR": f"203.0.113.{n + 1}"}).status_code == 422
        blocked = app.test_client().post(
            "/login", data={"username": "Inspector", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "203.0.113.99"})
        assert blocked.status_code == 429
        # another name from those addresses is not blocked
        assert app.test_client().post(
            "/login", data={"username": "supervisor", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "203.0.113.1"}).status_code == 302
    finally:
        limiter.reset()
        app.config.update(LOGIN_LIMIT_PER_NAME="10000 per minute")


def test_current_password_guesses_on_the_settings_page_are_limited(app, users, login_as):
    app.config.update(PASSWORD_CHANGE_LIMIT="3 per 15 minutes")
    limiter.reset()
    try:
        client = login_as("inspector")
        # a weak new password with the right current one is not a guess
        assert client.post("/settings/password", data={
            "current": PASSWORD, "new": "short", "confirm": "short"}).status_code == 422
        for _ in range(3):
            assert client.post("/settings/password", data={
                "current": "guess", "new": "mot-mat-khau-moi-2014",
                "confirm": "mot-mat-khau-moi-2014"}).status_code == 422
        assert client.post("/settings/password", data={
            "current": PASSWORD, "new": "mot-mat-khau-moi-2014",
            "confirm": "mot-mat-khau-moi-2014"}).status_code == 429
    finally:
        limiter.reset()
        app.config.update(PASSWORD_CHANGE_LIMIT="10000 per minute")


def test_several_workers_with_limits_in_memory_are_warned_about(tmp_path, monkeypatch,
                                                                capsys):
    from app import create_app, worker_processes

    assert worker_processes(["gunicorn", "-w", "4", "app:create_app()"], {}) == 4
    assert worker_processes(["gunicorn", "--workers=3"], {}) == 3
    assert worker_processes(["flask", "run"], {"WEB_CONCURRENCY": "2"}) == 2
    assert worker_processes(["flask", "run"], {}) == 1
    monkeypatch.setattr("sys.argv", ["gunicorn", "-w", "4", "app:create_app()"])
    create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite'}",
                "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "test", "TESTING": True})
    assert "4 worker processes count sign-in failures in memory" in capsys.readouterr().err
