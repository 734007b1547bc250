"""E-mails about workflow events (a sanction proposed, approved, returned), via the outbox."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from cases.models import Case
from core import mail
from core.enums import Choice
from core.models import AuditEvent
from extensions import db
from legal.dates import format_date_vn
from legal.deadlines import RULES


class NoticeKind(Choice):
    """The workflow events that e-mail someone."""

    proposed = "proposed"
    approved = "approved"
    returned = "returned"
    enforcement = "enforcement"  # the compliance deadline passed: enforcement


SUBJECTS = {
    NoticeKind.proposed: "[{code}] Đề nghị phê duyệt xử phạt: {subject}",
    NoticeKind.approved: "[{code}] Đề xuất xử phạt đã được phê duyệt",
    NoticeKind.returned: "[{code}] Đề xuất xử phạt bị trả lại",
    NoticeKind.enforcement: "[{code}] Quá hạn chấp hành quyết định xử phạt: {subject}",
}


def queue(case: Case, recipients, kind: str, reason: str | None = None,
          note: str | None = None, by=None, money=None) -> None:
    """Queue one notice per recipient for the event just recorded on `case` (keyed by the
    latest audit event, so a retried request cannot queue it twice): `reason` of a return,
    `note` written by `by` (the proposer's note to the supervisor, the approver's to the
    inspector), `money` (deadlines.mail.Money) what the case owes that day, printed with
    the enforcement notice. Never commits."""
    event_id = db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.case_id == case.id)
        .order_by(AuditEvent.id.desc()).limit(1))
    url = f"{current_app.config['BASE_URL'].rstrip('/')}/cases/{case.id}"
    subject = SUBJECTS[kind].format(code=case.code, subject=case.subject_name)
    for user in recipients:
        if user is None or not user.active:
            continue
        context = {"user": user, "case": case, "kind": kind, "reason": reason, "url": url,
                   "note": (note or "").strip(), "by": by,
                   "money": money.lines() if money else [],
                   "money_basis": money.basis if money else ""}
        with force_locale("vi"):
            text = render_template("email/notice.txt", **context)
            html = render_template("email/notice.html", **context)
        mail.queue(key=f"event:{event_id}:{kind}:{user.id}", kind=f"notice_{kind}",
                   recipient=user, subject=subject, body_text=text, body_html=html,
                   case_id=case.id)


def queue_deadlines_moved(case: Case, changes: list[tuple], event_id: int) -> None:
    """Tell the case's inspector that deadlines moved after a calendar or rule change;
    `changes` is [(deadline key, old date, new date)]. Never commits."""
    user = case.inspector
    if not user.active:
        return
    lines = []
    for key, old, new in changes:
        rule = RULES.get(key.split(":", 1)[0])
        lines.append(f"{rule.name_vi if rule else key}: {format_date_vn(old)} → "
                     f"{format_date_vn(new)}")
    url = f"{current_app.config['BASE_URL'].rstrip('/')}/cases/{case.id}"
    text = (f"Kính gửi {user.full_name},\n\nDo điều chỉnh lịch ngày nghỉ hoặc quy tắc thời hạn, "
            f"các thời hạn sau của vụ việc {case.code} ({case.subject_name}) đã thay đổi:\n\n"
            + "\n".join(f"  - {line}" for line in lines) + f"\n\nXem hồ sơ: {url}\n")
    mail.queue(key=f"event:{event_id}:moved:{case.id}:{user.id}", kind="notice_moved",
               recipient=user, subject=f"[{case.code}] Thời hạn đã thay đổi", body_text=text,
               case_id=case.id)
