"""Benchmark of the registry import through the web endpoints: a CSV and an XLSX of N rows
(10 000 by default, the size the registry issue names) uploaded, previewed, confirmed, then
uploaded again (every row unchanged). Prints seconds per step, the preview page's size and
the peak RSS.

    python -m bench.bench_import [--rows 10000] [--url postgresql+psycopg://…] [--formats csv]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import resource
import secrets
import tempfile
import time
from datetime import datetime

from openpyxl import Workbook

from core.clock import LOCAL_TZ, FixedClock


def rows(n: int, first: int = 1) -> list[list[str]]:
    return [[f"Trang tin {i}", f"trang{i}.vn", "Trang thông tin điện tử tổng hợp",
             "Đã cấp phép", "Tổ chức", f"Công ty TNHH Truyền thông {i}", "Bắc Giang",
             f"24{i:08d}", f"{i}/GP-STTTT", "Sở TT&TT Bắc Giang", "02/01/2014", "02/01/2019",
             "TP. Bắc Giang", ""] for i in range(first, first + n)]


def as_csv(headers, data) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(data)
    return out.getvalue().encode("utf-8")


def as_xlsx(headers, data) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"  {label:<34} {time.perf_counter() - start:6.2f} s")
    return result


def run(app, n: int, formats: tuple[str, ...] = ("csv", "xlsx")) -> None:
    from auth.models import User
    from auth.passwords import hash_password
    from extensions import db
    from registry.spreadsheet import HEADERS

    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.add(User(username="inspector", role="inspector", full_name="Inspector",
                            email="i@x", password_hash=hash_password("bench-password-1"),
                            active=True, session_version=1,
                            created_at=app.extensions["clock"].now()))
        db.session.commit()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    client.post("/login", data={"username": "inspector", "password": "bench-password-1",
                                "csrf_token": token.group(1) if token else ""})
    # the XLSX holds other domains, so that both first imports add N new sites
    files = {"csv": as_csv(HEADERS, rows(n)), "xlsx": as_xlsx(HEADERS, rows(n, n + 1))}
    for kind, content in files.items():
        if kind not in formats:
            continue
        print(f"{kind.upper()} of {n} rows, {len(content) / 1e6:.1f} MB")
        for attempt in ("first import", "same file again"):
            def upload(content=content, kind=kind):
                return client.post("/sites/import", data={
                    "file": (io.BytesIO(content), f"sites.{kind}")},
                    content_type="multipart/form-data")
            response = timed(f"{attempt}: upload + check", upload)
            assert response.status_code == 302, response.status_code
            page = timed(f"{attempt}: preview page", lambda r=response: client.get(r.location))
            print(f"  {'':<34} ({len(page.data) / 1e6:.1f} MB of HTML)")
            done = timed(f"{attempt}: confirm (one transaction)",
                         lambda r=response: client.post(r.location, data={}))
            assert done.status_code == 302, done.status_code


def main() -> None:
    from app import create_app

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--url", default=None)
    parser.add_argument("--formats", default="csv,xlsx", help="csv, xlsx or both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": args.url or f"sqlite:///{tmp}/b.sqlite",
                          "INSTANCE_PATH": tmp, "SECRET_KEY": secrets.token_hex(32),
                          "AUDIT_KEY": secrets.token_hex(32),
                          "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": False,
                          "CLOCK": FixedClock(datetime(2014, 11, 7, 9, tzinfo=LOCAL_TZ))})
        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
        run(app, args.rows, tuple(args.formats.split(",")))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
