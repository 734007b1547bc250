"""Case pages. Views parse forms, call one operation, commit once, and redirect."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from cases.views import (  # noqa: E402,F401
    actions,
    captures,
    dashboard,
    decisions,
    documents,
    enforcement,
    pages,
    statement,
    statistics,
)
