"""The legal catalogue in the database (loaded from legal/data/catalogue.yaml)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from legal.fines import FineRange, range_for_subject


class LegalInstrument(db.Model):
    __tablename__ = "legal_instruments"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "174/2013/NĐ-CP"
    title_vi: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(1))
    verified: Mapped[bool]
    source: Mapped[str] = mapped_column(Text)


class LegalClause(db.Model):
    """A sanction clause: act, fine range for its base subject, what it allows, when in force."""

    __tablename__ = "legal_clauses"
    __table_args__ = (
        CheckConstraint("status IN ('V', 'P', 'U')", name="status_valid"),
        CheckConstraint("base_subject IN ('organisation', 'individual')", name="base_valid"),
        CheckConstraint("fine_min IS NULL OR fine_min <= fine_max", name="range_valid"),
    )

    id: Mapped[str] = mapped_column(String(60), primary_key=True)  # "174/2013/NĐ-CP:63.3"
    instrument_id: Mapped[str] = mapped_column(ForeignKey("legal_instruments.id"))
    article: Mapped[int]
    clause: Mapped[int]
    point: Mapped[str | None] = mapped_column(String(2))
    act_vi: Mapped[str] = mapped_column(Text)
    act_en: Mapped[str] = mapped_column(Text)
    fine_min: Mapped[int | None]
    fine_max: Mapped[int | None]
    base_subject: Mapped[str] = mapped_column(String(20))
    warning_allowed: Mapped[bool]
    field: Mapped[str] = mapped_column(String(30))
    enforces: Mapped[str | None] = mapped_column(Text)
    additional_sanctions: Mapped[list] = mapped_column(JSON, default=list)
    remedial_measures: Mapped[list] = mapped_column(JSON, default=list)
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(1))
    verified: Mapped[bool]
    source: Mapped[str] = mapped_column(Text)

    instrument: Mapped[LegalInstrument] = relationship()

    def in_force_on(self, day: date) -> bool:
        if day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to

    def range_for(self, subject_kind: str) -> FineRange | None:
        """The fine range for an individual or organisation, or None when not known."""
        if self.fine_min is None or self.fine_max is None:
            return None
        return range_for_subject(self.fine_min, self.fine_max, self.base_subject, subject_kind)

    @property
    def citation(self) -> str:
        from legal.catalogue import citation_vi

        return citation_vi(self.id)
