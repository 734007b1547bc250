"""Outbox search text (E-mails page)

Revision ID: 683809c761ea
Revises: 4af0a320545a
Create Date: 2026-11-29 21:27:20.083845

"""
from alembic import op
import sqlalchemy as sa

import core.types  # noqa: F401  (custom column types)
from legal.text import fold


# revision identifiers, used by Alembic.
revision = '683809c761ea'
down_revision = '4af0a320545a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
    # the rows already in the outbox: their address and subject, folded
    # (core.models.notification_search_text), a thousand at a time
    bind = op.get_bind()
    table = sa.table("notifications", sa.column("id", sa.Integer),
                     sa.column("recipient_email", sa.String), sa.column("subject", sa.String),
                     sa.column("search_text", sa.Text))
    last = 0
    while True:
        rows = bind.execute(sa.select(table.c.id, table.c.recipient_email, table.c.subject)
                            .where(table.c.id > last).order_by(table.c.id).limit(1000)).all()
        if not rows:
            break
        bind.execute(table.update().where(table.c.id == sa.bindparam("row_id"))
                     .values(search_text=sa.bindparam("text")),
                     [{"row_id": i, "text": fold(f"{email or ''} {subject or ''}")}
                      for i, email, subject in rows])
        last = rows[-1][0]


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('search_text')
