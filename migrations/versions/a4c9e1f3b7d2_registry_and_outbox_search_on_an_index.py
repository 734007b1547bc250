"""Registry and outbox search on an index, as the cases': pg_trgm GIN on PostgreSQL, FTS5
trigram on SQLite (core.search)

Revision ID: a4c9e1f3b7d2
Revises: a7d3e5f10b2c
Create Date: 2026-11-30 03:00:00.000000

"""
import logging

import sqlalchemy as sa
from alembic import op

from core.search import postgresql_statements, sqlite_drop_statements, sqlite_statements

# revision identifiers, used by Alembic.
revision = 'a4c9e1f3b7d2'
down_revision = 'a7d3e5f10b2c'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

TABLES = ("sites", "notifications")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in TABLES:
            for statement in sqlite_statements(name):
                op.execute(statement)
        return
    if bind.dialect.name != "postgresql":
        return
    # as in b7c4e2d9a1f0: pg_trgm is a trusted extension from PostgreSQL 13; without it the
    # searches still work, reading the texts
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as refused:
        log.warning("pg_trgm could not be created (%s): the registry's and the outbox's "
                    "searches run without their indexes; a superuser may run CREATE "
                    "EXTENSION pg_trgm and then this migration again (flask db downgrade "
                    "a7d3e5f10b2c && flask db upgrade).", str(refused.orig).strip())
        return
    for name in TABLES:
        for statement in postgresql_statements(name):
            op.execute(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in TABLES:
            for statement in sqlite_drop_statements(name):
                op.execute(statement)
    elif bind.dialect.name == "postgresql":
        for name in TABLES:
            op.execute(f"DROP INDEX IF EXISTS ix_{name}_search_trgm")
