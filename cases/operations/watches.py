"""Watches: a page (or a site's home page) re-captured on a schedule while its case is open.

- `add_watch` / `stop_watch` / `mark_seen` are the inspector's operations.
- `queue_due` (the scheduler's watch job) stops the watches of cases no longer open and
  queues a capture for each watch that is due, then moves its next run by its interval.
- `evaluate` runs when a watch's capture ends: it compares it with the watch's last
  capture that answered and records what it found (`WatchOutcome`). A change of the page's
  text (or of its screenshot, when asked), the page disappearing or coming back, and the
  page still online after the date to take it down (`take_down_by`) each become a
  `WatchEvent` — a notice on the case page until marked seen — and an e-mail to the case's
  inspector through the outbox.

Disappeared ("gone"): no answer (the name no longer resolves, nothing answers, the page
does not load in time, the name now points to a private address) or an HTTP status of 400
or more. A failure on our side (the browser, the size limit) concludes nothing.
See docs/evidence.md#watch.
"""

from __future__ import annotations

import difflib
from datetime import date, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select

from cases.models import (
    CaptureState,
    Case,
    CaseAction,
    Watch,
    WatchEvent,
    WatchEventKind,
    WatchOutcome,
    WatchScope,
    WatchState,
    WebCapture,
)
from cases.models.case import OPEN_STATES
from cases.operations.base import check, require
from cases.operations.captures import (
    capture_path,
    check_capture_enabled,
    checked_target,
    request_capture,
)
from core import audit, mail
from core.clock import clock
from extensions import db
from legal.dates import format_date_vn

GONE_FAILURES = frozenset({"not_found", "unreachable", "timeout", "private"})
DIFF_LINES = 12  # changed lines kept in a "changed" notice


def add_watch(user, case: Case, *, url: str, scope: str = WatchScope.page,
              interval_days: int = 1, take_down_by: date | None = None,
              compare_screenshot: bool = False) -> Watch:
    """Watch `url` for `case` (open), re-captured every `interval_days` (1–30) days from
    now; for scope "site" the site's home page (scheme://host/). Raises NotAllowed or
    OperationError (fields "url", "interval_days")."""
    require(case.may(user, CaseAction.watch))
    check(1 <= interval_days <= 30, _("Between 1 and 30 days."), "interval_days")
    check_capture_enabled()
    target = checked_target(url)
    if scope == WatchScope.site:
        default = 443 if target.scheme == "https" else 80
        port = "" if target.port == default else f":{target.port}"
        url = f"{target.scheme}://{target.host}{port}/"
    else:
        url = target.url
    now = clock().now()
    watch = Watch(case_id=case.id, url=url, scope=scope, interval_days=interval_days,
                  take_down_by=take_down_by, compare_screenshot=compare_screenshot,
                  state=WatchState.active, created_at=now, created_by_id=user.id,
                  next_run_at=now)
    db.session.add(watch)
    db.session.flush()
    audit.record(user, "watch.added", watch, case=case,
                 after={"url": url, "scope": scope, "interval_days": interval_days,
                        "take_down_by": take_down_by.isoformat() if take_down_by else None})
    return watch


def stop_watch(user, watch: Watch, reason: str | None = None) -> None:
    """Stop `watch` (`user` None: the system, when the case is no longer open)."""
    if user is not None:
        require(watch.case.may(user, CaseAction.watch))
    if watch.state == WatchState.stopped:
        return
    watch.state = WatchState.stopped
    watch.stopped_at = clock().now()
    watch.stop_reason = reason
    audit.record(user, "watch.stopped", watch, case=watch.case, note=reason)


def mark_seen(user, case: Case) -> int:
    """Mark every unseen notice of `case`'s watches seen by `user`. Returns how many."""
    require(case.may(user, CaseAction.watch))
    now = clock().now()
    events = db.session.scalars(select(WatchEvent).where(
        WatchEvent.case_id == case.id, WatchEvent.seen_at.is_(None))).all()
    for event in events:
        event.seen_at, event.seen_by_id = now, user.id
    return len(events)


def queue_due() -> int:
    """Queue a capture for every active watch that is due (none while one of its captures
    is still queued or running); stop those whose case is no longer open. Returns how many
    captures were queued. Flushes; never commits."""
    now = clock().now()
    pending = exists().where(WebCapture.watch_id == Watch.id,
                             WebCapture.state.in_((CaptureState.queued, CaptureState.running)))
    due = db.session.scalars(select(Watch).where(
        Watch.state == WatchState.active, Watch.next_run_at <= now, ~pending)
        .order_by(Watch.next_run_at)).all()
    queued = 0
    for watch in due:
        if watch.case.state not in OPEN_STATES:
            stop_watch(None, watch, "case no longer open")
            continue
        request_capture(None, watch.url, case=watch.case, watch=watch)
        watch.next_run_at = now + timedelta(days=watch.interval_days)
        queued += 1
    return queued


def evaluate(capture: WebCapture) -> WatchOutcome | None:
    """Compare a watch's finished `capture` with the watch's last capture that answered,
    record the outcome on the watch and the notices it calls for. None when `capture`
    belongs to no watch. Flushes; never commits."""
    watch = capture.watch
    if watch is None:
        return None
    previous = db.session.scalars(
        select(WebCapture).where(WebCapture.watch_id == watch.id, WebCapture.id < capture.id,
                                 WebCapture.state == CaptureState.done,
                                 WebCapture.http_status < 400)
        .order_by(WebCapture.id.desc()).limit(1)).first()
    was_gone = watch.last_outcome == WatchOutcome.gone
    if capture.answered:
        if was_gone:
            outcome = WatchOutcome.back
            _notice(watch, capture, WatchEventKind.back)
        elif previous is not None and watch.scope == WatchScope.page and _changed(
                watch, previous, capture):
            outcome = WatchOutcome.changed
            _notice(watch, capture, WatchEventKind.changed, _diff(previous, capture))
        else:
            outcome = WatchOutcome.same
        _check_take_down(watch, capture)
    elif capture.state == CaptureState.done or capture.failure in GONE_FAILURES:
        outcome = WatchOutcome.gone
        if not was_gone:
            detail = (f"HTTP {capture.http_status}" if capture.http_status
                      else capture.failure)
            _notice(watch, capture, WatchEventKind.gone, detail)
    else:
        outcome = WatchOutcome.failed
    watch.last_outcome = outcome
    watch.last_checked_at = capture.finished_at or clock().now()
    return outcome


def _changed(watch: Watch, previous: WebCapture, capture: WebCapture) -> bool:
    if previous.text_sha256 != capture.text_sha256:
        return True
    return watch.compare_screenshot and previous.screenshot_sha256 != capture.screenshot_sha256


def _diff(previous: WebCapture, capture: WebCapture) -> str:
    """The changed lines of the page's text (at most `DIFF_LINES`, "-" removed, "+" added)."""
    def lines(c: WebCapture) -> list[str]:
        path = capture_path(c)
        try:
            text = (path / "page.txt").read_text("utf-8") if path else ""
        except OSError:
            text = ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    changed = [line for line in difflib.unified_diff(lines(previous), lines(capture),
                                                       lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    shown = [f"{line[0]} {line[1:]}"[:200] for line in changed[:DIFF_LINES]]
    if len(changed) > DIFF_LINES:
        shown.append(f"… (+{len(changed) - DIFF_LINES})")
    return "\n".join(shown)


def _check_take_down(watch: Watch, capture: WebCapture) -> None:
    """Past `take_down_by`, a page that still answers is a notice (once per watch)."""
    if watch.take_down_by is None or clock().today() <= watch.take_down_by:
        return
    already = db.session.scalar(select(WatchEvent.id).where(
        WatchEvent.watch_id == watch.id,
        WatchEvent.kind == WatchEventKind.online_after_deadline).limit(1))
    if already is None:
        _notice(watch, capture, WatchEventKind.online_after_deadline,
                format_date_vn(watch.take_down_by))


SUBJECTS = {
    WatchEventKind.changed: "[{code}] Nội dung trang đang theo dõi đã thay đổi",
    WatchEventKind.gone: "[{code}] Trang đang theo dõi không còn truy cập được",
    WatchEventKind.back: "[{code}] Trang đang theo dõi hoạt động trở lại",
    WatchEventKind.online_after_deadline: "[{code}] Trang vẫn hoạt động sau thời hạn gỡ bỏ",
}


def _notice(watch: Watch, capture: WebCapture, kind: WatchEventKind,
            detail: str | None = None) -> WatchEvent:
    event = WatchEvent(watch_id=watch.id, case_id=watch.case_id, capture_id=capture.id,
                       kind=kind, occurred_at=clock().now(), detail=detail)
    db.session.add(event)
    db.session.flush()
    audit.record(None, f"watch.{kind}", watch, case=watch.case,
                 after={"url": watch.url, "capture_id": capture.id})
    case, user = watch.case, watch.case.inspector
    if user is not None and user.active:
        url = f"{current_app.config['BASE_URL'].rstrip('/')}/cases/{case.id}#watches"
        with force_locale("vi"):
            text = render_template("email/watch.txt", user=user, case=case, watch=watch,
                                   event=event, capture=capture, url=url)
        mail.queue(key=f"watch:{event.id}:{user.id}", kind=f"watch_{kind}", recipient=user,
                   subject=SUBJECTS[kind].format(code=case.code), body_text=text,
                   case_id=case.id)
    return event
