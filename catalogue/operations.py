"""Administrator operations on the catalogue and the calendar; each is audited.

A change that can move deadlines (a rule text, a calendar override) recomputes the open
deadlines of open cases and e-mails the inspectors whose dates moved.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from auth.permissions import has_permission
from catalogue import engine
from catalogue.models import CompetenceLimit, DeadlineRuleText, LegalClause, LegalInstrument
from core import audit
from core.errors import NotAllowed, OperationError
from core.models import CalendarOverride, OverrideKind
from core.signals import deadlines_outdated
from extensions import db
from legal.catalogue import CLAUSE_ID, Status
from legal.dates import format_date_vn
from legal.deadlines import Period

CLAUSE_FIELDS = ("act_vi", "act_en", "fine_min", "fine_max", "base_subject", "warning_allowed",
                 "field", "enforces", "remedial_measures", "additional_sanctions",
                 "effective_from", "effective_to", "status", "source")


def _require_admin(user) -> None:
    if not has_permission(user, "catalogue.manage"):
        raise NotAllowed(_("You are not allowed to do this."))


def _snapshot(row, names) -> dict:
    return {n: (v.isoformat() if isinstance(v := getattr(row, n), date) else v) for n in names}


def save_clause(user, clause_id: str, data: dict, *, new: bool) -> LegalClause:
    """Add a clause (`new`) or correct one. Marks it locally modified; audited with the
    values before and after. Raises NotAllowed or OperationError."""
    _require_admin(user)
    m = CLAUSE_ID.match(clause_id or "")
    if m is None:
        raise OperationError(_("Write it as <instrument>:<article>.<clause>[.<point>], "
                               "e.g. 174/2013/NĐ-CP:64.3.a"), "id")
    if db.session.get(LegalInstrument, m["instrument"]) is None:
        raise OperationError(_("Unknown instrument %(id)s.", id=m["instrument"]), "id")
    row = db.session.get(LegalClause, clause_id)
    if new and row is not None:
        raise OperationError(_("%(id)s is already in the catalogue.", id=clause_id), "id")
    if not new and row is None:
        raise OperationError(_("No such clause."))
    before = None if new else _snapshot(row, CLAUSE_FIELDS)
    if new:
        row = LegalClause(id=clause_id, instrument_id=m["instrument"], article=int(m["article"]),
                          clause=int(m["clause"]), point=m["point"])
        db.session.add(row)
    for name in CLAUSE_FIELDS:
        setattr(row, name, data[name])
    row.verified = row.status != Status.U
    row.locally_modified = True
    db.session.flush()
    audit.record(user, "catalogue.clause_added" if new else "catalogue.clause_changed", row,
                 before=before, after=_snapshot(row, CLAUSE_FIELDS))
    return row


def retire_clause(user, clause: LegalClause, until: date) -> None:
    """End the period in force of a clause on `until` (it stays for past violations)."""
    _require_admin(user)
    if until < clause.effective_from:
        raise OperationError(_("The end of the period cannot be before its start."))
    before = _snapshot(clause, ("effective_to",))
    clause.effective_to = until
    clause.locally_modified = True
    audit.record(user, "catalogue.clause_retired", clause, before=before,
                 after=_snapshot(clause, ("effective_to",)))


def save_limit(user, limit: CompetenceLimit, data: dict) -> None:
    """Correct a competence limit (amounts in VND). Audited."""
    _require_admin(user)
    names = ("individual", "organisation", "warning", "effective_from", "effective_to",
             "status", "source")
    before = _snapshot(limit, names)
    for name in names:
        setattr(limit, name, data[name])
    limit.verified = limit.status != Status.U
    limit.locally_modified = True
    audit.record(user, "catalogue.limit_changed", limit, before=before,
                 after=_snapshot(limit, names))


def save_rule_text(user, text: DeadlineRuleText, data: dict) -> list[tuple]:
    """Correct a deadline rule text (length of its period, whether a last day off rolls to the
    next working day, basis, period in force, status); recomputes open deadlines. Returns
    the moved deadlines (see `recompute_open`)."""
    _require_admin(user)
    names = ("period", "roll", "basis", "effective_from", "effective_to", "status", "source")
    before = _snapshot(text, names)
    (kind, _old), = text.period.items()
    if kind in (Period.next_of, Period.given):
        raise OperationError(_("This rule has no length to change."))
    text.period = {kind: data["period_amount"]}
    if kind != Period.working_days:  # a count of working days never ends on a day off
        text.roll = bool(data.get("roll", text.roll))
    for name in ("basis", "effective_from", "effective_to", "status", "source"):
        setattr(text, name, data[name])
    text.verified = text.status != Status.U
    text.locally_modified = True
    event = audit.record(user, "catalogue.rule_changed", text, before=before,
                         after=_snapshot(text, names))
    return recompute_open(user, event.id)


def add_override(user, day: date, kind: str, note: str) -> list[tuple]:
    """Add an extra day off or a make-up working day; recomputes open deadlines and tells
    the inspectors whose dates moved. Returns the moved deadlines."""
    _require_admin(user)
    if kind not in (OverrideKind.day_off, OverrideKind.working_day):
        raise OperationError(_("Choose a kind."), "kind")
    if db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day)):
        raise OperationError(_("%(day)s already has an override; remove it first.",
                               day=format_date_vn(day)), "day")
    cal = engine.working_calendar()
    if kind == OverrideKind.day_off and not cal.is_working_day(day):
        raise OperationError(_("%(day)s is already a day off.", day=format_date_vn(day)), "day")
    if kind == OverrideKind.working_day and cal.is_working_day(day):
        raise OperationError(_("%(day)s is already a working day.", day=format_date_vn(day)),
                             "day")
    row = CalendarOverride(day=day, kind=kind, note=note or "")
    db.session.add(row)
    db.session.flush()
    event = audit.record(user, "calendar.override_added", row,
                         after={"day": day.isoformat(), "kind": kind, "note": note})
    return recompute_open(user, event.id)


def remove_override(user, row: CalendarOverride) -> list[tuple]:
    _require_admin(user)
    event = audit.record(user, "calendar.override_removed", row,
                         before={"day": row.day.isoformat(), "kind": row.kind, "note": row.note})
    db.session.delete(row)
    db.session.flush()
    return recompute_open(user, event.id)


def recompute_open(user, event_id: int) -> list[tuple]:
    """Have every open deadline recomputed after a calendar or rule change (the owners answer
    `core.signals.deadlines_outdated`; for cases, `cases.deadlines.recompute_open_cases`).

    Returns [(case, deadline key, old due date, new due date)] for every open deadline that
    moved; the owners queue one e-mail per case to its inspector listing them."""
    engine.forget()
    moved = []
    for _receiver, answer in deadlines_outdated.send(user, event_id=event_id):
        moved += answer or []
    return moved
