"""Site version for optimistic locking (two people editing one registry entry).

Revision ID: 8df63576ac2a
Revises: 3d06d28e91ec
Create Date: 2026-11-29 11:14:35.919532

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '8df63576ac2a'
down_revision = '3d06d28e91ec'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('version')

