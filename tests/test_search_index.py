"""Case search on an index (cases.search): the same answers as reading every text — words
anywhere, short words, wildcard characters taken literally, a changed or removed case — and
the database's plan uses the index (FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select, text

from extensions import db


def listed(client, q: str) -> str:
    response = client.get("/cases/", query_string={"q": q})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_search_finds_words_anywhere_short_ones_and_wildcards_literally(app, users, login_as,
                                                                        make_case):
    make_case(subject_name="Công ty TNHH Quảng cáo Hà Bắc 100%")
    make_case(subject_name="Nguyễn Văn Hùng", subject_kind="individual",
              clause_id="174/2013/NĐ-CP:64.3.a")
    make_case(subject_name="Công ty Cổ phần Dịch vụ số Lục Nam")
    client = login_as("inspector")
    page = listed(client, "quang ha bac")
    assert "Hà Bắc" in page and "Lục Nam" not in page and "Nguyễn Văn Hùng" not in page
    page = listed(client, "ng ty")  # words of two letters, inside other words
    assert "Hà Bắc" in page and "Lục Nam" in page and "Nguyễn Văn Hùng" not in page
    page = listed(client, "100%")
    assert "Hà Bắc" in page and "Lục Nam" not in page
    assert "Hà Bắc" not in listed(client, "c%ng")  # % and _ are characters, not wildcards
    assert "Lục Nam" not in listed(client, "c_ng ty co")
    assert "Lục Nam" in listed(client, "cong ty co")
    assert "Nguyễn Văn Hùng" in listed(client, "hung")
    page = client.get("/cases/decisions/", query_string={"q": "ha bac"})
    assert page.status_code == 200


def test_the_index_follows_a_changed_subject(app, users, login_as, make_case):
    from auth.models import User
    from cases import operations as ops
    from cases.models import Case
    from cases.operations.intake import CASE_FIELDS

    case = make_case(subject_name="Công ty TNHH Truyền thông Sông Thương")
    client = login_as("inspector")
    assert case.code in listed(client, "song thuong")
    with app.app_context():
        stored = db.session.get(Case, case.id)
        data = {name: getattr(stored, name) for name in CASE_FIELDS}
        ops.update_case(db.session.get(User, users["inspector"].id), stored,
                        {**data, "subject_name": "Công ty TNHH Giải trí Yên Dũng"})
        db.session.commit()
    assert case.code not in listed(client, "song thuong")
    assert case.code in listed(client, "giai tri yen dung")


def test_the_search_is_answered_from_the_index(app, users, make_case):
    from cases.models import Case
    from cases.search import case_words

    make_case(subject_name="Công ty TNHH Quảng cáo Hà Bắc")
    with app.app_context():
        stmt = select(Case.id).where(*case_words("quang cao ha bac"))
        compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        with db.engine.connect() as connection:
            if db.engine.dialect.name == "sqlite":
                plan = " ".join(str(row[-1]) for row in connection.execute(
                    text(f"EXPLAIN QUERY PLAN {compiled}")))
                assert "cases_search VIRTUAL TABLE INDEX" in plan, plan
                assert "SCAN cases " not in f"{plan} "
            else:
                connection.execute(text("SET enable_seqscan = off"))  # a tiny table
                plan = " ".join(row[0] for row in connection.execute(
                    text(f"EXPLAIN {compiled}")))
                assert "ix_cases_search_trgm" in plan, plan
            assert connection.execute(stmt).scalars().all() != []


def test_a_broad_search_counts_up_to_the_cap_and_says_more(app, users, login_as, make_case,
                                                           monkeypatch):
    from cases.views import pages

    monkeypatch.setattr(pages, "SEARCH_COUNT_CAP", 2)
    codes = [make_case(subject_name=f"Công ty TNHH Quảng cáo Hà Bắc số {i}").code
             for i in range(4)]
    make_case(subject_name="Công ty Cổ phần Dịch vụ số Lục Nam")
    client = login_as("inspector")
    page = listed(client, "ha bac")
    assert "Hơn 2 vụ việc: thêm từ để thu hẹp tìm kiếm" in page
    assert all(code in page for code in codes) and "Lục Nam" not in page
    page = listed(client, "lục nam")
    assert "1 vụ việc" in page and "Hơn" not in page
    assert "5 vụ việc" in client.get("/cases/").get_data(as_text=True)  # no search: all counted


def _plan_uses_index(stmt, table: str) -> None:
    """The database answers `stmt` from `table`'s search index (and finds rows)."""
    from core.search import fts_table, pg_index

    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in connection.execute(
                text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert f"{fts_table(table)} VIRTUAL TABLE INDEX" in plan, plan
            assert f"SCAN {table} " not in f"{plan} "
        else:
            connection.execute(text("SET enable_seqscan = off"))  # a tiny table
            plan = " ".join(row[0] for row in connection.execute(text(f"EXPLAIN {compiled}")))
            assert pg_index(table) in plan, plan
        assert connection.execute(stmt).scalars().all() != []


def test_the_registry_search_is_answered_from_its_index_and_follows_an_edit(app, users,
                                                                          login_as):
    from core import search
    from registry.models import Site

    client = login_as("inspector")
    site = {"kind": "general_website", "name": "Tin tức Sông Thương", "domain": "songthuong.vn",
            "status": "unlicensed", "operator_kind": "organisation",
            "operator_name": "Công ty TNHH Truyền thông Sông Thương"}
    assert client.post("/sites/new", data=site).status_code == 302
    assert client.post("/sites/new", data={**site, "name": "Báo Lục Nam",
                                           "domain": "lucnam.vn",
                                           "operator_name": "Hộ kinh doanh Lục Nam"}
                       ).status_code == 302
    page = client.get("/sites/", query_string={"q": "truyen thong song"}).get_data(as_text=True)
    assert "Tin tức Sông Thương" in page and "Báo Lục Nam" not in page
    page = client.get("/sites/", query_string={"q": "nam"}).get_data(as_text=True)
    assert "Báo Lục Nam" in page and "Tin tức Sông Thương" not in page
    with app.app_context():
        _plan_uses_index(select(Site.id).where(*search.words(Site, "truyen thong song")),
                         "sites")
        site_id = db.session.scalar(select(Site.id).where(Site.domain == "songthuong.vn"))
    edited = {**site, "name": "Tin tức Yên Dũng", "operator_name": "Công ty Yên Dũng",
              "version": "1", "hosted_in_vietnam": "yes"}
    assert client.post(f"/sites/{site_id}/edit", data=edited).status_code == 302
    page = client.get("/sites/", query_string={"q": "song thuong"}).get_data(as_text=True)
    assert "Tin tức Yên Dũng" in page  # the domain still says songthuong.vn
    page = client.get("/sites/", query_string={"q": "truyen thong"}).get_data(as_text=True)
    assert "Tin tức Yên Dũng" not in page and "Tin tức Sông Thương" not in page
    page = client.get("/sites/", query_string={"q": "cong ty yen dung"}).get_data(as_text=True)
    assert "Tin tức Yên Dũng" in page


def test_the_outbox_search_is_answered_from_its_index(app, users, login_as, make_case, clock):
    from datetime import date

    from core import search
    from core.models import Notification
    from deadlines.planner import plan_reminders

    case = make_case("record_made", subject_name="Công ty TNHH Quảng cáo Hà Bắc")
    clock.set(date(2015, 1, 5))  # a working day, every deadline of the case overdue
    with app.app_context():
        assert plan_reminders() > 0  # written by the planner's bulk insert
        db.session.commit()
        _plan_uses_index(select(Notification.id).where(
            *search.words(Notification, f"{case.code} qua han")), "notifications")
    with app.app_context():
        row_id = db.session.scalars(select(Notification.id)).first()
    client = login_as("admin")
    page = client.get("/admin/mail", query_string={"q": case.code.lower()}).get_data(
        as_text=True)
    assert f'href="/admin/mail/{row_id}"' in page
    page = client.get("/admin/mail", query_string={"q": "khong co thu nay"}).get_data(
        as_text=True)
    assert f'href="/admin/mail/{row_id}"' not in page  # the outbox's rows, not the spool
