"""User administration (administrators) and the user's own password."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from auth import operations as ops
from auth.forms import PasswordChangeForm, UserForm
from auth.models import User
from auth.permissions import permission_required
from auth.views import bp
from core.errors import OperationError
from core.forms import refuse
from extensions import db, limiter


@bp.route("/admin/users")
@login_required
@permission_required("users.manage")
def users():
    rows = db.session.scalars(select(User).order_by(User.active.desc(), User.role,
                                                    User.name_key, User.id)).all()
    return render_template("auth/users.html", users=rows)


def _data(form: UserForm) -> dict:
    return {"full_name": form.full_name.data, "email": form.email.data.strip().lower(),
            "role": form.role.data, "title": form.title.data or "",
            "competence_title": form.competence_title.data or None,
            "signs_on_behalf": form.signs_on_behalf.data,
            "delegation_basis": form.delegation_basis.data or None,
            "active": form.active.data}


@bp.route("/admin/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
@permission_required("users.manage")
def user_form(user_id: int | None):
    user = db.session.get(User, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    form = UserForm(obj=user)
    if request.method == "GET" and user is not None:
        form.competence_title.data = user.competence_title or ""
    if user is not None:
        form.username.render_kw = {"readonly": True}
    if form.validate_on_submit():
        try:
            if user is None:
                if not form.password.data:
                    raise OperationError(_("Give the new user a password."), "password")
                user = ops.create_user(current_user, form.username.data, form.password.data,
                                       _data(form))
            else:
                ops.update_user(current_user, user, _data(form))
                if form.password.data:
                    ops.reset_password(current_user, user, form.password.data)
            db.session.commit()
        except OperationError as exc:
            refuse(form, exc)
            user = db.session.get(User, user_id) if user_id else None
        else:
            flash(_("User %(name)s saved.", name=user.username), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user), (
        422 if request.method == "POST" else 200)


def _own_account() -> str:
    return f"password-change:{current_user.get_id()}"


def _wrong_current_password(_response) -> bool:
    return bool(g.get("wrong_current_password"))


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["PASSWORD_CHANGE_LIMIT"], methods=["POST"],
               key_func=_own_account, deduct_when=_wrong_current_password)
def change_password():
    """The user's own password. Wrong current passwords are counted per account
    (PASSWORD_CHANGE_LIMIT): a session left open cannot be used to guess the password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            ops.change_own_password(current_user, form.current.data, form.new.data)
            db.session.commit()
        except OperationError as exc:
            g.wrong_current_password = exc.field == "current"
            refuse(form, exc)
        else:
            user = db.session.get(User, current_user.id)
            session.clear()
            login_user(user)  # this browser continues with the new session version
            flash(_("Password changed; your other sessions have been signed out."), "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/password.html", form=form), (
        422 if request.method == "POST" else 200)
