"""Cross-cutting tables: audit trail, mail outbox, document counters, calendar overrides."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import Choice, check_in
from core.signing import SignatureLevel
from core.types import UTCDateTime
from extensions import db
from legal.text import fold


class AuditEvent(db.Model):
    """Append-only trail of every operation; each row holds the hash of the previous one."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str | None] = mapped_column(String(100))  # int ids and clause ids
    action: Mapped[str] = mapped_column(String(50))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor = db.relationship("User")


class AuditHead(db.Model):
    """The end of the audit chain: the last event's id and hash, updated in the same
    transaction as each new event. Appending locks this row first, so concurrent writers
    are serialised and the chain never forks; a deleted last event no longer matches it."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(default=0)


class NotificationStatus(Choice):
    pending = "pending", _l("Pending")
    sending = "sending", _l("Sending")
    sent = "sent", _l("Sent")
    failed = "failed", _l("Failed")
    cancelled = "cancelled", _l("Cancelled")


class OverrideKind(Choice):
    day_off = "day_off"
    working_day = "working_day"


class Notification(db.Model):
    """The e-mail outbox. `key` is unique, so planning the same reminder twice is a no-op.

    status: pending → sending → sent, or failed after too many attempts. A row left in
    "sending" by a crash is reclaimed after MAIL_SENDING_TIMEOUT (core.mail.reclaim_stuck;
    README, "E-mail").
    """

    __tablename__ = "notifications"
    __table_args__ = (
        check_in("status", NotificationStatus),
        Index("ix_notifications_status_send_after", "status", "send_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recipient_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=NotificationStatus.pending)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    send_after: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[str | None] = mapped_column(String(300))
    transport: Mapped[str | None] = mapped_column(String(20))  # smtp / spool

    # the address and the subject folded (legal.text.fold) for the E-mails page's search;
    # computed on insert, also for the planner's many-row inserts
    search_text: Mapped[str] = mapped_column(Text, default=lambda ctx: notification_search_text(
        **ctx.get_current_parameters()), server_default="")

    recipient = db.relationship("User")


def notification_search_text(recipient_email: str = "", subject: str = "", **_other) -> str:
    """What the E-mails page searches in an outbox row: its address and subject, folded."""
    return fold(f"{recipient_email or ''} {subject or ''}")


class DocumentCounter(db.Model):
    """Gap-free numbering per issuer, document type and year (case codes, decisions)."""

    __tablename__ = "document_counters"
    __table_args__ = (UniqueConstraint("issuer", "doc_type", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(50))
    doc_type: Mapped[str] = mapped_column(String(30))
    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class SchedulerLease(db.Model):
    """Which scheduler process is active (SQLite; PostgreSQL uses an advisory lock)."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[float]  # Unix time, seconds


class DataGeneration(db.Model):
    """One row (id 1): a number raised in the same transaction as every write
    (`core.generation`); what was computed from the database under a number is out of date
    once it has moved (`web.page_cache`)."""

    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class SubmittedForm(db.Model):
    """A form already acted on (its one-time token), and where its result is: a second
    submission of the same form (a double click, a resent request) goes there instead of
    doing the work twice."""

    __tablename__ = "submitted_forms"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result_url: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AgencySettings(db.Model):
    """The agency as printed on its documents (one row, edited by an administrator).
    Empty fields fall back to the application's configuration (see `core.agency`)."""

    __tablename__ = "agency_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_name: Mapped[str] = mapped_column(String(200))  # "SỞ TT&TT TỈNH BẮC GIANG"
    agency_name: Mapped[str] = mapped_column(String(200))  # "THANH TRA SỞ"
    full_name: Mapped[str] = mapped_column(String(300))  # "Sở Thông tin và Truyền thông tỉnh …"
    unit_name: Mapped[str] = mapped_column(String(300))  # "Thanh tra Sở …"
    short_code: Mapped[str] = mapped_column(String(30))  # issuer code for numbering: "STTTT"
    place: Mapped[str] = mapped_column(String(100))  # date line: "Bắc Giang, ngày …"
    head_title: Mapped[str] = mapped_column(String(200))  # "Chánh Thanh tra Sở" (for KT.)
    symbols: Mapped[dict] = mapped_column(JSON)  # document type → symbol, e.g. QĐ-XPVPHC
    treasury_account: Mapped[str] = mapped_column(Text)
    treasury_body: Mapped[str] = mapped_column(String(300))
    # the province's district-level units, one per line (None: the shipped list for the
    # province named in `place`, legal/data/districts.yaml)
    districts: Mapped[str | None] = mapped_column(Text)
    # the account number at the Treasury where fines are paid (printed on the decision)
    treasury_account_number: Mapped[str | None] = mapped_column(String(100))
    # who signs the Department's letters and reports on the Director's behalf ("TL. GIÁM ĐỐC")
    letter_signer: Mapped[str | None] = mapped_column(String(200))
    # the Department's header on its letters and reports ("UBND TỈNH …", "SỞ …")
    department_parent: Mapped[str | None] = mapped_column(String(200))
    department_name: Mapped[str | None] = mapped_column(String(200))


class CalendarOverride(db.Model):
    """An administrator's correction of the public-holiday calendar
    (docs/legal/time-limits.md#working-days): an extra day off, or a make-up working day (usually a
    Saturday). Overrides win over `holidays`."""

    __tablename__ = "calendar_overrides"
    __table_args__ = (
        check_in("kind", OverrideKind),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")


class DocumentKind(Choice):
    """What an issued document is (the register of issued documents)."""

    decision = "decision", _l("Decision")
    record = "record", _l("Violation record")
    report = "report", _l("Report to the Ministry")
    capture_record = "capture_record", _l("Web capture record")
    letter = "letter", _l("Official letter")


class IssuedDocument(db.Model):
    """The register of the documents the agency issued: one row per frozen PDF with its
    SHA-256 (of the bytes as issued, signature included) and how it is signed. The
    verification page and `flask documents verify` look a PDF up here
    (docs/legal/documents.md#digital-signatures)."""

    __tablename__ = "issued_documents"
    __table_args__ = (check_in("kind", DocumentKind),
                      check_in("signature_level", SignatureLevel))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(200))  # "05/QĐ-XPVPHC", a case code…
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    signature_level: Mapped[str] = mapped_column(String(10), default=SignatureLevel.unsigned)
    signature_note: Mapped[str | None] = mapped_column(Text)
    certificate: Mapped[str | None] = mapped_column(String(500))  # the signer's subject
