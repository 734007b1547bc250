"""Numbering: one series per kind of document and year, whatever the issuer code

The agency's counters were keyed by the issuer code, so changing the code on the agency page
restarted a series at 1 under a symbol already printed that year. They are now keyed
"agency": each (kind, year) continues from the highest number given under any code.

Revision ID: 5e1f0a7c9b21
Revises: c847efe5cb0a
Create Date: 2026-11-29 23:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5e1f0a7c9b21'
down_revision = 'c847efe5cb0a'
branch_labels = None
depends_on = None

KINDS = ("sanction", "amend", "correct", "cancel", "transfer", "report")


def upgrade():
    conn = op.get_bind()
    counters = sa.table("document_counters", sa.column("id", sa.Integer),
                        sa.column("issuer", sa.String), sa.column("doc_type", sa.String),
                        sa.column("year", sa.Integer), sa.column("last_number", sa.Integer))
    rows = conn.execute(
        sa.select(counters.c.doc_type, counters.c.year,
                  sa.func.max(counters.c.last_number))
        .where(counters.c.doc_type.in_(KINDS), counters.c.issuer != "department")
        .group_by(counters.c.doc_type, counters.c.year)).all()
    conn.execute(counters.delete().where(counters.c.doc_type.in_(KINDS),
                                         counters.c.issuer != "department"))
    for doc_type, year, last in rows:
        conn.execute(counters.insert().values(issuer="agency", doc_type=doc_type, year=year,
                                              last_number=last))


def downgrade():
    # The agency's series stay keyed "agency"; the issuer code is stored on each document.
    pass
