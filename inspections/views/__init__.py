"""Campaign pages. Each module adds its routes to `bp`."""

from flask import Blueprint

bp = Blueprint("inspections", __name__, url_prefix="/inspections")

from inspections.views import pages  # noqa: E402,F401  (routes on bp)
