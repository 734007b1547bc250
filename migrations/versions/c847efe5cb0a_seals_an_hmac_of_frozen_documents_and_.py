"""Seals: an HMAC of frozen documents' and fines' columns

Revision ID: c847efe5cb0a
Revises: b7c4e2d9a1f0
Create Date: 2026-11-29 22:52:38.397755

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'c847efe5cb0a'
down_revision = 'b7c4e2d9a1f0'
branch_labels = None
depends_on = None


TABLES = ("decisions", "violations", "violation_records", "reports", "evidence",
          "web_captures")


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
