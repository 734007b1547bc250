"""Seals of the campaigns' frozen documents: the team decision, check records, check evidence

Revision ID: d3f1a7c2e9b4
Revises: b17a03e71d03
Create Date: 2026-11-30 00:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3f1a7c2e9b4'
down_revision = 'b17a03e71d03'
branch_labels = None
depends_on = None


TABLES = ("campaigns", "inspection_checks", "inspection_check_evidence")


def upgrade():
    # Rows from before this revision stay unsealed until `flask --app app audit rekey`
    # (README, Security: "Upgrading an audit trail from before keying").
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("seal", sa.String(length=64), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("seal")
