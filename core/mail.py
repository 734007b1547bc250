"""The e-mail outbox: operations queue rows; the sender delivers committed rows.

Transport: SMTP when ``MAIL_SERVER`` is set, otherwise a file spool in
``instance/mail-spool/`` (one ``.eml`` per message) that the admin page lists.

Delivery policy: a row is claimed (pending → sending, the claim time in `send_after`) and
committed before the SMTP conversation, then marked sent. Any failure — the server, the
network, an address that cannot be written — records its error and puts the row back to
pending with exponential backoff, failed after MAIL_MAX_ATTEMPTS. If the process dies
during the conversation, the row is reclaimed after MAIL_SENDING_TIMEOUT (`reclaim_stuck`):
nothing stays "sending"; such a message may arrive twice, with the same Message-ID.
"""

from __future__ import annotations

import hashlib
import smtplib
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.clock import clock
from core.models import Notification, NotificationStatus
from extensions import db


def queue(*, key: str, kind: str, recipient, subject: str, body_text: str,
          body_html: str | None = None, case_id: int | None = None,
          deadline_id: int | None = None, send_after: datetime | None = None
          ) -> Notification | None:
    """Add an outbox row unless one with the same `key` exists (then return None).

    Safe against a concurrent planner: the insert runs in a savepoint and a unique-key
    conflict is ignored. Never commits."""
    if db.session.scalar(select(Notification.id).where(Notification.key == key)) is not None:
        return None
    now = clock().now()
    row = Notification(
        key=key, kind=kind, recipient_id=recipient.id, recipient_email=recipient.email,
        subject=subject, body_text=body_text, body_html=body_html, case_id=case_id,
        deadline_id=deadline_id, status=NotificationStatus.pending, attempts=0, created_at=now,
        send_after=send_after or now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    return row


class AddressError(ValueError):
    """An address that cannot be written in a header (no domain, a local part that needs
    SMTPUTF8): the row fails with this message instead of crashing the sender."""


def ascii_address(address: str) -> str:
    """`address` as SMTP and a header carry it: the domain in IDNA ("lan@sở-tttt.vn" →
    "lan@xn--s-tttt-bp8b.vn", email-validator's ASCII form), never an encoded word. Raises
    AddressError for an address with no ASCII form."""
    try:
        checked = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise AddressError(f"{address!r}: {exc}") from None
    if checked.ascii_email is None:
        raise AddressError(f"{address!r}: the part before @ is not ASCII (needs SMTPUTF8)")
    return checked.ascii_email


def split_sender(sender: str) -> tuple[str, str]:
    """("display name", "address") of a setting like ``Thanh tra Sở TT&TT, tỉnh Bắc Giang
    <thanhtra@…>``: the address is what stands in the last angle brackets, the name all
    before it (commas and ampersands included, surrounding quotes dropped); a bare address
    has no name."""
    text = (sender or "").strip()
    if text.endswith(">") and "<" in text:
        name, _sep, address = text[:-1].rpartition("<")
        return name.strip().strip('"').strip(), address.strip()
    return "", text


def header_address(display: str, address: str) -> str:
    """One address for a From/To header: the name as an RFC 2047 encoded word when it is not
    ASCII (quoted when it holds a comma or other specials), the address in ASCII
    (`ascii_address`)."""
    addr = ascii_address(address)
    return formataddr((display, addr), charset="utf-8") if display else addr


def build_message(row: Notification) -> Message:
    """The MIME message of an outbox row: plain text and HTML in UTF-8, the Subject and the
    sender's display name as RFC 2047 encoded words, every address in ASCII (IDNA domains,
    `header_address`), a Message-ID derived from the row so a resend is recognisable.
    Raises AddressError for an address that cannot be written.

    The classic `email.header.Header` encoder is used on purpose: Python 3.11's newer header
    folding drops the space between two encoded words ("xử phạt" arrives as "xửphạt")."""
    config = current_app.config
    msg = MIMEMultipart("alternative")
    msg["Subject"] = Header(row.subject, "utf-8")
    display, sender = split_sender(config["MAIL_DEFAULT_SENDER"])
    msg["From"] = header_address(display, sender)
    msg["To"] = header_address("", row.recipient_email)
    msg["Date"] = format_datetime(clock().now())
    domain = ascii_address(sender).split("@", 1)[1]
    # the same for every attempt of the row, even one whose first attempt was never recorded
    msg["Message-ID"] = row.message_id or (
        f"<outbox.{row.id}.{hashlib.sha256(row.key.encode()).hexdigest()[:16]}@{domain}>")
    msg["X-Outbox-Key"] = row.key
    msg.attach(MIMEText(row.body_text, "plain", "utf-8"))
    if row.body_html:
        msg.attach(MIMEText(row.body_html, "html", "utf-8"))
    return msg


def _spool_dir() -> Path:
    path = Path(current_app.instance_path) / "mail-spool"
    path.mkdir(parents=True, exist_ok=True)
    return path


class _Transport:
    """Delivers messages over one SMTP connection per batch (opened lazily, reopened after a
    failure), or into the spool when MAIL_SERVER is not set."""

    def __init__(self):
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None
        self.name = "smtp" if self.config.get("MAIL_SERVER") else "spool"

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        smtp_class = smtplib.SMTP_SSL if c["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(c["MAIL_SERVER"], c["MAIL_PORT"], timeout=c["MAIL_TIMEOUT"])
        if c["MAIL_USE_TLS"] and not c["MAIL_USE_SSL"]:
            smtp.starttls()
        if c.get("MAIL_USERNAME"):
            smtp.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"] or "")
        return smtp

    def send(self, msg: Message) -> None:
        if self.name == "spool":
            stamp = clock().now().strftime("%Y%m%dT%H%M%S")
            name = f"{stamp}-{msg['X-Outbox-Key'].replace(':', '_')}.eml"
            (_spool_dir() / name).write_bytes(msg.as_bytes())
            return
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(msg)
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass  # the message was already accepted, or never will be: nothing to undo
            finally:
                try:
                    self.smtp.close()
                except OSError:
                    pass
                self.smtp = None


def send_pending(limit: int = 200) -> dict[str, int]:
    """Send committed, due outbox rows; commits after each claim and each result.

    Returns counts {"sent": n, "retry": n, "failed": n}. Call only outside a request's
    transaction (a job, the CLI, after a commit)."""
    db.session.commit()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    reclaim_stuck()
    ids = db.session.scalars(
        select(Notification.id)
        .where(Notification.status == NotificationStatus.pending,
               Notification.send_after <= clock().now())
        .order_by(Notification.id)
        .limit(limit)
    ).all()
    transport = _Transport()
    try:
        for row_id in ids:
            claimed = db.session.execute(
                update(Notification)
                .where(Notification.id == row_id, Notification.status == NotificationStatus.pending)
                .values(status=NotificationStatus.sending, attempts=Notification.attempts + 1,
                        send_after=clock().now())  # while sending: when it was claimed
            ).rowcount
            db.session.commit()
            if claimed != 1:
                continue  # another sender took it
            row = db.session.get(Notification, row_id)
            try:
                msg = build_message(row)
                row.message_id = msg["Message-ID"]
                transport.send(msg)
            except Exception as exc:  # noqa: BLE001 - any failure: recorded, retried, never stuck
                db.session.rollback()
                row = db.session.get(Notification, row_id)
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if row.attempts >= max_attempts:
                    row.status = NotificationStatus.failed
                    counts["failed"] += 1
                else:
                    row.status = NotificationStatus.pending
                    row.send_after = clock().now() + timedelta(minutes=2 ** row.attempts)
                    counts["retry"] += 1
                db.session.commit()
                current_app.logger.warning("mail %s attempt %d failed: %s", row.key,
                                           row.attempts, row.last_error)
                continue
            row.status = NotificationStatus.sent
            row.sent_at = clock().now()
            row.transport = transport.name
            row.last_error = None
            db.session.commit()
            counts["sent"] += 1
    finally:
        transport.close()
    return counts


def reclaim_stuck() -> int:
    """Rows left in "sending" longer than ``MAIL_SENDING_TIMEOUT`` seconds (the sender died
    during the SMTP conversation) go back to the queue — or to "failed" after
    MAIL_MAX_ATTEMPTS — with the reason in `last_error`: a message is never stuck. The
    message may then arrive twice; its Message-ID, derived from the row, is the same both
    times. Commits. Returns the number of rows reclaimed."""
    config = current_app.config
    now = clock().now()
    stale = now - timedelta(seconds=int(config.get("MAIL_SENDING_TIMEOUT") or 900))
    note = "Interrupted while sending (the sender stopped); queued again"
    base = (update(Notification)
            .where(Notification.status == NotificationStatus.sending,
                   Notification.send_after < stale))
    failed = db.session.execute(
        base.where(Notification.attempts >= config["MAIL_MAX_ATTEMPTS"])
        .values(status=NotificationStatus.failed, last_error=note)).rowcount
    again = db.session.execute(
        base.values(status=NotificationStatus.pending, send_after=now, last_error=note)).rowcount
    db.session.commit()
    if failed or again:
        current_app.logger.warning("mail: %d rows stuck in sending reclaimed, %d failed",
                                   again, failed)
    return failed + again


def resend(row: Notification) -> None:
    """Put a failed or stuck row back in the queue (administrator's decision). Never commits."""
    row.status = NotificationStatus.pending
    row.attempts = 0
    row.send_after = clock().now()


def spool_files() -> list[Path]:
    """The spooled messages, newest first (development transport)."""
    return sorted(_spool_dir().glob("*.eml"), reverse=True)
