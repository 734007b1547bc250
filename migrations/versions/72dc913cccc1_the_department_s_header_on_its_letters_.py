"""The Department's header on its letters and reports (agency settings)

Revision ID: 72dc913cccc1
Revises: 29a958945936
Create Date: 2026-11-29 23:24:46.952362

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '72dc913cccc1'
down_revision = '29a958945936'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agency_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_parent', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('department_name', sa.String(length=200), nullable=True))



def downgrade():
    # plain ALTER TABLE (SQLite 3.35+ and PostgreSQL)
    for column in ("department_name", "department_parent"):
        op.execute(f"ALTER TABLE agency_settings DROP COLUMN {column}")
