"""Web captures (evidence of what a page showed), watches and what the watches noticed.

A capture is also the job that makes it: it is queued by a request, taken by the
scheduler's capture job (`running`), and ends `done` (its files and manifest under the
instance's evidence folder, the manifest's SHA-256 here) or `failed` with a reason.
See docs/evidence.md.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from core.audit import Sealed
from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db


class CaptureState(Choice):
    queued = "queued", _l("Waiting to be captured")
    running = "running", _l("Capturing…")
    done = "done", _l("Capture done")
    failed = "failed", _l("Capture failed")


class WatchScope(Choice):
    """`page`: one address, told when its text changes or it disappears; `site`: the site's
    home page, told when the site stops (or starts again) answering."""

    page = "page", _l("this page")
    site = "site", _l("whole site")


class WatchState(Choice):
    active = "active", _l("active")
    stopped = "stopped", _l("stopped")


class WatchOutcome(Choice):
    """What one re-capture found, compared with the watch's last good capture."""

    same = "same", _l("unchanged")
    changed = "changed", _l("changed")
    gone = "gone", _l("no longer online")  # no answer, or HTTP 4xx/5xx
    back = "back", _l("online again")  # answering again after being gone
    # our side could not capture (browser, limits): nothing concluded
    failed = "failed", _l("could not be captured")


class WatchEventKind(Choice):
    changed = "changed", _l("Watched page changed")
    gone = "gone", _l("Watched page no longer online")
    back = "back", _l("Watched page online again")
    online_after_deadline = "online_after_deadline", _l(
        "Page still online after the take-down date")


class WebCapture(Sealed, db.Model):
    __tablename__ = "web_captures"
    # Columns sealed by an HMAC (core.audit.Sealed): a change outside the application shows.
    __sealed__ = ("case_id", "site_id", "url", "manifest_sha256", "text_sha256",
                  "screenshot_sha256", "record_sha256")
    __table_args__ = (
        check_in("state", CaptureState),
        CheckConstraint("case_id IS NOT NULL OR site_id IS NOT NULL", name="has_subject"),
        Index("ix_web_captures_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    watch_id: Mapped[int | None] = mapped_column(ForeignKey("watches.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default=CaptureState.queued)
    failure: Mapped[str | None] = mapped_column(String(30))  # a CaptureFailed code
    failure_detail: Mapped[str | None] = mapped_column(String(300))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a watch
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What was found (also in the manifest, which is what the hash covers).
    final_url: Mapped[str | None] = mapped_column(String(2000))
    http_status: Mapped[int | None]
    server_address: Mapped[str | None] = mapped_column(String(64))
    tls_subject: Mapped[str | None] = mapped_column(String(300))
    storage_dir: Mapped[str | None] = mapped_column(String(80))  # under evidence/captures
    manifest_sha256: Mapped[str | None] = mapped_column(String(64))
    manifest: Mapped[str | None] = deferred(mapped_column(Text))  # the manifest's text
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    screenshot_sha256: Mapped[str | None] = mapped_column(String(64))
    record_sha256: Mapped[str | None] = mapped_column(String(64))  # the printed record

    case = relationship("Case", backref="captures")
    site = relationship("Site")
    watch = relationship("Watch", back_populates="captures")
    requested_by = relationship("User")

    @property
    def answered(self) -> bool:
        """The page answered with a status below 400 (it is online)."""
        return self.state == CaptureState.done and (self.http_status or 0) < 400


class Watch(db.Model):
    """A URL re-captured on a schedule while its case is open. `take_down_by`: the date by
    which the violator must take it down (a remedial measure's deadline); after it, a page
    still online is a notice on the case. A later release ties a watch to the measure."""

    __tablename__ = "watches"
    __table_args__ = (
        check_in("scope", WatchScope),
        check_in("state", WatchState),
        check_in("last_outcome", WatchOutcome, nullable=True),
        CheckConstraint("interval_days BETWEEN 1 AND 30", name="interval_valid"),
        Index("ix_watches_state_next", "state", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    scope: Mapped[str] = mapped_column(String(10), default=WatchScope.page)
    interval_days: Mapped[int] = mapped_column(default=1)
    compare_screenshot: Mapped[bool] = mapped_column(default=False)
    take_down_by: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(10), default=WatchState.active)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_outcome: Mapped[str | None] = mapped_column(String(10))
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stop_reason: Mapped[str | None] = mapped_column(Text)

    case = relationship("Case", backref="watches")
    created_by = relationship("User")
    captures = relationship("WebCapture", back_populates="watch",
                            order_by="WebCapture.id.desc()", lazy="dynamic")
    events = relationship("WatchEvent", back_populates="watch", order_by="WatchEvent.id.desc()")


class WatchEvent(db.Model):
    """Something a watch noticed: a notice on the case until the inspector marks it seen."""

    __tablename__ = "watch_events"
    __table_args__ = (check_in("kind", WatchEventKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("watches.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("web_captures.id"))
    kind: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    detail: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    watch = relationship("Watch", back_populates="events")
    capture = relationship("WebCapture")
