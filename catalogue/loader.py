"""Load legal/data into the catalogue tables (``flask legal load``, ``init-db``).

Idempotent: a second run changes nothing. Rows an administrator corrected
(``locally_modified``) are kept and reported, never overwritten.
"""

from __future__ import annotations

from sqlalchemy import select

from catalogue.models import (
    CompetenceLimit,
    DeadlineRuleText,
    LegalClause,
    LegalInstrument,
    LegalProhibition,
)
from extensions import db
from legal import catalogue, competence
from legal.deadlines import load_rules


def load_catalogue() -> dict[str, int]:
    """Insert or update every entry of legal/data. Returns counts {"instruments", "clauses",
    "prohibitions", "rules", "limits", "changed", "kept"} ("kept": locally modified rows left
    alone). Flushes, never commits."""
    counts = {"changed": 0, "kept": 0}
    instruments, clauses = catalogue.load()
    for item in instruments:
        _upsert(counts, db.session.get(LegalInstrument, item.id), LegalInstrument(id=item.id), {
            "title_vi": item.title_vi, "title_en": item.title_en,
            "effective_from": item.effective_from, "effective_to": item.effective_to,
            "status": item.status, "verified": item.verified, "source": item.source})
    db.session.flush()
    for item in clauses:
        _upsert(counts, db.session.get(LegalClause, item.id), LegalClause(id=item.id), {
            "instrument_id": item.instrument_id, "article": item.article, "clause": item.clause,
            "point": item.point, "act_vi": item.act_vi, "act_en": item.act_en,
            "fine_min": item.fine_min, "fine_max": item.fine_max,
            "base_subject": item.base_subject, "warning_allowed": item.warning_allowed,
            "field": item.field, "enforces": item.enforces,
            "additional_sanctions": list(item.additional_sanctions),
            "remedial_measures": list(item.remedial_measures),
            "effective_from": item.effective_from, "effective_to": item.effective_to,
            "status": item.status, "verified": item.verified, "source": item.source})
    prohibitions = catalogue.load_prohibitions()
    for item in prohibitions:
        row = db.session.get(LegalProhibition, item.id)
        _upsert(counts, row, LegalProhibition(id=item.id), {
            "act_vi": item.act_vi, "act_en": item.act_en, "status": item.status,
            "verified": item.verified, "source": item.source})
    rules = load_rules()
    n_rules = 0
    for rule in rules.values():
        for text in rule.texts:
            n_rules += 1
            when = text.when.get("field", "")
            row = db.session.scalar(select(DeadlineRuleText).where(
                DeadlineRuleText.rule_code == rule.code,
                DeadlineRuleText.effective_from == text.effective_from,
                DeadlineRuleText.when_field == when))
            _upsert(counts, row, DeadlineRuleText(rule_code=rule.code,
                                                  effective_from=text.effective_from,
                                                  when_field=when), {
                "name_vi": rule.name_vi, "name_en": rule.name_en, "regime": text.regime,
                "period": dict(text.period), "roll": text.roll, "basis": text.basis,
                "effective_to": text.effective_to, "status": text.status,
                "verified": text.verified, "source": text.source})
    limits = competence.limits()
    for lim in limits:
        row = db.session.scalar(select(CompetenceLimit).where(
            CompetenceLimit.title == lim.title,
            CompetenceLimit.effective_from == lim.effective_from))
        _upsert(counts, row, CompetenceLimit(title=lim.title,
                                             effective_from=lim.effective_from), {
            "title_vi": lim.title_vi, "effective_to": lim.effective_to,
            "individual": lim.individual, "organisation": lim.organisation,
            "warning": lim.warning, "status": lim.status, "verified": lim.verified,
            "source": lim.source})
    db.session.flush()
    counts.update(instruments=len(instruments), clauses=len(clauses),
                  prohibitions=len(prohibitions), rules=n_rules, limits=len(limits))
    return counts


def _upsert(counts: dict, row, new, values: dict) -> None:
    if row is None:
        for key, value in values.items():
            setattr(new, key, value)
        db.session.add(new)
        counts["changed"] += 1
        return
    if getattr(row, "locally_modified", False):
        counts["kept"] += 1
        return
    diff = {k: v for k, v in values.items() if getattr(row, k) != v}
    for key, value in diff.items():
        setattr(row, key, value)
    if diff:
        counts["changed"] += 1
