"""The agency settings' list of the province's districts

Revision ID: b17a02d15701
Revises: 683809c761ea
Create Date: 2026-11-29 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b17a02d15701'
down_revision = '683809c761ea'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agency_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('districts', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('agency_settings', schema=None) as batch_op:
        batch_op.drop_column('districts')
