"""Reports: the spreadsheet's SHA-256, sealed once set

Revision ID: e5b2c8d4f6a1
Revises: d3f1a7c2e9b4
Create Date: 2026-11-30 00:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b2c8d4f6a1'
down_revision = 'd3f1a7c2e9b4'
branch_labels = None
depends_on = None


def upgrade():
    # Reports issued before keep no spreadsheet hash (NULL): their seals stay intact.
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("xlsx_sha256", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("xlsx_sha256")
