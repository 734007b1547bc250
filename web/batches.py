"""A previewed import (registry rows, a payment statement) belongs to the user who uploaded
it: another user's token, or one already purged, is a 404."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from extensions import db


def own_batch(model, token: str):
    """The row of `model` (a batch with ``token`` and ``user_id`` columns) whose token is
    `token` and which the signed-in user uploaded; aborts with 404 otherwise."""
    batch = db.session.scalar(select(model).where(model.token == token))
    if batch is None or batch.user_id != current_user.id:
        abort(404)
    return batch
