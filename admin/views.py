"""Administration pages: the outbox, the development mail spool, the agency settings."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import load_only

from admin import operations
from auth.permissions import permission_required
from core import mail, search
from core.agency import DEFAULT_SYMBOLS, FIELDS, agency
from core.errors import OperationError
from core.forms import AgencyForm, refuse
from core.models import Notification, NotificationStatus
from core.pagination import paginate
from extensions import db
from web import _fmt_datetime

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _summary(path):
    with path.open("rb") as fh:
        msg = BytesParser(policy=policy.default).parse(fh)
    body = msg.get_body(preferencelist=("plain",))
    try:
        sent = _fmt_datetime(parsedate_to_datetime(str(msg["Date"])))
    except (TypeError, ValueError):
        sent = str(msg["Date"] or "")
    return {"name": path.name, "to": msg["To"], "subject": msg["Subject"], "date": sent,
            "body": body.get_content() if body else ""}


MAIL_PAGE = 50


@bp.route("/mail")
@login_required
@permission_required("mail.view")
def mail_index():
    """The outbox, newest first, 50 a page: `status` filters, `q` searches the address and
    the subject (case and accents ignored); each row opens. The development spool below."""
    q = (request.args.get("q") or "").strip()
    wanted = request.args.get("status")
    status = wanted if wanted in NotificationStatus.__members__ else None
    stmt = select(Notification).order_by(Notification.id.desc()).options(
        load_only(Notification.id, Notification.created_at, Notification.recipient_email,
                  Notification.subject, Notification.status, Notification.attempts,
                  Notification.last_error))
    if status is not None:
        stmt = stmt.where(Notification.status == status)
    stmt = stmt.where(*search.words(Notification, q))  # on the search index (core.search)
    spool = [_summary(p) for p in mail.spool_files()[:200]]
    return render_template("admin/mail.html", page=paginate(stmt, per_page=MAIL_PAGE), q=q,
                           status=status, statuses=list(NotificationStatus), spool=spool)


@bp.route("/mail/<int:row_id>")
@login_required
@permission_required("mail.view")
def mail_message(row_id: int):
    """One outbox row: to whom, its subject and text, its status and delivery attempts."""
    row = db.session.get(Notification, row_id) or abort(404)
    return render_template("admin/mail_row.html", row=row)


@bp.route("/mail/spool/<name>")
@login_required
@permission_required("mail.view")
def mail_spool_message(name: str):
    match = next((p for p in mail.spool_files() if p.name == name), None)
    if match is None:
        abort(404)
    return render_template("admin/mail_message.html", m=_summary(match))


@bp.post("/mail/<int:row_id>/resend")
@login_required
@permission_required("users.manage")
def mail_resend(row_id: int):
    row = db.session.get(Notification, row_id) or abort(404)
    try:
        operations.resend_mail(current_user, row)
    except OperationError as exc:
        refuse(None, exc)
        return redirect(url_for("admin.mail_index"))
    db.session.commit()
    flash(_("The e-mail is queued again."), "success")
    return redirect(url_for("admin.mail_index"))


@bp.route("/agency", methods=["GET", "POST"])
@login_required
@permission_required("settings.manage")
def agency_settings():
    current = agency()
    form = AgencyForm(data={**{name: current[name] for name in FIELDS},
                            **{f"symbol_{k}": v for k, v in current["symbols"].items()},
                            "districts": "\n".join(current["districts"])})
    if form.validate_on_submit():
        data = {name: form[name].data for name in FIELDS}
        data["symbols"] = {k: form[f"symbol_{k}"].data for k in DEFAULT_SYMBOLS}
        data["districts"] = form.districts.data
        try:
            operations.save_agency(current_user, data)
        except OperationError as exc:
            refuse(form, exc)
            return render_template("admin/agency.html", form=form), 422
        db.session.commit()
        flash(_("Agency settings saved; new documents use them (issued ones never change)."),
              "success")
        return redirect(url_for("admin.agency_settings"))
    return render_template("admin/agency.html", form=form), (
        422 if request.method == "POST" else 200)
