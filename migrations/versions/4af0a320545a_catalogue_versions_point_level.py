"""Catalogue: one row per version of a provision (id + version), violations point to the
version applied, aliases of release-1 ids, verification, loader runs; instruments with date
and issuer; prohibitions with their period.

Stored data is kept: every release-1 clause becomes version 1 of its id and every violation
points to it (clause_version 1); `enforces` text becomes a one-item list. The next `flask
legal load` adds the new entries and marks the release-1 ids that now map to a point-level
entry as replaced (their rows stay for the cases stored under them).

Revision ID: 4af0a320545a
Revises: abd666f6af4c
Create Date: 2026-11-29 20:10:00

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '4af0a320545a'
down_revision = 'abd666f6af4c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.drop_constraint('fk_violations_clause_id_legal_clauses', type_='foreignkey')
        batch_op.alter_column('clause_id', existing_type=sa.String(length=60),
                              type_=sa.String(length=80), existing_nullable=False)
        batch_op.add_column(sa.Column('clause_version', sa.Integer(), server_default='1',
                                      nullable=False))

    with op.batch_alter_table('legal_clauses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('enforces_list', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('applied_in', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('amended_by', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('change_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('successor', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('superseded_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('verified_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verified_at', core.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('verified_source', sa.Text(), nullable=True))

    conn = op.get_bind()
    update = sa.text("UPDATE legal_clauses SET enforces_list = :enforces, amended_by = :amended "
                     "WHERE id = :id").bindparams(sa.bindparam('enforces', type_=sa.JSON()),
                                                  sa.bindparam('amended', type_=sa.JSON()))
    for clause_id, enforces in conn.execute(sa.text("SELECT id, enforces FROM legal_clauses")):
        conn.execute(update, {"id": clause_id, "enforces": [enforces] if enforces else [],
                              "amended": []})

    with op.batch_alter_table('legal_clauses', schema=None) as batch_op:
        batch_op.drop_column('enforces')
        batch_op.alter_column('enforces_list', new_column_name='enforces',
                              existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('amended_by', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_constraint('pk_legal_clauses', type_='primary')
        batch_op.create_primary_key('pk_legal_clauses', ['id', 'version'])
        batch_op.alter_column('id', existing_type=sa.String(length=60),
                              type_=sa.String(length=80), existing_nullable=False)
        batch_op.alter_column('article', existing_type=sa.Integer(), type_=sa.String(length=8),
                              nullable=True, postgresql_using='article::varchar')
        batch_op.alter_column('clause', existing_type=sa.Integer(), type_=sa.String(length=8),
                              nullable=True, postgresql_using='clause::varchar')
        batch_op.alter_column('warning_allowed', existing_type=sa.Boolean(), nullable=True)
        batch_op.alter_column('additional_sanctions', existing_type=sa.JSON(), nullable=True)
        batch_op.alter_column('remedial_measures', existing_type=sa.JSON(), nullable=True)
        batch_op.create_check_constraint(op.f('ck_legal_clauses_version_valid'), 'version > 0')
        batch_op.create_foreign_key(batch_op.f('fk_legal_clauses_verified_by_id_users'),
                                    'users', ['verified_by_id'], ['id'])

    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_violations_clause_version', 'legal_clauses',
                                    ['clause_id', 'clause_version'], ['id', 'version'])

    with op.batch_alter_table('legal_instruments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind_vi', sa.String(length=40),
                                      server_default='Nghị định', nullable=False))
        batch_op.add_column(sa.Column('name_vi', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('issuer_vi', sa.String(length=100), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('signed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('amends', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('replaced_by', sa.String(length=40), nullable=True))

    with op.batch_alter_table('legal_prohibitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effective_from', sa.Date(), server_default='2013-09-01',
                                      nullable=False))
        batch_op.add_column(sa.Column('effective_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('locally_modified', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    op.create_table('legal_clause_aliases',
    sa.Column('old_id', sa.String(length=80), nullable=False),
    sa.Column('new_id', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('old_id', name=op.f('pk_legal_clause_aliases'))
    )
    op.create_table('catalogue_loads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loaded_at', core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('release', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_loads'))
    )


def downgrade():
    """Not reversible: release 1 had one row per clause id; the versions, point-level entries
    and verifications of this release have no place there. Restore the backup taken before
    the upgrade (README, backup and restore)."""
    raise RuntimeError("this release cannot be downgraded: restore the backup taken before "
                       "upgrading to it (README, backup and restore)")
