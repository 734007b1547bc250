"""Benchmark of the reminder planner: N cases with open deadlines; prints the time and the
number of SQL queries per planning cycle (the first one plans, the next ones find nothing
new), for two database sizes so the query count can be compared.

    python -m bench.bench_reminders [--cases 100000] [--url postgresql+psycopg://…]

The database is built in this process; the cycles run in a new one (a cold process, as a
scheduler starting after an outage: nothing loaded, the mappers not configured, the working
calendar not read). Each cycle prints its wall time, the process's CPU time and, on a
PostgreSQL server on this machine, the CPU time of the connection's server process (read
from /proc): on a shared machine the CPU times say what the cycle costs, the wall time
what it waited.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

from sqlalchemy import event, insert, text

from core.clock import LOCAL_TZ, FixedClock

TODAY = date(2014, 11, 12)


def build(app, n_cases: int) -> None:
    from flask_migrate import upgrade

    from auth.models import User
    from cases.models import Case
    from cases.tallies import recount
    from catalogue.loader import load_catalogue
    from deadlines.models import Deadline
    from extensions import db

    upgrade()
    load_catalogue()
    now = app.extensions["clock"].now()
    users = [{"username": f"u{i}", "full_name": f"Thanh tra {i}", "email": f"u{i}@x.example",
              "role": "supervisor" if i < 2 else "inspector", "password_hash": "!",
              "active": True, "session_version": 1, "created_at": now, "title": "",
              "reminder_mode": "single", "reminder_offsets": [3, 1]} for i in range(22)]
    db.session.execute(insert(User), users)
    rng = random.Random(2014)
    batch = 5000
    for start in range(0, n_cases, batch):
        cases, deadlines = [], []
        for i in range(start, min(start + batch, n_cases)):
            cases.append({"id": i + 1, "code": f"VV-2014-{i + 1:06d}", "subject_kind":
                          "organisation", "subject_name": f"Công ty {i}",
                          "detection_method": "monitoring", "detected_on": TODAY,
                          "description": "x", "state": "record_made",
                          "inspector_id": 3 + i % 20, "created_at": now, "updated_at": now,
                          "version": 1, "search_text": ""})
            for key, offset in (("decision", rng.randint(-10, 120)),
                                ("sanction_limitation", rng.randint(30, 365))):
                deadlines.append({"case_id": i + 1, "scope": f"case:{i + 1}", "key": key,
                                  "rule_code": key,
                                  "due_on": TODAY + timedelta(days=offset), "legal_basis": "x",
                                  "regime": "2012", "verified": True, "inputs": {},
                                  "state": "open", "created_at": now, "updated_at": now})
        db.session.execute(insert(Case), cases)
        db.session.execute(insert(Deadline), deadlines)
    recount()  # the kept case counts: the bulk inserts bypassed the unit of work
    db.session.commit()


def _server_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) of the PostgreSQL server process `pid`, when it runs on
    this machine and /proc can be read; else None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(app, cycles: int = 3) -> list[dict]:
    """Run `cycles` planning cycles (plan_reminders and its commit); per cycle: wall and
    process CPU seconds, the server process's CPU seconds (or None), queries, e-mails."""
    from deadlines.planner import plan_reminders
    from extensions import db

    queries = {"n": 0}

    def count(*_args):
        queries["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    results = []
    try:
        for _ in range(cycles):
            pid = None
            if db.engine.dialect.name == "postgresql":
                pid = db.session.scalar(text("SELECT pg_backend_pid()"))
            queries["n"] = 0
            server = _server_cpu(pid)
            started, cpu = time.perf_counter(), time.process_time()
            queued = plan_reminders()
            db.session.commit()
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            after = _server_cpu(pid)
            results.append({"wall": wall, "cpu": cpu, "queries": queries["n"],
                            "queued": queued,
                            "server": None if server is None or after is None
                            else after - server})
            db.session.remove()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return results


def _app(db_url: str, tmp: str):
    from app import create_app

    return create_app({"DATABASE_URL": db_url, "INSTANCE_PATH": tmp,
                       "SECRET_KEY": secrets.token_hex(32), "AUDIT_KEY": secrets.token_hex(32),
                       "CLOCK": FixedClock(datetime(2014, 11, 12, 7, 0, tzinfo=LOCAL_TZ))})


def run(n_cases: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = url or f"sqlite:///{tmp}/bench.sqlite"
        app = _app(db_url, tmp)
        with app.app_context():
            from extensions import db

            if url:
                db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
                db.session.commit()
            started = time.perf_counter()
            build(app, n_cases)
            built = time.perf_counter() - started
            print(f"{db.engine.dialect.name}: {n_cases} cases, {2 * n_cases} open deadlines "
                  f"(built in {built:.1f} s)", flush=True)
            db.session.remove()
            db.engine.dispose()
        # the cycles in a new process: nothing of the build is loaded or cached there
        subprocess.run([sys.executable, "-m", "bench.bench_reminders", "--measure", db_url,
                        "--instance", tmp], check=True)


def _measure_cold(db_url: str, tmp: str) -> None:
    app = _app(db_url, tmp)
    with app.app_context():
        from extensions import db

        for i, r in enumerate(measure(app), 1):
            server = "" if r["server"] is None else f", server CPU {r['server'] * 1000:6.0f} ms"
            print(f"  cycle {i}: {r['wall'] * 1000:8.0f} ms (CPU {r['cpu'] * 1000:6.0f} ms"
                  f"{server}), {r['queries']:3d} queries, {r['queued']:6d} e-mails planned; "
                  f"load average {os.getloadavg()[0]:.1f}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--url", default=None, help="a PostgreSQL database to overwrite")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the cold process `run` starts
        _measure_cold(args.measure, args.instance)
        return
    for n in sorted({max(args.cases // 10, 1), args.cases}):
        run(n, args.url)


if __name__ == "__main__":
    main()
