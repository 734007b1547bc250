"""Login, logout, language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from auth import operations
from auth.forms import LoginForm
from auth.models import User
from auth.views import bp
from extensions import db, limiter


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirect): refuses schemes,
    hosts, protocol-relative and backslash tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _login_name() -> str:
    """Failures are counted per user name *and* address, so nobody can lock a colleague out
    from elsewhere; the per-address limit (below) stops guessing across many names."""
    name = (request.form.get("username") or "").strip().lower()[:64]
    return f"user:{name}:{get_remote_address()}"


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_USER"], methods=["POST"],
               key_func=_login_name, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("cases.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data))
        if user is not None and user.active and user.check_password(form.password.data):
            db.session.commit()  # an outdated password hash may have been replaced
            session.clear()  # a fresh session at login
            login_user(user, remember=form.remember.data)
            if user.locale:
                session["lang"] = user.locale
            return redirect(safe_next(request.args.get("next")) or url_for("cases.dashboard"))
        form.password.errors = [_("Wrong username or password.")]
    return render_template("auth/login.html", form=form), (422 if request.method == "POST"
                                                            else 200)


@bp.post("/logout")
@login_required
def logout():
    """Sign out everywhere: the session version moves on, so every session and remember-me
    cookie of this user stops working; this browser's cookies are cleared."""
    operations.sign_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    session["_remember"] = "clear"  # Flask-Login deletes the remember-me cookie on this flag
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            operations.set_locale(current_user, code)
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("index"))
