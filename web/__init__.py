"""Web plumbing shared by every blueprint: template filters and globals, error pages,
security headers, request ids, the home page (the web layer, above the features)."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import date, datetime

from flask import (
    Flask,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.logging import default_handler
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from auth.permissions import has_permission
from catalogue.engine import deadline_rules
from core.agency import district_names
from core.clock import clock, to_local
from core.enums import all_choices, label_of
from core.errors import TamperedDocument
from core.forms import render_field
from core.labels import action_label
from extensions import db
from legal.catalogue import Field, Status
from legal.dates import format_date_vn
from legal.deadlines import Period, shown_basis
from legal.money import format_vnd
from registry.domains import display_domain
from web import page_cache
from web.pages import init_pages, redirect_post_only

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _fmt_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return format_date_vn(value) if isinstance(value, date) else str(value)


def _fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = to_local(value)
    return f"{format_date_vn(local.date())} {local:%H:%M}"


def _fmt_vnd(value: int | None) -> str:
    return "" if value is None else f"{format_vnd(value)} đ"


def _period_unit(kind: str) -> str:
    return {Period.days: _("calendar days"), Period.working_days: _("working days"),
            Period.months: _("months"), Period.years: _("years")}.get(kind, kind)


def _period_label(kind: str, amount) -> str:
    if kind == Period.next_of:
        return _("before %(days)s", days=", ".join(f"{md[3:]}/{md[:2]}" for md in amount))
    if kind == Period.given:
        return _("the date written on the document (letter, licence or request)")
    return f"{amount} {_period_unit(kind)}"


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def _init_logging(app: Flask) -> None:
    default_handler.addFilter(RequestIdFilter())
    default_handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))


def init_web(app: Flask) -> None:
    _init_logging(app)
    init_pages(app)

    app.add_template_filter(_fmt_date, "vndate")
    app.add_template_filter(_fmt_datetime, "vndatetime")
    app.add_template_filter(_fmt_vnd, "vnd")
    app.add_template_filter(display_domain, "domain")
    app.add_template_global(label_of, "label")
    app.add_template_global(action_label, "action_label")
    app.add_template_global(shown_basis, "shown_basis")
    app.add_template_global(render_field, "field")  # also exported by templates/_macros.html
    # Every closed set by its class name, so templates compare with CaseState.approved and
    # never with a bare string (the models are imported by then: create_app registered them).
    for cls in (*all_choices(), Status, Field):
        app.add_template_global(cls, cls.__name__)
    app.add_template_global(_period_label, "period_label")
    app.add_template_global(_period_unit, "period_unit")
    app.add_template_global(district_names, "district_names")

    @app.context_processor
    def _globals():
        return {
            "can": lambda action: has_permission(current_user, action),
            "today": clock().today(),
            "pinned_date": clock().pinned,
            "lang": str(get_locale() or "vi"),
        }

    @app.before_request
    def _request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex[:16]

    @app.before_request
    def _fresh_user():
        # The signed-in user is loaded per request, even when an application context is
        # shared between requests (tests, CLI-driven requests).
        g.pop("_login_user", None)

    # after the two hooks above, before the views; its after-request hook runs after the
    # security headers' (registered below), on the final page
    page_cache.install(app)

    @app.route("/")
    def index():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return redirect(url_for("cases.dashboard"))

    @app.route("/help")
    def help_page():
        """The user guide (Vietnamese or English by the page's language), open to anyone:
        the lifecycle, who does what, the deadlines in force today (from the rules as
        stored, `catalogue.engine.deadline_rules`), hints for the signed-in user's role."""
        today = clock().today()
        rules = [(rule, text) for rule in deadline_rules().values()
                 for text in rule.texts if text.in_force_on(today)]
        return render_template("help.html", rules=rules, today=today)

    @app.route("/healthz")
    def healthz():
        db.session.execute(select(1))
        return {"status": "ok"}

    def _from_our_pages() -> bool:
        # Origin (sent by browsers with every POST) or, without it, Referer must name this
        # very host; a request carrying neither is not taken as coming from our pages.
        origin = request.headers.get("Origin")
        if origin is not None:
            return origin.rstrip("/") + "/" == request.host_url
        referrer = request.referrer
        return referrer is not None and referrer.startswith(request.host_url)

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        # The page offers to send again what the user typed, with a fresh token (files
        # cannot be carried over and must be chosen again) — only to the signed-in user
        # whose own session came with the request, from one of our pages (its Origin, or
        # Referer, names this host). A POST without
        # that session (a form auto-posted by another site: SameSite=Lax sends no cookie)
        # gets the page without the form, and the response sets no cookie: the victim's
        # session is never replaced and no fresh token is handed to the attacker's fields.
        secret = ("csrf_token", "password", "current", "new", "confirm")
        own = current_user.is_authenticated and bool(request.cookies.get(
            app.config.get("SESSION_COOKIE_NAME", "session")))
        same_site = _from_our_pages()
        fields = [(k, v) for k, v in request.form.items(multi=True) if k not in secret]
        offer = own and same_site
        page = render_template("errors/csrf.html", reason=error.description,
                               fields=fields if offer else [],
                               action=request.path if offer else None,
                               had_files=bool(request.files))
        if not own:
            session.modified = False  # the token the page drew must not become a cookie
        return page, 400

    @app.errorhandler(TamperedDocument)
    def _tampered(error: TamperedDocument):
        return render_template("errors/http.html", error=error, message=_(
            "This document no longer matches the fingerprint (SHA-256) recorded when it was "
            "frozen: it is not served. The mismatch is logged; an administrator checks the "
            "stored documents with flask audit verify.")), 500

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if request.path.startswith("/static/"):
            return error
        moved = redirect_post_only(error)
        if moved is not None:
            return moved
        return render_template("errors/http.html", error=error), error.code

    @app.errorhandler(Exception)
    def _server_error(error: Exception):
        if app.testing:
            raise error
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_template("errors/http.html", error=None,
                               message=_("An unexpected error occurred. Nothing was saved.")), 500

    @app.after_request
    def _security_headers(response):
        response.headers["X-Request-ID"] = g.get("request_id", "-")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        return response
