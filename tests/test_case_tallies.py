"""The case counts kept beside the cases (cases.tallies) that the supervisor's dashboard
reads: after every kind of write they equal a fresh count of the cases table, and the
dashboard shows the values a supervisor would count by hand."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import insert, select

from extensions import db
from tests.test_query_budgets import figure, statements

OPENED = "vụ việc mở từ ngày 01/11/2014"
CLOSED = "vụ việc đã kết thúc"


def counts(app) -> tuple[dict, dict]:
    """(kept, fresh): the kept counts and the same counted from the cases table now."""
    from cases.tallies import fresh_counts, kept_counts

    with app.app_context():
        return kept_counts(), fresh_counts()


def assert_kept(app) -> tuple[dict, dict]:
    kept, fresh = counts(app)
    assert kept == fresh
    return kept


def month_chart(page: str) -> dict[str, int]:
    """The chart "Cases detected per month" as {"mm/yyyy": cases}, from its table."""
    chart = page.split("Số vụ việc phát hiện theo tháng", 1)[1].split("</figure>")[0]
    return {m: int(n) for m, n in re.findall(r"<tr><td>(\d\d/\d{4})</td><td>(\d+)</td>", chart)}


def test_kept_counts_follow_every_operation(app, users, login_as, make_case):
    from auth.models import User
    from cases import operations as ops
    from cases.models import Case
    from cases.operations.intake import CASE_FIELDS

    assert counts(app) == (({}, {}), ({}, {}))
    detected = make_case(state="detected", detected_on=date(2014, 11, 3))
    states, days = assert_kept(app)
    assert states == {"detected": 1} and days == {date(2014, 11, 3): (1, 0)}
    for state in ("verifying", "record_made", "sanction_proposed", "approved",
                  "decision_issued", "delivered", "closed"):
        make_case(state=state, detected_on=date(2014, 9, 30))
    states, days = assert_kept(app)
    assert states == {"detected": 1, "verifying": 1, "record_made": 1,
                      "sanction_proposed": 1, "approved": 1, "decision_issued": 1,
                      "delivered": 1, "closed": 1}
    assert days[date(2014, 9, 30)] == (7, 0)
    closed_on = days.keys() - {date(2014, 9, 30), date(2014, 11, 3)}
    assert [days[d] for d in closed_on] == [(0, 1)]  # the closed case's closing day
    with app.app_context():
        closed = db.session.scalar(select(Case.id).where(Case.state == "closed"))
        supervisor = db.session.get(User, users["supervisor"].id)
        inspector = db.session.get(User, users["inspector"].id)
        case = db.session.get(Case, detected.id)
        # the detection date corrected: the case moves from one day to the other
        data = {name: getattr(case, name) for name in CASE_FIELDS}
        ops.update_case(inspector, case, {**data, "detected_on": date(2014, 10, 28)})
        db.session.commit()
        # a change rolled back leaves the counts as they were
        ops.start_verification(inspector, case)
        db.session.rollback()
        ops.dismiss_case(inspector, db.session.get(Case, detected.id), "Không có vi phạm.")
        db.session.commit()
        ops.reopen_case(supervisor, db.session.get(Case, closed), "Thu nhầm tiền phạt.")
        db.session.commit()
    states, days = assert_kept(app)
    assert states == {"dismissed": 1, "verifying": 1, "record_made": 1,
                      "sanction_proposed": 1, "approved": 1, "decision_issued": 1,
                      "delivered": 2}
    assert days[date(2014, 10, 28)][0] == 1 and date(2014, 11, 3) not in days
    assert sum(c for _d, c in days.values()) == 1  # the dismissal today; the reopened: none


def test_recount_after_a_bulk_insert(app, users, make_case):
    """A write that bypasses the unit of work (the benchmarks' generators) recounts."""
    from cases.models import Case
    from cases.tallies import recount
    from core.clock import clock

    make_case(state="record_made")
    with app.app_context():
        now = clock().now()
        db.session.execute(insert(Case), [
            {"code": f"VV-2014-9{i:03d}", "subject_kind": "organisation",
             "subject_name": f"Công ty {i}", "detection_method": "monitoring",
             "detected_on": date(2014, 8, 1 + i), "description": "x", "state": "closed",
             "closed_on": date(2014, 11, 1), "inspector_id": users["inspector"].id,
             "created_at": now, "updated_at": now, "version": 1, "search_text": ""}
            for i in range(3)])
        recount()
        db.session.commit()
    states, days = assert_kept(app)
    assert states == {"record_made": 1, "closed": 3}
    assert days[date(2014, 11, 1)] == (0, 3) and days[date(2014, 8, 2)] == (1, 0)


def test_dashboard_figures_after_writes(app, users, login_as, make_case):
    from auth.models import User
    from cases import operations as ops
    from cases.models import Case

    supervisor = login_as("supervisor")
    make_case(state="record_made", detected_on=date(2014, 11, 3))
    make_case(state="verifying", detected_on=date(2014, 6, 20))
    make_case(state="detected", detected_on=date(2014, 5, 31))  # before the six months
    _sqls, page = statements(app, supervisor, "/cases/dashboard")
    assert figure(page, OPENED) == 1 and figure(page, CLOSED) == 0
    assert month_chart(page) == {"06/2014": 1, "07/2014": 0, "08/2014": 0, "09/2014": 0,
                                 "10/2014": 0, "11/2014": 1}
    assert ("Phát hiện: 1" in page and "Đang xác minh: 1" in page
            and "Đã lập biên bản vi phạm: 1" in page)
    closed = make_case(state="closed", detected_on=date(2014, 10, 2))
    dismissed = make_case(state="verifying", detected_on=date(2014, 11, 10))
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        ops.dismiss_case(inspector, db.session.get(Case, dismissed.id), "Không có vi phạm.")
        db.session.commit()
    _sqls, page = statements(app, supervisor, "/cases/dashboard")
    # closed this month: the case closed after payment and the dismissed one
    assert figure(page, OPENED) == 2 and figure(page, CLOSED) == 2
    assert month_chart(page)["10/2014"] == 1 and month_chart(page)["11/2014"] == 2
    assert "Đang xác minh: 1" in page and "Phát hiện: 1" in page
    with app.app_context():
        supervisor_user = db.session.get(User, users["supervisor"].id)
        ops.reopen_case(supervisor_user, db.session.get(Case, closed.id), "Thu nhầm.")
        db.session.commit()
    _sqls, page = statements(app, supervisor, "/cases/dashboard")
    assert figure(page, CLOSED) == 1 and "Đã giao quyết định: 1" in page
    assert_kept(app)


def test_counts_never_deadlock_with_the_audit_trail(app, users, make_case):
    """Every writing transaction takes the audit trail's head (core.audit.lock_head). A
    transaction whose flush changes the kept counts before its first audit event, and
    another that holds the head and then changes the same count, must queue one behind the
    other — not deadlock (PostgreSQL would abort one of them: a failed request). On SQLite
    writers are serialised and the test only checks that both commit."""
    import threading

    from cases.models import Case
    from core import audit
    from tests.test_races import _hold_until_waited_on

    first = make_case(state="record_made")
    second = make_case(state="record_made")
    errors: list[str] = []
    done = threading.Event()

    def flush_then_audit():
        with app.app_context():
            try:
                case = db.session.get(Case, first.id)
                case.state = "sanction_proposed"
                db.session.flush()  # the count of "sanction_proposed" changes here
                audit.lock_head()
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 — the deadlock PostgreSQL reports
                db.session.rollback()
                errors.append(type(exc).__name__)
            finally:
                done.set()

    with app.app_context():
        audit.lock_head()  # this transaction writes: it holds the trail's head
        other = threading.Thread(target=flush_then_audit)
        other.start()
        _hold_until_waited_on(app, other)
        try:
            case = db.session.get(Case, second.id)
            case.state = "sanction_proposed"  # the same count
            db.session.flush()
            db.session.commit()
        except Exception as exc:  # noqa: BLE001
            db.session.rollback()
            errors.append(type(exc).__name__)
    other.join(60)
    assert done.is_set() and errors == []
    states, _days = assert_kept(app)
    assert states["sanction_proposed"] == 2


def test_the_case_list_takes_its_total_from_the_kept_counts(app, users, login_as,
                                                             make_case):
    """The whole list, the open cases and one state's: the total shown is the kept count
    and the rows are read a page at a time — no count of the table (count(*) OVER ()) that
    grows with it. Any other filter still counts its own rows."""
    from tests.test_query_budgets import statements

    for state in ("record_made", "record_made", "closed", "verifying"):
        make_case(state=state)
    client = login_as("supervisor")
    for path, shown in (("/cases/", "4 vụ việc"), ("/cases/?state=open", "3 vụ việc"),
                        ("/cases/?state=record_made", "2 vụ việc"),
                        ("/cases/?state=closed&sort=code", "1 vụ việc")):
        sqls, page = statements(app, client, path)
        assert shown in page, path
        assert not any("OVER ()" in s.upper() for s in sqls), path
    # a state filter nobody has: an empty list, its total 0
    _sqls, page = statements(app, client, "/cases/?state=enforcement")
    assert "0 vụ việc" in page
    # filtered by its inspector: counted with its rows
    inspector = users["inspector"].id
    sqls, page = statements(app, client, f"/cases/?inspector={inspector}")
    assert any("OVER ()" in s.upper() for s in sqls)
    # past the end of the list: no rows, the total still right
    _sqls, page = statements(app, client, "/cases/?page=9")
    assert "4 vụ việc" in page


def test_the_recount_command_finds_and_mends_counts_written_around_the_application(
        app, users, make_case):
    """A row written to the cases table by SQL leaves the kept counts behind: `flask cases
    recount --check` says what differs and exits 1; `flask cases recount` mends them."""
    from datetime import UTC, datetime

    from cases.models import Case

    now = datetime(2014, 11, 5, 3, 0, tzinfo=UTC)
    make_case(state="record_made")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cases", "recount", "--check"])
    assert result.exit_code == 0 and "the kept counts are right (1 cases)" in result.output
    with app.app_context():
        db.session.execute(insert(Case), [{
            "code": "VV-2014-9999", "subject_kind": "organisation", "subject_name": "Công ty",
            "detection_method": "monitoring", "detected_on": date(2014, 11, 5),
            "description": "x", "state": "closed", "closed_on": date(2014, 11, 6),
            "inspector_id": users["inspector"].id, "created_at": now, "updated_at": now,
            "version": 1, "search_text": ""}])
        db.session.commit()
    result = runner.invoke(args=["cases", "recount", "--check"])
    assert result.exit_code == 1
    assert "closed: kept 0, counted 1" in result.output
    assert "2 days differ in cases detected or closed, from 05/11/2014 to 06/11/2014" \
        in result.output
    assert runner.invoke(args=["cases", "recount"]).exit_code == 0
    states, days = assert_kept(app)
    assert states == {"record_made": 1, "closed": 1}
    assert runner.invoke(args=["cases", "recount", "--check"]).exit_code == 0
