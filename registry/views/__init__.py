"""Registry pages: the sites, their import and export, and the reports to the Ministry.
Each module adds its routes to `bp`."""

from flask import Blueprint

bp = Blueprint("registry", __name__, url_prefix="/sites")

from registry.views import captures, reports, sites  # noqa: E402,F401  (routes on bp)
