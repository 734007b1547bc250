"""Locale and time-zone selection for Flask-Babel: Vietnamese first, English on request."""

from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    """The user's saved choice, else the session's, else Vietnamese (never the browser's:
    the product is Vietnamese first). Outside a request (CLI, jobs): Vietnamese."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    languages = current_app.config["LANGUAGES"]
    user_locale = getattr(current_user, "locale", None)
    if user_locale in languages:
        return user_locale
    if session.get("lang") in languages:
        return session["lang"]
    return default


def select_timezone() -> str:
    return "Asia/Ho_Chi_Minh"
