"""Do the work of a form once: a second submission of the same rendered form (double click,
browser resend, two tabs) is sent to the first one's result."""

from __future__ import annotations

from flask import flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from core.clock import clock
from core.models import SubmittedForm
from extensions import db


def already_done(form):
    """A redirect to the result of an earlier submission of this very form, or None."""
    token = getattr(form, "once", None) and form.once.data
    if not token:
        return None
    row = db.session.get(SubmittedForm, token)
    if row is None:
        return None
    flash(_("This form was already sent; here is the result."), "info")
    return redirect(row.result_url)


def remember(form, result_url: str) -> None:
    """Record, in the current transaction, that this form produced `result_url`."""
    token = getattr(form, "once", None) and form.once.data
    if token:
        db.session.add(SubmittedForm(token=token[:64], result_url=result_url,
                                     user_id=getattr(current_user, "id", None),
                                     created_at=clock().now()))


def commit_once(form):
    """Commit; when a concurrent submission of the same form committed first, roll back and
    return the redirect to its result (else None)."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        done = already_done(form)
        if done is None:
            raise
        return done
    return None
