"""Violations of a case and the violation record (biên bản vi phạm hành chính)."""

from __future__ import annotations

from flask_babel import gettext as _

from cases import deadlines
from cases.models import Case, CaseState, LegalClause, SanctionKind, Violation, ViolationRecord
from cases.operations.base import check, require, transition
from core import audit
from core.clock import clock
from extensions import db
from legal.dates import format_date_vn
from legal.money import format_vnd


def _period(clause: LegalClause) -> str:
    end = format_date_vn(clause.effective_to) if clause.effective_to else _("today")
    return f"{format_date_vn(clause.effective_from)} – {end}"


def add_violation(user, case: Case, *, clause_id: str, description: str,
                  circumstances: str | None = None, sanction_kind: str = SanctionKind.fine,
                  fine_amount: int | None = None, additional_sanctions: str | None = None,
                  remedial_measures: str | None = None) -> Violation:
    """Add one violated clause to the case with its proposed sanction.

    The clause must be in force on the violation date (the day the violation ended, or the
    day an ongoing one was detected; LEGAL.md §1). A warning only where the clause allows it
    (Law 15/2012/QH13 Art. 22). A fine defaults to the midpoint of the clause's range for the
    subject's kind (Art. 23(4); individual half, Decree 174/2013/NĐ-CP Art. 2) and must stay
    within that range; when the range is unknown the amount must be given. Amounts in VND.
    Raises NotAllowed or OperationError naming the field.
    """
    require(case.can_edit_violations(user))
    clause = db.session.get(LegalClause, clause_id) if clause_id else None
    check(clause is not None, _("Choose a clause from the legal catalogue."), "clause_id")
    day = case.violation_date
    check(clause.in_force_on(day),
          _("%(clause)s was not in force on %(day)s (in force %(period)s).",
            clause=clause.id, day=format_date_vn(day), period=_period(clause)), "clause_id")
    check(bool(description), _("Describe the act."), "description")
    if sanction_kind == SanctionKind.warning:
        check(clause.warning_allowed,
              _("This clause does not allow a warning; choose a fine."), "sanction_kind")
        fine_amount = None
    else:
        check(sanction_kind == SanctionKind.fine, _("Choose a warning or a fine."),
              "sanction_kind")
        fine_range = clause.range_for(case.subject_kind)
        if fine_amount is None:
            check(fine_range is not None,
                  _("The fine range of this clause is not in the catalogue; enter the amount."),
                  "fine_amount")
            fine_amount = fine_range.midpoint
        elif fine_range is not None:
            check(fine_range.contains(fine_amount),
                  _("The fine must be between %(lo)s and %(hi)s đồng for this subject.",
                    lo=format_vnd(fine_range.minimum), hi=format_vnd(fine_range.maximum)),
                  "fine_amount")
        check(fine_amount > 0, _("The fine must be more than 0 đồng."), "fine_amount")
    violation = Violation(
        case_id=case.id, clause_id=clause.id, description=description,
        circumstances=circumstances, sanction_kind=sanction_kind, fine_amount=fine_amount,
        additional_sanctions=additional_sanctions, remedial_measures=remedial_measures,
    )
    db.session.add(violation)
    db.session.flush()
    audit.record(user, "violation.added", violation, case=case,
                 after={"clause": clause.id, "sanction": sanction_kind, "fine": fine_amount})
    deadlines.recompute(case)
    return violation


def remove_violation(user, violation: Violation) -> None:
    """Remove a violation while the case is still editable. Raises NotAllowed."""
    case = violation.case
    require(case.can_edit_violations(user))
    audit.record(user, "violation.removed", violation, case=case,
                 before={"clause": violation.clause_id, "fine": violation.fine_amount})
    db.session.delete(violation)
    deadlines.recompute(case)


def make_record(user, case: Case, *, number: str, made_on, place: str,
                violator_statement: str | None = None,
                explanation_requested: bool = False) -> ViolationRecord:
    """Make the violation record (form MBB01) listing the case's violations: state →
    record_made, and the time limit to issue the decision starts (Law 15/2012/QH13
    Art. 66(1)). Needs at least one violation. Raises NotAllowed or OperationError."""
    require(case.can_work(user) and case.state in (CaseState.detected, CaseState.verifying))
    check(case.record is None, _("This case already has a violation record."))
    check(bool(case.violations), _("Add at least one violation before making the record."))
    check(bool(number), _("The record number is required."), "number")
    check(made_on is not None, _("The date of the record is required."), "made_on")
    check(made_on <= clock().today(), _("The date cannot be in the future."), "made_on")
    check(made_on >= case.detected_on,
          _("The record cannot be made before the violation was detected."), "made_on")
    check(bool(place), _("The place is required."), "place")
    record = ViolationRecord(case_id=case.id, number=number, made_on=made_on, place=place,
                             made_by_id=user.id, violator_statement=violator_statement,
                             explanation_requested=explanation_requested,
                             created_at=clock().now())
    db.session.add(record)
    db.session.flush()
    transition(case, user, CaseState.record_made, "record.made",
               extra={"number": number, "made_on": made_on.isoformat()})
    deadlines.recompute(case)
    return record
