"""The scheduler (APScheduler) that runs the jobs of `jobs.py`, in its own process
(`flask scheduler run`).

- Only one scheduler is active: `core.lease.Lease` (PostgreSQL advisory lock, SQLite lease
  row); a second process waits and takes over when the first dies.
- Every trigger carries timezone Asia/Ho_Chi_Minh explicitly, whatever the machine's TZ.
- Jobs coalesce, run one instance at a time, and tolerate a misfire that fits them.
- At start, one catch-up sweep plans what is due now (the planner computes from today, so a
  long downtime gives one reminder per deadline, not one per missed period) and, after its
  time, the day's digest (keyed per user and day: once).
- Never under TESTING, never inside web workers (the web app does not start it).

Intervals can be shortened for tests and demos with SCHEDULER_PLAN_SECONDS and
SCHEDULER_SEND_SECONDS (defaults 900 and 60).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from core.clock import LOCAL_TZ
from core.lease import Lease
from extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A scheduled job: `steps` run in order in one application context (each commits what
    it did; a failure rolls back and is logged, the next run tries again)."""

    id: str
    steps: Sequence[Callable[[], None]]
    trigger: Any  # an APScheduler trigger in Asia/Ho_Chi_Minh
    misfire_grace_time: int


def run_job(app: Flask, job: Job) -> None:
    """Run `job`'s steps in an application context; never raises."""
    with app.app_context():
        try:
            for step in job.steps:
                step()
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", job.id)
        finally:
            db.session.remove()


def build_scheduler(app: Flask, jobs: Sequence[Job]) -> BlockingScheduler:
    """A scheduler running `jobs` (coalesced, one instance at a time, in
    Asia/Ho_Chi_Minh)."""
    scheduler = BlockingScheduler(
        timezone=LOCAL_TZ,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    for job in jobs:
        scheduler.add_job(run_job, job.trigger, args=[app, job], id=job.id, name=job.id,
                          misfire_grace_time=job.misfire_grace_time)
    return scheduler


def run(app: Flask, jobs: Sequence[Job], catch_up: Job | None = None) -> None:
    """Wait for the lease, run `catch_up` once (default: the first job) — the catch-up sweep
    of a scheduler that starts or takes over — then run the scheduler until interrupted."""
    if app.testing:
        raise RuntimeError("the scheduler does not run under TESTING")
    lease = Lease(app)

    def stop(signum, _frame):
        log.info("signal %s: stopping the scheduler", signum)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    # a job runs every few seconds (web captures): APScheduler's per-run lines would drown
    # the log; the jobs log what they did themselves, and failures as errors
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    lease.acquire()
    try:
        lease.keep_alive()
        run_job(app, catch_up or jobs[0])  # the catch-up sweep
        scheduler = build_scheduler(app, jobs)
        log.info("scheduler started (Asia/Ho_Chi_Minh)")
        scheduler.start()
    finally:
        lease.release()
