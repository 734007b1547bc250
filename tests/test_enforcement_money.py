"""The money a case owes, printed where people read it (docs/legal/enforcement.md#late-payment):
the reminder e-mails about the time to comply and the enforcement notice show the fine
unpaid, the late-payment surcharge to the day the e-mail is written and the total."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cases import operations as ops
from cases.models import Case
from core.models import Notification
from deadlines.models import Deadline
from deadlines.planner import plan_reminders
from extensions import db
from tests.test_enforcement import _user, decided


def _partly_paid(app, users, make_case, clock) -> int:
    """The decision of 07/11/2014 (25.000.000 đ, no measure), received on Friday 07/11/2014:
    the last day to pay is Monday 17/11/2014. 20.000.000 đ paid in time on 14/11/2014, so
    5.000.000 đ stay unpaid."""
    cid = decided(app, users, make_case, clock, measures=())
    with app.app_context():
        clock.set(date(2014, 11, 14))
        ops.record_payment(_user(users, "inspector"), db.session.get(Case, cid),
                           date(2014, 11, 14), 20_000_000)
        db.session.commit()
    return cid


def _compliance_reminders(app, cid) -> list[Notification]:
    with app.app_context():
        return db.session.scalars(select(Notification).join(
            Deadline, Notification.deadline_id == Deadline.id).where(
            Deadline.case_id == cid, Deadline.rule_code == "compliance",
            Notification.kind == "reminder_overdue").order_by(Notification.id)).all()


def test_the_overdue_reminder_prints_the_unpaid_fine_the_surcharge_and_the_total(
        app, users, make_case, clock):
    cid = _partly_paid(app, users, make_case, clock)
    # Monday 01/12/2014: late from 18/11 to 30/11/2014 (the day before paying today), 13 days;
    # 5.000.000 đ × 0,05 % = 2.500 đ a day, × 13 = 32.500 đ; total 5.032.500 đ
    clock.set(date(2014, 12, 1))
    with app.app_context():
        plan_reminders()
        db.session.commit()
    mail, = _compliance_reminders(app, cid)
    text = mail.body_text
    assert "Số tiền phạt chưa nộp: 5.000.000 đ" in text
    assert "Tiền chậm nộp phạt (0,05 %/ngày) tính đến ngày 01/12/2014: 32.500 đ" in text
    assert "Tổng số tiền phải nộp nếu nộp trong ngày 01/12/2014: 5.032.500 đ" in text
    assert "Thông tư số 18/2023/TT-BTC" not in text  # 2014: the 2013 circular's counting
    assert "153/2013/TT-BTC" in text
    assert "32.500 đ" in mail.body_html and "5.032.500 đ" in mail.body_html
    # the next working day, one more day: 14 × 2.500 đ = 35.000 đ
    clock.set(date(2014, 12, 2))
    with app.app_context():
        plan_reminders()
        db.session.commit()
    assert "tính đến ngày 02/12/2014: 35.000 đ" in _compliance_reminders(app, cid)[-1].body_text


def test_a_reminder_before_the_last_day_shows_no_surcharge_yet(app, users, make_case, clock):
    cid = _partly_paid(app, users, make_case, clock)
    clock.set(date(2014, 11, 17))  # the last day itself: nothing late yet
    with app.app_context():
        plan_reminders()
        db.session.commit()
        mail = db.session.scalar(select(Notification).join(
            Deadline, Notification.deadline_id == Deadline.id).where(
            Deadline.case_id == cid, Deadline.rule_code == "compliance"))
    assert mail.kind == "reminder_due"
    assert "Số tiền phạt chưa nộp: 5.000.000 đ" in mail.body_text
    assert "tính đến ngày 17/11/2014: 0 đ" in mail.body_text
    assert "nếu nộp trong ngày 17/11/2014: 5.000.000 đ" in mail.body_text


def test_a_reminder_about_another_deadline_prints_no_money(app, users, make_case, clock):
    case = make_case(state="record_made")  # the time limit to decide is open
    with app.app_context():
        due = db.session.scalar(select(Deadline.due_on).where(
            Deadline.case_id == case.id, Deadline.key == "decision"))
    clock.set(due)
    with app.app_context():
        plan_reminders()
        db.session.commit()
        mail = db.session.scalar(select(Notification).join(
            Deadline, Notification.deadline_id == Deadline.id).where(
            Deadline.case_id == case.id, Deadline.key == "decision"))
    assert mail.kind == "reminder_due"
    assert "Số tiền phạt chưa nộp" not in mail.body_text
    assert "Tiền chậm nộp" not in mail.body_html


def test_the_enforcement_notice_prints_what_is_owed_that_day(app, users, make_case, clock):
    from cases.operations import move_overdue_to_enforcement

    cid = _partly_paid(app, users, make_case, clock)
    # moved on 20/11/2014 (a scheduler down for two days catches up): late on 18 and
    # 19/11, 2 × 2.500 đ = 5.000 đ on the 5.000.000 đ unpaid
    clock.set(date(2014, 11, 20))
    with app.app_context():
        assert [c.id for c in move_overdue_to_enforcement()] == [cid]
        db.session.commit()
        notice = db.session.scalar(select(Notification).where(
            Notification.kind == "notice_enforcement", Notification.case_id == cid))
    assert "Số tiền phạt chưa nộp: 5.000.000 đ" in notice.body_text
    assert "Tiền chậm nộp phạt (0,05 %/ngày) tính đến ngày 20/11/2014: 5.000 đ" \
        in notice.body_text
    assert "Tổng số tiền phải nộp nếu nộp trong ngày 20/11/2014: 5.005.000 đ" in notice.body_text
    assert "5.005.000 đ" in notice.body_html
