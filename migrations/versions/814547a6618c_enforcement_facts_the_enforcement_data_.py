"""enforcement facts: the enforcement data as stored, correctable

The dated sections of legal/data/enforcement.yaml (late payment, limitation, complaints,
instalments, coercion, …) as rows an administrator corrects; `flask init-db` and
`flask catalogue load` fill them from the file. Until then the code reads the file.

Revision ID: 814547a6618c
Revises: a4c9e1f3b7d2
Create Date: 2026-11-30 02:20:59.353686

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '814547a6618c'
down_revision = 'a4c9e1f3b7d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('enforcement_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=40), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('fact_values', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=1), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('locally_modified', sa.Boolean(), nullable=False),
    sa.CheckConstraint("status IN ('V', 'P', 'U')", name=op.f('ck_enforcement_facts_status_valid')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_enforcement_facts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enforcement_facts')),
    sa.UniqueConstraint('section', 'effective_from', name=op.f('uq_enforcement_facts_section_effective_from'))
    )


def downgrade():
    op.drop_table('enforcement_facts')
