"""Reminder planning and the outbox, with a real SMTP server on loopback."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from cases.reminders import plan_reminders
from core import mail
from core.clock import LOCAL_TZ
from core.models import Notification
from extensions import db
from tests.helpers import SMTPServer, free_port


def reminders(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(Notification).where(Notification.kind.like("reminder%"))
                                  .order_by(Notification.id)).all()
        return [(r.kind, r.recipient_email, r.subject) for r in rows]


def run_planner(app) -> int:
    with app.app_context():
        queued = plan_reminders()
        db.session.commit()
        return queued


def test_three_days_before_one_day_before_on_the_day_then_overdue(app, make_case, clock):
    # record made Friday 07/11/2014 → decision due Friday 14/11/2014
    case = make_case(state="record_made", record_on=date(2014, 11, 7))
    code = case.code
    clock.set(date(2014, 11, 10))  # 4 days left: nothing yet
    assert run_planner(app) == 0
    clock.set(date(2014, 11, 11))
    assert run_planner(app) == 1
    assert run_planner(app) == 0  # idempotent
    clock.set(date(2014, 11, 13))
    run_planner(app)
    clock.set(date(2014, 11, 14))
    run_planner(app)
    clock.set(date(2014, 11, 17))
    run_planner(app)
    run_planner(app)
    got = reminders(app)
    name = "Thời hạn ra quyết định xử phạt"
    assert got == [
        ("reminder_before_3", "inspector@stttt.example",
         f"[{code}] {name}: hạn 14/11/2014 (còn 3 ngày)"),
        ("reminder_before_1", "inspector@stttt.example",
         f"[{code}] {name}: hạn 14/11/2014 (còn 1 ngày)"),
        ("reminder_due_today", "inspector@stttt.example",
         f"[{code}] {name}: hạn 14/11/2014 (đến hạn hôm nay)"),
        ("reminder_overdue", "inspector@stttt.example",
         f"[{code}] {name}: hạn 14/11/2014 (quá hạn 3 ngày)"),
        # no supervisor assigned to the case: every supervisor is told once
        ("reminder_overdue", "supervisor@stttt.example",
         f"[{code}] {name}: hạn 14/11/2014 (quá hạn 3 ngày)"),
        ("reminder_overdue", "supervisor2@stttt.example",
         f"[{code}] {name}: hạn 14/11/2014 (quá hạn 3 ngày)"),
    ]


def test_a_met_deadline_cancels_its_pending_reminders(app, make_case, clock, users):
    case = make_case(state="approved", record_on=date(2014, 11, 7))
    clock.set(date(2014, 11, 12))
    run_planner(app)
    with app.app_context():
        pending = db.session.scalars(select(Notification).where(
            Notification.kind == "reminder_before_3")).all()
        assert [p.status for p in pending] == ["pending"]
        from auth.models import User
        from cases import operations as ops
        from cases.models import Case

        ops.issue_decision(db.session.get(User, users["inspector"].id),
                           db.session.get(Case, case.id), date(2014, 11, 12))
        db.session.commit()
        db.session.expire_all()
        assert [p.status for p in pending] == ["cancelled"]


def test_sent_over_smtp_with_encoded_vietnamese_headers(app, make_case, clock):
    make_case(state="record_made", record_on=date(2014, 11, 7))
    clock.set(datetime(2014, 11, 11, 7, 30, tzinfo=LOCAL_TZ))
    with SMTPServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        with app.app_context():
            from cases.reminders import run_once

            counts = run_once()
            assert counts == {"queued": 1, "sent": 1, "retry": 0, "failed": 0}
            assert run_once() == {"queued": 0, "sent": 0, "retry": 0, "failed": 0}
    assert len(smtp.messages) == 1
    rcpts, msg = smtp.messages[0]
    assert rcpts == ["inspector@stttt.example"]
    assert msg["Subject"].endswith("Thời hạn ra quyết định xử phạt: hạn 14/11/2014 (còn 3 ngày)")
    raw = msg.as_bytes()
    assert b"=?utf-8?" in raw.lower()  # RFC 2047 encoded words, not raw UTF-8 headers
    assert "Thanh tra Sở TT&TT" in str(msg["From"])
    assert msg.get_body(preferencelist=("html",)) is not None
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Hạn cuối: 14/11/2014 (còn 3 ngày)" in text
    assert "Khoản 1 Điều 66" in text


def test_smtp_down_retries_with_backoff_then_fails(app, make_case, clock):
    make_case(state="record_made", record_on=date(2014, 11, 7))
    clock.set(datetime(2014, 11, 11, 8, 0, tzinfo=LOCAL_TZ))
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    with app.app_context():
        plan_reminders()
        db.session.commit()
        assert mail.send_pending() == {"sent": 0, "retry": 1, "failed": 0}
        row = db.session.scalar(select(Notification))
        assert row.status == "pending" and row.attempts == 1
        assert "ConnectionRefused" in row.last_error
        assert mail.send_pending() == {"sent": 0, "retry": 0, "failed": 0}  # backing off
        for _ in range(4):
            clock.set(clock.now().astimezone(LOCAL_TZ).replace(hour=23))
            db.session.expire_all()
            row = db.session.scalar(select(Notification))
            row.send_after = clock.now()
            db.session.commit()
            mail.send_pending()
        db.session.expire_all()
        row = db.session.scalar(select(Notification))
        assert row.status == "failed" and row.attempts == 5


def test_spool_without_smtp_is_listed_for_admins(app, make_case, clock, login_as):
    make_case(state="record_made", record_on=date(2014, 11, 7))
    clock.set(date(2014, 11, 11))
    with app.app_context():
        from cases.reminders import run_once

        assert run_once()["sent"] == 1
    page = login_as("admin").get("/admin/mail").get_data(as_text=True)
    assert "hạn 14/11/2014 (còn 3 ngày)" in page
