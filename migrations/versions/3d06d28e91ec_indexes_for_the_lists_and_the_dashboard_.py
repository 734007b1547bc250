"""Indexes for the lists and the dashboard; extension of the time limit to decide.

The indexes were measured with 10 000 cases (BENCHMARKS.md, "Load"); the extension is
Law 15/2012/QH13 Art. 66(1).

Revision ID: 3d06d28e91ec
Revises: 2c43c4bc3005
Create Date: 2026-11-29 10:29:18.759608

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '3d06d28e91ec'
down_revision = '2c43c4bc3005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_closed_on'), ['closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_detected_on'), ['detected_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index('ix_cases_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_state_due_on', ['state', 'due_on'], unique=False)

    with op.batch_alter_table('violation_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_extended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('extended_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('extension_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('extension_document', sa.String(length=100), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_violation_records_extended_by_id_users'), 'users', ['extended_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('violation_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_violation_records_extended_by_id_users'), type_='foreignkey')
        batch_op.drop_column('extension_document')
        batch_op.drop_column('extension_reason')
        batch_op.drop_column('extended_by_id')
        batch_op.drop_column('decision_extended_on')

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_state_due_on')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_updated_at'))
        batch_op.drop_index('ix_cases_state_id')
        batch_op.drop_index(batch_op.f('ix_cases_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_cases_detected_on'))
        batch_op.drop_index(batch_op.f('ix_cases_created_at'))
        batch_op.drop_index(batch_op.f('ix_cases_closed_on'))

