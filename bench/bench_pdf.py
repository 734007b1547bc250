"""Benchmark of decision rendering: 300 three-page decisions in one process; prints the
median and p95 milliseconds per document and per page, the peak RSS and the RSS growth from
render 50 to render 300, and the same for a minimal one-page WeasyPrint document (the floor).

    python -m bench.bench_pdf [--count 300]
"""

from __future__ import annotations

import argparse
import resource
import secrets
import statistics
import tempfile
import time
from datetime import date, datetime
from io import BytesIO

from pypdf import PdfReader
from weasyprint import HTML

from core.clock import LOCAL_TZ, FixedClock


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def snapshot_of_a_three_page_decision(app) -> dict:
    from flask_migrate import upgrade

    from auth.models import User
    from cases import operations as ops
    from catalogue.loader import load_catalogue
    from extensions import db

    upgrade()
    load_catalogue()
    now = app.extensions["clock"].now()
    users = {}
    for name, role in (("inspector", "inspector"), ("supervisor", "supervisor")):
        users[name] = User(username=name, role=role, full_name=name.title(), email=f"{name}@x",
                           title="Chánh Thanh tra Sở", password_hash="!", active=True,
                           session_version=1, created_at=now,
                           competence_title="chief_inspector" if role == "supervisor" else None)
        db.session.add(users[name])
    db.session.flush()
    case = ops.open_case(users["inspector"], {
        "subject_kind": "organisation", "subject_name": "Công ty TNHH Truyền thông Sông Thương",
        "subject_address": "Số 27 đường Trần Phú, thị trấn Nham Biền, huyện Yên Dũng",
        "subject_id_number": "2401178901", "subject_representative": "Vũ Văn Khánh",
        "detection_method": "campaign", "detected_on": date(2014, 11, 3),
        "description": "Thiết lập mạng xã hội không phép."})
    ops.start_verification(users["inspector"], case)
    for n in range(1, 9):
        ops.add_violation(users["inspector"], case, clause_id="174/2013/NĐ-CP:63.3",
                          description=f"Hành vi {n}: thiết lập và vận hành mạng xã hội thứ {n} "
                                      "khi chưa được cấp giấy phép thiết lập mạng xã hội.")
    ops.make_record(users["inspector"], case, number="01/BB", made_on=date(2014, 11, 7),
                    place="Trụ sở Sở")
    # the violator waives the right to explain, so the decision may carry the record's date
    ops.record_explanation(users["inspector"], case, kind="waiver", received_on=date(2014, 11, 7),
                           content="Không yêu cầu giải trình.".encode(), filename="waiver.txt")
    ops.propose_sanction(users["inspector"], case)
    ops.approve_sanction(users["supervisor"], case)
    decision = ops.issue_decision(users["inspector"], case, date(2014, 11, 7))
    db.session.commit()
    pages = len(PdfReader(BytesIO(decision.pdf)).pages)
    return decision.snapshot, pages


def measure(render, count: int) -> dict:
    times, rss_at_50 = [], None
    for i in range(1, count + 1):
        started = time.perf_counter()
        render()
        times.append((time.perf_counter() - started) * 1000)
        if i == 50:
            rss_at_50 = rss_mb()
    ordered = sorted(times)
    return {"median": statistics.median(times), "p95": ordered[int(0.95 * (len(ordered) - 1))],
            "growth": rss_mb() - (rss_at_50 or rss_mb())}


def main() -> None:
    from app import create_app
    from cases.documents import render_decision

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/b.sqlite", "INSTANCE_PATH": tmp,
                          "SECRET_KEY": secrets.token_hex(32), "AUDIT_KEY": secrets.token_hex(32),
                          "CLOCK": FixedClock(datetime(2014, 11, 7, 9, tzinfo=LOCAL_TZ))})
        with app.app_context(), app.test_request_context():
            snapshot, pages = snapshot_of_a_three_page_decision(app)
            floor = measure(lambda: HTML(string="<p>Quyết định</p>").write_pdf(), count)
            ours = measure(lambda: render_decision(snapshot), count)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} renders; decision of {pages} pages; floor: a one-page minimal document")
    print(f"  floor:    median {floor['median']:7.1f} ms, p95 {floor['p95']:7.1f} ms per page")
    print(f"  decision: median {ours['median']:7.1f} ms, p95 {ours['p95']:7.1f} ms per document"
          f" = {ours['median'] / pages:.1f} ms per page "
          f"({ours['median'] / pages / floor['median']:.2f} × the floor)")
    print(f"  RSS growth render 50 → {count}: floor {floor['growth']:.1f} MB, "
          f"decision {ours['growth']:.1f} MB; peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
