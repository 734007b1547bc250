"""Remedial measures of decisions issued before measures were tracked
(docs/legal/enforcement.md#measures-recorded-before-tracking): written only as a violation's
text, they become obligations with no time limit, once, audited, to be recorded done,
enforced or impossible; the case does not close while one is pending."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cases import operations as ops
from cases.models import Case, Obligation
from core.models import AuditEvent
from extensions import db
from tests.helpers import read
from tests.test_enforcement import _login, decided

OLD_TEXT = "Buộc gỡ bỏ toàn bộ chuyên mục tin tức tổng hợp trên trang"


def _legacy(app, users, make_case, clock) -> int:
    """A decision of 07/11/2014 received the same day whose measure was written only as the
    violation's text, as decisions issued before measures were tracked are stored."""
    cid = decided(app, users, make_case, clock, measures=())
    with app.app_context():
        db.session.get(Case, cid).violations[0].remedial_measures = OLD_TEXT
        db.session.commit()
    return cid


def test_a_measure_written_as_text_becomes_an_obligation_once(app, users, make_case, clock):
    cid = _legacy(app, users, make_case, clock)
    other = decided(app, users, make_case, clock)  # a tracked measure: left alone
    with app.app_context():
        made = ops.adopt_legacy_measures()
        db.session.commit()
        assert [(o.case_id, o.text, o.state, o.due_on, o.before_tracking) for o in made] == [
            (cid, OLD_TEXT, "pending", None, True)]
        assert ops.adopt_legacy_measures() == []  # a second run changes nothing
        assert len(db.session.scalars(select(Obligation).where(
            Obligation.case_id == other)).all()) == 1
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "case.legacy_measure_recorded"))
        assert event.case_id == cid and event.actor_id is None
        assert event.after == {"text": OLD_TEXT, "decision": "01/QĐ-XPVPHC",
                               "received_on": "2014-11-07"}


def test_the_command_and_the_case_page(app, users, make_case, clock, runner):
    cid = _legacy(app, users, make_case, clock)
    result = runner.invoke(args=["decisions", "legacy-measures"])
    assert result.exit_code == 0, result.output
    assert "1 measures recorded before tracking" in result.output and OLD_TEXT in result.output
    assert "0 measures" in runner.invoke(args=["decisions", "legacy-measures"]).output
    client = _login(app, users)
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    assert OLD_TEXT in page
    assert "recorded before tracking" in page or "ghi nhận trước khi theo dõi" in page
    # never overdue: no time limit was recorded, so nothing moves the case on its account
    clock.set(date(2015, 3, 1))
    with app.app_context():
        ops.record_payment(db.session.get(Case, cid).inspector, db.session.get(Case, cid),
                           date(2014, 11, 10), 25_000_000)
        db.session.commit()
    assert read(app, lambda: db.session.get(Case, cid).state) == "delivered"  # still owed
    with app.app_context():
        assert ops.move_overdue_to_enforcement() == []
    ob = read(app, lambda: db.session.scalar(select(Obligation).where(
        Obligation.case_id == cid)))
    response = _login(app, users).post(f"/cases/{cid}/obligations/{ob.id}", data={
        f"o{ob.id}-state": "impossible", f"o{ob.id}-on": "01/03/2015",
        f"o{ob.id}-reason": "Trang đã ngừng hoạt động từ tháng 12/2014."})
    assert response.status_code == 302
    case = read(app, lambda: db.session.get(Case, cid))
    assert case.state == "closed" and case.closed_reason == "complied"
