"""Where each page's time goes, in process, one request at a time: the pages of
`make bench-load` (and a few more) requested through Flask's test client as the signed-in
supervisor, with the SQL queries counted and timed, and a pyinstrument profile whose samples
are put in one bucket each — SQL (the driver and the database), ORM (SQLAlchemy building
statements and loading rows), template (Jinja), forms (WTForms), session and login
(Flask-Login, the session cookie, the user loader, the response cache's key and
lookup), translation (Babel, gettext) or other
(Flask, Werkzeug, our views) — by the innermost frame that names a bucket, so a query run
from a template counts as SQL and a message translated in a template as translation.

The same pages are measured twice: rendered by their views (PAGE_CACHE off), then — the
pages of the load benchmark — answered from the response cache (`web.page_cache`).

    python -m bench.profile_pages [--url postgresql+psycopg://…] [--cases 10000]
                                  [--runs 30] [--reuse]

The database at --url is overwritten unless --reuse says it already holds the benchmark's
data (built by an earlier run). Needs pyinstrument (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from sqlalchemy import event, text

from bench.bench_load import AUDIT_KEY, DEFAULT_URL, PASSWORD, SECRET, TODAY, USER, _csrf, build

# (bucket, path fragments of the frame's file): the first bucket whose fragment is in the
# innermost such frame wins.
BUCKETS = (
    ("SQL", ("/psycopg/", "/psycopg_binary/", "/sqlite3/", "sqlalchemy/engine/",
             "sqlalchemy/dialects/", "sqlalchemy/pool/")),
    ("translation", ("/babel/", "/flask_babel/", "/gettext.py")),
    ("forms", ("/wtforms/", "/flask_wtf/")),
    ("session and login", ("/flask_login/", "/itsdangerous/", "flask/sessions.py",
                           "/auth/login.py", "/web/page_cache.py")),
    ("ORM", ("/sqlalchemy/",)),
    ("template", ("/jinja2/", "/templates/", "<template>", "/markupsafe/")),
)
ORDER = ("SQL", "ORM", "template", "forms", "session and login", "translation", "other")


def bucket_of(stack: list[str]) -> str:
    """The bucket of one sample: `stack` is pyinstrument's frame identifiers, outermost
    first ("function\\x00file\\x00line…")."""
    for frame in reversed(stack):
        path = frame.split("\x00")[1] if "\x00" in frame else frame
        for name, fragments in BUCKETS:
            if any(f in path for f in fragments):
                return name
    return "other"


# the pages of the load benchmark, also measured when the response cache answers them
HIT_PAGES = ("dashboard", "case list, search", "case page (decided)")
RECOMPUTED = "dashboard, figures recomputed"


def pages_of(app) -> dict:
    """The pages to profile: those of the load benchmark and a few more lists."""
    from extensions import db

    decided = db.session.scalar(text("SELECT case_id FROM decisions ORDER BY id LIMIT 1"))
    open_case = db.session.scalar(text(
        "SELECT id FROM cases WHERE state = 'record_made' ORDER BY id DESC LIMIT 1"))
    return {"dashboard": "/cases/dashboard",
            # the department's figures computed again at every request (core.cache dropped
            # first), as after any write or once a minute
            RECOMPUTED: "/cases/dashboard",
            "case list, search": "/cases/?q=cong+ty+bac",
            "case page (decided)": f"/cases/{decided}",
            "case page (record made)": f"/cases/{open_case}",
            "case list": "/cases/", "registry list": "/sites/",
            "decision list": "/cases/decisions/",
            "national-db json": "/cases/decisions/national-db.json"}


def measure(app, pages: dict, runs: int) -> list[dict]:
    """Per page: queries, median and p90 wall time, median SQL time, and the profile's
    share per bucket (ms per request)."""
    from pyinstrument import Profiler

    from core import cache as figures_cache
    from extensions import db

    client = app.test_client()
    token = _csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": USER, "password": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 302:
        raise SystemExit(f"in-process login failed: {response.status_code}")
    sql = {"n": 0, "t": 0.0, "start": 0.0}

    def before(*_args):
        sql["n"] += 1
        sql["start"] = time.perf_counter()

    def after(*_args):
        sql["t"] += time.perf_counter() - sql["start"]

    out = []
    with app.app_context():
        engine = db.engine

    def get(name: str, path: str):
        if name == RECOMPUTED:
            figures_cache.invalidate()
        return client.get(path)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for name, path in pages.items():
            for _i in range(3):  # warm caches (templates, catalogue, statements)
                response = get(name, path)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: not 200")
            if app.config["PAGE_CACHE"] and response.headers.get("X-Page-Cache") != "hit":
                raise SystemExit(f"{path}: not served from the response cache")
            walls, sqls = [], []
            for _i in range(runs):
                sql.update(n=0, t=0.0)
                started = time.perf_counter()
                get(name, path)
                walls.append(time.perf_counter() - started)
                sqls.append(sql["t"])
            queries = sql["n"]
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _i in range(runs):
                get(name, path)
            session = profiler.stop()
            shares = dict.fromkeys(ORDER, 0.0)
            for stack, seconds in session.frame_records:
                shares[bucket_of(stack)] += seconds
            total = sum(shares.values()) or 1.0
            median = statistics.median(walls)
            out.append({"page": name, "path": path, "queries": queries,
                        "median_ms": median * 1000,
                        "p90_ms": sorted(walls)[int(len(walls) * 0.9) - 1] * 1000,
                        "sql_ms": statistics.median(sqls) * 1000,
                        "buckets": {k: v / total * median * 1000 for k, v in shares.items()}})
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help="a database to overwrite")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30, help="requests per page")
    parser.add_argument("--reuse", action="store_true",
                        help="the database already holds the benchmark's data")
    parser.add_argument("--page", action="append", help="only these pages (by name)")
    args = parser.parse_args()

    from app import create_app
    from core.clock import PinnedDateClock

    app = create_app({"DATABASE_URL": args.url, "INSTANCE_PATH": tempfile.mkdtemp(),
                      "SECRET_KEY": SECRET, "AUDIT_KEY": AUDIT_KEY,
                      "CLOCK": PinnedDateClock(TODAY)})
    with app.app_context():
        from extensions import db

        if not args.reuse:
            build(app, args.cases)
        n = db.session.scalar(text("SELECT count(*) FROM cases"))
        pages = pages_of(app)
        db.session.remove()
    if args.page:
        pages = {k: v for k, v in pages.items() if k in args.page}
    app.config["PAGE_CACHE"] = False  # each page rendered by its view
    results = measure(app, pages, args.runs)
    # then the load benchmark's pages answered from the response cache (web.page_cache)
    app.config["PAGE_CACHE"] = True
    hits = {f"{name}, cache hit": path for name, path in pages.items() if name in HIT_PAGES}
    results += measure(app, hits, args.runs)
    print(f"{args.url.split(':', 1)[0]}: {n} cases, {args.runs} requests per page, as {USER}; "
          "ms per request")
    head = "".join(f"{k[:9]:>10}" for k in ORDER)
    print(f"  {'page':<36}{'queries':>8}{'median':>8}{'p90':>8}{'SQL*':>8} |{head}")
    for r in results:
        cells = "".join(f"{r['buckets'][k]:10.1f}" for k in ORDER)
        print(f"  {r['page']:<36}{r['queries']:8d}{r['median_ms']:8.1f}{r['p90_ms']:8.1f}"
              f"{r['sql_ms']:8.1f} |{cells}")
    print("  SQL*: time inside cursor.execute, timed by SQLAlchemy's events; the buckets "
          "share the median by the profile's samples.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
