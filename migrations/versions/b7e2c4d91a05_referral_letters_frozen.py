"""referral letters frozen

The letter referring a check's findings to the Police or another authority is frozen when
the check is recorded (bytes and SHA-256, in the register of issued documents as a letter),
instead of being rendered again from data that may change later.

Revision ID: b7e2c4d91a05
Revises: 83ce1d2174f4
Create Date: 2026-11-30 05:45:00

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'b7e2c4d91a05'
down_revision = '83ce1d2174f4'
branch_labels = None
depends_on = None

KINDS_BEFORE = "kind IN ('decision', 'record', 'report', 'capture_record')"
KINDS_AFTER = "kind IN ('decision', 'record', 'report', 'capture_record', 'letter')"


def upgrade():
    with op.batch_alter_table('inspection_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referral_pdf', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('referral_sha256', sa.String(length=64), nullable=True))
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_issued_documents_kind_valid'), type_='check')
        batch_op.create_check_constraint(op.f('ck_issued_documents_kind_valid'), KINDS_AFTER)


def downgrade():
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_issued_documents_kind_valid'), type_='check')
        batch_op.create_check_constraint(op.f('ck_issued_documents_kind_valid'), KINDS_BEFORE)
    with op.batch_alter_table('inspection_checks', schema=None) as batch_op:
        batch_op.drop_column('referral_sha256')
        batch_op.drop_column('referral_pdf')
