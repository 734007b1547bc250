"""Evidence withdrawn (kept in the history) and the reply file of a coordination request

Revision ID: b17a03e71d03
Revises: 0380af5851cf
Create Date: 2026-11-29 23:20:00

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'b17a03e71d03'
down_revision = '0380af5851cf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coordination_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', core.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_evidence_coordination_id_coordination_requests'),
                                    'coordination_requests', ['coordination_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_evidence_withdrawn_by_id_users'), 'users',
                                    ['withdrawn_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evidence_withdrawn_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_evidence_coordination_id_coordination_requests'),
                                 type_='foreignkey')
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('coordination_id')
