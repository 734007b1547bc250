"""Administrator operations on the catalogue and the calendar; each is audited.

A change that can move deadlines (a rule text, a calendar override) recomputes the open
deadlines of open cases and e-mails the inspectors whose dates moved.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from auth.permissions import has_permission
from catalogue import engine
from catalogue.models import (
    CompetenceLimit,
    DeadlineRuleText,
    EnforcementFact,
    LegalClause,
    LegalInstrument,
)
from core import audit
from core.clock import clock
from core.errors import NotAllowed, OperationError
from core.models import CalendarOverride, OverrideKind
from core.signals import deadlines_outdated
from extensions import db
from legal.catalogue import CatalogueError, Status, parse_id
from legal.dates import format_date_vn
from legal.deadlines import Period
from legal.enforcement import EnforcementError

CLAUSE_FIELDS = ("act_vi", "act_en", "fine_min", "fine_max", "base_subject", "warning_allowed",
                 "field", "enforces", "remedial_measures", "additional_sanctions",
                 "applied_in", "amended_by", "change_note", "successor",
                 "effective_from", "effective_to", "status", "source")


def _require_admin(user) -> None:
    if not has_permission(user, "catalogue.manage"):
        raise NotAllowed(_("You are not allowed to do this."))


def _snapshot(row, names) -> dict:
    return {n: (v.isoformat() if isinstance(v := getattr(row, n), date) else v) for n in names}


def _check_versions_apart(clause_id: str, row: LegalClause) -> None:
    """Two versions of one entry may not be in force on the same day."""
    others = db.session.scalars(select(LegalClause).where(
        LegalClause.id == clause_id, LegalClause.version != row.version)).all()
    for other in others:
        starts_before_end = other.effective_to is None or row.effective_from <= other.effective_to
        ends_after_start = row.effective_to is None or other.effective_from <= row.effective_to
        if starts_before_end and ends_after_start:
            raise OperationError(_("The period overlaps version %(n)d (in force %(period)s).",
                                   n=other.version, period=other.period_text),
                                 "effective_from")


def save_clause(user, clause_id: str, data: dict, *, version: int | None = None) -> LegalClause:
    """Correct version `version` of an entry, or (`version` None) add a version: version 1 of
    a new entry, or the next version of an existing one (the period of the version before,
    when still open, then ends the day before). Marks the row locally modified (a later
    `flask legal load` keeps it); audited with the values before and after. Amounts in VND.
    Raises NotAllowed, or OperationError naming the field (bad id, unknown instrument,
    overlapping periods)."""
    _require_admin(user)
    try:
        ref = parse_id(clause_id or "")
    except CatalogueError:
        raise OperationError(_("Write it as <instrument>:<article>.<clause>[.<point>], "
                               "e.g. 15/2020/NĐ-CP:101.1.a"), "id") from None
    if db.session.get(LegalInstrument, ref.instrument) is None:
        raise OperationError(_("Unknown instrument %(id)s.", id=ref.instrument), "id")
    closed = None
    if version is None:
        latest = db.session.scalar(select(LegalClause).where(LegalClause.id == clause_id)
                                   .order_by(LegalClause.version.desc()).limit(1))
        row = LegalClause(id=clause_id, version=(latest.version + 1) if latest else 1,
                          instrument_id=ref.instrument, article=ref.article,
                          clause=ref.clause, point=ref.point, amended_by=[], enforces=[])
        if latest is not None and latest.effective_to is None and (
                latest.effective_from < data["effective_from"]):
            closed = _snapshot(latest, ("effective_to",))
            latest.effective_to = data["effective_from"] - timedelta(days=1)
            latest.locally_modified = True
            audit.record(user, "catalogue.clause_retired", latest, before=closed,
                         after=_snapshot(latest, ("effective_to",)), note=latest.key)
        db.session.add(row)
        before = None
    else:
        row = db.session.get(LegalClause, (clause_id, version))
        if row is None:
            raise OperationError(_("No such clause."))
        before = _snapshot(row, CLAUSE_FIELDS)
    for name in CLAUSE_FIELDS:
        setattr(row, name, data[name])
    row.verified = row.status != Status.U
    row.locally_modified = True
    db.session.flush()
    _check_versions_apart(clause_id, row)
    audit.record(user, "catalogue.clause_changed" if before else "catalogue.clause_added", row,
                 before=before, after=_snapshot(row, CLAUSE_FIELDS), note=row.key)
    engine.forget()
    return row


def verify_clause(user, row: LegalClause, source: str) -> None:
    """Mark a version verified (status V) against `source` — the text the administrator
    checked (gazette issue and page, an official decision, a URL). Records who and when;
    audited with the status and source before and after. Raises NotAllowed, or
    OperationError when no source is given."""
    _require_admin(user)
    source = (source or "").strip()
    if not source:
        raise OperationError(_("Say which text you checked it against."), "source")
    names = ("status", "verified", "verified_source")
    before = _snapshot(row, names)
    row.status, row.verified, row.verified_source = Status.V, True, source
    row.verified_by_id, row.verified_at = user.id, clock().now()
    row.locally_modified = True
    audit.record(user, "catalogue.clause_verified", row, before=before,
                 after=_snapshot(row, names), note=row.key)
    engine.forget()


def retire_clause(user, clause: LegalClause, until: date) -> None:
    """End the period in force of a version on `until` (it stays for past violations)."""
    _require_admin(user)
    if until < clause.effective_from:
        raise OperationError(_("The end of the period cannot be before its start."))
    before = _snapshot(clause, ("effective_to",))
    clause.effective_to = until
    clause.locally_modified = True
    audit.record(user, "catalogue.clause_retired", clause, before=before,
                 after=_snapshot(clause, ("effective_to",)), note=clause.key)
    engine.forget()


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


FACT_FIELDS = ("basis", "values", "effective_from", "effective_to", "status", "source", "note")


def _same_kind(old, new) -> bool:
    """A corrected value keeps the shipped value's kind (a number stays a number); an empty
    value (None) may become a number and back."""
    if old is None or new is None:
        return True
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool)
    return type(old) is type(new)


def save_enforcement_fact(user, row: EnforcementFact, data: dict) -> None:
    """Correct one text of the enforcement data (docs/legal/enforcement.md#data): its values
    (as the file names them: amounts in VND, days, months, per-ten-thousand rates), basis,
    period in force, status (V/P/U, set by the administrator) and source, with `note`, why.
    The values keep their names and kinds. Marks the row locally modified, so a later
    `flask legal load` keeps it and reports what the release proposes; audited with the
    values before and after and the note. The enforcement rules read it from the next
    request on. Raises NotAllowed, or OperationError naming the field (no note, a value of
    another kind, a period overlapping another text of the section, data the rules cannot
    read)."""
    _require_admin(user)
    note = (data.get("note") or "").strip()
    if not note:
        raise OperationError(_("Say why you change it (kept in the history)."), "note")
    values = data["values"]
    if set(values) != set(row.values):
        raise OperationError(_("The values must keep their names."))
    for name, value in values.items():
        if not _same_kind(row.values[name], value):
            raise OperationError(_("%(name)s: enter a value of the same kind as before.",
                                   name=name), f"v_{name}")
    start, end = data["effective_from"], data["effective_to"]
    for other in db.session.scalars(select(EnforcementFact).where(
            EnforcementFact.section == row.section, EnforcementFact.id != row.id)):
        if (other.effective_to is None or start <= other.effective_to) and (
                end is None or other.effective_from <= end):
            raise OperationError(_("The period overlaps the text in force %(period)s.",
                                   period=_period(other)), "effective_from")
    before = _snapshot(row, FACT_FIELDS)
    for name in FACT_FIELDS:
        setattr(row, name, note if name == "note" else data[name])
    row.values = dict(values)
    row.verified = row.status != Status.U
    row.locally_modified = True
    row.updated_by_id, row.updated_at = user.id, clock().now()
    db.session.flush()
    engine.forget()
    try:
        engine.enforcement()
    except EnforcementError as exc:
        raise OperationError(str(exc)) from None
    audit.record(user, "catalogue.enforcement_changed", row, before=before,
                 after=_snapshot(row, FACT_FIELDS), note=f"{row.key}: {note}")


def _period(row) -> str:
    end = format_date_vn(row.effective_to) if row.effective_to else "…"
    return f"{format_date_vn(row.effective_from)} – {end}"


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
