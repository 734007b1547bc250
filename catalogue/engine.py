"""The legal engine fed with the database's catalogue (the administrator's corrections):
deadline rules, competence limits and the working calendar, cached per request."""

from __future__ import annotations

from collections import defaultdict

from flask import g
from sqlalchemy import select

from catalogue.models import CompetenceLimit, DeadlineRuleText
from core.calendar import working_calendar
from extensions import db
from legal.competence import Limit
from legal.deadlines import RULES, DeadlineRule, RuleText

__all__ = ["competence_table", "deadline_rules", "working_calendar"]


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


def forget() -> None:
    """Drop the per-request caches after an administrator changed the catalogue."""
    for name in ("_deadline_rules", "_competence_table", "_working_calendar"):
        g.pop(name, None)
