"""The scheduler's jobs: what runs in the background and when (top floor, beside cli.py).

`core.scheduler` runs them in one process at a time (`flask --app app scheduler run`); each
job is one transaction committed here, then the outbox is sent (e-mails leave only after
the commit). Triggers are in Asia/Ho_Chi_Minh whatever the machine's time zone.

- plan, every 15 minutes (SCHEDULER_PLAN_SECONDS): move the cases past their compliance
  deadline to enforcement (docs/legal/enforcement.md), store the next six-monthly report
  owed, plan the reminders due today, then send;
- send, every minute (SCHEDULER_SEND_SECONDS): send committed outbox rows;
- digest, at 07:30: the morning digest of the users who chose it, then send;
- web captures, every 10 s (SCHEDULER_CAPTURE_SECONDS): queue the watches that are due, run
  the queued captures one by one (docs/evidence.md), then send;
- registry check, at 02:00: whether every registry site answers (docs/evidence.md);
- purge, at 03:30: one-time form tokens and import previews older than a day.
"""

from __future__ import annotations

import logging
import os

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from cases.capture_worker import run_queued
from cases.operations.enforcement import move_overdue_to_enforcement
from cases.operations.watches import queue_due
from core import mail, once
from core.clock import LOCAL_TZ, clock
from core.scheduler import Job
from deadlines import planner
from extensions import db
from registry.deadlines import ensure_semiannual
from registry.importer import purge_batches
from registry.reachability import check_all

log = logging.getLogger(__name__)

DIGEST_HOUR, DIGEST_MINUTE = 7, 30
REGISTRY_CHECK_HOUR = 2
PURGE_HOUR = 3


def plan() -> None:
    """Cases past their compliance deadline to enforcement, the next six-monthly report and
    its deadline, then today's reminders; commits."""
    moved = move_overdue_to_enforcement()
    if moved:
        log.info("%d cases moved to enforcement", len(moved))
    ensure_semiannual()
    queued = planner.plan_reminders()
    db.session.commit()
    if queued:
        log.info("planned %d reminders", queued)


def digest() -> None:
    """Today's digests; commits."""
    queued = planner.plan_digests()
    db.session.commit()
    log.info("queued %d digests", queued)


def capture() -> None:
    """Queue a capture for each watch that is due (commits), then run the queued captures
    (each committed on its own, `cases.capture_worker`)."""
    if queue_due():
        db.session.commit()
    if count := run_queued():
        log.info("%d web captures run", count)


def registry_check() -> None:
    """Whether every registry site answers; commits."""
    counts = check_all()
    db.session.commit()
    log.info("registry check: %s", counts)


def purge() -> None:
    """Forget what is only kept for a day: the one-time tokens of forms acted on
    (`core.once.purge`) and the import previews (`registry.importer.purge_batches`);
    commits."""
    tokens, batches = once.purge(), purge_batches()
    db.session.commit()
    log.info("purged %d form tokens and %d import batches", tokens, batches)


def send() -> None:
    """Send committed outbox rows."""
    counts = mail.send_pending()
    if any(counts.values()):
        log.info("outbox: %s", counts)


def catch_up_digest() -> None:
    """At start (or when this process takes over the lease): after 07:30 in Vietnam, today's
    digest, in case the 07:30 run was missed while no scheduler ran. The digest is keyed per
    user and day, so it is queued exactly once whatever the restarts; commits."""
    now = clock().now().astimezone(LOCAL_TZ)
    if (now.hour, now.minute) >= (DIGEST_HOUR, DIGEST_MINUTE):
        digest()


def catch_up() -> Job:
    """The sweep run once when the scheduler starts or takes over: the reminders due now,
    the day's digest if its time has passed, then the outbox."""
    return Job("catch_up", (plan, catch_up_digest, send), None, 0)


def run_once() -> dict[str, int]:
    """Plan today's reminders (and digests), commit, then send the outbox (the
    `reminders run-once` command). Returns {"queued", "sent", "failed", …}."""
    move_overdue_to_enforcement()
    ensure_semiannual()
    queued = planner.plan_reminders() + planner.plan_digests()
    db.session.commit()
    counts = mail.send_pending()
    return {"queued": queued, **counts}


def jobs() -> list[Job]:
    """The job list (the catch-up sweep run at start is `catch_up`)."""
    plan_every = float(os.environ.get("SCHEDULER_PLAN_SECONDS", 900))
    send_every = float(os.environ.get("SCHEDULER_SEND_SECONDS", 60))
    capture_every = float(os.environ.get("SCHEDULER_CAPTURE_SECONDS", 10))
    return [
        Job("plan_reminders", (plan, send),
            IntervalTrigger(seconds=plan_every, timezone=LOCAL_TZ), int(plan_every)),
        Job("send_outbox", (send,),
            IntervalTrigger(seconds=send_every, timezone=LOCAL_TZ), int(send_every)),
        Job("daily_digest", (digest, send),
            CronTrigger(hour=DIGEST_HOUR, minute=DIGEST_MINUTE, timezone=LOCAL_TZ), 3 * 3600),
        Job("web_captures", (capture, send),
            IntervalTrigger(seconds=capture_every, timezone=LOCAL_TZ), int(capture_every)),
        Job("registry_check", (registry_check,),
            CronTrigger(hour=REGISTRY_CHECK_HOUR, minute=0, timezone=LOCAL_TZ), 6 * 3600),
        Job("purge", (purge,),
            CronTrigger(hour=PURGE_HOUR, minute=30, timezone=LOCAL_TZ), 6 * 3600),
    ]
