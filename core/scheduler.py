"""The reminder scheduler (APScheduler), run in its own process by `flask scheduler run`.

Every trigger carries timezone Asia/Ho_Chi_Minh explicitly, whatever the machine's TZ.
Jobs coalesce, run one instance at a time, and tolerate a misfire of a few minutes; a second
scheduler process cannot send a message twice (the outbox rows are claimed atomically and
keyed uniquely).
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from core.clock import LOCAL_TZ

log = logging.getLogger(__name__)


def _job(app: Flask, name: str):
    def run():
        from cases import reminders
        from core import mail
        from extensions import db

        with app.app_context():
            try:
                if name == "plan":
                    queued = reminders.plan_reminders()
                    db.session.commit()
                    log.info("planned %d reminders", queued)
                else:
                    counts = mail.send_pending()
                    if any(counts.values()):
                        log.info("outbox: %s", counts)
            except Exception:
                db.session.rollback()
                log.exception("job %s failed", name)
                raise
            finally:
                db.session.remove()

    run.__name__ = f"reminders_{name}"
    return run


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A scheduler with the planner (every 15 minutes, and once at start: the catch-up sweep)
    and the sender (every minute)."""
    scheduler = BlockingScheduler(
        timezone=LOCAL_TZ,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    scheduler.add_job(_job(app, "plan"), IntervalTrigger(minutes=15, timezone=LOCAL_TZ),
                      id="plan_reminders")
    scheduler.add_job(_job(app, "send"), IntervalTrigger(minutes=1, timezone=LOCAL_TZ),
                      id="send_outbox")
    return scheduler


def run(app: Flask) -> None:
    """Run the scheduler in the foreground until interrupted; plan once at start."""
    if app.testing:
        raise RuntimeError("the scheduler does not run under TESTING")
    _job(app, "plan")()
    scheduler = build_scheduler(app)
    log.info("scheduler started (Asia/Ho_Chi_Minh)")
    scheduler.start()
