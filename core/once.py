"""Do the work of a form once: a second submission of the same rendered form (double click,
browser resend, two tabs) is sent to the first one's result."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from core.clock import clock
from core.models import SubmittedForm
from extensions import db


def already_done(form):
    """A redirect to the result of an earlier submission of this very form, or None."""
    return done_before(getattr(form, "once", None) and form.once.data)


def done_before(token: str | None):
    """A redirect to the result of the form whose one-time token is `token` (a second click
    that arrives after the first changed what the user may do: the page of the result, not a
    refusal), or None when no form with that token was acted on."""
    if not token:
        return None
    row = db.session.get(SubmittedForm, str(token)[:64])
    if row is None:
        return None
    flash(_("This form was already sent; here is the result."), "info")
    return redirect(row.result_url)


def purge(older_than: timedelta = timedelta(days=1)) -> int:
    """Forget the one-time tokens of forms acted on more than `older_than` ago (a double
    click arrives within seconds). Flushes; the job commits. Returns rows deleted."""
    cutoff = clock().now() - older_than
    return db.session.execute(delete(SubmittedForm).where(
        SubmittedForm.created_at < cutoff)).rowcount


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
