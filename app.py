"""Application factory. Nothing happens at import time: `create_app()` builds everything."""

from __future__ import annotations

import gc
import os
import sys
from datetime import date
from pathlib import Path

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import configure_mappers
from werkzeug.middleware.proxy_fix import ProxyFix

import auth.models  # noqa: F401  (the models register their tables on the metadata)
import catalogue.models  # noqa: F401
import core.models  # noqa: F401
import deadlines.models  # noqa: F401
import inspections.models  # noqa: F401
import registry.models  # noqa: F401
from admin.views import bp as admin_bp
from auth.login import init_login
from auth.views import bp as auth_bp
from cases import deadlines as case_deadlines
from cases import tallies as case_tallies
from cases.integrity import check_documents as check_case_documents
from cases.views import bp as cases_bp
from catalogue.views import bp as catalogue_bp
from cli import register as register_cli
from core import cache as figures_cache
from core import generation as data_generation
from core import input as request_input
from core.audit import register_document_check
from core.clock import Clock, PinnedDateClock
from core.i18n import install_request_domain, select_locale, select_timezone
from core.keys import MissingKey, resolve_key
from core.signals import deadlines_outdated
from deadlines import owners as deadline_owners
from extensions import babel, csrf, db, limiter, login_manager, migrate
from inspections import deadlines as inspection_deadlines
from inspections.integrity import check_documents as check_campaign_documents
from inspections.views import bp as inspections_bp
from legal.calendar import load_package_rules
from registry import deadlines as registry_deadlines
from registry.report import check_reports
from registry.views import bp as registry_bp
from web import init_web
from web.verify import bp as verify_bp

BASE_DIR = Path(__file__).resolve().parent


class DefaultConfig:
    # No default: SECRET_KEY from the environment, instance/config.py or instance/secret_key
    # (see core.keys); outside the demo the application refuses to start without one.
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # set in create_app from DATABASE_URL or instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # A file is refused over 20 MB by its form (core.forms.upload_limit: a message, what was
    # typed kept); a request over 40 MB is refused before it is read (413).
    MAX_CONTENT_LENGTH = 40 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    RATELIMIT_STORAGE_URI = "memory://"  # redis://127.0.0.1:6379 with several processes
    RATELIMIT_HEADERS_ENABLED = True  # a refused sign-in says when to try again
    # Failed sign-ins allowed per user name and per address.
    LOGIN_LIMIT_PER_USER = "5 per 15 minutes"  # one user name from one address
    LOGIN_LIMIT_PER_ADDRESS = "20 per 15 minutes"  # any user names from one address
    LOGIN_LIMIT_PER_NAME = "20 per 15 minutes"  # one user name from any addresses
    PASSWORD_CHANGE_LIMIT = "5 per 15 minutes"  # wrong current passwords, per account
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_COUNT = 0
    # The agency (printed on documents).
    # Header of the documents: the Inspectorate under its Department (decisions of the
    # Chief Inspector); an administrator changes it on the agency settings page.
    AGENCY_PARENT = "SỞ TT&TT TỈNH BẮC GIANG"
    AGENCY_NAME = "THANH TRA SỞ"
    AGENCY_SHORT = "STTTT"
    AGENCY_FULL_NAME = "Sở Thông tin và Truyền thông tỉnh Bắc Giang"
    # the Department's own header, on its letters and reports (the Inspectorate signs them
    # "TL. GIÁM ĐỐC"): docs/legal/documents.md#department-documents
    DEPARTMENT_PARENT = "UBND TỈNH BẮC GIANG"
    DEPARTMENT_NAME = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    AGENCY_UNIT = "Thanh tra Sở Thông tin và Truyền thông tỉnh Bắc Giang"
    AGENCY_PLACE = "Bắc Giang"
    AGENCY_HEAD_TITLE = "Chánh Thanh tra Sở"
    DECISION_SYMBOL = "QĐ-XPVPHC"
    LETTER_SYMBOL = "STTTT-TTra"
    # Where the fine is paid (Điều 3 of the decision) and the body that collects it.
    TREASURY_ACCOUNT = "Kho bạc Nhà nước tỉnh Bắc Giang"
    TREASURY_BODY = "Kho bạc Nhà nước tỉnh Bắc Giang"
    # Mail: SMTP when MAIL_SERVER is set, otherwise a file spool in instance/mail-spool.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_TIMEOUT = 30
    MAIL_DEFAULT_SENDER = "Thanh tra Sở TT&TT <thanhtra@stttt.example.gov.vn>"
    MAIL_MAX_ATTEMPTS = 5
    MAIL_SENDING_TIMEOUT = 900  # seconds in "sending" before a row is reclaimed (a crash)
    BASE_URL = "http://127.0.0.1:5000"
    APP_TODAY = None  # "2014-11-12" pins the clock's date (demo)
    SCHEDULER_ENABLED = False  # only `flask scheduler run` turns it on
    # Web captures (docs/evidence.md): the system Chromium (None: found on the PATH), the
    # limits per page, and — for the tests' loopback site only — loopback addresses allowed.
    CHROMIUM = None
    EVIDENCE_CAPTURE_SECONDS = 30
    EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
    EVIDENCE_ALLOW_PRIVATE = False
    REACHABILITY_TIMEOUT = 10  # seconds per request of the registry check
    REACHABILITY_WORKERS = 8  # sites checked at once
    # Digital signatures of issued documents (core.signing; README "Signing documents"): a
    # PKCS#12 file and its password (or a file holding it), or a PKCS#11 token (module,
    # slot, key label, PIN or PIN file); a time-stamp authority; the roots that verification
    # trusts (paths, comma-separated). None: documents are issued unsigned.
    SIGNING_P12 = None
    SIGNING_P12_PASSWORD = None
    SIGNING_P12_PASSWORD_FILE = None
    SIGNING_PKCS11_MODULE = None
    SIGNING_PKCS11_SLOT = None
    SIGNING_PKCS11_KEY_LABEL = None
    SIGNING_PKCS11_TOKEN_LABEL = None
    SIGNING_PKCS11_PIN = None
    SIGNING_PKCS11_PIN_FILE = None
    SIGNING_TSA_URL = None
    SIGNING_TRUST_ROOTS = None
    # The response cache of signed-in pages (web.page_cache; docs/architecture.md): on by
    # default, PAGE_CACHE=0 in the environment turns it off; its bounds per worker process.
    PAGE_CACHE = True
    PAGE_CACHE_ENTRIES = 2000
    PAGE_CACHE_BYTES = 64 * 1024 * 1024


# Environment variables read into the config (strings; ints and booleans converted).
ENV_SETTINGS = (
    "SECRET_KEY", "AUDIT_KEY", "DATABASE_URL", "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS",
    "MAIL_USE_SSL", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "BASE_URL",
    "APP_TODAY", "PAGE_CACHE",
    "RATELIMIT_STORAGE_URI", "PROXY_COUNT", "CHROMIUM", "EVIDENCE_ALLOW_PRIVATE",
    "SIGNING_P12", "SIGNING_P12_PASSWORD", "SIGNING_P12_PASSWORD_FILE", "SIGNING_PKCS11_MODULE",
    "SIGNING_PKCS11_SLOT", "SIGNING_PKCS11_KEY_LABEL", "SIGNING_PKCS11_TOKEN_LABEL",
    "SIGNING_PKCS11_PIN", "SIGNING_PKCS11_PIN_FILE", "SIGNING_TSA_URL", "SIGNING_TRUST_ROOTS",
)


def _from_env(config: dict) -> None:
    for name in ENV_SETTINGS:
        value = os.environ.get(name)
        if value is None or value == "":
            continue
        if name in ("MAIL_PORT", "PROXY_COUNT"):
            value = int(value)
        elif name in ("MAIL_USE_TLS", "MAIL_USE_SSL", "EVIDENCE_ALLOW_PRIVATE", "PAGE_CACHE"):
            value = value.lower() in ("1", "true", "yes", "on")
        config[name] = value


def create_app(config: dict | None = None) -> Flask:
    """Build the application.

    Order of configuration: `DefaultConfig`, then ``instance/config.py`` if present, then
    environment variables (``SECRET_KEY``, ``DATABASE_URL``, ``MAIL_*``, ``BASE_URL``,
    ``APP_TODAY``), then the `config` mapping (tests).
    """
    instance = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = Flask(__name__, instance_path=str(instance or BASE_DIR / "instance"),
                instance_relative_config=True)
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    _from_env(app.config)
    if config:
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    _init_secret_key(app)
    url = app.config.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = f"sqlite:///{Path(app.instance_path) / 'app.sqlite'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}

    if str(app.config.get("BASE_URL", "")).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if int(app.config.get("PROXY_COUNT") or 0):
        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    # parameters without control characters, URL segments without them, ids within BIGINT
    request_input.install(app)
    _init_clock(app)
    _init_extensions(app)
    figures_cache.install()  # the dashboard's department figures, dropped on every commit
    case_tallies.install()  # the case counts those figures read, kept on every flush
    _register_blueprints(app)
    _wire_layers()
    # every model is imported by now: the mappers' relationships are resolved here, once
    # per process, and not by the first query of the first request or job (a quarter of a
    # second; a scheduler starting after an outage plans its catch-up at once)
    configure_mappers()
    load_package_rules()  # the holiday rules, also read at once by a catch-up (65 ms)
    register_cli(app)
    init_web(app)
    if not app.testing:
        _freeze_startup_objects()
    return app


def _freeze_startup_objects() -> None:
    """Move every object alive after start (modules, classes, mappers, templates, the
    holiday rules: about 300 000) out of the cyclic garbage collector's reach
    (`gc.freeze`), after one collection of what start left behind. They live as long as
    the process; without this every full collection walks them all again — a tenth of a
    second each, several times in a catch-up that allocates tens of thousands of rows
    (BENCHMARKS.md, "Reminder catch-up"). Not under TESTING: a test process builds many
    applications, and what one test leaves must stay collectable."""
    gc.collect()
    gc.freeze()


def is_demo(app: Flask) -> bool:
    """The demo, training or tests: a pinned date (``APP_TODAY``), debug mode or testing.
    Anything else is production, where keys are never invented."""
    return bool(app.config.get("APP_TODAY") or app.debug or app.testing)


def _init_secret_key(app: Flask) -> None:
    """SECRET_KEY and AUDIT_KEY (the audit trail's HMAC key, core.audit) from the setting or
    ``instance/secret_key`` / ``instance/audit_key``; in the demo a missing one is generated
    into that file. Outside the demo a missing or weak key stops the start with
    `core.keys.MissingKey` (a one-line message saying how to make one)."""
    try:
        for name in ("SECRET_KEY", "AUDIT_KEY"):
            app.config[name] = resolve_key(name, app.config.get(name),
                                           Path(app.instance_path), demo=is_demo(app))
    except MissingKey as refused:
        print(refused, file=sys.stderr)
        raise


def _init_clock(app: Flask) -> None:
    clock = app.config.get("CLOCK")
    if clock is None:
        pinned = app.config.get("APP_TODAY")
        if pinned:
            clock = PinnedDateClock(date.fromisoformat(str(pinned)))
        else:
            clock = Clock()
    app.extensions["clock"] = clock


def _init_extensions(app: Flask) -> None:

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    init_login()
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=str(BASE_DIR / "translations"))
    install_request_domain(app)
    limiter.init_app(app)
    _warn_about_limits_per_process(app)
    with app.app_context():
        data_generation.install(db.engine)  # raised with every write (web.page_cache)
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
            event.listen(db.engine, "begin", _sqlite_begin)


def worker_processes(argv: list[str] | None = None, environ=None) -> int:
    """How many web worker processes this start asks for: gunicorn's ``-w N`` /
    ``--workers N`` (on its command line or in GUNICORN_CMD_ARGS) or WEB_CONCURRENCY;
    1 when none says."""
    environ = os.environ if environ is None else environ
    words = list(sys.argv if argv is None else argv)
    words += (environ.get("GUNICORN_CMD_ARGS") or "").split()
    count = 1
    for i, word in enumerate(words):
        value = None
        if word in ("-w", "--workers") and i + 1 < len(words):
            value = words[i + 1]
        elif word.startswith("--workers="):
            value = word.split("=", 1)[1]
        elif word.startswith("-w") and word[2:].isdigit():
            value = word[2:]
        if value and value.isdigit():
            count = max(count, int(value))
    concurrency = environ.get("WEB_CONCURRENCY", "")
    return max(count, int(concurrency)) if concurrency.isdigit() else count


def _warn_about_limits_per_process(app: Flask) -> None:
    """Sign-in limits kept in memory are counted by each process alone: with several
    workers an attacker gets the limit once per worker. Say so at start (log and stderr)."""
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    workers = worker_processes()
    if storage.startswith("memory://") and workers > 1:
        message = (f"Warning: {workers} worker processes count sign-in failures in memory, "
                   f"each on its own (the limits multiply by {workers}); set "
                   f"RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 to share them.")
        app.logger.warning(message)
        print(message, file=sys.stderr)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL (readers never wait for the writer), foreign keys, a busy timeout, and
    transactions started by us (see `_sqlite_begin`) rather than by the driver."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Write transactions take SQLite's write lock at BEGIN (BEGIN IMMEDIATE), so a writer
    waits for another instead of failing with "database is locked" when it upgrades a read
    snapshot that went stale. Reading requests (GET, HEAD) begin deferred and never wait."""
    reading = has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(auth_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(registry_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(inspections_bp)
    app.register_blueprint(verify_bp)


def _wire_layers() -> None:
    """Connect what a lower layer may not import: the owners of deadlines the planner
    reminds for (a case's inspector first, then a site's follower, then reports owed), and
    the owners that recompute their deadlines when the calendar or a rule changes; the
    frozen documents `flask audit verify` re-hashes."""
    register_document_check(check_case_documents)
    register_document_check(check_reports)
    register_document_check(check_campaign_documents)
    deadline_owners.register(case_deadlines.OWNER)
    deadline_owners.register(registry_deadlines.SITE_OWNER)
    deadline_owners.register(registry_deadlines.REPORT_OWNER)
    deadline_owners.register(inspection_deadlines.OWNER)
    deadlines_outdated.connect(case_deadlines.recompute_open_cases, weak=False)
