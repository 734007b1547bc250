"""Flask-Login set-up: who the session's user is."""

from __future__ import annotations

from auth.models import User
from extensions import db, login_manager


def _load_user(user_id: str):
    """Flask-Login loader. The id reads "<id>:<session version>"; anything malformed, unknown,
    inactive or of an old session version is anonymous — never an error."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def init_login() -> None:
    """Register the user loader; the login page is auth.login; no "please log in" flash;
    the session is checked against the browser's address ("basic")."""
    login_manager.user_loader(_load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
