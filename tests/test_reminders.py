"""Reminder planning and the outbox, with a real SMTP server on loopback."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta

from sqlalchemy import select, text

from core import mail
from core.clock import LOCAL_TZ
from core.models import Notification
from deadlines.planner import plan_digests, plan_reminders
from extensions import db
from tests.helpers import SMTPServer, free_port

NAME = "Thời hạn ra quyết định xử phạt"



# an act of a 5–10 M bracket: no right to explain, the 7-day limit to decide and no
# violator's windows among the deadlines (docs/legal/procedure.md#right-to-explain)
NO_RIGHT = "174/2013/NĐ-CP:64.1.a"

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


def simulate(app, clock, days, hours=(7, 12, 17), skip=()):
    """Advance the injected clock through `days`, planning at each of `hours`."""
    for day in days:
        if day in skip:
            continue
        for hour in hours:
            clock.set(datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ))
            run_planner(app)


def november(first, last):
    return [date(2014, 11, d) for d in range(first, last + 1)]


def test_a_simulated_fortnight_sends_exactly_the_expected_reminders(app, make_case, clock):
    # record made Friday 07/11/2014 → decision due Friday 14/11/2014
    code = make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT).code
    with app.app_context():
        # an edited account: on PostgreSQL its row now lies after the other supervisor's, so
        # an unordered read would meet them the other way round
        db.session.execute(text("UPDATE users SET full_name = full_name || '' "
                                "WHERE username = 'supervisor'"))
        db.session.commit()
    simulate(app, clock, november(8, 21))
    subject = f"[{code}] {NAME}: hạn 14/11/2014 ({{}})"
    inspector, boss, boss2 = ("inspector@stttt.example", "supervisor@stttt.example",
                              "supervisor2@stttt.example")
    assert reminders(app) == [
        ("reminder_before_3", inspector, subject.format("còn 3 ngày")),  # Tue 11/11
        ("reminder_before_1", inspector, subject.format("còn 1 ngày")),  # Thu 13/11
        ("reminder_due", inspector, subject.format("đến hạn hôm nay")),  # Fri 14/11
        ("reminder_overdue", inspector, subject.format("quá hạn 3 ngày")),  # Mon 17/11
        ("reminder_overdue", inspector, subject.format("quá hạn 4 ngày")),  # Tue 18/11
        # two working days overdue: no supervisor on the case, so every supervisor, once
        ("reminder_escalation", boss, subject.format("quá hạn 4 ngày")),
        ("reminder_escalation", boss2, subject.format("quá hạn 4 ngày")),
        ("reminder_overdue", inspector, subject.format("quá hạn 5 ngày")),
        ("reminder_overdue", inspector, subject.format("quá hạn 6 ngày")),
        ("reminder_overdue", inspector, subject.format("quá hạn 7 ngày")),  # Fri 21/11
    ]


def test_three_days_of_downtime_give_one_catch_up_reminder(app, make_case, clock):
    code = make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT).code
    simulate(app, clock, november(8, 21), skip=november(17, 19))
    got = [(kind, subject[-16:]) for kind, _to, subject in reminders(app)]
    overdue = [s for kind, s in got if kind == "reminder_overdue"]
    assert overdue == ["(quá hạn 6 ngày)", "(quá hạn 7 ngày)"]  # 20/11 (catch-up), 21/11
    assert sum(1 for kind, _s in got if kind == "reminder_escalation") == 2  # once each
    assert code


def test_only_the_latest_offset_is_sent_after_a_gap(app, make_case, clock):
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
    clock.set(date(2014, 11, 13))  # the planner first runs on the day of "1 day before"
    run_planner(app)
    assert [k for k, _to, _s in reminders(app)] == ["reminder_before_1"]


def test_user_offsets_and_digest(app, make_case, clock, users):
    from auth.models import User

    with app.app_context():
        db.session.get(User, users["inspector"].id).reminder_offsets = [5]
        db.session.commit()
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
    simulate(app, clock, november(7, 13))
    kinds = [k for k, _to, _s in reminders(app)]
    assert kinds == ["reminder_before_5"]  # Fri 07/11: five working days before 14/11
    with app.app_context():
        db.session.get(User, users["inspector"].id).reminder_mode = "digest"
        db.session.commit()
    simulate(app, clock, november(14, 14))
    assert [k for k, _to, _s in reminders(app)] == ["reminder_before_5"]  # no single e-mail
    with app.app_context():
        assert plan_digests(date(2014, 11, 14)) == 1
        assert plan_digests(date(2014, 11, 14)) == 0  # once a day
        db.session.commit()
        digest = db.session.scalar(select(Notification).where(Notification.kind == "digest"))
        assert digest.subject == "Tổng hợp thời hạn ngày 14/11/2014: 1 thời hạn"
        assert "14/11/2014 (đến hạn hôm nay)" in digest.body_text


def test_a_met_deadline_cancels_its_pending_reminders(app, make_case, clock, users):
    case = make_case(state="approved", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
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


def _deliver(app, clock, smtp_port):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, MAIL_TIMEOUT=5)
    with app.app_context():
        return mail.send_pending()


def test_sent_over_smtp_with_exact_vietnamese_headers(app, make_case, clock):
    code = make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT).code
    clock.set(datetime(2014, 11, 11, 7, 30, tzinfo=LOCAL_TZ))
    with SMTPServer() as smtp:
        run_planner(app)
        assert _deliver(app, clock, smtp.port) == {"sent": 1, "retry": 0, "failed": 0}
        assert _deliver(app, clock, smtp.port) == {"sent": 0, "retry": 0, "failed": 0}
    assert len(smtp.messages) == 1
    rcpts, msg = smtp.messages[0]
    assert rcpts == ["inspector@stttt.example"]
    assert msg["Subject"] == f"[{code}] {NAME}: hạn 14/11/2014 (còn 3 ngày)"
    assert msg["From"].addresses[0].display_name == "Thanh tra Sở TT&TT"
    raw = msg.as_bytes()
    assert b"=?utf-8?" in raw.lower()  # RFC 2047 encoded words, not raw UTF-8 headers
    assert msg.get_body(preferencelist=("html",)) is not None
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Hạn cuối: 14/11/2014 (còn 3 ngày)" in text
    assert "Khoản 1 Điều 66" in text


def test_connection_dropped_after_acceptance_is_not_resent(app, make_case, clock):
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT,
              subject_name="Công ty TNHH Quảng cáo Hà Bắc")
    clock.set(date(2014, 11, 11))
    run_planner(app)
    with SMTPServer(drop_after_data=True) as smtp:
        first = _deliver(app, clock, smtp.port)
        # the first message was accepted, then the server hung up: the second one failed
        assert first == {"sent": 1, "retry": 1, "failed": 0}
        clock.set(clock.now() + timedelta(minutes=5))
        assert _deliver(app, clock, smtp.port) == {"sent": 1, "retry": 0, "failed": 0}
    keys = [msg["X-Outbox-Key"] for _r, msg in smtp.messages]
    assert len(keys) == 2 and len(set(keys)) == 2


def test_refused_twice_then_accepted_is_received_once(app, make_case, clock):
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
    clock.set(date(2014, 11, 11))
    run_planner(app)
    with SMTPServer(refuse=2) as smtp:
        for _ in range(3):
            _deliver(app, clock, smtp.port)
            clock.set(clock.now() + timedelta(hours=1))
    assert len(smtp.messages) == 1
    with app.app_context():
        row = db.session.scalar(select(Notification))
        assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)


def test_always_refused_is_marked_failed_and_listed(app, make_case, clock, login_as):
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
    clock.set(date(2014, 11, 11))
    run_planner(app)
    with SMTPServer(refuse=99) as smtp:
        for _ in range(7):
            _deliver(app, clock, smtp.port)
            clock.set(clock.now() + timedelta(hours=1))
    assert smtp.messages == []
    with app.app_context():
        row = db.session.scalar(select(Notification))
        assert row.status == "failed" and row.attempts == 5
        assert "451" in row.last_error
    app.config.update(MAIL_SERVER=None)
    page = login_as("admin").get("/admin/mail").get_data(as_text=True)
    assert "451" in page and f"/admin/mail/{row.id}/resend" in page


def test_smtp_down_backs_off_exponentially(app, make_case, clock):
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
    clock.set(datetime(2014, 11, 11, 8, 0, tzinfo=LOCAL_TZ))
    run_planner(app)
    port = free_port()
    assert _deliver(app, clock, port) == {"sent": 0, "retry": 1, "failed": 0}
    with app.app_context():
        row = db.session.scalar(select(Notification))
        assert "ConnectionRefused" in row.last_error
        assert row.send_after - clock.now() == timedelta(minutes=2)
    assert _deliver(app, clock, port) == {"sent": 0, "retry": 0, "failed": 0}  # backing off
    clock.set(clock.now() + timedelta(minutes=3))
    _deliver(app, clock, port)
    with app.app_context():
        row = db.session.scalar(select(Notification))
        assert row.attempts == 2 and row.send_after - clock.now() == timedelta(minutes=4)


def test_spool_without_smtp_is_listed_for_admins(app, make_case, clock, login_as):
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
    clock.set(date(2014, 11, 11))
    with app.app_context():
        from jobs import run_once

        assert run_once()["sent"] == 1
    page = login_as("admin").get("/admin/mail").get_data(as_text=True)
    assert "hạn 14/11/2014 (còn 3 ngày)" in page


def test_digest_fires_at_0730_in_vietnam_even_when_the_machine_is_utc(app):
    from core.scheduler import build_scheduler
    from jobs import jobs

    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        scheduler = build_scheduler(app, jobs())
        trigger = scheduler.get_job("daily_digest").trigger
        now = datetime(2014, 11, 12, 1, 0, tzinfo=LOCAL_TZ)
        fire = trigger.get_next_fire_time(None, now)
        assert fire.isoformat() == "2014-11-12T07:30:00+07:00"
        for job in scheduler.get_jobs():
            assert str(job.trigger.timezone) == "Asia/Ho_Chi_Minh"
    finally:
        if old is None:
            os.environ.pop("TZ")
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_calendar_feed_lists_the_users_deadlines(app, users, login_as, make_case):
    case = make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
    client = login_as("inspector")
    assert client.post("/settings/calendar-token").status_code == 302
    page = client.get("/settings").get_data(as_text=True)
    url = page.split('<code class="url">')[1].split("</code>")[0]
    feed = app.test_client().get(url.replace("http://localhost", ""))
    assert feed.mimetype == "text/calendar"
    body = feed.get_data(as_text=True)
    assert "DTSTART;VALUE=DATE:20141114" in body
    assert case.code in body
    assert app.test_client().get("/calendar/" + "x" * 43 + ".ics").status_code == 404


def test_settings_refuse_bad_offsets(app, users, login_as):
    client = login_as("inspector")
    response = client.post("/settings", data={"reminder_mode": "single", "offsets_text": "3, 40",
                                              "locale": "vi"})
    assert response.status_code == 422
    assert 'value="3, 40"' in response.get_data(as_text=True)
    assert client.post("/settings", data={"reminder_mode": "digest", "offsets_text": "5;2",
                                          "locale": "vi"}).status_code == 302


def _queue(app, user_id: int, key: str, email: str | None = None):
    from auth.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        if email is not None:
            user.email = email
        row = mail.queue(key=key, kind="test", recipient=user, subject="Nhắc hạn xử lý",
                         body_text="Nội dung")
        db.session.commit()
        return row.id


def test_a_sender_name_with_a_comma_and_an_internationalised_recipient(app, users, clock):
    """The sender "Thanh tra Sở TT&TT, tỉnh Bắc Giang <…>" (a comma in the name) and a
    recipient on sở-tttt.vn: delivered by SMTP, the name whole, the domain in IDNA in the
    envelope and the header (never an encoded word), nothing left in "sending"."""
    app.config["MAIL_DEFAULT_SENDER"] = ("Thanh tra Sở TT&TT, tỉnh Bắc Giang "
                                         "<thanhtra@stttt.bacgiang.gov.vn>")
    row_id = _queue(app, users["inspector"].id, "test:idn", email="lan@sở-tttt.vn")
    try:
        with SMTPServer() as smtp:
            assert _deliver(app, clock, smtp.port) == {"sent": 1, "retry": 0, "failed": 0}
    finally:
        app.config["MAIL_DEFAULT_SENDER"] = "Thanh tra Sở TT&TT <thanhtra@stttt.example.gov.vn>"
    (rcpts, msg), = smtp.messages
    assert rcpts == ["lan@xn--s-tttt-bp8b.vn"]
    sender = msg["From"].addresses[0]
    assert sender.display_name == "Thanh tra Sở TT&TT, tỉnh Bắc Giang"
    assert sender.addr_spec == "thanhtra@stttt.bacgiang.gov.vn"
    assert msg["To"].addresses[0].addr_spec == "lan@xn--s-tttt-bp8b.vn"
    with app.app_context():
        assert db.session.get(Notification, row_id).status == "sent"


def test_any_error_while_sending_fails_the_row_with_its_message_and_retries(app, users,
                                                                           clock):
    """An address with no ASCII form cannot be written in a header: the row records the
    error, is retried with backoff, then marked failed — never left in "sending"; the
    other rows of the batch are sent."""
    bad = _queue(app, users["inspector"].id, "test:bad", email="lần@sở-tttt.vn")
    good = _queue(app, users["supervisor"].id, "test:good")
    with SMTPServer() as smtp:
        assert _deliver(app, clock, smtp.port) == {"sent": 1, "retry": 1, "failed": 0}
        with app.app_context():
            row = db.session.get(Notification, bad)
            assert row.status == "pending" and "AddressError" in row.last_error
            assert "SMTPUTF8" in row.last_error
        for _ in range(5):
            clock.set(clock.now() + timedelta(hours=1))
            _deliver(app, clock, smtp.port)
    assert [r for r, _m in smtp.messages] == [["supervisor@stttt.example"]]
    with app.app_context():
        assert db.session.get(Notification, bad).status == "failed"
        assert db.session.get(Notification, good).status == "sent"


def test_a_row_stuck_in_sending_after_a_crash_is_sent_after_the_timeout(app, users, clock):
    row_id = _queue(app, users["inspector"].id, "test:stuck")
    with app.app_context():  # a sender claimed it, then its process died
        row = db.session.get(Notification, row_id)
        row.status, row.attempts, row.send_after = "sending", 1, clock.now()
        db.session.commit()
    with SMTPServer() as smtp:
        clock.set(clock.now() + timedelta(minutes=5))  # still within the timeout: left alone
        assert _deliver(app, clock, smtp.port) == {"sent": 0, "retry": 0, "failed": 0}
        clock.set(clock.now() + timedelta(minutes=15))
        assert _deliver(app, clock, smtp.port) == {"sent": 1, "retry": 0, "failed": 0}
    assert len(smtp.messages) == 1
    with app.app_context():
        row = db.session.get(Notification, row_id)
        assert (row.status, row.attempts) == ("sent", 2)


def test_a_scheduler_starting_after_0730_sends_the_missed_digest_once(app, make_case, clock,
                                                                      users):
    """A scheduler that starts (or takes over) after 07:30 sends that day's digest in its
    catch-up sweep, exactly once per user however often it restarts; before 07:30 it
    leaves it to the 07:30 run."""
    from auth.models import User
    from core.scheduler import run_job
    from jobs import catch_up

    with app.app_context():
        db.session.get(User, users["inspector"].id).reminder_mode = "digest"
        db.session.commit()
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT)
    app.config.update(MAIL_SERVER=None)

    def digests():
        with app.app_context():
            return db.session.execute(select(Notification.key, Notification.status).where(
                Notification.kind == "digest")).all()

    clock.set(datetime(2014, 11, 14, 7, 0, tzinfo=LOCAL_TZ))
    run_job(app, catch_up())
    assert digests() == []
    clock.set(datetime(2014, 11, 14, 9, 40, tzinfo=LOCAL_TZ))
    run_job(app, catch_up())
    run_job(app, catch_up())  # restarted, or a second process took over
    assert digests() == [(f"digest:{users['inspector'].id}:2014-11-14", "sent")]
