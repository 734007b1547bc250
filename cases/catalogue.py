"""Load the legal catalogue data file (legal/data/catalogue.yaml) into its tables."""

from __future__ import annotations

from cases.models import LegalClause, LegalInstrument
from extensions import db
from legal import catalogue


def load_catalogue() -> dict[str, int]:
    """Insert or update every instrument and clause of the data file (idempotent: a second
    run changes nothing). Returns {"instruments": n, "clauses": n, "changed": n}. Never
    commits."""
    instruments, clauses = catalogue.load()
    changed = 0
    for item in instruments:
        row = db.session.get(LegalInstrument, item.id) or LegalInstrument(id=item.id)
        values = {"title_vi": item.title_vi, "title_en": item.title_en,
                  "effective_from": item.effective_from, "effective_to": item.effective_to,
                  "status": item.status, "verified": item.verified, "source": item.source}
        changed += _apply(row, values)
    db.session.flush()
    for item in clauses:
        row = db.session.get(LegalClause, item.id) or LegalClause(id=item.id)
        values = {
            "instrument_id": item.instrument_id, "article": item.article, "clause": item.clause,
            "point": item.point, "act_vi": item.act_vi, "act_en": item.act_en,
            "fine_min": item.fine_min, "fine_max": item.fine_max,
            "base_subject": item.base_subject, "warning_allowed": item.warning_allowed,
            "field": item.field, "enforces": item.enforces,
            "additional_sanctions": list(item.additional_sanctions),
            "remedial_measures": list(item.remedial_measures),
            "effective_from": item.effective_from, "effective_to": item.effective_to,
            "status": item.status, "verified": item.verified, "source": item.source,
        }
        changed += _apply(row, values)
    db.session.flush()
    return {"instruments": len(instruments), "clauses": len(clauses), "changed": changed}


def _apply(row, values: dict) -> int:
    if row not in db.session:
        for k, v in values.items():
            setattr(row, k, v)
        db.session.add(row)
        return 1
    diff = {k: v for k, v in values.items() if getattr(row, k) != v}
    for k, v in diff.items():
        setattr(row, k, v)
    return 1 if diff else 0
