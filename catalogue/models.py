"""Catalogue tables. Rows come from legal/data (``origin="file"``); an administrator's
correction marks a row ``locally_modified`` so a later `flask legal load` keeps it."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.enums import Choice, check_in
from extensions import db
from legal.catalogue import Field, Status, citation_vi
from legal.fines import FineRange, range_for_subject


class SubjectKind(Choice):
    """Who is sanctioned, and the base subject of a fine range
    (docs/legal/fines.md#individual-half)."""

    organisation = "organisation", _l("Organisation")
    individual = "individual", _l("Individual")


class LimitationField(Choice):
    """The field a deadline text applies to (`when: {field: …}` in deadline_rules.yaml): the
    limitation period for sanctioning differs (docs/legal/time-limits.md#limitation)."""

    it = "it", _l("information technology, electronic information")
    press = "press", _l("press, publishing")


class _Entry:
    """Columns every catalogue entry has: status, source, period, local changes."""

    status: Mapped[str] = mapped_column(String(1))
    verified: Mapped[bool]
    source: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    locally_modified: Mapped[bool] = mapped_column(default=False)

    def in_force_on(self, day: date) -> bool:
        if day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


class LegalInstrument(_Entry, db.Model):
    __tablename__ = "legal_instruments"
    __table_args__ = (check_in("status", Status),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "174/2013/NĐ-CP"
    title_vi: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)


class LegalProhibition(db.Model):
    """A prohibited act of Decree 72/2013/NĐ-CP Art. 5."""

    __tablename__ = "legal_prohibitions"
    __table_args__ = (check_in("status", Status),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "72/2013/NĐ-CP:5.1.d"
    act_vi: Mapped[str] = mapped_column(Text)
    act_en: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(1))
    verified: Mapped[bool]
    source: Mapped[str] = mapped_column(Text)


class LegalClause(_Entry, db.Model):
    """A sanction clause: act, fine range for its base subject, what it allows, when in force."""

    __tablename__ = "legal_clauses"
    __table_args__ = (
        check_in("status", Status),
        check_in("base_subject", SubjectKind, name="base_valid"),
        CheckConstraint("fine_min IS NULL OR fine_min <= fine_max", name="range_valid"),
        check_in("field", Field),
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

    instrument: Mapped[LegalInstrument] = relationship()

    def range_for(self, subject_kind: str) -> FineRange | None:
        """The fine range for an individual or organisation, or None when not known."""
        if self.fine_min is None or self.fine_max is None:
            return None
        return range_for_subject(self.fine_min, self.fine_max, self.base_subject, subject_kind)

    @property
    def citation(self) -> str:
        return citation_vi(self.id)

    @property
    def period_text(self) -> str:
        end = self.effective_to.strftime("%d/%m/%Y") if self.effective_to else "…"
        return f"{self.effective_from:%d/%m/%Y} – {end}"


class DeadlineRuleText(_Entry, db.Model):
    """One text of a deadline rule (legal/data/deadline_rules.yaml)."""

    __tablename__ = "deadline_rule_texts"
    __table_args__ = (
        UniqueConstraint("rule_code", "effective_from", "when_field"),
        check_in("status", Status),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_code: Mapped[str] = mapped_column(String(40))
    name_vi: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    regime: Mapped[str] = mapped_column(String(10))
    when_field: Mapped[str] = mapped_column(String(20), default="")
    period: Mapped[dict] = mapped_column(JSON)  # {"days": 7} / {"working_days": 2} / …
    roll: Mapped[bool] = mapped_column(default=True)
    basis: Mapped[str] = mapped_column(Text)


class CompetenceLimit(_Entry, db.Model):
    """The largest fine a signer's title may impose, per subject
    (docs/legal/competence.md#limits)."""

    __tablename__ = "competence_limits"
    __table_args__ = (
        UniqueConstraint("title", "effective_from"),
        check_in("status", Status),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(40))  # chief_inspector, provincial_chairman…
    title_vi: Mapped[str] = mapped_column(Text)
    individual: Mapped[int]  # VND
    organisation: Mapped[int]  # VND
    warning: Mapped[bool] = mapped_column(default=True)
