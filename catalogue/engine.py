"""The legal engine fed with the database's catalogue (the administrator's corrections):
sanction provisions, deadline rules, competence limits and the working calendar, cached per
request."""

from __future__ import annotations

from collections import defaultdict

from flask import g
from sqlalchemy import select

from catalogue.models import (
    CompetenceLimit,
    DeadlineRuleText,
    EnforcementFact,
    LegalClause,
    LegalClauseAlias,
    LegalInstrument,
    LegalProhibition,
)
from core.calendar import working_calendar
from extensions import db
from legal import enforcement as enforcement_rules
from legal.catalogue import Alias, Catalogue, Prohibition, sort_key
from legal.competence import Limit
from legal.deadlines import RULES, DeadlineRule, RuleText

__all__ = ["citation", "clause_row", "competence_table", "deadline_rules", "enforcement",
           "legal_catalogue", "working_calendar"]


def legal_catalogue() -> Catalogue:
    """The sanction catalogue as stored (shipped files + the administrator's corrections),
    as a `legal.catalogue.Catalogue`: version choice, citations and search work on it as on
    the files. Four queries, once per request."""
    cached = g.get("_legal_catalogue")
    if cached is not None:
        return cached
    instruments = {r.id: r.as_value() for r in db.session.scalars(select(LegalInstrument))}
    entries: dict[str, list] = defaultdict(list)
    for row in db.session.scalars(select(LegalClause).order_by(LegalClause.effective_from)):
        entries[row.id].append(row.as_value())
    prohibitions = {r.id: Prohibition(r.id, r.act_vi, r.act_en, r.effective_from,
                                      r.effective_to, r.status, r.source)
                    for r in db.session.scalars(select(LegalProhibition))}
    aliases = {r.old_id: Alias(r.old_id, r.new_id, r.note)
               for r in db.session.scalars(select(LegalClauseAlias))}
    ordered = {cid: tuple(entries[cid]) for cid in sorted(entries, key=sort_key)}
    cached = g._legal_catalogue = Catalogue(instruments, ordered, prohibitions, aliases)
    return cached


def citation(row: LegalClause) -> str:
    """The citation a decision prints for a stored version (`Catalogue.citation`): the
    point, the decree's number, date, issuer and name, the amending decrees."""
    return legal_catalogue().citation(row.as_value())


def clause_row(version) -> LegalClause:
    """The table row of a version chosen from `legal_catalogue()`."""
    return db.session.get(LegalClause, (version.id, version.version))


def deadline_rules() -> dict[str, DeadlineRule]:
    """The deadline rules as stored (shipped file + corrections); the file's rules when the
    table is empty (a database not loaded yet)."""
    cached = g.get("_deadline_rules")
    if cached is not None:
        return cached
    rows = db.session.scalars(select(DeadlineRuleText).order_by(
        DeadlineRuleText.rule_code, DeadlineRuleText.effective_from)).all()
    if not rows:
        g._deadline_rules = RULES
        return RULES
    texts: dict[str, list[RuleText]] = defaultdict(list)
    names: dict[str, tuple[str, str]] = {}
    for row in rows:
        names[row.rule_code] = (row.name_vi, row.name_en)
        texts[row.rule_code].append(RuleText(
            regime=row.regime, effective_from=row.effective_from, effective_to=row.effective_to,
            period=dict(row.period), basis=row.basis, status=row.status, source=row.source,
            roll=row.roll, when={"field": row.when_field} if row.when_field else {}))
    rules = {code: DeadlineRule(code, *names[code], tuple(ts)) for code, ts in texts.items()}
    g._deadline_rules = rules
    return rules


def competence_table() -> list[Limit]:
    """Competence limits as stored (cached per request)."""
    cached = g.get("_competence_table")
    if cached is None:
        cached = [
            Limit(r.title, r.title_vi, r.effective_from, r.effective_to, r.individual,
                  r.organisation, r.warning, r.status, r.source)
            for r in db.session.scalars(select(CompetenceLimit))
        ]
        g._competence_table = cached
    return cached


def enforcement() -> dict:
    """The enforcement data as stored (shipped legal/data/enforcement.yaml + the
    administrator's corrections), parsed by `legal.enforcement.parse`: pass it as `data=` to
    the functions of `legal.enforcement`. A section with no stored row (a database not loaded
    since the release that added it) is read from the file; sections that are not dated
    texts (the words of the coercion methods) always are. One query, once per request
    (or per app context for the scheduler's jobs)."""
    cached = g.get("_enforcement")
    if cached is not None:
        return cached
    raw = enforcement_rules.raw_data()
    stored: dict[str, list[dict]] = defaultdict(list)
    for row in db.session.scalars(select(EnforcementFact).order_by(
            EnforcementFact.section, EnforcementFact.effective_from)):
        stored[row.section].append(row.as_raw())
    raw.update(stored)
    cached = g._enforcement = enforcement_rules.parse(raw)
    return cached


def forget() -> None:
    """Drop the per-request caches after an administrator changed the catalogue."""
    for name in ("_deadline_rules", "_competence_table", "_working_calendar",
                 "_legal_catalogue", "_enforcement"):
        g.pop(name, None)
