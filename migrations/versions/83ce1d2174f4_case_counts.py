"""The department's case counts kept beside the cases (cases.tallies): open cases by state,
cases detected and closed per day, filled from the cases already there; the indexes that
count the dashboard's lists without reading the tables

Revision ID: 83ce1d2174f4
Revises: dc3dc7f003bc
Create Date: 2026-11-30 05:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '83ce1d2174f4'
down_revision = 'dc3dc7f003bc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_state_counts',
        sa.Column('state', sa.String(length=30), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('state', name=op.f('pk_case_state_counts')),
    )
    op.create_table(
        'case_day_counts',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('detected', sa.Integer(), nullable=False),
        sa.Column('closed', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_case_day_counts')),
    )
    op.execute("INSERT INTO case_state_counts (state, n) "
               "SELECT state, count(*) FROM cases GROUP BY state")
    op.execute("INSERT INTO case_day_counts (day, detected, closed) "
               "SELECT day, sum(detected), sum(closed) FROM ("
               " SELECT detected_on AS day, 1 AS detected, 0 AS closed FROM cases"
               " UNION ALL"
               " SELECT closed_on, 0, 1 FROM cases WHERE closed_on IS NOT NULL"
               ") AS changes GROUP BY day")
    op.create_index('ix_cases_proposals', 'cases', ['proposed_at', 'id', 'supervisor_id'],
                    postgresql_where=sa.text("state = 'sanction_proposed'"),
                    sqlite_where=sa.text("state = 'sanction_proposed'"))
    op.create_index('ix_cases_id_state', 'cases', ['id', 'state'])
    op.create_index('ix_deadlines_open_due', 'deadlines', ['due_on', 'id', 'case_id', 'rule_code'],
                    postgresql_where=sa.text("state = 'open'"),
                    sqlite_where=sa.text("state = 'open'"))


def downgrade():
    op.drop_index('ix_deadlines_open_due', table_name='deadlines')
    op.drop_index('ix_cases_id_state', table_name='cases')
    op.drop_index('ix_cases_proposals', table_name='cases')
    op.drop_table('case_day_counts')
    op.drop_table('case_state_counts')
