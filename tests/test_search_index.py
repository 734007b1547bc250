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
