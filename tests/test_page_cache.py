"""The response cache of signed-in pages (web.page_cache) and the data generation it keys
on (core.generation): a page is served again only to the session it was rendered for, and
never after a write — in this process or another one sharing the database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, text

from extensions import db
from tests.conftest import PASSWORD

HEADER = "X-Page-Cache"


@pytest.fixture
def cached(app):
    """The application with the cache on (the rest of the suite runs with it off)."""
    app.config["PAGE_CACHE"] = True
    yield app
    app.config["PAGE_CACHE"] = False


def generation(app) -> int:
    with app.app_context():
        return db.session.execute(text("SELECT value FROM data_generation")).scalar_one()


def signed_in(login_as, role: str):
    """A client signed in as `role` whose session holds its CSRF token (drawn by the first
    page with a form: that page changed the session and was not kept)."""
    client = login_as(role)
    response = client.get("/help")
    assert response.headers.get(HEADER) in (None, "skip")
    return client


def get(client, path: str):
    response = client.get(path)
    return response, response.get_data(as_text=True)


ONCE = re.compile(r'(?<=once" type="hidden" value=")[^"]*')


def once_tokens(page: str) -> list[str]:
    return re.findall(r'name="(?:[\w-]*-)?once"[^>]*value="([^"]+)"', page)


def evidence_form(page: str, case_id: int) -> dict:
    """The hidden fields of the case page's evidence form (its CSRF and one-time tokens)."""
    form = re.search(rf'<form[^>]*action="/cases/{case_id}/evidence".*?</form>', page,
                     re.S).group(0)
    return dict(re.findall(r'<input[^>]*name="(csrf_token|once)"[^>]*value="([^"]*)"', form))


def csrf_token(page: str) -> str:
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def test_a_page_is_served_again_to_its_session_without_its_view(cached, login_as,
                                                                 make_case):
    case = make_case(state="record_made")
    client = signed_in(login_as, "inspector")
    first, page = get(client, f"/cases/{case.id}")
    assert first.headers[HEADER] == "miss" and "Công ty TNHH Truyền thông Sông Thương" in page
    seen: list[str] = []
    with cached.app_context():
        engine = db.engine

    def on_sql(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_sql)
    try:
        again, page_again = get(client, f"/cases/{case.id}")
    finally:
        event.remove(engine, "before_cursor_execute", on_sql)
    assert again.headers[HEADER] == "hit"
    assert ONCE.sub("once", page_again) == ONCE.sub("once", page)  # but its forms' tokens
    read = [s for s in seen if not s.startswith("BEGIN")]  # SQLite's own BEGIN
    assert read == ["SELECT value FROM data_generation WHERE id = 1"]  # nothing else read
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    other, _page = get(client, f"/cases/{case.id}?tab=1")  # another query string: its own
    assert other.headers[HEADER] == "miss"


def test_two_users_never_share_a_page(cached, users, login_as, make_case):
    make_case(state="record_made")
    inspector, supervisor = signed_in(login_as, "inspector"), signed_in(login_as, "supervisor")
    get(inspector, "/cases/dashboard")
    mine, page = get(inspector, "/cases/dashboard")
    assert mine.headers[HEADER] == "hit" and "Trần Thị Lan" in page
    theirs, page = get(supervisor, "/cases/dashboard")
    assert theirs.headers[HEADER] == "miss"
    assert "Nguyễn Đức Thắng" in page and "Trần Thị Lan" not in page


def test_each_session_of_one_user_gets_its_own_page_and_token(cached, users, make_case):
    case = make_case(state="detected")
    cached.config["WTF_CSRF_ENABLED"] = True
    first, second = cached.test_client(), cached.test_client()
    for client in (first, second):
        page = client.get("/login").get_data(as_text=True)
        response = client.post("/login", data={"username": "inspector", "password": PASSWORD,
                                                 "csrf_token": csrf_token(page)})
        assert response.status_code == 302
        client.get("/help")
    get(first, f"/cases/{case.id}")
    assert get(first, f"/cases/{case.id}")[0].headers[HEADER] == "hit"
    response, page = get(second, f"/cases/{case.id}")
    assert response.headers[HEADER] == "miss"
    response, page = get(second, f"/cases/{case.id}")
    assert response.headers[HEADER] == "hit"
    # the token of the page served from the cache is this session's: the form is accepted
    response = second.post(f"/cases/{case.id}/verify", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with cached.app_context():
        assert db.session.execute(text("SELECT state FROM cases WHERE id = :i"),
                                  {"i": case.id}).scalar() == "verifying"


def test_after_signing_out_the_page_is_not_served(cached, users, login_as, make_case):
    case = make_case(state="detected")
    client = signed_in(login_as, "inspector")
    get(client, f"/cases/{case.id}")
    assert get(client, f"/cases/{case.id}")[0].headers[HEADER] == "hit"
    client.post("/logout")
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert response.headers.get(HEADER) is None


def test_a_post_then_its_redirect_shows_the_change_and_the_message_once(cached, users,
                                                                        login_as, make_case):
    case = make_case(state="detected")
    client = signed_in(login_as, "inspector")
    get(client, f"/cases/{case.id}")
    assert "Đang xác minh" not in get(client, f"/cases/{case.id}")[1]
    response = client.post(f"/cases/{case.id}/verify", data={})
    assert response.status_code == 302
    after, page = get(client, f"/cases/{case.id}")
    assert HEADER not in after.headers  # messages waiting: neither looked up nor kept
    assert "Đã bắt đầu xác minh." in page
    assert "Đang xác minh" in page
    again, page = get(client, f"/cases/{case.id}")
    assert again.headers[HEADER] == "miss"  # rendered anew, without the message this time
    assert "Đã bắt đầu xác minh." not in page
    assert "Đang xác minh" in page
    assert get(client, f"/cases/{case.id}")[0].headers[HEADER] == "hit"


def test_a_write_in_another_process_is_seen_at_once(cached, users, login_as, make_case,
                                                    tmp_path):
    """A second application on the same database stands for another worker process: its
    committed write raises the generation, so this one renders the page again."""
    from app import create_app
    from auth.models import User
    from cases import operations as ops
    from cases.models import Case

    case = make_case(state="detected")
    client = signed_in(login_as, "inspector")
    get(client, f"/cases/{case.id}")
    assert get(client, f"/cases/{case.id}")[0].headers[HEADER] == "hit"
    other = create_app({"TESTING": True, "DATABASE_URL": cached.config["SQLALCHEMY_DATABASE_URI"],
                        "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "other",
                        "AUDIT_KEY": cached.config["AUDIT_KEY"],
                        "CLOCK": cached.extensions["clock"]})
    with other.app_context():
        ops.start_verification(db.session.get(User, users["inspector"].id),
                               db.session.get(Case, case.id))
        db.session.commit()
        db.engine.dispose()
    response, page = get(client, f"/cases/{case.id}")
    assert response.headers[HEADER] == "miss" and "Đang xác minh" in page


def test_the_generation_moves_with_writes_only(cached, users, make_case):
    from core.lease import Lease

    before = generation(cached)
    with cached.app_context():  # a read, a rolled-back write, an update of no row
        db.session.execute(text("SELECT count(*) FROM cases"))
        db.session.execute(text("UPDATE cases SET description = 'x'"))
        db.session.rollback()
        db.session.execute(text("UPDATE cases SET description = 'x' WHERE id = -1"))
        db.session.commit()
    assert generation(cached) == before
    with cached.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:
        with cached.app_context():  # the scheduler's lease, taken and renewed
            lease = Lease(cached)
            assert lease._try_sqlite() and lease._try_sqlite()
        assert generation(cached) == before
    make_case(state="detected")  # committed writes
    assert generation(cached) > before
    with cached.app_context():  # a Core connection's write counts as well
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE users SET title = 'Thanh tra viên chính' "
                              "WHERE username = 'inspector'"))
    assert generation(cached) > before + 1


def test_rows_written_by_copy_raise_the_generation(cached):
    """The bulk writer's COPY (PostgreSQL) goes past the statement events: it marks its
    connection itself (SQLite: an executemany, seen as any INSERT)."""
    from core.bulk import insert_rows
    from core.models import DocumentCounter

    before = generation(cached)
    with cached.app_context():
        insert_rows(DocumentCounter.__table__, [
            {"issuer": "STTTT", "doc_type": "test", "year": 2014, "last_number": 3}])
        db.session.commit()
    assert generation(cached) == before + 1


def test_a_page_is_not_kept_past_its_age_nor_when_the_cache_is_off(cached, users, login_as,
                                                                    clock):
    client = signed_in(login_as, "supervisor")
    get(client, "/cases/dashboard")
    assert get(client, "/cases/dashboard")[0].headers[HEADER] == "hit"
    clock.set(clock.now() + timedelta(seconds=61))  # the time of day shown may have moved
    assert get(client, "/cases/dashboard")[0].headers[HEADER] == "miss"
    assert get(client, "/cases/dashboard")[0].headers[HEADER] == "hit"
    cached.config["PAGE_CACHE"] = False
    response = client.get("/cases/dashboard")
    assert response.status_code == 200 and HEADER not in response.headers


def test_downloads_and_signed_out_pages_are_not_kept(cached, users, login_as, make_case):
    make_case(state="decision_issued")
    client = signed_in(login_as, "supervisor")
    for _i in range(2):
        response = client.get("/cases/decisions/national-db.csv")
        assert response.status_code == 200 and response.headers[HEADER] == "skip"
    anonymous = cached.test_client()
    for _i in range(2):
        response = anonymous.get("/login")
        assert response.status_code == 200 and HEADER not in response.headers


def test_the_cache_is_bounded_in_entries_and_bytes():
    from datetime import UTC, datetime

    from web.page_cache import Entry, PageCache

    def entry(size: int) -> Entry:
        return Entry(b"x" * size, 200, (), 0.0, datetime(2014, 11, 12, tzinfo=UTC))

    store = PageCache(max_entries=3, max_bytes=1000)
    for i in range(5):
        assert store.put(7, ("k", i), entry(100))
    assert len(store) == 3 and store.get(7, ("k", 0)) is None
    assert store.get(7, ("k", 4)) is not None
    store.put(7, ("big",), entry(900))
    assert store.size <= 1000 and store.get(7, ("big",)) is not None
    assert not store.put(6, ("old",), entry(10))  # rendered under an older generation
    assert store.get(8, ("big",)) is None and len(store) == 0  # a newer one empties it


def test_two_tabs_of_one_kept_page_each_send_their_own_form(cached, users, login_as,
                                                           make_case):
    """Two tabs of one case page, the second served from the cache: each tab's form carries
    its own one-time token, so the second submission is done, not taken for a repeat of the
    first (core.once)."""
    from io import BytesIO

    from sqlalchemy import select

    from cases.models import Evidence

    case = make_case(state="verifying")
    client = signed_in(login_as, "inspector")
    tab_a, page_a = get(client, f"/cases/{case.id}")
    tab_b, page_b = get(client, f"/cases/{case.id}")
    assert (tab_a.headers[HEADER], tab_b.headers[HEADER]) == ("miss", "hit")
    tokens_a, tokens_b = once_tokens(page_a), once_tokens(page_b)
    assert len(tokens_a) == len(tokens_b) >= 2  # every form of the page has one
    assert not set(tokens_a) & set(tokens_b) and len(set(tokens_b)) == len(tokens_b)
    for n, page in enumerate((page_a, page_b)):
        hidden = evidence_form(page, case.id)
        assert hidden["once"] in tokens_a + tokens_b
        response = client.post(f"/cases/{case.id}/evidence", data=dict(
            hidden, file=(BytesIO(b"%PDF-1.4\n%%EOF\n"), f"tab-{n}.pdf"),
            note=f"Tab {n}"), content_type="multipart/form-data")
        assert response.status_code == 302
    with cached.app_context():
        notes = db.session.scalars(select(Evidence.note).where(
            Evidence.case_id == case.id).order_by(Evidence.id)).all()
    assert notes == ["Tab 0", "Tab 1"]
