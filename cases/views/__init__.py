"""Case pages. Views parse forms, call one operation, commit once, and redirect."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from cases.views import actions, dashboard, decisions, documents, pages  # noqa: E402,F401
