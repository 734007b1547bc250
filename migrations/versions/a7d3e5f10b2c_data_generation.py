"""The data generation: one row raised in the same transaction as every write
(core.generation), which the response cache of signed-in pages keys on (web.page_cache).

Revision ID: a7d3e5f10b2c
Revises: 0cf750a53c95
Create Date: 2026-11-30 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3e5f10b2c'
down_revision = '0cf750a53c95'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_generation'))
    )
    op.execute("INSERT INTO data_generation (id, value) VALUES (1, 1)")


def downgrade():
    op.drop_table('data_generation')
