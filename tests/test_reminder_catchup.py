"""The reminder planner's writing of the outbox (`deadlines.planner._insert`,
`core.bulk.insert_new`): the e-mails' full text, their search text, and each reminder
planned once however many planners run at the same moment. Run on PostgreSQL too
(TEST_DATABASE_URL), where the rows go by COPY and two planners' transactions overlap."""

from __future__ import annotations

import threading
from datetime import date, datetime

from sqlalchemy import func, select, text

from core import bulk
from core.clock import LOCAL_TZ
from core.models import Notification, notification_search_text
from deadlines.planner import plan_reminders
from extensions import db

NO_RIGHT = "174/2013/NĐ-CP:64.1.a"  # the 7-day limit to decide, no right to explain
BASIS = ("Khoản 1 Điều 66 Luật Xử lý vi phạm hành chính năm 2012: 07 ngày kể từ ngày lập "
         "biên bản")
SUBJECT = "[VV-2014-0001] Thời hạn ra quyết định xử phạt: hạn 14/11/2014 (quá hạn 4 ngày)"
TAIL = ("\n\n  Thời hạn ra quyết định xử phạt\n  Hạn cuối: 14/11/2014 (quá hạn 4 ngày)\n"
        f"  Căn cứ: {BASIS}\n\n"
        'Vụ việc: VV-2014-0001 — Công ty "A & B" <Sông Thương>\n'
        "Xem hồ sơ: http://inspect.example/cases/1\n\n"
        "Thư này được gửi tự động từ hệ thống quản lý vụ việc của Thanh tra Sở.\n")
HTML_TABLE = (
    '<table cellpadding="4" style="border-collapse: collapse">\n'
    '<tr><th align="left">Thời hạn</th><td>Thời hạn ra quyết định xử phạt</td></tr>\n'
    '<tr><th align="left">Hạn cuối</th><td><b>14/11/2014</b> (quá hạn 4 ngày)</td></tr>\n'
    f'<tr><th align="left">Căn cứ</th><td>{BASIS}</td></tr>\n'
    '<tr><th align="left">Vụ việc</th><td>VV-2014-0001 — Công ty &quot;A &amp; B&quot; '
    '&lt;Sông Thương&gt;</td></tr>\n</table>\n'
    '<p><a href="http://inspect.example/cases/1">Mở hồ sơ vụ việc</a></p>\n'
    '<p style="color: #666">Thư này được gửi tự động từ hệ thống quản lý vụ việc của Thanh '
    'tra Sở.</p>\n</body></html>\n')
HTML_HEAD = ('<!doctype html>\n<html lang="vi"><body style="font-family: Arial, sans-serif; '
             'font-size: 14px">\n')


def _overdue_case(make_case, clock):
    """A case whose decision was due Friday 14/11/2014, on Tuesday 18/11: the inspector's
    overdue reminder and both supervisors' escalation are due."""
    make_case(state="record_made", record_on=date(2014, 11, 7), clause_id=NO_RIGHT,
              subject_name='Công ty "A & B" <Sông Thương>')
    clock.set(datetime(2014, 11, 18, 7, 0, tzinfo=LOCAL_TZ))


def _outbox(app) -> list[Notification]:
    with app.app_context():
        rows = db.session.scalars(select(Notification).order_by(Notification.key)).all()
        db.session.expunge_all()
        return rows


def test_the_reminders_are_written_in_full_with_their_search_text(app, make_case, clock):
    _overdue_case(make_case, clock)
    with app.app_context():
        assert plan_reminders() == 3
        db.session.commit()
    rows = _outbox(app)
    assert [(r.kind, r.recipient_email, r.status, r.attempts) for r in rows] == [
        ("reminder_escalation", "supervisor@stttt.example", "pending", 0),
        ("reminder_escalation", "supervisor2@stttt.example", "pending", 0),
        ("reminder_overdue", "inspector@stttt.example", "pending", 0),
    ]
    boss, _boss2, inspector = rows
    assert {r.subject for r in rows} == {SUBJECT}
    assert inspector.body_text == (
        "Kính gửi Trần Thị Lan,\n\nThời hạn sau của vụ việc VV-2014-0001 đã quá hạn:" + TAIL)
    assert inspector.body_html == (
        HTML_HEAD + "<p>Kính gửi Trần Thị Lan,</p>\n<p>Thời hạn sau của vụ việc "
        "<b>VV-2014-0001</b> đã <b>quá hạn</b>:</p>\n" + HTML_TABLE)
    assert boss.body_text == (
        "Kính gửi Nguyễn Đức Thắng,\n\nThời hạn sau của vụ việc VV-2014-0001 (thanh tra "
        "viên: Trần Thị Lan) đã quá hạn từ 02 ngày làm việc trở lên:" + TAIL)
    assert boss.body_html == (
        HTML_HEAD + "<p>Kính gửi Nguyễn Đức Thắng,</p>\n<p>Thời hạn sau của vụ việc "
        "<b>VV-2014-0001</b> (thanh tra viên: Trần Thị Lan) đã <b>quá hạn</b> từ 02 ngày "
        "làm việc trở lên:</p>\n" + HTML_TABLE)
    for row in rows:  # what the E-mails page searches, as an ORM insert would compute it
        assert row.search_text == notification_search_text(row.recipient_email, row.subject)
    assert inspector.search_text == ("inspector@stttt.example [vv-2014-0001] thoi han ra "
                                     "quyet dinh xu phat: han 14/11/2014 (qua han 4 ngay)")
    assert inspector.created_at == inspector.send_after == clock.now()


def test_two_planners_at_the_same_moment_plan_each_reminder_once(app, make_case, clock):
    """Planner A has written its rows and not committed; planner B starts meanwhile. On
    PostgreSQL B does not see A's rows, its COPY waits on the unique key and fails once A
    commits, and B's rows go again through ON CONFLICT DO NOTHING: B writes nothing. On
    SQLite B waits for A's write lock and then finds A's rows. Either way: three e-mails."""
    _overdue_case(make_case, clock)
    got: dict[str, int] = {}
    failures: list[BaseException] = []

    def planner_b():
        try:
            with app.app_context():
                got["b"] = plan_reminders()
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    with app.app_context():
        got["a"] = plan_reminders()
        db.session.flush()
        other = threading.Thread(target=planner_b)
        other.start()
        _until_waiting(app, other)
        db.session.commit()
    other.join(60)
    assert not other.is_alive() and not failures
    assert got == {"a": 3, "b": 0}
    rows = _outbox(app)
    assert len(rows) == len({r.key for r in rows}) == 3
    with app.app_context():  # and a third planner, later, finds nothing new either
        assert plan_reminders() == 0


def _until_waiting(app, thread: threading.Thread) -> None:
    """On PostgreSQL, return once another transaction waits for a lock (B's COPY on A's
    keys); on SQLite, at once (B then waits for the write lock)."""
    if db.engine.dialect.name != "postgresql":
        return
    for _ in range(3000):
        with app.app_context():
            waiting = db.session.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"))
        if waiting or not thread.is_alive():
            return
        threading.Event().wait(0.01)


def test_insert_new_skips_a_key_taken_within_its_own_rows(app, users, clock):
    """A key twice in one batch: on PostgreSQL the COPY fails on the unique index and the
    rows go through ON CONFLICT DO NOTHING; the first row wins, the rest are written."""
    table = Notification.__table__
    now = clock.now()
    names = ["key", "kind", "recipient_email", "subject", "body_text", "status", "attempts",
             "created_at", "send_after", "search_text"]

    def row(key, subject):
        return (key, "test", "a@x.example", subject, "Nội dung", "pending", 0, now, now,
                notification_search_text("a@x.example", subject))

    with app.app_context():
        assert bulk.insert_new(table, names, [row("k1", "Một"), row("k2", "Hai")],
                               ["key"]) == 2
        assert bulk.taken(table.c.key, ["k0", "k1", "k2", "k3"]) == {"k1", "k2"}
        assert bulk.insert_new(table, names, (r for r in [
            row("k3", "Ba"), row("k4", "Bốn"), row("k3", "Ba lần hai"), row("k1", "Lại")]),
            ["key"]) == 2
        db.session.commit()
        assert db.session.execute(select(Notification.key, Notification.subject)
                                  .order_by(Notification.key)).all() == [
            ("k1", "Một"), ("k2", "Hai"), ("k3", "Ba"), ("k4", "Bốn")]
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 4
