"""User administration and passwords; every change audited."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select

from auth.models import Role, User
from auth.passwords import password_problems
from auth.permissions import has_permission
from auth.validation import normalise_username
from core import audit
from core.clock import clock
from core.errors import NotAllowed, OperationError
from extensions import db

USER_FIELDS = ("full_name", "email", "role", "title", "competence_title", "signs_on_behalf",
               "delegation_basis", "active")


def _require_admin(actor) -> None:
    if not has_permission(actor, "users.manage"):
        raise NotAllowed(_("You are not allowed to do this."))


def _check_password(password: str, username: str, field: str = "password") -> None:
    problems = password_problems(password, username)
    if problems:
        raise OperationError(" ".join(problems), field)


def _snapshot(user: User) -> dict:
    return {name: getattr(user, name) for name in USER_FIELDS}


def create_user(actor, username: str, password: str, data: dict) -> User:
    """A new user with a password that passes the policy. Raises NotAllowed or
    OperationError (user name taken, weak password)."""
    _require_admin(actor)
    username = normalise_username(username)  # matched without case at sign-in
    if db.session.scalar(select(User.id).where(
            func.lower(User.username) == username)) is not None:
        raise OperationError(_("The user name %(name)s is taken.", name=username), "username")
    _check_password(password, username)
    user = User(username=username, created_at=clock().now(), session_version=1)
    for name in USER_FIELDS:
        setattr(user, name, data.get(name))
    user.role = Role(data["role"]).value
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.created", user, after={"username": username, **_snapshot(user)})
    return user


def update_user(actor, user: User, data: dict) -> None:
    """Change a user's name, e-mail, role, title, competence or active flag. Deactivating
    or changing the role ends every session of that user. An administrator cannot remove
    their own administrator role or deactivate themselves."""
    _require_admin(actor)
    if user.id == actor.id and (data.get("role") != Role.admin or not data.get("active")):
        raise OperationError(_("You cannot remove your own administrator rights."), "role")
    before = _snapshot(user)
    for name in USER_FIELDS:
        setattr(user, name, data.get(name))
    if before["active"] and not user.active or before["role"] != user.role:
        user.end_all_sessions()
    after = _snapshot(user)
    changed = [k for k in after if after[k] != before[k]]
    audit.record(actor, "user.changed", user, before={k: before[k] for k in changed},
                 after={k: after[k] for k in changed})


def reset_password(actor, user: User, password: str) -> None:
    """An administrator sets a new password (the policy applies); every session of the user
    ends."""
    _require_admin(actor)
    _check_password(password, user.username)
    user.set_password(password)
    user.end_all_sessions()
    audit.record(actor, "user.password_reset", user)


def change_own_password(user: User, current: str, new: str) -> None:
    """The user changes their password; every other session ends. Raises OperationError."""
    if not user.check_password(current):
        raise OperationError(_("The current password is wrong."), "current")
    _check_password(new, user.username, "new")
    user.set_password(new)
    user.end_all_sessions()
    audit.record(user, "user.password_changed", user)


def save_settings(user: User, *, reminder_mode: str, offsets: list[int], locale: str) -> None:
    """The user's own reminder settings (one e-mail per reminder or a morning digest; the
    working days before a deadline) and language. Audited; flushes nothing itself."""
    before = {"mode": user.reminder_mode, "offsets": user.offsets, "locale": user.locale}
    user.reminder_mode = reminder_mode
    user.reminder_offsets = offsets
    user.locale = locale
    audit.record(user, "user.settings_changed", user, before=before,
                 after={"mode": user.reminder_mode, "offsets": user.offsets,
                        "locale": user.locale})


def new_calendar_token(user: User) -> str:
    """A new secret address for the user's iCalendar feed (the previous one stops working).
    Returns the token. Audited."""
    user.calendar_token = secrets.token_urlsafe(32)
    audit.record(user, "user.calendar_token_changed", user)
    return user.calendar_token


def sign_out_everywhere(user: User) -> None:
    """End every session and remember-me cookie of `user` (the session version moves on)."""
    user.end_all_sessions()


def set_locale(user: User, code: str) -> None:
    """Remember the interface language `user` chose ("vi" or "en", checked by the view)."""
    user.locale = code
