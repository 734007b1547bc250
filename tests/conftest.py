"""Fixtures: one application and database schema per test worker (built by the real
Alembic migration), emptied before each test; a pinned clock; users; logged-in clients.

The database is SQLite in a temporary directory, or PostgreSQL when TEST_DATABASE_URL names
one (`.ci/run` sets it). Under pytest-xdist each worker gets its own database: its own
SQLite file, or `<database>_gw0`, `<database>_gw1`… created on the same PostgreSQL server
and dropped at the end.

The legal catalogue is read-only reference data for almost every test: it is loaded once
per worker and kept between tests. A test that writes to a catalogue table marks it dirty
(an engine event watches the SQL), and the next test gets it emptied and reloaded.
"""

from __future__ import annotations

import gc
import os
import re
from datetime import datetime

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from core.clock import LOCAL_TZ, FixedClock

DEMO_DAY = datetime(2014, 11, 12, 9, 0, tzinfo=LOCAL_TZ)
PASSWORD = "correct-horse-2014"
# the data generation only ever grows (core.generation): emptying the database raises it
KEEP_TABLES = {"alembic_version", "data_generation"}
CATALOGUE_TABLES = {"legal_instruments", "legal_clauses", "legal_prohibitions",
                    "legal_clause_aliases", "deadline_rule_texts", "competence_limits",
                    "enforcement_facts"}
_WRITES_CATALOGUE = re.compile(
    r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+\"?("
    + "|".join(sorted(CATALOGUE_TABLES)) + r")\b", re.I)
_catalogue = {"dirty": True}


def _watch_catalogue(conn, cursor, statement, parameters, context, executemany):
    if _WRITES_CATALOGUE.match(statement):
        _catalogue["dirty"] = True


def _worker_database(url: str, worker: str):
    """For a PostgreSQL `url` under xdist worker `worker`: (the worker's own database URL, a
    function that drops it). The database is created afresh on the same server."""
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(autouse=True)
def _collectable():
    """A test that builds an application without TESTING (a production start) freezes the
    test process's objects out of the garbage collector (`app._freeze_startup_objects`):
    give them back, so what the tests leave behind stays collectable."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    from flask_migrate import upgrade

    from app import create_app
    from extensions import db

    instance = tmp_path_factory.mktemp("instance")
    # Only TEST_DATABASE_URL: a DATABASE_URL left in the shell must never be emptied by tests.
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite'}"
    drop = None
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1… under pytest-xdist
    if url.startswith("postgresql") and worker:
        url, drop = _worker_database(url, worker)
    clock = FixedClock(DEMO_DAY)
    app = create_app({
        "TESTING": True, "PRESERVE_CONTEXT_ON_EXCEPTION": False, "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "CLOCK": clock,
        "MAIL_SERVER": None, "BASE_URL": "http://inspect.example",
        "LOGIN_LIMIT_PER_USER": "10000 per minute", "LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
        "LOGIN_LIMIT_PER_NAME": "10000 per minute", "PASSWORD_CHANGE_LIMIT": "10000 per minute",
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,
    })
    with app.app_context():
        upgrade()
        event.listen(db.engine, "before_cursor_execute", _watch_catalogue)
    yield app
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", _watch_catalogue)
        db.engine.dispose()
    if drop is not None:
        drop()


def _empty_database(db, keep_catalogue: bool) -> None:
    keep = KEEP_TABLES | (CATALOGUE_TABLES if keep_catalogue else set())
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in keep]
    if db.engine.dialect.name == "postgresql":
        # TRUNCATE … CASCADE would also empty a kept table that references a truncated one
        # (legal_clauses.verified_by_id → users): such tables are emptied with DELETE.
        referenced = {fk.column.table.name for t in db.metadata.sorted_tables
                      if t.name in keep for fk in t.foreign_keys}
        names = ", ".join(f'"{t.name}"' for t in tables if t.name not in referenced)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        for table in tables:
            if table.name in referenced:
                db.session.execute(table.delete())
                if "id" in table.c:
                    db.session.execute(text(f"SELECT setval(pg_get_serial_sequence("
                                            f"'{table.name}', 'id'), 1, false)"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_app):
    """The application with an empty database but for the shipped catalogue (reloaded when
    the previous test changed it) and the clock at 12/11/2014.

    No application context stays pushed: a request of the test client must get its own
    context (its own session, its own `g`), as in production. Use the `ctx` fixture, or
    ``with app.app_context():``, to touch the database from a test.
    """
    from extensions import db

    _app.extensions["clock"].set(DEMO_DAY)
    # the response cache of signed-in pages is tested on its own (tests/test_page_cache.py)
    _app.config.update(WTF_CSRF_ENABLED=False, MAIL_SERVER=None, MAIL_PORT=25,
                       PAGE_CACHE=False)
    with _app.app_context():
        from catalogue.loader import load_catalogue

        reload = _catalogue["dirty"]
        _empty_database(db, keep_catalogue=not reload)
        if reload:
            load_catalogue()
        db.session.commit()
        db.session.remove()
        _catalogue["dirty"] = False
    return _app


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One line a person reads after every run: how long the suite took, on how many
    workers (the figure `make test` must keep under 3 minutes on 2 cores)."""
    started = getattr(terminalreporter, "_session_start", None)
    if started is None:
        return
    elapsed = started.elapsed().seconds
    workers = getattr(config.option, "numprocesses", None) or 1
    terminalreporter.write_line(f"suite time: {elapsed:.1f} s on {workers} worker(s)")


@pytest.fixture
def ctx(app):
    """An application context for tests that call operations or query directly."""
    with app.app_context() as context:
        yield context


def detach(obj):
    """Load every column of `obj` and detach it, so a test can read it outside a context."""
    from extensions import db

    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


@pytest.fixture
def clock(app) -> FixedClock:
    return app.extensions["clock"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    from auth.models import User
    from extensions import db

    def make(username: str, role: str, *, name: str | None = None, title: str = "",
             email: str | None = None, competence_title: str | None = None) -> User:
        if competence_title is None and role == "supervisor":
            competence_title = "chief_inspector"
        user = User(username=username, role=role, full_name=name or username.title(),
                    title=title, email=email or f"{username}@stttt.example", active=True,
                    session_version=1, created_at=app.extensions["clock"].now(),
                    competence_title=competence_title)
        with app.app_context():  # the suite's cheap argon2 cost is in the app's config
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            return detach(user)

    return make


@pytest.fixture
def users(make_user):
    """inspector, inspector2, supervisor, supervisor2, admin."""
    return {
        "inspector": make_user("inspector", "inspector", name="Trần Thị Lan",
                               title="Thanh tra viên"),
        "inspector2": make_user("inspector2", "inspector", name="Lê Văn Minh"),
        "supervisor": make_user("supervisor", "supervisor", name="Nguyễn Đức Thắng",
                                title="Chánh Thanh tra Sở"),
        "supervisor2": make_user("supervisor2", "supervisor", name="Phạm Thu Hà",
                                 title="Phó Chánh Thanh tra Sở"),
        "admin": make_user("admin", "admin", name="Phạm Quốc Bảo"),
    }


def login(client, username: str, password: str = PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login_as(app, users):
    """login_as("inspector") → a test client signed in as that user."""
    def _login(username: str):
        client = app.test_client()
        login(client, username)
        return client

    return _login


def waive(inspector, case, on):
    """The violator's written waiver of the right to explain, when the record gives it (an
    approved case may then be issued on the record's day: docs/legal/procedure.md)."""
    from cases import operations as ops

    if case.record.explanation_right:
        ops.record_explanation(inspector, case, kind="waiver", received_on=on,
                               content="Tôi không yêu cầu giải trình.".encode(),
                               filename="khong-yeu-cau-giai-trinh.txt")


STATES_IN_ORDER = ["detected", "verifying", "record_made", "sanction_proposed", "approved",
                   "decision_issued", "delivered", "closed"]


@pytest.fixture
def make_case(app, users):
    """make_case(state=..., ...) → a Case walked to `state` through the real operations,
    dated in November 2014 (the clock is left at 12/11/2014)."""
    from datetime import date

    from cases import operations as ops
    from extensions import db

    def make(state: str = "detected", **kwargs):
        with app.app_context():
            return detach(_make(state, **kwargs))

    def _make(state: str = "detected", *, inspector=None, subject_kind: str = "organisation",
             subject_name: str = "Công ty TNHH Truyền thông Sông Thương",
             clause_id: str = "174/2013/NĐ-CP:63.3", detected_on=date(2014, 11, 3),
             record_on=date(2014, 11, 7), fine_amount=None):
        from auth.models import User

        inspector = db.session.get(User, (inspector or users["inspector"]).id)
        supervisor = db.session.get(
            User, users["supervisor2" if inspector.id == users["supervisor"].id
                        else "supervisor"].id)
        target = STATES_IN_ORDER.index(state)
        case = ops.open_case(inspector, {
            "subject_kind": subject_kind, "subject_name": subject_name,
            "subject_id_number": "2401178901", "subject_address": "Yên Dũng, Bắc Giang",
            "detection_method": "monitoring", "detected_on": detected_on,
            "description": "Mạng xã hội hoạt động không phép."})
        if target >= 1:
            ops.start_verification(inspector, case)
        if target >= 2:
            ops.add_violation(inspector, case, clause_id=clause_id,
                              description="Thiết lập mạng xã hội không phép.",
                              fine_amount=fine_amount)
            ops.make_record(inspector, case, number=f"{case.id:02d}/BB-VPHC", made_on=record_on,
                            place="Trụ sở Sở")
        if target >= 3:
            ops.propose_sanction(inspector, case)
        if target >= 4:
            waive(inspector, case, record_on)
            ops.approve_sanction(supervisor, case)
        if target >= 5:
            ops.issue_decision(inspector, case, record_on)
        if target >= 6:
            ops.record_delivery(inspector, case, record_on)
        if target >= 7:
            ops.record_payment(inspector, case, record_on, case.total_fine)
        db.session.commit()
        return case

    return make
