"""The dashboard stays short and its query count does not grow with the department's cases;
the rest is one click away on the deadline list."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import event

from cases.views.dashboard import DASHBOARD_ROWS
from extensions import db


def fetch(app, client, path: str) -> tuple[int, str | bytes]:
    """(SQL queries run, page text, or bytes for a spreadsheet) for one GET."""
    from extensions import db

    with app.app_context():
        engine = db.engine
    counted = {"n": 0}

    def count(*_args):
        counted["n"] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, path
    return counted["n"], response.get_data(as_text=response.mimetype.startswith("text/"))


def overdue_proposal(make_case):
    # record of 20/10/2014 → decision due 27/10/2014, overdue on 12/11/2014
    # an act without the right to explain: the 7-day limit (docs/legal/procedure.md)
    return make_case(state="sanction_proposed", detected_on=date(2014, 10, 15),
                     record_on=date(2014, 10, 20), clause_id="174/2013/NĐ-CP:64.1.a")


def test_supervisor_dashboard_is_bounded_and_counts_everything(app, users, login_as,
                                                               make_case):
    cases = [overdue_proposal(make_case) for _i in range(3)]  # all shown
    client = login_as("supervisor")
    few, page = fetch(app, client, "/cases/dashboard")
    assert all(c.code in page for c in cases)
    assert "đề xuất chờ phê duyệt" not in page and "thời hạn quá hạn" not in page  # none hidden
    cases += [overdue_proposal(make_case) for _i in range(DASHBOARD_ROWS + 10)]
    many, page = fetch(app, client, "/cases/dashboard")
    assert many == few  # no query per row (the proposals' fines, the deadlines' cases)
    approvals = page.split("Chờ bạn phê duyệt")[1].split("</section>")[0]
    total = len(cases)
    assert f'<span class="badge state-sanction_proposed">{total}</span>' in approvals
    assert len(re.findall(r"<tr><td><a href=\"/cases/\d+\"", approvals)) == DASHBOARD_ROWS
    assert f"Tất cả {total} đề xuất chờ phê duyệt" in approvals
    overdue = page.split('<h2>Quá hạn')[1].split("</section>")[0]
    assert f'<span class="badge overdue">{total}</span>' in overdue
    assert overdue.count('class="row-overdue"') == DASHBOARD_ROWS
    assert "/cases/deadlines?when=overdue" in overdue
    assert f"Tất cả {total} thời hạn quá hạn" in overdue


def test_deadline_list_pages_through_every_overdue_deadline(app, users, login_as, make_case):
    cases = [overdue_proposal(make_case) for _i in range(23)]
    client = login_as("inspector")
    _n, page = fetch(app, client, "/cases/deadlines?when=overdue")
    assert "Thời hạn của tôi" in page and "23 thời hạn" in page
    assert all(c.code in page for c in cases)
    assert page.count("27/10/2014") == 23  # every decision deadline, its due date shown
    _n, upcoming = fetch(app, client, "/cases/deadlines?when=upcoming")
    assert "0 thời hạn" in upcoming and cases[0].code not in upcoming
    # another inspector's own list is empty; the department view shows them all
    other = login_as("inspector2")
    _n, own = fetch(app, other, "/cases/deadlines?when=overdue")
    assert cases[0].code not in own
    _n, department = fetch(app, other, "/cases/deadlines?when=overdue&all=1")
    assert "Thời hạn của cả phòng" in department and cases[0].code in department


def add_violations(app, users, case, n: int) -> None:
    from auth.models import User
    from cases import operations as ops
    from cases.models import Case

    with app.app_context():
        c = db.session.get(Case, case.id)
        inspector = db.session.get(User, users["inspector"].id)
        for i in range(n):
            ops.add_violation(inspector, c, clause_id="174/2013/NĐ-CP:63.3",
                              description=f"Hành vi thứ {i + 1}.")
        db.session.commit()


def test_case_page_and_lists_do_not_run_a_query_per_row(app, users, login_as, make_case):
    one = make_case(state="verifying")
    many = make_case(state="verifying")
    add_violations(app, users, one, 1)
    add_violations(app, users, many, 8)
    client = login_as("inspector")
    few_queries, _page = fetch(app, client, f"/cases/{one.id}")
    many_queries, page = fetch(app, client, f"/cases/{many.id}")
    assert page.count("Hành vi thứ") == 8
    assert many_queries == few_queries
    for _i in range(6):
        make_case(state="verifying")
    listed = [fetch(app, client, path)[0] for path in ("/cases/", "/cases/export.csv")]
    for _i in range(6):
        make_case(state="verifying")
    assert [fetch(app, client, path)[0] for path in ("/cases/", "/cases/export.csv")] == listed


def test_registry_and_decision_lists_do_not_run_a_query_per_row(app, users, login_as,
                                                                make_case):
    from tests.test_registry import SITE

    client = login_as("inspector")
    paths = ("/sites/", "/sites/export.csv", "/sites/export.xlsx", "/cases/decisions/",
             "/cases/decisions/export.csv")

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            site = {**SITE, "domain": f"trang{i}.vn", "name": f"Trang {i}",
                    "licence_number": f"{i}/GP-STTTT"}
            assert client.post("/sites/new", data=site).status_code == 302
        make_case(state="decision_issued")

    add(2, 0)
    before = [fetch(app, client, path)[0] for path in paths]
    add(5, 2)
    _n, listed = fetch(app, client, "/sites/")
    assert "trang6.vn" in listed
    assert [fetch(app, client, path)[0] for path in paths] == before
