"""Violations of a case and the violation record (biên bản vi phạm hành chính)."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from cases import deadlines
from cases.documents.decision import render_record
from cases.models import (
    Case,
    CaseAction,
    CaseState,
    Explanation,
    ExplanationKind,
    SanctionKind,
    SignatureAbsence,
    Violation,
    ViolationRecord,
)
from cases.operations.base import check, require, touch, transition
from catalogue.engine import clause_row, competence_table, legal_catalogue
from catalogue.models import LegalClause
from core import audit
from core.clock import clock
from core.documents import freeze
from core.errors import OperationError
from core.models import DocumentKind
from extensions import db
from legal import circumstances as circumstances_data
from legal.catalogue import CatalogueError, NotInForce, period_text
from legal.competence import fine_bounds
from legal.dates import format_date_vn
from legal.fines import FineError, check_fine, propose_fine
from legal.money import format_vnd
from legal.numbering import normalise_number
from legal.procedure import Form, ProcedureError, explanation_right, form_for, licence_sanction


def _version(case: Case, clause_id: str | None) -> LegalClause:
    """The catalogue row to apply to a violation of `case`: the version of `clause_id` in
    force on the violation date (the day the violation ended, or for a continuing one the
    day it was discovered), or a lighter later version in force today (Law 80/2015/QH13
    Art. 156(4); docs/legal/catalogue.md#versions). Raises OperationError naming the field."""
    check(bool(clause_id), _("Choose a clause from the legal catalogue."), "clause_id")
    cat = legal_catalogue()
    try:
        applied = cat.applicable(clause_id, case.violation_date, clock().today())
    except NotInForce:
        versions = cat.versions(clause_id)
        periods = ", ".join(period_text(v) for v in versions)
        raise OperationError(_("%(clause)s was not in force on %(day)s (in force %(period)s).",
                               clause=versions[0].id, day=format_date_vn(case.violation_date),
                               period=periods), "clause_id") from None
    except CatalogueError:
        raise OperationError(_("Choose a clause from the legal catalogue."), "clause_id") from None
    return clause_row(applied.version)


def add_violation(user, case: Case, *, clause_id: str, description: str,
                  circumstances: str | None = None, mitigating: int = 0, aggravating: int = 0,
                  sanction_kind: str = SanctionKind.fine, fine_amount: int | None = None,
                  additional_sanctions: str | None = None,
                  remedial_measures: str | None = None,
                  mitigating_codes: list[str] | None = None,
                  aggravating_codes: list[str] | None = None) -> Violation:
    """Add one violated provision to the case with its proposed sanction.

    `clause_id` is a catalogue entry (point level, or an id of an earlier release); the
    version applied is the one in force on the violation date, or a lighter later one
    (`_version`). A warning only where the text allows it (or it is not known) and a
    mitigating circumstance is recorded (Law 15/2012/QH13 Art. 22). A fine defaults to
    `legal.fines.propose_fine` for the subject and the circumstances (midpoint; individual
    half; Decree 118/2021 and 68/2025 steps) and a chosen amount must be one the rule allows;
    when the range is unknown the amount must be given. Amounts in VND. The circumstances
    may be named (`mitigating_codes`, `aggravating_codes`: Law Art. 9 and 10(1), codes of
    `legal.circumstances`); their counts then replace `mitigating` and `aggravating`.
    Raises NotAllowed or OperationError naming the field.
    """
    require(case.may(user, CaseAction.edit))
    clause = _version(case, clause_id)
    check(bool(description), _("Describe the act."), "description")
    mitigating_codes, mitigating = _named(mitigating_codes, "mitigating", mitigating)
    aggravating_codes, aggravating = _named(aggravating_codes, "aggravating", aggravating)
    check(0 <= mitigating <= 20 and 0 <= aggravating <= 20,
          _("Enter the number of circumstances (0 or more)."), "mitigating")
    fine_amount = _sanction_amount(case, clause, sanction_kind, fine_amount, mitigating,
                                   aggravating)
    violation = Violation(
        case_id=case.id, clause_id=clause.id, clause_version=clause.version,
        description=description, circumstances=circumstances, mitigating=mitigating,
        aggravating=aggravating, sanction_kind=sanction_kind, fine_amount=fine_amount,
        additional_sanctions=additional_sanctions, remedial_measures=remedial_measures,
        mitigating_codes=mitigating_codes, aggravating_codes=aggravating_codes,
    )
    db.session.add(violation)
    touch(case)
    db.session.flush()
    audit.record(user, "violation.added", violation, case=case,
                 after={"clause": clause.id, "version": clause.version,
                        "sanction": sanction_kind, "fine": fine_amount,
                        "mitigating": mitigating, "aggravating": aggravating,
                        "clause_verified": clause.verified})
    deadlines.recompute(case)
    return violation


def repin_violations(case: Case) -> None:
    """After the violation date of `case` changed: apply to each violation the version in
    force on the new date (`_version`). Raises OperationError on the date field when a
    provision was not in force on it (the violation must be removed first)."""
    for violation in case.violations:
        try:
            row = _version(case, violation.clause_id)
        except OperationError as exc:
            raise OperationError(exc.message, "detected_on") from None
        if row.version != violation.clause_version or row.id != violation.clause_id:
            violation.clause_id, violation.clause_version = row.id, row.version


def _sanction_amount(case: Case, clause: LegalClause, sanction_kind: str,
                     fine_amount: int | None, mitigating: int, aggravating: int) -> int | None:
    """The fine in VND the rules allow for this violation (None for a warning), or
    OperationError naming the field. See `add_violation` for the rules."""
    check(0 <= mitigating <= 20 and 0 <= aggravating <= 20,
          _("Enter the number of circumstances (0 or more)."), "mitigating")
    if sanction_kind == SanctionKind.warning:
        check(clause.warning_allowed is not False,
              _("This clause does not allow a warning; choose a fine."), "sanction_kind")
        check(mitigating > 0,
              _("A warning needs at least one mitigating circumstance."), "mitigating")
        return None
    check(sanction_kind == SanctionKind.fine, _("Choose a warning or a fine."),
          "sanction_kind")
    today = clock().today()
    if clause.fine_min is None:
        check(fine_amount is not None,
              _("The fine range of this clause is not in the catalogue; enter the amount."),
              "fine_amount")
        low, high = fine_bounds(case.subject_kind, today, competence_table())
        check(low <= fine_amount <= high,
              _("The fine must be between %(lo)s and %(hi)s đồng (the bounds of any fine in "
                "this field for this subject).", lo=format_vnd(low), hi=format_vnd(high)),
              "fine_amount")
        return fine_amount
    proposal = propose_fine(clause, case.subject_kind, case.violation_date, mitigating,
                            aggravating, decided_on=today)
    if fine_amount is None:
        return proposal.amount
    try:
        check_fine(proposal, fine_amount)
    except FineError:
        # the legal engine speaks Vietnamese; the user reads the rule in their language, the
        # legal basis (a citation) as the engine states it
        raise OperationError(_(
            "A fine of %(amount)s đồng is not allowed: it must be %(interval)s. Basis: "
            "%(basis)s", amount=format_vnd(fine_amount), interval=_interval(proposal),
            basis=proposal.basis), "fine_amount") from None
    return fine_amount


def _interval(proposal) -> str:
    """The amounts a `legal.fines.FineProposal` allows, in the user's language."""
    low, high = format_vnd(proposal.low), format_vnd(proposal.high)
    if proposal.low == proposal.high:
        return _("%(amount)s đồng", amount=low)
    if proposal.exclusive:
        return _("above %(low)s đồng and below %(high)s đồng", low=low, high=high)
    return _("from %(low)s to %(high)s đồng", low=low, high=high)


def _named(codes: list[str] | None, kind: str, count: int) -> tuple[list[str] | None, int]:
    """The named circumstances of `kind`, checked and in the Law's order, and the count to
    store (theirs when any is named). Raises OperationError on the field."""
    if not codes:
        return None, count
    try:
        codes = circumstances_data.check(codes, kind)
    except circumstances_data.CircumstanceError as exc:
        raise OperationError(str(exc), f"{kind}_codes") from None
    return codes, len(codes)


def set_sanction(user, violation: Violation, *, sanction_kind: str, fine_amount: int | None,
                 mitigating: int, aggravating: int, circumstances: str | None = None,
                 additional_sanctions: str | None = None,
                 remedial_measures: str | None = None,
                 mitigating_codes: list[str] | None = None,
                 aggravating_codes: list[str] | None = None) -> None:
    """Change the proposed sanction of a violation (the act and its clause stay as the
    record states them): after the supervisor returned the proposal, for instance. The same
    rules as `add_violation`. Bumps the case's version (`touch`), so a proposal made at the
    same moment from the amounts read before fails (StaleDataError: the 409 page) instead
    of recording one total while another is approved. Raises NotAllowed or OperationError."""
    case = violation.case
    require(case.may(user, CaseAction.edit_sanction))
    before = {"sanction": violation.sanction_kind, "fine": violation.fine_amount,
              "mitigating": violation.mitigating, "aggravating": violation.aggravating}
    mitigating_codes, mitigating = _named(mitigating_codes, "mitigating", mitigating)
    aggravating_codes, aggravating = _named(aggravating_codes, "aggravating", aggravating)
    violation.fine_amount = _sanction_amount(case, violation.clause, sanction_kind,
                                             fine_amount, mitigating, aggravating)
    violation.sanction_kind = sanction_kind
    violation.mitigating, violation.aggravating = mitigating, aggravating
    violation.mitigating_codes, violation.aggravating_codes = mitigating_codes, aggravating_codes
    violation.circumstances = circumstances
    violation.additional_sanctions = additional_sanctions
    violation.remedial_measures = remedial_measures
    touch(case)
    audit.record(user, "violation.sanction_changed", violation, case=case, before=before,
                 after={"sanction": sanction_kind, "fine": violation.fine_amount,
                        "mitigating": mitigating, "aggravating": aggravating})
    deadlines.recompute(case)


def remove_violation(user, violation: Violation) -> None:
    """Remove a violation while the case is still editable. Raises NotAllowed."""
    case = violation.case
    require(case.may(user, CaseAction.edit))
    audit.record(user, "violation.removed", violation, case=case,
                 before={"clause": violation.clause_id, "fine": violation.fine_amount})
    db.session.delete(violation)
    touch(case)
    deadlines.recompute(case)


RECORD_FIELDS = ("made_time", "place_reason", "violation_time", "violation_place",
                 "violator_signature", "witnesses", "signature_reason", "preventive_measures",
                 "copies", "waived_in_record")


def _build_record(user, case: Case, *, number: str, made_on, place: str,
                  violator_statement: str | None = None, explanation_requested: bool = False,
                  made_time=None, place_reason: str | None = None,
                  violation_time: str | None = None, violation_place: str | None = None,
                  violator_signature: str = SignatureAbsence.signed,
                  witnesses: str | None = None, signature_reason: str | None = None,
                  preventive_measures: str | None = None, copies: int = 2,
                  waived_in_record: bool = False,
                  check_number: bool = True) -> ViolationRecord:
    """The checked, unsaved record (see `make_record`). Raises OperationError naming the
    field."""
    check(bool(case.violations), _("Add at least one violation before making the record."))
    check(made_on is not None, _("The date of the record is required."), "made_on")
    check(made_on <= clock().today(), _("The date cannot be in the future."), "made_on")
    check(made_on >= case.detected_on,
          _("The record cannot be made before the violation was detected."), "made_on")
    number = normalise_number(number or "", _form("record", made_on).symbol)
    check(bool(number) or not check_number, _("The record number is required."), "number")
    check(bool(place), _("The place is required."), "place")
    check(violator_signature in tuple(SignatureAbsence), _("Choose whether the violator signed."),
          "violator_signature")
    witnesses = (witnesses or "").strip() or None
    signature_reason = (signature_reason or "").strip() or None
    if violator_signature != SignatureAbsence.signed:
        check(bool(witnesses),
              _("The violator did not sign: name the witness or the representative of the "
                "commune authority who signs (Art. 58 of the Law on Handling Administrative "
                "Violations)."), "witnesses")
        check(bool(signature_reason), _("Give the reason the violator did not sign."),
              "signature_reason")
    check(copies is not None and 2 <= copies <= 20,
          _("The record is made in at least 2 copies (one for the violator)."), "copies")
    if check_number and number:
        taken = db.session.scalar(
            select(Case.code).join(ViolationRecord, ViolationRecord.case_id == Case.id)
            .where(ViolationRecord.number == number, Case.id != case.id,
                   func.extract("year", ViolationRecord.made_on) == made_on.year))
        check(taken is None, _("Record number %(n)s is already used in %(year)d by case "
                               "%(code)s.", n=number, year=made_on.year, code=taken or ""),
              "number")
    right = _explanation_right(case, made_on)
    if waived_in_record:
        check(right.applies, _("This record gives no right to explain; there is nothing to "
                               "waive."), "waived_in_record")
        check(_form("record", made_on).has("explanation_ticks"),
              _("Before 2022 the violator waives the right to explain in a separate signed "
                "text; record it after the record is made."), "waived_in_record")
    record = ViolationRecord(
        number=number or "", made_on=made_on, place=place, made_by_id=user.id,
        made_by=user, violator_statement=violator_statement,
        explanation_requested=explanation_requested, explanation_right=right.applies,
        explanation_reason=right.reason or None, made_time=made_time,
        place_reason=(place_reason or "").strip() or None,
        violation_time=(violation_time or "").strip() or None,
        violation_place=(violation_place or "").strip() or None,
        violator_signature=violator_signature, witnesses=witnesses,
        signature_reason=signature_reason,
        preventive_measures=(preventive_measures or "").strip() or None, copies=copies,
        created_at=clock().now())
    record.waived_in_record = waived_in_record  # printed; stored as a waiver when made
    return record


def preview_record(user, case: Case, **fields) -> bytes:
    """The record as it would be made with `fields` (those of `make_record`), watermarked
    "DỰ THẢO", its number left blank when none is typed; nothing is stored. Raises NotAllowed
    or OperationError naming the field."""
    require(case.may(user, CaseAction.make_record))
    check(case.record is None, _("This case already has a violation record."))
    record = _build_record(user, case, check_number=False, **fields)
    return render_record(case, record=record, draft=True)


def make_record(user, case: Case, *, number: str, made_on, place: str,
                violator_statement: str | None = None,
                explanation_requested: bool = False, **fields) -> ViolationRecord:
    """Make the violation record (form MBB01) listing the case's violations: state →
    record_made, and the time limit to issue the decision starts (Law 15/2012/QH13
    Art. 66(1)). The number is stored as printed ("5" → "05/BB-VPHC", a leading zero below
    10: docs/legal/documents.md#numbering). Needs at least one violation.

    `fields` (`RECORD_FIELDS`, all optional): the hour it was made (`made_time`), why it
    was made elsewhere than the place of the violation, the time and place of the
    violation, whether the violator signed (`SignatureAbsence`) and if not the witnesses or
    the commune authority's representative and the reason (both then required: Law Art.
    58(2)), the measures to prevent and secure, the number of copies (2 or more; one is
    handed to the violator), and from 2022 `waived_in_record`: the violator's statement in
    the record that they do not ask to explain (Decree 118/2021 Art. 12(4)(i)), stored as
    a waiver. The PDF is rendered and frozen with its SHA-256.
    Raises NotAllowed or OperationError naming the field."""
    require(case.may(user, CaseAction.make_record))
    check(case.record is None, _("This case already has a violation record."))
    record = _build_record(user, case, number=number, made_on=made_on, place=place,
                           violator_statement=violator_statement,
                           explanation_requested=explanation_requested, **fields)
    record.case_id = case.id
    db.session.add(record)
    db.session.flush()
    if getattr(record, "waived_in_record", False):
        # Decree 118/2021 Art. 12(4)(i): the violator's opinion written into the record
        db.session.add(Explanation(case_id=case.id, kind=ExplanationKind.waiver,
                                   received_on=record.made_on,
                                   note="Không yêu cầu giải trình (ghi trong biên bản)",
                                   recorded_by_id=user.id, created_at=clock().now()))
        db.session.flush()
    db.session.refresh(case, ["record", "violations", "explanations"])
    frozen = freeze(render_record(case), kind=DocumentKind.record, reference=record.number,
                    signer_name=user.full_name, case_id=case.id)
    record.pdf, record.sha256 = frozen.pdf, frozen.sha256
    transition(case, user, CaseState.record_made, "record.made",
               extra={"number": record.number, "made_on": made_on.isoformat(),
                      "sha256": record.sha256, "explanation_right": record.explanation_right})
    deadlines.recompute(case)
    return record


def proposed_record_number(on) -> str:
    """The record number to propose for a record made on `on`: one above the highest number
    already used by a record of that year ("07/BB-VPHC" after "06/BB-VPHC"; "01/…" for the
    first), with the record form's symbol for that date (docs/legal/documents.md#numbering).
    Records are numbered by the inspector, who may type another number; nothing is reserved
    (read only). Empty when the product knows no record form for `on`."""
    try:
        symbol = form_for("record", on).symbol
    except ProcedureError:
        return ""
    used = db.session.scalars(select(ViolationRecord.number).where(
        func.extract("year", ViolationRecord.made_on) == on.year))
    highest = 0
    for number in used:
        match = _LEADING.match(number or "")
        if match and len(match.group(1)) <= 9:
            highest = max(highest, int(match.group(1)))
    return normalise_number(str(highest + 1), symbol)


_LEADING = re.compile(r"\s*0*([0-9]+)")


def _explanation_right(case: Case, made_on):
    """The violator's right to explain for a record of `case` made on `made_on`
    (`legal.procedure.explanation_right`: Law 15/2012/QH13 Art. 61(1)), from each act's
    fine bracket for the subject and whether its text prescribes licence withdrawal or
    suspension. Raises OperationError on the date when no text was in force."""
    acts = []
    for v in case.violations:
        rng = v.clause.range_for(case.subject_kind)
        acts.append((rng.maximum if rng is not None else None,
                     licence_sanction(v.clause.additional_sanctions)))
    try:
        return explanation_right(acts, case.subject_kind, made_on)
    except ProcedureError as exc:
        raise OperationError(str(exc), "made_on") from None


def _form(kind: str, on) -> Form:
    """The form of `kind` for a document dated `on`, or OperationError on the date when the
    product knows none (a date before the Law of 2012 took effect)."""
    try:
        return form_for(kind, on)
    except ProcedureError as exc:
        raise OperationError(str(exc), "made_on") from None


def extend_decision_time_limit(user, case: Case, *, reason: str,
                               document: str | None = None) -> None:
    """Record the head's written extension of the time limit to issue the sanction decision
    (Law 15/2012/QH13 Art. 66(1); the same clause as amended in 2020): only for a case where
    the violator asked to explain or the facts must be verified (the longer limit), granted
    before that limit ends, once. The stored "decision" deadline becomes `decision_extended`
    (2012 text: 60 calendar days from the record, i.e. 30 + at most 30; from 2022: 2 months)
    and its pending reminders are replanned. Raises NotAllowed or OperationError (no
    reason; not the longer limit; already extended; the limit already passed)."""
    require(case.may(user, CaseAction.extend))
    record = case.record
    check(record is not None and case.decision is None,
          _("The time limit can only be extended before the decision is issued."))
    check(deadlines.longer_time_limit(case),
          _("Only a case in which the violator asked to explain, or the facts must be "
            "verified, can have its time limit extended (Art. 66(1) of the Law on Handling "
            "Administrative Violations)."))
    check(record.decision_extended_on is None,
          _("The time limit was already extended on %(d)s; it can be extended only once.",
            d=format_date_vn(record.decision_extended_on or clock().today())))
    reason = (reason or "").strip()
    check(bool(reason), _("Give the grounds for the extension."), "reason")
    today = clock().today()
    current = next((d for d in case.deadlines if d.key == "decision"), None)
    check(current is None or today <= current.due_on,
          _("The time limit ended on %(d)s; an extension must be granted before it ends.",
            d=format_date_vn(current.due_on if current else today)))
    before = current.due_on.isoformat() if current else None  # the row is updated below
    record.decision_extended_on = today
    record.extended_by_id = user.id
    record.extension_reason = reason
    record.extension_document = (document or "").strip() or None
    stored = deadlines.recompute(case)
    due = next(d.due_on for d in stored if d.key == "decision")
    audit.record(user, "decision.time_limit_extended", record, case=case,
                 before={"due_on": before},
                 after={"due_on": due.isoformat(), "reason": reason,
                        "document": record.extension_document})
