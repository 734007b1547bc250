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
from sqlalchemy import func, select

from auth import operations
from auth.forms import LoginForm
from auth.models import User
from auth.passwords import verify_nobody
from auth.validation import normalise_username
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


def _typed_name() -> str:
    return normalise_username(request.form.get("username"))[:64]


def _login_name() -> str:
    """Failures are counted per user name *and* address (a few), so a colleague elsewhere is
    not locked out by one address's guesses; the per-address limit stops guessing across
    many names, and the per-name limit (`_name_only`) guessing one name from many
    addresses."""
    return f"user:{_typed_name()}:{get_remote_address()}"


def _name_only() -> str:
    return f"name:{_typed_name()}"


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_USER"], methods=["POST"],
               key_func=_login_name, deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_NAME"], methods=["POST"],
               key_func=_name_only, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("cases.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        # the name as typed on a phone ("Inspector ") matches; the password is checked
        # against a dummy hash when there is no such active user, in the same time
        user = db.session.scalar(select(User).where(
            func.lower(User.username) == form.username.data))
        if user is None or not user.active:
            verify_nobody(form.password.data)
        elif user.check_password(form.password.data):
            # the language chosen on the sign-in page is kept, and becomes the user's own
            chosen = session.get("lang")
            if chosen in current_app.config["LANGUAGES"] and chosen != user.locale:
                operations.set_locale(user, chosen)
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
