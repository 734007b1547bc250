"""Catalogue pages: everyone reads the law the product applies (every provision with its
versions, status and source, the deadline rules, competence limits and the calendar); an
administrator corrects and verifies it and maintains the calendar's overrides."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__, url_prefix="/legal")

from catalogue.views import clauses, enforcement, pages  # noqa: E402,F401
