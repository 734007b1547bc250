"""Coordination requests to partner agencies (Police, Culture Department, Authority, VNNIC…)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db


class Partner(Choice):
    police = "police", _l("Provincial Police")
    culture_department = "culture_department", _l("Department of Culture, Sports and Tourism")
    authority = "authority", _l("Authority of Broadcasting and Electronic Information")
    vnnic = "vnnic", _l("VNNIC (domain registry)")
    other = "other", _l("Other body")


class CoordinationRequest(db.Model):
    __tablename__ = "coordination_requests"
    __table_args__ = (
        check_in("partner", Partner),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    partner: Mapped[str] = mapped_column(String(30))
    partner_name: Mapped[str] = mapped_column(String(300))  # as addressed on the letter
    letter_number: Mapped[str | None] = mapped_column(String(50))
    sent_on: Mapped[date]
    request_text: Mapped[str] = mapped_column(Text)
    response_due_on: Mapped[date]
    response_received_on: Mapped[date | None]
    response_summary: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case = relationship("Case", back_populates="coordination_requests")
    created_by = relationship("User")
    # the reply's files (evidence of the case linked to this request)
    replies = relationship("Evidence", order_by="Evidence.id", viewonly=True)

    @property
    def answered(self) -> bool:
        return self.response_received_on is not None
