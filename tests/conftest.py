"""Fixtures: one application and database schema per test session (built by the real
Alembic migration), emptied before each test; a pinned clock; users; logged-in clients.

The database is SQLite in a temporary directory, or PostgreSQL when TEST_DATABASE_URL names
one (`.ci/run` sets it). Every table but the catalogue is emptied before each test.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from sqlalchemy import text

from core.clock import LOCAL_TZ, FixedClock

DEMO_DAY = datetime(2014, 11, 12, 9, 0, tzinfo=LOCAL_TZ)
PASSWORD = "correct-horse-2014"
KEEP_TABLES = {"alembic_version"}


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    from flask_migrate import upgrade

    from app import create_app
    from extensions import db

    instance = tmp_path_factory.mktemp("instance")
    # Only TEST_DATABASE_URL: a DATABASE_URL left in the shell must never be emptied by tests.
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite'}"
    clock = FixedClock(DEMO_DAY)
    app = create_app({
        "TESTING": True, "PRESERVE_CONTEXT_ON_EXCEPTION": False, "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "CLOCK": clock,
        "MAIL_SERVER": None, "BASE_URL": "http://inspect.example",
        "LOGIN_LIMIT_PER_USER": "10000 per minute", "LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,
    })
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_database(db) -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_app):
    """The application with an empty database (the shipped catalogue reloaded) and the clock
    at 12/11/2014.

    No application context stays pushed: a request of the test client must get its own
    context (its own session, its own `g`), as in production. Use the `ctx` fixture, or
    ``with app.app_context():``, to touch the database from a test.
    """
    from extensions import db

    _app.extensions["clock"].set(DEMO_DAY)
    _app.config.update(WTF_CSRF_ENABLED=False, MAIL_SERVER=None, MAIL_PORT=25)
    with _app.app_context():
        from catalogue.loader import load_catalogue

        _empty_database(db)
        load_catalogue()
        db.session.commit()
        db.session.remove()
    return _app


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
        user.set_password(PASSWORD)
        with app.app_context():
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
