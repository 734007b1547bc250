"""The reminder scheduler (APScheduler), run in its own process by `flask scheduler run`.

- Only one scheduler is active: `core.lease.Lease` (PostgreSQL advisory lock, SQLite lease
  row); a second process waits and takes over when the first dies.
- Every trigger carries timezone Asia/Ho_Chi_Minh explicitly, whatever the machine's TZ.
- Jobs coalesce, run one instance at a time, and tolerate a misfire that fits them.
- At start, one catch-up sweep plans what is due now (the planner computes from today, so a
  long downtime gives one reminder per deadline, not one per missed period).
- Never under TESTING, never inside web workers (the web app does not start it).

Intervals can be shortened for tests and demos with SCHEDULER_PLAN_SECONDS and
SCHEDULER_SEND_SECONDS (defaults 900 and 60).
"""

from __future__ import annotations

import logging
import os
import signal

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from core.clock import LOCAL_TZ

log = logging.getLogger(__name__)

DIGEST_HOUR, DIGEST_MINUTE = 7, 30


def _run_job(app: Flask, name: str) -> None:
    from cases import reminders
    from core import mail
    from extensions import db

    with app.app_context():
        try:
            if name == "plan":
                from registry.deadlines import ensure_semiannual

                ensure_semiannual()  # the next six-monthly report and its deadline
                queued = reminders.plan_reminders()
                db.session.commit()
                if queued:
                    log.info("planned %d reminders", queued)
            elif name == "digest":
                queued = reminders.plan_digests()
                db.session.commit()
                log.info("queued %d digests", queued)
            counts = mail.send_pending()
            if any(counts.values()):
                log.info("outbox: %s", counts)
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", name)
        finally:
            db.session.remove()


def plan_job(app: Flask) -> None:
    """Plan reminders (then send what is queued)."""
    _run_job(app, "plan")


def send_job(app: Flask) -> None:
    """Send committed outbox rows."""
    _run_job(app, "send")


def digest_job(app: Flask) -> None:
    """Queue and send the daily digests (07:30 local time)."""
    _run_job(app, "digest")


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A scheduler with the planner, the sender and the 07:30 digest, all in
    Asia/Ho_Chi_Minh."""
    plan_every = float(os.environ.get("SCHEDULER_PLAN_SECONDS", 900))
    send_every = float(os.environ.get("SCHEDULER_SEND_SECONDS", 60))
    scheduler = BlockingScheduler(
        timezone=LOCAL_TZ,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    scheduler.add_job(plan_job, IntervalTrigger(seconds=plan_every, timezone=LOCAL_TZ),
                      args=[app], id="plan_reminders", misfire_grace_time=int(plan_every))
    scheduler.add_job(send_job, IntervalTrigger(seconds=send_every, timezone=LOCAL_TZ),
                      args=[app], id="send_outbox", misfire_grace_time=int(send_every))
    scheduler.add_job(digest_job, CronTrigger(hour=DIGEST_HOUR, minute=DIGEST_MINUTE,
                                              timezone=LOCAL_TZ),
                      args=[app], id="daily_digest", misfire_grace_time=3 * 3600)
    return scheduler


def run(app: Flask) -> None:
    """Wait for the lease, sweep once, then run the scheduler until interrupted."""
    from core.lease import Lease

    if app.testing:
        raise RuntimeError("the scheduler does not run under TESTING")
    lease = Lease(app)

    def stop(signum, _frame):
        log.info("signal %s: stopping the scheduler", signum)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    lease.acquire()
    try:
        lease.keep_alive()
        plan_job(app)  # the catch-up sweep
        scheduler = build_scheduler(app)
        log.info("scheduler started (Asia/Ho_Chi_Minh)")
        scheduler.start()
    finally:
        lease.release()
