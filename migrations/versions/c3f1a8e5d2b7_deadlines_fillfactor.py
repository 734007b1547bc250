"""deadlines fillfactor

PostgreSQL only: the deadlines' pages keep 30 % free, so the reminder planner's marks
(reminded_key, escalated_key, which no index holds) are rewritten in place (a HOT update,
no new index entries): a catch-up that marks tens of thousands of deadlines writes less.
Rows already stored move to such pages as they are rewritten; `VACUUM FULL deadlines` (an
exclusive lock while it runs) applies it to all at once.

Revision ID: c3f1a8e5d2b7
Revises: b7e2c4d91a05
Create Date: 2026-11-30 06:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3f1a8e5d2b7'
down_revision = 'b7e2c4d91a05'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE deadlines SET (fillfactor = 70)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE deadlines RESET (fillfactor)")
