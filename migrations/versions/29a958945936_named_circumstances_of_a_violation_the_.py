"""Named circumstances of a violation; the Treasury account number and the letters' signer in the agency settings

Revision ID: 29a958945936
Revises: e1db823eaea5
Create Date: 2026-11-29 23:15:16.193266

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '29a958945936'
down_revision = 'e1db823eaea5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agency_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('treasury_account_number', sa.String(length=100),
                                      nullable=True))
        batch_op.add_column(sa.Column('letter_signer', sa.String(length=200), nullable=True))

    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mitigating_codes', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('aggravating_codes', sa.JSON(), nullable=True))



def downgrade():
    # plain ALTER TABLE (SQLite 3.35+ and PostgreSQL), no rebuild of the tables
    for table, column in (("violations", "aggravating_codes"), ("violations", "mitigating_codes"),
                          ("agency_settings", "letter_signer"),
                          ("agency_settings", "treasury_account_number")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
