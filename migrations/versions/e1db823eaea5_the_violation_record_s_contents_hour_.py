"""The violation record's contents: hour, places, signature, witnesses, measures, copies; the subject's gender

Revision ID: e1db823eaea5
Revises: 46105166d89f
Create Date: 2026-11-29 23:04:24.417477

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'e1db823eaea5'
down_revision = '46105166d89f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        # the CHECK inline: SQLite adds the column without rebuilding the table (which other
        # tables reference)
        batch_op.add_column(sa.Column('subject_gender', sa.String(length=10), sa.CheckConstraint(
            "subject_gender IN ('male', 'female')", name=op.f('ck_cases_subject_gender_valid')),
            nullable=True))

    with op.batch_alter_table('violation_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('made_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('place_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('violation_time', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('violation_place', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column(
            'violator_signature', sa.String(length=10), sa.CheckConstraint(
                "violator_signature IN ('signed', 'absent', 'refused')",
                name=op.f('ck_violation_records_violator_signature_valid')),
            server_default='signed', nullable=False))
        batch_op.add_column(sa.Column('witnesses', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('signature_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('preventive_measures', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('copies', sa.Integer(), server_default='2', nullable=False))



def downgrade():
    # plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch rebuild would keep the inline
    # CHECKs of the dropped columns, and other tables reference `cases`
    for column in ("copies", "preventive_measures", "signature_reason", "witnesses",
                   "violator_signature", "violation_place", "violation_time", "place_reason",
                   "made_time"):
        op.execute(f"ALTER TABLE violation_records DROP COLUMN {column}")
    op.execute("ALTER TABLE cases DROP COLUMN subject_gender")
