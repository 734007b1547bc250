"""obligations recorded before tracking

A remedial measure written as free text on a decision issued before measures were tracked
becomes an obligation with no time limit (flask cases legacy-measures, run by init-db);
this column marks such obligations.

Revision ID: dc3dc7f003bc
Revises: 814547a6618c
Create Date: 2026-11-30 02:42:40.613188

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'dc3dc7f003bc'
down_revision = '814547a6618c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('before_tracking', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.drop_column('before_tracking')

