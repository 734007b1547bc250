"""Registry entries (Site): a general information website, a social network or another site."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.types import UTCDateTime
from extensions import db
from legal.text import fold


class SiteKind(enum.StrEnum):
    """Decree 72/2013 Art. 20 (general information website) and Art. 3(22) (social network)."""

    general_website = "general_website"
    social_network = "social_network"
    other = "other"


class RegistryStatus(enum.StrEnum):
    """Statuses the 2014 directive names (licensed, registered, unlicensed, trial) plus
    suspended, revoked, ceased (LEGAL.md §2)."""

    licensed = "licensed"
    registered = "registered"
    unlicensed = "unlicensed"
    trial = "trial"
    suspended = "suspended"
    revoked = "revoked"
    ceased = "ceased"


class OperatorKind(enum.StrEnum):
    organisation = "organisation"
    individual = "individual"


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Site(db.Model):
    __tablename__ = "sites"
    __table_args__ = (
        CheckConstraint(_in("kind", SiteKind), name="kind_valid"),
        CheckConstraint(_in("status", RegistryStatus), name="status_valid"),
        CheckConstraint(_in("operator_kind", OperatorKind), name="operator_kind_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    # Normalised domain (lower case, no scheme, no www., punycode): one site per domain.
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    url: Mapped[str | None] = mapped_column(String(500))
    operator_kind: Mapped[str] = mapped_column(String(20), default=OperatorKind.organisation)
    operator_name: Mapped[str] = mapped_column(String(300))
    operator_address: Mapped[str | None] = mapped_column(String(500))
    operator_tax_id: Mapped[str | None] = mapped_column(String(50))
    licence_number: Mapped[str | None] = mapped_column(String(100))
    licence_issuer: Mapped[str | None] = mapped_column(String(300))
    licence_issued_on: Mapped[date | None]
    licence_expires_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20))
    district: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def refresh_search_text(self) -> None:
        parts = [self.name, self.domain, self.operator_name, self.district, self.licence_number]
        self.search_text = fold(" ".join(p for p in parts if p))

    def __repr__(self) -> str:
        return f"<Site {self.domain}>"
