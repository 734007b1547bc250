"""Complaints and lawsuits against a sanction decision (docs/legal/enforcement.md#complaints):
recorded with the time to settle them, settled (the decision upheld, or amended, corrected or
cancelled through the correction flow of `cases.operations.decisions`), withdrawn, and taken
to court. Enforcement goes on during a complaint unless the person settling it suspends it
(Law 15/2012/QH13 Art. 15)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from cases import deadlines
from cases.models import Case, CaseAction, Complaint, ComplaintOutcome
from cases.operations.base import check, require
from cases.operations.decisions import correct_decision
from catalogue.engine import enforcement as enforcement_data
from core import audit
from core.calendar import working_calendar
from core.clock import clock
from extensions import db
from legal.enforcement import complaint_days

CORRECTIONS = (ComplaintOutcome.amend, ComplaintOutcome.correct, ComplaintOutcome.cancel)


def record_complaint(user, case: Case, *, complainant: str, received_on: date,
                     accepted_on: date, settler: str, second: bool = False,
                     complex_case: bool = False, remote: bool = False,
                     suspended: bool = False, summary: str | None = None) -> Complaint:
    """A complaint against the case's sanction decision, received on `received_on` and
    accepted on `accepted_on`: it must be settled within the days of Law on Complaints 2011
    Art. 28 (first) or Art. 37 (second), calendar days from acceptance, a last day off rolled
    to the next working day (`legal.enforcement.complaint_days`). `suspended`: the settler
    suspended enforcement meanwhile (Law 15/2012/QH13 Art. 15); otherwise enforcement goes
    on. Starts the deadline "complaint_settlement". Raises NotAllowed or OperationError."""
    require(case.may(user, CaseAction.complaint))
    decision = case.decision
    today = clock().today()
    check(bool((complainant or "").strip()), _("Name who complains."), "complainant")
    check(bool((settler or "").strip()), _("Name who settles the complaint."), "settler")
    check(received_on is not None and decision.issued_on <= received_on <= today,
          _("The date must be between the decision and today."), "received_on")
    check(accepted_on is not None and received_on <= accepted_on <= today,
          _("The complaint is accepted on or after the day it was received, and not after "
            "today."), "accepted_on")
    days, _basis = complaint_days(second, complex_case, remote, data=enforcement_data())
    complaint = Complaint(
        case_id=case.id, decision_id=decision.id, round=2 if second else 1,
        complainant=complainant.strip(), received_on=received_on, accepted_on=accepted_on,
        settler=settler.strip(), complex_case=complex_case, remote=remote, days=days,
        due_on=working_calendar().add_days(accepted_on, days), suspended=suspended,
        summary=(summary or "").strip() or None, outcome=ComplaintOutcome.pending,
        recorded_by_id=user.id, recorded_at=clock().now())
    db.session.add(complaint)
    db.session.flush()
    audit.record(user, "complaint.recorded", complaint, case=case,
                 after={"received_on": received_on.isoformat(), "days": days,
                        "due_on": complaint.due_on.isoformat(), "suspended": suspended})
    deadlines.recompute(case)
    return complaint


def settle_complaint(user, complaint: Complaint, outcome: str, on: date, note: str,
                     content: str | None = None) -> None:
    """The complaint's outcome on `on`: upheld, withdrawn, or the decision amended, corrected
    or cancelled — then the correcting decision is issued through the correction flow
    (`correct_decision`: a supervisor, a new numbered and frozen decision; cancelling sends
    the case back to "record_made") with `content` as what it changes and the complaint as
    its reason. Meets the settlement deadline. Raises NotAllowed or OperationError."""
    case = complaint.case
    require(case.may(user, CaseAction.complaint) or case.may(user, CaseAction.correct))
    check(complaint.outcome == ComplaintOutcome.pending,
          _("This complaint is already settled."), "outcome")
    check(outcome in ComplaintOutcome.__members__ and outcome != ComplaintOutcome.pending,
          _("Choose the outcome."), "outcome")
    check(on is not None and complaint.received_on <= on <= clock().today(),
          _("The date must be between the complaint and today."), "outcome_on")
    check(bool((note or "").strip()), _("Give the grounds of the outcome."), "outcome_note")
    if outcome in CORRECTIONS:
        reason = _("Settling the complaint of %(who)s received on %(day)s: %(note)s",
                   who=complaint.complainant, day=complaint.received_on.strftime("%d/%m/%Y"),
                   note=note.strip())
        complaint.correction = correct_decision(user, complaint.decision, outcome,
                                                content or note, reason, on)
    complaint.outcome = outcome
    complaint.outcome_on = on
    complaint.outcome_note = note.strip()
    audit.record(user, "complaint.settled", complaint, case=case,
                 after={"outcome": outcome, "on": on.isoformat(),
                        "correction": complaint.correction.full_number
                        if complaint.correction else None})
    deadlines.recompute(case)


def record_lawsuit(user, complaint: Complaint, *, court: str, filed_on: date,
                   outcome: str | None = None, outcome_on: date | None = None) -> None:
    """A lawsuit against the decision at `court` filed on `filed_on`, and its judgment when
    known. Raises NotAllowed or OperationError."""
    case = complaint.case
    require(case.may(user, CaseAction.complaint))
    check(bool((court or "").strip()), _("Name the court."), "court")
    check(filed_on is not None and complaint.decision.issued_on <= filed_on <= clock().today(),
          _("The date must be between the decision and today."), "filed_on")
    check(outcome_on is None or filed_on <= outcome_on <= clock().today(),
          _("The judgment cannot be before the lawsuit or in the future."), "outcome_on")
    complaint.court = court.strip()
    complaint.lawsuit_filed_on = filed_on
    complaint.lawsuit_outcome = (outcome or "").strip() or None
    complaint.lawsuit_outcome_on = outcome_on
    audit.record(user, "complaint.lawsuit", complaint, case=case,
                 after={"court": complaint.court, "filed_on": filed_on.isoformat(),
                        "outcome": complaint.lawsuit_outcome})
