"""User names in lower case, without surrounding spaces (matched so at sign-in)

Sign-in matches a user name without case and surrounding spaces, so two accounts whose
names differ only so ("Lan" and "lan") would be one name. If the database holds such a pair
the upgrade stops, naming them: rename or deactivate one (`flask users …` or the Users
page) and upgrade again (README, Security). Otherwise every name is stored trimmed and in
lower case (it is already for names created through the form).

Revision ID: 9a3d5c7e1f02
Revises: 5e1f0a7c9b21
Create Date: 2026-11-29 23:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9a3d5c7e1f02'
down_revision = '5e1f0a7c9b21'
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("username", sa.String))
    rows = conn.execute(sa.select(users.c.id, users.c.username)).all()
    seen: dict[str, str] = {}
    clashes = []
    for _id, name in rows:
        key = (name or "").strip().lower()
        if key in seen:
            clashes.append(f"{seen[key]!r} and {name!r}")
        seen.setdefault(key, name)
    if clashes:
        raise RuntimeError(
            "User names that differ only by case or spaces cannot both sign in: "
            + "; ".join(clashes) + ". Rename one of each pair, then upgrade again.")
    for user_id, name in rows:
        key = (name or "").strip().lower()
        if key != name:
            conn.execute(users.update().where(users.c.id == user_id).values(username=key))


def downgrade():
    pass  # names stay in lower case
