"""Load legal/data into the catalogue tables (``flask legal load``, ``init-db``).

Migration-safe: a new release adds entries and versions and amends the ones it changed; a
row an administrator corrected (``locally_modified``) is kept as the administrator left it,
and the report says what the release proposed for it. An id of an earlier release that the
data now maps to another entry (aliases.yaml) keeps its row for the cases stored under it,
marked as replaced. A second run changes nothing. Each run is recorded (`CatalogueLoad`) with
what it changed, for the administrator's page.
"""

from __future__ import annotations

from sqlalchemy import select

from catalogue.models import (
    CatalogueLoad,
    CompetenceLimit,
    DeadlineRuleText,
    EnforcementFact,
    LegalClause,
    LegalClauseAlias,
    LegalInstrument,
    LegalProhibition,
    LoadChange,
)
from core import audit
from core.clock import clock
from extensions import db
from legal import catalogue, competence
from legal import enforcement as enforcement_data
from legal.deadlines import load_rules

CLAUSE_COLUMNS = ("instrument_id", "article", "clause", "point", "act_vi", "act_en", "fine_min",
                  "fine_max", "base_subject", "warning_allowed", "field", "enforces",
                  "additional_sanctions", "remedial_measures", "applied_in", "amended_by",
                  "change_note", "successor", "effective_from", "effective_to", "status",
                  "verified", "source")


def _clause_values(v: catalogue.Clause) -> dict:
    ref = v.ref
    return {
        "instrument_id": ref.instrument, "article": ref.article, "clause": ref.clause,
        "point": ref.point, "act_vi": v.act_vi, "act_en": v.act_en, "fine_min": v.fine_min,
        "fine_max": v.fine_max, "base_subject": v.base_subject,
        "warning_allowed": v.warning_allowed, "field": v.field, "enforces": list(v.enforces),
        "additional_sanctions": _list(v.additional_sanctions),
        "remedial_measures": _list(v.remedial_measures), "applied_in": v.applied_in,
        "amended_by": list(v.amended_by), "change_note": v.change, "successor": v.successor,
        "effective_from": v.effective_from, "effective_to": v.effective_to,
        "status": v.status, "verified": v.verified, "source": v.source}


def _list(value):
    return None if value is None else list(value)


class _Report:
    def __init__(self):
        self.changes: list[dict] = []
        self.counts = {"added": 0, "changed": 0, "kept": 0, "unchanged": 0}

    def upsert(self, kind: str, key: str, row, new, values: dict) -> None:
        if row is None:
            for name, value in values.items():
                setattr(new, name, value)
            db.session.add(new)
            self.counts["added"] += 1
            self.changes.append({"kind": kind, "id": key, "what": LoadChange.added, "fields": []})
            return
        diff = sorted(k for k, v in values.items() if getattr(row, k) != v)
        if not diff:
            self.counts["unchanged"] += 1
            return
        if getattr(row, "locally_modified", False):
            self.counts["kept"] += 1
            self.changes.append({"kind": kind, "id": key, "what": LoadChange.kept, "fields": diff})
            return
        for name in diff:
            setattr(row, name, values[name])
        self.counts["changed"] += 1
        self.changes.append({"kind": kind, "id": key, "what": LoadChange.changed, "fields": diff})


def load_catalogue() -> dict:
    """Insert or update every entry of legal/data. Returns {"release", "instruments",
    "clauses" (entries), "versions", "prohibitions", "aliases", "rules", "limits",
    "enforcement" (texts of the dated sections of enforcement.yaml), "added",
    "changed", "kept" (corrected locally, left alone), "unchanged", "changes" (list of
    {"kind", "id", "what": added|changed|kept|replaced, "fields"})}. Records the run and an
    audit event when anything changed. Flushes, never commits. Raises
    legal.catalogue.CatalogueError or legal.enforcement.EnforcementError when the files are
    malformed (nothing is written)."""
    cat = catalogue.load()
    report = _Report()
    for item in cat.instruments.values():
        report.upsert("instrument", item.id, db.session.get(LegalInstrument, item.id),
                      LegalInstrument(id=item.id), {
                          "title_vi": item.title_vi, "title_en": item.title_en,
                          "kind_vi": item.kind_vi, "name_vi": item.name_vi,
                          "issuer_vi": item.issuer_vi, "signed_on": item.signed_on,
                          "amends": item.amends, "replaced_by": item.replaced_by,
                          "effective_from": item.effective_from,
                          "effective_to": item.effective_to, "status": item.status,
                          "verified": item.verified, "source": item.source})
    db.session.flush()
    existing = {(r.id, r.version): r for r in db.session.scalars(select(LegalClause))}
    n_versions = 0
    for versions in cat.entries.values():
        for v in versions:
            n_versions += 1
            report.upsert("clause", f"{v.id}@{v.version}", existing.get((v.id, v.version)),
                          LegalClause(id=v.id, version=v.version), _clause_values(v))
    for item in cat.prohibitions.values():
        report.upsert("prohibition", item.id, db.session.get(LegalProhibition, item.id),
                      LegalProhibition(id=item.id), {
                          "act_vi": item.act_vi, "act_en": item.act_en,
                          "effective_from": item.effective_from,
                          "effective_to": item.effective_to, "status": item.status,
                          "verified": item.verified, "source": item.source})
    for alias in cat.aliases.values():
        report.upsert("alias", alias.old, db.session.get(LegalClauseAlias, alias.old),
                      LegalClauseAlias(old_id=alias.old),
                      {"new_id": alias.new, "note": alias.note})
        for (cid, version), row in existing.items():
            if cid == alias.old and row.superseded_by != alias.new:
                row.superseded_by = alias.new
                report.counts["changed"] += 1
                report.changes.append({"kind": "clause", "id": f"{cid}@{version}",
                                       "what": LoadChange.replaced, "fields": [alias.new]})
    n_rules = _load_rules(report)
    n_limits = _load_limits(report)
    n_facts = _load_enforcement(report)
    db.session.flush()
    result = dict(report.counts, release=cat.release, instruments=len(cat.instruments),
                  clauses=len(cat.entries), versions=n_versions,
                  prohibitions=len(cat.prohibitions), aliases=len(cat.aliases), rules=n_rules,
                  limits=n_limits, enforcement=n_facts, changes=report.changes)
    if report.counts["added"] or report.counts["changed"] or _kept(report.changes) != _kept(
            _last_run_changes()):
        run = CatalogueLoad(loaded_at=clock().now(), release=cat.release,
                            counts={k: v for k, v in result.items() if k != "changes"},
                            changes=report.changes)
        db.session.add(run)
        db.session.flush()
        audit.record(None, "catalogue.loaded", run, after={
            "release": cat.release, **report.counts})
    return result


def _kept(changes: list[dict]) -> set:
    return {(c["id"], tuple(c["fields"])) for c in changes if c["what"] == LoadChange.kept}


def _last_run_changes() -> list[dict]:
    last = db.session.scalar(select(CatalogueLoad).order_by(CatalogueLoad.id.desc()).limit(1))
    return last.changes if last else []


def _load_rules(report: _Report) -> int:
    n = 0
    for rule in load_rules().values():
        for text in rule.texts:
            n += 1
            when = text.when.get("field", "")
            row = db.session.scalar(select(DeadlineRuleText).where(
                DeadlineRuleText.rule_code == rule.code,
                DeadlineRuleText.effective_from == text.effective_from,
                DeadlineRuleText.when_field == when))
            report.upsert("rule", f"{rule.code}@{text.effective_from}", row,
                          DeadlineRuleText(rule_code=rule.code,
                                           effective_from=text.effective_from,
                                           when_field=when), {
                              "name_vi": rule.name_vi, "name_en": rule.name_en,
                              "regime": text.regime, "period": dict(text.period),
                              "roll": text.roll, "basis": text.basis,
                              "effective_to": text.effective_to, "status": text.status,
                              "verified": text.verified, "source": text.source})
    return n


def _load_limits(report: _Report) -> int:
    limits = competence.limits()
    for lim in limits:
        row = db.session.scalar(select(CompetenceLimit).where(
            CompetenceLimit.title == lim.title,
            CompetenceLimit.effective_from == lim.effective_from))
        report.upsert("limit", f"{lim.title}@{lim.effective_from}", row,
                      CompetenceLimit(title=lim.title, effective_from=lim.effective_from), {
                          "title_vi": lim.title_vi, "effective_to": lim.effective_to,
                          "individual": lim.individual, "organisation": lim.organisation,
                          "warning": lim.warning, "status": lim.status,
                          "verified": lim.verified, "source": lim.source})
    return len(limits)


def _load_enforcement(report: _Report) -> int:
    """Every text of every dated section of legal/data/enforcement.yaml (whatever sections a
    release adds in the shape effective_from/effective_to/status/basis/source + values), one
    row per (section, start of its period); a row an administrator corrected is kept and the
    report says what the release proposed."""
    raw = enforcement_data.raw_data()
    enforcement_data.parse(raw)  # a malformed file stops the load before anything is written
    existing = {(r.section, r.effective_from): r
                for r in db.session.scalars(select(EnforcementFact))}
    n = 0
    for section, entries in enforcement_data.dated_sections(raw).items():
        for entry in entries:
            n += 1
            values = {k: v for k, v in entry.items()
                      if k not in enforcement_data.COMMON_FIELDS}
            report.upsert("enforcement", f"{section}@{entry['effective_from'].isoformat()}",
                          existing.get((section, entry["effective_from"])),
                          EnforcementFact(section=section,
                                          effective_from=entry["effective_from"]), {
                              "basis": entry.get("basis") or "", "values": values,
                              "effective_to": entry["effective_to"],
                              "status": entry["status"],
                              "verified": entry["status"] != catalogue.Status.U,
                              "source": entry["source"]})
    return n


def describe(change: dict) -> str:
    """One line of the report, for the CLI: "added 15/2020/NĐ-CP:101.1.a@1"."""
    fields = f" ({', '.join(change['fields'])})" if change["fields"] else ""
    return f"{change['what']} {change['kind']} {change['id']}{fields}"

