"""Registry entries (Site): a general information website, a social network or another site."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from catalogue.models import SubjectKind
from core.audit import Sealed
from core.collation import keep_sort_key
from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db
from legal.numbering import document_number
from legal.text import fold

EXPIRING_DAYS = 60  # a licence expiring within 60 days is listed and reminded


class SiteKind(Choice):
    """Decree 72/2013 Art. 20 (general information website) and Art. 3(22) (social network)."""

    general_website = "general_website", _l("General information website")
    social_network = "social_network", _l("Social network")
    other = "other", _l("Other")


class RegistryStatus(Choice):
    """Statuses the 2014 directive names (licensed, registered, unlicensed, trial) plus
    suspended, revoked, ceased (docs/legal/sites.md#registry-statuses)."""

    licensed = "licensed", _l("Licensed")
    registered = "registered", _l("Registered")
    unlicensed = "unlicensed", _l("Operating without a licence")
    trial = "trial", _l("Trial operation")
    suspended = "suspended", _l("Suspended")
    revoked = "revoked", _l("Revoked")
    ceased = "ceased", _l("Ceased")


OperatorKind = SubjectKind  # the operator of a site is an organisation or an individual


class ObligationKind(Choice):
    semiannual = "semiannual"
    one_off = "one_off"


class ReportStatus(Choice):
    issued = "issued"


class Site(db.Model):
    __tablename__ = "sites"
    __table_args__ = (
        check_in("kind", SiteKind),
        check_in("status", RegistryStatus),
        check_in("operator_kind", OperatorKind),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    # Vietnamese alphabetical order of name and district (core.collation), kept when set
    name_key: Mapped[bytes | None] = mapped_column(LargeBinary, index=True)
    # Normalised domain (lower case, no scheme, no www., punycode): one site per domain.
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    url: Mapped[str | None] = mapped_column(String(500))
    operator_kind: Mapped[str] = mapped_column(String(20), default=OperatorKind.organisation)
    # "" (empty): not identified yet, shown as a gap to fill ("chưa xác định")
    operator_name: Mapped[str] = mapped_column(String(300))
    operator_address: Mapped[str | None] = mapped_column(String(500))
    operator_tax_id: Mapped[str | None] = mapped_column(String(50))
    licence_number: Mapped[str | None] = mapped_column(String(100))
    licence_issuer: Mapped[str | None] = mapped_column(String(300))
    licence_issued_on: Mapped[date | None]
    licence_expires_on: Mapped[date | None]
    licence_scope: Mapped[str | None] = mapped_column(Text)
    # The day the site went live under its licence (Circular 09/2014 Art. 2: 90 days).
    launched_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20))
    district: Mapped[str | None] = mapped_column(String(100))
    district_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    other_urls: Mapped[str | None] = mapped_column(Text)  # one address per line
    operator_contact: Mapped[str | None] = mapped_column(String(300))
    content_manager: Mapped[str | None] = mapped_column(String(300))  # person responsible
    hosted_in_vietnam: Mapped[bool | None]  # None: not known
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # follows it
    notes: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # optimistic locking: the version the editor saw travels in the form
    # (docs/architecture.md#house-rules)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    inspector = relationship("User")
    history = relationship("SiteStatusChange", back_populates="site",
                           order_by="SiteStatusChange.id.desc()")

    def licence_state(self, today: date) -> str | None:
        """"expired", "expiring" (within 60 days) or None."""
        if self.licence_expires_on is None:
            return None
        if self.licence_expires_on < today:
            return "expired"
        if (self.licence_expires_on - today).days <= EXPIRING_DAYS:
            return "expiring"
        return None

    def refresh_search_text(self) -> None:
        self.search_text = search_text({name: getattr(self, name) for name in SEARCHED})

    def __repr__(self) -> str:
        return f"<Site {self.domain}>"


def search_text(site: dict) -> str:
    """A site's search text from its columns (a dict: name, domain, operator_name,
    district, licence_number): the words the registry's search matches, folded."""
    parts = [site.get(name) for name in SEARCHED]
    return fold(" ".join(p for p in parts if p))


SEARCHED = ("name", "domain", "operator_name", "district", "licence_number")

keep_sort_key(Site.name, "name_key")
keep_sort_key(Site.district, "district_key")


class SiteStatusChange(db.Model):
    """The history of a site's registry status: who changed it, when, why."""

    __tablename__ = "site_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    site = relationship("Site", back_populates="history")
    changed_by = relationship("User")


class ReportObligation(db.Model):
    """A report owed to the Ministry: the six-monthly one (Circular 09/2014/TT-BTTTT Art. 9:
    before 31 January and 31 July) or a one-off request (the directive of 06/11/2014: before
    20/11/2014). Met when a report for it is issued."""

    __tablename__ = "report_obligations"
    __table_args__ = (
        check_in("kind", ObligationKind),
        UniqueConstraint("kind", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    basis: Mapped[str] = mapped_column(Text)  # the request or the rule
    period_start: Mapped[date]
    period_end: Mapped[date]
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    reports = relationship("Report", back_populates="obligation", order_by="Report.id")

    @property
    def submitted(self):
        return next((r for r in self.reports if r.status == ReportStatus.issued), None)


class Report(Sealed, db.Model):
    """An issued report to the Ministry ("Số: N/BC-STTTT"), frozen like a decision: its
    figures, PDF and spreadsheet as they were sent."""

    __tablename__ = "reports"
    # Columns sealed by an HMAC (core.audit.Sealed): a change outside the application shows.
    __sealed__ = ("issuer", "number", "year", "symbol", "issued_on", "period_start",
                  "period_end", "status", "sha256")
    __sealed_late__ = ("xlsx_sha256",)
    __table_args__ = (UniqueConstraint("issuer", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("report_obligations.id"))
    issuer: Mapped[str] = mapped_column(String(30))
    number: Mapped[int]
    year: Mapped[int]
    symbol: Mapped[str] = mapped_column(String(30))
    issued_on: Mapped[date]
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.issued)
    figures: Mapped[dict] = mapped_column(JSON)
    proposals: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_title: Mapped[str] = mapped_column(String(200))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    xlsx: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str] = mapped_column(String(64))
    # the spreadsheet's SHA-256 (None for reports issued before it was kept)
    xlsx_sha256: Mapped[str | None] = mapped_column(String(64))
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())

    obligation = relationship("ReportObligation", back_populates="reports")

    @property
    def full_number(self) -> str:
        """"01/BC-STTTT" (a leading zero below 10, docs/legal/documents.md#numbering)."""
        return document_number(self.number, self.symbol)


class ImportBatch(db.Model):
    """An uploaded registry file, parsed and waiting for the user's confirmation: nothing is
    written to the registry until then."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[list] = mapped_column(JSON)  # [{line, outcome, message, data, site_id}]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Reachability(Choice):
    """Whether a site answers (docs/evidence.md#registry-check)."""

    online = "online", _l("Online")
    offline = "offline", _l("Offline")


class SiteCheck(db.Model):
    """The latest reachability check of a site (one row per site, kept apart from `Site` so
    a nightly check never bumps the version an editor holds): online or offline, since when
    (the first check that found the present state), the HTTP status and what failed."""

    __tablename__ = "site_checks"
    __table_args__ = (check_in("state", Reachability),)

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    http_status: Mapped[int | None]
    url: Mapped[str | None] = mapped_column(String(500))  # the address that answered
    error: Mapped[str | None] = mapped_column(String(300))

    site = relationship("Site", backref=db.backref("check", uselist=False))
