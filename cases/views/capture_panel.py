"""What the case page shows of web captures and watches (`capture_panel`)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cases.models import CaptureState, Watch, WatchEvent, WebCapture
from cases.operations import captures
from extensions import db


def capture_panel(case, *, has_captures: bool = True, has_watches: bool = True) -> dict:
    """What the case page shows of captures and watches: the case's own captures (newest
    first, a watch's re-captures apart), its watches, the latest capture of each, and the
    notices not yet seen. A fixed number of queries whatever the numbers (one fewer for a
    case without a watch). `has_captures`, `has_watches`: False when the case is known to
    hold no capture of its own, no watch (`cases.views.common.holds`): none is read."""
    own = db.session.scalars(select(WebCapture).where(
        WebCapture.case_id == case.id, WebCapture.watch_id.is_(None))
        .order_by(WebCapture.id.desc()).options(selectinload(WebCapture.requested_by))
    ).all() if has_captures else []
    case_watches = db.session.scalars(select(Watch).where(Watch.case_id == case.id)
                                      .order_by(Watch.id.desc())).all() if has_watches else []
    latest = {}
    if case_watches:
        newest = (select(func.max(WebCapture.id))
                  .where(WebCapture.watch_id.in_([w.id for w in case_watches]))
                  .group_by(WebCapture.watch_id))
        latest = {c.watch_id: c for c in db.session.scalars(
            select(WebCapture).where(WebCapture.id.in_(newest)))}
    # a notice comes from one of the case's watches (its case, never deleted): none without
    notices = db.session.scalars(select(WatchEvent).where(
        WatchEvent.case_id == case.id, WatchEvent.seen_at.is_(None))
        .order_by(WatchEvent.id.desc()).options(selectinload(WatchEvent.watch))
    ).all() if case_watches else []
    return {"captures": own, "watches": case_watches, "watch_latest": latest,
            "watch_notices": notices,
            "capture_pending": any(c.state in (CaptureState.queued, CaptureState.running)
                                   for c in [*own, *latest.values()]),
            "capture_enabled": captures.chromium_path() is not None,
            "capture_failure": captures.failure_message}
