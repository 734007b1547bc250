"""Case search on an index: pg_trgm GIN on PostgreSQL, FTS5 trigram on SQLite (cases.search)

Revision ID: b7c4e2d9a1f0
Revises: 45af00143eb1
Create Date: 2026-11-29 23:30:00.000000

"""
import logging

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7c4e2d9a1f0'
down_revision = '45af00143eb1'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

SQLITE_UP = [
    # external content: the text stays in cases; the FTS5 table holds only its trigrams
    "CREATE VIRTUAL TABLE cases_search USING fts5(search_text, content='cases', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER cases_search_ai AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER cases_search_ad AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER cases_search_au AFTER UPDATE OF search_text ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO cases_search(cases_search) VALUES ('rebuild')",
]


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
        return
    if bind.dialect.name != "postgresql":
        return
    # pg_trgm ships with PostgreSQL (contrib) and is a trusted extension from PostgreSQL 13:
    # the database's owner may create it. Without it the search still works, reading the
    # texts; say so instead of failing the upgrade.
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as refused:
        log.warning("pg_trgm could not be created (%s): case search runs without its index; "
                    "a superuser may run CREATE EXTENSION pg_trgm and then this migration "
                    "again (flask db downgrade 45af00143eb1 && flask db upgrade).",
                    str(refused.orig).strip())
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_cases_search_trgm ON cases "
               "USING gin (search_text gin_trgm_ops)")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("cases_search_ai", "cases_search_ad", "cases_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS cases_search")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_search_trgm")
