"""The capture worker: takes queued web captures and runs them, one commit each.

Run by the scheduler's capture job every few seconds and by `flask evidence capture`
(synchronously). A capture is claimed by a conditional UPDATE (queued → running) committed
at once, so the case page shows it running and a second worker never takes it; its result
is committed when it ends (so this is a job boundary: it commits, like the mail sender).
One Chromium serves a batch and is closed after it.
"""

from __future__ import annotations

from sqlalchemy import select, update

from cases.models import CaptureState, WebCapture
from cases.operations import captures, watches
from core.capture.browser import CaptureEngine, CaptureFailed
from core.clock import clock
from extensions import db


def run_queued(*, engine: CaptureEngine | None = None, only: int | None = None,
               limit: int = 20) -> int:
    """Take queued captures (oldest first; only capture `only` when given), run each and
    commit each. Starts one browser for the batch unless `engine` is given (a broken one is
    replaced). Captures left `running` by a dead process are failed first. Returns how many
    captures were run."""
    if captures.fail_stale():
        db.session.commit()
    count, own = 0, None
    try:
        while count < limit:
            capture = _claim(only)
            if capture is None:
                break
            count += 1
            if engine is None or engine.broken:
                if own is not None:
                    own.close()
                own = engine = None
                try:
                    engine = own = CaptureEngine(captures.chromium_path()).start()
                except CaptureFailed as failure:
                    captures.finish_failed(capture, failure)
                    watches.evaluate(capture)
                    db.session.commit()
                    continue
            captures.run_capture(capture, engine)
            watches.evaluate(capture)  # a watch's capture: compared with the last one
            db.session.commit()
            if only is not None:
                break
    finally:
        if own is not None:
            own.close()
    return count


def _claim(only: int | None) -> WebCapture | None:
    """The next queued capture, marked running and committed (one worker gets it)."""
    query = select(WebCapture.id).where(WebCapture.state == CaptureState.queued)
    if only is not None:
        query = query.where(WebCapture.id == only)
    for capture_id in db.session.scalars(query.order_by(WebCapture.id).limit(5)).all():
        taken = db.session.execute(
            update(WebCapture).where(WebCapture.id == capture_id,
                                     WebCapture.state == CaptureState.queued)
            .values(state=CaptureState.running, started_at=clock().now())).rowcount
        db.session.commit()
        if taken:
            return db.session.get(WebCapture, capture_id)
    return None
