"""Query budgets: each page runs at most its number of SQL queries, and the same number
whatever its rows (no query per row, none fired from a template); the frozen PDFs are never
read with a case or a list. Time budgets are in bench/, not here."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import event

from extensions import db

# Queries per page, the user loader included (SQLite; PostgreSQL runs the same ones).
BUDGETS = {
    # A decided case: the user, the case with its record and decisions joined, its lists
    # (evidence, violations, coordination, deadlines; measures, payments), the enforcement
    # panels (obligations, complaints, instalment plans, coercion decisions, requests to
    # postpone, reduce or exempt the fine), explanations, the history, captures and watches,
    # the register of issued documents (signatures), the enforcement data as stored (the
    # administrator's corrections)
    "case page": 10,
    # Before the decision nothing of the enforcement panels is read (each row names a
    # decision), nor the watches' notices without a watch (cases.views.common.load_by_state)
    "case page (record made)": 8,
    # + the enforcement queue (its rows and their decisions)
    # the figures: sites, the kept case counts (cases.tallies), fines, the month's decisions;
    # the approval queue's violations without their measures
    "dashboard (supervisor)": 13,  # 9 while the department's figures are cached
    "dashboard (inspector)": 9,
    # + the enforcement queue (its rows and their decisions)
    # + the enforcement queue (its rows and their decisions)
    # the user, the rows with their site and inspector joined, the inspectors to filter by
    "case list": 3,
    "case search": 4,  # the rows, then their count up to the cap (cases.views.pages)
    "registry list": 4,
    "decision list": 3,
    # + measures, obligations and payments (the enforcement fields), and the postponements,
    # reductions and exemptions
    "national-db json": 8,
    "national-db csv": 8,
}


def statements(app, client, path: str) -> tuple[list[str], str | bytes]:
    """(the SQL statements one GET runs, its body)."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def on_sql(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_sql)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", on_sql)
    assert response.status_code == 200, path
    textual = response.mimetype.startswith(("text/", "application/json"))
    return seen, response.get_data(as_text=textual)


def tables_read(sqls: list[str]) -> set[str]:
    """The tables whose rows the statements select (the first table named after SELECT; a
    table only probed by an EXISTS in the case's query is not read)."""
    return {m.group(1) for s in sqls if (m := re.match(r"SELECT (?:DISTINCT )?(\w+)\.", s))}


def no_pdf_read(sqls: list[str]) -> bool:
    """No statement selects a stored PDF (decisions.pdf, violation_records.pdf)."""
    return not any(".pdf" in s.split(" FROM ")[0] for s in sqls if s.upper().startswith("SELECT"))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def enrich(app, users, case_id: int, n: int) -> None:
    """`n` pieces of evidence and `n` coordination requests on the case, by two people;
    every other request answered with a reply letter (`reply-<i>.pdf`)."""
    from auth.models import User
    from cases import operations as ops
    from cases.models import Case

    with app.app_context():
        case = db.session.get(Case, case_id)
        for i in range(n):
            who = db.session.get(User, users["inspector" if i % 2 else "supervisor"].id)
            ops.add_evidence(who, case, url=f"https://vi-pham-{i}.example/bai-viet",
                             note=f"Ảnh chụp {i}")
            req = ops.request_coordination(who, case, {
                "partner": "police", "partner_name": f"Công an huyện {i}",
                "sent_on": date(2014, 11, 10), "response_due_on": date(2014, 11, 20),
                "request_text": "Xác minh chủ thể."})
            if i % 2 == 0:
                ops.record_response(who, req, date(2014, 11, 11), f"Trả lời số {i}.",
                                    content=PDF, filename=f"reply-{i}.pdf")
        db.session.commit()


def test_case_page_runs_its_budget_whatever_the_case_holds(app, users, login_as, make_case):
    bare = make_case(state="decision_issued")
    full = make_case(state="decision_issued", subject_name="Công ty Cổ phần Quảng cáo Lục Nam")
    enrich(app, users, full.id, 5)
    for role in ("inspector", "supervisor"):
        client = login_as(role)
        few, _page = statements(app, client, f"/cases/{bare.id}")
        many, page = statements(app, client, f"/cases/{full.id}")
        assert "Công an huyện 4" in page and "https://vi-pham-4.example/bai-viet" in page
        assert "Trả lời số 4." in page and "reply-4.pdf</a>" in page
        assert "Công ty Cổ phần Quảng cáo Lục Nam" in page
        assert len(many) == len(few) <= BUDGETS["case page"], (role, len(few), len(many))
        assert no_pdf_read(few + many)


def test_case_page_before_the_decision_reads_no_enforcement_panel(app, users, login_as,
                                                                  make_case):
    case = make_case(state="record_made")
    client = login_as("inspector")
    sqls, page = statements(app, client, f"/cases/{case.id}")
    assert f"{case.id:02d}/BB-VPHC" in page and "Thiết lập mạng xã hội không phép." in page
    assert len(sqls) <= BUDGETS["case page (record made)"], len(sqls)
    for table in ("obligations", "complaints", "instalment_plans", "coercion_decisions",
                  "payments", "watch_events"):
        assert table not in tables_read(sqls), table


def test_a_list_the_case_does_not_hold_is_not_read(app, users, login_as, make_case):
    """The lists a case often lacks (payments, measures ordered, complaints, instalment
    plans, coercion decisions, reliefs, explanations, captures, watches, register entries:
    `cases.views.common.held_lists`) are read only when the case's own query found rows in
    them: a delivered case reads no payment; once part of the fine is paid, one query more
    reads the payments and the page shows the payment."""
    from auth.models import User
    from cases.models import Case
    from cases.operations import record_payment

    case = make_case(state="delivered")
    client = login_as("inspector")
    unpaid, page = statements(app, client, f"/cases/{case.id}")
    assert "payments" not in tables_read(unpaid)
    assert "Chưa ghi nhận khoản nộp phạt nào." in page
    with app.app_context():
        record_payment(db.session.get(User, users["inspector"].id),
                       db.session.get(Case, case.id), date(2014, 11, 11), 1_000_000,
                       receipt_number="BL-0042")
        db.session.commit()
    paid, page = statements(app, client, f"/cases/{case.id}")
    assert "payments" in tables_read(paid) and len(paid) == len(unpaid) + 1
    assert "Chưa ghi nhận khoản nộp phạt nào." not in page
    assert "<td>11/11/2014</td><td class=\"num\">1.000.000 đ</td><td>BL-0042</td>" in page


def test_dashboards_run_their_budget(app, users, login_as, make_case):
    for _i in range(2):  # every list of the dashboard holds something from the start
        make_case(state="sanction_proposed", detected_on=date(2014, 10, 15),
                  record_on=date(2014, 10, 20))
    make_case(state="decision_issued")
    make_case(state="record_made")
    counts = {}
    for role in ("supervisor", "inspector"):
        client = login_as(role)
        counts[role] = len(statements(app, client, "/cases/dashboard")[0])
    for _i in range(4):
        make_case(state="decision_issued")
        make_case(state="record_made")
    for role in ("supervisor", "inspector"):
        client = login_as(role)
        sqls, page = statements(app, client, "/cases/dashboard")
        assert len(sqls) == counts[role] <= BUDGETS[f"dashboard ({role})"], (role, len(sqls))
        assert "Công ty TNHH Truyền thông Sông Thương" in page
        assert no_pdf_read(sqls)


def test_lists_and_exports_run_their_budget_whatever_their_rows(app, users, login_as,
                                                                 make_case):
    pages = {"case list": "/cases/", "case search": "/cases/?q=song+thuong",
             "registry list": "/sites/", "decision list": "/cases/decisions/",
             "national-db json": "/cases/decisions/national-db.json",
             "national-db csv": "/cases/decisions/national-db.csv"}
    client = login_as("supervisor")
    for _i in range(2):
        make_case(state="decision_issued")
    before = {name: len(statements(app, client, path)[0]) for name, path in pages.items()}
    for _i in range(5):
        make_case(state="decision_issued")
    for name, path in pages.items():
        sqls, body = statements(app, client, path)
        assert len(sqls) == before[name] <= BUDGETS[name], (name, before[name], len(sqls))
        assert no_pdf_read(sqls), name
    decisions = client.get(pages["national-db json"]).json["decisions"]
    assert len(decisions) == 7
    assert [d["hanh_vi"] for d in decisions] == ["Thiết lập mạng xã hội không phép."] * 7


def figure(page: str, what: str) -> int:
    """The dashboard's month figure whose caption starts with `what`."""
    return int(re.search(r'<span class="value">(\d+)</span><span class="what">' + what,
                         page).group(1))


def test_department_figures_are_cached_until_a_write(app, users, login_as, make_case):
    make_case(state="record_made")
    supervisor, admin = login_as("supervisor"), login_as("admin")
    first, page = statements(app, supervisor, "/cases/dashboard")
    assert figure(page, "vụ việc mở từ ngày 01/11/2014") == 1
    assert "Số liệu và biểu đồ của phòng tính lúc" in page  # how old they may be, stated
    again, page = statements(app, supervisor, "/cases/dashboard")
    assert len(again) == len(first) - 4  # sites, the kept case counts, fines, decisions
    assert figure(page, "vụ việc mở từ ngày 01/11/2014") == 1
    _sqls, page = statements(app, admin, "/cases/dashboard")  # the same department figures
    assert figure(page, "vụ việc mở từ ngày 01/11/2014") == 1
    make_case(state="detected", detected_on=date(2014, 11, 10))  # a write: committed
    after, page = statements(app, supervisor, "/cases/dashboard")
    assert len(after) == len(first)
    assert figure(page, "vụ việc mở từ ngày 01/11/2014") == 2
    assert "Phát hiện: 1" in page and "Đã lập biên bản vi phạm: 1" in page


def test_an_inspector_sees_only_their_own_counts(app, users, login_as, make_case):
    make_case(state="record_made")
    make_case(state="verifying", inspector=users["inspector2"])
    _sqls, department = statements(app, login_as("supervisor"), "/cases/dashboard")
    assert "Đang xác minh: 1" in department and "Đã lập biên bản vi phạm: 1" in department
    _sqls, own = statements(app, login_as("inspector2"), "/cases/dashboard")
    assert "Đang xác minh: 1" in own and "Đã lập biên bản vi phạm:" not in own
    assert "Số liệu và biểu đồ của phòng" not in own  # no department figures for inspectors
