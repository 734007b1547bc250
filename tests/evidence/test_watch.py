"""A watched page, re-captured day after day on the app's clock: a change of its text, its
disappearance, its return and its staying online after the take-down date each become a
notice on the case and an e-mail to the inspector; nothing is said while it stays the same;
the watch stops with the case."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from cases.capture_worker import run_queued
from cases.models import Case, Watch, WatchEvent, WebCapture
from cases.operations import watches
from core.clock import LOCAL_TZ
from core.models import Notification
from extensions import db


def _day(clock, n: int) -> None:
    clock.set(datetime(2014, 11, 12, 8, 0, tzinfo=LOCAL_TZ) + timedelta(days=n))


def _check(engine) -> None:
    """One run of the scheduler's capture job: queue what is due, run it."""
    watches.queue_due()
    db.session.commit()
    run_queued(engine=engine)
    db.session.expire_all()


def _events(watch_id):
    return [(e.kind, e.detail) for e in db.session.scalars(
        select(WatchEvent).where(WatchEvent.watch_id == watch_id).order_by(WatchEvent.id))]


def test_watch_notices_change_disappearance_return_and_deadline(app, loopback, site, engine,
                                                                 make_case, users, clock,
                                                                 login_as):
    case = make_case("verifying")
    _day(clock, 0)
    with app.app_context():
        from auth.models import User

        watch = watches.add_watch(db.session.get(User, users["inspector"].id),
                                  db.session.get(Case, case.id), url=site.url("/page"),
                                  take_down_by=date(2014, 11, 15))
        db.session.commit()
        watch_id = watch.id

        _check(engine)  # day 0: the first capture is the baseline
        watch = db.session.get(Watch, watch_id)
        assert watch.last_outcome == "same" and _events(watch_id) == []
        assert watch.next_run_at == datetime(2014, 11, 13, 8, 0, tzinfo=LOCAL_TZ)

        _day(clock, 0)
        clock.set(clock.now() + timedelta(hours=5))
        assert watches.queue_due() == 0  # not due again the same day

        _day(clock, 1)  # unchanged: nothing said
        _check(engine)
        assert db.session.get(Watch, watch_id).last_outcome == "same"
        assert _events(watch_id) == []

        _day(clock, 2)
        site.state.text = "Bài viết đã được sửa lại."
        _check(engine)
        assert db.session.get(Watch, watch_id).last_outcome == "changed"
        (kind, detail), = _events(watch_id)
        assert kind == "changed"
        assert detail == "- Bài viết vi phạm: nội dung ban đầu.\n+ Bài viết đã được sửa lại."

        _day(clock, 3)
        site.state.gone = True  # the page answers 404
        _check(engine)
        assert db.session.get(Watch, watch_id).last_outcome == "gone"
        assert _events(watch_id)[-1] == ("gone", "HTTP 404")

        _day(clock, 4)  # still gone: told once only
        _check(engine)
        assert [k for k, _ in _events(watch_id)] == ["changed", "gone"]

        _day(clock, 5)  # back online, after the take-down date of 15/11/2014
        site.state.gone = False
        _check(engine)
        kinds = [k for k, _ in _events(watch_id)]
        assert kinds == ["changed", "gone", "back", "online_after_deadline"]
        assert _events(watch_id)[-1][1] == "15/11/2014"

        mails = db.session.execute(select(Notification.kind, Notification.recipient_email,
                                          Notification.body_text)
                                   .order_by(Notification.id)).all()
        assert [m.kind for m in mails] == ["watch_changed", "watch_gone", "watch_back",
                                           "watch_online_after_deadline"]
        assert {m.recipient_email for m in mails} == {"inspector@stttt.example"}
        assert "vẫn hoạt động sau thời hạn gỡ bỏ (15/11/2014)" in mails[-1].body_text
        assert db.session.scalar(select(WebCapture.id).where(
            WebCapture.watch_id == watch_id, WebCapture.state != "done")) is None

    client = login_as("inspector")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "is still online after the deadline to take it down (15/11/2014)" in page \
        or "vẫn hoạt động sau thời hạn gỡ bỏ (15/11/2014)" in page
    assert client.post(f"/cases/{case.id}/watch-notices/seen").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(WatchEvent.id).where(
            WatchEvent.seen_at.is_(None))) is None


def test_unreachable_site_is_gone_and_closed_case_stops_its_watch(app, loopback, site, engine,
                                                                    make_case, users, clock):
    case = make_case("verifying")
    _day(clock, 0)
    with app.app_context():
        from auth.models import User

        inspector = db.session.get(User, users["inspector"].id)
        watch = watches.add_watch(inspector, db.session.get(Case, case.id),
                                  url=site.url("/page"), scope="site", interval_days=2)
        db.session.commit()
        assert watch.url == site.url("/")
        watch_id = watch.id
        _check(engine)
        site.close()  # the site stops answering at all
        _day(clock, 2)
        _check(engine)
        assert db.session.get(Watch, watch_id).last_outcome == "gone"
        assert [k for k, _ in _events(watch_id)] == ["gone"]

        from cases import operations as ops

        ops.dismiss_case(inspector, db.session.get(Case, case.id), "Không đủ căn cứ.")
        db.session.commit()
        _day(clock, 4)
        assert watches.queue_due() == 0
        watch = db.session.get(Watch, watch_id)
        assert watch.state == "stopped" and watch.stop_reason == "case no longer open"
