"""Catalogue tables. Rows come from legal/data; an administrator's correction marks a row
``locally_modified`` so a later `flask legal load` keeps it (and reports what the release
would have changed)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db
from legal.catalogue import Clause, Field, Instrument, Status, parse_id, period_text
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


class ProvisionField(Choice):
    """The field of a sanction provision (legal.catalogue.Field): it decides the limitation
    period for sanctioning (docs/legal/time-limits.md#limitation)."""

    electronic_information = "electronic_information", _l(
        "electronic information (1-year limitation)")
    press = "press", _l("press and publishing (2-year limitation)")


class LoadChange(Choice):
    """What one run of the catalogue loader did to a row (`CatalogueLoad.changes`)."""

    added = "added", _l("added")
    changed = "changed", _l("changed")
    kept = "kept", _l("kept as corrected locally; the release proposes")
    replaced = "replaced", _l("replaced by a point-level entry (kept for stored cases)")


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
    """A law, decree or circular (legal/data/catalogue/instruments.yaml)."""

    __tablename__ = "legal_instruments"
    __table_args__ = (check_in("status", Status),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "174/2013/NĐ-CP"
    title_vi: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    kind_vi: Mapped[str] = mapped_column(String(40), server_default="Nghị định")
    name_vi: Mapped[str] = mapped_column(Text, server_default="")
    issuer_vi: Mapped[str] = mapped_column(String(100), server_default="")
    signed_on: Mapped[date | None]
    amends: Mapped[str | None] = mapped_column(String(40))
    replaced_by: Mapped[str | None] = mapped_column(String(40))

    def as_value(self) -> Instrument:
        return Instrument(
            id=self.id, kind_vi=self.kind_vi, name_vi=self.name_vi, title_en=self.title_en,
            issuer_vi=self.issuer_vi, signed_on=self.signed_on,
            effective_from=self.effective_from, effective_to=self.effective_to,
            status=self.status, source=self.source, amends=self.amends,
            replaced_by=self.replaced_by)


class LegalProhibition(_Entry, db.Model):
    """A prohibited act of Decree 72/2013/NĐ-CP Art. 5 (no fine of its own)."""

    __tablename__ = "legal_prohibitions"
    __table_args__ = (check_in("status", Status),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "72/2013/NĐ-CP:5.1.d"
    act_vi: Mapped[str] = mapped_column(Text)
    act_en: Mapped[str] = mapped_column(Text)


class LegalClause(_Entry, db.Model):
    """One version of a sanction provision (docs/legal/catalogue.md#versions): the act, the
    fine range for its base subject, what else the text allows, when it was in force, how
    sure we are of it and who verified it. The primary key is the entry id (point level,
    ``15/2020/NĐ-CP:101.1.a``) with the version number; violations point to both."""

    __tablename__ = "legal_clauses"
    __table_args__ = (
        check_in("status", Status),
        check_in("base_subject", SubjectKind, name="base_valid"),
        CheckConstraint("fine_min IS NULL OR fine_min <= fine_max", name="range_valid"),
        check_in("field", Field),
        CheckConstraint("version > 0", name="version_valid"),
    )

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # "15/2020/NĐ-CP:101.1.a"
    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    instrument_id: Mapped[str] = mapped_column(ForeignKey("legal_instruments.id"))
    article: Mapped[str | None] = mapped_column(String(8))
    clause: Mapped[str | None] = mapped_column(String(8))
    point: Mapped[str | None] = mapped_column(String(2))
    act_vi: Mapped[str] = mapped_column(Text)
    act_en: Mapped[str] = mapped_column(Text)
    fine_min: Mapped[int | None]
    fine_max: Mapped[int | None]
    base_subject: Mapped[str] = mapped_column(String(20))
    warning_allowed: Mapped[bool | None]  # None: not known (the text was not read)
    field: Mapped[str] = mapped_column(String(30))
    enforces: Mapped[list] = mapped_column(JSON, default=list)
    additional_sanctions: Mapped[list | None] = mapped_column(JSON)  # None: not known
    remedial_measures: Mapped[list | None] = mapped_column(JSON)  # None: not known
    applied_in: Mapped[str | None] = mapped_column(Text)  # a real decision that applied it
    amended_by: Mapped[list] = mapped_column(JSON, default=list)  # instrument ids, oldest first
    change_note: Mapped[str | None] = mapped_column(Text)  # what changed from the version before
    successor: Mapped[str | None] = mapped_column(String(80))
    superseded_by: Mapped[str | None] = mapped_column(String(80))  # release-1 id kept for cases
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_source: Mapped[str | None] = mapped_column(Text)

    instrument: Mapped[LegalInstrument] = relationship()
    verified_by = relationship("User")

    @property
    def key(self) -> str:
        """"15/2020/NĐ-CP:101.1.a@2" — the entry and its version, as audit events name it."""
        return f"{self.id}@{self.version}"

    def range_for(self, subject_kind: str) -> FineRange | None:
        """The fine range for an individual or organisation, or None when not known."""
        if self.fine_min is None or self.fine_max is None:
            return None
        return range_for_subject(self.fine_min, self.fine_max, self.base_subject, subject_kind)

    def as_value(self) -> Clause:
        """The version as the pure catalogue's value (legal.catalogue.Clause)."""
        return Clause(
            id=self.id, version=self.version, act_vi=self.act_vi, act_en=self.act_en,
            fine_min=self.fine_min, fine_max=self.fine_max, base_subject=self.base_subject,
            warning_allowed=self.warning_allowed, field=self.field,
            effective_from=self.effective_from, effective_to=self.effective_to,
            status=self.status, source=self.source, enforces=tuple(self.enforces or ()),
            additional_sanctions=_opt(self.additional_sanctions),
            remedial_measures=_opt(self.remedial_measures), applied_in=self.applied_in,
            amended_by=tuple(self.amended_by or ()), change=self.change_note,
            successor=self.successor, superseded_by=self.superseded_by)

    @property
    def provision_vi(self) -> str:
        """"điểm a khoản 1 Điều 101 15/2020/NĐ-CP" — short, for lists (the citation a
        decision prints: `catalogue.engine.citation`)."""
        ref = parse_id(self.id)
        return f"{ref.provision_vi()} {ref.instrument}".strip()

    @property
    def period_text(self) -> str:
        return period_text(self)


def _opt(value) -> tuple | None:
    return None if value is None else tuple(value)


class LegalClauseAlias(db.Model):
    """An id of an earlier release (release 1 cited some clauses without their point) and
    the entry it maps to now (legal/data/catalogue/aliases.yaml)."""

    __tablename__ = "legal_clause_aliases"

    old_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    new_id: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")


class CatalogueLoad(db.Model):
    """One run of the loader: the release it loaded and what it changed, for the
    administrator's page (``changes``: [{"kind", "id", "what", "fields"}])."""

    __tablename__ = "catalogue_loads"

    id: Mapped[int] = mapped_column(primary_key=True)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    release: Mapped[int]
    counts: Mapped[dict] = mapped_column(JSON)
    changes: Mapped[list] = mapped_column(JSON)


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


class EnforcementFact(_Entry, db.Model):
    """One text of a section of legal/data/enforcement.yaml in force over a period (the
    late-payment counting, the limitation for enforcing, complaints, instalments, coercion,
    and any section a release adds in the same shape): its basis, status and source, and the
    values the enforcement rules read (`values`, as the file names them: amounts in VND,
    days, per-ten-thousand rates). An administrator's correction sets `locally_modified`,
    `note` (why) and who made it; the loader then keeps it (docs/legal/enforcement.md#data)."""

    __tablename__ = "enforcement_facts"
    __table_args__ = (
        UniqueConstraint("section", "effective_from"),
        check_in("status", Status),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section: Mapped[str] = mapped_column(String(40))  # "late_payment", "instalments", …
    basis: Mapped[str] = mapped_column(Text, default="")
    values: Mapped[dict] = mapped_column("fact_values", JSON)
    note: Mapped[str | None] = mapped_column(Text)  # the administrator's reason for a change
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    updated_by = relationship("User")

    @property
    def key(self) -> str:
        """"instalments@2022-01-01" — the section and the start of its period, as the loader
        and the audit events name it."""
        return f"{self.section}@{self.effective_from.isoformat()}"

    def as_raw(self) -> dict:
        """The entry as the file writes it (dates as dates)."""
        out = dict(self.values)
        out.update(effective_from=self.effective_from, effective_to=self.effective_to,
                   status=self.status, source=self.source)
        if self.basis:
            out["basis"] = self.basis
        return out
