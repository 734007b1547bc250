"""Load benchmark: gunicorn with 2 workers on PostgreSQL holding 10 000 cases, and wrk on
loopback for 60 s on the dashboard, the case list with a search and a case page, as a
logged-in user (the supervisor, whose dashboard covers the whole department), twice: cold
(PAGE_CACHE=0, every page rendered by its view) and warm (the response cache on, as
deployed: web.page_cache). Prints requests per second, p50/p95/p99 latency and errors,
and in the same run the same figures for a minimal Flask route served the same way (the
floor). Before the load it prints the SQL
queries each page runs, with a search matching a few rows and one matching many, so a list
whose query count grows with its rows shows up.

    python -m bench.bench_load [--url postgresql+psycopg://…] [--cases 10000]
                               [--duration 60] [--connections 4] [--per-page 10]

Needs wrk (Debian: apt-get install wrk). The database at --url is overwritten.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import event, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_load"
TODAY = date(2014, 11, 12)
SECRET = secrets.token_hex(32)
AUDIT_KEY = secrets.token_hex(32)
USER, PASSWORD = "supervisor", "demo-2014"
AGENT = "bench-load"  # the User-Agent of every request, the sign-in's and wrk's
CLAUSES = ("174/2013/NĐ-CP:63.3", "174/2013/NĐ-CP:64.3.a")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN = ("Văn An", "Thị Bình", "Đức Cường", "Thị Dung", "Quốc Hùng", "Thu Hà", "Minh Khôi")
PLACES = ("Bắc Giang", "Yên Dũng", "Lạng Giang", "Lục Nam", "Hiệp Hòa", "Việt Yên", "Tân Yên")
TRADES = ("Truyền thông", "Thương mại", "Công nghệ", "Dịch vụ số", "Quảng cáo", "Giải trí")
STATES = (("detected", 20), ("verifying", 15), ("record_made", 15), ("sanction_proposed", 5),
          ("closed", 35), ("dismissed", 10))

WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  cookie = args[1]
  paths = {}
  for i = 2, #args do paths[#paths + 1] = args[i] end
  n = 0
  bad = 0
end
function request()
  n = n + 1
  local headers = {}
  headers["User-Agent"] = "bench-load"  -- as at the sign-in (AGENT)
  if cookie ~= "-" then headers["Cookie"] = cookie end
  return wrk.format("GET", paths[(n - 1) % #paths + 1], headers)
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local not_ok = 0
  for _, t in ipairs(threads) do not_ok = not_ok + t:get("bad") end
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests": %d, "duration_us": %d, "p50": %d, ' ..
    '"p95": %d, "p99": %d, "max": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "not_ok": %d}\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, not_ok))
end
"""


# ---- the database ---------------------------------------------------------------------------
def build(app, n_cases: int) -> dict:
    """Schema, catalogue and the demo province, then generated cases up to `n_cases` with
    their deadlines and violations. Returns the pages to load and, to compare query counts
    with, the case list searched for one case."""
    from flask_migrate import upgrade

    from auth.models import User
    from cases.models import Case, Violation
    from cases.tallies import recount
    from catalogue.loader import load_catalogue
    from deadlines.models import Deadline
    from demo import load_demo
    from extensions import db
    from legal.text import fold
    from registry.models import Site

    db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.session.commit()
    upgrade()
    load_catalogue()
    load_demo()
    now = app.extensions["clock"].now()
    db.session.execute(insert(User), [
        {"username": f"tt{i}", "full_name": f"{FAMILY[i]} {GIVEN[i % len(GIVEN)]}",
         "email": f"tt{i}@stttt.example", "role": "inspector", "password_hash": "!",
         "active": True, "session_version": 1, "created_at": now, "title": "Thanh tra viên",
         "reminder_mode": "single", "reminder_offsets": [3, 1]} for i in range(9)])
    inspectors = db.session.scalars(select(User.id).where(User.role == "inspector")).all()
    sites = db.session.execute(select(Site.id, Site.name, Site.domain)).all()
    start_id = db.session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0
    existing = db.session.scalar(text("SELECT count(*) FROM cases"))
    rng = random.Random(2014)
    states = [s for s, weight in STATES for _i in range(weight)]
    batch = 2000
    for first in range(existing, n_cases, batch):
        cases, deadlines, violations = [], [], []
        for i in range(first, min(first + batch, n_cases)):
            case_id = start_id + i - existing + 1
            state = rng.choice(states)
            site = rng.choice(sites) if rng.random() < 0.3 else None
            if rng.random() < 0.5:
                kind = "organisation"
                name = f"Công ty TNHH {rng.choice(TRADES)} {rng.choice(PLACES)} {i}"
            else:
                kind = "individual"
                name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
            detected = TODAY - timedelta(days=rng.randint(0, 330))
            code = f"VV-{detected.year}-{i + 1:05d}"
            opened = datetime.combine(detected, clock_time(2), UTC) + timedelta(seconds=i % 21_600)
            description = (f"Trang thông tin điện tử tại {rng.choice(PLACES)} cung cấp tin tổng "
                           "hợp không có giấy phép")
            parts = [code, name, description] + ([site.name, site.domain] if site else [])
            cases.append({
                "id": case_id, "code": code, "site_id": site.id if site else None,
                "subject_kind": kind, "subject_name": name,
                "subject_address": f"Xã {rng.choice(PLACES)}, tỉnh Bắc Giang",
                "detection_method": rng.choice(("monitoring", "complaint", "campaign",
                                                "ministry_referral", "police_referral")),
                "detected_on": detected, "description": description, "state": state,
                # opened on the day it was detected, as a clerk would (every case at one
                # instant would make any list by date read all of them to order them)
                "inspector_id": rng.choice(inspectors), "created_at": opened,
                "updated_at": opened,
                "proposed_at": now if state == "sanction_proposed" else None,
                "proposer_id": inspectors[0] if state == "sanction_proposed" else None,
                "closed_on": detected + timedelta(days=30) if state == "closed" else None,
                "version": 1, "search_text": fold(" ".join(parts))})
            if state in ("record_made", "sanction_proposed", "closed"):
                violations.append({
                    "case_id": case_id, "clause_id": rng.choice(CLAUSES),
                    "description": description, "mitigating": 0, "aggravating": 0,
                    "sanction_kind": "fine", "fine_amount": 25_000_000})
            if state in ("detected", "verifying", "record_made", "sanction_proposed"):
                due = [("sanction_limitation", detected + timedelta(days=365))]
                if state in ("record_made", "sanction_proposed"):
                    due.append(("decision", TODAY + timedelta(days=rng.randint(-5, 40))))
                deadlines += [{"case_id": case_id, "scope": f"case:{case_id}", "key": key,
                               "rule_code": key, "due_on": on, "legal_basis": "Điều 66 Luật XLVPHC",
                               "regime": "2012", "verified": True, "inputs": {},
                               "state": "open", "created_at": now, "updated_at": now}
                              for key, on in due]
        db.session.execute(insert(Case), cases)
        db.session.execute(insert(Violation), violations)
        db.session.execute(insert(Deadline), deadlines)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), "
                                "(SELECT max(id) FROM cases))"))
    recount()  # the kept case counts: the bulk inserts bypassed the unit of work
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # as autovacuum would have by now
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    decided = db.session.scalar(text("SELECT case_id FROM decisions ORDER BY id LIMIT 1"))
    last = db.session.scalar(text("SELECT code FROM cases ORDER BY id DESC LIMIT 1"))
    pages = {"dashboard": "/cases/dashboard", "case list, search": "/cases/?q=cong+ty+bac",
             "case page": f"/cases/{decided}"}
    return pages, {"case list, 1 hit": f"/cases/?q={last}"}


def _csrf(html: str) -> str:
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html)
    if not tag:
        raise SystemExit("no CSRF token on the login page")
    return re.search(r'value="([^"]+)"', tag.group(0)).group(1)


def query_counts(app, pages: dict) -> list[tuple[str, int, int]]:
    """(page, queries, bytes) for each page, in process, as the benchmark's user."""
    from extensions import db

    client = app.test_client()
    token = _csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": USER, "password": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 302:
        raise SystemExit(f"in-process login failed: {response.status_code}")
    counted = {"n": 0}

    def count(*_args):
        counted["n"] += 1

    rows = []
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for name, path in pages.items():
            counted["n"] = 0
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            rows.append((name, counted["n"], len(response.data)))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return rows


# ---- the servers and the load -----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(target: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", target], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return proc, base
        except urllib.error.HTTPError:
            return proc, base
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn {target} exited with {proc.returncode}") from None
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"gunicorn {target} did not answer within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def login(base: str, pages: dict) -> str:
    """Sign in over HTTP like a browser; checks every page answers 200 without a redirect.
    Returns the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    # the browser wrk stands for keeps its user agent: Flask-Login's session protection
    # compares it (and the address) with the sign-in's, and marks the session changed if not
    opener.addheaders = [("User-Agent", AGENT)]
    token = _csrf(opener.open(base + "/login").read().decode())
    data = urllib.parse.urlencode({"username": USER, "password": PASSWORD,
                                   "csrf_token": token}).encode()
    opener.open(base + "/login", data)
    for path in pages.values():
        with opener.open(base + path) as response:
            if response.status != 200 or response.geturl() != base + path:
                raise SystemExit(f"{path}: not served to the signed-in user "
                                 f"({response.status} {response.geturl()})")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def cache_hits(base: str, pages: dict, cookie: str) -> int:
    """How many of `pages` the server answers from its response cache now (X-Page-Cache)."""
    hits = 0
    for path in pages.values():
        request = urllib.request.Request(base + path, headers={"Cookie": cookie,
                                                               "User-Agent": AGENT})
        with urllib.request.urlopen(request) as response:
            hits += response.headers.get("X-Page-Cache") == "hit"
    return hits


def wrk(base: str, paths: list[str], cookie: str, seconds: int, connections: int,
        script: Path) -> dict:
    out = subprocess.run(
        ["wrk", "--threads", "1", "--connections", str(connections), "--duration",
         f"{seconds}s", "--timeout", "10s", "--script", str(script), base, "--", cookie or "-",
         *paths], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(figures[k] for k in ("connect", "read", "write", "timeout",
                                                 "not_ok"))
    return figures


def _row(name: str, f: dict) -> str:
    return (f"  {name:<34} {f['rps']:8.1f} {f['p50'] / 1000:8.1f} {f['p95'] / 1000:8.1f} "
            f"{f['p99'] / 1000:8.1f} {f['errors']:7d} {f['requests']:9d}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help="a database to overwrite")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=60, help="seconds of mixed load")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--per-page", type=int, default=10,
                        help="seconds of load on each page alone (0: none)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: sudo apt-get install wrk", file=sys.stderr)
        return 2

    from app import create_app
    from core.clock import PinnedDateClock

    tmp = tempfile.mkdtemp(prefix="bench-load-")
    try:
        app = create_app({"DATABASE_URL": args.url, "INSTANCE_PATH": tmp, "SECRET_KEY": SECRET,
                          "AUDIT_KEY": AUDIT_KEY, "PAGE_CACHE": False,  # the views' queries
                          "CLOCK": PinnedDateClock(TODAY)})
        with app.app_context():
            from extensions import db

            started = time.perf_counter()
            pages, probes = build(app, args.cases)
            n = db.session.scalar(text("SELECT count(*) FROM cases"))
            print(f"{db.engine.dialect.name}: {n} cases (built in "
                  f"{time.perf_counter() - started:.1f} s); user {USER}")
            print("  SQL queries per page (in process):")
            for name, queries, size in query_counts(app, {**pages, **probes}):
                print(f"    {name:<22} {queries:3d} queries, {size / 1024:6.1f} KiB")
            db.session.remove()
            db.engine.dispose()

        env = dict(os.environ, DATABASE_URL=args.url, SECRET_KEY=SECRET, AUDIT_KEY=AUDIT_KEY,
                   INSTANCE_PATH=tmp,
                   APP_TODAY=TODAY.isoformat(), PYTHONPATH=str(ROOT))
        script = Path(tmp) / "load.lua"
        script.write_text(WRK_SCRIPT)
        results = []
        floor_proc, floor_base = start_gunicorn("bench.floor_app:app", env)
        try:
            results.append(("floor: minimal Flask route",
                            wrk(floor_base, ["/"], "", args.duration, args.connections,
                                script)))
        finally:
            stop(floor_proc)
        # cold: every page rendered by its view; warm: the response cache on (the default)
        for label, cache in (("cold, PAGE_CACHE=0", "0"), ("warm, cache on", "1")):
            proc, base = start_gunicorn("app:create_app()", dict(env, PAGE_CACHE=cache))
            try:
                cookie = login(base, pages)
                results.append((f"{label}: {len(pages)} pages mixed",
                                wrk(base, list(pages.values()), cookie, args.duration,
                                    args.connections, script)))
                if args.per_page:
                    for name, path in pages.items():
                        results.append((f"  {name}", wrk(base, [path], cookie,
                                                         args.per_page, args.connections,
                                                         script)))
                hits = cache_hits(base, pages, cookie)
            finally:
                stop(proc)
            if cache == "1" and hits != len(pages):
                print(f"warning: only {hits} of {len(pages)} pages came from the cache after "
                      "the load", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"gunicorn 2 sync workers, wrk 1 thread × {args.connections} connections, "
          f"{args.duration} s mixed, {args.per_page} s per page; machine load (1, 5, 15 min) "
          f"at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} cores")
    print(f"  {'':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
          f"{'requests':>9}")
    for name, figures in results:
        print(_row(name, figures))
    floor = results[0][1]
    cold, warm = (f for name, f in results if "pages mixed" in name)
    print(f"  cold: {cold['rps'] / floor['rps'] * 100:.1f} % of the floor, every page "
          "rendered by its view (the first view of a page, or any after a write)")
    print(f"  warm: {warm['rps'] / floor['rps'] * 100:.1f} % of the floor, the same session "
          "reading the same pages with no write in between (answered from the response "
          "cache, web.page_cache)")
    checks = [
        ("zero errors", all(f["errors"] == 0 for _name, f in results)),
        ("p95 under 100 ms (warm)", warm["p95"] < 100_000),
        (f"throughput ≥ 10 % of the floor (warm: {warm['rps'] / floor['rps'] * 100:.1f} %)",
         warm["rps"] >= 0.1 * floor["rps"]),
    ]
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _name, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
