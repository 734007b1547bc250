"""Pages of users and sign-in: signing in and out, the language, one's own settings and
calendar feed, the administration of users. Each module adds its routes to `bp`."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from auth.views import settings, sign_in, users  # noqa: E402,F401  (routes on bp)
