"""The session key: never a published default; outside the demo no start without a strong
one; `make run`'s key file created once (mode 0600) and reused."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from core.keys import MissingKey, is_strong
from extensions import db

ROOT = Path(__file__).resolve().parent.parent
OLD_DEV_KEY = "dev-only-change-me"


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("SECRET_KEY", "AUDIT_KEY", "APP_TODAY", "FLASK_DEBUG", "INSTANCE_PATH"):
        monkeypatch.delenv(name, raising=False)


def _production(tmp_path, *, audit_key: bool = True, **config):
    """A production start (no pinned date, no debug); an audit key given unless told not to
    (the tests of the session key are about SECRET_KEY)."""
    from app import create_app

    if audit_key and not os.environ.get("AUDIT_KEY"):
        config.setdefault("AUDIT_KEY", secrets.token_hex(32))
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}",
                       "INSTANCE_PATH": str(tmp_path / "instance"), **config})


def test_production_without_a_key_refuses_to_start_with_how_to_make_one(tmp_path, clean_env):
    with pytest.raises(MissingKey) as refused:
        _production(tmp_path)
    message = str(refused.value)
    assert "\n" not in message
    assert "SECRET_KEY" in message
    assert "python -c 'import secrets; print(secrets.token_hex(32))'" in message


# Stable ids: the random keys differ between pytest-xdist workers, their ids must not.
@pytest.mark.parametrize("key", [OLD_DEV_KEY, "test", "x" * 64, "0123456789abcdef" * 2,
                                 secrets.token_urlsafe(24)],
                         ids=["published", "short", "one-character", "repeated", "random-24"])
def test_production_refuses_a_weak_or_published_key(tmp_path, clean_env, key):
    with pytest.raises(MissingKey, match="too weak"):
        _production(tmp_path, SECRET_KEY=key)


@pytest.mark.parametrize("key", [secrets.token_hex(32), secrets.token_urlsafe(32)],
                         ids=["hex-32", "urlsafe-32"])
def test_production_starts_with_a_strong_key_from_the_environment(tmp_path, clean_env,
                                                                  monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    app = _production(tmp_path)
    assert app.config["SECRET_KEY"] == key
    assert is_strong(key)


def test_production_reads_the_instance_key_file(tmp_path, clean_env):
    key = secrets.token_hex(32)
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "secret_key").write_text(key + "\n")
    assert _production(tmp_path).config["SECRET_KEY"] == key


def test_make_run_writes_a_private_key_once_and_reuses_it(tmp_path, clean_env):
    env = dict(os.environ, INSTANCE_PATH=str(tmp_path))
    first = subprocess.run([sys.executable, "tools/instance_keys.py"], cwd=ROOT, env=env,
                           capture_output=True, text=True, check=True)
    path = tmp_path / "secret_key"
    assert str(path) in first.stdout
    key = path.read_text().strip()
    assert len(key) == 64 and is_strong(key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = subprocess.run([sys.executable, "tools/instance_keys.py"], cwd=ROOT, env=env,
                           capture_output=True, text=True, check=True)
    assert again.stdout == "" and path.read_text().strip() == key
    audit_path = tmp_path / "audit_key"  # and the audit trail's key beside it
    audit_key = audit_path.read_text().strip()
    assert str(audit_path) in first.stdout and is_strong(audit_key) and audit_key != key
    assert stat.S_IMODE(audit_path.stat().st_mode) == 0o600
    # a production start (no APP_TODAY) after `make run` uses those keys
    started = _production(tmp_path.parent, audit_key=False, INSTANCE_PATH=str(tmp_path))
    assert started.config["SECRET_KEY"] == key and started.config["AUDIT_KEY"] == audit_key


def test_production_without_an_audit_key_refuses_to_start(tmp_path, clean_env):
    """The audit trail is keyed (core.audit) with a key outside the database: no key, no
    start; a weak one neither."""
    with pytest.raises(MissingKey) as refused:
        _production(tmp_path, audit_key=False, SECRET_KEY=secrets.token_hex(32))
    assert "AUDIT_KEY" in str(refused.value) and "\n" not in str(refused.value)
    with pytest.raises(MissingKey, match="too weak"):
        _production(tmp_path, audit_key=False, SECRET_KEY=secrets.token_hex(32),
                    AUDIT_KEY="audit")


def test_the_demo_without_a_key_gets_its_own_not_the_published_one(tmp_path, clean_env):
    from app import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite'}",
                      "INSTANCE_PATH": str(tmp_path), "APP_TODAY": "2014-11-12"})
    key = app.config["SECRET_KEY"]
    assert key != OLD_DEV_KEY and is_strong(key)
    assert (tmp_path / "secret_key").read_text().strip() == key
    with pytest.raises(MissingKey):  # the published key is refused even in the demo
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite'}",
                    "INSTANCE_PATH": str(tmp_path), "APP_TODAY": "2014-11-12",
                    "SECRET_KEY": OLD_DEV_KEY})


def _session_cookie(key: str, data: dict) -> str:
    signer = Flask("forger")
    signer.secret_key = key
    return signer.session_interface.get_signing_serializer(signer).dumps(data)


def _remember_cookie(key: str, user_id: str) -> str:
    digest = hmac.new(key.encode(), user_id.encode(), hashlib.sha512).hexdigest()
    return f"{user_id}|{digest}"


def test_cookies_forged_with_the_old_development_key_open_nothing(app, users, tmp_path,
                                                                 clean_env):
    """A demo started without SECRET_KEY (as `make run` did) no longer signs with the
    published key: a session or remember-me cookie for the administrator forged with it is
    anonymous, while the same cookie signed with the instance's real key opens the page."""
    from app import create_app

    demo = create_app({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                       "INSTANCE_PATH": str(tmp_path), "APP_TODAY": "2014-11-12",
                       "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024})
    admin_id = f"{users['admin'].id}:1"
    session = {"_user_id": admin_id, "_fresh": True}
    try:
        for key, expected in ((OLD_DEV_KEY, 302), (demo.config["SECRET_KEY"], 200)):
            client = demo.test_client()
            client.set_cookie("session", _session_cookie(key, session))
            response = client.get("/admin/users")
            assert response.status_code == expected, key
            if expected == 302:
                assert "/login" in response.headers["Location"]
            client = demo.test_client()
            client.set_cookie("remember_token", _remember_cookie(key, admin_id))
            assert client.get("/admin/users").status_code == expected, key
    finally:
        with demo.app_context():
            db.engine.dispose()
