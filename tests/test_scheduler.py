"""Two scheduler processes against the same database: one is active, the other takes over
when it dies, and every planned reminder reaches the SMTP server exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import select

from core.models import Notification
from extensions import db
from tests.helpers import SMTPServer

ROOT = Path(__file__).resolve().parent.parent


def _start(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"], cwd=ROOT,
        env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def _wait(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def _outbox(app):
    with app.app_context():
        return db.session.execute(select(Notification.key, Notification.status)).all()


def test_two_schedulers_one_active_each_reminder_once(app, make_case, tmp_path):
    # on 12/11/2014: 3 working days before 14/11 (inspector), a coordination response due
    # 10/11 two working days overdue (inspector + escalation to both supervisors)
    make_case(state="record_made", record_on=date(2014, 11, 7))
    with app.app_context():
        from auth.models import User
        from cases import operations as ops
        from cases.models import Case

        case = ops.open_case(db.session.get(User, 1), {
            "subject_kind": "organisation", "subject_name": "Công ty TNHH Quảng cáo Hà Bắc",
            "detection_method": "ministry_referral", "detected_on": date(2014, 10, 31),
            "description": "Chuyển từ Bộ."})
        ops.request_coordination(db.session.get(User, 1), db.session.get(Case, case.id), {
            "partner": "police", "partner_name": "Công an tỉnh", "sent_on": date(2014, 11, 3),
            "response_due_on": date(2014, 11, 10), "request_text": "Xác minh."})
        db.session.commit()

    with SMTPServer() as smtp:
        env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
                   INSTANCE_PATH=app.instance_path, APP_TODAY="2014-11-12",
                   MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port),
                   BASE_URL="http://inspect.example", SCHEDULER_PLAN_SECONDS="1",
                   SCHEDULER_SEND_SECONDS="1", SCHEDULER_LEASE_SECONDS="3")
        env.pop("TEST_DATABASE_URL", None)
        first = _start(env, tmp_path / "first.log")
        try:
            assert _wait(lambda: b"lease held" in (tmp_path / "first.log").read_bytes(), 20), \
                (tmp_path / "first.log").read_text()
            second = _start(env, tmp_path / "second.log")
            try:
                assert _wait(lambda: len(smtp.messages) >= 4, 20), smtp.messages
                time.sleep(4)  # several more cycles of both processes
                assert b"lease held" not in (tmp_path / "second.log").read_bytes()
                assert len(smtp.messages) == 4

                # the active scheduler dies; the second takes over and plans a new deadline
                os.killpg(first.pid, signal.SIGKILL)
                first.wait(10)
                make_case(state="record_made", record_on=date(2014, 11, 7),
                          subject_name="Nguyễn Văn Hùng", subject_kind="individual",
                          clause_id="174/2013/NĐ-CP:64.3.a")
                assert _wait(lambda: len(smtp.messages) >= 5, 30), (
                    tmp_path / "second.log").read_text()
                assert b"lease held" in (tmp_path / "second.log").read_bytes()
                time.sleep(3)
            finally:
                os.killpg(second.pid, signal.SIGTERM)
                second.wait(10)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
                first.wait(10)

    keys = Counter(msg["X-Outbox-Key"] for _rcpts, msg in smtp.messages)
    assert len(keys) == 5 and set(keys.values()) == {1}, keys
    outbox = _outbox(app)
    assert {k for k, _s in outbox} == set(keys)
    assert {s for _k, s in outbox} == {"sent"}
