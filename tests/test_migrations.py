"""Migrations: the models match the migrated schema, and a database of an earlier release,
with its data, upgrades to the current schema."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from core.search import include_object
from extensions import db

DATA = Path(__file__).parent / "data"


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_release_1_database_upgrades_with_its_data(tmp_path):
    from flask_migrate import upgrade

    from app import create_app
    from cases.models import Case, Decision
    from core.collation import sorted_vi
    from core.models import Notification
    from registry.models import Site

    path = tmp_path / "release-1.sqlite"
    con = sqlite3.connect(path)
    con.executescript((DATA / "release-1.sql").read_text(encoding="utf-8"))
    con.close()
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "INSTANCE_PATH": str(tmp_path),
                      "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        upgrade()
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        assert current == script.get_current_head()
        assert db.session.scalar(select(func.count()).select_from(Site)) == 12
        # the collation keys of the stored names were computed by the migration
        names = db.session.scalars(select(Site.name).order_by(Site.name_key)).all()
        assert names == sorted_vi(names) and None not in db.session.scalars(
            select(Site.name_key)).all()
        assert db.session.scalar(select(func.count()).select_from(Case)) == 6
        decision = db.session.scalar(select(Decision))
        assert hashlib.sha256(decision.pdf).hexdigest() == decision.sha256
        assert decision.total_fine == 25_000_000
        # the outbox rows of release 1 are found by the E-mails page's search
        assert db.session.scalar(select(Notification.search_text).where(Notification.id == 1)) \
            == "thang.nd@stttt-bacgiang.example [vv-2014-0001] de nghi phe duyet xu phat: " \
               "cong ty tnhh truyen thong song thuong"
        db.session.remove()
        db.engine.dispose()


def _release_1_app(tmp_path, extra_sql: str = ""):
    from app import create_app

    path = tmp_path / "release-1.sqlite"
    con = sqlite3.connect(path)
    con.executescript((DATA / "release-1.sql").read_text(encoding="utf-8") + extra_sql)
    con.close()
    return create_app({"DATABASE_URL": f"sqlite:///{path}", "INSTANCE_PATH": str(tmp_path),
                       "SECRET_KEY": "test", "TESTING": True})


def test_release_1_trail_is_rekeyed_and_its_numbering_continues(tmp_path):
    """An audit trail hashed before keying and documents stored before sealing: verify says
    so, `audit rekey` (anchored on the head noted before) keys and seals them, and the next
    decision continues its series."""
    from flask_migrate import upgrade

    from cases.models import Decision
    from core.audit import verify_chain, verify_seals
    from core.numbering import next_document_number

    app = _release_1_app(tmp_path)
    with app.app_context():
        upgrade()
        head = db.session.execute(text("SELECT last_hash FROM audit_head")).scalar_one()
        problems = verify_chain() + verify_seals()
        assert any("without the audit key" in p for p in problems)
        assert any(p.startswith("decisions ") and "not sealed" in p for p in problems)
        last = db.session.scalar(select(func.max(Decision.number)).where(
            Decision.kind == "sanction", Decision.year == 2014))
        assert next_document_number("sanction", 2014) == last + 1
        db.session.rollback()
        db.session.remove()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["audit", "rekey", "--expect-head", "0" * 64])
    assert refused.exit_code == 1
    done = runner.invoke(args=["audit", "rekey", "--expect-head", head])
    assert done.exit_code == 0, done.output
    result = runner.invoke(args=["audit", "verify"])
    # keyed and sealed; what remains is the evidence files the fixture does not ship
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines and all("evidence" in line and "missing" in line for line in lines), lines
    with app.app_context():
        assert verify_chain() == [] and verify_seals() == []
        db.engine.dispose()


def test_user_names_differing_only_by_case_stop_the_upgrade(tmp_path):
    import pytest
    from alembic import command

    app = _release_1_app(tmp_path, "UPDATE users SET username = 'Inspector ' WHERE id = 3;")
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        with pytest.raises(RuntimeError, match="differ only by case") as stopped:
            command.upgrade(config, "head")
        assert "'Inspector '" in str(stopped.value) and "'inspector'" in str(stopped.value)
        db.engine.dispose()
